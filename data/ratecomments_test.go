package data

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
)

// TestRateCommentsRefreshed: a store that reached schema 17 before 0017's
// comments were corrected kept "over the horizon" on run_summary's
// throughput_rps, output_tokens_per_s and cost_usd (and sweep_results'
// throughput_rps) through every later migration; opening it read-write
// now gives every column a fresh store's comment.
func TestRateCommentsRefreshed(t *testing.T) {
	db, path := emptyStoreAtVersion(t, "v24.duckdb", 24)
	for _, c := range []string{"run_summary.throughput_rps", "run_summary.output_tokens_per_s", "run_summary.cost_usd", "sweep_results.throughput_rps"} {
		if _, err := db.Exec("COMMENT ON COLUMN " + c + " IS '[x] over the horizon'"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Exec("CHECKPOINT"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := columnComments(t, s.DB())
	s.Close()
	fresh, err := Open(filepath.Join(t.TempDir(), "new.duckdb"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	want := columnComments(t, fresh.DB())
	for col, c := range want {
		if got[col] != c {
			t.Errorf("%s after migrating: %q, want a fresh store's %q", col, got[col], c)
		}
	}
}

// columnComments maps "relation.column" to its catalog comment.
func columnComments(t *testing.T, db *sql.DB) map[string]string {
	t.Helper()
	out, err := queryPairs(context.Background(), db, `SELECT table_name || '.' || column_name, coalesce(comment, '')
		FROM duckdb_columns() WHERE schema_name = 'main'`)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
