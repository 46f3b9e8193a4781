package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"aiecon/data"
)

// TestConnReopensAfterInterruptedExports: an export (the SQL console's
// e, the Run screen's x) cut off mid-COPY — its query limit, a key that
// cancelled it, the dashboard closing — leaves the store free to close and
// open again. A sandboxed store exports through a private in-memory DuckDB
// that attaches the file (data.Store.ExportQuery); on DuckDB's worker
// threads, an interrupt that landed while they ran the COPY kept that
// instance, and with it the file, alive after every handle closed, so the
// file stayed open and locked against writers (within a dozen rounds).
func TestConnReopensAfterInterruptedExports(t *testing.T) {
	c := newConn(copyFixture(t), -1) // a file of its own: a wedged instance stops no other test
	dir := t.TempDir()
	q := "SELECT r.*, x.range AS k FROM requests AS r, range(40) AS x ORDER BY k DESC, r.request_id"
	reopen := func(round int) {
		t.Helper()
		opened := make(chan error, 1)
		go func() { opened <- c.read(func(*data.Store) error { return nil }) }()
		select {
		case err := <-opened:
			if err != nil {
				t.Fatalf("round %d: opening the store: %v", round, err)
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("round %d: opening the store again after an export interrupted mid-COPY did not return within 20 s "+
				"(DuckDB kept the file's instance alive)", round)
		}
	}
	reopen(0)
	start := time.Now()
	if err := c.read(func(st *data.Store) error {
		_, err := st.ExportQuery(t.Context(), q, filepath.Join(dir, "out.parquet"))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	full := time.Since(start)
	t.Logf("a whole export takes %v", full)
	interrupted := 0
	for round := range 150 {
		ctx, cancel := c.queryCtx()
		done := make(chan error, 1)
		go func() {
			done <- c.read(func(st *data.Store) error {
				_, err := st.ExportQuery(ctx, q, filepath.Join(dir, "out.parquet"))
				return err
			})
		}()
		// Interrupt at different points of the COPY.
		time.Sleep(full * time.Duration(1+round%16) / 17)
		cancel()
		if err := <-done; err != nil {
			if !strings.Contains(err.Error(), "INTERRUPT") && !strings.Contains(err.Error(), "context canceled") {
				t.Fatalf("round %d: %v", round, err)
			}
			interrupted++
		}
		c.mu.Lock() // as the idle timer does
		err := c.closeLocked()
		c.mu.Unlock()
		if err != nil {
			t.Fatalf("round %d: closing the store: %v", round, err)
		}
		for wait := time.Now(); openFDs(t, c.path) > 0 && time.Since(wait) < 3*time.Second; {
			time.Sleep(10 * time.Millisecond)
		}
		if n := openFDs(t, c.path); n > 0 {
			t.Fatalf("round %d: %d file descriptors still open on the store after every handle closed (DuckDB kept an instance)", round, n)
		}
		reopen(round + 1)
	}
	if interrupted == 0 {
		t.Fatal("no export was interrupted: the test did not exercise the interrupt")
	}
	t.Logf("%d exports interrupted", interrupted)
	if err := c.close(); err != nil {
		t.Error(err)
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
