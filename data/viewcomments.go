package data

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// viewBases names the relations each view's columns come from, in the order
// to look for a pass-through column's comment; views are commented in name
// order, so a view may name a view that sorts before it. sweep_points comes
// first for sweep_results: its sweep_id, point and params_json are the
// point's (run_summary's sweep_id is NULL where no run has been stored).
var viewBases = map[string][]string{
	"requests_v":    {"requests"},
	"windows_v":     {"windows"},
	"run_summary":   {"runs"},
	"sweep_results": {"sweep_points", "run_summary"},
}

// columnCommentRE finds the column comments a migration writes.
var columnCommentRE = regexp.MustCompile(`(?i)COMMENT\s+ON\s+COLUMN\s+(\w+)\.(\w+)\s+IS`)

// ownViewComments are the view columns some migration comments itself, as
// "view.column": the columns a view computes (requests_v.ttft_s), whose
// comment is not its base's.
func ownViewComments() map[string]bool {
	own := map[string]bool{}
	for _, m := range migrations() {
		for _, g := range columnCommentRE.FindAllStringSubmatch(m.SQL, -1) {
			if _, ok := viewBases[strings.ToLower(g[1])]; ok {
				own[strings.ToLower(g[1]+"."+g[2])] = true
			}
		}
	}
	return own
}

// inheritViewComments gives every pass-through view column (a column no
// migration comments, such as requests_v.request_id) the comment of the
// same-named column of its first base that has one, so that the catalog
// describes it as docs/schema.md does, from the same text. It runs in the
// last migration's transaction tx whenever the schema changes: CREATE OR
// REPLACE VIEW drops a view's comments, and a migration may change a base
// column's comment, which its views then follow.
func inheritViewComments(ctx context.Context, tx *sql.Tx) error {
	comments := map[string]string{} // "relation.column" -> comment
	var views []string
	for v := range viewBases {
		views = append(views, v)
	}
	sort.Strings(views)
	rows, err := tx.QueryContext(ctx, `SELECT table_name, column_name, coalesce(comment, '') FROM duckdb_columns()
		WHERE schema_name = 'main' ORDER BY table_name, column_index`)
	if err != nil {
		return fmt.Errorf("commenting the views' columns: %w", err)
	}
	byView := map[string][]string{} // a view's columns in order
	for rows.Next() {
		var t, c, comment string
		if err := rows.Scan(&t, &c, &comment); err != nil {
			rows.Close()
			return fmt.Errorf("commenting the views' columns: %w", err)
		}
		comments[t+"."+c] = comment
		if _, ok := viewBases[t]; ok {
			byView[t] = append(byView[t], c)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("commenting the views' columns: %w", err)
	}
	own := ownViewComments()
	for _, view := range views {
		for _, col := range byView[view] {
			if own[view+"."+col] {
				continue
			}
			for _, base := range viewBases[view] {
				if c := comments[base+"."+col]; c != "" {
					q := fmt.Sprintf(`COMMENT ON COLUMN %s."%s" IS %s`, view, col, quoteLiteral(c))
					if _, err := tx.ExecContext(ctx, q); err != nil {
						return fmt.Errorf("commenting %s.%s: %w", view, col, err)
					}
					comments[view+"."+col] = c
					break
				}
			}
		}
	}
	return nil
}
