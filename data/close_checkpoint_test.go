package data

import (
	"errors"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestCheckpointFailedOnCloseWarns: the checkpoint as the store closes
// fails for want of room (here a file-size limit at the file's size, as a
// full disk). Close dropped the error, so a run that succeeded left its log
// without a word; Close warns, naming the log, and the runs are there when
// the store is next opened.
func TestCheckpointFailedOnCloseWarns(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.duckdb")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{storeRun(t, s, newSynthRun(1, 2000), "first")}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	var warned []error
	s, err = Open(path, Options{OnWarning: func(err error) { warned = append(warned, err) }})
	if err != nil {
		t.Fatal(err)
	}
	ids = append(ids, storeRun(t, s, newSynthRun(2, 2000), "second"))
	fi, err := os.Stat(path)
	if err != nil || !hasLog(path) {
		t.Fatalf("the second run is not in the log: %v", err)
	}
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
		t.Skip(err)
	}
	// A write past the limit fails with EFBIG once the signal that would
	// kill the process is ignored.
	signal.Ignore(syscall.SIGXFSZ)
	defer signal.Reset(syscall.SIGXFSZ)
	small := lim
	small.Cur = uint64(fi.Size()) // the checkpoint cannot extend the file
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &small); err != nil {
		t.Skip(err)
	}
	cerr := s.Close()
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
		t.Fatal(err)
	}
	if cerr != nil {
		t.Fatalf("Close: %v", cerr)
	}
	var ce *CheckpointError
	if len(warned) != 1 || !errors.As(warned[0], &ce) || !strings.Contains(ce.Error(), "only in its write-ahead log "+path+".wal") {
		t.Fatalf("warnings: %v", warned)
	}
	if !hasLog(path) {
		t.Fatal("no log left: the checkpoint did not fail, and the test tests nothing")
	}
	checkAllRuns(t, path, ids, 2000)
}
