//go:build unix

package data

import (
	"errors"
	"os"
	"syscall"
)

// lockExportDir holds a shared lock (flock) on the folder dir for as long
// as an export's temporary files are there, so that a later export can tell
// a temporary file whose export is gone (kill -9 leaves them) from one
// another export still writes: an export that takes the folder's lock
// exclusively, at once, knows no other export of this aiecon holds it, and
// only then removes the temporary files of its own targets (removeStaleTemps).
// flock, not fcntl: a lock the kernel drops with the process, and one that
// DuckDB's own fcntl locks, and the closing of its files, do not touch.
// Where the folder cannot be locked (a file system without flock), nothing
// is removed.
func lockExportDir(dir string, bases []string) (release func(), removed []string) {
	f, err := os.Open(dir)
	if err != nil {
		return func() {}, nil
	}
	fd := int(f.Fd())
	switch err := syscall.Flock(fd, syscall.LOCK_EX|syscall.LOCK_NB); {
	case err == nil:
		removed = removeStaleTemps(dir, bases)
	case !errors.Is(err, syscall.EWOULDBLOCK):
		f.Close()
		return func() {}, nil // no flock here: nothing can be told
	}
	// Shared from here: exports into one folder run side by side. Waits
	// only for another export's removal, quick.
	if err := syscall.Flock(fd, syscall.LOCK_SH); err != nil {
		f.Close()
		return func() {}, removed
	}
	return func() { f.Close() }, removed
}
