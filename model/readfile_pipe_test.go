//go:build unix

package model

import (
	"errors"
	"os"
	"os/signal"
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
	t.Run("no writer, stopped", func(t *testing.T) {
		p := fifo(t)
		stop := make(chan struct{})
		defer StopOn(stop)()
		go func() {
			time.Sleep(50 * time.Millisecond) // the reader is usually waiting by then; either is a stop
			close(stop)
		}()
		_, err := read(t, p)
		if err == nil || !errors.Is(err, ErrInterrupted) || !strings.Contains(err.Error(), "interrupted (a stop signal came)") ||
			!strings.Contains(err.Error(), "waiting for a process to write to the pipe") {
			t.Errorf("got %v, want the wait stopped", err)
		}
	})
}

// TestPipeWaitHearsNoSignal: the wait on a pipe ends at a stop registered
// with StopOn, never at a signal it heard itself. It listened for SIGINT
// and SIGTERM process-wide, so a program that parsed a file took the
// first Ctrl-C (the process neither died of it nor stopped, its own
// handler, if any, reading the parse's "interrupted"). Here the process
// hears a SIGINT (this test keeps it from ending the process) while the
// wait is under way; the wait goes on and reads what is written next.
func TestPipeWaitHearsNoSignal(t *testing.T) {
	p := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	heard := make(chan os.Signal, 1)
	signal.Notify(heard, os.Interrupt)
	defer signal.Stop(heard)
	type result struct {
		b   []byte
		err error
	}
	done := make(chan result, 1)
	go func() {
		b, err := ReadInputFile(p, "scenario file")
		done <- result{b, err}
	}()
	// Opening for writing without waiting succeeds once the reader has
	// opened the pipe, inside the wait.
	var w *os.File
	for deadline := time.Now().Add(30 * time.Second); w == nil; time.Sleep(10 * time.Millisecond) {
		fd, err := syscall.Open(p, syscall.O_WRONLY|syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
		if err == nil {
			w = os.NewFile(uintptr(fd), p)
		} else if time.Now().After(deadline) {
			t.Fatalf("the reader did not open the pipe in 30 s: %v", err)
		}
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	<-heard // delivered: any other listener in the process has it too
	if _, err := w.WriteString("name: x\n"); err != nil {
		t.Fatal(err)
	}
	w.Close()
	if r := <-done; r.err != nil || string(r.b) != "name: x\n" {
		t.Errorf("read %q, %v; want the wait to go on past the signal", r.b, r.err)
	}
}
