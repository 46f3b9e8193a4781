package tui

import (
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
	reopenWithin(t, c, 0, "opening it")
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
		closeIdle(t, c, round)
		noFDsLeft(t, c.path, round)
		reopenWithin(t, c, round+1, "an export interrupted mid-COPY")
	}
	if interrupted == 0 {
		t.Fatal("no export was interrupted: the test did not exercise the interrupt")
	}
	t.Logf("%d exports interrupted", interrupted)
	if err := c.close(); err != nil {
		t.Error(err)
	}
}
