package data

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"aiecon/sim"
)

// TestRequestNullsAcrossChunks checks the columnar appender's validity
// masks: NULLs in one data chunk must not leak into the next (a chunk
// reset hands out all-valid masks) and must survive a chunk boundary.
func TestRequestNullsAcrossChunks(t *testing.T) {
	s, _ := openTemp(t)
	r := newSynthRun(3, 0)
	const n = 3*2048 + 7
	for i := range n {
		q := sim.RequestRecord{ID: int64(i), Workload: int32(i % 2), Session: int64(i), Step: 1, Replica: 1,
			ArrivalNs: int64(i) * 10, StartNs: int64(i)*10 + 1, FirstTokenNs: int64(i)*10 + 2, FinishNs: int64(i)*10 + 3,
			PromptTokens: 100, CachedTokens: 10, OutputTokens: 5, RevenueUSD: float64(i) / 1e3}
		// Chunk 0: every nullable column NULL; chunk 1: none; chunk 2:
		// NULL in the first and last rows only; the tail: every other row.
		null := i < 2048 || i == 2*2048 || i == 3*2048-1 || (i >= 3*2048 && i%2 == 0)
		if null {
			q.Session, q.Replica, q.StartNs, q.FirstTokenNs, q.FinishNs = -1, -1, -1, -1, -1
			q.Status = sim.RequestStatus(len(sim.RequestStatusNames()) - 1)
		}
		r.Requests = append(r.Requests, q)
	}
	id := storeRun(t, s, r, "nulls")
	var got []sim.RequestRecord
	if err := s.ScanRequests(context.Background(), id, func(q sim.RequestRecord) error { got = append(got, q); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != n {
		t.Fatalf("got %d requests, want %d", len(got), n)
	}
	for i := range got {
		if got[i] != r.Requests[i] {
			t.Fatalf("request %d:\n got %+v\nwant %+v", i, got[i], r.Requests[i])
		}
	}
}

// TestRequestsLandInTheStoreFile checks that the request appender's own
// connection reaches the very database the store opened, also for a path
// that URL parsing could rewrite (a space, a percent sign): its rows must
// be in the file, and no second database may appear beside it.
func TestRequestsLandInTheStoreFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "my runs")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "a b%20c.duckdb")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	id := storeRun(t, s, newSynthRun(4, 3000), "odd path")
	s = reopenReadOnly(t, s, path)
	var n int
	if err := s.DB().QueryRow(`SELECT count(*) FROM requests WHERE run_id = ?`, id).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 3000 {
		t.Errorf("%d requests in %s, want 3000", n, path)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != filepath.Base(path) {
			t.Errorf("unexpected file %q beside the store", e.Name())
		}
	}
}
