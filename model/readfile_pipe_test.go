//go:build unix

package model

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestReadInputFileUnwrittenPipe: a named pipe that no process writes to
// blocked the open for ever, past the first SIGTERM; it is now read as
// empty at once and said to be so.
func TestReadInputFileUnwrittenPipe(t *testing.T) {
	p := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := ReadInputFile(p, "scenario file")
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "a pipe with nothing written to it") {
			t.Errorf("got %v, want the pipe named as unwritten", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("reading a named pipe without a writer did not return in 10 s")
	}
}
