package runner

import (
	"errors"
	"strings"
	"testing"

	"aiecon/sim"
)

// TestValidateSkipsSteadyLoopWithNoCompletion: a steady closed loop none of
// whose requests after the warm-up completes is skipped with its reason, and
// the file's other rows are still scored; it had failed the whole command
// (exit 1), throwing the other rows' results away.
func TestValidateSkipsSteadyLoopWithNoCompletion(t *testing.T) {
	rows := "llama-2-7b,inf2.48xlarge,24,1,4096,128,3968,bf16,27.6,6.47,closed-loop concurrency=64,transformers-neuronx\n" +
		"llama-2-7b,inf2.48xlarge,24,1,8192,128,8064,bf16,29.2,7.34,closed-loop concurrency=1024,transformers-neuronx\n"
	rep := validatePoints(t, rows, ValidateOptions{})
	if len(rep.Rows) != 1 || rep.Rows[0].Point.Line != 2 {
		t.Fatalf("rows %+v; want line 2 scored", rep.Rows)
	}
	if len(rep.Skipped) != 1 || rep.Skipped[0].Point.Line != 3 {
		t.Fatalf("skipped %+v; want line 3 skipped", rep.Skipped)
	}
	reason := rep.Skipped[0].Reason
	// The row was cut (closedLoopCycles: 1,024 clients x 8,064 tokens),
	// which the reason says: the file's protocol line reads 3 lifetimes of
	// warm-up and 12 measured.
	for _, w := range []string{"no request of the closed loop that arrived after its", "s warm-up completed by the end of its", "nothing to score", "closed form predicts it",
		"the loop was cut to 1 request lifetime of warm-up, then 2 measured, not 3 then 12 (1,024 clients x 8,064 output tokens passes the 30,000,000 sequence-steps"} {
		if !strings.Contains(reason, w) {
			t.Errorf("reason %q lacks %q", reason, w)
		}
	}
}

// TestSteadyLatenciesNoneAfterWarmUp: requests that arrived before the
// warm-up or did not complete are not scored; none left is the typed error
// validate skips the row for.
func TestSteadyLatenciesNoneAfterWarmUp(t *testing.T) {
	const s = int64(1e9)
	reqs := []sim.RequestRecord{
		{Status: sim.StatusCompleted, ArrivalNs: 0, FirstTokenNs: s, FinishNs: 2 * s, OutputTokens: 2},
		{Status: sim.StatusUnfinished, ArrivalNs: 3 * s, FirstTokenNs: -1},
	}
	_, _, err := steadyLatencies(reqs, 3*s)
	if none := (*noSteadyCompletionError)(nil); !errors.As(err, &none) || !strings.Contains(err.Error(), "after its 3.0 s warm-up") {
		t.Errorf("no request after the warm-up: %v", err)
	}
	if ttft, _, err := steadyLatencies(reqs, 0); err != nil || len(ttft) != 1 {
		t.Errorf("from 0: %d requests (%v), want 1", len(ttft), err)
	}
}
