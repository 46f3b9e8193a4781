package tui

import (
	"strings"
	"testing"

	"aiecon/sim"
)

// TestSetupStepTimesLengths: the run screen's step-times line for a
// stored run names the prompt and context lengths the store kept for its
// main fleet, as aiecon run printed them, and none it did not keep: it
// read the scenario's estimate, "EXTRAPOLATED: prompts to 6,000 tokens",
// where aiecon run had printed 6,143 for the same run, and no STEP TIMES
// EXTRAPOLATED warning stood under it.
func TestSetupStepTimesLengths(t *testing.T) {
	const yaml = `name: long-prompts
model: llama-3.1-8b
fleet: {instance: p5.48xlarge, replica: {tp: 1}}
workloads:
  - {name: chat, class: api, arrivals: {rate: 1/s}, prompt_tokens: 6000, output_tokens: 200}
`
	for _, tt := range []struct {
		name   string
		served *sim.PoolLengths
		want   string // the EXTRAPOLATED part; "" for none
	}{
		{"stored before lengths were kept", nil, ""},
		{"prompt not kept", &sim.PoolLengths{Calls: 10, ContextP99: 6343, PromptMean: 6000, ContextMean: 6200}, ""},
		{"lengths kept", &sim.PoolLengths{Calls: 10, PromptP99: 6143, ContextP99: 6343, PromptMean: 6000, ContextMean: 6200},
			"EXTRAPOLATED: prompts to 6,143 tokens"},
	} {
		s, err := setupOf(yaml, "", tt.served)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(s.stepTimes, "gpu constants") {
			t.Fatalf("%s: no step-times line: %q", tt.name, s.stepTimes)
		}
		if tt.want == "" && (strings.Contains(s.stepTimes, "prompts to") || strings.Contains(s.stepTimes, "EXTRAPOLATED")) {
			t.Errorf("%s: the stored run's line names lengths it cannot know: %q", tt.name, s.stepTimes)
		}
		if tt.want != "" && !strings.Contains(s.stepTimes, tt.want) {
			t.Errorf("%s: line %q lacks %q", tt.name, s.stepTimes, tt.want)
		}
	}
}
