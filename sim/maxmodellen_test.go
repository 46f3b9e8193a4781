package sim

import (
	"fmt"
	"testing"
)

// TestFitToMaxModelLen: a request sent on its own keeps its prompt and
// stops generating where the window ends; a prompt that does not fit by
// itself loses its oldest tokens and keeps room for its output. Either way
// it is counted as truncated.
func TestFitToMaxModelLen(t *testing.T) {
	for _, tt := range []struct {
		prompt, output         int
		wantPrompt, wantOutput int32
	}{
		{1000, 10000, 1000, 7192}, // the output stops at the window's end
		{20000, 200, 7992, 200},   // the prompt alone overflows
		{1000, 7192, 1000, 7192},  // fits exactly: untouched
	} {
		sc := scenario(t, fmt.Sprintf(`name: fit
horizon: 30m
model: llama-3.1-8b
fleet:
  instance: g6.xlarge
  replica: {tp: 1, max_model_len: 8192}
workloads:
  - name: api
    class: api
    arrivals: {process: burst, count: 1}
    prompt_tokens: %d
    output_tokens: %d
`, tt.prompt, tt.output))
		res, sink := run(t, sc)
		if len(sink.Reqs) != 1 {
			t.Fatalf("%d records", len(sink.Reqs))
		}
		r := sink.Reqs[0]
		if r.Status != StatusCompleted || r.PromptTokens != tt.wantPrompt || r.OutputTokens != tt.wantOutput {
			t.Errorf("%d + %d tokens in 8192: %s with %d + %d, want %d + %d", tt.prompt, tt.output, r.Status,
				r.PromptTokens, r.OutputTokens, tt.wantPrompt, tt.wantOutput)
		}
		fits := tt.prompt+tt.output <= 8192
		if got := kpi(t, res, "requests_truncated", ""); (got == 0) != fits {
			t.Errorf("%d + %d tokens: %v truncated", tt.prompt, tt.output, got)
		}
	}
}
