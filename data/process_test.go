package data

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// The test binary doubles as the child process of the interrupted-run and
// lock tests: with AIECON_DATA_CHILD set it plays that role instead of
// running the tests.
func TestMain(m *testing.M) {
	switch os.Getenv("AIECON_DATA_CHILD") {
	case "":
		os.Exit(m.Run())
	case "stream":
		err := childStream(os.Getenv("AIECON_DATA_PATH"))
		fmt.Fprintln(os.Stderr, "child:", err)
		os.Exit(1)
	case "checkpoint":
		err := childCheckpoint(os.Getenv("AIECON_DATA_PATH"))
		fmt.Fprintln(os.Stderr, "child:", err)
		os.Exit(1)
	case "hold", "hold-ro":
		err := childHold(os.Getenv("AIECON_DATA_PATH"), os.Getenv("AIECON_DATA_CHILD") == "hold-ro")
		if err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			os.Exit(1)
		}
		os.Exit(0)
	default:
		fmt.Fprintln(os.Stderr, "unknown AIECON_DATA_CHILD role")
		os.Exit(1)
	}
}

// childStream begins a run and streams records until it is killed.
func childStream(path string) error {
	s, err := Open(path, Options{})
	if err != nil {
		return err
	}
	w, err := s.BeginRun(context.Background(), RunInfo{Name: "doomed"})
	if err != nil {
		return err
	}
	r := newSynthRun(9, 10_000)
	if err := w.Begin(r.Meta); err != nil {
		return err
	}
	fmt.Printf("RUN %s\n", w.ID())
	for round := 0; ; round++ {
		if err := w.Requests(r.Requests); err != nil {
			return err
		}
		if err := w.Windows(r.Windows); err != nil {
			return err
		}
		if round == 30 { // ~300k requests: past DuckDB's own appender flush
			fmt.Println("STREAMING")
		}
	}
}

// childHold holds the store (read-write, or read-only as a reader such as
// the dashboard would) until its standard input closes.
func childHold(path string, readOnly bool) error {
	s, err := Open(path, Options{ReadOnly: readOnly})
	if err != nil {
		return err
	}
	defer s.Close()
	fmt.Println("READY")
	_, err = io.Copy(io.Discard, os.Stdin)
	return err
}

// startChild runs this test binary in a role and waits for the line it
// prints when ready; the returned reader yields the lines before it.
func startChild(t *testing.T, role, path, ready string) (*exec.Cmd, io.WriteCloser, []string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "AIECON_DATA_CHILD="+role, "AIECON_DATA_PATH="+path)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var seen []string
	timeout := time.After(30 * time.Second)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("child %s exited before %q; stderr: %s", role, ready, stderr.String())
			}
			if l == ready {
				go func() {
					for range lines {
					}
				}()
				return cmd, stdin, seen
			}
			seen = append(seen, l)
		case <-timeout:
			t.Fatalf("child %s: no %q within 30 s; stderr: %s", role, ready, stderr.String())
		}
	}
}

func TestInterruptedRunIsMarkedFailed(t *testing.T) {
	path := filepath.Join(t.TempDir(), "killed.duckdb")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	done := storeRun(t, s, newSynthRun(5, 3000), "before")
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	cmd, _, lines := startChild(t, "stream", path, "STREAMING")
	if len(lines) != 1 || !strings.HasPrefix(lines[0], "RUN ") {
		t.Fatalf("child printed %q, want its run id", lines)
	}
	doomed := strings.TrimPrefix(lines[0], "RUN ")
	if err := cmd.Process.Kill(); err != nil { // SIGKILL on Unix: no chance to clean up
		t.Fatal(err)
	}
	_ = cmd.Wait()

	// Read-only, nothing is repaired, but the run is not shown as complete.
	ro, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("read-only open after the kill: %v", err)
	}
	runs, err := ro.Runs(context.Background(), RunFilter{Status: StatusComplete})
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 1 || runs[0].ID != done {
		t.Errorf("complete runs after the kill: %+v, want only %s", runs, done)
	}
	// It reads as failed (the file still says running until a read-write open).
	failed, err := ro.Runs(context.Background(), RunFilter{Status: StatusFailed})
	if err != nil || len(failed) != 1 || failed[0].ID != doomed {
		t.Errorf("failed runs seen read-only after the kill: %+v, %v; want %s", failed, err, doomed)
	}
	if d, err := ro.Run(context.Background(), doomed); err != nil || d.Run.Status != StatusFailed || !strings.Contains(d.Run.Error, "interrupted") {
		t.Errorf("killed run read-only: %+v, %v", d, err)
	}
	checkKilledRunKeepsItsMeta(t, ro, doomed, true)
	checkOrphanExport(t, ro, doomed)
	ro.Close()

	s, err = Open(path, Options{})
	if err != nil {
		t.Fatalf("reopening after the kill: %v", err)
	}
	defer s.Close()
	ctx := context.Background()
	d, err := s.Run(ctx, doomed)
	if err != nil {
		t.Fatal(err)
	}
	if d.Run.Status != StatusFailed || !strings.Contains(d.Run.Error, "interrupted") ||
		!strings.Contains(d.Run.Error, fmt.Sprint(cmd.Process.Pid)) {
		t.Errorf("killed run: status %q error %q, want failed and interrupted naming PID %d", d.Run.Status, d.Run.Error, cmd.Process.Pid)
	}
	if len(d.KPIs) != 0 {
		t.Errorf("killed run has %d KPIs", len(d.KPIs))
	}
	// When the writer died is not known: finding it is no end time.
	if !d.Run.FinishedAt.IsZero() {
		t.Errorf("killed run: finished_at %v, want NULL (its end time is unknown)", d.Run.FinishedAt)
	}
	checkKilledRunKeepsItsMeta(t, s, doomed, false)
	before, err := s.Run(ctx, done)
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	if err := s.DB().QueryRowContext(ctx, `SELECT count(*) FROM requests WHERE run_id = ?`, done).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if before.Run.Status != StatusComplete || n != 3000 || len(before.KPIs) == 0 {
		t.Errorf("earlier run damaged: status %s, %d requests, %d KPIs", before.Run.Status, n, len(before.KPIs))
	}
	// The store is usable: a new run completes.
	storeRun(t, s, newSynthRun(6, 100), "after")
}

func TestLockedStoreNamesTheHolder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "held.duckdb")
	cmd, stdin, _ := startChild(t, "hold", path, "READY")
	for _, ro := range []bool{false, true} {
		s, err := Open(path, Options{ReadOnly: ro, LockWait: -1})
		if err == nil {
			s.Close()
			t.Fatalf("Open(ReadOnly=%v) of a held store succeeded", ro)
		}
		var le *LockedError
		if !errors.As(err, &le) {
			t.Fatalf("Open(ReadOnly=%v): %v (%T), want *LockedError", ro, err, err)
		}
		if le.PID != cmd.Process.Pid {
			t.Errorf("holder PID %d, want %d", le.PID, cmd.Process.Pid)
		}
		msg := err.Error()
		t.Logf("ReadOnly=%v: %s", ro, msg)
		for _, want := range []string{path, fmt.Sprintf("PID %d", cmd.Process.Pid), filepath.Base(os.Args[0]), "wait", "stop it", "copy"} {
			if !strings.Contains(msg, want) {
				t.Errorf("lock message %q does not contain %q", msg, want)
			}
		}
	}
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("holder: %v", err)
	}
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("Open after the holder exited: %v", err)
	}
	s.Close()
}

// TestWriterWaitsForAReader: a read-write Open that finds the store held by
// a reader says who and keeps trying; it gets the file once the reader lets
// go, and gives up after LockWait naming the holder.
func TestWriterWaitsForAReader(t *testing.T) {
	path := filepath.Join(t.TempDir(), "read.duckdb")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()

	cmd, stdin, _ := startChild(t, "hold-ro", path, "READY")
	start := time.Now()
	_, err = Open(path, Options{LockWait: 300 * time.Millisecond})
	var le *LockedError
	if !errors.As(err, &le) || le.PID != cmd.Process.Pid || le.Waited < 300*time.Millisecond || !strings.Contains(err.Error(), "still after waiting") {
		t.Fatalf("Open with the reader staying: %v after %s", err, time.Since(start))
	}

	go func() {
		time.Sleep(time.Second)
		stdin.Close()
	}()
	var told *LockedError
	s, err = Open(path, Options{LockWait: 30 * time.Second, OnLockWait: func(le *LockedError) { told = le }})
	if err != nil {
		t.Fatalf("Open while a reader lets go: %v", err)
	}
	s.Close()
	if told == nil || told.PID != cmd.Process.Pid {
		t.Errorf("OnLockWait: %+v, want the reader's PID %d", told, cmd.Process.Pid)
	}
}

// checkKilledRunKeepsItsMeta: a run killed while it streamed keeps the
// workloads and replicas it began with (the replicas without totals), and,
// while its partial requests are there (before a read-write open removes
// them), requests_v names their workloads.
func checkKilledRunKeepsItsMeta(t *testing.T, s *Store, id string, partial bool) {
	t.Helper()
	ctx := context.Background()
	want := newSynthRun(9, 1).Meta
	d, err := s.Run(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(d.Workloads, want.Workloads) {
		t.Errorf("killed run's workloads: %+v, want %+v", d.Workloads, want.Workloads)
	}
	if len(d.Replicas) != len(want.Replicas) {
		t.Fatalf("killed run's replicas: %+v, want %+v without totals", d.Replicas, want.Replicas)
	}
	for i, r := range d.Replicas {
		if r.Meta != want.Replicas[i] || r.HasTotals {
			t.Errorf("killed run's replica %d: %+v, want %+v without totals", i, r, want.Replicas[i])
		}
	}
	if !partial {
		return
	}
	var rows, unnamed int64
	if err := s.DB().QueryRowContext(ctx, `SELECT count(*), count(*) FILTER (WHERE workload_name IS NULL)
		FROM requests_v WHERE run_id = ?`, id).Scan(&rows, &unnamed); err != nil {
		t.Fatal(err)
	}
	if rows == 0 || unnamed != 0 {
		t.Errorf("killed run's requests_v: %d of %d rows without a workload name", unnamed, rows)
	}
}
