package data

import (
	"context"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"

	"aiecon/sim"
)

func openTemp(t *testing.T) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "test.duckdb")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

// reopenReadOnly closes s (Close must succeed: it is what makes a store
// durable) and opens the file at path again read-only, as a reader would.
func reopenReadOnly(t *testing.T, s *Store, path string) *Store {
	t.Helper()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	ro, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ro.Close() })
	return ro
}

// storeRun writes a synthetic run to completion and returns its id.
func storeRun(t *testing.T, s *Store, r *synthRun, name string) string {
	t.Helper()
	w, err := s.BeginRun(context.Background(), RunInfo{Name: name, ScenarioYAML: "name: " + name + "\n", Seed: r.Meta.Seed, Version: "test"})
	if err != nil {
		t.Fatalf("BeginRun: %v", err)
	}
	if err := r.play(w, 1000, true); err != nil {
		t.Fatalf("play: %v", err)
	}
	if err := w.Finish(1.5); err != nil {
		t.Fatalf("Finish: %v", err)
	}
	return w.ID()
}

// sameFloat compares with NaN equal to NaN: the store keeps "undefined".
func sameFloat(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }

func sameWindows(a, b sim.WindowRecord) bool {
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	for i := 0; i < va.NumField(); i++ {
		fa, fb := va.Field(i), vb.Field(i)
		if fa.Kind() == reflect.Float64 {
			if !sameFloat(fa.Float(), fb.Float()) {
				return false
			}
		} else if fa.Interface() != fb.Interface() {
			return false
		}
	}
	return true
}

func TestRoundTrip(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	r := newSynthRun(1, 25_000) // more than chunkRows: batches are split and recycled
	id := storeRun(t, s, r, "roundtrip")

	meta, err := s.RunMeta(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(meta, r.Meta) {
		t.Errorf("RunMeta:\n got %+v\nwant %+v", meta, r.Meta)
	}
	var reqs []sim.RequestRecord
	if err := s.ScanRequests(ctx, id, func(q sim.RequestRecord) error { reqs = append(reqs, q); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(reqs) != len(r.Requests) {
		t.Fatalf("requests: got %d, want %d", len(reqs), len(r.Requests))
	}
	for i := range reqs {
		if reqs[i] != r.Requests[i] {
			t.Fatalf("request %d:\n got %+v\nwant %+v", i, reqs[i], r.Requests[i])
		}
	}
	var sess []sim.SessionRecord
	if err := s.ScanSessions(ctx, id, func(x sim.SessionRecord) error { sess = append(sess, x); return nil }); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(sess, r.Sessions) {
		t.Errorf("sessions differ: got %d rows, want %d; first got %+v want %+v", len(sess), len(r.Sessions), sess[0], r.Sessions[0])
	}
	var aucs []sim.AuctionRecord
	if err := s.ScanAuctions(ctx, id, func(x sim.AuctionRecord) error { aucs = append(aucs, x); return nil }); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(aucs, r.Auctions) {
		t.Errorf("auctions differ: got %d rows, want %d", len(aucs), len(r.Auctions))
	}
	wins, err := s.Windows(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(wins) != len(r.Windows) {
		t.Fatalf("windows: got %d, want %d", len(wins), len(r.Windows))
	}
	for i := range wins {
		if !sameWindows(wins[i], r.Windows[i]) {
			t.Errorf("window %d:\n got %+v\nwant %+v", i, wins[i], r.Windows[i])
		}
	}
	kpis, err := s.KPIs(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	want := map[[2]string]sim.KPI{}
	for _, k := range r.Summary.KPIs {
		want[[2]string{k.Scope, k.Name}] = k
	}
	if len(kpis) != len(want) {
		t.Errorf("KPIs: got %d, want %d", len(kpis), len(want))
	}
	for _, k := range kpis {
		w := want[[2]string{k.Scope, k.Name}]
		if w.Name != k.Name || w.Unit != k.Unit || !sameFloat(w.Value, k.Value) {
			t.Errorf("KPI %q scope %q: got %+v, want %+v", k.Name, k.Scope, k, w)
		}
	}

	d, err := s.Run(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if d.Run.Status != StatusComplete || d.Run.Error != "" {
		t.Errorf("status %q (error %q), want complete", d.Run.Status, d.Run.Error)
	}
	if d.Run.RequestsStored != int64(len(r.Requests)) || d.Run.SessionsStored != int64(len(r.Sessions)) ||
		d.Run.AuctionsStored != int64(len(r.Auctions)) || d.Run.WindowsStored != int64(len(r.Windows)) {
		t.Errorf("stored counts %d/%d/%d/%d, want %d/%d/%d/%d", d.Run.RequestsStored, d.Run.SessionsStored,
			d.Run.AuctionsStored, d.Run.WindowsStored, len(r.Requests), len(r.Sessions), len(r.Auctions), len(r.Windows))
	}
	if d.Run.WallS != 1.5 || d.Run.SimNs != r.Summary.SimNs || d.Run.Events != r.Summary.Events || d.Run.ScenarioYAML != "name: roundtrip\n" {
		t.Errorf("run record %+v", d.Run)
	}
	if d.Run.RevenueUSD != 101 || !math.IsNaN(d.Run.Utilization) {
		t.Errorf("headline: revenue %v (want 101), utilization %v (want NaN: not emitted)", d.Run.RevenueUSD, d.Run.Utilization)
	}
	for i, rep := range d.Replicas {
		if !rep.HasTotals || rep.Totals != r.Summary.Replicas[i] || rep.Meta != r.Meta.Replicas[i] {
			t.Errorf("replica %d: got %+v, want meta %+v totals %+v", i, rep, r.Meta.Replicas[i], r.Summary.Replicas[i])
		}
	}
}

func TestFinishWithoutSummaryFails(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	w, err := s.BeginRun(ctx, RunInfo{Name: "no-end"})
	if err != nil {
		t.Fatal(err)
	}
	if err := newSynthRun(2, 100).play(w, 50, false); err != nil {
		t.Fatal(err)
	}
	err = w.Finish(1)
	if err == nil || !strings.Contains(err.Error(), "no summary") {
		t.Fatalf("Finish without End: got %v, want an error about the missing summary", err)
	}
	d, err := s.Run(ctx, w.ID())
	if err != nil {
		t.Fatal(err)
	}
	if d.Run.Status != StatusFailed || !strings.Contains(d.Run.Error, "no summary") || len(d.KPIs) != 0 {
		t.Errorf("got status %q error %q with %d KPIs, want failed without KPIs", d.Run.Status, d.Run.Error, len(d.KPIs))
	}
	if d.Run.RequestsStored != 100 {
		t.Errorf("partial requests kept: %d, want 100", d.Run.RequestsStored)
	}
	if err := w.Fail(errors.New("again")); err != nil {
		t.Errorf("Fail after a failed Finish: %v, want nil", err)
	}
}

func TestFail(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	w, err := s.BeginRun(ctx, RunInfo{Name: "cancelled"})
	if err != nil {
		t.Fatal(err)
	}
	if err := newSynthRun(3, 10).play(w, 5, true); err != nil {
		t.Fatal(err)
	}
	if err := w.Fail(context.Canceled); err != nil {
		t.Fatalf("Fail: %v", err)
	}
	if err := w.Fail(context.Canceled); err != nil {
		t.Errorf("second Fail: %v, want nil", err)
	}
	if err := w.Finish(1); err == nil {
		t.Error("Finish after Fail succeeded")
	}
	if err := w.Requests([]sim.RequestRecord{{}}); err == nil {
		t.Error("Requests after Fail succeeded")
	}
	d, err := s.Run(ctx, w.ID())
	if err != nil {
		t.Fatal(err)
	}
	if d.Run.Status != StatusFailed || d.Run.Error != context.Canceled.Error() {
		t.Errorf("got %q %q, want failed %q", d.Run.Status, d.Run.Error, context.Canceled)
	}
	w2 := storeRun(t, s, newSynthRun(4, 10), "done")
	wr, _ := s.BeginRun(ctx, RunInfo{Name: "x"})
	_ = wr.Fail(errors.New("x"))
	_ = w2
}

func TestBadRecordStopsTheRun(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	w, err := s.BeginRun(ctx, RunInfo{Name: "bad"})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Begin(newSynthRun(1, 1).Meta); err != nil {
		t.Fatal(err)
	}
	_ = w.Requests([]sim.RequestRecord{{ID: 7, Status: 200}})
	// The error reaches the simulator on a later call (the writer is asynchronous).
	var sinkErr error
	for i := 0; i < 100 && sinkErr == nil; i++ {
		sinkErr = w.Windows([]sim.WindowRecord{{}})
	}
	err = w.Finish(1)
	if err == nil || !strings.Contains(err.Error(), "status code 200") {
		t.Fatalf("Finish: %v, want the bad status error", err)
	}
	if sinkErr != nil && !strings.Contains(sinkErr.Error(), "status code 200") {
		t.Errorf("sink error %v does not name the cause", sinkErr)
	}
	d, _ := s.Run(ctx, w.ID())
	if d.Run.Status != StatusFailed {
		t.Errorf("status %q, want failed", d.Run.Status)
	}
	// The stored counts are the rows that reached the tables, not those
	// handed to the writer: the bad request never did.
	var reqs, wins int64
	if err := s.DB().QueryRow(`SELECT (SELECT count(*) FROM requests WHERE run_id = $1), (SELECT count(*) FROM windows WHERE run_id = $1)`, w.ID()).Scan(&reqs, &wins); err != nil {
		t.Fatal(err)
	}
	if d.Run.RequestsStored != reqs || d.Run.WindowsStored != wins {
		t.Errorf("stored %d requests and %d windows, the tables hold %d and %d", d.Run.RequestsStored, d.Run.WindowsStored, reqs, wins)
	}
}

// TestConcurrentWriters streams runs from several goroutines at once and
// lines up their Finish calls, round after round, so that their final
// transactions (which update rows of runs without a lock) overlap.
func TestConcurrentWriters(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	const n, rounds = 4, 5
	for round := 0; round < rounds; round++ {
		ids := make([]string, n)
		var wg, ready sync.WaitGroup
		start := make(chan struct{})
		errs := make(chan error, n)
		for i := 0; i < n; i++ {
			wg.Add(1)
			ready.Add(1)
			go func(i int) {
				defer wg.Done()
				r := newSynthRun(uint64(10+i), 5000)
				w, err := s.BeginRun(ctx, RunInfo{Name: "parallel", SweepID: "sw", SweepPoint: i})
				if err != nil {
					ready.Done()
					errs <- err
					return
				}
				ids[i] = w.ID()
				err = r.play(w, 700, true)
				ready.Done()
				<-start
				if err != nil {
					errs <- err
					return
				}
				errs <- w.Finish(0.1)
			}(i)
		}
		ready.Wait()
		close(start)
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
		}
		for i, id := range ids {
			d, err := s.Run(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			var count int64
			if err := s.DB().QueryRowContext(ctx, `SELECT count(*) FROM requests WHERE run_id = ?`, id).Scan(&count); err != nil {
				t.Fatal(err)
			}
			if d.Run.Status != StatusComplete || count != 5000 || d.Run.SweepPoint != i {
				t.Errorf("round %d run %d: status %s, %d requests, point %d", round, i, d.Run.Status, count, d.Run.SweepPoint)
			}
		}
	}
}

// TestConcurrentShortRuns has eight writers register, fill and finish
// short runs as fast as they can, as sweep workers do: registrations and
// completions overlap in every combination, with no lock of aiecon's.
func TestConcurrentShortRuns(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	const writers, runs, requests = 8, 25, 60
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for g := 0; g < writers; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < runs; i++ {
				w, err := s.BeginRun(ctx, RunInfo{Name: "short", SweepID: "sw", SweepPoint: g*runs + i})
				if err == nil {
					err = newSynthRun(uint64(g*runs+i), requests).play(w, 20, true)
				}
				if err == nil {
					err = w.Finish(0.01)
				}
				if err != nil {
					errs <- fmt.Errorf("writer %d run %d: %w", g, i, err)
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	var complete, points, rows int64
	if err := s.DB().QueryRowContext(ctx, `SELECT count(*), count(DISTINCT sweep_point),
		(SELECT count(*) FROM requests) FROM runs WHERE status = 'complete'`).Scan(&complete, &points, &rows); err != nil {
		t.Fatal(err)
	}
	if complete != writers*runs || points != writers*runs || rows != writers*runs*requests {
		t.Errorf("%d complete runs of %d distinct points, %d requests; want %d, %d, %d",
			complete, points, rows, writers*runs, writers*runs, writers*runs*requests)
	}
}

func TestStoreCloseFailsOpenRuns(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.duckdb")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	w, err := s.BeginRun(context.Background(), RunInfo{Name: "left-open"})
	if err != nil {
		t.Fatal(err)
	}
	s = reopenReadOnly(t, s, path)
	d, err := s.Run(context.Background(), w.ID())
	if err != nil {
		t.Fatal(err)
	}
	if d.Run.Status != StatusFailed || !strings.Contains(d.Run.Error, "closed") {
		t.Errorf("got %q %q, want failed because the store closed", d.Run.Status, d.Run.Error)
	}
}

// TestCloseRightAfterFinish: closing the store just after a run finished must
// not report the (complete) run as failing.
func TestCloseRightAfterFinish(t *testing.T) {
	for i := 0; i < 20; i++ {
		s, err := Open(filepath.Join(t.TempDir(), "c.duckdb"), Options{})
		if err != nil {
			t.Fatal(err)
		}
		w, err := s.BeginRun(context.Background(), RunInfo{Name: "quick"})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Begin(sim.RunMeta{Scenario: "quick", RequestSampleRate: 1}); err != nil {
			t.Fatal(err)
		}
		if err := w.End(sim.Summary{}); err != nil {
			t.Fatal(err)
		}
		if err := w.Finish(0.1); err != nil {
			t.Fatal(err)
		}
		if err := s.Close(); err != nil {
			t.Fatalf("close after finish: %v", err)
		}
	}
}

// TestReplicasAddedDuringTheRun: replicas the meta did not announce (an
// autoscaler's) are stored with their totals, beside the announced ones.
func TestReplicasAddedDuringTheRun(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "r.duckdb"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	w, err := s.BeginRun(ctx, RunInfo{Name: "scaled"})
	if err != nil {
		t.Fatal(err)
	}
	meta := sim.RunMeta{Scenario: "scaled", RequestSampleRate: 1, Replicas: []sim.ReplicaMeta{
		{ID: 0, Instance: 0, Type: "p5.48xlarge", TP: 8}, {ID: 1, Instance: 0, Type: "p5.48xlarge", TP: 8}}}
	if err := w.Begin(meta); err != nil {
		t.Fatal(err)
	}
	sum := sim.Summary{KPIs: []sim.KPI{{Name: "cost_usd", Value: 1, Unit: "USD"}}, Replicas: []sim.ReplicaRecord{
		{ID: 0, Instance: 0, Iterations: 10, Completed: 3},
		{ID: 1, Instance: 0, Iterations: 20, Completed: 4},
		{ID: 2, Instance: 1, Iterations: 30, Completed: 5}, // added by the autoscaler
	}}
	if err := w.End(sum); err != nil {
		t.Fatal(err)
	}
	if err := w.Finish(0.1); err != nil {
		t.Fatal(err)
	}
	rows, err := s.DB().QueryContext(ctx, `SELECT replica_id, iterations, completed FROM replicas WHERE run_id = ? ORDER BY replica_id`, w.ID())
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got [][3]int64
	for rows.Next() {
		var r [3]int64
		if err := rows.Scan(&r[0], &r[1], &r[2]); err != nil {
			t.Fatal(err)
		}
		got = append(got, r)
	}
	want := [][3]int64{{0, 10, 3}, {1, 20, 4}, {2, 30, 5}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("replicas %v, want %v", got, want)
	}
}

// TestOpenThreads: Options.Threads sets the worker threads of the
// instance an Open creates, read-only or read-write (the dashboard sets
// one), and an Open that shares this process's read-write instance runs on
// that instance's threads.
func TestOpenThreads(t *testing.T) {
	path := filepath.Join(t.TempDir(), "threads.duckdb")
	rw, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	threads := func(s *Store) string {
		t.Helper()
		var v string
		if err := s.DB().QueryRow("SELECT current_setting('threads')::VARCHAR").Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	defaultThreads := threads(rw)
	// One more than DuckDB's default, so that the setting shows on any machine.
	n, err := strconv.Atoi(defaultThreads)
	if err != nil {
		t.Fatal(err)
	}
	shared, err := Open(path, Options{ReadOnly: true, Threads: n + 1})
	if err != nil {
		t.Fatal(err)
	}
	if got := threads(shared); got != defaultThreads {
		t.Errorf("a read-only Open sharing the read-write instance runs on %s threads, want the instance's %s", got, defaultThreads)
	}
	shared.Close()
	if err := rw.Close(); err != nil {
		t.Fatal(err)
	}
	for _, opts := range []Options{{ReadOnly: true, Threads: n + 1}} {
		ro, err := Open(path, opts)
		if err != nil {
			t.Fatal(err)
		}
		if got := threads(ro); got != strconv.Itoa(n+1) {
			t.Errorf("read-only Open with Threads %d: DuckDB's threads = %s", n+1, got)
		}
		if err := ro.Close(); err != nil {
			t.Fatal(err)
		}
	}
	// A read-write Open (the dashboard's launch) sets them too, for the
	// request appenders' handle on the instance and the read-only Opens
	// that share it: DuckDB refuses either unless its configuration is the
	// instance's.
	rw, err = Open(path, Options{Threads: n + 1})
	if err != nil {
		t.Fatal(err)
	}
	storeRun(t, rw, newSynthRun(1, 100), "threads")
	shared, err = Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []*Store{rw, shared} {
		if got := threads(s); got != strconv.Itoa(n+1) {
			t.Errorf("read-write Open with Threads %d: a Store on its instance runs on %s threads", n+1, got)
		}
	}
	shared.Close()
	if err := rw.Close(); err != nil {
		t.Fatal(err)
	}
}
