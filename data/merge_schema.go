package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// ErrMergeSchema is wrapped when an input's tables are not this aiecon's:
// a table dropped or altered after the store was written (its schema version
// still says it is current).
var ErrMergeSchema = errors.New("its tables differ from this aiecon's schema")

// checkMergeSchema compares each table of this aiecon's schema
// (schemaTables) with the attached input's: every one must be there with
// the same columns and types, in order. Without this, a dropped table or an
// added column failed the merge half-way with DuckDB's binder error (exit
// 1); the transaction kept the store whole, but the message said nothing of
// the damage. The store merged into was held to the same schema when it was
// opened (checkTables); it was compared with here instead, and a table of
// the user's own in it had every input refused as lacking that table.
func checkMergeSchema(ctx context.Context, conn *sql.Conn, input string) error {
	theirs, err := tableColumns(ctx, conn, "'aiecon_merge_input'")
	if err != nil {
		return fmt.Errorf("merging %s: %w", input, err)
	}
	diffs := schemaDiffs(schemaTables, theirs)
	if len(diffs) > 0 {
		return fmt.Errorf("merging %s: %w: %s; nothing of it was copied", input, ErrMergeSchema, strings.Join(diffs, "; "))
	}
	return nil
}

// tableColumns maps each base table of database db (an SQL expression) to
// its columns and types in order, "name TYPE, ...".
func tableColumns(ctx context.Context, conn *sql.Conn, db string) (map[string]string, error) {
	rows, err := conn.QueryContext(ctx, `SELECT c.table_name, string_agg(c.column_name || ' ' || c.data_type, ', ' ORDER BY c.column_index)
		FROM duckdb_columns() c JOIN duckdb_tables() t
		  ON c.database_name = t.database_name AND c.schema_name = t.schema_name AND c.table_name = t.table_name
		WHERE c.database_name = `+db+` AND c.schema_name = 'main' AND NOT t.temporary
		GROUP BY c.table_name`)
	if err != nil {
		return nil, fmt.Errorf("listing columns: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var table, cols string
		if err := rows.Scan(&table, &cols); err != nil {
			return nil, fmt.Errorf("listing columns: %w", err)
		}
		out[table] = cols
	}
	return out, rows.Err()
}
