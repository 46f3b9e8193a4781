package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestShowInterruptedRunScenario: a run stores its scenario's name and
// window width only as it ends, so show of an interrupted run printed
// "scenario -" and "windows of 0s". It now takes them from the stored
// scenario, and says what is not recorded where that is gone too.
func TestShowInterruptedRunScenario(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "s.duckdb")
	if code, _, stderr := cli(t, db, "", "run", "--horizon", "1m", "-q"); code != exitOK {
		t.Fatalf("run: exit %d\n%s", code, stderr)
	}
	for _, tt := range []struct {
		update, want string
	}{
		{"UPDATE runs SET status = 'failed', scenario = NULL, window_ns = NULL", " baseline, seed 1, horizon 1m, windows of 1m\n"},
		{"UPDATE runs SET resolved_yaml = ''", " not recorded, seed 1, horizon 1m, window width not recorded\n"},
	} {
		if code, _, stderr := cli(t, db, "", "sql", "--write", tt.update); code != exitOK {
			t.Fatalf("%s: exit %d\n%s", tt.update, code, stderr)
		}
		code, stdout, stderr := cli(t, db, "", "show", "last")
		if code != exitOK || !strings.Contains(stdout, tt.want) {
			t.Errorf("after %s: exit %d\n%s%s\nwant %q", tt.update, code, stdout, stderr, tt.want)
		}
	}
}
