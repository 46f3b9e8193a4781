package model

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// MaxInputFileBytes bounds a file read whole as input (a scenario, a sweep
// or forecast spec, a --models file, a query on standard input): 16 MiB is
// hundreds of times the largest real one, and reading a device (/dev/zero)
// or a mistaken multi-gigabyte file whole would exhaust memory before the
// parser could refuse it.
const MaxInputFileBytes = 16 << 20

// ReadInputFile reads path whole, refusing a file larger than
// MaxInputFileBytes (what names it, e.g. "scenario file") before reading it
// to the end. Errors from opening it are returned as they are (so that
// errors.Is(err, fs.ErrNotExist) still holds). A named pipe is read by
// readPipe.
func ReadInputFile(path, what string) ([]byte, error) {
	if fi, err := os.Stat(path); err == nil && fi.Mode()&os.ModeNamedPipe != 0 {
		return readPipe(path, what)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadInput(f, what)
}

// readPipe reads a named pipe whole (mkfifo, /dev/stdin under `cat x |`, a
// shell's <(...)). Opening one waits for a process to open it for writing,
// and reading waits for that process to write and close it, as a pipe's
// reader should (the writer may well start second); but a wait in a system
// call does not see the command's cancellation, so a pipe that no process
// wrote to held the command past the first Ctrl-C or SIGTERM. The wait now
// ends at either, with an error.
func readPipe(path, what string) ([]byte, error) {
	stop, release := interrupts()
	defer release()
	type result struct {
		b   []byte
		err error
	}
	done := make(chan result, 1)
	go func() { // left waiting if interrupted: the command is ending
		f, err := os.Open(path)
		if err != nil {
			done <- result{nil, err}
			return
		}
		defer f.Close()
		b, err := ReadInput(f, what)
		done <- result{b, err}
	}()
	select {
	case r := <-done:
		if r.err == nil && len(r.b) == 0 {
			return nil, errors.New("the pipe gave nothing to read (its writer closed it without writing)")
		}
		return r.b, r.err
	case s := <-stop:
		return nil, fmt.Errorf("interrupted (%v) while waiting for a process to write to the pipe", s)
	}
}

// interrupts is where readPipe hears Ctrl-C and SIGTERM, and how it stops
// listening (a variable so that a test can interrupt it without a signal).
var interrupts = func() (<-chan os.Signal, func()) {
	c := make(chan os.Signal, 1)
	signal.Notify(c, os.Interrupt, syscall.SIGTERM)
	return c, func() { signal.Stop(c) }
}

// ReadInput reads r whole under the same bound (the caller names where it
// comes from).
func ReadInput(r io.Reader, what string) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxInputFileBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxInputFileBytes {
		return nil, fmt.Errorf("larger than %d MiB, which no %s is", MaxInputFileBytes>>20, what)
	}
	return b, nil
}
