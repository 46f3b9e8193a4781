package tui

import (
	"strings"
	"testing"
)

// TestSetupStepTimesLeaveOutLengths: the run screen's step-times line for
// a stored run names no prompt or context length, which the store does
// not keep: it read the scenario's estimate, "EXTRAPOLATED: prompts to
// 6,000 tokens", where aiecon run had printed 6,143 for the same run, and
// no STEP TIMES EXTRAPOLATED warning stood under it.
func TestSetupStepTimesLeaveOutLengths(t *testing.T) {
	const yaml = `name: long-prompts
model: llama-3.1-8b
fleet: {instance: p5.48xlarge, replica: {tp: 1}}
workloads:
  - {name: chat, class: api, arrivals: {rate: 1/s}, prompt_tokens: 6000, output_tokens: 200}
`
	s, err := setupOf(yaml, "")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(s.stepTimes, "gpu constants") {
		t.Fatalf("no step-times line: %q", s.stepTimes)
	}
	if strings.Contains(s.stepTimes, "prompts to") || strings.Contains(s.stepTimes, "EXTRAPOLATED") {
		t.Errorf("the stored run's line names lengths it cannot know: %q", s.stepTimes)
	}
}
