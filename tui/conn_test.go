package tui

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"aiecon/data"
)

// lockHolderEnv makes the test binary a helper that holds a store open
// read-write, as another aiecon process writing a run would.
const lockHolderEnv = "AIECON_TUI_TEST_HOLD_LOCK"

func holdLock() {
	st, err := data.Open(os.Getenv(lockHolderEnv), data.Options{})
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	fmt.Println("locked")
	io.Copy(io.Discard, os.Stdin) // until the test closes our stdin
	st.Close()
	os.Exit(0)
}

// lockStore starts a helper process holding path read-write; the returned
// func releases it.
func lockStore(t *testing.T, path string) (release func()) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), lockHolderEnv+"="+path)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, _ := bufio.NewReader(stdout).ReadString('\n')
	if strings.TrimSpace(line) != "locked" {
		stdin.Close()
		cmd.Wait()
		t.Fatalf("lock helper: %q", line)
	}
	var done bool
	release = func() {
		if done {
			return
		}
		done = true
		stdin.Close()
		cmd.Wait()
	}
	t.Cleanup(release)
	return release
}

// copyFixture gives a test its own copy of the test store (tests that lock
// or write must not disturb the others).
func copyFixture(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "store.duckdb")
	if err := copyFile(fixturePath, p); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestConnOpensOnDemandAndClosesWhenIdle(t *testing.T) {
	c := newConn(fixturePath, 30*time.Millisecond)
	defer c.close()
	var n int
	err := c.read(func(st *data.Store) error {
		runs, err := st.Runs(t.Context(), data.RunFilter{})
		n = len(runs)
		return err
	})
	if err != nil || n != len(fixtureRuns()) {
		t.Fatalf("read: %d runs, err %v", n, err)
	}
	deadline := time.Now().Add(2 * time.Second)
	for {
		c.mu.Lock()
		open := c.store != nil
		c.mu.Unlock()
		if !open {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the store is still open after the idle time")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestConnWriteThenRead(t *testing.T) {
	path := copyFixture(t)
	c := newConn(path, -1)
	defer c.close()
	if err := c.read(func(*data.Store) error { return nil }); err != nil {
		t.Fatal(err)
	}
	st, _, err := c.beginWrite(context.Background())
	if err != nil {
		t.Fatalf("beginWrite while open read-only: %v", err)
	}
	if st.ReadOnly() {
		t.Fatal("the write store is read-only")
	}
	// Reads share the read-write store while the run is written.
	if err := c.read(func(s *data.Store) error {
		if s != st {
			return errors.New("reads do not use the write store")
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := c.endWrite(); err != nil {
		t.Fatal(err)
	}
	// After the run the file is free: another process could write it now.
	release := lockStore(t, path)
	release()
	if err := c.read(func(s *data.Store) error {
		if !s.ReadOnly() {
			return errors.New("reads after the run use a read-write store")
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

func TestConnLockedAndSnapshot(t *testing.T) {
	path := copyFixture(t)
	release := lockStore(t, path)
	c := newConn(path, -1)
	defer c.close()
	err := c.read(func(*data.Store) error { return nil })
	var le *data.LockedError
	if !errors.As(err, &le) {
		t.Fatalf("read of a locked store: %v, want a *data.LockedError", err)
	}
	if le.PID <= 0 {
		t.Errorf("the lock error does not name the holder: %+v", le)
	}
	c.writeWait = 200 * time.Millisecond
	if _, _, err := c.beginWrite(context.Background()); !errors.As(err, &le) {
		t.Fatalf("beginWrite of a locked store: %v, want a *data.LockedError", err)
	}
	if _, err := c.useSnapshot(); err != nil {
		t.Fatalf("snapshot: %v", err)
	}
	var n int
	if err := c.read(func(st *data.Store) error {
		runs, err := st.Runs(t.Context(), data.RunFilter{})
		n = len(runs)
		return err
	}); err != nil || n != len(fixtureRuns()) {
		t.Fatalf("reading the snapshot: %d runs, %v", n, err)
	}
	if _, _, err := c.beginWrite(context.Background()); err == nil || !strings.Contains(err.Error(), "snapshot") {
		t.Fatalf("beginWrite on a snapshot: %v, want a refusal that says why", err)
	}
	snapDir := c.snapDir
	if err := c.probe(); !errors.As(err, &le) {
		t.Fatalf("probe while locked: %v", err)
	}
	release()
	if err := c.probe(); err != nil {
		t.Fatalf("probe after the holder left: %v", err)
	}
	if c.snapPath != "" {
		t.Error("probe did not leave snapshot mode")
	}
	if _, err := os.Stat(snapDir); !os.IsNotExist(err) {
		t.Errorf("the snapshot copy %s was not removed: %v", snapDir, err)
	}
}

// TestDashboardDoesNotBlockAWriter: a writer started while the dashboard
// has the store open (between two reads) waits for the idle close instead
// of failing "in use"; the dashboard then sees the writer's lock.
func TestDashboardDoesNotBlockAWriter(t *testing.T) {
	path := copyFixture(t)
	c := newConn(path, DefaultIdleClose)
	defer c.close()
	if err := c.read(func(st *data.Store) error { _, err := st.Runs(t.Context(), data.RunFilter{}); return err }); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	lockStore(t, path) // fails the test if the writer cannot open the file
	t.Logf("the writer got the file after %s", time.Since(start).Round(time.Millisecond))
	var le *data.LockedError
	if err := c.read(func(*data.Store) error { return nil }); !errors.As(err, &le) {
		t.Errorf("a read while the writer holds the file: %v, want a *data.LockedError", err)
	}
}

// TestConnCloseInterruptsQueries: closing the dashboard interrupts a query
// in flight (a runaway SQL console query) instead of waiting queryTimeout
// for it; before, q, ctrl+c and SIGTERM left the process running for two
// minutes.
func TestConnCloseInterruptsQueries(t *testing.T) {
	c := newConn(fixturePath, -1)
	started, done := make(chan struct{}), make(chan error, 1)
	go func() {
		ctx, cancel := c.queryCtx()
		defer cancel()
		done <- c.read(func(st *data.Store) error {
			close(started)
			var n int64
			return st.DB().QueryRowContext(ctx, "SELECT count(*) FROM range(1000000000000) a, range(10) b").Scan(&n)
		})
	}()
	<-started
	time.Sleep(200 * time.Millisecond) // let DuckDB start
	closed := make(chan error, 1)
	go func() { closed <- c.close() }()
	select {
	case err := <-closed:
		if qerr := <-done; qerr == nil {
			t.Errorf("the runaway query finished without error; close returned %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("close still waits for the runaway query after 20 s")
	}
}

// A launch cancelled while its store is held by another process stops
// waiting at once: the wait ran its course (writeWait) before esc counted.
func TestBeginWriteStopsWithItsContext(t *testing.T) {
	path := copyFixture(t)
	release := lockStore(t, path)
	defer release()
	c := newConn(path, -1)
	defer c.close()
	c.writeWait = time.Minute
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	start := time.Now()
	_, _, err := c.beginWrite(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("beginWrite cancelled while waiting: %v, want context.Canceled", err)
	}
	if waited := time.Since(start); waited > 20*time.Second {
		t.Errorf("waited %v after the cancel, want it to stop at once", waited)
	}
}

// TestConnReopensAfterInterruptedQueries: queries interrupted while they
// run (a page superseded by the next key, the dashboard closing) leave the
// store free to close and open again. With DuckDB's worker threads, an
// interrupt that landed while they worked on a query kept the file's
// database instance alive after every handle to it had closed: the file
// stayed locked against writers, and the next open of it in this process
// spun in DuckDB's instance cache forever, holding the conn's lock, so
// that app.Close hung behind it (TestScreens ran into the 10-minute go
// test timeout under load).
func TestConnReopensAfterInterruptedQueries(t *testing.T) {
	c := newConn(copyFixture(t), -1) // a file of its own: a wedged instance stops no other test
	reopenWithin(t, c, 0, "opening it")
	interrupted := 0
	for round := range 100 {
		interrupted += interruptReads(c, summaryQueries, round)
		closeIdle(t, c, round)
		reopenWithin(t, c, round+1, "queries interrupted while they ran")
	}
	if interrupted == 0 {
		t.Fatal("no query was interrupted while it ran: the test did not exercise the interrupt")
	}
	t.Logf("%d queries interrupted while they ran", interrupted)
	if err := c.close(); err != nil {
		t.Error(err)
	}
}
