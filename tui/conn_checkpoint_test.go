package tui

import (
	"context"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"testing"

	"aiecon/runner"
)

// TestEndWriteReportsAFailedCheckpoint: a checkpoint that fails as the
// launch's store closes (a full disk; here a file-size limit at the file's
// size) leaves the run only in the write-ahead log. The CLI warns of it;
// the dashboard said "run X stored" and nothing else.
func TestEndWriteReportsAFailedCheckpoint(t *testing.T) {
	path := copyFixture(t)
	c := newConn(path, -1)
	defer c.close()
	st, _, err := c.beginWrite(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	l, err := runner.Load("baseline", []string{"horizon=2m"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := runner.Run(t.Context(), l, runner.Options{Store: st}); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + ".wal"); err != nil {
		t.Skipf("the run is not in a write-ahead log (%v): nothing for a checkpoint to fail on", err)
	}
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
		t.Skip(err)
	}
	signal.Ignore(syscall.SIGXFSZ) // a write past the limit fails with EFBIG instead
	defer signal.Reset(syscall.SIGXFSZ)
	small := lim
	small.Cur = uint64(fi.Size())
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &small); err != nil {
		t.Skip(err)
	}
	cerr := c.endWrite()
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + ".wal"); err != nil {
		t.Fatal("no log left: the checkpoint did not fail, and the test tests nothing")
	}
	if cerr == nil || !strings.Contains(cerr.Error(), "write-ahead log") {
		t.Errorf("endWrite after a failed checkpoint: %v; want the warning naming the log", cerr)
	}
}
