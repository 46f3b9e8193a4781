package main

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"aiecon/data"
)

// TestTuiOptionsCheckOverload: the dashboard gets aiecon run's overload
// checks, so its sweep screen marks the points aiecon sweep marks
// OVERLOADED and its compare screen the runs aiecon compare marks; without
// them the screens would mark none (review87 B4).
func TestTuiOptionsCheckOverload(t *testing.T) {
	opts := tuiOptions(&env{dbPath: "x.duckdb"}, true)
	if opts.Overload == nil || opts.RunsOverloaded == nil || opts.Path != "x.duckdb" || !opts.Snapshot {
		t.Errorf("tui options %+v: want the store, the snapshot flag and the overload check", opts)
	}
}

// TestTuiOptionsRunWarnings: the dashboard's run screen gets the warnings
// aiecon show prints for a stored run, from show's own checks: baseline's
// SESSIONS ABANDONED and COMMERCE COUNTED GROSS among them. It showed
// none (review98 F1).
func TestTuiOptionsRunWarnings(t *testing.T) {
	db := filepath.Join(t.TempDir(), "s.duckdb")
	if code, _, errs := cli(t, db, "", "run", "baseline", "--horizon", "10m", "--quiet"); code != 0 {
		t.Fatalf("run: exit %d: %s", code, errs)
	}
	_, shown, _ := cli(t, db, "", "show", "last", "--width", "0")
	_, block, _ := strings.Cut(shown, "\nWARNING\n")
	st, err := data.Open(db, data.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	id, err := st.ResolveRun(ctx, "last")
	if err != nil {
		t.Fatal(err)
	}
	d, err := st.Run(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	opts := tuiOptions(&env{dbPath: db}, false)
	if opts.RunWarnings == nil {
		t.Fatal("the dashboard gets no run warnings")
	}
	ws := opts.RunWarnings(d)
	var labels []string
	for _, w := range ws {
		label, _, _ := strings.Cut(w, ":")
		labels = append(labels, label)
		if !strings.Contains(block, w) {
			t.Errorf("the dashboard's warning %q is not show's:\n%s", w, block)
		}
	}
	for _, want := range []string{"SESSIONS ABANDONED", "COMMERCE COUNTED GROSS"} {
		if !slices.Contains(labels, want) {
			t.Errorf("the dashboard's warnings %v lack %s", labels, want)
		}
	}
	if got, want := len(ws), strings.Count(strings.TrimSpace(block), "\n")+1; got != want {
		t.Errorf("the dashboard has %d warnings, show %d:\n%s", got, want, block)
	}
}
