package data

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// LockedError says that another process holds the store file. DuckDB lets
// one process at a time open a file read-write, and none read-only while it
// does, so a second `aiecon` (or a duckdb shell, or a notebook) is refused.
type LockedError struct {
	Path    string
	PID     int    // holder's process id, 0 if DuckDB did not say
	Program string // holder's executable, "" if DuckDB did not say
	Err     error  // the driver's error
}

func (e *LockedError) Error() string {
	holder := "another process"
	switch {
	case e.PID > 0 && e.Program != "":
		holder = fmt.Sprintf("%s (PID %d)", e.Program, e.PID)
	case e.PID > 0:
		holder = fmt.Sprintf("process %d", e.PID)
	}
	stop := "stop it"
	if e.PID > 0 {
		stop = fmt.Sprintf("stop it (kill %d)", e.PID)
	}
	return fmt.Sprintf("the store %s is in use by %s, and DuckDB lets only one process use a file while it writes; "+
		"wait for it to finish, %s, or work on a copy taken while it is idle (aiecon --db COPY ...)", e.Path, holder, stop)
}

func (e *LockedError) Unwrap() error { return e.Err }

// DuckDB says, e.g.: IO Error: Could not set lock on file "/x.duckdb":
// Conflicting lock is held in /usr/bin/aiecon (PID 4242) by user ann. See also ...
var lockHolderRE = regexp.MustCompile(`Conflicting lock is held in (.*?) \(PID (\d+)\)`)

// openError turns the driver's open errors into ones that say what to do.
func openError(path string, err error) error {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "Could not set lock") || strings.Contains(msg, "Conflicting lock"):
		le := &LockedError{Path: path, Err: err}
		if m := lockHolderRE.FindStringSubmatch(msg); m != nil {
			le.Program = m[1]
			le.PID, _ = strconv.Atoi(m[2])
		}
		return le
	case strings.Contains(msg, "different configuration"):
		return fmt.Errorf("opening the store %s: this process already has it open with other settings (read-only versus read-write, or another memory limit): %w", path, err)
	}
	return fmt.Errorf("opening the store %s: %w", path, err)
}
