package sim

import (
	"fmt"
	"testing"

	"aiecon/model"
)

// oneUser is a scenario of one agent user on one replica: one session, and
// one model call, at a time (no contention). The workload's lengths and
// agent follow.
const oneUser = `name: one-user
horizon: 10m
model: llama-3.1-8b
fleet:
  instance: p5.48xlarge
  replica: {tp: 8, per_instance: 1, scheduler: vllm}
workloads:
  - name: shop
    class: agent
    arrivals: {process: closed, clients: 1, think_time: 1s}
`

// patienceScenario is one user at a time with a fixed patience of 2 s, in
// sessions of a fixed shape.
func patienceScenario(on string, steps, output int, tool string) string {
	return oneUser + fmt.Sprintf(`    prompt_tokens: 50
    output_tokens: %d
    agent: {steps: %d, tool_latency: %s, tool_result_tokens: 20, patience: 2s, patience_on: %s}
`, output, steps, tool, on)
}

// Patience is compared with what the user waits for. A long answer that
// starts streaming at once outlasts the patience: abandoned only where the
// whole answer (e2e) or each call's whole duration (turn) counts. Many short
// tool-calling steps add up past it before the answer starts: abandoned
// where the wait since the message counts (ttft, e2e), not where each call is
// judged alone (turn). An abandoned session ends exactly when the patience
// runs out, counted from the message (ttft, e2e) or from the call (turn).
func TestPatienceAppliesToWhatTheUserWaitsFor(t *testing.T) {
	longAnswer := func(on string) string { return patienceScenario(on, 1, 1500, "100ms") }
	manySteps := func(on string) string { return patienceScenario(on, 10, 10, "500ms") }
	tests := []struct {
		name, src string
		abandoned bool
	}{
		{"long answer, ttft", longAnswer(model.PatienceTTFT), false},
		{"long answer, e2e", longAnswer(model.PatienceE2E), true},
		{"long answer, turn", longAnswer(model.PatienceTurn), true},
		{"many steps, ttft", manySteps(model.PatienceTTFT), true},
		{"many steps, e2e", manySteps(model.PatienceE2E), true},
		{"many steps, turn", manySteps(model.PatienceTurn), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := scenario(t, tt.src)
			res, sink := run(t, sc)
			abandonedCall := map[int64]int64{} // session -> when its abandoned call was sent
			for _, r := range sink.Reqs {
				if r.Status == StatusAbandoned {
					abandonedCall[r.Session] = r.ArrivalNs
				}
			}
			var n int
			for _, s := range sink.Sess {
				if s.Status == SessionUnfinished {
					continue
				}
				n++
				if got := s.Status == SessionAbandoned; got != tt.abandoned {
					t.Fatalf("session %d: %v after %.3f s, want abandoned %v", s.ID, s.Status, float64(s.EndNs-s.StartNs)/1e9, tt.abandoned)
				}
				if !tt.abandoned {
					continue
				}
				from := s.StartNs // ttft, e2e: the wait since the message; turn: since the call
				if sc.Workloads[0].Agent.PatienceOn == model.PatienceTurn {
					sent, ok := abandonedCall[s.ID]
					if !ok {
						t.Fatalf("session %d abandoned with no call in flight", s.ID)
					}
					from = sent
				}
				if s.EndNs-from != 2e9 {
					t.Fatalf("session %d abandoned %.6f s after the wait began, want the 2 s patience", s.ID, float64(s.EndNs-from)/1e9)
				}
			}
			if n < 10 {
				t.Fatalf("%d sessions ended: too few to show anything", n)
			}
			if tt.abandoned && kpi(t, res, "session_abandon_rate", "") != 1 {
				t.Errorf("session abandon rate %v, want 1", kpi(t, res, "session_abandon_rate", ""))
			}
		})
	}
}

// TestEscalatedAnswerIsNotVisible: under small-first, the small model's
// answer that is escalated is never shown, so a user whose patience runs on
// the first visible token waits for the large model's, and gives up if it
// comes too late. The small model's first token used to count as visible.
func TestEscalatedAnswerIsNotVisible(t *testing.T) {
	src := oneUser + `    prompt_tokens: 50
    output_tokens: 1000
    agent: {steps: 1, patience: 1s, patience_on: ttft}
pools:
  - {name: small, model: llama-3.2-1b, fleet: {instance: p5.48xlarge, replica: {tp: 1, per_instance: 1, scheduler: vllm}}}
routing: {rule: small-first, small: small, large: llama-3.1-8b, escalation: 1}
`
	res, sink := run(t, scenario(t, src))
	if len(sink.Sess) < 10 {
		t.Fatalf("%d sessions", len(sink.Sess))
	}
	// The small model's 1,000-token answer takes seconds; its first token
	// comes in milliseconds, the large model's only after that answer.
	if got := kpi(t, res, "session_abandon_rate", ""); got != 1 {
		t.Errorf("session abandon rate %v with 1 s of patience and every answer escalated, want 1", got)
	}
}
