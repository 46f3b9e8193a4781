package data

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// TestRemoveStaleRepairs: a repair killed half-way leaves its work copy
// (PATH.repair-TIME-PID and its log); the next repair removes those of a
// process that is gone and at least an hour old, and keeps a recent one or
// one whose process lives (it may be copying still).
func TestRemoveStaleRepairs(t *testing.T) {
	dir := t.TempDir()
	abs := filepath.Join(dir, "s.duckdb")
	old := time.Now().Add(-2 * time.Hour)
	files := map[string]struct {
		age     time.Time
		removed bool
	}{
		abs + ".repair-20261205T080000.000Z-999999999":                    {old, true},
		abs + ".repair-20261205T080000.000Z-999999999.wal":                {old, true},
		abs + ".repair-20261205T090000.000Z-999999998":                    {time.Now(), false}, // recent
		abs + ".repair-20261205T080000.000Z-" + strconv.Itoa(os.Getpid()): {old, false},        // alive
		abs + ".corrupt-20261205T080000.000Z":                             {old, false},        // not a work copy
	}
	for name, f := range files {
		if err := os.WriteFile(name, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(name, f.age, f.age); err != nil {
			t.Fatal(err)
		}
	}
	removeStaleRepairs(abs, time.Now())
	for name, f := range files {
		_, err := os.Stat(name)
		if gone := os.IsNotExist(err); gone != f.removed {
			t.Errorf("%s: removed %v, want %v", filepath.Base(name), gone, f.removed)
		}
	}
}
