package data

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// runOwnedTables are the tables other than runs whose rows belong to a run
// (a run_id column): deleting a run deletes its rows in each. No foreign
// key ties them to runs, so a DELETE on runs alone leaves them behind.
// Read from schemaTables, so that a table of runs added to the schema is
// in it without a second list to keep.
var runOwnedTables = func() []string {
	var out []string
	for t, cols := range schemaTables {
		if t != "runs" && slices.Contains(strings.Split(cols, ", "), "run_id VARCHAR") {
			out = append(out, t)
		}
	}
	slices.Sort(out)
	return out
}()

// DeleteRunsSQL is the SQL that deletes the runs matching cond (a WHERE
// condition on runs) wholly: their rows in every table that holds rows of
// runs, then their runs rows, in one transaction, for `aiecon sql --write`.
func DeleteRunsSQL(cond string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "BEGIN;\nCREATE TEMP TABLE doomed AS SELECT run_id FROM runs WHERE %s;\n", cond)
	for _, t := range runOwnedTables {
		fmt.Fprintf(&b, "DELETE FROM %s WHERE run_id IN (FROM doomed);\n", t)
	}
	b.WriteString("DELETE FROM runs WHERE run_id IN (FROM doomed);\nDROP TABLE doomed;\nCOMMIT;\n")
	return b.String()
}

// OrphanCount is the number of rows of a table whose run has no runs row.
type OrphanCount struct {
	Table string
	Rows  int64
}

// OrphanRows counts, for each of the store's tables with a run_id column
// (its own tables too), the rows whose run_id has no runs row: left by a
// DELETE on runs alone. No command of aiecon's leaves any.
func (s *Store) OrphanRows(ctx context.Context) ([]OrphanCount, error) {
	tables, err := queryStrings(ctx, s.db, `SELECT DISTINCT c.table_name FROM duckdb_columns() c JOIN duckdb_tables() t
		ON c.database_name = t.database_name AND c.schema_name = t.schema_name AND c.table_name = t.table_name
		WHERE c.database_name = current_database() AND c.schema_name = 'main' AND NOT t.temporary
		AND c.column_name = 'run_id' AND c.table_name <> 'runs' ORDER BY 1`)
	if err != nil {
		return nil, fmt.Errorf("looking for rows of no run: %w", err)
	}
	var out []OrphanCount
	for _, t := range tables {
		var n int64
		q := "SELECT count(*) FROM " + QuoteIdent(t) + " WHERE run_id NOT IN (SELECT run_id FROM runs)"
		if err := s.db.QueryRowContext(ctx, q).Scan(&n); err != nil {
			return nil, fmt.Errorf("counting rows of no run in %s: %w", t, err)
		}
		if n > 0 {
			out = append(out, OrphanCount{t, n})
		}
	}
	return out, nil
}
