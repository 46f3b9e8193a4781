package data

import (
	"context"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"aiecon/sim"
)

func TestDerivedID(t *testing.T) {
	a, b := DerivedID([]byte("spec one")), DerivedID([]byte("spec two"))
	if !ValidID(a) || !ValidID(b) || a == b {
		t.Fatalf("DerivedID: %q, %q", a, b)
	}
	if again := DerivedID([]byte("spec one")); again != a {
		t.Errorf("DerivedID is not deterministic: %q then %q", a, again)
	}
	for _, bad := range []string{"", "abc", strings.Repeat("l", IDLength), strings.Repeat("A", IDLength)} {
		if ValidID(bad) {
			t.Errorf("ValidID(%q) = true", bad)
		}
	}
}

func TestEnsureSweepAndPoints(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	id := DerivedID([]byte("x"))
	info := SweepInfo{Name: "grid", SpecYAML: "name: grid\n", Replications: 2, Points: []string{`{"a":1}`, `{"a":2}`}}
	created, err := s.EnsureSweep(ctx, id, info)
	if err != nil || !created {
		t.Fatalf("EnsureSweep: %v, %v", created, err)
	}
	created, err = s.EnsureSweep(ctx, id, info)
	if err != nil || created {
		t.Errorf("EnsureSweep again: created %v, %v; want an idempotent no-op", created, err)
	}
	for name, changed := range map[string]SweepInfo{
		"spec":   {Name: "grid", SpecYAML: "name: other\n", Replications: 2, Points: info.Points},
		"points": {Name: "grid", SpecYAML: info.SpecYAML, Replications: 2, Points: []string{`{"a":1}`, `{"a":3}`}},
		"count":  {Name: "grid", SpecYAML: info.SpecYAML, Replications: 2, Points: info.Points[:1]},
	} {
		if _, err := s.EnsureSweep(ctx, id, changed); err == nil {
			t.Errorf("EnsureSweep with another %s accepted", name)
		}
	}
	if _, err := s.EnsureSweep(ctx, "not-an-id", info); err == nil {
		t.Error("a malformed id accepted")
	}
	first, err := s.ExtendSweep(ctx, id, "name: grid\nmore: 1\n", []string{`{"a":9}`})
	if err != nil || first != 2 {
		t.Fatalf("ExtendSweep: %d, %v", first, err)
	}
	if _, err := s.ExtendSweep(ctx, DerivedID([]byte("none")), "", []string{`{}`}); !errors.Is(err, ErrSweepNotFound) {
		t.Errorf("ExtendSweep of a missing sweep: %v", err)
	}
	if _, err := s.ExtendSweep(ctx, id, "", []string{`{not json`}); err == nil {
		t.Error("ExtendSweep with bad JSON accepted")
	}
	sw, err := s.Sweep(ctx, id)
	if err != nil || sw.Points != 3 || sw.Name != "grid" || sw.SpecYAML != "name: grid\nmore: 1\n" {
		t.Errorf("Sweep: %+v, %v", sw, err)
	}
	pts, err := s.SweepPoints(ctx, id)
	if err != nil || len(pts) != 3 || pts[2].ParamsJSON != `{"a":9}` {
		t.Errorf("SweepPoints: %+v, %v", pts, err)
	}
	if got, err := s.ResolveSweep(ctx, id[:6]); err != nil || got != id {
		t.Errorf("ResolveSweep(prefix) = %q, %v", got, err)
	}
	if got, err := s.ResolveSweep(ctx, "last"); err != nil || got != id {
		t.Errorf("ResolveSweep(last) = %q, %v", got, err)
	}
	if _, err := s.ResolveSweep(ctx, "zzzz"); !errors.Is(err, ErrSweepNotFound) {
		t.Errorf("ResolveSweep(zzzz): %v", err)
	}
}

func TestSweepKPIsAndRuns(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	id, err := s.CreateSweep(ctx, SweepInfo{Name: "k", Replications: 2, Points: []string{`{}`, `{}`}})
	if err != nil {
		t.Fatal(err)
	}
	var done []string
	for _, pr := range [][2]int{{1, 1}, {0, 0}, {1, 0}} {
		w, err := s.BeginRun(ctx, RunInfo{Name: "k", SweepID: id, SweepPoint: pr[0], Replication: pr[1]})
		if err != nil {
			t.Fatal(err)
		}
		if err := newSynthRun(uint64(pr[0]*2+pr[1]+1), 20).play(w, 10, true); err != nil {
			t.Fatal(err)
		}
		if pr == [2]int{1, 0} {
			if err := w.Fail(errors.New("boom")); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := w.Finish(1); err != nil {
			t.Fatal(err)
		}
		done = append(done, w.ID())
	}
	runs, err := s.SweepRuns(ctx, id)
	if err != nil || len(runs) != 3 || runs[0].Point != 1 || runs[0].Replication != 1 || runs[2].Status != StatusFailed {
		t.Fatalf("SweepRuns: %+v, %v", runs, err)
	}
	ks, err := s.SweepKPIs(ctx, id)
	if err != nil || len(ks) == 0 {
		t.Fatalf("SweepKPIs: %d, %v", len(ks), err)
	}
	seen := map[string]bool{}
	for i, k := range ks {
		seen[k.RunID] = true
		if i > 0 && (ks[i-1].Point > k.Point || ks[i-1].Point == k.Point && ks[i-1].Replication > k.Replication) {
			t.Fatalf("SweepKPIs not ordered by point and replication at %d", i)
		}
	}
	if len(seen) != 2 || !seen[done[0]] || !seen[done[1]] {
		t.Errorf("SweepKPIs covers runs %v, want the two complete ones %v", seen, done)
	}
}

// writeShard makes a store file with one sweep (a derived id, as shards
// register it) and one complete run of the given point.
func writeShard(t *testing.T, dir, name string, point int, leaveRunning bool) (path, runID string) {
	t.Helper()
	ctx := context.Background()
	path = filepath.Join(dir, name+".duckdb")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	id := DerivedID([]byte("shared sweep"))
	if _, err := s.EnsureSweep(ctx, id, SweepInfo{Name: "shared", SpecYAML: "x: 1\n", Replications: 1, Points: []string{`{"p":0}`, `{"p":1}`}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveCalibration(ctx, `{"shard":"`+name+`"}`, CalibrationMeta{Device: "host-cpu"}); err != nil {
		t.Fatal(err)
	}
	w, err := s.BeginRun(ctx, RunInfo{Name: name, SweepID: id, SweepPoint: point, ParamsJSON: `{"p":1}`})
	if err != nil {
		t.Fatal(err)
	}
	if err := newSynthRun(uint64(point+1), 50).play(w, 16, true); err != nil {
		t.Fatal(err)
	}
	if err := w.Finish(1); err != nil {
		t.Fatal(err)
	}
	if leaveRunning {
		// A run whose writer died: its row stays "running" in the file.
		if _, err := s.DB().Exec(`INSERT INTO runs (run_id, name, status, seed, started_at, sweep_id, sweep_point, replication)
			VALUES (?, 'dead', 'running', 1, now(), ?, 0, 0)`, NewID(), id); err != nil {
			t.Fatal(err)
		}
	}
	return path, w.ID()
}

func countRows(t *testing.T, s *Store, q string, args ...any) int {
	t.Helper()
	var n int
	if err := s.DB().QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func TestMerge(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	in0, run0 := writeShard(t, dir, "shard0", 0, false)
	in1, run1 := writeShard(t, dir, "shard1", 1, true)
	out, err := Open(filepath.Join(dir, "out.duckdb"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()

	st0, err := out.Merge(ctx, in0)
	if err != nil {
		t.Fatal(err)
	}
	if st0.Runs != 1 || st0.Sweeps != 1 || st0.Points != 2 || st0.Calibrations != 1 {
		t.Errorf("first merge: %+v", st0)
	}
	st1, err := out.Merge(ctx, in1)
	if err != nil {
		t.Fatal(err)
	}
	if st1.Runs != 2 || st1.Interrupted != 1 || st1.Sweeps != 0 || st1.SweepsPresent != 1 || st1.Points != 0 || st1.Calibrations != 1 {
		t.Errorf("second merge: %+v", st1)
	}
	// Merging again changes nothing.
	again, err := out.Merge(ctx, in0)
	if err != nil || again.Runs != 0 || again.RunsPresent != 1 || again.Points != 0 {
		t.Errorf("merging twice: %+v, %v", again, err)
	}

	// Every record of both runs came along, with its enum statuses intact.
	for _, id := range []string{run0, run1} {
		want := newSynthRun(map[string]uint64{run0: 1, run1: 2}[id], 50)
		if n := countRows(t, out, `SELECT count(*) FROM requests WHERE run_id = ?`, id); n != len(want.Requests) {
			t.Errorf("run %s: %d requests, want %d", id, n, len(want.Requests))
		}
		if n := countRows(t, out, `SELECT count(*) FROM windows WHERE run_id = ?`, id); n != len(want.Windows) {
			t.Errorf("run %s: %d windows, want %d", id, n, len(want.Windows))
		}
		if n := countRows(t, out, `SELECT count(*) FROM auctions WHERE run_id = ?`, id); n != len(want.Auctions) {
			t.Errorf("run %s: %d auctions, want %d", id, n, len(want.Auctions))
		}
		var got []string
		if err := out.ScanRequests(ctx, id, func(r sim.RequestRecord) error { got = append(got, r.Status.String()); return nil }); err != nil {
			t.Fatal(err)
		}
		for i, r := range want.Requests {
			if got[i] != r.Status.String() {
				t.Fatalf("run %s request %d status %s, want %s", id, i, got[i], r.Status)
			}
		}
	}
	if n := countRows(t, out, `SELECT count(*) FROM runs WHERE status = 'failed' AND error LIKE 'interrupted%'`); n != 1 {
		t.Errorf("%d interrupted runs copied as failed, want 1", n)
	}
	ks, err := out.SweepKPIs(ctx, DerivedID([]byte("shared sweep")))
	if err != nil {
		t.Fatal(err)
	}
	points := map[int]bool{}
	for _, k := range ks {
		points[k.Point] = true
		if math.IsInf(k.Value, 0) {
			t.Errorf("KPI %s is infinite", k.Name)
		}
	}
	if !points[0] || !points[1] {
		t.Errorf("merged sweep KPIs cover points %v, want 0 and 1", points)
	}

	// A run id present with other content is refused, and nothing is copied.
	in2, _ := writeShard(t, dir, "shard2", 0, false)
	conflict, err := Open(in2, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conflict.DB().Exec(`UPDATE runs SET run_id = ?, name = 'changed'`, run0); err != nil {
		t.Fatal(err)
	}
	conflict.Close()
	before := countRows(t, out, `SELECT count(*) FROM calibrations`)
	if _, err := out.Merge(ctx, in2); !errors.Is(err, ErrMergeConflict) || !strings.Contains(err.Error(), run0) {
		t.Errorf("conflicting run: %v; want a merge conflict naming %s", err, run0)
	}
	if after := countRows(t, out, `SELECT count(*) FROM calibrations`); after != before {
		t.Errorf("a refused merge copied calibrations (%d -> %d)", before, after)
	}
	if _, err := out.Merge(ctx, filepath.Join(dir, "out.duckdb")); err == nil {
		t.Error("merging a store into itself accepted")
	}
	if _, err := out.Merge(ctx, filepath.Join(dir, "missing.duckdb")); err == nil {
		t.Error("merging a missing file accepted")
	}
}

// TestSweepScenarios: every complete run of the sweep, newest first, with
// the scenario it resolved (a resume compares them all, not the newest
// alone); failed runs are left out, and fn's false stops the listing.
func TestSweepScenarios(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	id, err := s.CreateSweep(ctx, SweepInfo{Name: "sc", Replications: 2, Points: []string{`{}`, `{}`}})
	if err != nil {
		t.Fatal(err)
	}
	var want []SweepScenario
	for i, pr := range [][2]int{{0, 0}, {1, 1}, {1, 0}} {
		yaml := fmt.Sprintf("seed: %d\n", i)
		w, err := s.BeginRun(ctx, RunInfo{Name: "sc", SweepID: id, SweepPoint: pr[0], Replication: pr[1], ResolvedYAML: yaml})
		if err != nil {
			t.Fatal(err)
		}
		if err := newSynthRun(uint64(i+1), 20).play(w, 10, true); err != nil {
			t.Fatal(err)
		}
		if i == 1 {
			if err := w.Fail(errors.New("boom")); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := w.Finish(1); err != nil {
			t.Fatal(err)
		}
		want = append([]SweepScenario{{RunID: w.ID(), Point: pr[0], Replication: pr[1], ResolvedYAML: yaml}}, want...)
	}
	var got []SweepScenario
	if err := s.SweepScenarios(ctx, id, func(r SweepScenario) bool { got = append(got, r); return true }); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("SweepScenarios: %+v; want %+v", got, want)
	}
	got = nil
	if err := s.SweepScenarios(ctx, id, func(r SweepScenario) bool { got = append(got, r); return false }); err != nil || len(got) != 1 {
		t.Errorf("SweepScenarios stopped by fn: %+v, %v; want the newest alone", got, err)
	}
}

// TestSweepShardsRecordedAndMerged: a store records the shards of a sweep
// it ran, once each, refuses a shard outside its count, and a merge adds
// the input's shards to the output's, so that a store of every shard reads
// as the whole sweep.
func TestSweepShardsRecordedAndMerged(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	in0, _ := writeShard(t, dir, "shard0", 0, false)
	in1, _ := writeShard(t, dir, "shard1", 1, false)
	id := DerivedID([]byte("shared sweep"))
	for i, in := range []string{in0, in1} {
		s, err := Open(in, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for range 2 { // a restarted shard records it again
			if err := s.RecordSweepShard(ctx, id, SweepShard{Index: i, Count: 2}); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.RecordSweepShard(ctx, id, SweepShard{Index: 2, Count: 2}); err == nil {
			t.Error("shard 2/2 recorded, want it refused")
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	out, err := Open(filepath.Join(dir, "out.duckdb"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	tests := []struct {
		input string
		want  []SweepShard
	}{
		{in0, []SweepShard{{0, 2}}},
		{in1, []SweepShard{{0, 2}, {1, 2}}},
		{in0, []SweepShard{{0, 2}, {1, 2}}}, // merging again changes nothing
	}
	for _, tt := range tests {
		if _, err := out.Merge(ctx, tt.input); err != nil {
			t.Fatal(err)
		}
		got, err := out.SweepShards(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("after merging %s: shards %v, want %v", filepath.Base(tt.input), got, tt.want)
		}
	}
}
