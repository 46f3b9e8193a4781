package model

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
)

// testCatalog is a two-instance catalog written for these tests (package
// model cannot import hw; the real adapter is sim.Catalog).
type testCatalog struct{}

func (testCatalog) Instance(name string) (InstanceFacts, error) {
	switch name {
	case "trn2.48xlarge":
		return InstanceFacts{Name: name, Family: "neuron", Devices: 64, DeviceMemoryBytes: 24e9,
			TPDegrees: []int{1, 2, 4, 8, 16, 32, 64}, PriceUSDPerHour: map[string]float64{"on-demand": 85.964},
			Schedulers: []string{"neuron", "static", "vllm"}}, nil
	case "p5.48xlarge":
		return InstanceFacts{Name: name, Family: "gpu", Devices: 8, DeviceMemoryBytes: 80e9,
			TPDegrees: []int{1, 2, 4, 8}, PriceUSDPerHour: map[string]float64{"on-demand": 98.32},
			Schedulers: []string{"vllm", "static"}}, nil
	case "trn1.32xlarge":
		return InstanceFacts{Name: name, Family: "neuron", Devices: 32, DeviceMemoryBytes: 16e9,
			TPDegrees: []int{1, 2, 4, 8, 16, 32}, PriceUSDPerHour: map[string]float64{"on-demand": 21.5},
			Schedulers: []string{"neuron", "static", "vllm"}}, nil
	case "p6-b200.48xlarge":
		return InstanceFacts{Name: name, Family: "gpu", Devices: 8, DeviceMemoryBytes: 180e9, TPDegrees: []int{1, 2, 4, 8},
			Schedulers: []string{"vllm", "static"}}, nil
	}
	return InstanceFacts{}, fmt.Errorf("unknown instance %q", name)
}

const validScenario = `name: t
model: llama-3.3-70b
fleet:
  instance: trn2.48xlarge
  count: 2
  replica: {tp: 32}
workloads:
  - name: chat
    class: api
    arrivals: {rate: 10/s}
    prompt_tokens: {dist: lognormal, median: 800, p99: 6000}
    output_tokens: 250
`

func TestLoadValidAndDefaults(t *testing.T) {
	sc, _, err := Load("t.yaml", []byte(validScenario), testCatalog{})
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"seed", sc.Seed, uint64(1)},
		{"horizon", sc.Horizon, Hour},
		{"window", sc.Window, Minute},
		{"scheduler (neuron instance)", sc.Fleet.Replica.Scheduler, "neuron"},
		{"max_model_len capped at 16384 on neuron", sc.Fleet.Replica.MaxModelLen, 16384},
		{"kv block", sc.Fleet.Replica.KVBlockTokens, 32},
		{"router", sc.Router, "session-affinity"},
		{"pricing", sc.Fleet.Pricing, "on-demand"},
		{"process", sc.Workloads[0].Arrivals.Process, "poisson"},
		{"diurnal", sc.Workloads[0].Arrivals.Diurnal.Name, "flat"},
		{"fixed output", sc.Workloads[0].OutputTokens.Kind, "fixed"},
		{"weights dtype", string(sc.Precision.Weights), "bf16"},
		{"sample rate", sc.Output.RequestSampleRate, 1.0},
		{"last context bucket", sc.Fleet.Replica.ContextBuckets[len(sc.Fleet.Replica.ContextBuckets)-1], 16384},
	}
	for _, c := range checks {
		if fmt.Sprint(c.got) != fmt.Sprint(c.want) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	// The resolved scenario round-trips: marshal, load again, same YAML.
	out, err := yaml.Marshal(sc)
	if err != nil {
		t.Fatal(err)
	}
	sc2, _, err := Load("resolved.yaml", out, testCatalog{})
	if err != nil {
		t.Fatalf("resolved YAML does not load:\n%s\n%v", out, err)
	}
	out2, _ := yaml.Marshal(sc2)
	if string(out) != string(out2) {
		t.Fatalf("resolving is not idempotent:\n%s\n---\n%s", out, out2)
	}
	// Under a minute of horizon, the default window is the horizon (a
	// minute was refused as longer than it).
	short, _, err := Load("t.yaml", []byte("horizon: 30s\n"+validScenario), testCatalog{})
	if err != nil || short.Window != 30*Second {
		t.Errorf("horizon 30s: window %v, %v; want 30s", short.Window, err)
	}
}

// TestLoadErrors: each broken scenario yields an error naming the file, the
// line and column, the field and what is allowed.
func TestLoadErrors(t *testing.T) {
	cases := []struct {
		name string
		edit func(string) string
		want []string // substrings of the error
	}{
		{"unknown key", func(s string) string { return strings.Replace(s, "  count: 2", "  cnt: 2", 1) },
			[]string{"t.yaml:5:3", "fleet.cnt", `unknown field "cnt"`, "allowed here: autoscale, count"}},
		{"wrong type", func(s string) string { return strings.Replace(s, "count: 2", "count: two", 1) },
			[]string{"t.yaml:5:10", "fleet.count", "want an integer", `"two"`}},
		// go-yaml alone truncates a fraction into an integer field: 2.5
		// instances ran 2, without a word.
		// Go's type names ("[]interface {}") reached the user for a list
		// or a mapping where a number belongs.
		{"list where a count belongs", func(s string) string { return strings.Replace(s, "count: 2", "count: [1, 2]", 1) },
			[]string{"t.yaml:5:10", "fleet.count: want an integer, got a list"}},
		{"mapping where a count belongs", func(s string) string { return strings.Replace(s, "count: 2", "count: {a: 1}", 1) },
			[]string{"fleet.count: want an integer, got a mapping"}},
		{"binary where a count belongs", func(s string) string { return strings.Replace(s, "count: 2", "count: !!binary AAAA", 1) },
			[]string{"fleet.count: want an integer, got binary data (!!binary)"}},
		// -1 is an integer: the error gives the seed's range.
		{"negative seed", func(s string) string { return "seed: -1\n" + s },
			[]string{"t.yaml:1:7", "seed: -1 is out of range (allowed: 1 to 2^63-1 = 9223372036854775807)"}},
		{"fraction where a count belongs", func(s string) string { return strings.Replace(s, "count: 2", "count: 2.5", 1) },
			[]string{"t.yaml:5:10", "fleet.count", "want an integer, got 2.5"}},
		{"fraction in an inline model", func(s string) string {
			return strings.Replace(s, "model: llama-3.3-70b", "model: {name: m, hidden: 64, layers: 2, heads: 4, kv_heads: 4, ffn: 128.5, vocab: 100, max_context: 512}", 1)
		},
			[]string{"model.ffn", "want an integer, got 128.5"}},
		// Under an anchor, errors still name the field.
		{"unknown key under an anchor", func(s string) string {
			return strings.Replace(strings.Replace(s, "fleet:\n", "fleet: &f\n", 1), "  count: 2", "  cnt: 2", 1)
		},
			[]string{"t.yaml:5:3", "fleet.cnt", `unknown field "cnt"`}},
		{"rate without unit", func(s string) string { return strings.Replace(s, "rate: 10/s", "rate: 10", 1) },
			[]string{"t.yaml:10:22", "workloads[0].arrivals.rate", "needs a unit"}},
		{"duration without unit", func(s string) string { return "horizon: 10\n" + s },
			[]string{"t.yaml:1:10", "horizon", "needs a unit"}},
		{"horizon under a second", func(s string) string { return "horizon: 500ms\n" + s },
			[]string{"horizon", "500ms is out of range (allowed: 1s to 366d)"}},
		{"window past a shortened horizon", func(s string) string { return "horizon: 10s\nwindow: 1m\n" + s },
			[]string{"window", "1m is longer than the horizon 10s", "--set window=10s"}},
		// A bucket of 10^9 padded every prompt to it; the fleet read as overloaded.
		{"bucket past the model's context", func(s string) string {
			return strings.Replace(s, "tp: 32}", "tp: 32, context_buckets: [1024, 1000000000]}", 1)
		}, []string{"fleet.replica.context_buckets", "the largest bucket 1000000000 is past the model's max context 131072"}},
		{"unknown instance", func(s string) string { return strings.Replace(s, "trn2.48xlarge", "trn9.large", 1) },
			[]string{"t.yaml:4:13", "fleet.instance", "unknown instance"}},
		{"unsupported tp", func(s string) string { return strings.Replace(s, "tp: 32", "tp: 3", 1) },
			[]string{"fleet.replica.tp", "not a supported degree", "1, 2, 4, 8, 16, 32, 64"}},
		{"weights do not fit", func(s string) string { return strings.Replace(s, "tp: 32", "tp: 1", 1) },
			[]string{"fleet.replica.tp", "do not fit", "raise tp"}},
		{"missing p99", func(s string) string { return strings.Replace(s, ", p99: 6000", "", 1) },
			[]string{"workloads[0].prompt_tokens.p99", "required"}},
		{"out of range", func(s string) string {
			return strings.Replace(s, "count: 2", "count: -1\n  pricing: spot\n  spot: {discount: 1.5}", 1)
		},
			[]string{"fleet.spot.discount", "out of range"}},
		{"autoscale tolerance of 1", func(s string) string {
			return strings.Replace(s, "  count: 2", "  count: 2\n  autoscale: {tolerance: 1}", 1)
		}, []string{"t.yaml:6:26", "fleet.autoscale.tolerance", "1 is out of range (allowed: 0 to below 1"}},
		{"negative autoscale tolerance", func(s string) string {
			return strings.Replace(s, "  count: 2", "  count: 2\n  autoscale:\n    tolerance: -0.1", 1)
		}, []string{"t.yaml:7:16", "fleet.autoscale.tolerance", "-0.1 is out of range"}},
		{"negative stabilization window", func(s string) string {
			return strings.Replace(s, "  count: 2", "  count: 2\n  autoscale: {scale_down_stabilization: -1m}", 1)
		}, []string{"t.yaml:6:41", "fleet.autoscale.scale_down_stabilization", "must not be negative"}},
		{"bad class", func(s string) string { return strings.Replace(s, "class: api", "class: chatbot", 1) },
			[]string{"workloads[0].class", `unknown class "chatbot"`, "api, agent, batch"}},
		// A class or a rate left out is required; one given wrong is named
		// as given (a missing class read `unknown class ""`, a negative
		// rate "required").
		{"missing class", func(s string) string { return strings.Replace(s, "    class: api\n", "", 1) },
			[]string{"t.yaml:8:9", "workloads[0].class: required: api, agent or batch"}},
		{"missing rate", func(s string) string {
			return strings.Replace(s, "arrivals: {rate: 10/s}", "arrivals: {process: poisson}", 1)
		},
			[]string{"workloads[0].arrivals.rate: required: a positive rate such as 40/s"}},
		{"negative rate", func(s string) string { return strings.Replace(s, "rate: 10/s", "rate: -1/s", 1) },
			[]string{"t.yaml:10:22", "workloads[0].arrivals.rate: -1/s: want a positive rate such as 40/s"}},
		{"zero rate", func(s string) string { return strings.Replace(s, "rate: 10/s", "rate: 0/min", 1) },
			[]string{"t.yaml:10:22", "workloads[0].arrivals.rate: 0/s: want a positive rate such as 40/s"}},
		{"missing workloads", func(s string) string { return s[:strings.Index(s, "workloads:")] },
			[]string{"workloads", "required"}},
		{"unknown model", func(s string) string { return strings.Replace(s, "llama-3.3-70b", "gpt-9", 1) },
			[]string{"t.yaml:2:8", "model", "gpt-9"}},
		{"no price in catalog", func(s string) string {
			return strings.Replace(strings.Replace(s, "trn2.48xlarge", "p6-b200.48xlarge", 1), "tp: 32", "tp: 8", 1)
		}, []string{"fleet.price_usd_per_hour", "no on-demand price"}},
		// An owned fleet's cost per server-hour has no catalog figure: the
		// error is placed at pricing: owned (it was the fleet's first line).
		{"owned without its cost", func(s string) string { return strings.Replace(s, "count: 2", "count: 2\n  pricing: owned", 1) },
			[]string{"t.yaml:6:12: fleet.price_usd_per_hour", "required with pricing: owned", "--set fleet.price_usd_per_hour=N"}},
		{"unknown pricing", func(s string) string { return strings.Replace(s, "count: 2", "count: 2\n  pricing: leased", 1) },
			[]string{"fleet.pricing", `unknown pricing "leased"`, "spot, owned"}},
		{"syntax", func(s string) string { return s + "  bad: [\n" }, []string{"t.yaml:"}},
		{"duration in a token count", func(s string) string { return strings.Replace(s, "output_tokens: 250", "output_tokens: 250ms", 1) },
			[]string{"workloads[0].output_tokens", "not a duration"}},
		// A distribution's duration past the century is out of range, and
		// says so (it read "want a number or a duration").
		{"duration out of range in a distribution", func(s string) string {
			return strings.Replace(s, "output_tokens: 250", "output_tokens: 250\n    agent: {steps: 2, tool_latency: {dist: exponential, mean: 40000d}}", 1)
		}, []string{"tool_latency.mean", "out of range (between -36500d and 36500d)"}},
		// A fixed 0 was run as one generated token, silently.
		{"no output token", func(s string) string { return strings.Replace(s, "output_tokens: 250", "output_tokens: 0", 1) },
			[]string{"t.yaml:12:20", "workloads[0].output_tokens: 0: a model call has at least one token of each"}},
		{"ads without agents", func(s string) string { return s + "ads: {slots: 2}\n" },
			[]string{"ads", "no workload has class agent"}},
		{"paid CPC below the reserve", func(s string) string { return s + "ads: {paid_cpc: 0.1, reserve: 0.2}\n" },
			[]string{"ads.paid_cpc", "below the reserve 0.2"}},
		// Second price with one bidder charges the reserve: a target above
		// it failed at run time, after the scenario was called valid.
		{"paid CPC above the reserve with one bidder", func(s string) string { return s + "ads: {paid_cpc: 1, reserve: 0.2, bidders: 1, slots: 20}\n" },
			[]string{"ads.paid_cpc", "1 is above the reserve 0.2", "with bidders: 1", "raise ads.bidders"}},
		// A window of 1 token holds no output token beside the prompt's
		// one: every call was run generating nothing.
		{"max_model_len of one token", func(s string) string {
			return strings.Replace(s, "replica: {tp: 32}", "replica: {tp: 32, max_model_len: 1}", 1)
		}, []string{"fleet.replica.max_model_len: 1 is out of range (allowed: 2, a prompt token and an output token, to the model's max context"}},
		{"unknown patience_on", func(s string) string {
			return strings.Replace(s, "class: api", "class: agent\n    agent: {patience_on: answer}", 1)
		},
			[]string{"t.yaml:10:26", "workloads[0].agent.patience_on", `unknown value "answer"`, "ttft, e2e, turn"}},
		{"paid CPC below a CPM reserve's price per click", func(s string) string { return s + "ads: {paid_cpc: 0.2, reserve: 1, ctr: 0.004, pricing: cpm}\n" },
			[]string{"ads.paid_cpc", "below the reserve 1 per mille ($0.25 per click at ctr 0.004)", "give paid_cpc: 0 to use the bids as written"}},
		{"int4 is for weights only", func(s string) string { return s + "precision: {activations: int4, kv_cache: awq}\n" },
			[]string{"precision.activations: int4 is a weight format only", "precision.kv_cache: int4 is a weight format only"}},
		{"a published format aiecon does not model", func(s string) string { return s + "precision: {weights: nvfp4}\n" },
			[]string{"precision.weights", `"nvfp4" is not a format aiecon models`, "docs/model.md"}},
		{"int4 beside fp8 compute", func(s string) string { return s + "precision: {weights: gptq, activations: fp8}\n" },
			[]string{"precision.activations", "int4 weights (precision.weights) compute in bf16 or fp16 (W4A16)", "fp8 activations"}},
		{"a misspelt format", func(s string) string { return s + "precision: {weights: bf61}\n" },
			[]string{"precision.weights", `unknown dtype "bf61"`, "fp32, bf16, fp16, fp8, int8, int4"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := Load("t.yaml", []byte(c.edit(validScenario)), testCatalog{})
			if err == nil {
				t.Fatal("no error")
			}
			var errs Errors
			if !errors.As(err, &errs) {
				t.Fatalf("error %T is not model.Errors: %v", err, err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not mention %q:\n%v", w, err)
				}
			}
		})
	}
}

func TestUnits(t *testing.T) {
	durations := map[string]Duration{"300ms": 300 * Millisecond, "2s": 2 * Second, "1h30m": 90 * Minute, "7d": 7 * Day, "1.5d": 36 * Hour}
	for s, want := range durations {
		if got, err := ParseDuration(s); err != nil || got != want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	for _, bad := range []string{"", "10", "ten minutes", "5x"} {
		if _, err := ParseDuration(bad); err == nil {
			t.Errorf("ParseDuration(%q) accepted", bad)
		}
	}
	for d, want := range map[Duration]string{7 * Day: "7d", Hour: "1h", 10 * Minute: "10m", 300 * Millisecond: "300ms", 1500 * Millisecond: "1.5s"} {
		if d.String() != want {
			t.Errorf("%d ns prints %q, want %q", int64(d), d.String(), want)
		}
	}
	rates := map[string]float64{"40/s": 40, "2400/min": 40, "36/h": 0.01, "86400/d": 1}
	for s, want := range rates {
		if got, err := ParseRate(s); err != nil || float64(got) != want {
			t.Errorf("ParseRate(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	for _, bad := range []string{"40", "40/week", "x/s"} {
		if _, err := ParseRate(bad); err == nil {
			t.Errorf("ParseRate(%q) accepted", bad)
		}
	}
}

func TestDiurnalProfile(t *testing.T) {
	d := Diurnal{Name: "default"}
	sum := 0.0
	for h := 0; h < 24; h++ {
		sum += d.Multiplier(float64(h))
	}
	if mean := sum / 24; mean < 0.99 || mean > 1.01 {
		t.Fatalf("default profile mean %v, want 1", mean)
	}
	if d.Multiplier(3.5) >= d.Multiplier(20) {
		t.Fatalf("trough at 03:30 (%v) should be below the evening peak (%v)", d.Multiplier(3.5), d.Multiplier(20))
	}
	if got := d.Multiplier(24 + 5); got != d.Multiplier(5) {
		t.Fatalf("profile does not wrap at 24h: %v vs %v", got, d.Multiplier(5))
	}
	// Piecewise linear between hourly points.
	if mid, want := d.Multiplier(10.5), (defaultDiurnal[10]+defaultDiurnal[11])/2; mid != want {
		t.Fatalf("Multiplier(10.5) = %v, want %v", mid, want)
	}
}

func TestOverrides(t *testing.T) {
	src := []byte(validScenario)
	out, err := ApplyOverrides(src, []Override{{Path: "fleet.count", Value: "8"}, {Path: "workloads[chat].arrivals.rate", Value: "20/s"}, {Path: "seed", Value: "7"}})
	if err != nil {
		t.Fatal(err)
	}
	sc, _, err := Load("o.yaml", out, testCatalog{})
	if err != nil {
		t.Fatal(err)
	}
	if sc.Fleet.Count != 8 || sc.Workloads[0].Arrivals.Rate != 20 || sc.Seed != 7 {
		t.Fatalf("overrides not applied: count %d rate %v seed %d", sc.Fleet.Count, sc.Workloads[0].Arrivals.Rate, sc.Seed)
	}
	bad := []struct {
		set  Override
		want string
	}{
		{Override{Path: "fleet.cnt", Value: "8"}, "nearest valid paths: fleet.count"},
		{Override{Path: "workloads[nope].arrivals.rate", Value: "1/s"}, `no element named "nope"`},
		{Override{Path: "workloads[5].arrivals.rate", Value: "1/s"}, "out of range"},
		{Override{Path: "fleet..count", Value: "1"}, "bad path"},
		// A list or a block is a field of the scenario, not an unknown
		// one: what --set cannot do is set it whole.
		{Override{Path: "workloads", Value: "[]"}, "--set workloads: workloads is a list, and --set sets one field, not a whole list or block; " +
			"set a field of an element, as workloads[NAME].FIELD=VALUE or workloads[0].FIELD=VALUE (fields: "},
		{Override{Path: "fleet", Value: "null"}, "--set fleet: fleet is a block of fields, and --set sets one field, not a whole block; " +
			"set one of its fields, as fleet.FIELD=VALUE (fields: autoscale, count, instance, price_usd_per_hour, pricing, replica, spot)"},
		{Override{Path: "workloads[0]", Value: "{name: chat}"}, "--set workloads[0]: workloads[0] is a block of fields"},
		// An optional block takes null (it is removed); any other value is refused.
		{Override{Path: "workloads[chat].agent", Value: "{steps: 3}"}, "set one of its fields, as workloads[chat].agent.FIELD=VALUE, " +
			"or workloads[chat].agent=null to remove the block"},
	}
	for _, b := range bad {
		if _, err := ApplyOverrides(src, []Override{b.set}); err == nil || !strings.Contains(err.Error(), b.want) {
			t.Errorf("--set %s: error %v, want it to mention %q", b.set, err, b.want)
		}
	}
	if _, err := ParseOverride("no-equals"); err == nil {
		t.Error("ParseOverride accepted a value without =")
	}
	// A value's byte-order mark named the stored run ("t [fleet.count=\ufeff2]").
	if o, err := ParseOverride("fleet.count=\ufeff2"); err != nil || o.String() != "fleet.count=2" {
		t.Errorf("a value with a byte-order mark: %q, %v; want fleet.count=2", o.String(), err)
	}
}

func TestPathsCoverSchema(t *testing.T) {
	paths := Paths()
	for _, want := range []string{"fleet.replica.tp", "workloads[].arrivals.rate", "workloads[].agent.patience.median", "ads.latency_penalty.threshold", "model.hidden", "training.every"} {
		found := false
		for _, p := range paths {
			found = found || p == want
		}
		if !found {
			t.Errorf("Paths() lacks %s", want)
		}
	}
	if keys := KnownKeys("fleet"); strings.Join(keys, ",") != "autoscale,count,instance,price_usd_per_hour,pricing,replica,spot" {
		t.Errorf("KnownKeys(fleet) = %v", keys)
	}
}

func TestVariants(t *testing.T) {
	src := validScenario + `variants:
  - name: gpu
    set: {fleet.instance: p5.48xlarge, fleet.replica.tp: 8, fleet.count: 4}
  - name: cheap
    set:
      workloads[chat].arrivals.rate: 5/s
`
	sc, _, err := Load("v.yaml", []byte(src), testCatalog{})
	if err != nil {
		t.Fatal(err)
	}
	if len(sc.Variants) != 2 {
		t.Fatalf("%d variants", len(sc.Variants))
	}
	ovs, err := sc.Variants[0].Overrides()
	if err != nil || len(ovs) != 3 || ovs[0].String() != "fleet.instance=p5.48xlarge" || ovs[2].String() != "fleet.count=4" {
		t.Fatalf("overrides %v, %v", ovs, err)
	}
	bad := validScenario + "variants:\n  - name: x\n    set: {fleet.cnt: 3}\n  - name: x\n    set: {seed: 2}\n"
	_, _, err = Load("v.yaml", []byte(bad), testCatalog{})
	if err == nil || !strings.Contains(err.Error(), "unknown field fleet.cnt") || !strings.Contains(err.Error(), `duplicate variant "x"`) {
		t.Fatalf("bad variants: %v", err)
	}
}

// TestVariantsCapped: variants had no bound, and each is a whole run (20,000
// loaded for minutes before the first ran); past MaxVariants the scenario is
// refused at the variants field's line.
func TestVariantsCapped(t *testing.T) {
	withVariants := func(n int) string {
		var b strings.Builder
		b.WriteString(validScenario + "variants:\n")
		for i := range n {
			fmt.Fprintf(&b, "  - {name: v%d, set: {fleet.count: %d}}\n", i, i+1)
		}
		return b.String()
	}
	if _, _, err := Load("t.yaml", []byte(withVariants(MaxVariants)), testCatalog{}); err != nil {
		t.Fatalf("%d variants must load: %v", MaxVariants, err)
	}
	_, _, err := Load("t.yaml", []byte(withVariants(MaxVariants+1)), testCatalog{})
	var errs Errors
	if !errors.As(err, &errs) || len(errs) != 1 || errs[0].Field != "variants" || errs[0].Line != 14 ||
		!strings.Contains(errs[0].Msg, "257 variants; at most 256") {
		t.Fatalf("want one error at variants (line 14) saying 257 of at most 256, got %v", err)
	}
}

// An owned fleet (a forecast's owned variant) is priced at the cost its
// scenario gives per server-hour, under its own pricing label.
func TestOwnedPricing(t *testing.T) {
	src := strings.Replace(validScenario, "count: 2", "count: 2\n  pricing: owned\n  price_usd_per_hour: 13.5", 1)
	sc, _, err := Load("t.yaml", []byte(src), testCatalog{})
	if err != nil {
		t.Fatal(err)
	}
	if usd, given := sc.Fleet.OwnPrice(); sc.Fleet.Pricing != "owned" || !given || usd != 13.5 {
		t.Errorf("pricing %v at %v (given %v), want owned at 13.5", sc.Fleet.Pricing, usd, given)
	}
}

// TestFieldErrorUnplaced: a problem's text without its file, line or
// --set, and without an empty field's ": ".
func TestFieldErrorUnplaced(t *testing.T) {
	for _, c := range []struct {
		e    FieldError
		want string
	}{
		{FieldError{File: "a.yaml", Line: 3, Col: 5, Field: "fleet.count", Msg: "must be >= 1"}, "fleet.count: must be >= 1"},
		{FieldError{File: "--set fleet.count=0", Field: "fleet.count", Msg: "must be >= 1"}, "fleet.count: must be >= 1"},
		{FieldError{File: "a.yaml", Msg: "want one YAML document"}, "want one YAML document"},
	} {
		if got := c.e.Unplaced(); got != c.want {
			t.Errorf("%v: Unplaced() = %q, want %q", c.e, got, c.want)
		}
	}
}

// TestErrorsAreCapped: an error list prints its first MaxShownErrors
// problems and how many more there are; a sweep file listing a value
// 300,000 times printed every duplicate, 21 MB on stderr.
func TestErrorsAreCapped(t *testing.T) {
	for _, tt := range []struct {
		n         int
		lines     int
		wantTrail string
	}{
		{1, 1, "f.yaml:1:1: x: problem 0"},
		{MaxShownErrors, MaxShownErrors, fmt.Sprintf("problem %d", MaxShownErrors-1)},
		{MaxShownErrors + 1, MaxShownErrors + 1, fmt.Sprintf("and 1 more (%d problems in all); fix the ones above and run again", MaxShownErrors+1)},
		{300_000, MaxShownErrors + 1, "and 299980 more (300000 problems in all)"},
	} {
		es := make(Errors, tt.n)
		for i := range es {
			es[i] = FieldError{File: "f.yaml", Line: i + 1, Col: 1, Field: "x", Msg: fmt.Sprintf("problem %d", i)}
		}
		lines := strings.Split(es.Error(), "\n")
		if len(lines) != tt.lines || !strings.Contains(lines[len(lines)-1], tt.wantTrail) {
			t.Errorf("%d errors: %d lines ending %q; want %d ending with %q", tt.n, len(lines), lines[len(lines)-1], tt.lines, tt.wantTrail)
		}
	}
}
