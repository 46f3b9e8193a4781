package main

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// TestSQLBoundsEachValue: without --write, DuckDB measures each value before
// the driver copies it: the table takes of a text only what it shows, and
// fails on another value past maxTableValueBytes; csv and json fail on any
// value past maxPrintedValueBytes, naming the column. The limits are lowered
// here so that nothing large is allocated; the test is not parallel,
// because every sql command in the package reads those limits.
func TestSQLBoundsEachValue(t *testing.T) {
	db, _ := storeFixture(t)
	defer func(table, printed int64) { maxTableValueBytes, maxPrintedValueBytes = table, printed }(maxTableValueBytes, maxPrintedValueBytes)
	maxTableValueBytes, maxPrintedValueBytes = 1000, 5000
	text := func(runes int) string { // two bytes a rune
		return fmt.Sprintf("SELECT 1 AS n, repeat('é', %d + i) AS t FROM range(1) r(i)", runes)
	}
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"the table cuts a text of any size", []string{text(3000)}, exitOK, strings.Repeat("é", maxCellRunes) + "…"},
		{"csv prints a text at the limit whole", []string{"--format", "csv", text(2500)}, exitOK, "1," + strings.Repeat("é", 2500) + "\n"},
		{"csv refuses one past it", []string{"--format", "csv", text(2501)}, exitUsage,
			`column "t" holds a value of 5,002 bytes, more than the 5,000 bytes --format csv prints of one value`},
		{"json refuses one past it", []string{"--format", "json", text(2501)}, exitUsage,
			`column "t" holds a value of 5,002 bytes, more than the 5,000 bytes --format json prints of one value`},
		{"--all bounds values too", []string{"--all", "--format", "csv", text(2501)}, exitUsage, `column "t" holds a value of 5,002 bytes`},
		{"--write fetches values whole", []string{"--write", "--format", "csv", text(2501)}, exitOK, strings.Repeat("é", 2501)},
		{"the table prints a list within its limit", []string{"SELECT range(5) AS l"}, exitOK, "[0,1,2,3,4]"},
		{"the table refuses a list past it", []string{"SELECT range(1000) AS l"}, exitUsage,
			`column "l" holds a value of 4,890 bytes as text, more than the 1,000 bytes the table format fetches of a value other than text`},
		{"csv prints that list", []string{"--format", "csv", "SELECT range(1000) AS l"}, exitOK, ",999]"},
		{"the table refuses bytes past its limit", []string{"SELECT repeat('a', 1001)::BLOB AS b"}, exitUsage, `column "b" holds a value of 1,001 bytes, more than the 1,000 bytes`},
		{"a struct is measured by its text", []string{"--format", "json", "SELECT {'s': repeat('a', 5000)} AS r"}, exitUsage, `column "r" holds a value of 5,007 bytes as text`},
		{"the names of the result are kept", []string{"--format", "csv", "SELECT 1 AS a, 2 AS a, 'x' AS \"q\"\"\""}, exitOK, "a,a_1,\"q\"\"\"\n1,2,x\n"},
	} {
		code, out, errs := cli(t, db, "", append([]string{"sql"}, tc.args...)...)
		if code != tc.code || !strings.Contains(out+errs, tc.want) {
			t.Errorf("%s: exit %d\n%.400s%.400s\nwant exit %d and %q", tc.name, code, out, errs, tc.code, tc.want)
		}
	}
}

// TestSQLTableFetchesOnlyWhatItShows: a text of 32 MiB in the table format
// costs Go a fraction of its size; the driver copied it whole, and a value
// of a gigabyte took 49 s and 4.9 GB to print 256 characters. It is not
// parallel, because TotalAlloc counts every goroutine's allocations: beside
// the parallel tests it read 9 MB in CI; run alone, Go starts no parallel
// test until it returns.
func TestSQLTableFetchesOnlyWhatItShows(t *testing.T) {
	db, _ := storeFixture(t)
	const size = 32 << 20
	q := fmt.Sprintf("SELECT repeat('x', %d + i) AS s FROM range(1) r(i)", size) // computed, as from a table
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	code, out, errs := cli(t, db, "", "sql", q)
	runtime.ReadMemStats(&after)
	if code != exitOK || !strings.Contains(out, "\n"+strings.Repeat("x", maxCellRunes)+"…\n") {
		t.Fatalf("exit %d\n%.600s%s", code, out, errs)
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > size/4 {
		t.Errorf("printing %d characters of a text of %d bytes allocated %d bytes", maxCellRunes, size, got)
	}
}
