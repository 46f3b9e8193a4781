package main

import (
	"errors"
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
		err := queryError(errors.New(tt.msg), tt.write, tt.query, "/s/s.duckdb")
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
	} {
		if got := statements(q); got != want {
			t.Errorf("statements(%q) = %d, want %d", q, got, want)
		}
	}
}
