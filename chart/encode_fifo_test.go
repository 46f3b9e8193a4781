//go:build unix

package chart

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSaveRefusesNamedPipe: -o naming a named pipe is refused at once, by
// CheckOutput and by Save, and the pipe is left where it was. replaceable
// opened it to look for a store's magic bytes, which waited for a writer
// forever (and past a first SIGTERM, which the open does not see).
func TestSaveRefusesNamedPipe(t *testing.T) {
	c := queueChart(t)
	path := filepath.Join(t.TempDir(), "p.png")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	calls := []struct {
		name string
		call func() error
	}{
		{"CheckOutput", func() error { _, err := CheckOutput(path); return err }},
		{"Save", func() error { return c.Save(path) }},
	}
	for _, tc := range calls {
		done := make(chan error, 1)
		go func() { done <- tc.call() }()
		var err error
		select {
		case err = <-done:
		case <-time.After(10 * time.Second):
			// Release the blocked open, so that the test ends.
			if w, werr := os.OpenFile(path, os.O_WRONLY|syscall.O_NONBLOCK, 0); werr == nil {
				w.Close()
			}
			t.Fatalf("%s(a named pipe) still waits after 10 s; want it refused at once", tc.name)
		}
		if !errors.Is(err, ErrOutput) || !strings.Contains(err.Error(), "is a named pipe, not a file a chart may replace") {
			t.Errorf("%s(a named pipe) = %v, want it refused as a named pipe (ErrOutput)", tc.name, err)
		}
	}
	if fi, err := os.Lstat(path); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the pipe is gone or changed kind: %v %v", fi, err)
	}
}
