package sim

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"aiecon/sim/engine"
)

// expServer is a test scheduler that makes a replica a single exponential
// server: one request at a time, its whole service (a one-token answer) in
// one iteration of exponential length with mean meanS. It lets the closed
// loop be checked against queueing theory through the real world: routing,
// queues, completion and the clients' think times.
type expServer struct {
	rng   *rand.Rand
	meanS float64
}

func (e *expServer) implicitDecoders() bool                      { return false }
func (e *expServer) joinsRunningBatch() bool                     { return false }
func (e *expServer) leapCost(*replica, int) stepCost             { return stepCost{} }
func (e *expServer) aloneSec(*replicaEnv, int, int, int) float64 { return e.meanS }
func (e *expServer) plan(p *replica) (stepCost, bool) {
	r := p.peekWaiting()
	if r == nil {
		return stepCost{}, false
	}
	n := r.target - r.prefilled
	if !p.reserve(r, r.kv+n) {
		panic("expServer: KV cache too small for one request")
	}
	p.admit(r)
	p.plan = append(p.plan, planItem{r: r, id: r.id, n: n, prefill: true})
	p.prefillTokens, p.decodeTokens = n, 0
	return stepCost{sec: e.meanS * e.rng.ExpFloat64()}, true
}

// repairman is the exact machine-repairman (M/M/1//N) model: N clients with
// exponential think times of mean z, one exponential server of mean s. From
// the state probabilities p_n = p_0 N!/(N-n)! (s/z)^n, the throughput is
// X = (1 - p_0)/s and the mean response time R = N/X - z.
func repairman(n int, s, z float64) (x, r float64) {
	term, sum := 1.0, 1.0
	for k := 1; k <= n; k++ {
		term *= float64(n-k+1) * s / z
		sum += term
	}
	p0 := 1 / sum
	x = (1 - p0) / s
	return x, float64(n)/x - z
}

func closedScenario(clients int, think string) string {
	return fmt.Sprintf(`name: closed
horizon: 30m
model: llama-3.1-8b
fleet:
  instance: p5.48xlarge
  replica: {tp: 8, per_instance: 1, scheduler: vllm, max_num_seqs: 64}
workloads:
  - name: users
    class: api
    arrivals: {process: closed, clients: %d, think_time: %s}
    prompt_tokens: 200
    output_tokens: %s
`, clients, think, "%s")
}

// TestClosedLoopMachineRepairman compares a closed loop served by one
// exponential server with the exact finite-source formulas.
func TestClosedLoopMachineRepairman(t *testing.T) {
	tests := []struct {
		clients int
		s, z    float64 // mean service and think time, seconds
	}{
		{1, 0.010, 0.040},  // R = S: no queueing
		{4, 0.010, 0.040},  // moderate load
		{8, 0.010, 0.040},  // past saturation: X near 1/S
		{20, 0.010, 0.100}, // many light clients
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("N=%d", tc.clients), func(t *testing.T) {
			src := fmt.Sprintf(closedScenario(tc.clients, fmt.Sprintf("{dist: exponential, mean: %gs}", tc.z)), "1")
			sc := scenario(t, src)
			sink := &MemorySink{}
			w, err := New(Config{Scenario: sc, Sink: sink})
			if err != nil {
				t.Fatal(err)
			}
			if len(w.replicas) != 1 {
				t.Fatalf("%d replicas, want 1", len(w.replicas))
			}
			srv := &expServer{rng: rand.New(rand.NewPCG(7, uint64(tc.clients))), meanS: tc.s}
			w.sched, w.noLeap = srv, true
			w.replicas[0].sched = srv
			w.replicas[0].ep.on = false
			if _, err := w.Run(context.Background()); err != nil {
				t.Fatal(err)
			}
			warm, end := int64(60e9), w.horizon
			var done int
			var sumR float64
			for _, r := range sink.Reqs {
				if r.ArrivalNs >= warm && r.FinishNs <= end && r.Status == StatusCompleted {
					done++
					sumR += float64(r.FinishNs-r.ArrivalNs) / 1e9
				}
			}
			x := float64(done) / (float64(end-warm) / 1e9)
			meanR := sumR / float64(done)
			wantX, wantR := repairman(tc.clients, tc.s, tc.z)
			t.Logf("X = %.2f/s (exact %.2f), R = %.2f ms (exact %.2f), %d requests", x, wantX, meanR*1e3, wantR*1e3, done)
			if math.Abs(x/wantX-1) > 0.02 {
				t.Errorf("throughput %.3f/s, exact %.3f/s", x, wantX)
			}
			if math.Abs(meanR/wantR-1) > 0.03 {
				t.Errorf("response time %.3f ms, exact %.3f ms", meanR*1e3, wantR*1e3)
			}
		})
	}
}

// probe samples the number of requests in the system at fixed times.
type probe struct {
	w          *World
	ev         engine.Event
	every      int64
	min, max   float64
	area0, at0 int64
	first      bool
}

func (pr *probe) Handle(*engine.Event) {
	v := pr.w.inSystem.v
	if pr.first {
		pr.min, pr.max, pr.first = v, v, false
		pr.at0 = pr.w.eng.Now()
		pr.area0 = int64(pr.w.inSystem.areaAt(pr.at0))
	}
	pr.min, pr.max = math.Min(pr.min, v), math.Max(pr.max, v)
	if next := pr.w.eng.Now() + pr.every; next < pr.w.horizon {
		pr.w.eng.Schedule(&pr.ev, next)
	}
}

// TestClosedLoopZeroThinkKeepsN checks that with no think time a closed loop
// holds exactly N requests in the system: the time-weighted mean after
// warm-up is N and no sample exceeds N (a client's next request follows its
// previous one at the same instant, so the only dips last zero time).
func TestClosedLoopZeroThinkKeepsN(t *testing.T) {
	const n = 24
	src := fmt.Sprintf(closedScenario(n, "0s"), "{dist: lognormal, median: 100, p99: 400, max: 800}")
	sc := scenario(t, src)
	w, err := New(Config{Scenario: sc})
	if err != nil {
		t.Fatal(err)
	}
	pr := &probe{w: w, every: 997_001, first: true}
	pr.ev.Init(pr, 0)
	w.eng.Schedule(&pr.ev, 10e9)
	if _, err := w.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if w.completedAll < 1000 {
		t.Fatalf("only %d requests completed", w.completedAll)
	}
	mean := (w.inSystem.areaAt(w.horizon) - float64(pr.area0)) / float64(w.horizon-pr.at0)
	if math.Abs(mean-n) > 1e-6 || pr.max != n {
		t.Errorf("in system: time-weighted mean %.9f, max sample %g, min sample %g; want exactly %d", mean, pr.max, pr.min, n)
	}
}

// sessionProbe samples the number of live agent sessions.
type sessionProbe struct {
	w        *World
	ev       engine.Event
	min, max int
}

func (pr *sessionProbe) Handle(*engine.Event) {
	n := pr.w.activeSessions()
	pr.min, pr.max = min(pr.min, n), max(pr.max, n)
	if next := pr.w.eng.Now() + 10_000_019; next < pr.w.horizon {
		pr.w.eng.Schedule(&pr.ev, next)
	}
}

// TestClosedLoopAgents checks that closed-loop agent users each keep one
// session in flight, also when sessions are abandoned (short patience): a
// client's next session follows the end of its previous one.
func TestClosedLoopAgents(t *testing.T) {
	const n = 5
	sc := scenario(t, `name: agents
horizon: 5m
model: llama-3.1-8b
fleet:
  instance: p5.48xlarge
  replica: {tp: 8, per_instance: 1, scheduler: vllm}
workloads:
  - name: agents
    class: agent
    arrivals: {process: closed, clients: 5, think_time: 1s}
    prompt_tokens: 100
    output_tokens: 80
    agent: {steps: 3, patience: {dist: exponential, mean: 400ms}, tool_latency: 100ms}
`)
	sink := &MemorySink{}
	w, err := New(Config{Scenario: sc, Sink: sink})
	if err != nil {
		t.Fatal(err)
	}
	pr := &sessionProbe{w: w, min: n}
	pr.ev.Init(pr, 0)
	w.eng.Schedule(&pr.ev, 0)
	if _, err := w.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	var done, abandoned int
	for _, s := range sink.Sess {
		switch s.Status {
		case SessionCompleted:
			done++
		case SessionAbandoned:
			abandoned++
		}
	}
	t.Logf("%d sessions completed, %d abandoned; live sessions between %d and %d", done, abandoned, pr.min, pr.max)
	if done == 0 || abandoned == 0 {
		t.Fatalf("want both completed and abandoned sessions, got %d and %d", done, abandoned)
	}
	if pr.max > n {
		t.Errorf("%d live sessions, more than the %d clients", pr.max, n)
	}
	if pr.max < n-1 {
		t.Errorf("at most %d live sessions: clients stopped sending", pr.max)
	}
}

// TestClosedLoopDropsBackOff runs more zero-think clients than the replica
// queues: dropped requests are retried after retryBackoff, not at the same
// instant (which would never let simulated time advance).
func TestClosedLoopDropsBackOff(t *testing.T) {
	src := strings.Replace(fmt.Sprintf(closedScenario(50, "0s"), "20"), "max_num_seqs: 64}", "max_num_seqs: 2, queue_limit: 1}", 1)
	src = strings.Replace(src, "horizon: 30m", "horizon: 1m", 1)
	sink := &MemorySink{}
	w, err := New(Config{Scenario: scenario(t, src), Sink: sink})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	var dropped, completed int
	for _, r := range sink.Reqs {
		switch r.Status {
		case StatusQueueFull:
			dropped++
		case StatusCompleted:
			completed++
		}
	}
	t.Logf("%d completed, %d dropped", completed, dropped)
	if dropped == 0 || completed == 0 {
		t.Fatalf("want drops and completions, got %d and %d", dropped, completed)
	}
	// 47 or so clients retry once a second for a minute: about 3,000 drops.
	if dropped > 50*61 {
		t.Errorf("%d drops: more than one per client per second", dropped)
	}
}

// TestClosedLoopRamp checks what a ramp is for: two clients sending equal
// requests with no think time stay in step when they start together (they
// are served alike and end in the same iteration, so every arrival instant
// has both, and one waits for the other's prefill), while a ramp of about a
// request's lifetime starts them out of step, and they stay apart.
func TestClosedLoopRamp(t *testing.T) {
	const trn2Loop = `name: ramp
horizon: 60s
model: llama-3.1-8b
fleet:
  instance: trn2.48xlarge
  price_usd_per_hour: 1
  replica: {tp: 8, per_instance: 1, scheduler: neuron, max_num_seqs: 2, max_model_len: 2048}
workloads:
  - name: users
    class: api
    arrivals: {process: closed, clients: 2, think_time: 0s%s}
    prompt_tokens: 512
    output_tokens: 128
`
	run := func(ramp string) (instants map[int64]int, ttftMin, ttftMax float64) {
		sink := &MemorySink{}
		w, err := New(Config{Scenario: scenario(t, fmt.Sprintf(trn2Loop, ramp)), Sink: sink})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Run(context.Background()); err != nil {
			t.Fatal(err)
		}
		instants = map[int64]int{}
		ttftMin = math.Inf(1)
		for _, r := range sink.Reqs {
			if r.Status != StatusCompleted {
				continue
			}
			instants[r.ArrivalNs]++
			ttft := float64(r.FirstTokenNs-r.ArrivalNs) / 1e9
			ttftMin, ttftMax = min(ttftMin, ttft), max(ttftMax, ttft)
		}
		if len(sink.Reqs) < 20 {
			t.Fatalf("ramp %q: only %d requests", ramp, len(sink.Reqs))
		}
		return instants, ttftMin, ttftMax
	}
	together, lo, hi := run("")
	for at, n := range together {
		if n != 2 {
			t.Fatalf("no ramp: %d arrivals at %d ns, want both clients at every instant", n, at)
		}
	}
	if hi < 1.8*lo {
		t.Errorf("no ramp: TTFT %.1f-%.1f ms; in step, one client waits for the other's prefill (about 2x)", 1e3*lo, 1e3*hi)
	}
	apart, rlo, rhi := run(", ramp: 700ms")
	for at, n := range apart {
		if n != 1 {
			t.Fatalf("ramp: %d arrivals at %d ns, want the clients out of step", n, at)
		}
	}
	// Out of step, a request waits at most for the other client's decode
	// step before its prefill, never for a prefill.
	if rhi > 0.7*hi {
		t.Errorf("ramp: TTFT %.1f-%.1f ms, want all well below the in-step worst, %.1f ms", 1e3*rlo, 1e3*rhi, 1e3*hi)
	}
}
