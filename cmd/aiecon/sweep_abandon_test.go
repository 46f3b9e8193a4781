package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestSweepWarnsSessionsAbandoned: a sweep's summary applies run's
// SESSIONS ABANDONED check to the runs it counts: baseline's points
// abandoned 46% of their shopping sessions at 99% SLO attainment over 2
// minutes, which run warns of and the summary did not, in the table or in
// JSON's warnings.
func TestSweepWarnsSessionsAbandoned(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("simulates a sweep of one run")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "ab.yaml")
	spec := "name: ab\nbase: baseline\nset:\n  horizon: 2m\nparameters:\n  fleet.count: [4]\nreplications: 1\nkpis: [cost_per_mtok_usd]\n"
	if err := os.WriteFile(path, []byte(spec), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "ab.duckdb")
	code, out, errs := cli(t, db, "", "sweep", path, "-q", "-j", "1", "--width", "0")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	const head = "SESSIONS ABANDONED: in 1 of the 1 run counted, as aiecon run warns; at the largest share, shopping-assistant abandons "
	if !strings.Contains(out, head) || !strings.Contains(out, "shopping-assistant abandons ") {
		t.Errorf("the table does not warn of abandoned sessions:\n%s", out)
	}
	code, js, errs := cli(t, db, "", "sweep", "--show", "last", "--format", "json")
	if code != exitOK {
		t.Fatalf("--show --format json: exit %d: %s", code, errs)
	}
	var sum struct {
		Warnings []string `json:"warnings"`
	}
	if err := json.Unmarshal([]byte(js), &sum); err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(sum.Warnings, func(w string) bool { return strings.HasPrefix(w, head) }) {
		t.Errorf("JSON warnings %q, want SESSIONS ABANDONED", sum.Warnings)
	}
}
