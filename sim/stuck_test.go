package sim

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"aiecon/model"
)

// staticL4Spot is one long request on two static L4 replicas whose KV cache
// (kv_memory_fraction 0.1) holds 4,224 tokens: prompt and output take 3,072,
// so prompt + output + what it generated passes it after 1,152 tokens. The
// spot rate is low enough that no interruption is drawn within the run: a
// test interrupts by hand.
const staticL4Spot = `
name: static-moved
horizon: 30m
window: 10m
model: llama-3.1-8b
fleet:
  instance: g6.xlarge
  count: 2
  pricing: spot
  spot: {discount: 0.6, interruptions_per_hour: 0.0001, recovery: 1m}
  replica: {tp: 1, scheduler: static, max_num_seqs: 4, max_model_len: 3072, kv_memory_fraction: 0.1}
workloads:
  - name: long
    class: api
    arrivals: {process: burst, count: 1, at: 1s}
    prompt_tokens: 1000
    output_tokens: 2072
`

// onOnDemandL4 is staticL4Spot's workload on one on-demand instance.
func onOnDemandL4(src string) string {
	return strings.Replace(src, "count: 2\n  pricing: spot\n  spot: {discount: 0.6, interruptions_per_hour: 0.0001, recovery: 1m}\n", "count: 1\n", 1)
}

// TestStaticMovedRequestReservesItsWholeContextOnce: a static batch
// reserves a request's prompt and whole output. One moved by a spot
// interruption after generating 1,500 tokens has target = prompt +
// generated; reserving target + output counted those 1,500 twice (4,572
// tokens, more than the replica's 4,224), so the other replica could never
// admit it and stalled for good. It must reserve 3,072, and complete there.
func TestStaticMovedRequestReservesItsWholeContextOnce(t *testing.T) {
	w, err := New(Config{Scenario: scenario(t, staticL4Spot)})
	if err != nil {
		t.Fatal(err)
	}
	w.start()
	var moved *request
	for moved == nil && w.eng.Step() {
		for _, p := range w.replicas {
			if len(p.running) > 0 && p.running[0].generated >= 1500 {
				moved = p.running[0]
			}
		}
	}
	if moved == nil {
		t.Fatal("the request never generated 1500 tokens: the test needs it")
	}
	from := moved.replica
	capTokens := from.kvTotal * from.env.blockTokens
	if moved.prompt+moved.generated+moved.output <= capTokens || moved.peakTokens() > capTokens {
		t.Fatalf("prompt %d, generated %d, output %d against %d tokens of KV: the test needs prompt+generated+output past it and prompt+output within",
			moved.prompt, moved.generated, moved.output, capTokens)
	}
	id := moved.id
	w.interrupt(from.inst)
	if err := w.eng.RunUntil(context.Background(), w.horizon); err != nil {
		t.Fatal(err)
	}
	if w.err != nil {
		t.Fatalf("run failed: %v", w.err)
	}
	if w.completedAll != 1 {
		for _, p := range w.replicas {
			t.Logf("replica %d: up %v, busy %v, %d waiting, %d running", p.id, p.up, p.busy, p.waiting, len(p.running))
		}
		t.Fatalf("request %d, moved after %d tokens, did not complete on the other replica (%d completed)", id, 1500, w.completedAll)
	}
}

// TestStuckReplicaStopsTheRun: a replica that, with nothing running, admits
// none of its waiting requests would leave them waiting for good, reported
// as load it could not serve (and a drained run would never end). Requests
// fit by construction, so the run stops with an error naming the replica
// and the request. The request here is made too long by hand, past what
// clamp allows: the second of a burst, waiting behind the first.
func TestStuckReplicaStopsTheRun(t *testing.T) {
	src := strings.Replace(staticL4Spot, "count: 1, at: 1s", "count: 2, at: 1s", 1)
	src = strings.Replace(src, "max_num_seqs: 4", "max_num_seqs: 1", 1)
	src = onOnDemandL4(src)
	w, err := New(Config{Scenario: scenario(t, src)})
	if err != nil {
		t.Fatal(err)
	}
	w.start()
	p := w.replicas[0]
	for p.waiting == 0 && w.eng.Step() {
	}
	r := p.peekWaiting()
	if r == nil || len(p.running) != 1 {
		t.Fatalf("%d waiting, %d running: the test needs one of each", p.waiting, len(p.running))
	}
	r.output = p.kvTotal * p.env.blockTokens // prompt + output past the whole KV cache
	if err := w.eng.RunUntil(context.Background(), w.horizon); err != nil {
		t.Fatal(err)
	}
	if w.err == nil {
		t.Fatalf("no error; the replica has %d waiting, %d running, busy %v", p.waiting, len(p.running), p.busy)
	}
	t.Log(w.err)
	for _, want := range []string{"replica 0", "pool " + p.inst.pool.name, fmt.Sprintf("request %d", r.id), "of simulated time", "a bug"} {
		if !strings.Contains(w.err.Error(), want) {
			t.Errorf("error %q does not say %q", w.err, want)
		}
	}
}

// TestStalledDrainStopsSoon: a drained run whose work nothing will move,
// in ways the scheduler's own check (TestStuckReplicaStopsTheRun) does not
// see, ran on window after window to the drain's limit, 146 years of
// simulated time (and before that until the int64 clock wrapped). It must
// stop within a few windows of the horizon where a replica holds requests
// that nothing will move, and within stallNs where nothing moves and no
// replica is to blame, with an error naming the cause, the pool and the
// simulated time. Each case breaks a replica by hand as it starts its
// first iteration (or counts a request nobody holds).
func TestStalledDrainStopsSoon(t *testing.T) {
	const window = int64(model.Hour)
	cases := []struct {
		name  string
		brk   func(w *World, p *replica)
		cause string
		by    int64 // the latest it may stop, past the horizon
	}{
		{"its iteration cancelled", func(w *World, p *replica) { w.eng.Cancel(&p.iterDone) },
			"is busy with no iteration scheduled", 3 * window},
		{"idle while serving, its request running", func(w *World, p *replica) {
			w.eng.Cancel(&p.iterDone)
			p.busy = false
		}, "is idle although it serves", 3 * window},
		{"down, holding its request", func(w *World, p *replica) {
			w.eng.Cancel(&p.iterDone)
			p.busy, p.up = false, false
		}, "does not serve", 3 * window},
		{"a request nobody holds", func(w *World, p *replica) { w.inSystem.add(w.eng.Now(), 1) },
			"nothing moved", stallNs + 3*window},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := strings.Replace(staticL4Spot, "horizon: 30m\nwindow: 10m", "horizon: 1h\nwindow: 1h\ndrain: true", 1)
			w, err := New(Config{Scenario: scenario(t, onOnDemandL4(src))})
			if err != nil {
				t.Fatal(err)
			}
			w.start()
			var p *replica
			for p == nil && w.eng.Step() {
				for _, q := range w.replicas {
					if q.busy {
						p = q
					}
				}
			}
			if p == nil {
				t.Fatal("no replica started an iteration")
			}
			c.brk(w, p)
			ctx := context.Background()
			if err := w.eng.RunUntil(ctx, w.horizon); err != nil {
				t.Fatal(err)
			}
			err = w.drain(ctx)
			if err == nil {
				t.Fatalf("a drained run that cannot end ended without an error at %d ns, work left %v", w.eng.Now(), w.workLeft())
			}
			t.Log(err)
			wants := []string{c.cause, "pool " + p.inst.pool.name, "of simulated time", "a bug"}
			if c.cause != "nothing moved" {
				wants = append(wants, fmt.Sprintf("replica %d", p.id))
			}
			for _, want := range wants {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not say %q", err, want)
				}
			}
			if now := w.eng.Now(); now > w.horizon+c.by || now < w.horizon {
				t.Errorf("stopped at %v, want between the horizon %v and %v past it", model.Duration(now), model.Duration(w.horizon), model.Duration(c.by))
			}
		})
	}
}

// TestDrainEndsWhenAnInterruptionDropsTheLastRequest: a drained run ends
// the instant its last work leaves. A spot interruption that dropped the
// last request for want of a replica up did not end it: the interruptions
// that followed kept events coming, and the run went on to the drain's
// limit, 146 years, billed for all of them.
func TestDrainEndsWhenAnInterruptionDropsTheLastRequest(t *testing.T) {
	src := strings.Replace(staticL4Spot, "horizon: 30m\nwindow: 10m", "horizon: 1s\nwindow: 1s\ndrain: true", 1)
	src = strings.Replace(src, "count: 2\n  pricing: spot", "count: 1\n  pricing: spot", 1)
	src = strings.Replace(src, "at: 1s", "at: 0s", 1)
	w, err := New(Config{Scenario: scenario(t, src)})
	if err != nil {
		t.Fatal(err)
	}
	w.start()
	const at = int64(2 * model.Second)
	in := w.instances[0]
	w.eng.Schedule(&in.ev, at) // its interruption, in the drain, the request still running
	ctx := context.Background()
	if err := w.eng.RunUntil(ctx, w.horizon); err != nil {
		t.Fatal(err)
	}
	if err := w.drain(ctx); err != nil {
		t.Fatal(err)
	}
	if n := in.pool.fleet.interruptions; n != 1 || w.eng.Now() != at || w.workLeft() {
		t.Fatalf("%d interruptions, run ended at %d ns with work left %v; want it to end at the interruption (%d ns)", n, w.eng.Now(), w.workLeft(), at)
	}
}
