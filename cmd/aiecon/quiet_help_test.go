package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// -q said "no progress output on stderr", and run, sweep and forecast said
// nothing of what it keeps: a reader could take it for silencing their
// warnings too. Each help now says both, and the commands keep their
// warnings under -q: a --set given twice is warned of on stderr.
func TestQuietHelpSaysWhatItKeeps(t *testing.T) {
	root := newRootCmd(&env{stdout: &strings.Builder{}, stderr: &strings.Builder{}})
	for _, name := range []string{"run", "sweep", "forecast"} {
		c, _, err := root.Find([]string{name})
		if err != nil {
			t.Fatal(err)
		}
		long := strings.Join(strings.Fields(c.Long), " ")
		for _, want := range []string{"-q (--quiet) silences the progress only", "warnings on stderr, still print"} {
			if !strings.Contains(long, want) {
				t.Errorf("%s --help does not say %q of -q", name, want)
			}
		}
	}
	dir := t.TempDir()
	sweep := filepath.Join(dir, "two.yaml")
	if err := os.WriteFile(sweep, []byte("name: two\nbase: inferentia-small\nset: {horizon: 1m}\nparameters:\n  fleet.count: [1, 2]\nreplications: 1\nkpis: [cost_per_mtok_usd]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	twice := []string{"--set", "seed=2", "--set", "seed=3"}
	for _, tt := range []struct {
		name     string
		args     []string
		progress string // what the command prints without -q, gone with it
	}{
		{"run", []string{"run", "inferentia-small", "--horizon", "1m", "--no-store"}, ""},
		{"sweep", []string{"sweep", sweep, "--no-store"}, "runs to do"},
	} {
		code, out, errs := runMain(t, filepath.Join(dir, "aiecon.duckdb"), append(append(tt.args, twice...), "-q")...)
		if code != 0 || out == "" {
			t.Fatalf("%s -q: exit %d, stdout %q, stderr %q", tt.name, code, out, errs)
		}
		if !strings.Contains(errs, "aiecon: warning: ") {
			t.Errorf("%s -q: stderr %q, want the warning of the --set given twice", tt.name, errs)
		}
		if tt.progress != "" && strings.Contains(errs, tt.progress) {
			t.Errorf("%s -q: stderr %q has its progress (%q)", tt.name, errs, tt.progress)
		}
	}
}
