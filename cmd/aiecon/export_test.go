package main

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"aiecon/data"
)

func TestExportCommand(t *testing.T) {
	t.Parallel()
	db, ids := storeFixture(t)
	dir := filepath.Join(t.TempDir(), "out")
	code, out, errs := cli(t, db, "", "export", ids[1][:12], "--out", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	files := strings.Fields(out)
	if len(files) != 8 || files[0] != filepath.Join(dir, "runs.parquet") {
		t.Fatalf("export printed %q", out)
	}
	// The Parquet files read back with DuckDB itself.
	conn, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var n int
	var rev float64
	if err := conn.QueryRow(`SELECT count(*) FROM read_parquet(?)`, filepath.Join(dir, "requests.parquet")).Scan(&n); err != nil || n != 100 {
		t.Errorf("requests.parquet: %d rows, %v", n, err)
	}
	if err := conn.QueryRow(`SELECT value FROM read_parquet(?) WHERE name = 'revenue_usd' AND scope = ''`, filepath.Join(dir, "kpis.parquet")).Scan(&rev); err != nil || rev != 3 {
		t.Errorf("kpis.parquet revenue: %v, %v", rev, err)
	}

	csvDir := filepath.Join(t.TempDir(), "csv")
	if code, _, errs := cli(t, db, "", "export", "last", "--format", "csv", "--out", csvDir); code != 0 {
		t.Fatalf("csv export: exit %d: %s", code, errs)
	}
	b, err := os.ReadFile(filepath.Join(csvDir, "runs.csv"))
	if err != nil || !strings.HasPrefix(string(b), "run_id,name,") || !strings.Contains(string(b), ids[2]) {
		t.Errorf("runs.csv: %v\n%s", err, b)
	}
	for _, args := range [][]string{{"export", "nope", "--out", dir}, {"export", ids[0], "--format", "xlsx"}, {"export"}} {
		if code, _, errs := cli(t, db, "", args...); code != 2 {
			t.Errorf("%v: exit %d (%s), want 2", args, code, errs)
		}
	}
}

// TestExportHelpNamesWhatItLeavesOut: the help said export writes "every
// table", and it skips latency_sketches. Every table of a run (one with a
// run_id, a forecast's list of runs apart) is one the help names as
// written or as left out.
func TestExportHelpNamesWhatItLeavesOut(t *testing.T) {
	code, out, errs := cli(t, filepath.Join(t.TempDir(), "never.duckdb"), "", "export", "--help")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if strings.Contains(out, "every table") || !strings.Contains(out, "latency_sketches is left out") {
		t.Errorf("export --help does not say it leaves latency_sketches out:\n%s", out)
	}
	doc, err := data.DescribeSchema(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, tb := range doc.Tables {
		for _, c := range tb.Columns {
			if c.Name == "run_id" && !strings.HasPrefix(tb.Name, "forecast") && !strings.Contains(out, tb.Name) {
				t.Errorf("export --help does not name %s, a table of a run", tb.Name)
			}
		}
	}
}
