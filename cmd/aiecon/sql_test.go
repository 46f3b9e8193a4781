package main

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"aiecon/model"
)

func TestSQLCommand(t *testing.T) {
	t.Parallel()
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
	t.Parallel()
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
		// aiecon sql - < /dev/zero exited 1, as if aiecon had failed.
		{strings.Repeat("x", model.MaxInputFileBytes+1), []string{"sql", "-"}, "larger than 16 MiB"},
		{strings.Repeat("x", model.MaxInputFileBytes+1), []string{"sql"}, "larger than 16 MiB"},
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

// TestSQLReadOnlyRefusesAttacks runs the attacks of issue 15 without
// --write: each must fail with exit 2 and a message, leave the store and
// the other store byte for byte as they were, create no file and print
// nothing of a local file.
func TestSQLReadOnlyRefusesAttacks(t *testing.T) {
	t.Parallel()
	db, _ := storeFixture(t)
	dir := filepath.Dir(db)
	other := filepath.Join(dir, "other.duckdb")
	copyTestFile(t, db, other)
	before, otherBefore := fileDigest(t, db), fileDigest(t, other)
	q := func(s string) string { return strings.ReplaceAll(s, "DIR", dir) }
	for _, tc := range []struct{ name, query, want string }{
		{"copy over the store", q("COPY (SELECT 'x') TO 'DIR/cli.duckdb'"), "COPY statements are refused"},
		{"copy after a comment", q("/* report */ -- x\nCOPY runs TO 'DIR/out.csv'"), "COPY statements are refused"},
		{"copy after a query", q("SELECT 1; COPY runs TO 'DIR/out.csv'"), "COPY statements are refused"},
		{"export database", q("EXPORT DATABASE 'DIR/exported'"), "EXPORT statements are refused"},
		{"import database", q("IMPORT DATABASE 'DIR/exported'"), "IMPORT statements are refused"},
		{"attach read-write then delete", q("ATTACH 'DIR/other.duckdb' AS o (READ_WRITE); DELETE FROM o.runs"), "ATTACH statements are refused"},
		{"detach", "DETACH o", "DETACH statements are refused"},
		{"read_csv", "SELECT * FROM read_csv('/etc/passwd')", "read_csv is refused"},
		{"read_text in a CTE", "WITH f AS (SELECT * FROM read_text('/etc/passwd')) SELECT * FROM f", "read_text is refused"},
		{"glob in a subquery", "SELECT count(*) FROM runs WHERE name IN (SELECT file FROM glob('/root/**'))", "glob is refused"},
		{"a file in FROM", "SELECT * FROM '/etc/passwd'", "names a file"},
		{"query from a string", "FROM query('SELECT 1')", "query is refused"},
		{"pivot without IN", "PIVOT kpis ON scope USING max(value)", "a PIVOT without IN (PIVOT t ON col USING agg) is refused"},
		{"pivot without IN, in a subquery", "SELECT * FROM (PIVOT kpis ON scope USING max(value))", "a PIVOT without IN (PIVOT t ON col USING agg) is refused"},
		{"set", "SET threads = 1", "SET statements are refused"},
		{"reset", "RESET threads", "RESET statements are refused"},
		{"pragma", "PRAGMA enable_profiling", "PRAGMA statements are refused"},
		{"install", "INSTALL httpfs", "INSTALL statements are refused"},
		{"force install", "FORCE INSTALL httpfs", "FORCE statements are refused"},
		{"load", "LOAD httpfs", "LOAD statements are refused"},
		{"call", "CALL checkpoint()", "CALL statements are refused"},
		{"checkpoint function", "SELECT * FROM force_checkpoint()", "force_checkpoint is refused"},
		{"checkpoint", "CHECKPOINT", "CHECKPOINT statements are refused"},
		{"delete", "DELETE FROM runs", "DELETE statements are refused"},
		{"sequence", "SELECT nextval('s')", "nextval is refused"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := cli(t, db, "", "sql", tc.query)
			if code != exitUsage || !strings.Contains(errs, tc.want) || !strings.Contains(errs, "--write") {
				t.Errorf("exit %d, stderr %q; want exit 2 and %q", code, errs, tc.want)
			}
			if strings.Contains(out, "root:") {
				t.Errorf("printed a local file: %s", out)
			}
		})
	}
	if fileDigest(t, db) != before || fileDigest(t, other) != otherBefore {
		t.Error("a refused query changed a store")
	}
	for _, f := range []string{"out.csv", "exported"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
			t.Errorf("a refused query wrote %s", f)
		}
	}
	// The queries an analyst writes still run.
	for _, ok := range []string{"DESCRIBE runs", "SHOW TABLES", "SUMMARIZE runs", "FROM run_summary",
		"WITH r AS (SELECT * FROM runs) SELECT count(*) FROM r", "SELECT * FROM range(3)", "VALUES (1, 2);",
		"SELECT 1 -- a comment", "PIVOT kpis ON scope IN ('chat', '') USING max(value) GROUP BY name",
		"UNPIVOT (SELECT 1 AS a, 2 AS b) ON a, b INTO NAME n VALUE v"} {
		if code, _, errs := cli(t, db, "", "sql", ok); code != 0 {
			t.Errorf("%q: exit %d, %s", ok, code, errs)
		}
	}
}

func fileDigest(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

func copyTestFile(t *testing.T, src, dst string) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestSQLRowCap: the table format stops at 1000 rows and says so, CSV and
// JSON at defaultExportRows (DuckDB's driver holds a whole result in memory:
// range(10^9) as CSV held 8 GB); --limit and --all change the cap.
func TestSQLRowCap(t *testing.T) {
	t.Parallel()
	db, _ := storeFixture(t)
	q := "SELECT range AS i FROM range(1500)"
	big := fmt.Sprintf("SELECT range AS i FROM range(%d)", defaultExportRows+1)
	lines := func(s string) int { return strings.Count(s, "\n") }
	for _, tc := range []struct {
		args      []string
		lines     int
		footer    string
		stderrHas string
	}{
		{[]string{q}, 1 + 1000 + 1, "(first 1000 rows shown, the result has more: --limit N or --all", ""},
		{[]string{"--limit", "10", q}, 1 + 10 + 1, "(first 10 rows shown", ""},
		{[]string{"--all", q}, 1 + 1500 + 1, "(1500 rows)\n", ""},
		{[]string{"--limit", "1500", q}, 1 + 1500 + 1, "(1500 rows)\n", ""},
		{[]string{"--format", "csv", q}, 1 + 1500, "1499\n", ""},
		{[]string{"--format", "csv", "--limit", "5", q}, 1 + 5, "4\n", "the first 5 rows printed"},
		{[]string{"--format", "json", "--limit", "2", q}, 4, "]\n", "the first 2 rows printed"},
		{[]string{"--format", "csv", big}, 1 + defaultExportRows, fmt.Sprintf("%d\n", defaultExportRows-1), fmt.Sprintf("the first %d rows printed", defaultExportRows)},
		{[]string{"--format", "csv", "--all", big}, 1 + defaultExportRows + 1, fmt.Sprintf("%d\n", defaultExportRows), ""},
	} {
		code, out, errs := cli(t, db, "", append([]string{"sql"}, tc.args...)...)
		if code != 0 || lines(out) != tc.lines || !strings.Contains(out, tc.footer) || !strings.Contains(errs, tc.stderrHas) {
			t.Errorf("%v: exit %d, %d lines, ends %q, stderr %q", tc.args, code, lines(out), out[max(len(out)-120, 0):], errs)
		}
	}
	// Past the first block the table keeps its columns' widths.
	_, out, _ := cli(t, db, "", "sql", "--all", "SELECT range AS i, 'x' AS s FROM range(1200)")
	if !strings.Contains(out, "\n1100  x\n") {
		t.Errorf("row 1100 misaligned")
	}
	for _, bad := range [][]string{{"--limit", "-1", q}, {"--limit", "0", q}, {"--limit", "3", "--all", q}} {
		if code, _, errs := cli(t, db, "", append([]string{"sql"}, bad...)...); code != exitUsage || !strings.Contains(errs, "--limit") {
			t.Errorf("%v: exit %d, %s", bad, code, errs)
		}
	}
}

// TestSQLHelpAgreesWithTheGuard: sql --help names each query the refusal
// says runs read-only (the refusal left out PIVOT and UNPIVOT, which the
// help allows), and the table functions the refusal lists: the generators
// by name (repeat was missing), the catalog functions by pointing at it.
func TestSQLHelpAgreesWithTheGuard(t *testing.T) {
	t.Parallel()
	db, _ := storeFixture(t)
	_, help, _ := cli(t, db, "", "sql", "--help")
	help = strings.Join(strings.Fields(help), " ")
	_, _, refused := cli(t, db, "", "sql", "DELETE FROM runs")
	_, kinds, ok := strings.Cut(refused, "only queries (")
	kinds, _, ok2 := strings.Cut(kinds, ") run read-only")
	if !ok || !ok2 {
		t.Fatalf("no list of queries in %q", refused)
	}
	for _, k := range strings.Split(kinds, ", ") {
		if !strings.Contains(help, k) {
			t.Errorf("sql --help does not name %q, which the refusal allows:\n%s", k, help)
		}
	}
	for _, k := range []string{"PIVOT with its values listed", "UNPIVOT"} {
		if !strings.Contains(kinds, k) {
			t.Errorf("the refusal's list %q lacks %q", kinds, k)
		}
	}
	_, _, refused = cli(t, db, "", "sql", "SELECT * FROM read_text('x')")
	for _, w := range []string{"range, generate_series, unnest, repeat and the catalog functions", "duckdb_tables"} {
		if !strings.Contains(refused, w) {
			t.Errorf("the refusal %q does not say %q", refused, w)
		}
	}
	for _, w := range []string{"range, generate_series, unnest and repeat", "catalog functions", "message lists them"} {
		if !strings.Contains(help, w) {
			t.Errorf("sql --help does not say %q:\n%s", w, help)
		}
	}
}

// TestSQLAllWithLimitNamesTheConflict: --all with --limit blamed the number
// ("give a positive number of rows, or --all") for a conflict of flags.
func TestSQLAllWithLimitNamesTheConflict(t *testing.T) {
	db, _ := storeFixture(t)
	for _, n := range []string{"3", "0", "-1"} {
		code, _, errs := cli(t, db, "", "sql", "--all", "--limit", n, "SELECT 1")
		if want := "--all and --limit " + n + " conflict"; code != exitUsage || !strings.Contains(errs, want) {
			t.Errorf("--all --limit %s: exit %d, %q; want %q", n, code, errs, want)
		}
	}
}

// TestSQLHelpSaysJSONNaNIsNull: JSON prints NaN and the infinities as null,
// as it does SQL's NULL; the help did not say so, nor how to tell them apart.
func TestSQLHelpSaysJSONNaNIsNull(t *testing.T) {
	t.Parallel()
	db, _ := storeFixture(t)
	_, help, _ := cli(t, db, "", "sql", "--help")
	help = strings.Join(strings.Fields(help), " ")
	for _, want := range []string{"NaN, Infinity and -Infinity print as null, as SQL's NULL does", "isnan(x) or isinf(x)"} {
		if !strings.Contains(help, want) {
			t.Errorf("sql --help does not say %q", want)
		}
	}
	code, out, _ := cli(t, db, "", "sql", "--format", "json", "SELECT 'nan'::DOUBLE AS x, isnan(x) AS nan, NULL::DOUBLE AS y, isnan(y) AS ynan")
	if want := `{"x": null, "nan": true, "y": null, "ynan": null}`; code != exitOK || !strings.Contains(out, want) {
		t.Errorf("json of NaN and NULL: exit %d %q, want %q", code, out, want)
	}
}
