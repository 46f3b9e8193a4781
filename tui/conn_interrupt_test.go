package tui

import (
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"aiecon/data"
)

// The helpers below drive the DuckDB interrupt tests (TestConnReopens...,
// TestConnReadsInterruptedDuringAWrite): interrupt work at a point that
// moves with the round, close as the idle timer does, and check that the
// file is neither left open nor refuses to open again.

// summaryQueries are two reads of run_summary long enough to be
// interrupted while DuckDB's worker threads run them.
var summaryQueries = []string{
	"SELECT * FROM (SELECT * FROM run_summary ORDER BY started_at DESC) AS q LIMIT 200",
	"SELECT count(*) FROM (SELECT * FROM run_summary ORDER BY started_at DESC) AS q",
}

// interruptReads runs queries on c at once and cancels them a little
// later each round; it returns how many were interrupted while they ran.
func interruptReads(c *conn, queries []string, round int) int {
	ctx, cancel := c.queryCtx()
	errs := make([]error, len(queries))
	var wg sync.WaitGroup
	for i, sql := range queries {
		wg.Go(func() {
			errs[i] = c.read(func(st *data.Store) error { _, _, err := queryStrings(st.DB(), ctx, sql); return err })
		})
	}
	// Interrupt at different points of the queries' run.
	time.Sleep(time.Duration(round%16) * 500 * time.Microsecond)
	cancel()
	wg.Wait()
	n := 0
	for _, err := range errs {
		if err != nil && strings.Contains(err.Error(), "INTERRUPT") {
			n++
		}
	}
	return n
}

// closeIdle closes c's store as the idle timer does.
func closeIdle(t *testing.T, c *conn, round int) {
	t.Helper()
	c.mu.Lock()
	err := c.closeLocked()
	c.mu.Unlock()
	if err != nil {
		t.Fatalf("round %d: closing the store: %v", round, err)
	}
}

// reopenWithin opens c's store again, failing the test if that does not
// return within 20 s: DuckDB kept the file's instance alive after what.
func reopenWithin(t *testing.T, c *conn, round int, after string) {
	t.Helper()
	opened := make(chan error, 1)
	go func() { opened <- c.read(func(*data.Store) error { return nil }) }()
	select {
	case err := <-opened:
		if err != nil {
			t.Fatalf("round %d: opening the store: %v", round, err)
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("round %d: opening the store again after %s did not return within 20 s "+
			"(DuckDB kept the file's instance alive)", round, after)
	}
}

// noFDsLeft fails the test if, 3 s after every handle closed, this process
// still has path open: DuckDB kept an instance that locks it against writers.
func noFDsLeft(t *testing.T, path string, round int) {
	t.Helper()
	for wait := time.Now(); openFDs(t, path) > 0 && time.Since(wait) < 3*time.Second; {
		time.Sleep(10 * time.Millisecond)
	}
	if n := openFDs(t, path); n > 0 {
		t.Fatalf("round %d: %d file descriptors still open on the store after every handle closed (DuckDB kept an instance)", round, n)
	}
}

// openFDs counts this process's file descriptors on path: a DuckDB
// instance that outlived its handles keeps the file open (and locked
// against other processes) though the open in this process may still return.
func openFDs(t *testing.T, path string) int {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip(err)
	}
	n := 0
	for _, e := range ents {
		if l, err := os.Readlink("/proc/self/fd/" + e.Name()); err == nil && l == path {
			n++
		}
	}
	return n
}
