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
// in one line pointing at doctor; it changes nothing in the store. With
// Options.Refuse the Open fails instead: the read-only commands evaluated
// such a view after the warning.

// viewDigest is the digest of a view's definition as DuckDB renders it
// (duckdb_views().sql): DuckDB renders the stored view, not the text it was
// created with, so a store and the reference agree within one DuckDB.
func viewDigest(sql string) string {
	sum := sha256.Sum256([]byte(sql))
	return hex.EncodeToString(sum[:8])
}

// ViewsChangedError is Open's warning, or with Options.Refuse its error, of
// a store whose views are not the ones the migrations define, or which
// defines functions named like DuckDB's built-ins.
type ViewsChangedError struct {
	Path             string
	Missing, Changed []string // view names
	// Functions are the store's functions and macros named like one of
	// DuckDB's built-ins (max, round, read_text): DuckDB resolves the
	// store's first, so every query over the store, aiecon's own and its
	// views', runs them in place of the built-in (CREATE MACRO max(x) AS
	// 12345 made `aiecon runs` report schema version 12345).
	Functions []string
	Refused   bool // Open failed with it (Options.Refuse)
}

func (e *ViewsChangedError) Error() string {
	const how = " (through `aiecon sql --write`, say)"
	if e.Refused {
		return fmt.Sprintf("refusing to read the store %s: it %s%s, so what aiecon would print is what that SQL computes, not what "+
			"aiecon's documentation says; `aiecon doctor --db %s` names them and writes a copy with aiecon's views and none of "+
			"the store's functions (or drop or put them back with `aiecon sql --write`); `aiecon sql` and the dashboard read it as it is",
			e.Path, e.Finding(), how, e.Path)
	}
	return fmt.Sprintf("the store %s %s%s: what reads them may not mean what aiecon's documentation says; "+
		"`aiecon doctor --db %s` names them and writes a copy with aiecon's views", e.Path, e.Finding(), how, e.Path)
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
	if len(e.Functions) > 0 {
		found = append(found, "defines "+functionsWord(e.Functions)+" named like DuckDB's built-ins, which run in their place")
	}
	return strings.Join(found, " and ")
}

// functionsWord is "function NAME" or "functions A, B".
func functionsWord(names []string) string {
	if len(names) == 1 {
		return "function " + names[0]
	}
	return "functions " + strings.Join(names, ", ")
}

// viewsWord is "view NAME" or "views A, B".
func viewsWord(names []string) string {
	if len(names) == 1 {
		return "view " + names[0]
	}
	return "views " + strings.Join(names, ", ")
}

// shadowingQuery lists the functions and macros of the store's database
// whose names are those of DuckDB's built-ins. Each catalog function is
// named through system.main: a table macro duckdb_functions in the store
// would answer in place of DuckDB's own.
const shadowingQuery = `SELECT DISTINCT function_name FROM system.main.duckdb_functions()
	WHERE database_name = system.main.current_database() AND NOT internal
	AND function_name IN (SELECT function_name FROM system.main.duckdb_functions() WHERE internal)
	ORDER BY function_name`

// shadowing returns the store's functions that shadow DuckDB's built-ins
// (shadowingQuery). aiecon's migrations define none. A failure to read the
// catalog is not the user's concern here: the command's own reads meet it.
func shadowing(ctx context.Context, q queryer) []string {
	rows, err := q.QueryContext(ctx, shadowingQuery)
	if err != nil {
		return nil
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if rows.Scan(&n) != nil {
			return nil
		}
		names = append(names, n)
	}
	return names
}

// refuseShadowing is Open's refusal (Options.Refuse) of a store with
// functions that shadow DuckDB's built-ins, before any query of aiecon's
// (the schema version's max) runs them; nil without them.
func (s *Store) refuseShadowing(ctx context.Context, opts Options) error {
	if !opts.Refuse {
		return nil
	}
	if names := shadowing(ctx, s.db); len(names) > 0 {
		return &ViewsChangedError{Path: s.path, Functions: names, Refused: true}
	}
	return nil
}

// checkViews warns (Options.OnWarning) of views of aiecon's that the store
// lacks or defines otherwise and of functions that shadow built-ins, or,
// with Options.Refuse, returns that as the Open's error.
func (s *Store) checkViews(ctx context.Context, opts Options) error {
	if s.warn == nil && !opts.Refuse {
		return nil
	}
	have, err := queryPairs(ctx, s.db, `SELECT view_name, sql FROM system.main.duckdb_views()
		WHERE database_name = system.main.current_database() AND schema_name = 'main' AND NOT internal AND NOT temporary`)
	if err != nil {
		return nil
	}
	e := &ViewsChangedError{Path: s.path, Functions: shadowing(ctx, s.db), Refused: opts.Refuse}
	for _, name := range slices.Sorted(maps.Keys(schemaViews)) {
		switch sql, ok := have[name]; {
		case !ok:
			e.Missing = append(e.Missing, name)
		case viewDigest(sql) != schemaViews[name]:
			e.Changed = append(e.Changed, name)
		}
	}
	switch {
	case len(e.Missing) == 0 && len(e.Changed) == 0 && len(e.Functions) == 0:
	case opts.Refuse:
		return e
	case s.warn != nil:
		s.warn(e)
	}
	return nil
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
