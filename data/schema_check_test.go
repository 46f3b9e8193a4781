package data

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// duckFile writes a DuckDB file at path with stmts run in it, outside aiecon.
func duckFile(t *testing.T, path string, stmts ...string) {
	t.Helper()
	db, err := sql.Open("duckdb", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range stmts {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

func fileSum(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

// dropStatus alters a store aiecon made: runs loses a column.
var dropStatus = []string{"ALTER TABLE runs DROP COLUMN status"}

// TestOpenRefusesForeignDatabase: Open wrote aiecon's schema into any
// DuckDB file it was pointed at (a user's customers table gained runs,
// kpis and the views beside it), and a file with its own runs table failed
// every command with a binder error. Such a file is refused, named and
// left byte for byte as it was; an empty or missing file becomes a store.
func TestOpenRefusesForeignDatabase(t *testing.T) {
	tests := []struct {
		name     string
		stmts    []string // run in a file made outside aiecon; nil: no file
		store    []string // with stmts nil: run in a store aiecon made
		readOnly bool
		is       error
		want     string
	}{
		{"customers", []string{"CREATE TABLE customers (id INTEGER, name VARCHAR)", "INSERT INTO customers VALUES (1, 'ann')"}, nil, false,
			ErrForeignDatabase, "holding customers but no aiecon schema_version"},
		{"own runs table", []string{"CREATE TABLE runs (id INTEGER)", "CREATE VIEW v AS SELECT 1"}, nil, false,
			ErrForeignDatabase, "holding runs, v but"},
		{"read-only", []string{"CREATE TABLE customers (id INTEGER)"}, nil, true, ErrForeignDatabase, "holding customers"},
		{"altered store", nil, dropStatus, false, ErrMergeSchema, "table runs lacks column status VARCHAR"},
		{"altered store read-only", nil, dropStatus, true, ErrMergeSchema, "table runs lacks column status VARCHAR"},
		// Another program's schema_version: reading the version failed with
		// DuckDB's multi-line binder error, exit 1.
		{"version table of another program", []string{"CREATE TABLE schema_version (x VARCHAR)", "INSERT INTO schema_version VALUES ('hi')"}, nil, false,
			ErrForeignDatabase, "it has a table schema_version whose columns are not aiecon's (x VARCHAR; aiecon's are version INTEGER"},
		{"version table of another program read-only", []string{"CREATE TABLE schema_version (x VARCHAR)"}, nil, true,
			ErrForeignDatabase, "whose columns are not aiecon's (x VARCHAR;"},
		{"version as text", []string{"CREATE TABLE schema_version (version VARCHAR)", "INSERT INTO schema_version VALUES ('7')"}, nil, false,
			ErrForeignDatabase, "whose columns are not aiecon's (version VARCHAR;"},
		// aiecon's version table, empty: it read "holding schema_version but
		// no aiecon schema_version table".
		{"empty version table", []string{"CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP)"}, nil, false,
			ErrForeignDatabase, "holding schema_version; its schema_version table has aiecon's columns but records no schema version"},
		// Version rows deleted: migrations 6..10 were applied again and
		// committed, then 11 failed with DuckDB's catalog error.
		{"version rows deleted", nil, []string{"DELETE FROM schema_version WHERE version > 5"}, false,
			ErrMergeSchema, "records aiecon schema version 5, but its tables differ from this aiecon's schema: it already holds latency_sketches (migration 0011_latency_sketches creates it)"},
		{"version rows deleted read-only", nil, []string{"DELETE FROM schema_version WHERE version > 5"}, true,
			ErrMergeSchema, "it already holds latency_sketches"},
		// A version table and nothing else: migration 0002 failed on the
		// missing runs table with DuckDB's catalog error, exit 1.
		{"version table alone", []string{"CREATE TABLE schema_version (version INTEGER, name VARCHAR)", "INSERT INTO schema_version VALUES (1, 'init')"}, nil, false,
			ErrForeignDatabase, "claims aiecon schema version 1 but lacks its tables (auctions, calibrations, kpis, replicas, requests and 6 more)"},
		{"version table alone read-only", []string{"CREATE TABLE schema_version (version INTEGER, name VARCHAR)", "INSERT INTO schema_version VALUES (1, 'init')"}, nil, true,
			ErrForeignDatabase, "claims aiecon schema version 1 but lacks its tables"},
		{"empty database", []string{}, nil, false, nil, ""},
		{"missing file", nil, nil, false, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "other.duckdb")
			if tt.stmts != nil {
				duckFile(t, path, tt.stmts...)
			}
			if tt.store != nil {
				s, err := Open(path, Options{})
				if err != nil {
					t.Fatal(err)
				}
				s.Close()
				duckFile(t, path, tt.store...)
			}
			var before [32]byte
			if tt.is != nil {
				before = fileSum(t, path)
			}
			s, err := Open(path, Options{ReadOnly: tt.readOnly})
			if tt.is == nil {
				if err != nil {
					t.Fatalf("an empty or missing file must become a store: %v", err)
				}
				s.Close()
				return
			}
			if err == nil {
				s.Close()
				t.Fatal("opened")
			}
			if !errors.Is(err, tt.is) || strings.Contains(err.Error(), "not a DuckDB database") || !strings.Contains(err.Error(), tt.want) ||
				strings.Contains(err.Error(), "\n") || strings.Contains(err.Error(), "Error:") ||
				!strings.Contains(err.Error(), path) {
				t.Errorf("got %v, want %v naming %s and %q", err, tt.is, path, tt.want)
			}
			if fileSum(t, path) != before {
				t.Error("the file was changed")
			}
			if _, err := os.Stat(path + ".wal"); err == nil {
				t.Error("a write-ahead log was left beside it")
			}
		})
	}
}

// TestSchemaTables: schemaTables, what Open checks a store's tables
// against, is the migrated schema's; after a new migration paste the
// literal this prints into schema_tables.go.
func TestSchemaTables(t *testing.T) {
	ref, err := reference()
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(ref.tables, schemaTables) {
		var b strings.Builder
		for _, k := range slices.Sorted(maps.Keys(ref.tables)) {
			fmt.Fprintf(&b, "\t%q: %q,\n", k, ref.tables[k])
		}
		t.Errorf("schemaTables is not the migrated schema's tables; want:\n%s", b.String())
	}
}

// TestAlteredStoreRepairable: a store a user altered through `sql --write`
// (a column added to runs) is refused by every command but sql, which opens
// it with SkipTableCheck so that the change can be undone; it then opens as
// before. Refused by all, the user had no way back.
func TestAlteredStoreRepairable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.duckdb")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	duckFile(t, path, "ALTER TABLE runs ADD COLUMN tag VARCHAR")
	if _, err := Open(path, Options{}); !errors.Is(err, ErrMergeSchema) || !strings.Contains(err.Error(), "sql --write") {
		t.Fatalf("altered store: got %v, want ErrMergeSchema pointing at sql --write", err)
	}
	for _, ro := range []bool{true, false} {
		s, err := Open(path, Options{ReadOnly: ro, SkipTableCheck: true})
		if err != nil {
			t.Fatalf("read-only %v, SkipTableCheck: %v", ro, err)
		}
		s.Close()
	}
	duckFile(t, path, "ALTER TABLE runs DROP COLUMN tag")
	s, err = Open(path, Options{})
	if err != nil {
		t.Fatalf("after the change was undone: %v", err)
	}
	s.Close()
}

// TestUndoExample: the statement a SchemaDiffError suggests undoes the
// first difference it names, or none is suggested; it was always "ALTER
// TABLE runs DROP COLUMN tag", for a dropped table or another column.
func TestUndoExample(t *testing.T) {
	for _, tt := range []struct {
		diffs []string
		want  string
	}{
		{[]string{"table runs has an extra column zz INTEGER"}, ", e.g. ALTER TABLE runs DROP COLUMN zz"},
		{[]string{"table kpis has column unit as INTEGER, want VARCHAR", "table replicas is missing"}, ", e.g. ALTER TABLE kpis ALTER COLUMN unit TYPE VARCHAR"},
		{[]string{"table kpis has column n as INTEGER, want BIGINT, has an extra column zz INTEGER"}, ", e.g. ALTER TABLE kpis ALTER COLUMN n TYPE BIGINT"},
		{[]string{"table replicas is missing", "table runs has an extra column zz INTEGER"}, ""},
		{[]string{"table t has column s as VARCHAR, want ENUM('x', 'y')"}, ""},
		{[]string{"table t has columns (b INTEGER, a INTEGER) in another order, want (a INTEGER, b INTEGER)"}, ""},
		// A name with a space: the diff reads "we" of type "ird ...", and
		// "name" retyped as "x VARCHAR"; neither example would undo it.
		{[]string{"table runs has an extra column we ird VARCHAR"}, ""},
		{[]string{"table runs has column name as x VARCHAR, want VARCHAR"}, ""},
		{nil, ""},
	} {
		if got := undoExample(tt.diffs); got != tt.want {
			t.Errorf("undoExample(%q) = %q, want %q", tt.diffs, got, tt.want)
		}
	}
	err := &SchemaDiffError{Path: "s.duckdb", Diffs: []string{"table replicas is missing"}}
	if strings.Contains(err.Error(), "DROP COLUMN") {
		t.Errorf("a dropped table's advice suggests dropping a column: %v", err)
	}
}

// TestColumnsDiff: a table's difference names the columns, not two lists
// of thirty: what is missing, extra or retyped (an ENUM's commas kept).
func TestColumnsDiff(t *testing.T) {
	want := "a VARCHAR, s ENUM('x', 'y'), n BIGINT"
	for _, tt := range []struct{ have, diff string }{
		{"a VARCHAR, s ENUM('x', 'y'), n BIGINT, tag VARCHAR", "has an extra column tag VARCHAR"},
		{"a VARCHAR, n BIGINT", "lacks column s ENUM('x', 'y')"},
		{"a VARCHAR, s ENUM('x', 'y'), n INTEGER", "has column n as INTEGER, want BIGINT"},
		{"n BIGINT, a VARCHAR, s ENUM('x', 'y')", "in another order"},
	} {
		if got := columnsDiff(splitColumns(tt.have), splitColumns(want)); !strings.Contains(got, tt.diff) {
			t.Errorf("%s: got %q, want %q", tt.have, got, tt.diff)
		}
	}
}

// TestForeignInputRefused: merge and salvage read another program's
// DuckDB file (its own runs table, no schema_version) as far as the first
// query of aiecon's tables, and printed DuckDB's catalog or binder error
// with its SQL. Both refuse it as ErrForeignDatabase, naming what it holds,
// write nothing and leave it byte for byte as it was.
func TestForeignInputRefused(t *testing.T) {
	ctx := context.Background()
	merge := func(in, dir string) error {
		out, err := Open(filepath.Join(dir, "out.duckdb"), Options{})
		if err != nil {
			return err
		}
		defer out.Close()
		_, err = out.Merge(ctx, in)
		return err
	}
	salvage := func(in, dir string) error {
		out := filepath.Join(dir, "salv.duckdb")
		_, err := Salvage(ctx, in, out)
		if _, serr := os.Stat(out); serr == nil {
			t.Errorf("salvage left %s behind", out)
		}
		return err
	}
	own := []string{"CREATE TABLE t (x INTEGER)", "CREATE TABLE runs (id INTEGER)"}
	otherVersion := []string{"CREATE TABLE schema_version (x VARCHAR)", "INSERT INTO schema_version VALUES ('hi')"}
	tests := []struct {
		name  string
		stmts []string
		do    func(in, dir string) error
		want  string
	}{
		{"merge", own, merge, "foreign.duckdb is not an aiecon store: it holds runs, t but no aiecon schema_version table; nothing of it was copied"},
		{"merge empty", []string{}, merge, "foreign.duckdb is not an aiecon store: it holds nothing"},
		{"salvage", own, salvage, "foreign.duckdb is not an aiecon store: it holds runs, t"},
		// Another program's schema_version: DuckDB's binder error, SQL and all.
		{"merge, version table of another program", otherVersion, merge,
			"foreign.duckdb is not an aiecon store: it has a table schema_version whose columns are not aiecon's (x VARCHAR; aiecon's are version INTEGER"},
		{"salvage, version table of another program", otherVersion, salvage, "whose columns are not aiecon's (x VARCHAR;"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			in := filepath.Join(dir, "foreign.duckdb")
			duckFile(t, in, tt.stmts...)
			before := fileSum(t, in)
			err := tt.do(in, dir)
			if !errors.Is(err, ErrForeignDatabase) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want ErrForeignDatabase with %q", err, tt.want)
			}
			if strings.Contains(fmt.Sprint(err), "Error:") {
				t.Errorf("DuckDB's error reached the message: %v", err)
			}
			if fileSum(t, in) != before {
				t.Error("the foreign file changed")
			}
		})
	}
}
