package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSweepVsOnePoint: --vs on a sweep of one point is refused before
// anything runs, saying that there is no other point to compare, where it
// printed a PAIRED DIFFERENCES table of its header alone; the stored
// summary refuses it in the same words (study.OnePointError), where the
// two said it differently.
func TestSweepVsOnePoint(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "onept.yaml")
	src := "name: onept\nbase: baseline\nset: {horizon: 30s}\nparameters:\n  fleet.count: [2]\nreplications: 3\n"
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "s.duckdb")
	code, out, errs := hwRun(t, "", "--db", db, "-q", "sweep", file, "--vs", "0")
	want := "--vs 0: no paired differences: sweep onept holds point 0 alone, so there is no other point to compare with it"
	if code != exitUsage || !strings.Contains(errs, want) || strings.Contains(out, "PAIRED") {
		t.Errorf("exit %d, stdout %q, stderr %q; want exit 2 saying %q", code, out, errs, want)
	}
	if _, err := os.Stat(db); err == nil {
		t.Error("the refused sweep created the store: it ran")
	}
	// Stored, then shown with --vs: the summary refuses it too.
	if code, _, errs := hwRun(t, "", "--db", db, "-q", "sweep", file); code != exitOK {
		t.Fatalf("the sweep: exit %d: %s", code, errs)
	}
	code, out, errs = hwRun(t, "", "--db", db, "sweep", "--show", "last", "--vs", "0")
	if code != exitUsage || !strings.Contains(errs, want) || strings.Contains(out, "PAIRED") {
		t.Errorf("--show last --vs 0: exit %d, stdout %q, stderr %q; want exit 2 saying %q, as before the sweep ran", code, out, errs, want)
	}
}
