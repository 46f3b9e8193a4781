package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRepeatedSetWarns: a path two --set give is accepted (a script
// overrides on purpose) with a warning on stderr naming the path and the
// value that wins, the last; it was accepted silently (review230 F17).
func TestRepeatedSetWarns(t *testing.T) {
	dir := t.TempDir()
	sweep := filepath.Join(dir, "sw.yaml")
	if err := os.WriteFile(sweep, []byte("name: sw\nbase: baseline\nset: {horizon: 1s}\nparameters:\n  fleet.count: [1, 2]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "x.duckdb")
	warn := "aiecon: warning: horizon is set 2 times (--set horizon=2s, --set horizon=1s); the last, --set horizon=1s, wins"
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"run", []string{"run", "baseline", "--no-store", "--set", "horizon=2s", "--set", "fleet.count=1", "--set", "horizon=1s"}, warn},
		{"sweep", []string{"sweep", sweep, "--dry-run", "--set", "horizon=2s", "--set", "horizon=1s"}, warn},
		// The warning comes before the search reads the scenario, here
		// refused: optimize's check, run without a search.
		{"optimize", []string{"optimize", filepath.Join(dir, "none.yaml"), "--set", "horizon=2s", "--set", "horizon=1s"}, warn},
		{"three times, spaced", []string{"run", "baseline", "--no-store", "--set", "seed=1", "--set", "seed =2", "--set", "seed=3", "--set", "horizon=1s"},
			"aiecon: warning: seed is set 3 times (--set seed=1, --set seed =2, --set seed=3); the last, --set seed=3, wins"},
		{"no repeat", []string{"run", "baseline", "--no-store", "--set", "fleet.count=1", "--set", "horizon=1s"}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, errs := cli(t, db, "", c.args...)
			if c.want == "" && strings.Contains(errs, "warning: ") || !strings.Contains(errs, c.want) {
				t.Errorf("stderr %q; want %q", errs, c.want)
			}
		})
	}
}
