package tui

import (
	"testing"

	"aiecon/data"
)

func TestRepresentative(t *testing.T) {
	run := func(id string, rep int, status string) data.RunSummary {
		return data.RunSummary{ID: id, Replication: rep, Status: status}
	}
	ok, failed := data.StatusComplete, data.StatusFailed
	for _, tc := range []struct {
		name string
		runs []data.RunSummary
		want string
	}{
		{"replication 1 started first", []data.RunSummary{run("r1", 1, ok), run("r0", 0, ok)}, "r0"},
		{"a complete run beats a failed lower replication", []data.RunSummary{run("f0", 0, failed), run("r1", 1, ok)}, "r1"},
		{"the oldest of a resumed replication", []data.RunSummary{run("f0", 0, failed), run("r0", 0, ok), run("r0b", 0, ok)}, "r0"},
		{"only failed runs", []data.RunSummary{run("f1", 1, failed), run("f0", 0, failed)}, "f0"},
		{"no runs", nil, ""},
	} {
		got, found := representative(data.SweepPoint{Runs: tc.runs})
		if got.ID != tc.want || found != (tc.want != "") {
			t.Errorf("%s: got %q (%v), want %q", tc.name, got.ID, found, tc.want)
		}
	}
}
