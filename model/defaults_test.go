package model

import (
	"fmt"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
)

// TestExplicitZerosRefused: a zero written for a field whose zero means
// "the default" is an error at its line, not silently replaced (issue 15.11).
func TestExplicitZerosRefused(t *testing.T) {
	cases := []struct{ name, old, new, want string }{
		{"count: 0", "count: 2", "count: 0", "t.yaml:5:10: fleet.count: 0 is not a value here (allowed: 1 to 100000)"},
		{"tp: 0", "tp: 32", "tp: 0", "t.yaml:6:17: fleet.replica.tp: 0 is not a value here (allowed: a value above 0)"},
		{"horizon: 0s", "model:", "horizon: 0s\nmodel:", "t.yaml:2:10: horizon: 0 is not a value here"},
		{"time_scale: 0", "arrivals: {rate: 1/s}", "arrivals: {trace: {path: t.csv, time_scale: 0}}", "workloads[1].arrivals.trace.time_scale: 0 is not a value here"},
		{"ads.ctr: 0", "ads: {bidders: 4}", "ads: {bidders: 4, ctr: 0}", "ads.ctr: 0 is not a value here (allowed: above 0, at most 1)"},
		// A negative training price read as none: the catalog's price was
		// billed without a word (review90 B7).
		{"training price negative", "ads: {bidders: 4}", "ads: {bidders: 4}\ntraining: {tokens: 1e9, price_usd_per_hour: -1}",
			"t.yaml:20:45: training.price_usd_per_hour: -1 is not a price"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := Load("t.yaml", []byte(strings.Replace(agentScenario, c.old, c.new, 1)), testCatalog{})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("want %q, got %v", c.want, err)
			}
		})
	}
}

// TestMeaningfulZerosKept: a zero written for a field whose zero is a value
// is kept, and leaving the field out gives the default.
func TestMeaningfulZerosKept(t *testing.T) {
	src := strings.NewReplacer("prefix_cache_hit: 0.5", "prefix_cache_hit: 0, system_prompt_tokens: 0",
		"replica: {tp: 32}", "replica: {tp: 32, memory_reserve: 0}\n  autoscale: {tolerance: 0, scale_down_stabilization: 0s}",
		"ads: {bidders: 4}", "ads: {bidders: 4, reserve: 0, latency_penalty: {floor: 0}}").Replace(agentScenario)
	sc, _, err := Load("t.yaml", []byte(src), testCatalog{})
	if err != nil {
		t.Fatal(err)
	}
	a := sc.Workloads[1].Agent
	if a.PrefixCacheHit == nil {
		t.Fatal("prefix_cache_hit: 0 was dropped; want an explicit override of 0")
	}
	as := sc.Fleet.Autoscale
	got := []float64{*a.PrefixCacheHit, float64(a.SystemPromptTokens), sc.Fleet.Replica.MemoryReserve, sc.Ads.Reserve, sc.Ads.LatencyPenalty.Floor,
		as.Tolerance, float64(as.ScaleDownStabilization), float64(as.Cooldown), sc.Ads.LatencyPenalty.LossPer100ms, sc.Ads.IntentProbability}
	want := []float64{0, 0, 0, 0, 0, 0, 0, float64(5 * Minute), DefaultLossPer100ms, DefaultIntentProbability}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("value %d: %v, want %v", i, got[i], want[i])
		}
	}
}

// TestGoScenarioResolvesAsItsYAML: a scenario built in Go from the
// constructors resolves to what its YAML resolves to (issue 17.4).
func TestGoScenarioResolvesAsItsYAML(t *testing.T) {
	fromYAML, _, err := Load("t.yaml", []byte(agentScenario+"training: {tokens: 1e9, instance: p5.48xlarge}\n"), testCatalog{})
	if err != nil {
		t.Fatal(err)
	}
	chat, shop := NewWorkload(), NewWorkload()
	chat.Name, chat.Class, chat.Arrivals.Rate = "chat", ClassAPI, 10
	chat.PromptTokens = Dist{Kind: "lognormal", Median: 800, P99: 6000}
	chat.OutputTokens = Fixed(250)
	shop.Name, shop.Class, shop.Arrivals.Rate = "shop", ClassAgent, 1
	shop.PromptTokens, shop.OutputTokens = Fixed(100), Fixed(50)
	agent := NewAgent()
	agent.PrefixCacheHit = new(float64)
	*agent.PrefixCacheHit = 0.5
	shop.Agent = &agent
	ads, training := NewAds(), NewTraining()
	ads.Bidders, training.Tokens, training.Instance = 4, 1e9, "p5.48xlarge"
	goSc := &Scenario{Name: "t", Model: ModelRef{Name: "llama-3.3-70b"}, Workloads: []Workload{chat, shop}, Ads: &ads, Training: &training,
		Fleet: Fleet{Instance: "trn2.48xlarge", Count: 2, Replica: NewReplica()}}
	goSc.Fleet.Replica.TP = 32
	if errs := Resolve(goSc, nil, testCatalog{}); len(errs) > 0 {
		t.Fatal(errs)
	}
	a, _ := yaml.Marshal(fromYAML)
	b, _ := yaml.Marshal(goSc)
	if string(a) != string(b) {
		t.Fatalf("resolved from YAML:\n%s\nresolved from Go:\n%s", a, b)
	}
}

// TestBatchDefaultsByClass: a batch workload's priority and discount
// default by class, also when its price mapping is given without them.
func TestBatchDefaultsByClass(t *testing.T) {
	for _, c := range []struct {
		price    string
		discount float64
	}{{"{input_per_mtok: 1}", 0.5}, {"{input_per_mtok: 1, batch_discount: 0}", 0}} {
		src := validScenario + "  - name: offline\n    class: batch\n    arrivals: {rate: 1/s}\n    prompt_tokens: 100\n    output_tokens: 10\n    price: " + c.price + "\n"
		sc, _, err := Load("t.yaml", []byte(src), testCatalog{})
		if err != nil {
			t.Fatal(err)
		}
		b := sc.Workloads[1]
		if b.Priority != DefaultBatchPriority || b.Price.BatchDiscount != c.discount || sc.Workloads[0].Price.BatchDiscount != 0 || sc.Workloads[0].Priority != 0 {
			t.Errorf("price %s: batch priority %d discount %v, api priority %d discount %v", c.price, b.Priority, b.Price.BatchDiscount, sc.Workloads[0].Priority, sc.Workloads[0].Price.BatchDiscount)
		}
	}
}

// TestHeadsMustDivideOnVLLM: vLLM refuses attention heads that the TP
// degree does not divide, on any chip, and so does TensorRT-LLM, which a
// GPU's static scheduler stands for; Neuron's own schedulers pad them
// (issue 15.11; runner notes NxD Inference's rule on Trainium).
func TestHeadsMustDivideOnVLLM(t *testing.T) {
	inline := "model: {name: odd, hidden: 2560, layers: 2, heads: 20, kv_heads: 4, ffn: 6912, vocab: 32000, max_context: 4096}"
	scenario := func(instance string, tp int, scheduler string) string {
		return strings.NewReplacer("model: llama-3.3-70b", inline, "instance: trn2.48xlarge", "instance: "+instance,
			"tp: 32", fmt.Sprintf("tp: %d, scheduler: %s", tp, scheduler)).Replace(validScenario)
	}
	for _, tt := range []struct {
		instance  string
		tp        int
		scheduler string
		want      string // "" = loads
	}{
		{"p5.48xlarge", 8, "vllm", "fleet.replica.tp: odd has 20 attention heads, not divisible by tp 8 (vLLM requires it)"},
		{"p5.48xlarge", 4, "vllm", ""},
		{"p5.48xlarge", 8, "static", "fleet.replica.tp: odd has 20 attention heads, not divisible by tp 8 (TensorRT-LLM, which a GPU's static scheduler stands for, requires it as vLLM does)"},
		{"p5.48xlarge", 4, "static", ""},
		{"trn2.48xlarge", 8, "vllm", "not divisible by tp 8 (vLLM requires it)"},
		{"trn2.48xlarge", 8, "neuron", ""},
		{"trn2.48xlarge", 8, "static", ""},
	} {
		_, _, err := Load("t.yaml", []byte(scenario(tt.instance, tt.tp, tt.scheduler)), testCatalog{})
		if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("%s TP %d %s: %v, want %q", tt.instance, tt.tp, tt.scheduler, err, tt.want)
		}
	}
}

// TestPaidCPCDefaultsUnderEitherPricing: ads.paid_cpc defaults to the
// published median CPC under cpc and cpm pricing alike (under cpm the bids
// are solved per click, then bid per mille), and a written 0 (bids as
// written) stays 0. A default below the reserve's price per click, which no
// bid scale reaches, is dropped to 0, and why is kept for run to warn with.
func TestPaidCPCDefaultsUnderEitherPricing(t *testing.T) {
	for _, c := range []struct {
		ads     string
		want    float64
		dropped string // in Ads.DroppedPaidCPC; "" for none
	}{
		{"ads: {bidders: 4}", DefaultPaidCPCUSD, ""},
		{"ads: {bidders: 4, pricing: cpm}", DefaultPaidCPCUSD, ""},
		{"ads: {bidders: 4, paid_cpc: 0}", 0, ""},
		{"ads: {bidders: 4, paid_cpc: 1.5}", 1.5, ""},
		// The default below the reserve's price per click ($2 at ctr
		// 0.0001 under cpm) is no target: the bids are used as written,
		// where it was an error on a field nobody wrote.
		{"ads: {bidders: 4, pricing: cpm, ctr: 0.0001}", 0, "0.98 is below the reserve 0.2 per mille ($2 per click at ctr 0.0001), which every winner pays at least"},
		{"ads: {bidders: 4, reserve: 1.5}", 0, "0.98 is below the reserve 1.5, which every winner pays at least"},
		// Nor is a default above it with one bidder, who pays the reserve.
		{"ads: {bidders: 1}", 0, "0.98 is above the reserve 0.2, and with bidders: 1 the lone winner has no next bid to pay"},
		{"ads: {bidders: 1, paid_cpc: 0.2, reserve: 0.2}", 0.2, ""},
		{"ads: {bidders: 1, paid_cpc: 0}", 0, ""},
	} {
		sc, _, err := Load("t.yaml", []byte(strings.Replace(agentScenario, "ads: {bidders: 4}", c.ads, 1)), testCatalog{})
		if err != nil {
			t.Fatalf("%s: %v", c.ads, err)
		}
		if sc.Ads.PaidCPC != c.want {
			t.Errorf("%s: paid_cpc %v, want %v", c.ads, sc.Ads.PaidCPC, c.want)
		}
		if got := sc.Ads.DroppedPaidCPC; (got == "") != (c.dropped == "") || !strings.Contains(got, c.dropped) {
			t.Errorf("%s: dropped %q, want %q", c.ads, got, c.dropped)
		}
	}
}

// TestZeroBids: bids of 0 (ads.bid: 0, advertisers who bid nothing) are a
// value: the auctions sell the slots for nothing at a reserve of 0, to no
// one above it. No scale of them reaches a paid CPC, so the default
// paid_cpc is dropped (the bids as written) with why kept for run to warn
// with, and a paid_cpc the scenario writes is refused at its line, naming
// ads.bid: the run failed as it started, on the default nobody wrote ("no
// bid scale reaches $0.98 per click"). A lognormal median or exponential
// mean of 0 is still no distribution, and the error says to write 0.
func TestZeroBids(t *testing.T) {
	const dropped = "0.98 is out of reach of bids that are all 0 (ads.bid): a bid of 0 scaled is 0"
	for _, c := range []struct {
		ads, want string // want: the error, or the dropped default's reason after "drop:"
	}{
		{"ads: {bidders: 4, bid: 0}", "drop:" + dropped},
		{"ads: {bidders: 4, bid: {dist: fixed, value: 0}, reserve: 0}", "drop:" + dropped},
		{"ads: {bidders: 4, bid: {dist: empirical, values: [0, 0]}}", "drop:" + dropped},
		{"ads: {bidders: 4, bid: 0, paid_cpc: 0}", "drop:"},
		{"ads: {bidders: 4, bid: {dist: empirical, values: [0, 1]}}", "drop:"}, // some bid: scaled as usual
		{"ads: {bidders: 4, bid: 0, paid_cpc: 0.98}", "t.yaml:19:37: ads.paid_cpc: " + dropped + "; give paid_cpc: 0"},
		{"ads: {bidders: 4, bid: {dist: lognormal, median: 0, p99: 1}}",
			"t.yaml:19:50: ads.bid.median: required: a positive median (dist lognormal); for bids of 0 write 0 (dist fixed)"},
	} {
		sc, _, err := Load("t.yaml", []byte(strings.Replace(agentScenario, "ads: {bidders: 4}", c.ads, 1)), testCatalog{})
		reason, drop := strings.CutPrefix(c.want, "drop:")
		switch {
		case !drop:
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s: %v, want %q", c.ads, err, c.want)
			}
		case err != nil:
			t.Errorf("%s: %v", c.ads, err)
		case (sc.Ads.DroppedPaidCPC == "") != (reason == "") || !strings.Contains(sc.Ads.DroppedPaidCPC, reason) ||
			reason != "" && sc.Ads.PaidCPC != 0:
			t.Errorf("%s: paid_cpc %v, dropped %q; want %q", c.ads, sc.Ads.PaidCPC, sc.Ads.DroppedPaidCPC, reason)
		}
	}
}

// TestWrittenPaidCPCEqualToTheDefaultRefused: a paid_cpc the scenario
// writes is refused where no bid scale reaches it, even when it equals the
// default (a file citing the benchmark's 0.98): only the default, which
// nobody wrote, is dropped. Judged by value, the written 0.98 was dropped
// as "the default" and the bids used as written without a word.
func TestWrittenPaidCPCEqualToTheDefaultRefused(t *testing.T) {
	for _, ads := range []string{"ads: {bidders: 1, paid_cpc: 0.98}", "ads: {bidders: 4, reserve: 5, paid_cpc: 0.98}"} {
		_, _, err := Load("t.yaml", []byte(strings.Replace(agentScenario, "ads: {bidders: 4}", ads, 1)), testCatalog{})
		if err == nil || !strings.Contains(err.Error(), "ads.paid_cpc: 0.98 is") || !strings.Contains(err.Error(), "t.yaml:") {
			t.Errorf("%s: %v, want ads.paid_cpc refused at its line", ads, err)
		}
	}
}

// TestEmptyListsRefused: an empty list written for a list the defaults
// pass fills when empty is refused at its line, saying what to write, in
// the file, through an alias and by --set: ads.workloads: [] ran ads on
// every agent workload, the opposite of what it says, and diurnal: [] ran
// flat.
func TestEmptyListsRefused(t *testing.T) {
	cases := []struct {
		name, old, new string
		set            []Override
		want           string
	}{
		{"ads.workloads", "ads: {bidders: 4}", "ads: {bidders: 4, workloads: []}", nil,
			"t.yaml:19:30: ads.workloads: an empty list names no workload: list the agent workloads that show ads, " +
				"or leave the field out for every agent workload (for no ads, leave ads out or set it to null: ads: null, or --set ads=null)"},
		{"ads.workloads by --set", "", "", []Override{{Path: "ads.workloads", Value: "[]"}},
			"ads.workloads: an empty list names no workload"},
		{"diurnal", "arrivals: {rate: 1/s}", "arrivals: {rate: 1/s, diurnal: []}", nil,
			"t.yaml:15:36: workloads[1].arrivals.diurnal: an empty list is no profile: write flat, default or 24 hourly multipliers, or leave the field out for flat"},
		{"diurnal through an alias", "arrivals: {rate: 1/s}", "arrivals: {rate: 1/s, diurnal: *none}", nil,
			"t.yaml:16:36: workloads[1].arrivals.diurnal: an empty list is no profile"},
		{"diurnal by --set", "", "", []Override{{Path: "workloads[shop].arrivals.diurnal", Value: "[]"}},
			"workloads[1].arrivals.diurnal: an empty list is no profile"},
		{"context_buckets", "replica: {tp: 32}", "replica: {tp: 32, context_buckets: []}", nil,
			"t.yaml:6:38: fleet.replica.context_buckets: an empty list compiles no shape: list the token lengths to compile, " +
				"or leave the field out (or write null) for powers of two from 128"},
		{"a pool's sequence_buckets by --set", "fleet:\n", "pools: [{name: p, model: llama-3.3-70b, fleet: {instance: trn2.48xlarge}}]\nfleet:\n",
			[]Override{{Path: "pools[p].fleet.replica.sequence_buckets", Value: "[]"}},
			"pools[0].fleet.replica.sequence_buckets: an empty list compiles no shape"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := []byte(strings.Replace(agentScenario, c.old, c.new, 1))
			if strings.Contains(c.new, "*none") {
				src = []byte(strings.Replace(string(src), "fleet:\n", "pools: &none []\nfleet:\n", 1))
			}
			if c.set != nil {
				var err error
				if src, err = ApplyOverrides(src, c.set); err != nil {
					t.Fatal(err)
				}
			}
			_, _, err := Load("t.yaml", src, testCatalog{})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("want %q, got %v", c.want, err)
			}
		})
	}
}
