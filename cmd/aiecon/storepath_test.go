package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestStorePathEndingInSeparator: a store path ending in a separator names
// a folder and is refused (exit 2), as an existing folder is, whether it
// comes from --db, $AIECON_DB, merge's output or doctor's --out, and for
// every command (tui too, before it asks for a terminal); nothing is
// created (DuckDB made a file "nd3" and the run said it was stored in nd3/;
// doctor --out nd3/ salvaged "into nd3/", a file).
func TestStorePathEndingInSeparator(t *testing.T) {
	dir := t.TempDir()
	nd := filepath.Join(dir, "nd3") + "/"
	for _, c := range []struct {
		env  string
		args []string
		want string
	}{
		{"", []string{"--db", nd, "run", "-q", "--horizon", "1m"}, "--db " + nd + ": ends in a path separator, so names a folder; a store is a file, e.g. " + filepath.Join(nd, "aiecon.duckdb")},
		{nd, []string{"run", "-q", "--horizon", "1m"}, "$AIECON_DB " + nd + ": ends in a path separator"},
		{"", []string{"merge", nd, filepath.Join(dir, "s.duckdb")}, "merge: output " + nd + ": ends in a path separator"},
		{"", []string{"--db", nd, "tui"}, "--db " + nd + ": ends in a path separator"},
		{"", []string{"doctor", "--db", filepath.Join(dir, "s.duckdb"), "--out", nd}, "doctor: --out " + nd + ": ends in a path separator"},
	} {
		t.Setenv("AIECON_DB", c.env)
		code, _, errs := hwRun(t, "", c.args...)
		if code != 2 || !strings.Contains(errs, c.want) {
			t.Errorf("%v (AIECON_DB %q): exit %d, %q; want exit 2 with %q", c.args, c.env, code, errs, c.want)
		}
		if _, err := os.Stat(filepath.Join(dir, "nd3")); err == nil {
			t.Fatalf("%v: created %s", c.args, filepath.Join(dir, "nd3"))
		}
	}
}
