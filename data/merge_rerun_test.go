package data

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
)

// mergeFiles are the stores of a merge-again case: shard holds a complete
// run named "shard" (and, when asked, one named "dead" left running, as a
// kill leaves it); snapshot is a copy of shard taken while its "shard" run
// was still running (a file copied out of a pod mid-run).
type mergeFiles struct{ dir, shard, snapshot string }

// snapshotRunning copies the store at from to to, with the run named name
// put back to "running" as it was before it ended: no KPIs or replica
// totals, no status or summary, its streamed records kept.
func snapshotRunning(t *testing.T, from, to, name string) {
	t.Helper()
	copyFile(t, from, to)
	s, err := Open(to, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`DELETE FROM kpis WHERE run_id IN (SELECT run_id FROM runs WHERE name = ?)`,
		`DELETE FROM replicas WHERE run_id IN (SELECT run_id FROM runs WHERE name = ?)`,
		`UPDATE runs SET status = 'running', error = NULL, finished_at = NULL, wall_s = NULL, sim_ns = NULL, events = NULL,
			requests_stored = NULL, sessions_stored = NULL, auctions_stored = NULL, windows_stored = NULL,
			scenario = NULL, window_ns = NULL WHERE name = ?`,
	} {
		if _, err := s.DB().Exec(q, name); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

// reopen opens the store at path read-write and closes it, as the next
// command that writes it would: its interrupted runs are marked failed and
// its failed runs' partial rows removed.
func reopen(t *testing.T, path string) {
	t.Helper()
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestMergeAgainAfterInterruptedRun: merging stays idempotent for runs that
// were interrupted, whatever was opened between the merges; a run failed in
// the output and complete in the input is replaced by the complete one, and
// a run with other inputs under the same id is still a conflict.
func TestMergeAgainAfterInterruptedRun(t *testing.T) {
	shard := func(f mergeFiles) string { return f.shard }
	snapshot := func(f mergeFiles) string { return f.snapshot }
	cases := []struct {
		name          string
		dead          bool // shard also holds a run left running
		first, second func(mergeFiles) string
		between       func(*testing.T, mergeFiles) // after the output is closed and reopened
		runs, present int                          // of the second merge
		replaced      int
		conflict      bool
		status        map[string]string // run name -> its status in the output at the end
	}{
		{name: "same input twice", dead: true, first: shard, second: shard,
			present: 2, status: map[string]string{"shard": StatusComplete, "dead": StatusFailed}},
		{name: "the shard reopened (resumed) between", dead: true, first: shard, second: shard,
			between: func(t *testing.T, f mergeFiles) { reopen(t, f.shard) },
			present: 2, status: map[string]string{"shard": StatusComplete, "dead": StatusFailed}},
		{name: "interrupted copy, then the finished shard", first: snapshot, second: shard,
			replaced: 1, status: map[string]string{"shard": StatusComplete}},
		{name: "interrupted copy twice, reopened between", first: snapshot, second: snapshot,
			between: func(t *testing.T, f mergeFiles) { reopen(t, f.snapshot) },
			present: 1, status: map[string]string{"shard": StatusFailed}},
		{name: "finished shard, then the interrupted copy", first: shard, second: snapshot,
			present: 1, status: map[string]string{"shard": StatusComplete}},
		{name: "an interrupted run with other inputs", dead: true, first: shard, second: shard,
			between: func(t *testing.T, f mergeFiles) {
				s, err := Open(f.shard, Options{})
				if err != nil {
					t.Fatal(err)
				}
				defer s.Close()
				if _, err := s.DB().Exec(`UPDATE runs SET scenario_yaml = 'other: 1' WHERE name = 'dead'`); err != nil {
					t.Fatal(err)
				}
			},
			conflict: true, status: map[string]string{"shard": StatusComplete, "dead": StatusFailed}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			dir := t.TempDir()
			f := mergeFiles{dir: dir, snapshot: filepath.Join(dir, "snapshot.duckdb")}
			f.shard, _ = writeShard(t, dir, "shard", 0, c.dead)
			snapshotRunning(t, f.shard, f.snapshot, "shard")
			outPath := filepath.Join(dir, "out.duckdb")
			out, err := Open(outPath, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := out.Merge(ctx, c.first(f)); err != nil {
				t.Fatalf("first merge: %v", err)
			}
			if err := out.Close(); err != nil {
				t.Fatal(err)
			}
			if c.between != nil {
				c.between(t, f)
			}
			if out, err = Open(outPath, Options{}); err != nil {
				t.Fatal(err)
			}
			defer out.Close()
			st, err := out.Merge(ctx, c.second(f))
			if errors.Is(err, ErrMergeConflict) != c.conflict || err != nil && !c.conflict {
				t.Fatalf("second merge: %v; want a conflict: %v", err, c.conflict)
			}
			if !c.conflict && (st.Runs != c.runs || st.RunsPresent != c.present || st.Replaced != c.replaced) {
				t.Errorf("second merge: %d runs copied, %d present, %d replaced; want %d, %d, %d",
					st.Runs, st.RunsPresent, st.Replaced, c.runs, c.present, c.replaced)
			}
			got := map[string]string{}
			rows, err := out.DB().Query(`SELECT name, status FROM runs`)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var name, status string
				if err := rows.Scan(&name, &status); err != nil {
					t.Fatal(err)
				}
				got[name] = status
			}
			rows.Close()
			if len(got) != len(c.status) {
				t.Errorf("runs in the output: %v, want %v", got, c.status)
			}
			for name, want := range c.status {
				if got[name] != want {
					t.Errorf("run %s is %q in the output, want %q", name, got[name], want)
				}
			}
			if c.status["shard"] != StatusComplete {
				return
			}
			// The complete run has all its records, once.
			want := newSynthRun(1, 50)
			for table, n := range map[string]int{"requests": len(want.Requests), "windows": len(want.Windows), "auctions": len(want.Auctions),
				"run_workloads": len(want.Meta.Workloads), "replicas": len(want.Summary.Replicas)} {
				if got := countRows(t, out, `SELECT count(*) FROM `+table+` WHERE run_id IN (SELECT run_id FROM runs WHERE name = 'shard')`); got != n {
					t.Errorf("%s: %d rows of the complete run, want %d", table, got, n)
				}
			}
			if n := countRows(t, out, `SELECT count(*) FROM kpis WHERE run_id IN (SELECT run_id FROM runs WHERE name = 'shard')`); n == 0 {
				t.Error("the complete run has no KPIs in the output")
			}
		})
	}
}

// TestMergeCopiesNoPartialRows: a run merged as failed (left running by a
// killed writer, or failed by its own) comes without the partial records it
// streamed, as the output's next open would leave it: read-only queries in
// between must not count them, and its counts say none are stored.
func TestMergeCopiesNoPartialRows(t *testing.T) {
	cases := []struct {
		name        string
		running     bool // the row is put back to running, as a kill leaves it
		interrupted int
	}{
		{name: "interrupted", running: true, interrupted: 1},
		{name: "failed by its writer"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			dir := t.TempDir()
			in := filepath.Join(dir, "in.duckdb")
			s, err := Open(in, Options{})
			if err != nil {
				t.Fatal(err)
			}
			w, err := s.BeginRun(ctx, RunInfo{Name: "partial", Version: "test"})
			if err != nil {
				t.Fatal(err)
			}
			if err := newSynthRun(2, 300).play(w, 50, false); err != nil {
				t.Fatal(err)
			}
			if err := w.Fail(errors.New("boom")); err != nil {
				t.Fatal(err)
			}
			if c.running {
				if _, err := s.DB().Exec(`UPDATE runs SET status = 'running', error = NULL, finished_at = NULL,
					requests_stored = NULL, sessions_stored = NULL, auctions_stored = NULL, windows_stored = NULL`); err != nil {
					t.Fatal(err)
				}
			}
			if n := countRows(t, s, `SELECT count(*) FROM requests`); n == 0 {
				t.Fatal("the run stored no partial requests: the test proves nothing")
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}

			out, err := Open(filepath.Join(dir, "out.duckdb"), Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer out.Close()
			st, err := out.Merge(ctx, in)
			if err != nil || st.Runs != 1 || st.Interrupted != c.interrupted {
				t.Fatalf("merge: %+v, %v; want 1 run copied, %d interrupted", st, err, c.interrupted)
			}
			for _, tb := range append([]string{"requests_v", "windows_v"}, partialTables...) {
				if n := countRows(t, out, `SELECT count(*) FROM `+tb+` WHERE run_id = ?`, w.ID()); n != 0 {
					t.Errorf("%s: %d partial rows of the failed run merged", tb, n)
				}
			}
			if n := countRows(t, out, `SELECT count(*) FROM run_workloads WHERE run_id = ?`, w.ID()); n == 0 {
				t.Error("the failed run's workloads were not merged (the cleanup keeps them)")
			}
			if n := countRows(t, out, `SELECT count(*) FROM runs WHERE run_id = ? AND status = 'failed' AND requests_stored = 0
				AND sessions_stored = 0 AND auctions_stored = 0 AND windows_stored = 0`, w.ID()); n != 1 {
				t.Error("the merged failed run does not say that none of its records are stored")
			}
		})
	}
}
