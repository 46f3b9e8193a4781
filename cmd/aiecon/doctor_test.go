package main

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestDoctor(t *testing.T) {
	db, _ := storeFixture(t)
	out := filepath.Join(t.TempDir(), "saved.duckdb")
	for _, tc := range []struct {
		db   string
		args []string
		code int
		want string
	}{
		{db, []string{"doctor", "--out", out}, exitOK, "salvaged 2 complete runs and 0 sweeps from " + db + " into " + out + "\nleft behind 1 failed or interrupted runs"},
		{db, []string{"doctor", "--out", out}, exitUsage, "exists"},
		{filepath.Join(t.TempDir(), "none.duckdb"), []string{"doctor"}, exitUsage, "no such file"},
	} {
		code, stdout, stderr := cli(t, tc.db, "", tc.args...)
		if code != tc.code || !strings.Contains(stdout+stderr, tc.want) {
			t.Errorf("%v: exit %d\n%s%s\nwant %d and %q", tc.args, code, stdout, stderr, tc.code, tc.want)
		}
	}
	// Before reading, doctor checks every header's and block's checksum itself.
	out2 := filepath.Join(t.TempDir(), "saved2.duckdb")
	if code, stdout, _ := cli(t, db, "", "doctor", "--out", out2); code != exitOK ||
		!strings.Contains(stdout, "block check: DuckDB storage v64: headers (iteration") || !strings.Contains(stdout, "every checksum holds") {
		t.Errorf("doctor on a healthy store: exit %d\n%s", code, stdout)
	}
	if code, stdout, _ := cli(t, out, "", "sql", "--format", "csv", "SELECT count(*) AS n FROM runs WHERE status = 'complete'"); code != 0 || stdout != "n\n2\n" {
		t.Errorf("the salvaged store: %q", stdout)
	}
}
