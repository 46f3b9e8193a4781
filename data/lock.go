package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// LockedError says that another process holds the store file. DuckDB lets
// one process at a time open a file read-write, and none read-only while it
// does, so a second `aiecon` (or a duckdb shell, or a notebook) is refused.
type LockedError struct {
	Path    string
	PID     int           // holder's process id, 0 if DuckDB did not say
	Program string        // holder's executable, "" if DuckDB did not say
	Err     error         // the driver's error
	Waited  time.Duration // how long Open kept trying before giving up
	// Holding says whether the holder has the file open to read or to
	// write (HolderReading, HolderWriting), where the system says
	// (holderMode); HolderUnknown otherwise.
	Holding string
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
	waited := ""
	if e.Waited > 0 {
		waited = fmt.Sprintf(" (still after waiting %s)", e.Waited.Round(time.Second))
	}
	const fix = "wait for it to finish, %s, or work on a copy taken once it is closed (aiecon --db COPY ...)"
	switch e.Holding {
	case HolderReading:
		// A reader's file is whole: no log holds runs the file lacks.
		return fmt.Sprintf("the store %s is in use by %s%s, which has it open to read, and DuckDB lets no process write "+
			"a file while another has it open; "+fix, e.Path, holder, waited, stop)
	case HolderWriting:
		return fmt.Sprintf("the store %s is in use by %s%s, which has it open to write, and DuckDB lets no other process "+
			"use a file while one writes it; "+fix+": until then its latest runs may be only in %s.wal, which a copy of "+
			"the file alone leaves out", e.Path, holder, waited, stop, e.Path)
	}
	return fmt.Sprintf("the store %s is in use by %s%s, and DuckDB lets no other process use a file while one writes it, "+
		"nor write it while another reads it; "+fix+": if it writes, its latest runs may be only in %s.wal, which a "+
		"copy of the file alone leaves out", e.Path, holder, waited, stop, e.Path)
}

func (e *LockedError) Unwrap() error { return e.Err }

// DuckDB says, e.g.: IO Error: Could not set lock on file "/x.duckdb":
// Conflicting lock is held in /usr/bin/aiecon (PID 4242) by user ann. See also ...
var lockHolderRE = regexp.MustCompile(`Conflicting lock is held in (.*?) \(PID (\d+)\)`)

// openError turns the driver's open errors into ones that say what to do;
// one for a damaged file names that file (DamagedAt), which need not be
// the command's --db (merge attaches its inputs through here). arg is how
// the user gave path (Options.PathArg: "--db", "merge's OUT"), which the
// advice to give another file names: a merge told to point --db elsewhere
// had no --db to change.
func openError(path, arg string, err error) error {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "Could not set lock") || strings.Contains(msg, "Conflicting lock"):
		le := &LockedError{Path: path, Err: err}
		if m := lockHolderRE.FindStringSubmatch(msg); m != nil {
			le.PID, _ = strconv.Atoi(m[2])
			// A holder that is exiting has no executable left to name: DuckDB
			// then says ".".
			if p := strings.TrimSpace(m[1]); p != "." && p != "" {
				le.Program = p
			}
		}
		le.Holding = holderMode(path, le.PID)
		return le
	case strings.Contains(msg, "not a valid DuckDB database file"):
		// Mostly an empty file (checkDuckDBHeader refuses the others before
		// Open has DuckDB read them): a user's mistake, not a failure of ours.
		fi, err := os.Stat(path)
		switch {
		case err == nil && !fi.Mode().IsRegular():
			return fmt.Errorf("opening the store %s: %w (not a regular file; point %s at a file)", path, ErrNotStore, arg)
		case err == nil && fi.Size() == 0:
			return fmt.Errorf("opening the store %s: %w (an empty file: remove it and aiecon creates a store there, or point %s at another file)", path, ErrNotStore, arg)
		}
		return fmt.Errorf("opening the store %s: %w", path, ErrNotStore)
	case strings.Contains(msg, "Permission denied"), strings.Contains(msg, "Operation not permitted"):
		// The file's or its folder's permissions: the user's to change, not a
		// failure of ours (the driver's IO Error said only that). EPERM is
		// an immutable or append-only file (chattr +i), refused even to root.
		if f, err := os.Open(path); err != nil && errors.Is(err, fs.ErrPermission) {
			return fmt.Errorf("opening the store %s: %w: aiecon may not read the file; give it read permission (and write permission on the file and its folder for commands that write), or point %s at another store", path, fs.ErrPermission, arg)
		} else if err == nil {
			f.Close()
		}
		attrs := ""
		if strings.Contains(msg, "Operation not permitted") {
			attrs = " (the system refuses to write it whatever its permissions: an immutable or append-only file, see lsattr)"
		}
		return fmt.Errorf("opening the store %s: %w%s: a command that writes needs write permission on the file and its folder; point %s at a store you may write", path, fs.ErrPermission, attrs, arg)
	case strings.Contains(msg, "different configuration"):
		return fmt.Errorf("opening the store %s: %w: %w", path, errOtherSettings, err)
	}
	return DamagedAt(path, fmt.Errorf("opening the store %s: %w", path, err))
}

// connect opens and pings the DuckDB database at dsn. A read-write open of
// a file another process holds is retried until opts.LockWait has passed:
// readers hold the file only for a moment (the dashboard closes it between
// reads), and a writer that gave up at once would fail next to them. It
// stops waiting when ctx ends, with an error wrapping ctx's and the
// *LockedError.
func connect(ctx context.Context, path, dsn string, opts Options) (*sql.DB, error) {
	wait := opts.LockWait
	if wait == 0 {
		wait = DefaultLockWait
	}
	start := time.Now()
	pause := 50 * time.Millisecond
	for try := 0; ; try++ {
		db, err := sql.Open("duckdb", dsn)
		if err == nil {
			err = db.PingContext(ctx)
		}
		if err == nil {
			return db, nil
		}
		if db != nil {
			db.Close()
		}
		if isCorrupt(err) {
			return nil, err
		}
		err = openError(path, opts.pathArg(), err)
		var le *LockedError
		if !errors.As(err, &le) || opts.ReadOnly || wait < 0 || time.Since(start) >= wait {
			if le != nil && try > 0 {
				le.Waited = time.Since(start)
			}
			return nil, err
		}
		if opts.OnLockWait != nil && try == 0 {
			opts.OnLockWait(le)
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("stopped waiting after %s (%w): %w", time.Since(start).Round(100*time.Millisecond), ctx.Err(), err)
		case <-time.After(pause):
		}
		pause = min(2*pause, 500*time.Millisecond)
	}
}
