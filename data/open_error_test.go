package data

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
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
		err := openError("/s/z.duckdb", "--db", errors.New(tt.driver))
		if !errors.Is(err, tt.is) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: %v, want %v and %q", tt.driver, err, tt.is, tt.want)
		}
	}
	// A device is not a file to remove and recreate (--db /dev/null).
	err := openError("/dev/null", "--db", errors.New(`IO Error: The file "/dev/null" exists, but it is not a valid DuckDB database file!`))
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
		err := openError("/s/z.duckdb", "--db", errors.New(`IO Error: Could not set lock on file "/s/z.duckdb": Conflicting lock is held in `+tt.program+` (PID 8491) by user ann. See also https://duckdb.org/docs/connect/concurrency`))
		var le *LockedError
		if !errors.As(err, &le) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.program, err, tt.want)
		}
	}
}

// TestOpenErrorNamesThePathArg: the advice to give another file names the
// argument the path came from; merge's OUT was told to "point --db at" a
// file, of a merge that had no --db to change.
func TestOpenErrorNamesThePathArg(t *testing.T) {
	notStore := `IO Error: The file "%s" exists, but it is not a valid DuckDB database file!`
	for _, tt := range []struct{ path, driver, want string }{
		{"/dev/null", fmt.Sprintf(notStore, "/dev/null"), "(not a regular file; point merge's OUT at a file)"},
		{filepath.Join(t.TempDir(), "empty.duckdb"), notStore, "or point merge's OUT at another file)"},
		{"/s/z.duckdb", `IO Error: Cannot open file "/s/z.duckdb": Permission denied`, "point merge's OUT at a store you may write"},
	} {
		if strings.HasSuffix(tt.path, "empty.duckdb") {
			if err := os.WriteFile(tt.path, nil, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		err := openError(tt.path, "merge's OUT", errors.New(tt.driver))
		if !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "--db") {
			t.Errorf("%s: %v, want %q and no --db", tt.path, err, tt.want)
		}
	}
}
