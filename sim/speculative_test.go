package sim

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestSpeculativeTokensPerStep checks the accepted-count draw against the
// formula (1 - a^(k+1)) / (1 - a): the formula against the distribution's
// own mean (sum of its probabilities), and the draws' mean against both.
func TestSpeculativeTokensPerStep(t *testing.T) {
	for _, tc := range []struct {
		k int
		a float64
	}{{1, 0.5}, {4, 0}, {4, 0.7}, {5, 0.9}, {8, 0.3}} {
		t.Run(fmt.Sprintf("k=%d,a=%g", tc.k, tc.a), func(t *testing.T) {
			// P(n tokens) = a^(n-1) (1-a) for n <= k, a^k for n = k+1.
			exact := 0.0
			for n := 1; n <= tc.k; n++ {
				exact += float64(n) * math.Pow(tc.a, float64(n-1)) * (1 - tc.a)
			}
			exact += float64(tc.k+1) * math.Pow(tc.a, float64(tc.k))
			got := ExpectedTokensPerStep(tc.k, tc.a)
			if math.Abs(got-exact) > 1e-12 {
				t.Fatalf("ExpectedTokensPerStep = %v, distribution mean %v", got, exact)
			}
			s := &speculation{k: tc.k, a: tc.a, rng: rand.New(rand.NewPCG(1, 2))}
			r := &request{output: 1 << 30}
			const draws = 200_000
			sum := 0
			for i := 0; i < draws; i++ {
				n := int(s.tokens(r))
				if n < 1 || n > tc.k+1 {
					t.Fatalf("draw %d outside 1..%d", n, tc.k+1)
				}
				sum += n
			}
			if mean := float64(sum) / draws; math.Abs(mean/exact-1) > 0.01 {
				t.Errorf("mean of draws %.4f, formula %.4f", mean, exact)
			}
		})
	}
}

func specScenario(scheduler, instance string, tp int, spec string) string {
	return fmt.Sprintf(`name: spec
horizon: 1h
drain: true
model: llama-3.3-70b
fleet:
  instance: %s
  price_usd_per_hour: 1 # cost plays no part here
  replica: {tp: %d, per_instance: 1, scheduler: %s, max_num_seqs: 8, max_model_len: 4096%s}
workloads:
  - name: b
    class: api
    arrivals: {process: burst, count: 1}
    prompt_tokens: 500
    output_tokens: 1501
`, instance, tp, scheduler, spec)
}

// specRun returns a lone request's TPOT and the run's decode iterations.
func specRun(t *testing.T, src string) (tpot float64, decodeSteps int64, w *World) {
	t.Helper()
	sink := &MemorySink{}
	w, err := New(Config{Scenario: scenario(t, src), Sink: sink})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Run(t.Context()); err != nil {
		t.Fatal(err)
	}
	if len(sink.Reqs) != 1 {
		t.Fatalf("%d requests recorded", len(sink.Reqs))
	}
	r := sink.Reqs[0]
	if r.OutputTokens != 1501 {
		t.Fatalf("generated %d tokens, want 1501", r.OutputTokens)
	}
	return float64(r.FinishNs-r.FirstTokenNs) / 1e9 / 1500, w.replicas[0].iterations - 1, w
}

// TestSpeculativeDecoding checks speculation end to end on vLLM (p5) and
// Neuron (trn2): a lone request's decode steps match the expected yield;
// acceptance 0 costs about the proposer's k steps more per token than no
// speculation; TPOT falls as acceptance rises.
func TestSpeculativeDecoding(t *testing.T) {
	for _, hw := range []struct {
		sched, inst string
		tp          int
	}{{"vllm", "p5.48xlarge", 8}, {"neuron", "trn2.48xlarge", 32}} {
		t.Run(hw.sched, func(t *testing.T) {
			base, _, _ := specRun(t, specScenario(hw.sched, hw.inst, hw.tp, ""))
			const k = 4
			spec := func(a float64) string {
				return fmt.Sprintf(", speculative: {draft: llama-3.1-8b, k: %d, acceptance: %g}", k, a)
			}
			tp0, steps0, w := specRun(t, specScenario(hw.sched, hw.inst, hw.tp, spec(0)))
			if steps0 != 1500 {
				t.Errorf("acceptance 0: %d decode steps, want 1500", steps0)
			}
			// The proposer's k steps at the mean context, on a batch of one.
			draft := float64(k) * w.spec.draft.iteration(1, 1, 1, 500+750).sec
			t.Logf("TPOT %.2f ms plain, %.2f ms at acceptance 0; proposer %.2f ms per step", base*1e3, tp0*1e3, draft*1e3)
			if extra := tp0 - base; extra < 0.8*draft || extra > 1.5*draft {
				t.Errorf("acceptance 0 adds %.3f ms per token, proposer costs %.3f ms", extra*1e3, draft*1e3)
			}
			prev := tp0
			for _, a := range []float64{0.5, 0.8, 0.95} {
				tpot, steps, _ := specRun(t, specScenario(hw.sched, hw.inst, hw.tp, spec(a)))
				want := 1500 / ExpectedTokensPerStep(k, a)
				t.Logf("acceptance %g: TPOT %.2f ms, %d steps (expected %.0f)", a, tpot*1e3, steps, want)
				if math.Abs(float64(steps)/want-1) > 0.08 {
					t.Errorf("acceptance %g: %d decode steps, expected %.0f", a, steps, want)
				}
				if tpot >= prev {
					t.Errorf("acceptance %g: TPOT %.3f ms, not below %.3f ms", a, tpot*1e3, prev*1e3)
				}
				prev = tpot
			}
			if prev >= base {
				t.Errorf("acceptance 0.95: TPOT %.3f ms, not below plain decoding %.3f ms", prev*1e3, base*1e3)
			}
		})
	}
}

// TestEagleDraftIsOneLayer: an EAGLE head is one decoder layer of the
// target's kind with full attention. For Llama-4 Maverick (24 MoE and 24
// dense layers, 36 of them chunked) it once kept the 24 dense layers while
// its layer count fell to one: MoE layers -23, weights negative.
func TestEagleDraftIsOneLayer(t *testing.T) {
	src := strings.Replace(specScenario("vllm", "p5en.48xlarge", 8, ", speculative: {draft: eagle, k: 3, acceptance: 0.7}"),
		"model: llama-3.3-70b", "model: llama-4-maverick-17b-128e", 1)
	w, err := New(Config{Scenario: scenario(t, src), Sink: &MemorySink{}})
	if err != nil {
		t.Fatal(err)
	}
	s, pl := w.pools[0].env.spec, w.pools[0]
	d := s.draft.arch
	if d.Layers != 1 || d.MoELayers() != 1 || d.DenseLayers != 0 || d.SlidingLayers != 0 {
		t.Errorf("draft: %d layers, %d MoE, %d dense, %d windowed; want 1, 1, 0, 0", d.Layers, d.MoELayers(), d.DenseLayers, d.SlidingLayers)
	}
	// Its weights are the target's mean layer: between a dense and an MoE layer's.
	perLayer := (pl.arch.WeightBytesPerDevice(pl.shard) - d.WeightBytesPerDevice(pl.shard)) / float64(pl.arch.Layers-1)
	_, draftWeightBytes, _, err := pl.arch.Proposer("eagle", pl.shard)
	if err != nil {
		t.Fatal(err)
	}
	if draftWeightBytes <= 0 || draftWeightBytes != perLayer {
		t.Errorf("draft weights %.3g B per device, want the target's mean layer %.3g", draftWeightBytes, perLayer)
	}
	if it := s.draft.iteration(1, 1, 1, 1000); !(it.sec > 0) {
		t.Errorf("draft step %v s", it.sec)
	}
}

// TestProposerPrefillPaysNoPromptFixedCost: an EAGLE head's prefill runs
// inside the target's prompt iteration, so a lone request's TTFT grows by
// the head's one layer and LM head, not by a second prompt-encoding fixed
// cost (28 ms on Trainium2, which made it +26% for Llama-3.3-70B at TP32).
func TestProposerPrefillPaysNoPromptFixedCost(t *testing.T) {
	ttft := func(spec string) float64 {
		sink := &MemorySink{}
		w, err := New(Config{Scenario: scenario(t, specScenario("neuron", "trn2.48xlarge", 32, spec)), Sink: sink})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Run(context.Background()); err != nil {
			t.Fatal(err)
		}
		r := sink.Reqs[0]
		return float64(r.FirstTokenNs-r.ArrivalNs) / 1e9
	}
	plain, eagle := ttft(""), ttft(", speculative: {draft: eagle, k: 3, acceptance: 0.7}")
	if !(eagle > plain) || eagle > 1.05*plain {
		t.Errorf("TTFT %.1f ms with an EAGLE head, %.1f ms without: want a little more (one layer and the LM head)", eagle*1e3, plain*1e3)
	}
}
