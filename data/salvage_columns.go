package data

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// What salvage copies of each table, and what it leaves out. A column
// added to one of aiecon's tables (through `aiecon sql --write`, say) lost
// every run to DuckDB's binder error, and the user's own tables and views
// were left behind unnamed while doctor advised putting the copy in the
// store's place. The copy is an aiecon store: it takes the columns it has,
// and names the rest, which the input (never changed) keeps.

// column is one column of a table: its name and type, whether it may be
// NULL, and its default ("" for none).
type column struct {
	name, typ string
	nullable  bool
	def       string
}

// A column of aiecon's that the input's table lacks (dropped through `sql
// --write`, say) was filled in silently: with its default, or NULL, or,
// where it is NOT NULL without a default, every run with a row in that
// table was lost to DuckDB's constraint error, as if it could not be read.
// The copy fills what it can and says so (SalvageStats.Filled); a run it
// cannot carry is named with the column that stops it (missingRequired).

// missing says how a column of aiecon's table t that the input lacks is
// filled in the copy, or, where it cannot be, returns it in required.
func missing(t string, c column) (filled, required string) {
	name := fmt.Sprintf("column %s.%s %s", t, c.name, c.typ)
	switch {
	case c.def != "":
		return name + ", filled with its default " + c.def, ""
	case c.nullable:
		return name + ", NULL in every row", ""
	}
	return "", c.name
}

// missingRequired is the error of a run (or a table) whose rows in t
// cannot be copied because the input lacks cols, which aiecon's schema
// requires in every row.
func missingRequired(t string, cols []string, err error) error {
	return fmt.Errorf("%s: the store's table lacks column %s, which every row of aiecon's needs (NOT NULL, without a default to fill it in), "+
		"so its rows cannot be carried (the store keeps them): %w", t, strings.Join(cols, ", "), err)
}

// salvageColumns maps each of the copy's tables that the input has to the
// column list the copy takes from it: the columns both have, in the copy's
// order, quoted. The input's other columns are named in st.LeftOut, and the
// copy's columns the input lacks in st.Filled, or, where the copy cannot
// fill them in, in required (table to column names).
func salvageColumns(ctx context.Context, conn *sql.Conn, st *SalvageStats) (lists map[string]string, required map[string][]string, err error) {
	mine, err := columnsOf(ctx, conn, "current_database()")
	if err != nil {
		return nil, nil, err
	}
	theirs, err := columnsOf(ctx, conn, "'aiecon_salvage'")
	if err != nil {
		return nil, nil, err
	}
	lists, required = map[string]string{}, map[string][]string{}
	for _, t := range slices.Sorted(maps.Keys(mine)) {
		have, ok := theirs[t]
		if !ok {
			continue
		}
		var names []string
		for _, c := range mine[t] {
			if slices.ContainsFunc(have, func(h column) bool { return h.name == c.name }) {
				names = append(names, QuoteIdent(c.name))
				continue
			}
			filled, req := missing(t, c)
			if filled != "" {
				st.Filled = append(st.Filled, filled)
			} else {
				required[t] = append(required[t], req)
			}
		}
		lists[t] = strings.Join(names, ", ")
		for _, c := range have {
			if !slices.ContainsFunc(mine[t], func(m column) bool { return m.name == c.name }) {
				st.LeftOut = append(st.LeftOut, leftOutColumn(ctx, conn, t, c))
			}
		}
	}
	return lists, required, nil
}

// leftOutColumn names a column of the input's table t that the copy has no
// place for, with how many rows set it (unsaid where that cannot be read).
func leftOutColumn(ctx context.Context, conn *sql.Conn, t string, c column) string {
	s := fmt.Sprintf("column %s.%s %s", t, c.name, c.typ)
	var n int64
	q := fmt.Sprintf(`SELECT count(%s) FROM aiecon_salvage.main.%s`, QuoteIdent(c.name), QuoteIdent(t))
	switch err := conn.QueryRowContext(ctx, q).Scan(&n); {
	case err != nil:
	case n == 0:
		s += ", NULL in every row"
	default:
		s += fmt.Sprintf(", set in %d rows", n)
	}
	return s
}

// columnsOf lists the columns of each base table of database db (an SQL
// expression) in the main schema, in order.
func columnsOf(ctx context.Context, conn *sql.Conn, db string) (map[string][]column, error) {
	rows, err := conn.QueryContext(ctx, `SELECT c.table_name, c.column_name, c.data_type, c.is_nullable, coalesce(c.column_default, '')
		FROM duckdb_columns() c JOIN duckdb_tables() t
		  ON c.database_name = t.database_name AND c.schema_name = t.schema_name AND c.table_name = t.table_name
		WHERE c.database_name = `+db+` AND c.schema_name = 'main' AND NOT t.temporary
		ORDER BY c.table_name, c.column_index`)
	if err != nil {
		return nil, fmt.Errorf("listing columns: %w", err)
	}
	defer rows.Close()
	out := map[string][]column{}
	for rows.Next() {
		var t string
		var c column
		if err := rows.Scan(&t, &c.name, &c.typ, &c.nullable, &c.def); err != nil {
			return nil, fmt.Errorf("listing columns: %w", err)
		}
		out[t] = append(out[t], c)
	}
	return out, rows.Err()
}

// leftOutObjects names the input's tables and views, in any schema, that
// the copy lacks: the user's own, which salvage does not copy.
func leftOutObjects(ctx context.Context, conn *sql.Conn, st *SalvageStats) error {
	rows, err := conn.QueryContext(ctx, `SELECT 'table', schema_name, table_name FROM duckdb_tables()
			WHERE database_name = 'aiecon_salvage' AND NOT temporary
		UNION ALL SELECT 'view', schema_name, view_name FROM duckdb_views()
			WHERE database_name = 'aiecon_salvage' AND NOT internal AND NOT temporary
		EXCEPT (SELECT 'table', 'main', table_name FROM duckdb_tables() WHERE database_name = current_database()
		UNION ALL SELECT 'view', 'main', view_name FROM duckdb_views() WHERE database_name = current_database() AND NOT internal)
		ORDER BY 1, 2, 3`)
	if err != nil {
		return fmt.Errorf("listing the store's tables and views: %w", err)
	}
	type object struct{ kind, schema, name string }
	var objs []object
	for rows.Next() {
		var o object
		if err := rows.Scan(&o.kind, &o.schema, &o.name); err != nil {
			rows.Close()
			return fmt.Errorf("listing the store's tables and views: %w", err)
		}
		objs = append(objs, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("listing the store's tables and views: %w", err)
	}
	for _, o := range objs {
		name := o.name
		if o.schema != "main" {
			name = o.schema + "." + o.name
		}
		s := o.kind + " " + name
		var n int64
		q := fmt.Sprintf(`SELECT count(*) FROM aiecon_salvage.%s.%s`, QuoteIdent(o.schema), QuoteIdent(o.name))
		if o.kind == "table" && conn.QueryRowContext(ctx, q).Scan(&n) == nil {
			s += fmt.Sprintf(", %d rows", n)
		}
		st.LeftOut = append(st.LeftOut, s)
	}
	return nil
}
