package model

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"slices"
	"sync"
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
// errors.Is(err, fs.ErrNotExist) still holds); a folder's names no path,
// which the callers give. A named pipe is read by readPipe.
func ReadInputFile(path, what string) ([]byte, error) {
	fi, err := os.Stat(path)
	switch {
	case err == nil && fi.IsDir():
		// Its callers name the file; "read PATH: is a directory" named it again.
		return nil, Input("is a folder, not a file")
	case err == nil && fi.Mode()&os.ModeNamedPipe != 0:
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
// Errors from opening it are returned as they are; a folder is an input
// error naming it ("adir is a folder, not a file"). A named pipe's open and
// read wait for a process to write it, as ReadInputFile's do, and end at
// the first Ctrl-C or SIGTERM (a stop registered with StopOn) with an
// error: a trace or CSV given as a pipe that no process wrote to held the
// command past both. That error is an
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
	fi, err := os.Stat(path)
	switch {
	case err == nil && fi.IsDir():
		// Opening a folder works; reading it fails, and the row readers
		// placed that at line 1 with the path twice ("adir:1: read adir:
		// is a directory").
		var zero T
		return zero, Input("%s is a folder, not a file", path)
	case err == nil && fi.Mode()&os.ModeNamedPipe != 0:
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

// interruptible runs f and returns what it returns, or an error once a
// stop registered with StopOn is (the CLI's first Ctrl-C or SIGTERM): the
// command's context is cancelled then, but f (a wait in a system call,
// goccy's parser or decoder) never looks at it, and a 300,000-key
// scenario held the command past the first signal for minutes. f is left
// running when interrupted: the command is ending, and its result is
// dropped. It hears no signal itself: the CLI's signal handling does, and
// a package that listened for SIGINT process-wide took the first Ctrl-C
// from any program parsing a file (a test binary, a library user), which
// then neither ended nor stopped cleanly.
func interruptible[T any](doing string, f func() (T, error)) (T, error) {
	var zero T
	stopped, release := watchStops()
	defer release()
	select {
	case <-stopped:
		return zero, fmt.Errorf("%w (a stop signal came) before %s", ErrInterrupted, doing)
	default:
	}
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

// stops are the channels StopOn registered and not yet released, by
// registration number.
var stops struct {
	sync.Mutex
	next int
	m    map[int]<-chan struct{}
}

// StopOn makes interruptible work end once done is closed, until release
// is called. The CLI registers its command's stop, which the first stop
// signal closes: a signal that came between two parses, when no one
// listened for it, left the next parse to run its course.
//
// Each Main registers its own stop and releases only that one: StopOn
// used to hold one channel, which each Main set and cleared on return,
// so with two Mains in one process (the CLI's parallel tests) the first
// to return left the other's parses watching no stop at all. Work ends
// at any registered stop: a stop signal reaches the whole process, so
// every command in it is stopping anyway.
func StopOn(done <-chan struct{}) (release func()) {
	if done == nil {
		return func() {}
	}
	stops.Lock()
	defer stops.Unlock()
	if stops.m == nil {
		stops.m = map[int]<-chan struct{}{}
	}
	id := stops.next
	stops.next++
	stops.m[id] = done
	return sync.OnceFunc(func() {
		stops.Lock()
		defer stops.Unlock()
		delete(stops.m, id)
	})
}

// watchStops returns a channel that closes once any stop registered now
// is closed (nil, which never fires, when none is: outside the CLI), and
// release, which ends the watch.
func watchStops() (stopped <-chan struct{}, release func()) {
	stops.Lock()
	chans := slices.Collect(maps.Values(stops.m))
	stops.Unlock()
	switch len(chans) {
	case 0:
		return nil, func() {}
	case 1:
		return chans[0], func() {}
	}
	anyStop, quit := make(chan struct{}), make(chan struct{})
	for _, c := range chans {
		select {
		case <-c:
			// Stopped already: said at once, not when a goroutine
			// below has run.
			close(anyStop)
			return anyStop, func() {}
		default:
		}
	}
	var once sync.Once
	for _, c := range chans {
		go func() {
			select {
			case <-c:
				once.Do(func() { close(anyStop) })
			case <-quit:
			}
		}()
	}
	return anyStop, func() { close(quit) }
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
