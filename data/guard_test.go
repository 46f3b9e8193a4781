package data

import (
	"bufio"
	"context"
	"crypto/sha256"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// guardSeed is one line of testdata/guard_seeds.sql.
type guardSeed struct {
	query string
	ok    bool
}

func guardSeeds(t testing.TB) []guardSeed {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "guard_seeds.sql"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var seeds []guardSeed
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		verdict, q, _ := strings.Cut(line, " ")
		if verdict != "ok" && verdict != "no" {
			continue
		}
		seeds = append(seeds, guardSeed{query: strings.ReplaceAll(q, `\n`, "\n"), ok: verdict == "ok"})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return seeds
}

// sandboxFixture is a store with a run, opened read-only in the sandbox,
// and the digest of its file.
func sandboxFixture(t testing.TB) (*Store, string, [32]byte) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "guard.duckdb")
	w, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	rw, err := w.BeginRun(context.Background(), RunInfo{Name: "g", Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if err := newSynthRun(1, 50).play(rw, 1000, true); err != nil {
		t.Fatal(err)
	}
	if err := rw.Finish(1); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	s, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path, digest(t, path)
}

func digest(t testing.TB, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

func TestCheckQuery(t *testing.T) {
	s, _, _ := sandboxFixture(t)
	ctx := context.Background()
	for _, sd := range guardSeeds(t) {
		err := CheckQuery(ctx, s.DB(), sd.query)
		if sd.ok && err != nil {
			t.Errorf("%q refused: %v", sd.query, err)
		}
		if !sd.ok && err == nil {
			t.Errorf("%q accepted", sd.query)
		}
	}
}

// TestGuardMessages: a refusal names what was refused and what may run, in
// words that hold.
func TestGuardMessages(t *testing.T) {
	s, _, _ := sandboxFixture(t)
	ctx := context.Background()
	for _, tc := range []struct{ query, want, notWant string }{
		// "WITH statements are refused; only queries (SELECT, WITH, ...)".
		{"with x as (select 1) delete from runs", "WITH ... DELETE statements are refused", "WITH statements"},
		{"WITH x AS (SELECT 1) INSERT INTO runs SELECT * FROM runs", "WITH ... INSERT statements are refused", "WITH statements"},
		{"DELETE FROM runs", "DELETE statements are refused", "WITH ..."},
		// The list of queries left out PIVOT and UNPIVOT, which sql --help
		// says run.
		{"DELETE FROM runs", "SUMMARIZE, PIVOT with its values listed, UNPIVOT) run read-only", "SUMMARIZE) run"},
		{"UNPIVOT runs ON name INTO NAME k VALUE v; DELETE FROM runs", "DELETE statements are refused", "UNPIVOT statements"},
		{"PIVOT runs ON name IN ('a') USING count(*); DELETE FROM runs", "DELETE statements are refused", "PIVOT without IN"},
		{"PIVOT runs ON name USING count(*)", "a PIVOT without IN", "PIVOT statements"},
		// The list said "the duckdb_* catalog functions", and this is refused.
		{"select * from duckdb_extensions()", "the catalog functions duckdb_columns, duckdb_constraints, ", "duckdb_*"},
	} {
		err := CheckQuery(ctx, s.DB(), tc.query)
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), tc.notWant) {
			t.Errorf("%q: %v; want %q, without %q", tc.query, err, tc.want, tc.notWant)
		}
	}
	list := allowedList()
	for name := range readTableFunctions {
		if !strings.Contains(list, name) {
			t.Errorf("allowedList() lacks %s: %s", name, list)
		}
	}
}

// TestSandbox checks DuckDB's own controls under CheckQuery: a sandboxed
// store refuses files, extensions and settings even to SQL that reaches it
// unchecked.
func TestSandbox(t *testing.T) {
	s, path, before := sandboxFixture(t)
	dir := filepath.Dir(path)
	for _, q := range []string{
		"COPY (SELECT 'x') TO '" + path + "'",
		"EXPORT DATABASE '" + filepath.Join(dir, "exp") + "'",
		"ATTACH '" + filepath.Join(dir, "other.duckdb") + "' AS o",
		"SELECT * FROM read_csv('/etc/passwd')",
		"SELECT * FROM read_text('/etc/passwd')",
		"SELECT * FROM glob('/root/**')",
		"SET threads = 1",
		"SET enable_external_access = true",
		"INSTALL httpfs",
		"LOAD httpfs",
		"DELETE FROM runs",
	} {
		if _, err := s.DB().Exec(q); err == nil {
			t.Errorf("%q ran on a sandboxed store", q)
		}
	}
	if digest(t, path) != before {
		t.Error("the store file changed")
	}
	if _, err := os.Stat(filepath.Join(dir, "other.duckdb")); err == nil {
		t.Error("ATTACH created a file")
	}
}

// FuzzCheckQuery: CheckQuery never panics, and whatever it accepts runs on
// a sandboxed store without tripping the sandbox (so the guard alone would
// have kept it in the store) and leaves the file unchanged.
func FuzzCheckQuery(f *testing.F) {
	for _, sd := range guardSeeds(f) {
		f.Add(sd.query)
	}
	s, path, before := sandboxFixture(f)
	f.Fuzz(func(t *testing.T, q string) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if err := CheckQuery(ctx, s.DB(), q); err != nil {
			return
		}
		rows, err := s.DB().QueryContext(ctx, q)
		if err == nil {
			for rows.Next() {
			}
			err = errors.Join(rows.Err(), rows.Close())
		}
		if err != nil && (strings.Contains(err.Error(), "Permission Error") || strings.Contains(err.Error(), "configuration has been locked")) {
			t.Errorf("CheckQuery accepted %q, which the sandbox stopped: %v", q, err)
		}
		if digest(t, path) != before {
			t.Fatalf("%q changed the store file", q)
		}
	})
}
