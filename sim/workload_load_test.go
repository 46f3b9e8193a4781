package sim

import (
	"math"
	"testing"
)

// TestWorkloadLoadKPIs: each workload reports its own time-averaged
// requests in the system, waiting and running, which add up to the run's.
// A closed loop of n clients with no think time holds n requests in the
// system whatever the fleet; the open-loop workload beside it has its own
// figures, so the fleet warnings can tell its queue from the loop's.
func TestWorkloadLoadKPIs(t *testing.T) {
	const clients = 300
	sc := scenario(t, `
name: mixed
horizon: 2m
model: llama-3.1-8b
fleet:
  instance: p5.48xlarge
  count: 1
  replica: {tp: 8, scheduler: vllm, max_num_seqs: 64, queue_timeout: 3s}
workloads:
  - name: loop
    class: api
    arrivals: {process: closed, clients: 300, think_time: 0s}
    prompt_tokens: 500
    output_tokens: 200
    price: {input_per_mtok: 0.22, output_per_mtok: 0.22}
  - name: chat
    class: api
    arrivals: {process: poisson, rate: 5/s}
    prompt_tokens: {dist: lognormal, median: 500, p99: 4000, max: 8000}
    output_tokens: {dist: lognormal, median: 200, p99: 1000, max: 2000}
    price: {input_per_mtok: 0.22, output_per_mtok: 0.22}
`)
	res, _ := run(t, sc)
	names := []string{"in_system_avg", "queue_depth_avg", "running_avg"}
	sums := map[string]float64{}
	for _, wl := range []string{"loop", "chat"} {
		in, queued, running := kpi(t, res, names[0], wl), kpi(t, res, names[1], wl), kpi(t, res, names[2], wl)
		if !(in > 0) || math.Abs(in-(queued+running)) > 1e-6*in {
			t.Errorf("%s: %g in the system on average, %g queued + %g running", wl, in, queued, running)
		}
		sums[names[0]] += in
		sums[names[1]] += queued
		sums[names[2]] += running
	}
	for _, n := range names {
		if all := kpi(t, res, n, ""); math.Abs(sums[n]-all) > 1e-9*all {
			t.Errorf("%s: the workloads' add up to %g, the run's is %g", n, sums[n], all)
		}
	}
	// Timed-out clients back off a second before sending again, so the
	// loop holds a little under its clients on average.
	if loop := kpi(t, res, "in_system_avg", "loop"); loop > clients+1e-6 || loop < 0.9*clients {
		t.Errorf("loop: %g in the system on average, want about its %d clients", loop, clients)
	}
	if kpi(t, res, "requests_timed_out", "") == 0 {
		t.Error("no request timed out: the test no longer covers a request leaving the queue early")
	}
}
