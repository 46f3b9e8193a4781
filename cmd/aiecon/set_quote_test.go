package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSetWithATabIsQuotedInErrors: an error naming a --set whose value
// holds a tab (inside quotes, where YAML keeps it) quotes the --set with
// its escapes, as a path holding one is: the raw tab reached the terminal,
// read as spaces, in each of these.
func TestSetWithATabIsQuotedInErrors(t *testing.T) {
	dir := t.TempDir()
	sweep := filepath.Join(dir, "sw.yaml")
	if err := os.WriteFile(sweep, []byte("name: sw\nbase: baseline\nset: {horizon: 10s}\nparameters:\n  fleet.count: [1, 2]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"a value the scenario refuses", []string{"run", "baseline", "--no-store", "--set", "fleet.instance=\"trn2\tx\""},
			`--set "fleet.instance=\"trn2\tx\"": fleet.instance: unknown instance "trn2\tx"`},
		{"a flag and its --set", []string{"run", "baseline", "--no-store", "--horizon", "1m", "--set", "horizon=\"1m\t\""},
			`--horizon 1m and --set "horizon=\"1m\t\"" both set horizon; give one`},
		{"a --set of a field a variant sets", []string{"run", "gpu-vs-trainium", "--no-store", "--set", "fleet.instance=\"a\tb\""},
			`--set "fleet.instance=\"a\tb\"" changes fleet.instance, which variant trn2 sets`},
		{"a --set of a field a sweep varies", []string{"sweep", sweep, "--dry-run", "--set", "fleet.count=\"a\tb\""},
			`--set "fleet.count=\"a\tb\"": changes fleet.count, which the sweep varies`},
		{"a sweep's --set of a block", []string{"sweep", sweep, "--dry-run", "--set", "ads=\"a\tb\""},
			`--set "ads=\"a\tb\"": ads is a block of fields`},
		{"a sweep's --set with a bad path", []string{"sweep", sweep, "--dry-run", "--set", "fleet.\x1bcount=1"},
			`aiecon: --set "fleet.\x1bcount=1": the path holds the unprintable character U+001B`},
		{"optimize's --set", []string{"optimize", "baseline", "--db", filepath.Join(dir, "o.duckdb"), "--set", "fleet.instance=\"a\tb\""},
			`--set "fleet.instance=\"a\tb\"": fleet.instance: unknown instance "a\tb"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, _, errs := hwRun(t, "", c.args...)
			if code != 2 || !strings.Contains(errs, c.want) || strings.ContainsAny(errs, "\t\x1b") {
				t.Errorf("exit %d, stderr %q; want exit 2 with %q and no raw tab or escape", code, errs, c.want)
			}
		})
	}
}
