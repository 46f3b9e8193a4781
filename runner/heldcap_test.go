package runner

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"aiecon/sim"
)

// writeScenario writes src into a fresh folder and returns its path.
func writeScenario(t *testing.T, src string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "s.yaml")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// bigSlots is 16 replicas of 512 batch slots (8,192) serving 100/s of long
// outputs: it keeps up with a quarter of its slots filled, about 3,600
// requests held at once.
const bigSlots = `name: bigconc
horizon: 1m
model: llama-3.1-8b
fleet:
  instance: p5.48xlarge
  count: 2
  replica: {tp: 1, scheduler: vllm, max_num_seqs: 512, max_batched_tokens: 8192}
workloads:
  - name: chat
    class: api
    arrivals: {process: poisson, rate: 100/s}
    prompt_tokens: {dist: lognormal, median: 200, p99: 800, max: 1000}
    output_tokens: {dist: lognormal, median: 1500, p99: 3000, max: 4000}
`

// TestHeldCapCoversTheBatchSlots: the held cap counts running requests, so
// a budget with room for fewer than the fleet's batch slots and a queue
// stopped a fleet that kept up, at a quarter of its slots, as overloaded;
// it is refused at load instead, naming the slots, the memory they need
// and AIECON_MAX_MEMORY, and a budget that loads leaves a cap of at least
// the slots and the queue.
func TestHeldCapCoversTheBatchSlots(t *testing.T) {
	path := writeScenario(t, bigSlots)
	for _, c := range []struct {
		budget, horizon string
		want            string // "" loads
	}{
		{"1MB", "1m", "its fleet's 8192 batch slots (replicas x max_num_seqs: fleet.count 2 x 8 replicas of tp 1 per p5.48xlarge) and a queue of 2048, " +
			"or the 6000 requests of its whole run where fewer, need room for 6000 requests at once at 400 bytes each, 2.3 MB of memory"},
		{"1MB", "10m", "need room for 10240 requests at once at 400 bytes each, 3.9 MB of memory with its replicas (23 KB); " +
			"the memory budget of 1 MB (AIECON_MAX_MEMORY) leaves room for 2561"},
		{"1MB", "10s", ""}, // 1,000 requests: the run cannot hold more
		{"4MB", "10m", ""},
	} {
		t.Run(c.budget+" "+c.horizon, func(t *testing.T) {
			t.Setenv(EnvMaxMemory, c.budget)
			l, err := Load(path, []string{"horizon=" + c.horizon})
			var ie *InputError
			if c.want != "" {
				if !errors.As(err, &ie) || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "raise the budget with AIECON_MAX_MEMORY") {
					t.Fatalf("want an input error containing %q, got %v", c.want, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("want it loaded, got %v", err)
			}
			b, err := DefaultBudget()
			if err != nil {
				t.Fatal(err)
			}
			e, err := EstimateRun(l.Scenario, l.Traces)
			if err != nil || e.Slots != 8192 || e.HeldCap(b) < min(e.Requests, e.Slots+2048) {
				t.Fatalf("slots %v, cap %v for %v requests (%v): want 8192 slots and a cap of at least the slots and a queue of 2048",
					e.Slots, e.HeldCap(b), e.Requests, err)
			}
		})
	}
}

// closedLoop is 2,000 closed-loop clients on one inf2.48xlarge of 48 slots:
// saturated, most of the clients' requests wait in the queue.
const closedLoop = `name: closed
horizon: 5s
model: llama-3.1-8b
fleet:
  instance: inf2.48xlarge
  count: 1
  replica: {tp: 8, per_instance: 3, scheduler: neuron, max_num_seqs: 16, max_model_len: 4096}
workloads:
  - name: internal
    class: api
    arrivals: {process: closed, clients: 2000, think_time: {dist: exponential, mean: 1s}}
    prompt_tokens: {dist: lognormal, median: 200, p99: 800, max: 1000}
    output_tokens: {dist: lognormal, median: 100, p99: 400, max: 500}
`

// TestClosedLoopNeverStoppedByTheHeldCap: a closed loop's clients hold one
// request each at most, already counted in what they hold; counted again
// against the cap, a saturated loop of 2,000 clients under 2 MB was stopped
// as overloaded at 1,232 requests and told to lower a rate it does not have.
func TestClosedLoopNeverStoppedByTheHeldCap(t *testing.T) {
	t.Setenv(EnvMaxMemory, "2MB")
	l, err := Load(writeScenario(t, closedLoop), nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := DefaultBudget()
	if err != nil {
		t.Fatal(err)
	}
	e, err := EstimateRun(l.Scenario, l.Traces)
	if err != nil || e.Clients != 2000 || e.HeldCap(b) < e.Clients+e.Slots {
		t.Fatalf("clients %v, slots %v, cap %v (%v): want a cap of at least the 2,000 clients and the slots", e.Clients, e.Slots, e.HeldCap(b), err)
	}
	if _, err := Run(context.Background(), l, Options{}); err != nil {
		t.Fatalf("a saturated closed loop must run whole, got %v", err)
	}
}

// TestHeldCapAdviceNamesTheLoad: the overloaded stop tells a closed loop to
// lower its clients, not a rate it does not have, and says what a fleet
// that keeps up holds: its batch slots and a short queue.
func TestHeldCapAdviceNamesTheLoad(t *testing.T) {
	b := Budget{MaxMemoryBytes: 2 << 20}
	for _, c := range []struct {
		name      string
		e         Estimate
		want, not string
	}{
		{"open", Estimate{Requests: 1e6, Slots: 48}, "or lower the rate;", "clients"},
		{"closed", Estimate{Clients: 2000, Slots: 48}, "or lower arrivals.clients;", "rate"},
		{"both", Estimate{Requests: 1e6, Clients: 2000, Slots: 48}, "or lower the open workloads' rates or the closed loops' arrivals.clients;", "lower the rate"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := overBudget(&sim.HeldCapError{Held: 5000}, b, c.e).Error()
			if !strings.Contains(err, c.want) || strings.Contains(err, c.not) ||
				!strings.Contains(err, "a fleet that keeps up holds about its batch slots (48 here) and a short queue") {
				t.Fatalf("want %q and not %q, got %s", c.want, c.not, err)
			}
		})
	}
}
