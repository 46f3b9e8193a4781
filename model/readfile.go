package model

import (
	"fmt"
	"io"
	"os"
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
// errors.Is(err, fs.ErrNotExist) still holds).
//
// A named pipe is opened without waiting for a writer: opening one that no
// process writes to blocked forever, in a system call that not even the
// first Ctrl-C or SIGTERM could end. Opened so, a pipe that a process
// writes to (/dev/stdin under `cat x |`, a shell's <(...)) is read as it
// comes, and one that none writes to reads as empty, which is said.
func ReadInputFile(path, what string) ([]byte, error) {
	flag := os.O_RDONLY
	fi, err := os.Stat(path)
	pipe := err == nil && fi.Mode()&os.ModeNamedPipe != 0
	if pipe {
		flag |= syscall.O_NONBLOCK
	}
	f, err := os.OpenFile(path, flag, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := ReadInput(f, what)
	if err == nil && pipe && len(b) == 0 {
		return nil, fmt.Errorf("a pipe with nothing written to it (no process was writing when it was read)")
	}
	return b, err
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
