package data

import (
	"context"
	"errors"
	"testing"
)

// TestPartialRowsRemovedOnOpen: a failed run's partial records stay until
// the next read-write Open, which removes them and keeps the run's row and
// error; a complete run is untouched.
func TestPartialRowsRemovedOnOpen(t *testing.T) {
	s, path := openTemp(t)
	ctx := context.Background()
	done := storeRun(t, s, newSynthRun(1, 200), "done")
	w, err := s.BeginRun(ctx, RunInfo{Name: "broken", Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if err := newSynthRun(2, 300).play(w, 50, false); err != nil {
		t.Fatal(err)
	}
	if err := w.Fail(errors.New("interrupted: context canceled")); err != nil {
		t.Fatal(err)
	}
	failed := w.ID()
	count := func(s *Store, table, id string) int {
		t.Helper()
		var n int
		if err := s.DB().QueryRow("SELECT count(*) FROM "+table+" WHERE run_id = ?", id).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(s, "requests", failed); n == 0 {
		t.Fatal("the failed run stored no partial requests: the test proves nothing")
	}
	doneBefore := map[string]int{}
	for _, tb := range partialTables {
		doneBefore[tb] = count(s, tb, done)
	}
	ro := reopenReadOnly(t, s, path)
	if n := count(ro, "requests", failed); n == 0 {
		t.Error("a read-only open removed partial rows")
	}
	ro.Close()

	rw, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer rw.Close()
	for _, tb := range partialTables {
		if n := count(rw, tb, failed); n != 0 {
			t.Errorf("%s: %d partial rows of the failed run left", tb, n)
		}
		if n := count(rw, tb, done); n != doneBefore[tb] {
			t.Errorf("%s: the complete run has %d rows, had %d", tb, n, doneBefore[tb])
		}
	}
	d, err := rw.Run(ctx, failed)
	if err != nil {
		t.Fatal(err)
	}
	if d.Run.Status != StatusFailed || d.Run.Error != "interrupted: context canceled" || d.Run.RequestsStored != 0 || len(d.Workloads) == 0 {
		t.Errorf("failed run after cleanup: status %q error %q requests_stored %d, %d workloads",
			d.Run.Status, d.Run.Error, d.Run.RequestsStored, len(d.Workloads))
	}
}
