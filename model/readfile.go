package model

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"sync/atomic"
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

// ReadFileWith opens path and hands it to read, for a file read a row at a
// time rather than whole (a trace, a CSV of measured points or timings).
// Errors from opening it are returned as they are. A named pipe's open and
// read wait for a process to write it, as ReadInputFile's do, and end at
// the first Ctrl-C or SIGTERM with an error: a trace or CSV given as a pipe
// that no process wrote to held the command past both. That error is an
// *fs.PathError naming the file ("read PATH: interrupted ..."), as an
// error from opening it is, and errors.Is takes it for ErrInterrupted.
func ReadFileWith[T any](path string, read func(io.Reader) (T, error)) (T, error) {
	v, err := readFileWith(path, read)
	if errors.Is(err, ErrInterrupted) {
		err = &fs.PathError{Op: "read", Path: path, Err: err}
	}
	return v, err
}

// readFileWith is ReadFileWith without the file named on interruption.
func readFileWith[T any](path string, read func(io.Reader) (T, error)) (T, error) {
	open := func() (T, error) {
		f, err := os.Open(path)
		if err != nil {
			var zero T
			return zero, err
		}
		defer f.Close()
		return read(f)
	}
	if fi, err := os.Stat(path); err == nil && fi.Mode()&os.ModeNamedPipe != 0 {
		return interruptible("waiting for a process to write to the pipe", open)
	}
	return open()
}

// readPipe reads a named pipe whole (mkfifo, /dev/stdin under `cat x |`, a
// shell's <(...)). Opening one waits for a process to open it for writing,
// and reading waits for that process to write and close it, as a pipe's
// reader should (the writer may well start second); but a wait in a system
// call does not see the command's cancellation, so a pipe that no process
// wrote to held the command past the first Ctrl-C or SIGTERM. The wait now
// ends at either, with an error.
func readPipe(path, what string) ([]byte, error) {
	// Its callers name the file.
	b, err := readFileWith(path, func(r io.Reader) ([]byte, error) { return ReadInput(r, what) })
	if err == nil && len(b) == 0 {
		return nil, errors.New("the pipe gave nothing to read (its writer closed it without writing)")
	}
	return b, err
}

// interruptible runs f and returns what it returns, or an error at the
// first Ctrl-C or SIGTERM: the command's context is cancelled then, but f
// (a wait in a system call, goccy's parser or decoder) never looks at it,
// and a 300,000-key scenario held the command past the first signal for
// minutes. f is left running when interrupted: the command is ending, and
// its result is dropped.
func interruptible[T any](doing string, f func() (T, error)) (T, error) {
	var zero T
	var stopped <-chan struct{} // nil, which never fires, outside the CLI
	if p := stopOn.Load(); p != nil {
		stopped = *p
	}
	select {
	case <-stopped:
		return zero, fmt.Errorf("%w (a stop signal came) before %s", ErrInterrupted, doing)
	default:
	}
	stop, release := interrupts()
	defer release()
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		// A panic here killed the process (a goroutine's panic is not
		// the caller's to recover): goccy's decoder panicked on a tag
		// where a list belongs, and the dashboard died with the terminal
		// left raw. It is now an error the caller places in its file.
		defer func() {
			if p := recover(); p != nil {
				done <- result{zero, libraryPanic(doing, p)}
			}
		}()
		v, err := f()
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case s := <-stop:
		return zero, fmt.Errorf("%w (%v) while %s", ErrInterrupted, s, doing)
	case <-stopped:
		return zero, fmt.Errorf("%w (a stop signal came) while %s", ErrInterrupted, doing)
	}
}

// libraryPanic is the error for a panic p of the YAML library while doing
// something with the user's file: the input is at fault (an input error,
// exit 2), but aiecon should have refused it before with a clear message,
// which the error says, so that it is reported.
func libraryPanic(doing string, p any) error {
	return Input("the YAML library failed while %s (%v): something in this file should have been refused with a clear message "+
		"and was not (please report it with the file); look for a YAML feature these files do not need, such as a tag (!!str) or an anchor", doing, p)
}

// stopOn holds the channel that StopOn set.
var stopOn atomic.Pointer[<-chan struct{}]

// StopOn makes interruptible work end once done is closed (nil: never).
// The CLI passes its context's, which the first stop signal cancels: a
// signal that came between two parses, when no one listened for it, left
// the next parse to run its course.
func StopOn(done <-chan struct{}) {
	if done == nil {
		stopOn.Store(nil)
		return
	}
	stopOn.Store(&done)
}

// interrupts is where interruptible hears Ctrl-C and SIGTERM, and how it stops
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
