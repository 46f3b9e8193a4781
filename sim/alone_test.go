package sim

import (
	"context"
	"fmt"
	"testing"
)

// TestAloneMatchesLoneRequest checks scheduler.aloneSec, the latency of the
// no-contention world (counterfactual.go), against the simulator itself: one
// request at a time on one replica, each taking exactly what aloneSec says
// when it runs alone. On trn2 the prompts and contexts cross compiled
// buckets (2,049 tokens prefill in the 4,096 bucket; 4,000 + 200 decode
// across the 4,096 sequence bucket), which a static batch pads as the Neuron
// schedulers do. The simulator rounds each iteration up to a whole
// nanosecond and aloneSec rounds the sum once, so they may differ by up to
// one nanosecond per iteration (output tokens, plus one).
func TestAloneMatchesLoneRequest(t *testing.T) {
	cases := []struct {
		sched          string
		prompt, output int
	}{
		{"static", 2049, 1},
		{"static", 2049, 300},
		{"static", 4000, 200},
		{"static", 100, 50},
		{"neuron", 2049, 1},
		{"neuron", 4000, 200},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%s/%d+%d", c.sched, c.prompt, c.output), func(t *testing.T) {
			sc := scenario(t, fmt.Sprintf(`name: alone
horizon: 1m
drain: true
model: llama-3.1-8b
fleet:
  instance: trn2.48xlarge
  count: 1
  price_usd_per_hour: 1
  replica: {tp: 64, per_instance: 1, scheduler: %s, max_num_seqs: 1, prefix_caching: false}
workloads:
  - name: chat
    class: api
    arrivals: {process: poisson, rate: 0.1/s}
    prompt_tokens: %d
    output_tokens: %d
`, c.sched, c.prompt, c.output))
			sink := &MemorySink{}
			w, err := New(Config{Scenario: sc, Sink: sink})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := w.Run(context.Background()); err != nil {
				t.Fatal(err)
			}
			env := w.replicas[0].inst.pool.env
			alone := secondsToNs(env.sched.aloneSec(env, c.prompt, 0, c.output))
			tol := int64(c.output + 1)
			ran := 0
			for _, r := range sink.Reqs {
				if r.StartNs != r.ArrivalNs || r.FinishNs < 0 || r.OutputTokens != int32(c.output) {
					continue // waited behind another: not alone
				}
				ran++
				if d := r.FinishNs - r.StartNs - alone; d < -tol || d > tol {
					t.Fatalf("request %d ran alone in %d ns, aloneSec says %d ns (off by %d ns, tolerance %d)", r.ID, r.FinishNs-r.StartNs, alone, d, tol)
				}
			}
			if ran == 0 {
				t.Fatal("no request ran alone")
			}
		})
	}
}
