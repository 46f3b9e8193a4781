package model

import (
	"math"
	"strings"
	"testing"
)

// agentScenario has an api workload, an agent workload and ads, so that
// every numeric field the hostile inputs below touch exists.
const agentScenario = validScenario + `  - name: shop
    class: agent
    arrivals: {rate: 1/s}
    prompt_tokens: 100
    output_tokens: 50
    agent: {prefix_cache_hit: 0.5}
ads: {bidders: 4}
`

// TestNumericDomainsCheckedAtLoad: each input of issue 15.3 and 15.11 that
// panicked the simulator or was silently accepted is refused at load with
// the file, line and field.
func TestNumericDomainsCheckedAtLoad(t *testing.T) {
	cases := []struct {
		name, old, new, want string
	}{
		{"prefix_cache_hit .nan", "prefix_cache_hit: 0.5", "prefix_cache_hit: .nan", "t.yaml:18:31: workloads[1].agent.prefix_cache_hit: NaN is not a number"},
		{"prefix_cache_hit 1.5", "prefix_cache_hit: 0.5", "prefix_cache_hit: 1.5", "t.yaml:18:31: workloads[1].agent.prefix_cache_hit: 1.5 is out of range (allowed: 0 to 1; leave it out to model the replicas' prefix caches)"},
		{"router_load_bound 0.5", "fleet:\n", "router_load_bound: 0.5\nfleet:\n", "router_load_bound: 0.5 is out of range (allowed: 1 to 100)"},
		{"router_load_bound 0", "fleet:\n", "router_load_bound: 0\nfleet:\n", "router_load_bound: 0 is not a value here"},
		{"router_load_slack -1", "fleet:\n", "router_load_slack: -1\nfleet:\n", "router_load_slack: -1 is out of range (allowed: 0 to 1000000)"},
		{"unknown router", "fleet:\n", "router: sticky\nfleet:\n", `router: unknown router "sticky" (allowed: session-affinity, least-outstanding, round-robin, power-of-two)`},
		{"memory_reserve .nan", "replica: {tp: 32}", "replica: {tp: 32, memory_reserve: .nan}", "t.yaml:6:37: fleet.replica.memory_reserve: NaN is not a number"},
		{"price .nan", "fleet:\n", "fleet:\n  price_usd_per_hour: .nan\n", "fleet.price_usd_per_hour: NaN is not a number"},
		// Each value field on its own path, placed at it (or its --set),
		// not at the value block: review90 B2.
		{"value.fee -1", "prefix_cache_hit: 0.5}", "prefix_cache_hit: 0.5, value: {fee: -1, order_value: 10}}", "t.yaml:18:49: workloads[1].agent.value.fee: -1 must not be negative"},
		{"value.order_value -100", "prefix_cache_hit: 0.5}", "prefix_cache_hit: 0.5, value: {fee: 1,\n      order_value: -100}}", "t.yaml:19:20: workloads[1].agent.value.order_value: -100 must not be negative"},
		// Past the largest float64: out of range, not "got string" (review90 B6).
		{"price 1e400", "fleet:\n", "fleet:\n  price_usd_per_hour: 1e400\n", "t.yaml:4:23: fleet.price_usd_per_hour: 1e400 is out of range (at most 1e+15 in magnitude)"},
		{"price -1_0e400", "fleet:\n", "fleet:\n  price_usd_per_hour: -1_0e400\n", "fleet.price_usd_per_hour: -1_0e400 is out of range"},
		{"prompt_tokens gamma cv 1e300", "prompt_tokens: 100", "prompt_tokens: {dist: gamma, mean: 1000, cv: 1e300}", "t.yaml:16:50: workloads[1].prompt_tokens.cv: 1e+300 is out of range"},
		{"ads.bid gamma cv 1e300", "ads: {bidders: 4}", "ads: {bidders: 4, bid: {dist: gamma, mean: 1000, cv: 1e300}}", "ads.bid.cv: 1e+300 is out of range"},
		{"ads.relevance gamma cv 1e300", "ads: {bidders: 4}", "ads: {bidders: 4, relevance: {dist: gamma, mean: 1000, cv: 1e300}}", "ads.relevance.cv: 1e+300 is out of range"},
		{"ads.bid gamma mean 1e300", "ads: {bidders: 4}", "ads: {bidders: 4, bid: {dist: gamma, mean: 1e300, cv: 1}}", "ads.bid.mean: 1e+300 is out of range"},
		{"arrivals gamma cv 1e-300", "arrivals: {rate: 1/s}", "arrivals: {process: gamma, rate: 1/s, cv: 1e-300}", "workloads[1].arrivals.cv: gamma arrivals need cv"},
		{"arrivals.cv .nan", "arrivals: {rate: 1/s}", "arrivals: {process: gamma, rate: 1/s, cv: .nan}", "workloads[1].arrivals.cv: NaN is not a number"},
		{"lognormal p99 1e300", "prompt_tokens: 100", "prompt_tokens: {dist: lognormal, median: 1, p99: 1e300}", "workloads[1].prompt_tokens.p99: 1e+300 is out of range"},
		{"lognormal too wide", "prompt_tokens: 100", "prompt_tokens: {dist: lognormal, median: 1e-9, p99: 1e6}", "workloads[1].prompt_tokens: the spread is too wide"},
		{"start_hour .nan", "arrivals: {rate: 1/s}", "arrivals: {rate: 1/s, start_hour: .nan}", "workloads[1].arrivals.start_hour: NaN"},
		{"a price of 1e300", "prompt_tokens: 100", "price: {input_per_mtok: 1e300}\n    prompt_tokens: 100", "workloads[1].price.input_per_mtok: 1e+300 is out of range"},
		{"empirical values .inf", "prompt_tokens: 100", "prompt_tokens: {dist: empirical, values: [1, .inf]}", `values[1]: want a token count: a number (e.g. 800), got ".inf"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if !strings.Contains(agentScenario, c.old) {
				t.Fatalf("test scenario lacks %q", c.old)
			}
			src := strings.Replace(agentScenario, c.old, c.new, 1)
			_, _, err := Load("t.yaml", []byte(src), testCatalog{})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("want an error containing %q, got %v", c.want, err)
			}
		})
	}
	if _, _, err := Load("t.yaml", []byte(agentScenario), testCatalog{}); err != nil {
		t.Fatalf("the unmodified scenario must load: %v", err)
	}
}

// inlineShape is an inline architecture's shape without its name.
const inlineShape = "hidden: 1024, layers: 4, heads: 8, kv_heads: 8, ffn: 2048, vocab: 1000, max_context: 8192"

// TestNamesAreVisibleText: a scenario's or a workload's name, printed in
// every listing, holds no control or invisible formatting characters and
// is bounded ("\u202eevil" was accepted and shown reversed).
func TestNamesAreVisibleText(t *testing.T) {
	tests := []struct {
		field, value, want string
	}{
		{"name", `"a\u202eb"`, `name: "a\u202eb" holds the invisible character U+202E at byte 1`},
		{"name", `"a\u200bb"`, "U+200B"},
		{"name", `"a\u009b2Jb"`, "U+009B"}, // CSI, a terminal escape
		{"name", strings.Repeat("x", 201), "name: 201 characters; at most 200"},
		{"workloads[0].name", `"chat\u2066"`, "workloads[0].name: \"chat\\u2066\" holds the invisible character U+2066"},
		// An inline model's name heads the FLEET line and is stored: an
		// escape in it cleared the viewer's screen on run and on show.
		{"model", `{name: "x\e[2J", ` + inlineShape + `}`, `model.name: "x\x1b[2J" holds the invisible character U+001B at byte 1`},
		{"model", `{name: ` + strings.Repeat("m", 201) + `, ` + inlineShape + `}`, "model.name: 201 characters; at most 200"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			src, err := ApplyOverridesIn("t.yaml", []byte(validScenario), []Override{{Path: tt.field, Value: tt.value}})
			if err != nil {
				t.Fatal(err)
			}
			_, _, err = Load("t.yaml", src, testCatalog{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error with %q", err, tt.want)
			}
		})
	}
	src, err := ApplyOverridesIn("t.yaml", []byte(validScenario), []Override{{Path: "name", Value: "Grüße, 東京 → 2"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := Load("t.yaml", src, testCatalog{}); err != nil {
		t.Errorf("a name in other scripts with spaces and symbols: %v", err)
	}
	for extra, want := range map[string]string{
		`variants: [{name: "v\e]0;t\a", set: {seed: 2}}]`: "variants[0].name: \"v\\x1b]0;t\\a\" holds the invisible character U+001B",
		// A variant's set name was replaced by t/v without a word or a check.
		`variants: [{name: v, set: {name: "b\tc"}}]`: "variants[0].set: name: a variant's runs are named t/v; rename the variant instead",
		`pools: [{name: small, model: {name: "m\a", ` + inlineShape + `}, fleet: {instance: trn2.48xlarge, replica: {tp: 4}}}]`: `pools[0].model.name: "m\a" holds the invisible character U+0007`,
	} {
		if _, _, err := Load("t.yaml", []byte(validScenario+extra+"\n"), testCatalog{}); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want %q", extra, err, want)
		}
	}
	// A description is rewritten, not refused: a scenario stored with an
	// escape in it (a sweep to resume) must still load, and every screen
	// that prints it then prints the escape as text.
	src, err = ApplyOverridesIn("t.yaml", []byte(validScenario+"variants: [{name: v, description: \"x\\u202e\", set: {seed: 2}}]\n"),
		[]Override{{Path: "description", Value: "\"two lines,\\n\\tone indented \\e[2J\\a\""}})
	if err != nil {
		t.Fatal(err)
	}
	sc, _, err := Load("t.yaml", src, testCatalog{})
	if err != nil {
		t.Fatalf("a description with line breaks, a tab and escapes: %v", err)
	}
	if want := "two lines,\n\tone indented \\x1b[2J\\x07"; sc.Description != want {
		t.Errorf("description %q, want %q", sc.Description, want)
	}
	if want := "x\\u202e"; sc.Variants[0].Description != want {
		t.Errorf("variant description %q, want %q", sc.Variants[0].Description, want)
	}
}

// TestRouterLoadSlackDefault: router_load_slack defaults to 2 requests,
// and a written 0 (bounded loads alone) is kept, not replaced.
func TestRouterLoadSlackDefault(t *testing.T) {
	for _, c := range []struct {
		extra string
		want  int
	}{{"", 2}, {"router_load_slack: 0\n", 0}, {"router_load_slack: 7\n", 7}} {
		sc, _, err := Load("t.yaml", []byte(c.extra+agentScenario), testCatalog{})
		if err != nil {
			t.Fatalf("%q: %v", c.extra, err)
		}
		if sc.RouterLoadSlack == nil || *sc.RouterLoadSlack != c.want {
			t.Errorf("%q: router_load_slack %v, want %d", c.extra, sc.RouterLoadSlack, c.want)
		}
	}
}

// TestRelevanceDrawsPositive: an ads relevance with which none of the
// calibration auctions has a paying winner with more than MaxNoPayingWinner
// chance is refused at load, at its line and column, where the bids are
// scaled to a paid_cpc (the default 0.98 here), since no bid scale reaches
// it without a paying winner and the run failed only as it started (as
// normal(-3, 1) did, under the old cut-off of one draw in 10^12 above 0:
// review102 B4). A relevance that draws 0 only some of the time (a
// normal clamped to 0, empirical zeros among other values) ran before the
// check and loads, as does any relevance with paid_cpc: 0.
func TestRelevanceDrawsPositive(t *testing.T) {
	refused := []struct{ relevance, want string }{
		{"{dist: fixed, value: 0}", "t.yaml:19:51: ads.relevance.value: 0: with paid_cpc 0.98 it must be positive"},
		{"{dist: fixed, value: 0, min: 0.5}", "ads.relevance.value: 0: with paid_cpc 0.98 it must be positive"}, // the sampler does not clamp a fixed value
		{"{dist: empirical, values: [0, 0]}", "t.yaml:19:56: ads.relevance.values: dist empirical draws above 0 with chance 0 per draw, so with 4 bidders none of the 10000 auctions the bid scale is solved on has two bidders of relevance above 0 (a lone winner pays the reserve) with chance 1 (at most 1e-06 loads with paid_cpc 0.98)"},
		{"{dist: normal, mean: -3, std: 1}", "t.yaml:19:51: ads.relevance.mean: dist normal draws above 0 with chance 0.00135 per draw, so with 4 bidders none of the 10000 auctions the bid scale is solved on has two bidders of relevance above 0 (a lone winner pays the reserve) with chance 0.897"},
		{"{dist: empirical, values: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]}",
			"ads.relevance.values: dist empirical draws above 0 with chance 0.01 per draw"}, // with 4 bidders: two above 0 in 6e-4 of auctions
		{"{dist: poisson, mean: 1e-13}", "ads.relevance.mean: dist poisson draws above 0 with chance 1e-13 per draw"},
		{"{dist: normal, mean: -100, std: 1}", "ads.relevance.mean: dist normal draws above 0 with chance 0 per draw"},
	}
	for _, tt := range refused {
		src := strings.Replace(agentScenario, "ads: {bidders: 4}", "ads: {bidders: 4, relevance: "+tt.relevance+"}", 1)
		if _, _, err := Load("t.yaml", []byte(src), testCatalog{}); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("relevance %s: got %v, want an error with %q", tt.relevance, err, tt.want)
		}
	}
	for _, ads := range []string{
		"relevance: {dist: fixed, value: 0.5}",
		"relevance: {dist: empirical, values: [1, 0, 2, 3]}", // a bidder left out of a quarter of auctions
		"relevance: {dist: poisson, mean: 2}",
		"relevance: {dist: poisson, mean: 2, min: 0.1}", // floored
		"relevance: {dist: normal, mean: 1, std: 0.3}",  // 0 with chance 4e-4: a bidder left out of an auction
		"relevance: {dist: normal, mean: 1, std: 0.5}",
		"relevance: {dist: normal, mean: -1.5, std: 1}", // 0 in 93% of draws, but two bidders above 0 in 2.4% of auctions
		"relevance: {dist: normal, mean: -100, std: 1, min: 0.01}",
		"relevance: {dist: uniform, min: 0, max: 2}",
		"relevance: {dist: gamma, mean: 1, cv: 10}", // underflows 8e-4 of its draws to 0
		"relevance: {dist: exponential, mean: 1}",
		"relevance: {dist: lognormal, median: 1, p99: 4}",
		"relevance: {dist: fixed, value: 0}, paid_cpc: 0", // the bids as written: the run starts, and sells nothing
	} {
		src := strings.Replace(agentScenario, "ads: {bidders: 4}", "ads: {bidders: 4, "+ads+"}", 1)
		if _, _, err := Load("t.yaml", []byte(src), testCatalog{}); err != nil {
			t.Errorf("ads %s: %v", ads, err)
		}
	}
}

// TestRelevanceOwnErrorsOnly: a relevance that fails its distribution's own
// checks gets those errors alone, not a second one computed from the
// parameters refused ("chance NaN").
func TestRelevanceOwnErrorsOnly(t *testing.T) {
	for _, tt := range []struct{ relevance, want string }{
		{"{dist: normal, mean: 0, std: 0}", "ads.relevance.std: required: a positive std"},
		{"{dist: normal, mean: 1, std: -1}", "ads.relevance.std: required: a positive std"},
		{"{dist: gamma, mean: -1, cv: 1}", "ads.relevance.mean: required: a positive mean"},
		{"{dist: lognormal, median: 0, p99: 1}", "ads.relevance.median: required: a positive median"},
		{"{dist: normal, mean: 1, std: 1, min: -5}", "ads.relevance.min: must not be negative"},
	} {
		src := strings.Replace(agentScenario, "ads: {bidders: 4}", "ads: {bidders: 4, relevance: "+tt.relevance+"}", 1)
		_, _, err := Load("t.yaml", []byte(src), testCatalog{})
		if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Count(err.Error(), "t.yaml:") != 1 {
			t.Errorf("relevance %s: got %v, want one error, %q", tt.relevance, err, tt.want)
		}
	}
}

// TestNoPayingWinnerChance: the chance that none of the calibration
// auctions has a paying winner, against the binomial by hand.
func TestNoPayingWinnerChance(t *testing.T) {
	p := 0.5 * math.Erfc(3/math.Sqrt2) // normal(-3, 1) above 0
	pair := 1 - math.Pow(1-p, 4) - 4*p*math.Pow(1-p, 3)
	for _, tt := range []struct {
		p             float64
		bidders, need int
		want          float64
	}{
		{0, 4, 2, 1}, {1, 4, 2, 0}, {1, 1, 2, 1}, {0.5, 1, 1, math.Pow(0.5, AdsCalibrationAuctions)},
		{p, 4, 2, math.Pow(1-pair, AdsCalibrationAuctions)}, // 0.897: normal(-3, 1) failed the run
		{p, 4, 1, math.Pow(1-p, 4*AdsCalibrationAuctions)},  // at the reserve a lone winner pays
		{0.2, 4, 2, 0},
	} {
		if got := NoPayingWinnerChance(tt.p, tt.bidders, tt.need); math.Abs(got-tt.want) > 1e-9*tt.want || tt.want == 0 && got != 0 {
			t.Errorf("p %g, %d bidders, %d needed: %g, want %g", tt.p, tt.bidders, tt.need, got, tt.want)
		}
	}
}
