package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// The MODELS table's cost is each model's instances over the run, and its
// cost per Mtok the instances' alone: headed `cost` and `$/Mtok`, the 70B
// pool's $35.76 over model-mix's 30 minutes read as one trn2's hourly
// price, and the cost per Mtok as ECONOMICS' all-costs figure. The header
// names the span (the horizon, and the drain where the run drains) and
// the basis.
func TestModelsTableSaysSpanAndBasis(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct {
		args []string
		head string
	}{
		{[]string{"--horizon", "2m"}, "cost (2m)  inst. $/Mtok"},
		{[]string{"--horizon", "1m", "--set", "drain=true"}, "cost (1m + drain)  inst. $/Mtok"},
	} {
		args := append([]string{"run", "model-mix", "--variant", "escalate-20", "--no-store"}, tt.args...)
		code, out, errs := cli(t, filepath.Join(dir, "s.duckdb"), "", args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", tt.args, code, errs)
		}
		_, models, _ := strings.Cut(out, "\nMODELS\n")
		models, _, _ = strings.Cut(models, "\n\n")
		if !strings.Contains(models, tt.head) || !strings.Contains(models, "cost: the model's instances over the run, not per hour") ||
			!strings.Contains(models, "(instances only)") {
			t.Errorf("%v: MODELS lacks %q or its footnote:\n%s", tt.args, tt.head, models)
		}
	}
}
