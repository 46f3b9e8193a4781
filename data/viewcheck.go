package data

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// A view of aiecon's redefined through `sql --write` with the same columns
// and other SQL (run_summary summing revenue otherwise, say) was told apart
// neither by doctor, which compared columns, nor by any command: `runs`,
// `show` and `sql` printed what the new SQL computes under aiecon's names.
// Every Open that can warn (Options.OnWarning) now compares the store's
// views with the migrations' at the cost of one catalog query, and says so
// in one line pointing at doctor; it changes nothing in the store.

// viewDigest is the digest of a view's definition as DuckDB renders it
// (duckdb_views().sql): DuckDB renders the stored view, not the text it was
// created with, so a store and the reference agree within one DuckDB.
func viewDigest(sql string) string {
	sum := sha256.Sum256([]byte(sql))
	return hex.EncodeToString(sum[:8])
}

// ViewsChangedError is Open's warning of a store whose views are not the
// ones the migrations define.
type ViewsChangedError struct {
	Path             string
	Missing, Changed []string // view names
}

func (e *ViewsChangedError) Error() string {
	return fmt.Sprintf("the store %s %s (through `aiecon sql --write`, say): what reads them may not mean what aiecon's documentation says; "+
		"`aiecon doctor --db %s` names them and writes a copy with aiecon's views", e.Path, e.Finding(), e.Path)
}

// Finding is what the store's views lack, without the store or the advice
// ("lacks aiecon's view X and has aiecon's views Y, Z redefined"): the
// dashboard's banner names its store itself.
func (e *ViewsChangedError) Finding() string {
	var found []string
	if len(e.Missing) > 0 {
		found = append(found, "lacks aiecon's "+viewsWord(e.Missing))
	}
	if len(e.Changed) > 0 {
		found = append(found, "has aiecon's "+viewsWord(e.Changed)+" redefined")
	}
	return strings.Join(found, " and ")
}

// viewsWord is "view NAME" or "views A, B".
func viewsWord(names []string) string {
	if len(names) == 1 {
		return "view " + names[0]
	}
	return "views " + strings.Join(names, ", ")
}

// warnViews warns (Options.OnWarning) of views of aiecon's that the store
// lacks or defines otherwise. A failure to read the catalog is not the
// user's concern here: the command's own reads will meet it.
func (s *Store) warnViews(ctx context.Context) {
	if s.warn == nil {
		return
	}
	have, err := queryPairs(ctx, s.db, `SELECT view_name, sql FROM duckdb_views()
		WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal AND NOT temporary`)
	if err != nil {
		return
	}
	e := &ViewsChangedError{Path: s.path}
	for _, name := range slices.Sorted(maps.Keys(schemaViews)) {
		switch sql, ok := have[name]; {
		case !ok:
			e.Missing = append(e.Missing, name)
		case viewDigest(sql) != schemaViews[name]:
			e.Changed = append(e.Changed, name)
		}
	}
	if len(e.Missing) > 0 || len(e.Changed) > 0 {
		s.warn(e)
	}
}

// queryPairs maps the first column of q's rows to the second.
func queryPairs(ctx context.Context, q queryer, query string) (map[string]string, error) {
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, rows.Err()
}
