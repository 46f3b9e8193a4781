package main

import "testing"

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
