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
		{`IO Error: Could not read enough bytes from file "s.duckdb"`, false, "FROM windows", false, false},
		{"Out of Memory Error: failed to allocate", false, "FROM requests", false, false},
		{"Invalid Input Error: boom", true, "DELETE FROM requests; SELECT error('boom');", true, true},
		{"Invalid Input Error: boom", true, "SELECT error('boom');", true, false},
	} {
		err := queryError(errors.New(tt.msg), tt.write, tt.query)
		if got := isInputError(err); got != tt.input {
			t.Errorf("%q: input error %v, want %v", tt.msg, got, tt.input)
		}
		if got := strings.Contains(err.Error(), "those before the failing one were applied"); got != tt.applied {
			t.Errorf("%q (%q): says applied %v, want %v", tt.msg, tt.query, got, tt.applied)
		}
	}
}
