package tui

import (
	"strings"
	"sync"
	"testing"
	"time"

	"aiecon/data"
)

// TestConnReadsInterruptedDuringAWrite: reads interrupted while a run is
// being written (they go to the read-write store) leave the file closed
// once the write ends. On DuckDB's default worker threads an interrupt
// that landed while they ran a read kept the instance, and the file, open
// and locked after endWrite (within a few dozen rounds; writeThreads).
func TestConnReadsInterruptedDuringAWrite(t *testing.T) {
	c := newConn(copyFixture(t), -1)
	q := "SELECT * FROM run_summary ORDER BY started_at DESC"
	queries := []string{"SELECT * FROM (" + q + ") AS q LIMIT 200", "SELECT count(*) FROM (" + q + ") AS q"}
	interrupted := 0
	for round := range 60 {
		if _, _, err := c.beginWrite(t.Context()); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := c.queryCtx()
		errs := make([]error, len(queries))
		var wg sync.WaitGroup
		for i, sql := range queries {
			wg.Go(func() {
				errs[i] = c.read(func(st *data.Store) error { _, _, err := queryStrings(st.DB(), ctx, sql); return err })
			})
		}
		time.Sleep(time.Duration(round%16) * 500 * time.Microsecond)
		cancel()
		wg.Wait()
		for _, err := range errs {
			if err != nil && strings.Contains(err.Error(), "INTERRUPT") {
				interrupted++
			}
		}
		ended := make(chan error, 1)
		go func() { ended <- c.endWrite() }()
		select {
		case err := <-ended:
			if err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("round %d: endWrite hung", round)
		}
		for wait := time.Now(); openFDs(t, c.path) > 0 && time.Since(wait) < 3*time.Second; {
			time.Sleep(10 * time.Millisecond)
		}
		if n := openFDs(t, c.path); n > 0 {
			t.Fatalf("round %d: %d descriptors left on the store after the write ended (DuckDB kept the instance)", round, n)
		}
	}
	t.Logf("%d reads interrupted", interrupted)
	if interrupted == 0 {
		t.Fatal("no read was interrupted")
	}
}
