package sim

import (
	"fmt"
	"testing"

	"aiecon/sim/engine"
)

// tokenProbe records a replica's token counters every period.
type tokenProbe struct {
	w          *World
	ev         engine.Event
	every      int64
	at         []int64
	dec, iters []int64
}

func (pr *tokenProbe) Handle(*engine.Event) {
	p := pr.w.replicas[0]
	pr.at = append(pr.at, pr.w.eng.Now())
	pr.dec = append(pr.dec, p.decodeTok)
	pr.iters = append(pr.iters, p.iterations)
	if next := pr.w.eng.Now() + pr.every; next < 1e9 { // the long prompt arrives at 100 ms
		pr.w.eng.Schedule(&pr.ev, next)
	}
}

// between returns the decode tokens and iterations counted by probes in
// [from, to].
func (pr *tokenProbe) between(from, to int64) (dec, iters int64) {
	first, last := -1, -1
	for i, t := range pr.at {
		if t >= from && first < 0 {
			first = i
		}
		if t <= to {
			last = i
		}
	}
	if first < 0 || last <= first {
		return 0, 0
	}
	return pr.dec[last] - pr.dec[first], pr.iters[last] - pr.iters[first]
}

// TestNeuronChunkedPrefill runs a 6,000-token prompt arriving while four
// requests decode, with 1,024-token segments, under neuron and
// neuron-chunked. Under both the long prompt's TTFT spans at least six
// iterations; under neuron the decoders stall while it prefills, under
// neuron-chunked they keep decoding (one token per iteration), so they
// finish sooner. (Decode tokens are counted when a leap ends, so under neuron
// the leap in progress when the long prompt arrives may add a few.)
func TestNeuronChunkedPrefill(t *testing.T) {
	type result struct {
		ttft, decodersDone int64
		decInPrefill       int64
		itersInPrefill     int64
	}
	res := map[string]result{}
	for _, sched := range []string{"neuron", "neuron-chunked"} {
		src := fmt.Sprintf(`name: chunked
horizon: 1m
drain: true
model: llama-3.1-8b
fleet:
  instance: trn2.48xlarge
  pricing: capacity-block
  replica: {tp: 8, per_instance: 1, scheduler: %s, max_num_seqs: 8, max_model_len: 8192, max_batched_tokens: 1024}
workloads:
  - name: short
    class: api
    arrivals: {process: burst, count: 4}
    prompt_tokens: 100
    output_tokens: 600
  - name: long
    class: api
    arrivals: {process: burst, count: 1, at: 100ms}
    prompt_tokens: 6000
    output_tokens: 10
`, sched)
		sink := &MemorySink{}
		w, err := New(Config{Scenario: scenario(t, src), Sink: sink})
		if err != nil {
			t.Fatal(err)
		}
		pr := &tokenProbe{w: w, every: 50_000}
		pr.ev.Init(pr, 0)
		w.eng.Schedule(&pr.ev, 0)
		if _, err := w.Run(t.Context()); err != nil {
			t.Fatal(err)
		}
		var r result
		var longArrival int64
		for _, q := range sink.Reqs {
			if q.Workload == 1 {
				longArrival, r.ttft = q.ArrivalNs, q.FirstTokenNs-q.ArrivalNs
			} else {
				r.decodersDone = max(r.decodersDone, q.FinishNs)
			}
		}
		r.decInPrefill, r.itersInPrefill = pr.between(longArrival, longArrival+r.ttft)
		t.Logf("%s: long TTFT %.1f ms over %d iterations, %d decode tokens meanwhile; decoders done at %.1f ms",
			sched, float64(r.ttft)/1e6, r.itersInPrefill, r.decInPrefill, float64(r.decodersDone)/1e6)
		res[sched] = r
	}
	n, c := res["neuron"], res["neuron-chunked"]
	for name, r := range res {
		if r.itersInPrefill < 5 { // six segments; the probes may miss one at either end
			t.Errorf("%s: the long prompt's TTFT spans %d iterations, want about 6", name, r.itersInPrefill)
		}
	}
	if n.decInPrefill > 8 {
		t.Errorf("neuron: %d decode tokens during the long prefill, want decoding paused", n.decInPrefill)
	}
	if c.decInPrefill < 4*(c.itersInPrefill-2) {
		t.Errorf("neuron-chunked: %d decode tokens over %d iterations of the long prefill, want 4 per iteration", c.decInPrefill, c.itersInPrefill)
	}
	if c.decodersDone >= n.decodersDone {
		t.Errorf("decoders done at %d ns with chunked prefill, not before %d ns", c.decodersDone, n.decodersDone)
	}
}
