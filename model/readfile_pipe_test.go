//go:build unix

package model

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestReadInputFilePipes: a named pipe is read whether its writer starts
// before or after the reader; one that no process writes to held the
// command past the first Ctrl-C or SIGTERM, and now an interrupt ends the
// wait; one closed without a write is said to be empty.
func TestReadInputFilePipes(t *testing.T) {
	fifo := func(t *testing.T) string {
		p := filepath.Join(t.TempDir(), "fifo")
		if err := syscall.Mkfifo(p, 0o600); err != nil {
			t.Skipf("no named pipes here: %v", err)
		}
		return p
	}
	read := func(t *testing.T, p string) ([]byte, error) {
		type result struct {
			b   []byte
			err error
		}
		done := make(chan result, 1)
		go func() {
			b, err := ReadInputFile(p, "scenario file")
			done <- result{b, err}
		}()
		select {
		case r := <-done:
			return r.b, r.err
		case <-time.After(10 * time.Second):
			t.Fatal("reading the pipe did not return in 10 s")
			return nil, nil
		}
	}
	writeLater := func(p, text string) {
		go func() {
			time.Sleep(50 * time.Millisecond) // the reader is usually waiting by then
			if f, err := os.OpenFile(p, os.O_WRONLY, 0); err == nil {
				f.WriteString(text)
				f.Close()
			}
		}()
	}
	t.Run("writer starts second", func(t *testing.T) {
		p := fifo(t)
		writeLater(p, "name: x\n")
		if b, err := read(t, p); err != nil || string(b) != "name: x\n" {
			t.Errorf("read %q, %v", b, err)
		}
	})
	t.Run("closed without a write", func(t *testing.T) {
		p := fifo(t)
		writeLater(p, "")
		if _, err := read(t, p); err == nil || !strings.Contains(err.Error(), "the pipe gave nothing to read") {
			t.Errorf("got %v, want the pipe said to be empty", err)
		}
	})
	t.Run("no writer, interrupted", func(t *testing.T) {
		p := fifo(t)
		stop := make(chan os.Signal, 1)
		old := interrupts
		interrupts = func() (<-chan os.Signal, func()) { return stop, func() {} }
		defer func() { interrupts = old }()
		go func() {
			time.Sleep(50 * time.Millisecond)
			stop <- syscall.SIGTERM
		}()
		if _, err := read(t, p); err == nil || !strings.Contains(err.Error(), "interrupted (terminated) while waiting for a process to write to the pipe") {
			t.Errorf("got %v, want the wait interrupted", err)
		}
	})
}
