package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestQueryErrorExitCodes: a query the user got wrong exits 2; one the
// machine or the store failed (a read error, memory, an interruption)
// exits 1; with --write, several statements are said to have committed up
// to the failing one.
func TestQueryErrorExitCodes(t *testing.T) {
	for _, tt := range []struct {
		msg     string
		write   bool
		query   string
		input   bool
		applied bool
	}{
		{"Parser Error: syntax error at or near \"SELEC\"", false, "SELEC 1", true, false},
		{"Binder Error: column x not found", false, "SELECT x FROM runs", true, false},
		{`IO Error: Could not read enough bytes from file "/s/s.duckdb"`, false, "FROM windows", false, false},
		{`IO Error: Cannot open file "/nope/x.csv": No such file or directory`, true, "COPY runs TO '/nope/x.csv'", true, false},
		{"Out of Memory Error: failed to allocate", false, "FROM requests", false, false},
		{"Binder Error: Referenced column \"Interrupted\" not found", false, "SELECT Interrupted FROM runs", true, false},
		{"Invalid Input Error: boom", true, "DELETE FROM requests; SELECT error('boom');", true, true},
		{"Invalid Input Error: boom", true, "SELECT error('boom');", true, false},
		{"Invalid Input Error: boom", true, "SELECT error('a;b') -- one; statement", true, false},
	} {
		err := queryError(fmt.Errorf("checking the query: %w", errors.New(tt.msg)), tt.write, tt.query, "/s/s.duckdb")
		if got := isInputError(err); got != tt.input {
			t.Errorf("%q: input error %v, want %v", tt.msg, got, tt.input)
		}
		if got := strings.Contains(err.Error(), "those before the failing one were applied"); got != tt.applied {
			t.Errorf("%q (%q): says applied %v, want %v", tt.msg, tt.query, got, tt.applied)
		}
	}
}

// TestStatements counts statements outside quotes and comments.
func TestStatements(t *testing.T) {
	for q, want := range map[string]int{
		"SELECT 1": 1, "SELECT 1;": 1, "SELECT 1; SELECT 2": 2, "SELECT ';'": 1, `SELECT "a;b" FROM t; `: 1,
		"SELECT 1 -- a; b\n": 1, "DELETE FROM x; -- done\nSELECT 2;": 2, "": 0, " ; ; ": 0,
		"SELECT 1 /* a; b */": 1, "SELECT $$a;b$$": 1, "SELECT $t$a;b$t$; SELECT 2": 2, `SELECT E'a\'; b'`: 1, "SELECT 'it''s; x'": 1,
	} {
		if got := statements(q); got != want {
			t.Errorf("statements(%q) = %d, want %d", q, got, want)
		}
	}
}

// TestQueryErrorNamesTheStoreByItsPath: DuckDB names the store by its
// absolute path; a --db given relative still marks a read error of the
// store as the machine's (exit 1).
func TestQueryErrorNamesTheStoreByItsPath(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	abs := filepath.Join(wd, "data", "s.duckdb")
	err = queryError(fmt.Errorf("IO Error: Could not read from file \"%s\": Input/output error", abs), false, "FROM runs", "./data/s.duckdb")
	if isInputError(err) {
		t.Errorf("a read error of the store given relative was the user's: %v", err)
	}
}

// TestStoreLogDenied: only a refusal to create the store's own log, in
// its folder, is blamed on the folder.
func TestStoreLogDenied(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "s.duckdb")
	denied := func(path string) error {
		return fmt.Errorf(`TransactionContext Error: Failed to commit: Cannot open file "%s": Permission denied`, path)
	}
	if !storeLogDenied(denied(db+".wal"), db) {
		t.Error("the store's own log, missing: want the folder blamed")
	}
	if storeLogDenied(denied(filepath.Join(dir, "other.duckdb.wal")), db) {
		t.Error("another store's log blamed on this store's folder")
	}
	if err := os.WriteFile(db+".wal", nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if storeLogDenied(denied(db+".wal"), db) {
		t.Error("an existing log (someone else's file) blamed on the folder")
	}
}
