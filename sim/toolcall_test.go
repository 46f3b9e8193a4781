package sim

import "testing"

// TestToolCallTokens: agent.tool_call_tokens sets the output of every
// tool-calling step of a session, and the last call (the answer the user
// reads) keeps the workload's output_tokens; absent, every call takes
// output_tokens. It changes how long the user waits for the answer's first
// token (tool-calling steps decode before it), so a short tool call makes the
// wait shorter.
func TestToolCallTokens(t *testing.T) {
	const steps = 4
	agent := func(extra string) string {
		return oneUser + `    prompt_tokens: 50
    output_tokens: 300
    agent: {steps: 4, tool_latency: 100ms, tool_result_tokens: 20, patience: 1h` + extra + `}
`
	}
	tests := []struct {
		name          string
		extra         string
		internal, ans int32 // output tokens of a tool-calling step and of the answer
	}{
		{"absent", "", 300, 300},
		{"short tool calls", ", tool_call_tokens: 20", 20, 300},
	}
	waits := map[string]float64{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, sink := run(t, scenario(t, agent(tt.extra)))
			sessions := 0
			var wait float64
			firstSent := map[int64]int64{}
			for _, r := range sink.Reqs {
				if r.Status != StatusCompleted {
					continue
				}
				want := tt.internal
				if r.Step == steps-1 {
					want = tt.ans
					if sent, ok := firstSent[r.Session]; ok {
						wait += float64(r.FirstTokenNs-sent) / 1e9
						sessions++
					}
				}
				if r.Step == 0 {
					firstSent[r.Session] = r.ArrivalNs
				}
				if r.OutputTokens != want {
					t.Fatalf("session %d step %d: %d output tokens, want %d", r.Session, r.Step, r.OutputTokens, want)
				}
			}
			if sessions == 0 {
				t.Fatal("no session completed")
			}
			waits[tt.name] = wait / float64(sessions)
		})
	}
	if !(waits["short tool calls"] < waits["absent"]/2) {
		t.Errorf("mean wait for the answer's first token: %.3g s with short tool calls, %.3g s without", waits["short tool calls"], waits["absent"])
	}
}
