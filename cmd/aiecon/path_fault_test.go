//go:build unix

package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestPathThroughAFileExits2: an output path that runs through a regular
// file (--out afile/sub, -o afile/x.png) is the user's slip, exit 2 as a
// path they may not write is; it exited 1 (hostile-input review L6), and
// then said only the system's "not a directory", now that the file is
// not a folder. An
// export folder that is a named pipe is called one, as plot -o calls it,
// not "a file".
func TestPathThroughAFileExits2(t *testing.T) {
	t.Parallel()
	db, _ := storeFixture(t)
	dir := t.TempDir()
	afile := filepath.Join(dir, "afile")
	if err := os.WriteFile(afile, []byte("notes\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	for _, c := range []struct {
		args    []string
		want    string
		notWant string
	}{
		// The system's "mkdir afile: not a directory" named neither the
		// user's path nor what was wrong with it.
		{[]string{"export", "last", "--out", filepath.Join(afile, "sub")},
			"--out " + filepath.Join(afile, "sub") + ": " + afile + " is a file, not a folder, so no folder can be made under it", "not a directory"},
		{[]string{"export", "last", "--out", filepath.Join(afile, "sub", "deeper")},
			"--out " + filepath.Join(afile, "sub", "deeper") + ": " + afile + " is a file, not a folder", "not a directory"},
		{[]string{"plot", "last", "--kind", "throughput", "-o", filepath.Join(afile, "x.png")},
			filepath.Join(afile, "x.png") + ": " + afile + " is a file, not a folder, so no chart can be written under it", "not a directory"},
		{[]string{"plot", "last", "--kind", "throughput", "-o", filepath.Join(fifo, "x.png")},
			fifo + " is a named pipe, not a folder", "not a directory"},
		{[]string{"export", "last", "--out", fifo}, "--out " + fifo + ": is a named pipe; want a folder (export writes one file per table into it)", "a file"},
		{[]string{"export", "last", "--out", afile}, "--out " + afile + ": is a file; want a folder", ""},
	} {
		t.Run(strings.Join(c.args[:4], " "), func(t *testing.T) {
			code, _, errs := cli(t, db, "", c.args...)
			if code != exitUsage || !strings.Contains(errs, c.want) || (c.notWant != "" && strings.Contains(errs, c.notWant)) {
				t.Errorf("%v: exit %d, stderr %q; want exit 2 with %q and without %q", c.args, code, errs, c.want, c.notWant)
			}
		})
	}
}

// TestUserPathFault: the path errors only the user can fix, however
// wrapped, and not the others, which are a failure while running.
func TestUserPathFault(t *testing.T) {
	t.Parallel()
	wrap := func(errno syscall.Errno) error {
		return fmt.Errorf("exporting run x: %w", &fs.PathError{Op: "mkdir", Path: "a/b", Err: errno})
	}
	for _, c := range []struct {
		err  error
		want bool
	}{
		{wrap(syscall.EACCES), true},
		{wrap(syscall.EPERM), true},
		{wrap(syscall.ENOTDIR), true},
		{wrap(syscall.EROFS), true},
		{wrap(syscall.EIO), false},
		{wrap(syscall.ENOSPC), false},
		{errors.New("not a directory"), false}, // words alone are no errno
	} {
		if got := userPathFault(c.err); got != c.want {
			t.Errorf("userPathFault(%v) = %v, want %v", c.err, got, c.want)
		}
	}
}
