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

// linkedStore makes dir/real/ and a link dir/link.duckdb to real/s.duckdb,
// and returns both paths.
func linkedStore(t *testing.T) (link, target string) {
	t.Helper()
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "real"), 0o755); err != nil {
		t.Fatal(err)
	}
	link, target = filepath.Join(dir, "link.duckdb"), filepath.Join(dir, "real", "s.duckdb")
	if err := os.Symlink(filepath.Join("real", "s.duckdb"), link); err != nil {
		t.Fatal(err)
	}
	return link, target
}

// checkLink checks that link is still a link to target, and target a file.
func checkLink(t *testing.T, link, target string) {
	t.Helper()
	if to, err := os.Readlink(link); err != nil || filepath.Join(filepath.Dir(link), to) != target {
		t.Fatalf("%s is no longer the link to %s: %q, %v", link, target, to, err)
	}
	if fi, err := os.Lstat(target); err != nil || !fi.Mode().IsRegular() {
		t.Fatalf("%s: %v, %v", target, fi, err)
	}
}

// TestSetAsideThroughLink: a store reached through a link and damaged past
// repair. The link itself was renamed .corrupt-TIME, the damaged target
// left where it was, and the next write made a plain file where the link
// was. The target is set aside (with its log) and the link kept, so the
// next write starts the new store where the link points.
func TestSetAsideThroughLink(t *testing.T) {
	link, target := linkedStore(t)
	s, err := Open(link, Options{})
	if err != nil {
		t.Fatal(err)
	}
	storeRun(t, s, newSynthRun(1, 20), "run")
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	for b := int64(0); b < 16; b++ { // as TestCorruptStore: wherever the catalog is
		flip(t, target, 3*4096+b*262144+16)
	}
	damaged, _ := os.ReadFile(target)
	var ce *CorruptError
	if _, err := Open(link, Options{}); !errors.As(err, &ce) || ce.KeptAs == "" {
		t.Fatalf("read-write Open of a damaged store: %v", err)
	}
	if !strings.HasPrefix(ce.KeptAs, target+".corrupt-") {
		t.Errorf("kept as %s, not beside the target %s", ce.KeptAs, target)
	}
	if kept, err := os.ReadFile(ce.KeptAs); err != nil || !bytes.Equal(kept, damaged) {
		t.Errorf("the damaged target was not kept as it was: %v", err)
	}
	if to, err := os.Readlink(link); err != nil || to != filepath.Join("real", "s.duckdb") {
		t.Fatalf("the link was moved: %q, %v", to, err)
	}
	s, err = Open(link, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	checkLink(t, link, target)
}

// TestRepairThroughLink: a checkpoint torn by a kill in a store reached
// through a link. Its log is beside the target, where DuckDB keeps it, so
// the link had no log beside it: the open after the crash did not check the
// blocks (a tear DuckDB opens over went unrepaired), and the repair of a
// tear DuckDB refuses found "no write-ahead log" and set the link aside
// instead. Both are repaired in place, at the target, and the link is kept.
func TestRepairThroughLink(t *testing.T) {
	const requests = 3000
	f := tornFixture(t, requests, 1)
	// Cut inside a block the checkpoint was adding: DuckDB opens the file,
	// and only the open's own block check after a crash finds it.
	cut := len(f.before) + f.blockSize/2
	link, target := linkedStore(t)
	f.withLog(t, append(bytes.Clone(f.before), f.after[len(f.before):cut]...), target)
	checkRepairThroughLink(t, f, link, target, requests, false)
	for id := range f.blocks() {
		link, target := linkedStore(t)
		f.tear(t, id, target)
		if tc, _ := CheckBlocks(target); len(tc.Bad) == 0 {
			continue
		}
		if s, err := Open(link, Options{ReadOnly: true}); err == nil {
			s.Close()
			continue // DuckDB opens over it: the case above
		}
		// doctor --db LINK: the repair reads the log beside the target.
		if _, err := RepairCopy(context.Background(), link, filepath.Join(t.TempDir(), "copy.duckdb")); err != nil {
			t.Errorf("RepairCopy through the link: %v", err)
		}
		checkRepairThroughLink(t, f, link, target, requests, true)
		return
	}
	t.Fatal("no torn block made DuckDB refuse the file: the test tests less than it says")
}

// checkRepairThroughLink opens the torn store at target through link
// read-write and checks that it was repaired at the target with every run
// and its n requests.
func checkRepairThroughLink(t *testing.T, f tornStore, link, target string, n int, refused bool) {
	t.Helper()
	var told *RepairReport
	s, err := Open(link, Options{OnRepair: func(r RepairReport) { told = &r }})
	if err != nil || told == nil {
		t.Fatalf("refused by DuckDB: %v; Open: %v (repair reported: %v)", refused, err, told)
	}
	s.Close()
	checkLink(t, link, target)
	checkAllRuns(t, link, f.ids, n)
	if !strings.HasPrefix(told.KeptAs, target+".corrupt-") {
		t.Errorf("refused by DuckDB: %v; kept as %s, not beside the target %s", refused, told.KeptAs, target)
	}
}

// TestDanglingLinkLog: a store created through a link to a file not there
// yet. DuckDB took the link as it was for the store's connections, with a
// log beside the link, and resolved it for the request appenders' handle
// once the file existed, with a log beside the target: two instances of one
// file in one process, each with its own log, and once the file existed
// every later open read only the log beside the target. The store is opened
// at the target, with its one log beside it.
func TestDanglingLinkLog(t *testing.T) {
	link, target := linkedStore(t)
	s, err := Open(link, Options{})
	if err != nil {
		t.Fatal(err)
	}
	id := storeRun(t, s, newSynthRun(1, 20), "run")
	if _, err := os.Lstat(link + ".wal"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a log beside the link: %v", err)
	}
	copyFile(t, target, target+".copy")            // the store as a kill leaves it:
	copyFile(t, target+".wal", target+".copy.wal") // the run only in the log
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"", ".wal"} {
		if err := os.Rename(target+".copy"+f, target+f); err != nil {
			t.Fatal(err)
		}
	}
	checkAllRuns(t, link, []string{id}, 20)
}

// TestOrphanLogThroughLink: a link whose target was moved away from its
// log. The log is beside the target, and the open is refused there too.
func TestOrphanLogThroughLink(t *testing.T) {
	link, target := linkedStore(t)
	if err := os.WriteFile(target+".wal", []byte("runs"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Open(link, Options{})
	if !errors.Is(err, ErrOrphanLog) || !strings.Contains(err.Error(), target+".wal is a write-ahead log without its store "+target) {
		t.Fatalf("Open: %v", err)
	}
	if b, err := os.ReadFile(target + ".wal"); err != nil || string(b) != "runs" {
		t.Fatalf("the log was changed or removed: %v", err)
	}
}
