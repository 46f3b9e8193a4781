package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

func TestSQLCommand(t *testing.T) {
	db, ids := storeFixture(t)
	q := "SELECT name, revenue_usd, started_at IS NOT NULL AS has_start FROM run_summary ORDER BY run_id"
	code, out, errs := cli(t, db, "", "sql", q)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	want := "name          revenue_usd  has_start\n" +
		"base          2            true\n" +
		"more-traffic  3            true\n" +
		"broken        NULL         true\n" +
		"(3 rows)\n"
	if out != want {
		t.Errorf("table output:\n%s\nwant:\n%s", out, want)
	}

	code, out, _ = cli(t, db, "", "sql", "--format", "csv", q)
	if code != 0 || out != "name,revenue_usd,has_start\nbase,2,true\nmore-traffic,3,true\nbroken,,true\n" {
		t.Errorf("csv output (exit %d):\n%s", code, out)
	}

	code, out, _ = cli(t, db, "", "sql", "--format", "json",
		"SELECT run_id, revenue_usd, 'nan'::DOUBLE AS undefined, [1, 2] AS list, {'a': 1} AS rec FROM run_summary ORDER BY run_id LIMIT 2")
	var rows []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &rows) != nil || len(rows) != 2 {
		t.Fatalf("json output (exit %d):\n%s", code, out)
	}
	if rows[0]["run_id"] != ids[0] || rows[0]["revenue_usd"] != 2.0 || rows[0]["undefined"] != nil ||
		len(rows[0]["list"].([]any)) != 2 || rows[0]["rec"].(map[string]any)["a"] != 1.0 {
		t.Errorf("json row %v", rows[0])
	}
	if !strings.HasPrefix(out, `[`+"\n"+`  {"run_id": `) {
		t.Errorf("json keeps the column order: %s", out)
	}
	code, out, _ = cli(t, db, "", "sql", "--format", "json", "SELECT 1 AS x WHERE false")
	if code != 0 || out != "[]\n" {
		t.Errorf("empty json result: %q", out)
	}

	// The query from standard input, with or without "-".
	for _, args := range [][]string{{"sql"}, {"sql", "-"}} {
		code, out, _ = cli(t, db, "SELECT count(*) AS n FROM requests;\n", args...)
		if code != 0 || !strings.Contains(out, "300") {
			t.Errorf("%v with the query on stdin: exit %d\n%s", args, code, out)
		}
	}
}

func TestSQLIsReadOnlyUnlessWrite(t *testing.T) {
	db, _ := storeFixture(t)
	code, _, errs := cli(t, db, "", "sql", "DELETE FROM runs WHERE status = 'failed'")
	if code != 2 || !strings.Contains(errs, "--write") {
		t.Errorf("a DELETE without --write: exit %d, %s", code, errs)
	}
	_, out, _ := cli(t, db, "", "sql", "--format", "csv", "SELECT count(*) AS n FROM runs")
	if out != "n\n3\n" {
		t.Errorf("after the refused DELETE: %q, want 3 runs", out)
	}
	code, _, errs = cli(t, db, "", "sql", "--write", "DELETE FROM runs WHERE status = 'failed'")
	if code != 0 {
		t.Fatalf("DELETE with --write: exit %d, %s", code, errs)
	}
	_, out, _ = cli(t, db, "", "sql", "--format", "csv", "SELECT count(*) AS n FROM runs")
	if out != "n\n2\n" {
		t.Errorf("after DELETE with --write: %q, want 2 runs", out)
	}

	for _, tc := range []struct {
		stdin string
		args  []string
		want  string
	}{
		{"", []string{"sql", "SELEC 1"}, "syntax error"},
		{"  \n", []string{"sql"}, "no query"},
		{"", []string{"sql", "--format", "xml", "SELECT 1"}, "--format"},
	} {
		code, _, errs := cli(t, db, tc.stdin, tc.args...)
		if code != 2 || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", tc.args, code, errs, tc.want)
		}
	}
	missing := filepath.Join(t.TempDir(), "none.duckdb")
	if code, _, errs := cli(t, missing, "", "sql", "SELECT 1"); code != 2 || !strings.Contains(errs, "no such store") {
		t.Errorf("sql on a missing store: exit %d, %s", code, errs)
	}
}
