package sim

import (
	"crypto/sha256"
	"fmt"
	"strings"
	"testing"

	"aiecon/model"
)

// digestRun runs a scenario into a memory sink and hashes every record.
func digestRun(t *testing.T, sc *model.Scenario, noLeap, noImplicit bool) (map[string]string, *Result) {
	return digestRunWorld(t, sc, noLeap, noImplicit, nil)
}

func digestRunWorld(t *testing.T, sc *model.Scenario, noLeap, noImplicit bool, inspect func(*World)) (map[string]string, *Result) {
	t.Helper()
	sink := &MemorySink{}
	w, err := New(Config{Scenario: sc, Sink: sink})
	if err != nil {
		t.Fatal(err)
	}
	w.noLeap, w.noImplicit = noLeap, noImplicit
	res, err := w.Run(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if inspect != nil {
		inspect(w)
	}
	// Everything but the number of events, which leaps exist to reduce.
	parts := map[string]any{"requests": sink.Reqs, "sessions": sink.Sess, "auctions": sink.Auct,
		"windows": sink.Wins, "kpis": sink.Summary.KPIs, "replicas": sink.Summary.Replicas, "sim time": sink.Summary.SimNs}
	out := map[string]string{}
	for name, v := range parts {
		out[name] = fmt.Sprintf("%x", sha256.Sum256([]byte(fmt.Sprintf("%+v", v))))
	}
	return out, res
}

// windowedL31 is Llama-3.1-8B's shape with a window of %d tokens on %d of
// its layers.
const windowedL31 = `model: {name: l31-windowed, hidden: 4096, layers: 32, heads: 32, kv_heads: 8, ffn: 14336, vocab: 128256,
  max_context: 131072, sliding_window: %d, sliding_layers: %d}`

// replaceOnce is strings.Replace of old's first occurrence, failing the test
// where s has none: a case built from another's text would otherwise
// silently test that other case again once its text changes.
func replaceOnce(t *testing.T, s, old, new string) string {
	t.Helper()
	if !strings.Contains(s, old) {
		t.Fatalf("case text has no %q", old)
	}
	return strings.Replace(s, old, new, 1)
}

// TestLeapsAreExact: planning decode iterations in leaps is an optimisation
// only: every record and KPI must be byte-identical to iterating one by one,
// under vLLM and Neuron scheduling, with agents abandoning mid-leap, ads,
// autoscaling, replicas lent to training, draining past the horizon, and
// reserve-max admission.
func TestLeapsAreExact(t *testing.T) {
	cases := map[string]string{
		"vllm": small8b + "drain: true\n",
		"neuron agents ads": replaceOnce(t, agentsAds, `  instance: p5.48xlarge
  count: 1
  replica: {tp: 8, scheduler: vllm, max_num_seqs: 64}`, `  instance: trn2.48xlarge
  count: 1
  pricing: capacity-block
  replica: {tp: 32, scheduler: neuron, max_num_seqs: 16, max_model_len: 8192}`),
		"autoscale": smallL4 + `
    arrivals: {process: poisson, rate: 1.5/s, diurnal: default}
fleet:
  instance: g6.xlarge
  autoscale: {min: 1, max: 5, target: 0.5, provision_delay: 10m, cooldown: 10m, interval: 2m}
  replica: {tp: 1, scheduler: vllm, max_num_seqs: 32, max_model_len: 8192}
`,
		"lending": smallL4 + `
    arrivals: {process: poisson, rate: 3/s, diurnal: default}
fleet:
  instance: g6.xlarge
  count: 3
  replica: {tp: 1, scheduler: vllm, max_num_seqs: 32, max_model_len: 8192}
training: {tokens: 1e8, kind: lora, where: fleet-idle}
`,
	}
	baseline, err := model.Builtin("baseline")
	if err != nil {
		t.Fatal(err)
	}
	cases["baseline"] = string(baseline)
	// KV-starved agents with the prefix cache on: a leap's KV reservation
	// evicts cached prefixes that a cut leap never gives back.
	cases["baseline kv-starved"] = replaceOnce(t, replaceOnce(t, string(baseline), "count: 4", "count: 1"),
		"replica: {tp: 32, scheduler: neuron,", "replica: {kv_memory_fraction: 0.05, tp: 32, scheduler: vllm,")
	cases["kv preemption"] = starvedL4
	// The same KV-starved fleet admitting on reservations: decoders hold
	// every block they will need, so the implicit path never falls back.
	cases["reserve-max"] = replaceOnce(t, cases["kv preemption"], "max_model_len: 8192}", "max_model_len: 8192, admission: reserve-max}")
	// Windowed layers (kvlayout.go): requests shorter and longer than the
	// window grow by different units per block, and the long ones hold a
	// fixed window from their first block; a hybrid model (half the layers
	// windowed) and one whose every layer is (its window about the median
	// request, so that short requests still run it out of blocks).
	cases["kv preemption, hybrid window"] = replaceOnce(t, cases["kv preemption"], "model: llama-3.1-8b", fmt.Sprintf(windowedL31, 1024, 16))
	cases["agents, hybrid window"] = replaceOnce(t, agentsAds, "model: llama-3.1-8b", fmt.Sprintf(windowedL31, 256, 16))
	cases["kv preemption, all windowed"] = replaceOnce(t, cases["kv preemption"], "model: llama-3.1-8b", fmt.Sprintf(windowedL31, 2048, 32))
	for name, src := range cases {
		t.Run(name, func(t *testing.T) {
			sc := scenario(t, src)
			if name == "baseline kv-starved" {
				sc.Horizon = 900e9
			}
			if sc.Horizon > 6*3600e9 {
				sc.Horizon = 6 * 3600e9
			}
			if strings.HasPrefix(name, "kv preemption") || name == "reserve-max" {
				sc.Horizon = 600e9
				sc.Workloads[0].OutputTokens.Median, sc.Workloads[0].OutputTokens.P99 = 1500, 1900
			}
			slow, resSlow := digestRun(t, sc, true, true)
			for _, mode := range []struct {
				name               string
				noLeap, noImplicit bool
			}{{"implicit decoders", true, false}, {"leaps", false, true}, {"both", false, false}} {
				fast, resFast := digestRunWorld(t, sc, mode.noLeap, mode.noImplicit, func(w *World) {
					if !mode.noImplicit && w.sched.implicitDecoders() && w.implicitIters == 0 {
						t.Errorf("%s: no iteration ran with implicit decoders", mode.name)
					}
					if strings.HasPrefix(name, "kv preemption") && !mode.noImplicit && w.fallbackIters == 0 {
						t.Errorf("%s: the KV-starved case never fell back to the explicit scheduler", mode.name)
					}
				})
				for part := range slow {
					if slow[part] != fast[part] {
						t.Errorf("%s: %s differ", mode.name, part)
					}
				}
				if t.Failed() {
					for i := range resSlow.KPIs {
						a, b := resSlow.KPIs[i], resFast.KPIs[i]
						if fmt.Sprint(a) != fmt.Sprint(b) {
							t.Errorf("KPI %s (%s): plain %v, %s %v", a.Name, a.Scope, a.Value, mode.name, b.Value)
						}
					}
					t.Fatalf("%s: records differ (events %d plain, %d)", mode.name, resSlow.Events, resFast.Events)
				}
				t.Logf("%s: identical; events %d plain, %d", mode.name, resSlow.Events, resFast.Events)
			}
		})
	}
}
