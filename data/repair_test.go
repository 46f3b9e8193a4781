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

// tornFixture builds the two states of a store around a checkpoint: before
// (the file of the last checkpoint, after `checkpointed` runs each closed on
// its own, and the write-ahead log of two runs committed since, as a kill
// during the close's checkpoint finds them) and after (the file that
// checkpoint writes). Each run has `requests` requests. It returns the
// folder holding before.duckdb, before.duckdb.wal and after.duckdb, the ids
// of all runs, both files' bytes and their block size.
func tornFixture(t *testing.T, requests, checkpointed int) tornStore {
	t.Helper()
	dir := t.TempDir()
	var ids []string
	path := filepath.Join(dir, "live.duckdb")
	for i := range checkpointed {
		s, err := Open(path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, storeRun(t, s, newSynthRun(uint64(i+1), requests), "checkpointed"))
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ids = append(ids, storeRun(t, s, newSynthRun(100, requests), "logged"), storeRun(t, s, newSynthRun(101, requests), "logged"))
	// The last two runs are committed to the log; the file is still the
	// last checkpoint's.
	copyFile(t, path, filepath.Join(dir, "before.duckdb"))
	copyFile(t, path+".wal", filepath.Join(dir, "before.duckdb.wal"))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	copyFile(t, path, filepath.Join(dir, "after.duckdb"))
	f := tornStore{dir: dir, ids: ids}
	f.before, _ = os.ReadFile(filepath.Join(dir, "before.duckdb"))
	f.after, _ = os.ReadFile(filepath.Join(dir, "after.duckdb"))
	c, err := CheckBlocks(filepath.Join(dir, "before.duckdb"))
	if err != nil || len(c.Bad) != 0 {
		t.Fatalf("the file before the checkpoint: %v, %v", c, err)
	}
	f.blockSize = c.BlockSize
	return f
}

// tornStore is what tornFixture built.
type tornStore struct {
	dir           string
	ids           []string
	before, after []byte // the file before and after the close's checkpoint
	blockSize     int
}

// withLog writes b to path with the write-ahead log of the store before the
// checkpoint beside it, as a kill during the checkpoint leaves them.
func (f tornStore) withLog(t *testing.T, b []byte, path string) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	copyFile(t, filepath.Join(f.dir, "before.duckdb.wal"), path+".wal")
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// tear writes to out, with its log, the before file with block id torn as a
// kill leaves it: its first half of pages from the after file, the rest as
// before.
func (f tornStore) tear(t *testing.T, id int, out string) {
	t.Helper()
	f.tearAt(t, id, f.blockSize/2, out)
}

// tearAt is tear with the first n bytes of the block new.
func (f tornStore) tearAt(t *testing.T, id, n int, out string) {
	t.Helper()
	b := bytes.Clone(f.before)
	off := duckBlocksStart + id*f.blockSize
	copy(b[off:off+n], f.after[off:off+n])
	f.withLog(t, b, out)
}

// tornPage is the unit a kill cuts a buffered write at: Linux copies a
// write into the page cache a page at a time and stops between two pages
// when SIGKILL arrives, so a torn block holds a whole number of new pages.
const tornPage = 4096

// TestRepairTornAtEveryPageCount tears the first block whose tear DuckDB
// refuses after 1, half and all but one of its pages, the range a kill
// between two pages of the block's write leaves, and checks that each is
// repaired, in a copy and in place, with every run there.
func TestRepairTornAtEveryPageCount(t *testing.T) {
	const requests = 20
	f := tornFixture(t, requests, 11) // as TestRepairTornCheckpoint, whose layout tears metadata blocks
	pages := f.blockSize / tornPage
	for id := range f.blocks() {
		torn := filepath.Join(t.TempDir(), "torn.duckdb")
		f.tear(t, id, torn)
		if tc, _ := CheckBlocks(torn); len(tc.Bad) == 0 {
			continue
		}
		if s, err := Open(torn, Options{ReadOnly: true}); err == nil {
			s.Close()
			continue // opened over: TestRepairTornCheckpoint covers those
		}
		tested := 0
		for _, n := range []int{1, pages / 2, pages - 1} {
			out := filepath.Join(t.TempDir(), "torn.duckdb")
			f.tearAt(t, id, n*tornPage, out)
			if tc, _ := CheckBlocks(out); len(tc.Bad) == 0 {
				continue // the pages written are the same as before: no tear
			}
			checkTornRepairs(t, out, id, f.ids, requests)
			tested++
		}
		if tested == 0 {
			t.Fatalf("block %d: no page count tears it", id)
		}
		t.Logf("block %d torn after 1, %d and %d of its %d pages: %d tears repaired", id, pages/2, pages-1, pages, tested)
		return
	}
	t.Fatal("no torn block made DuckDB refuse the file: the test tests nothing")
}

// blocks is how many whole blocks both files have.
func (f tornStore) blocks() int {
	return (min(len(f.before), len(f.after)) - duckBlocksStart) / f.blockSize
}

// TestRepairTornCheckpoint tears, one at a time, every block that the
// close's checkpoint rewrites inside the old file, as a kill -9 between two
// pages of the write does. Each tear must be repaired by RepairCopy with
// every run and record there, and a read-write Open must repair it in place,
// keeping the damaged original: the tears DuckDB refuses at open, and those
// it opens over (it reads blocks lazily, and a later query or the close's
// checkpoint fails on them). Which blocks the checkpoint rewrites in place
// depends on DuckDB's timing: on an idle disk every tear here is refused, on
// a slow one some are opened over; TestRepairShortTail always covers the
// check an open makes after a crash.
func TestRepairTornCheckpoint(t *testing.T) {
	// Eleven small runs, each checkpointed: the close's checkpoint then
	// rewrites metadata blocks in place (tears DuckDB's open refuses) and,
	// on a slow disk, others (tears it opens over). Which blocks it
	// rewrites in place depends on the file's layout: with schema 28's
	// table (forecast_checkpoints) ten runs left no metadata block torn
	// across the rewrite, eleven (and nine) do.
	const requests = 20
	f := tornFixture(t, requests, 11)
	refused, opened := 0, 0
	for id := range f.blocks() {
		off := duckBlocksStart + id*f.blockSize
		if bytes.Equal(f.before[off:off+f.blockSize/2], f.after[off:off+f.blockSize/2]) {
			continue // not rewritten, or rewritten the same: no tear
		}
		torn := filepath.Join(t.TempDir(), "torn.duckdb")
		f.tear(t, id, torn)
		if tc, _ := CheckBlocks(torn); len(tc.Bad) == 0 {
			continue // the half written is all that changed: a whole write
		}
		if s, err := Open(torn, Options{ReadOnly: true}); err == nil {
			s.Close()
			opened++
		} else if ce := (*CorruptError)(nil); !errors.As(err, &ce) {
			t.Fatalf("block %d torn: a read-only Open says %v, not that the store is damaged", id, err)
		} else {
			refused++
		}
		checkTornRepairs(t, torn, id, f.ids, requests)
	}
	t.Logf("%d torn blocks refused by DuckDB's open, %d opened over; each repaired", refused, opened)
	if refused == 0 {
		t.Fatal("no torn block made DuckDB refuse the file: the test tests less than it says")
	}
}

// checkTornRepairs repairs the store at torn, whose block id is torn, into a
// copy and then in place, and checks that every run is there.
func checkTornRepairs(t *testing.T, torn string, id int, ids []string, n int) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "repaired.duckdb")
	rep, err := RepairCopy(context.Background(), torn, out)
	if err != nil {
		t.Fatalf("block %d torn: %v", id, err)
	}
	if len(rep.Before.Bad) != 1 || rep.Before.Bad[0] != id || rep.Runs != len(ids) {
		t.Errorf("block %d torn: report %+v", id, rep)
	}
	checkAllRuns(t, out, ids, n)

	tornBytes, _ := os.ReadFile(torn)
	var told *RepairReport
	s, err := Open(torn, Options{OnRepair: func(r RepairReport) { told = &r }})
	if err != nil || told == nil {
		t.Fatalf("block %d torn: Open: %v (repair reported: %v)", id, err, told)
	}
	s.Close()
	checkAllRuns(t, torn, ids, n)
	if kept, err := os.ReadFile(told.KeptAs); err != nil || !bytes.Equal(kept, tornBytes) || !strings.Contains(told.String(), told.KeptAs) {
		t.Errorf("block %d torn: the damaged original was not kept as it was (%v): %s", id, err, told)
	}
}

// checkAllRuns opens path and checks that every run is complete with its
// n requests.
func checkAllRuns(t *testing.T, path string, ids []string, n int) {
	t.Helper()
	s, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("opening %s: %v", path, err)
	}
	defer s.Close()
	for _, id := range ids {
		var got int
		if err := s.DB().QueryRow(`SELECT count(*) FROM requests WHERE run_id = ?`, id).Scan(&got); err != nil || got != n {
			t.Errorf("%s: run %s has %d requests (%v), want %d", path, id, got, err, n)
		}
	}
}

// TestRepairRefusesOtherDamage: a damaged block without a write-ahead log
// beside it, or more damaged blocks than a kill tears, is not a torn
// checkpoint, and RepairCopy leaves nothing behind.
func TestRepairRefusesOtherDamage(t *testing.T) {
	dir := tornFixture(t, 20000, 1).dir
	after := filepath.Join(dir, "after.duckdb")
	scribble(t, after, duckBlocksStart+100)
	out := filepath.Join(dir, "out.duckdb")
	if _, err := RepairCopy(context.Background(), after, out); !errors.Is(err, ErrNotTorn) || !strings.Contains(err.Error(), "no write-ahead log") {
		t.Errorf("no log: %v", err)
	}
	copyFile(t, filepath.Join(dir, "before.duckdb.wal"), after+".wal")
	c, _ := CheckBlocks(after)
	for b := 1; b < min(c.Blocks, maxTornBlocks+1); b++ {
		scribble(t, after, int64(duckBlocksStart+b*c.BlockSize+100))
	}
	if c, _ = CheckBlocks(after); len(c.Bad) <= maxTornBlocks {
		t.Fatalf("only %d blocks damaged of %d", len(c.Bad), c.Blocks)
	} else {
		if _, err := RepairCopy(context.Background(), after, out); !errors.Is(err, ErrNotTorn) {
			t.Errorf("%d blocks damaged: %v", len(c.Bad), err)
		}
	}
	scribble(t, after, duckHeaderSize+100) // a database header: not a kill's mark either
	if _, err := RepairCopy(context.Background(), after, out); !errors.Is(err, ErrNotTorn) {
		t.Errorf("a damaged header: %v", err)
	}
	if _, err := RepairCopy(context.Background(), filepath.Join(dir, "before.duckdb"), out); !errors.Is(err, ErrNotTorn) {
		t.Errorf("an undamaged file: %v", err)
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused repair left %s", out)
	}
}

// scribble overwrites a few bytes at off with text: unlike flip's run of
// equal words, which an XOR of words can miss in a zeroed block, it always
// changes the checksum.
func scribble(t *testing.T, path string, off int64) {
	t.Helper()
	overwrite(t, path, off, []byte("damaged by something else"))
}

// TestRepairRace: when another process puts its repaired copy in place while
// this one repairs too, this one uses that copy and moves nothing aside
// (the other may be writing to it).
func TestRepairRace(t *testing.T) {
	const requests = 3000
	f := tornFixture(t, requests, 1)
	torn := filepath.Join(t.TempDir(), "torn.duckdb")
	for id := 0; ; id++ {
		if id >= f.blocks() {
			t.Fatal("no torn block made DuckDB refuse the file")
		}
		f.tear(t, id, torn)
		s, err := Open(torn, Options{ReadOnly: true})
		if err != nil {
			break
		}
		s.Close()
	}
	other := filepath.Join(t.TempDir(), "other.duckdb")
	if _, err := RepairCopy(context.Background(), torn, other); err != nil {
		t.Fatal(err)
	}
	testHookRepairCopied = func() { // the other process wins the race
		if err := errors.Join(os.Rename(other, torn), os.Remove(torn+".wal")); err != nil {
			t.Fatal(err)
		}
	}
	defer func() { testHookRepairCopied = nil }()
	repaired := false
	s, err := Open(torn, Options{OnRepair: func(RepairReport) { repaired = true }})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if repaired {
		t.Error("reported a repair that another process made")
	}
	if kept, _ := filepath.Glob(torn + ".*"); len(kept) != 0 {
		t.Errorf("moved aside or left behind: %v", kept)
	}
	checkAllRuns(t, torn, f.ids, requests)
}

// TestRepairShortTail: a kill while DuckDB extends the file leaves it ending
// inside a new block that no checkpoint uses yet. DuckDB opens such a file;
// the open after the crash finds the short block and the repaired copy ends
// before it, with every run there.
func TestRepairShortTail(t *testing.T) {
	const requests = 3000
	f := tornFixture(t, requests, 1)
	if len(f.after) < len(f.before)+f.blockSize {
		t.Fatalf("the checkpoint did not extend the file (%d to %d bytes): the test tests nothing", len(f.before), len(f.after))
	}
	torn := filepath.Join(t.TempDir(), "torn.duckdb")
	cut := len(f.before) + f.blockSize/2
	f.withLog(t, append(bytes.Clone(f.before), f.after[len(f.before):cut]...), torn)
	tc, _ := CheckBlocks(torn)
	if !tc.ShortTail || !tc.Torn() {
		t.Fatalf("block check of the cut file: %+v", tc)
	}
	var told *RepairReport
	s, err := Open(torn, Options{OnRepair: func(r RepairReport) { told = &r }})
	if err == nil {
		s.Close() // also when the repair went unreported: an open store would fail later tests (Writing)
	}
	if err != nil || told == nil {
		t.Fatalf("Open: %v (repair reported: %v)", err, told)
	}
	checkAllRuns(t, torn, f.ids, requests)
}
