package data

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// damagedStore writes three complete runs and a failed one, each run
// checkpointed on its own so its blocks follow the previous run's, then
// overwrites the middle of one block of the last run's requests.
func damagedStore(t *testing.T) (path string, ids []string) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "damaged.duckdb")
	for i := range 3 {
		s, err := Open(path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, storeRun(t, s, newSynthRun(uint64(i+1), 5000), "run"))
		if i == 2 {
			w, err := s.BeginRun(context.Background(), RunInfo{Name: "failed"})
			if err != nil {
				t.Fatal(err)
			}
			if err := w.Fail(errors.New("boom")); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return path, ids
}

// flip overwrites 64 bytes at off.
func flip(t *testing.T, path string, off int64) {
	t.Helper()
	overwrite(t, path, off, []byte(strings.Repeat("\xA5", 64)))
}

// overwrite writes b at off in the file at path.
func overwrite(t *testing.T, path string, off int64, b []byte) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt(b, off); err != nil {
		t.Fatal(err)
	}
}

func TestSalvageHealthy(t *testing.T) {
	path, ids := damagedStore(t)
	out := filepath.Join(t.TempDir(), "saved.duckdb")
	st, err := Salvage(context.Background(), path, out)
	if err != nil || st.Runs != len(ids) || st.NotComplete != 1 || len(st.Lost) != 0 {
		t.Fatalf("salvage: %+v, %v", st, err)
	}
	if _, err := Salvage(context.Background(), path, out); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Errorf("salvage onto an existing file: %v", err)
	}
}

// lastRunBlock is a block that only the last row group of requests uses:
// each run was checkpointed on its own, so that row group is the last
// run's requests.
func lastRunBlock(t *testing.T, path string) int64 {
	t.Helper()
	s, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var block int64
	err = s.DB().QueryRow(`WITH i AS (SELECT row_group_id AS rg, block_id FROM pragma_storage_info('requests') WHERE block_id >= 0)
		SELECT max(block_id) FROM i WHERE rg = (SELECT max(rg) FROM i) AND block_id NOT IN (SELECT block_id FROM i WHERE rg < (SELECT max(rg) FROM i))`).Scan(&block)
	if err != nil {
		t.Fatalf("finding a block of the last run: %v", err)
	}
	return block
}

// TestCorruptStore damages a block of the last run's requests: Salvage
// copies the two other complete runs and names the lost one; a read-write
// Open that finds the damage sets the file aside and says so.
func TestCorruptStore(t *testing.T) {
	path, ids := damagedStore(t)
	// DuckDB's file: a 4 KB main header, two 4 KB database headers, then
	// blocks of 256 KB.
	flip(t, path, 3*4096+lastRunBlock(t, path)*262144+100000)
	out := filepath.Join(t.TempDir(), "saved.duckdb")
	st, err := Salvage(context.Background(), path, out)
	if err != nil || st.Runs != 2 || len(st.Lost) != 1 || !strings.Contains(st.Lost[0].What, ids[2]) {
		t.Fatalf("salvage: %+v, %v; want 2 runs and %s lost", st, err, ids[2])
	}
	s, err := Open(out, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids[:2] {
		d, err := s.Run(context.Background(), id)
		if err != nil || d.Run.Status != StatusComplete || d.Run.RequestsStored != 5000 {
			t.Errorf("salvaged run %s: %+v, %v", id, d, err)
		}
	}
	s.Close()

	// Damage where an Open reads (the metadata in the first blocks): a
	// read-only Open reports it and leaves the file; a read-write Open sets
	// it aside and says where.
	// (Every 256 KiB block of the first megabytes: where the catalog lands
	// depends on how many tables the schema has.)
	for b := int64(0); b < 16; b++ {
		flip(t, path, 3*4096+b*262144+16)
	}
	var ce *CorruptError
	if _, err := Open(path, Options{ReadOnly: true}); !errors.As(err, &ce) || ce.KeptAs != "" {
		t.Fatalf("read-only Open of a damaged store: %v", err)
	}
	if !strings.Contains(ce.Error(), "repairs it if a kill or a failed write (a full disk) tore a checkpoint") {
		t.Errorf("read-only Open's message blames a kill alone, or no checkpoint: %s", ce.Error())
	}
	if _, err := Open(path, Options{}); !errors.As(err, &ce) || ce.KeptAs == "" {
		t.Fatalf("read-write Open of a damaged store: %v", err)
	}
	if _, err := os.Stat(ce.KeptAs); err != nil {
		t.Errorf("the damaged file was not kept: %v", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the damaged file is still in the way: %v", err)
	}
	if !strings.Contains(ce.Error(), "kept, untouched, as "+ce.KeptAs) || !strings.Contains(ce.Error(), "aiecon doctor") {
		t.Errorf("message: %s", ce.Error())
	}
}

// TestSalvageNothingToSalvage: an input that is no DuckDB store, or one
// DuckDB cannot open at all, is refused, and no empty output store is left
// behind to be mistaken for the result (doctor left one for each).
func TestSalvageNothingToSalvage(t *testing.T) {
	duckHeader := append([]byte("01234567DUCK"), bytes.Repeat([]byte{0xA5}, 20000)...)
	cases := []struct {
		name    string
		content []byte // nil: a directory
		want    string
	}{
		{"a directory", nil, "it is a directory"},
		{"an empty file", []byte{}, "an empty file: nothing to salvage"},
		{"a text file", []byte("notes\n"), "not a DuckDB database"},
		{"DuckDB's magic over garbage", duckHeader, "DuckDB cannot open it at all"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			in := filepath.Join(dir, "in.duckdb")
			var err error
			if c.content == nil {
				err = os.Mkdir(in, 0o755)
			} else {
				err = os.WriteFile(in, c.content, 0o644)
			}
			if err != nil {
				t.Fatal(err)
			}
			salvageRefused(t, context.Background(), in, c.want)
		})
	}
}

// TestDamageFoundAtClose: a block damaged from outside that DuckDB does
// not read when it opens the file is found when the store checkpoints as
// it closes. The store is set aside with its log (the run written since is
// in it) and a note that no kill tore it, so that doctor copies what can
// be read instead of repairing the block as torn.
func TestDamageFoundAtClose(t *testing.T) {
	path, _ := damagedStore(t)
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	blocks := (len(orig) - duckBlocksStart) / 262144
	for b := 1; b < blocks; b++ {
		p := filepath.Join(t.TempDir(), "store.duckdb")
		if err := os.WriteFile(p, orig, 0o644); err != nil {
			t.Fatal(err)
		}
		flip(t, p, int64(duckBlocksStart+b*262144+5000))
		s, err := Open(p, Options{})
		if err != nil {
			continue // DuckDB reads this block as it opens: the open's own path
		}
		storeRun(t, s, newSynthRun(9, 5000), "after")
		err = s.Close()
		var ce *CorruptError
		if err == nil || !errors.As(err, &ce) || ce.KeptAs == "" {
			continue // the checkpoint did not touch the block
		}
		if _, serr := os.Stat(ce.KeptAs + notTornSuffix); serr != nil || !strings.Contains(err.Error(), "no kill") {
			t.Fatalf("block %d: set aside as %s without its note (%v): %v", b, ce.KeptAs, serr, err)
		}
		if _, serr := os.Stat(p); !os.IsNotExist(serr) {
			t.Fatalf("block %d: the damaged store is still at %s", b, p)
		}
		_, rerr := RepairCopy(context.Background(), ce.KeptAs, filepath.Join(t.TempDir(), "repaired.duckdb"))
		if !errors.Is(rerr, ErrNotTorn) || !strings.Contains(rerr.Error(), "no kill") {
			t.Fatalf("block %d: a repair of outside damage: %v", b, rerr)
		}
		return
	}
	t.Fatalf("no block of %d, damaged, failed the checkpoint at close: the test tests nothing", blocks)
}

// TestMergeNamesTheDamagedInput: a damaged block met inside the merge's
// transaction (DuckDB's checksum error names no file) is named as the
// input's when the input's own blocks fail, and as the output's otherwise.
func TestMergeNamesTheDamagedInput(t *testing.T) {
	in, _ := damagedStore(t)
	flip(t, in, 3*4096+lastRunBlock(t, in)*262144+100000)
	out := filepath.Join(t.TempDir(), "out.duckdb")
	s, err := Open(out, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, err = s.Merge(context.Background(), in)
	if !LooksDamaged(err) || DamagedStore(err) != in {
		t.Errorf("merge of a damaged input: %v, named %q; want %s", err, DamagedStore(err), in)
	}
	if got := s.damagedOf(out + ".absent"); got != out+".absent" {
		t.Errorf("an input the block check cannot read: %q", got)
	}
	healthy, _ := damagedStore(t)
	if got := s.damagedOf(healthy); got != out {
		t.Errorf("a healthy input: the damage named %q, want the output %s", got, out)
	}
}

// TestSalvageWithoutSketches damages a block that only latency_sketches
// uses: each run's records still read, and the salvage copies every run
// without its sketches, naming it, where it once lost them all (their
// sketches are derived, and a run stored before schema 11 has none).
func TestSalvageWithoutSketches(t *testing.T) {
	path, ids := damagedStore(t)
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Enough rows that the sketches fill blocks of their own.
	if _, err := s.DB().Exec(`INSERT INTO latency_sketches SELECT run_id, 'w' || i, 'ttft', 10, repeat('x', 100)::BLOB, NULL
		FROM runs, range(20000) t(i) WHERE status = 'complete'`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().Exec("CHECKPOINT"); err != nil {
		t.Fatal(err)
	}
	var block int64
	err = s.DB().QueryRow(`WITH b AS (SELECT block_id FROM pragma_storage_info('latency_sketches') WHERE block_id >= 0
		EXCEPT SELECT block_id FROM (` + otherTablesBlocks(t) + `)) SELECT min(block_id) FROM b`).Scan(&block)
	if err != nil {
		t.Fatalf("finding a block of latency_sketches alone: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	flip(t, path, 3*4096+block*262144+1000)

	out := filepath.Join(t.TempDir(), "saved.duckdb")
	st, err := Salvage(context.Background(), path, out)
	if err != nil || st.Runs != len(ids) || len(st.Lost) != 0 || len(st.NoSketches) == 0 {
		t.Fatalf("salvage: %+v, %v; want all %d runs, some without sketches", st, err, len(ids))
	}
	saved, err := Open(out, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer saved.Close()
	for _, id := range ids {
		d, err := saved.Run(context.Background(), id)
		if err != nil || d.Run.Status != StatusComplete || d.Run.RequestsStored != 5000 {
			t.Errorf("salvaged run %s: %+v, %v", id, d, err)
		}
		sk, err := saved.RunLatencySketches(context.Background(), id)
		without := slices.ContainsFunc(st.NoSketches, func(e SalvageErr) bool { return e.What == "run "+id })
		if err != nil || (without && len(sk) != 0) || (!without && len(sk) != 20000) {
			t.Errorf("run %s (named without sketches: %v): %d sketches copied, %v", id, without, len(sk), err)
		}
	}
	for _, e := range st.NoSketches {
		if !strings.Contains(e.Err.Error(), "latency_sketches") {
			t.Errorf("%s: %v does not name the table", e.What, e.Err)
		}
	}
}

// otherTablesBlocks is SQL listing the blocks of every table but
// latency_sketches.
func otherTablesBlocks(t *testing.T) string {
	t.Helper()
	var parts []string
	for table := range schemaTables {
		if table != "latency_sketches" {
			parts = append(parts, "SELECT block_id FROM pragma_storage_info('"+table+"')")
		}
	}
	return strings.Join(parts, " UNION ALL ")
}
