package model

import (
	"fmt"
	"io"
	"os"
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
func ReadInputFile(path, what string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadInput(f, what)
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
