package data

import (
	"context"
	"slices"
	"testing"
)

// TestRunOwnedTablesAreEveryRunTable: DeleteRunsSQL deletes from the
// tables runOwnedTables lists; a table of runs added to the schema and
// not to the list would keep a deleted run's rows.
func TestRunOwnedTablesAreEveryRunTable(t *testing.T) {
	s, _ := openTemp(t)
	got, err := queryStrings(context.Background(), s.DB(), `SELECT table_name FROM duckdb_columns()
		WHERE database_name = current_database() AND schema_name = 'main' AND column_name = 'run_id'
		AND table_name <> 'runs' AND table_name IN (SELECT table_name FROM duckdb_tables()) ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	want := slices.Sorted(slices.Values(runOwnedTables))
	if !slices.Equal(got, want) {
		t.Errorf("tables with a run_id: %v; runOwnedTables: %v", got, want)
	}
}

// TestDeleteRunsSQLLeavesNoOrphans: a DELETE on runs alone leaves the
// run's rows in the other tables, which OrphanRows counts; DeleteRunsSQL
// deletes them all, and only the runs it names, leaving none of no run.
func TestDeleteRunsSQLLeavesNoOrphans(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	gone := storeRun(t, s, newSynthRun(4, 50), "gone")
	kept := storeRun(t, s, newSynthRun(5, 50), "kept")
	deleted := storeRun(t, s, newSynthRun(6, 50), "deleted")
	count := func(id string) (n int64) {
		for _, tb := range runOwnedTables {
			var m int64
			if err := s.DB().QueryRow("SELECT count(*) FROM "+tb+" WHERE run_id = ?", id).Scan(&m); err != nil {
				t.Fatal(err)
			}
			n += m
		}
		return n
	}
	before := count(kept)
	if _, err := s.DB().Exec("DELETE FROM runs WHERE run_id = ?", gone); err != nil {
		t.Fatal(err)
	}
	orphans, err := s.OrphanRows(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var total int64
	for _, o := range orphans {
		total += o.Rows
	}
	if total != count(gone) || total == 0 {
		t.Errorf("OrphanRows after DELETE FROM runs alone: %+v (%d rows), want the %d rows of the run", orphans, total, count(gone))
	}
	if _, err := s.DB().Exec(DeleteRunsSQL("name = 'deleted'")); err != nil {
		t.Fatal(err)
	}
	if after, err := s.OrphanRows(ctx); err != nil || !slices.Equal(after, orphans) {
		t.Errorf("OrphanRows after DeleteRunsSQL: %+v, %v; want only the first run's, %+v", after, err, orphans)
	}
	if n := count(deleted); n != 0 {
		t.Errorf("the run DeleteRunsSQL deleted keeps %d rows", n)
	}
	if n := count(kept); n != before {
		t.Errorf("the kept run has %d rows, had %d", n, before)
	}
}
