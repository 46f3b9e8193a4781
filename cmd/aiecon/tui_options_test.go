package main

import "testing"

// TestTuiOptionsCheckOverload: the dashboard gets aiecon run's overload
// check, so its sweep screen marks the points aiecon sweep marks
// OVERLOADED; without it the screen would mark none (review87 B4).
func TestTuiOptionsCheckOverload(t *testing.T) {
	opts := tuiOptions(&env{dbPath: "x.duckdb"}, true)
	if opts.Overload == nil || opts.Path != "x.duckdb" || !opts.Snapshot {
		t.Errorf("tui options %+v: want the store, the snapshot flag and the overload check", opts)
	}
}
