package data

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// orphanLog writes a store with one run checkpointed and one only in its
// write-ahead log, as a kill leaves it, then moves the store away and leaves
// the log: it returns the store's old path, the log's bytes and the path of
// a sound store with the same runs.
func orphanLog(t *testing.T) (path string, log []byte, live string) {
	t.Helper()
	dir := t.TempDir()
	live = filepath.Join(dir, "live.duckdb")
	s, err := Open(live, Options{})
	if err != nil {
		t.Fatal(err)
	}
	storeRun(t, s, newSynthRun(1, 20), "logged")
	path = filepath.Join(dir, "w.duckdb")
	copyFile(t, live+".wal", path+".wal") // the log as the kill left it
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	log, _ = os.ReadFile(path + ".wal")
	if len(log) == 0 {
		t.Fatal("the run left no log to lose")
	}
	return path, log, live
}

// TestOrphanLogRefused: a store moved away from its log. A read-write Open
// created a new store there and DuckDB deleted the log, with the runs only
// it held; a read-only Open said "no such store". Every way in refuses and
// names the log, which is left as it was.
func TestOrphanLogRefused(t *testing.T) {
	path, log, live := orphanLog(t)
	for _, opts := range []Options{{}, {ReadOnly: true}, {SkipTableCheck: true}} {
		s, err := Open(path, opts)
		if err == nil {
			s.Close()
		}
		if !errors.Is(err, ErrOrphanLog) || !strings.Contains(err.Error(), path+".wal is a write-ahead log without its store "+path) {
			t.Errorf("Open(%+v): %v, want %v", opts, err, ErrOrphanLog)
		}
		RemoveCreated(path, err) // what a command does after a failed Open of a store it would create
		checkLogKept(t, path, log)
	}
	// doctor's output: a salvage creates a store, and must not over a log.
	out := filepath.Join(t.TempDir(), "saved.duckdb")
	copyFile(t, path+".wal", out+".wal")
	if _, err := Salvage(context.Background(), live, out); !errors.Is(err, ErrOrphanLog) {
		t.Errorf("Salvage into a path with a log: %v", err)
	}
	checkLogKept(t, out, log)
}

// TestOrphanLogRepairCopy: a repair's output whose log is there already
// would have overwritten it, and removed it on failure.
func TestOrphanLogRepairCopy(t *testing.T) {
	f := tornFixture(t, 20, 1)
	torn := filepath.Join(t.TempDir(), "torn.duckdb")
	f.tear(t, 0, torn)
	out := filepath.Join(t.TempDir(), "out.duckdb")
	if err := os.WriteFile(out+".wal", []byte("someone's log"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := RepairCopy(context.Background(), torn, out); err == nil || !strings.Contains(err.Error(), out+".wal exists") {
		t.Errorf("RepairCopy onto a log: %v", err)
	}
	checkLogKept(t, out, []byte("someone's log"))
}

// TestEmptyLogNoOrphan: an empty log holds nothing, and a new store may
// take its place.
func TestEmptyLogNoOrphan(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.duckdb")
	if err := os.WriteFile(path+".wal", nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := CheckOrphanLog(path); err != nil {
		t.Fatal(err)
	}
}

// checkLogKept checks that the log beside path is as it was and that no
// store was created in front of it.
func checkLogKept(t *testing.T, path string, log []byte) {
	t.Helper()
	if b, err := os.ReadFile(path + ".wal"); err != nil || !bytes.Equal(b, log) {
		t.Fatalf("the log %s.wal was changed or removed (%v)", path, err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a store was created in front of the log: %v", err)
	}
}
