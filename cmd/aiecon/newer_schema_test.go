package main

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"aiecon/data"
)

// TestNewerSchemaExits2: a store written by a newer aiecon is the user's
// to resolve (upgrade aiecon, or point --db elsewhere), as a file that is
// not a store is: every command that meets one exits 2, not 1, which says
// a failure while running that a script may retry (hostile-input review F6).
func TestNewerSchemaExits2(t *testing.T) {
	dir := t.TempDir()
	fut := filepath.Join(dir, "fut.duckdb")
	aiecon := func(args ...string) (int, string) {
		var out, errb bytes.Buffer
		code := Main(args, strings.NewReader(""), &out, &errb)
		return code, errb.String()
	}
	for _, q := range []string{"select 1", fmt.Sprintf("insert into schema_version (version, name) values (%d, 'future')", data.SchemaVersion()+1)} {
		if code, errs := aiecon("--db", fut, "sql", "--write", q); code != exitOK {
			t.Fatalf("sql --write %q: exit %d: %s", q, code, errs)
		}
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"runs", []string{"--db", fut, "runs"}, "newer than this aiecon understands"},
		{"run", []string{"--db", fut, "run", "--horizon", "1m"}, "newer than this aiecon understands"},
		{"merge", []string{"merge", filepath.Join(dir, "out.duckdb"), fut}, "is newer than this aiecon's"},
		{"doctor", []string{"--db", fut, "doctor", "--out", filepath.Join(dir, "salvaged.duckdb")}, "is newer than this aiecon's"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if code, errs := aiecon(tc.args...); code != exitUsage || !strings.Contains(errs, tc.want) {
				t.Errorf("exit %d, stderr %q; want exit 2 with %q", code, errs, tc.want)
			}
		})
	}
}
