package sim

import (
	"crypto/sha256"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"aiecon/hw"
	"aiecon/model"
	"aiecon/model/llm"
)

// TestLittlesLaw checks L = lambda W on a drained serving run: the
// time-average number of requests in the system (integrated by the simulator
// as requests come and go) equals the arrival rate times the mean time in
// system (measured independently from the request records). On a drained
// sample path the identity is exact, so any lost, double-counted or
// mis-timed request shows up; the tolerance is 1%.
func TestLittlesLaw(t *testing.T) {
	sc := scenario(t, small8b+"drain: true\n")
	res, sink := run(t, sc)
	simS := float64(res.SimNs) / 1e9
	var n int
	var sumW float64
	for _, r := range sink.Reqs {
		if r.Status != StatusCompleted {
			t.Fatalf("request %d ended %v in a drained run without limits", r.ID, r.Status)
		}
		n++
		sumW += float64(r.FinishNs-r.ArrivalNs) / 1e9
	}
	if n < 5000 {
		t.Fatalf("only %d requests; the test needs a busy run", n)
	}
	lambda := float64(n) / simS
	W := sumW / float64(n)
	L := kpi(t, res, "in_system_avg", "")
	rel := math.Abs(L-lambda*W) / L
	t.Logf("L = %.4f, lambda W = %.4f x %.4f s = %.4f (relative error %.2g)", L, lambda, W, lambda*W, rel)
	if rel > 0.01 {
		t.Fatalf("Little's law off by %.2f%%", 100*rel)
	}
}

// TestDeterminism runs the same scenario and seed four times, with
// GOMAXPROCS 1 and 2, and requires byte-identical records and KPIs.
func TestDeterminism(t *testing.T) {
	src := small8b + `
  - name: shop
    class: agent
    arrivals: {process: gamma, rate: 2/s, cv: 3}
    prompt_tokens: 100
    output_tokens: {dist: lognormal, median: 80, p99: 400}
    agent: {steps: {dist: poisson, mean: 3}, patience: {dist: lognormal, median: 3s, p99: 20s}}
    price: {input_per_mtok: 0.22, output_per_mtok: 0.22}
ads: {intent_probability: 0.5}
`
	digest := func() string {
		_, sink := run(t, scenario(t, src))
		h := sha256.New()
		fmt.Fprintf(h, "%+v\n%+v\n%+v\n%+v\n%+v\n%+v", sink.Meta, sink.Reqs, sink.Sess, sink.Auct, sink.Wins, sink.Summary)
		return fmt.Sprintf("%x", h.Sum(nil))
	}
	prev := runtime.GOMAXPROCS(0)
	defer runtime.GOMAXPROCS(prev)
	var first string
	for i, procs := range []int{1, 2, 1, 2} {
		runtime.GOMAXPROCS(procs)
		d := digest()
		if i == 0 {
			first = d
			continue
		}
		if d != first {
			t.Fatalf("run %d (GOMAXPROCS %d) digest %s differs from the first %s", i, procs, d, first)
		}
	}
}

// TestStepCostMatchesFullOps checks the cached decomposition of an
// iteration's cost against pricing llm.IterationOps in one go.
func TestStepCostMatchesFullOps(t *testing.T) {
	for _, name := range []string{"llama-3.3-70b", "mixtral-8x7b"} {
		arch, err := llm.Lookup(name)
		if err != nil {
			t.Fatal(err)
		}
		inst, _ := hw.InstanceByName("trn2.48xlarge")
		serving, _ := hw.DefaultServing(hw.StepNeuronV3)
		perf, err := hw.NewPerf(inst, 32, hw.AssumedEfficiency, serving)
		if err != nil {
			t.Fatal(err)
		}
		sh := llm.Shard{TP: 32, Weights: llm.BF16, Activations: llm.BF16, KV: llm.BF16}
		c := newStepCoster(arch, sh, perf)
		rng := rand.New(rand.NewPCG(3, 4))
		for trial := 0; trial < 300; trial++ {
			var it llm.Iteration
			for i := rng.IntN(4); i > 0; i-- {
				it.Prefill = append(it.Prefill, llm.PrefillChunk{Tokens: 1 + rng.IntN(2000), Offset: rng.IntN(4000), Last: rng.IntN(2) == 0})
			}
			for i := rng.IntN(64); i > 0; i-- {
				it.Decode = append(it.Decode, llm.DecodeSeq{Context: 1 + rng.IntN(8000)})
			}
			if it.Tokens() == 0 {
				continue
			}
			want := perf.IterationSeconds(arch.IterationOps(nil, sh, it), arch.Layers, len(it.Prefill) > 0)
			c.chunks = append(c.chunks[:0], it.Prefill...)
			got := c.iteration(it.Tokens(), it.Logits(), len(it.Decode), it.SumContext())
			if math.Abs(got.sec-want) > 1e-12*want {
				t.Fatalf("%s trial %d: cached %.9g s, direct %.9g s", name, trial, got.sec, want)
			}
		}
	}
}

// TestRequestConservation: with a queue limit and a queue timeout under
// overload, every arrival ends exactly one way and drops are counted.
func TestRequestConservation(t *testing.T) {
	sc := scenario(t, small8b)
	sc.Workloads[0].Arrivals.Rate = 200 // far beyond capacity
	sc.Fleet.Replica.QueueLimit = 300
	sc.Fleet.Replica.QueueTimeout = 2e9
	sc.Workloads[0].SLO = model.SLO{TTFT: 3 * model.Second}
	res, sink := run(t, sc)
	arrived := kpi(t, res, "requests_arrived", "")
	ended := kpi(t, res, "requests_completed", "") + kpi(t, res, "requests_dropped", "") + kpi(t, res, "requests_timed_out", "") +
		kpi(t, res, "requests_abandoned", "") + kpi(t, res, "requests_unfinished", "")
	if arrived != ended || arrived != float64(len(sink.Reqs)) {
		t.Fatalf("arrived %v, ended %v, records %d", arrived, ended, len(sink.Reqs))
	}
	counts := map[RequestStatus]int{}
	for _, r := range sink.Reqs {
		counts[r.Status]++
		if r.Status == StatusTimedOut && r.FinishNs-r.ArrivalNs != 2e9 {
			t.Fatalf("request %d timed out after %d ns, want 2 s", r.ID, r.FinishNs-r.ArrivalNs)
		}
	}
	if counts[StatusQueueFull] == 0 || counts[StatusTimedOut] == 0 {
		t.Fatalf("overload produced no queue-full or timeout drops: %v", counts)
	}
	if float64(counts[StatusQueueFull]) != kpi(t, res, "requests_dropped", "") || float64(counts[StatusTimedOut]) != kpi(t, res, "requests_timed_out", "") {
		t.Fatalf("dropped (queue full) and timed-out KPIs disagree with records %v", counts)
	}
	// A request the fleet turned away missed its SLO: attainment counts the
	// drops and time-outs, or overload would raise it by shedding requests.
	met := 0
	for _, r := range sink.Reqs {
		if r.Status == StatusCompleted && r.FirstTokenNs-r.ArrivalNs <= 3e9 {
			met++
		}
	}
	want := float64(met) / float64(counts[StatusCompleted]+counts[StatusQueueFull]+counts[StatusTimedOut])
	if got := kpi(t, res, "slo_attainment", ""); met == 0 || math.Abs(got-want) > 1e-9 {
		t.Fatalf("slo_attainment %.4f, want %.4f (%d met of %v)", got, want, met, counts)
	}
}
