package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPathWithATabIsEscapedInErrors: a path holding a tab or an escape
// comes back inside the operating system's error (open PATH: ...) and
// our own, and reached the terminal raw, the tab breaking the line and
// the escape rewriting the screen. Every file the commands read, whatever
// names it, is shown with Go's escapes.
func TestPathWithATabIsEscapedInErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "a\tb\x1b[2J")
	shown := strings.NewReplacer("\t", `\t`, "\x1b", `\x1b`).Replace(bad)
	trace := filepath.Join(dir, "trace.yaml")
	base, err := os.ReadFile("../../model/scenarios/baseline.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(trace, base, 0o644); err != nil {
		t.Fatal(err)
	}
	traceSets := []string{"--set", "workloads[0].arrivals.process=trace", "--set", "workloads[0].arrivals.rate=null",
		"--set", "workloads[0].arrivals.trace.path=" + strings.NewReplacer("\t", `\t`, "\x1b", `\x1b`).Replace(`"`+bad+`.csv"`)}
	for _, c := range []struct {
		name string
		args []string
	}{
		{"a scenario file", []string{"run", bad + ".yaml", "--no-store"}},
		{"--calibration", []string{"run", "baseline", "--no-store", "--calibration", bad + ".json"}},
		{"a trace", append([]string{"run", trace, "--no-store"}, traceSets...)},
		{"hw fit --points", []string{"hw", "fit", "--points", bad + ".csv"}},
		{"validate", []string{"validate", bad + ".csv"}},
		{"a sweep file", []string{"sweep", bad + ".yaml", "--dry-run"}},
		{"a forecast file", []string{"forecast", bad + ".yaml"}},
		{"calibrate show", []string{"calibrate", "show", bad + ".json"}},
		{"--db", []string{"runs", "--db", bad + ".duckdb"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, _, errs := hwRun(t, "", c.args...)
			if code != 2 || !strings.Contains(errs, shown) || strings.ContainsAny(errs, "\t\x1b") {
				t.Errorf("exit %d, stderr %q; want exit 2 naming %s, with no raw tab or escape", code, errs, shown)
			}
		})
	}
}

// TestStorePathDuckDBCannotOpen: a --db path DuckDB's driver cannot read
// (it parses the path as a URL) is the user's to change, exit 2 naming the
// flag and the path quoted; it failed with "could not parse DSN", exit 1.
func TestStorePathDuckDBCannotOpen(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ path, want string }{
		{filepath.Join(dir, "a\tb.duckdb"), `--db "` + dir + `/a\tb.duckdb": is not a path DuckDB can open`},
		{filepath.Join(dir, "a%zz.duckdb"), "--db " + dir + "/a%zz.duckdb: is not a path DuckDB can open"},
	} {
		code, _, errs := hwRun(t, "", "run", "baseline", "--horizon", "1s", "--db", c.path)
		if code != 2 || !strings.Contains(errs, c.want) {
			t.Errorf("exit %d, stderr %q; want exit 2 with %q", code, errs, c.want)
		}
	}
}
