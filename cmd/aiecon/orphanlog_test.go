package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOrphanLogRefused: a store moved away from the log a kill left beside
// it. `run` made a new store there (exit 0) and DuckDB deleted the log with
// the runs only it held; `runs` said "no such store". Every command that
// would open the path, or create a store at it, refuses (exit 2), names the
// log, and leaves it as it was.
func TestOrphanLogRefused(t *testing.T) {
	db, _ := storeFixture(t)
	dir := t.TempDir()
	orphan := filepath.Join(dir, "w.duckdb")
	log := []byte("the runs since the last checkpoint")
	if err := os.WriteFile(orphan+".wal", log, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		db   string
		args []string
	}{
		{orphan, []string{"runs"}},
		{orphan, []string{"run", "--horizon", "1m"}},
		{orphan, []string{"sql", "--write", "SELECT 1"}},
		{orphan, []string{"sql", "SELECT 1"}},
		{orphan, []string{"export", "last", "--out", filepath.Join(dir, "x")}},
		{orphan, []string{"doctor"}},
		{db, []string{"doctor", "--out", orphan}},
		{db, []string{"merge", orphan, db}},
		{db, []string{"merge", filepath.Join(dir, "m.duckdb"), orphan}},
	} {
		code, stdout, stderr := cli(t, tc.db, "", tc.args...)
		if code != exitUsage || !strings.Contains(stderr, orphan+".wal is a write-ahead log without its store "+orphan+": put that same store back") {
			t.Errorf("%v: exit %d\n%s%s", tc.args, code, stdout, stderr)
		}
		if b, err := os.ReadFile(orphan + ".wal"); err != nil || !bytes.Equal(b, log) {
			t.Fatalf("%v: the log was changed or removed (%v)", tc.args, err)
		}
		if _, err := os.Stat(orphan); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("%v: a store was created in front of the log (%v)", tc.args, err)
		}
	}
}
