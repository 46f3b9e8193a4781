package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSchemaCommand(t *testing.T) {
	// No store is needed, and none is created.
	db := filepath.Join(t.TempDir(), "never.duckdb")
	code, out, errs := cli(t, db, "", "schema")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"VIEWS", "TABLES", "TYPES", "run_summary: One row per run",
		"cost_per_mtok_usd", "USD/Mtok", "arrival_ns", "request_status: completed, queue_full"} {
		if !strings.Contains(out, want) {
			t.Errorf("schema lacks %q", want)
		}
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("schema created the store file")
	}
	// The markdown form is the reference page in docs/.
	code, md, _ := cli(t, db, "", "schema", "--format", "markdown")
	page, err := os.ReadFile(filepath.Join("..", "..", "docs", "schema.md"))
	if code != 0 || err != nil || md != string(page) {
		t.Errorf("schema --format markdown differs from docs/schema.md (exit %d, %v): regenerate it with `go test ./data -run SchemaDoc -update`", code, err)
	}
}

// TestSchemaHelpListsEveryView: the help names the views from the schema,
// forecast_bands included (it listed four by hand).
func TestSchemaHelpListsEveryView(t *testing.T) {
	code, out, errs := cli(t, filepath.Join(t.TempDir(), "never.duckdb"), "", "schema", "--help")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	flat := strings.Join(strings.Fields(out), " ")
	for _, v := range []string{"forecast_bands", "requests_v", "run_summary", "sweep_results", "windows_v"} {
		if !strings.Contains(flat, v) {
			t.Errorf("schema --help does not name the view %s:\n%s", v, out)
		}
	}
}
