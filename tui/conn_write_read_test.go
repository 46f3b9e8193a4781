package tui

import (
	"testing"
	"time"
)

// TestConnReadsInterruptedDuringAWrite: reads interrupted while a run is
// being written (they go to the read-write store) leave the file closed
// once the write ends. On DuckDB's default worker threads an interrupt
// that landed while they ran a read kept the instance, and the file, open
// and locked after endWrite (within a few dozen rounds; writeThreads).
func TestConnReadsInterruptedDuringAWrite(t *testing.T) {
	c := newConn(copyFixture(t), -1)
	interrupted := 0
	for round := range 60 {
		if _, _, err := c.beginWrite(t.Context()); err != nil {
			t.Fatal(err)
		}
		interrupted += interruptReads(c, summaryQueries, round)
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
		noFDsLeft(t, c.path, round)
	}
	t.Logf("%d reads interrupted", interrupted)
	if interrupted == 0 {
		t.Fatal("no read was interrupted")
	}
}
