package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSweepSummaryCaveats: a sweep's summary prints, under its table, the
// caveats run prints for the same scenarios: the step-times coverage of
// the points' instance types (baseline's trn2 constants rest on 2
// measurements; the dashboard's sweep screen said so, the CLI did not) and
// run's SUSPECT VALUE checks, once a field, with the points they fired at
// (a TPOT target below trn2's fastest step said nothing).
func TestSweepSummaryCaveats(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("simulates a sweep of two runs")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "tpot.yaml")
	spec := "name: tpot\nbase: baseline\nset:\n  horizon: 1m\nparameters:\n  workloads[chat].slo.tpot: [1ms, 100ms]\n" +
		"replications: 1\nkpis: [cost_per_mtok_usd]\n"
	if err := os.WriteFile(path, []byte(spec), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := cli(t, filepath.Join(dir, "s.duckdb"), "", "sweep", path, "-q", "-j", "1", "--width", "0")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{
		"For the trn2.48xlarge points: STEP TIMES THINLY FITTED",
		"SUSPECT VALUE: workloads[chat].slo.tpot is 1ms, below the fastest a replica can emit a token",
		"(At 1 of the 2 points checked.)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the summary lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "slo.tpot is 100ms") {
		t.Errorf("a 100ms TPOT target is warned of:\n%s", out)
	}
}
