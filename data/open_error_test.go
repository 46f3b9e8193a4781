package data

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
)

// TestOpenErrorKinds: the driver's open errors become errors the CLI can
// tell apart; a store the user may not write said only "IO Error: Cannot
// open file ...: Permission denied" and exited 1.
func TestOpenErrorKinds(t *testing.T) {
	tests := []struct {
		driver string
		is     error
		want   string
	}{
		{`IO Error: Cannot open file "/s/z.duckdb": Permission denied`, fs.ErrPermission,
			"opening the store /s/z.duckdb: permission denied: a command that writes needs write permission"},
		// An immutable file (chattr +i): EPERM, not EACCES, read as a
		// driver failure (exit 1).
		{`IO Error: Cannot open file "/s/z.duckdb": Operation not permitted`, fs.ErrPermission,
			"opening the store /s/z.duckdb: permission denied (the system refuses to write it whatever its permissions: an immutable or append-only file, see lsattr): a command that writes"},
		{`IO Error: The file "/s/z.duckdb" exists, but it is not a valid DuckDB database file!`, ErrNotStore,
			"opening the store /s/z.duckdb: not a DuckDB database"},
	}
	for _, tt := range tests {
		err := openError("/s/z.duckdb", errors.New(tt.driver))
		if !errors.Is(err, tt.is) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: %v, want %v and %q", tt.driver, err, tt.is, tt.want)
		}
	}
	// A device is not a file to remove and recreate (--db /dev/null).
	err := openError("/dev/null", errors.New(`IO Error: The file "/dev/null" exists, but it is not a valid DuckDB database file!`))
	if !errors.Is(err, ErrNotStore) || !strings.Contains(err.Error(), "not a regular file") || strings.Contains(err.Error(), "remove it") {
		t.Errorf("/dev/null: %v", err)
	}
}

// TestLockHolderExiting: a holder that is exiting has no executable left,
// and DuckDB names it "."; the message said "in use by . (PID 8491)".
func TestLockHolderExiting(t *testing.T) {
	for _, tt := range []struct{ program, want string }{
		{".", "in use by process 8491"},
		{"/usr/bin/aiecon", "in use by /usr/bin/aiecon (PID 8491)"},
	} {
		err := openError("/s/z.duckdb", errors.New(`IO Error: Could not set lock on file "/s/z.duckdb": Conflicting lock is held in `+tt.program+` (PID 8491) by user ann. See also https://duckdb.org/docs/connect/concurrency`))
		var le *LockedError
		if !errors.As(err, &le) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.program, err, tt.want)
		}
	}
}
