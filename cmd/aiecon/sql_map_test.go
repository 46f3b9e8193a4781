package main

import (
	"strings"
	"testing"
)

// TestSQLPrintsMaps: a MAP prints as DuckDB prints it in a table and a
// CSV ({k=[1, 2]}, where Go's form read {k=[1 2]}), and in JSON as an
// object, or a list of key/value pairs where its keys are not strings (it
// was a string). A MAP keyed by a struct, which the driver cannot read, is
// refused naming its column, with a way to read it.
func TestSQLPrintsMaps(t *testing.T) {
	t.Parallel()
	db, _ := storeFixture(t)
	const q = `SELECT MAP {'b': 1, 'a': 2} AS m2, MAP {'k': [1, 2]} AS m4, MAP {1: 'x,y'} AS n`
	code, out, errs := cli(t, db, "", "sql", q)
	if want := "{b=1, a=2}  {k=[1, 2]}  {1='x,y'}"; code != 0 || !strings.Contains(out, want) {
		t.Errorf("table (exit %d, %s):\n%s\nwant a row %s", code, errs, out, want)
	}
	code, out, errs = cli(t, db, "", "sql", "--format", "json", q)
	if want := `{"m2": {"b":1,"a":2}, "m4": {"k":[1,2]}, "n": [{"key":1,"value":"x,y"}]}`; code != 0 || !strings.Contains(out, want) {
		t.Errorf("json (exit %d, %s):\n%s\nwant %s", code, errs, out, want)
	}
	code, _, errs = cli(t, db, "", "sql", `SELECT 1 AS a, MAP {{'y': 1, 'x': 2}: 3} AS keyed`)
	if code == 0 || !strings.Contains(errs, `column 2 ("keyed") is MAP(STRUCT("y" INTEGER, "x" INTEGER), INTEGER)`) ||
		!strings.Contains(errs, "cast it to VARCHAR") {
		t.Errorf("a struct-keyed map (exit %d): %s", code, errs)
	}
}
