package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"

	"aiecon/model/format"
)

// The schema the migrations define, read back from a private in-memory
// store: the tables TestSchemaTables holds schemaTables to, and the views
// doctor looks for. Reading it from DuckDB rather than parsing the
// migrations keeps one source of truth (a later migration that replaces a
// view or adds a column is seen as DuckDB applied it).

// refSchema is the migrated schema: each table's columns ("name TYPE, ...")
// and each view, in the order DuckDB created them (a view may read another).
type refSchema struct {
	tables map[string]string
	views  []refView
	// viewColumns are each view's columns, as tables' ("name TYPE, ...").
	viewColumns map[string]string
}

// refView is a view's name and definition.
type refView struct{ name, sql string }

var refOnce = sync.OnceValues(readReference)

// reference returns the migrated schema, built once per process.
func reference() (refSchema, error) { return refOnce() }

func readReference() (refSchema, error) {
	ctx := context.Background()
	db, err := sql.Open("duckdb", "?memory_limit="+url.QueryEscape(DefaultMemoryLimit))
	if err != nil {
		return refSchema{}, fmt.Errorf("the reference schema: %w", err)
	}
	defer db.Close()
	if err := migrate(ctx, db, SchemaVersion()); err != nil {
		return refSchema{}, fmt.Errorf("the reference schema: %w", err)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return refSchema{}, fmt.Errorf("the reference schema: %w", err)
	}
	defer conn.Close()
	var ref refSchema
	if ref.tables, err = tableColumns(ctx, conn, "system.main.current_database()"); err != nil {
		return ref, fmt.Errorf("the reference schema: %w", err)
	}
	if ref.views, err = readViews(ctx, conn); err != nil {
		return ref, fmt.Errorf("the reference schema: %w", err)
	}
	if ref.viewColumns, err = viewColumns(ctx, conn); err != nil {
		return ref, fmt.Errorf("the reference schema: %w", err)
	}
	return ref, nil
}

// readViews lists the views of the main schema in creation order.
func readViews(ctx context.Context, conn *sql.Conn) ([]refView, error) {
	rows, err := conn.QueryContext(ctx, `SELECT view_name, sql FROM system.main.duckdb_views()
		WHERE database_name = system.main.current_database() AND schema_name = 'main' AND NOT internal AND NOT temporary ORDER BY view_oid`)
	if err != nil {
		return nil, fmt.Errorf("listing views: %w", err)
	}
	defer rows.Close()
	var views []refView
	for rows.Next() {
		var v refView
		if err := rows.Scan(&v.name, &v.sql); err != nil {
			return nil, fmt.Errorf("listing views: %w", err)
		}
		views = append(views, v)
	}
	return views, rows.Err()
}

// schemaDiffs says how the tables in got differ from those in want: each
// table of want must be in got with the same columns and types, in order.
// Tables got has beside them are no concern: a user may keep their own.
// A column added to one of aiecon's tables is a difference: rows are
// appended and merged whole, by position.
func schemaDiffs(want, got map[string]string) []string {
	var diffs []string
	for _, table := range slices.Sorted(maps.Keys(want)) {
		have, ok := got[table]
		switch {
		case !ok:
			diffs = append(diffs, fmt.Sprintf("table %s is missing", table))
		case have != want[table]:
			diffs = append(diffs, fmt.Sprintf("table %s %s", table, columnsDiff(splitColumns(have), splitColumns(want[table]))))
		}
	}
	return diffs
}

// ErrForeignDatabase is wrapped by Open of a DuckDB file
// that holds tables or views but no aiecon schema: another program's
// database, which aiecon must not fill with its own tables.
var ErrForeignDatabase = errors.New("not an aiecon store")

// checkForeign refuses a database that records no aiecon schema version
// (no schema_version table, or an empty one) and is not empty, naming what
// it holds; a new or empty file becomes a store.
func (s *Store) checkForeign(ctx context.Context) error {
	names, err := heldNames(ctx, s.db, "system.main.current_database()")
	if err != nil {
		return fmt.Errorf("store %s: listing what it holds: %w", s.path, err)
	}
	if len(names) == 0 {
		return nil
	}
	// An empty schema_version table with aiecon's columns (checkVersionTable
	// passed) had read "holding schema_version but no aiecon schema_version
	// table", which contradicts itself.
	lacks := " but no aiecon schema_version table"
	if tables, err := queryStrings(ctx, s.db, `SELECT table_name FROM system.main.duckdb_tables()
		WHERE database_name = system.main.current_database() AND schema_name = 'main' AND table_name = 'schema_version'`); err == nil && len(tables) > 0 {
		lacks = "; its schema_version table has aiecon's columns but records no schema version"
	}
	return fmt.Errorf("opening the store %s: %w: it is a DuckDB database holding %s%s; "+
		"aiecon writes its schema only into a new or empty file and left this one unchanged (give %s another file)",
		s.path, ErrForeignDatabase, shownNames(names), lacks, s.pathArg)
}

// integerTypes are the column types a schema_version.version can be read from.
var integerTypes = []string{"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT"}

// checkVersionTable refuses a database whose schema_version table has no
// integer version column: another program's table of that name, from
// which reading the version failed with DuckDB's multi-line binder error
// at exit 1, where every other file that is not a store says so. A table
// with aiecon's version column and other changes passes to checkTables,
// which names them and how to undo them.
func (s *Store) checkVersionTable(ctx context.Context) error {
	cols, err := foreignVersionColumns(ctx, s.db, "system.main.current_database()")
	if err != nil {
		return fmt.Errorf("store %s: %w", s.path, err)
	}
	if cols == "" {
		return nil
	}
	return fmt.Errorf("opening the store %s: %w: %s; aiecon left it unchanged (give %s another file)", s.path, ErrForeignDatabase, cols, s.pathArg)
}

// foreignVersionColumns says what database db (an SQL expression) has for
// a schema_version table where it has one without an integer version
// column ("it has a table schema_version whose columns are not aiecon's
// (x VARCHAR; ...)"), and "" where it has aiecon's or none.
func foreignVersionColumns(ctx context.Context, q queryer, db string) (string, error) {
	cols, err := queryStrings(ctx, q, `SELECT c.column_name || ' ' || c.data_type
		FROM system.main.duckdb_columns() c JOIN system.main.duckdb_tables() t
		  ON c.database_name = t.database_name AND c.schema_name = t.schema_name AND c.table_name = t.table_name
		WHERE c.database_name = `+db+` AND c.schema_name = 'main' AND c.table_name = 'schema_version' AND NOT t.temporary
		ORDER BY c.column_index`)
	if err != nil {
		return "", fmt.Errorf("reading the columns of schema_version: %w", err)
	}
	for _, c := range cols {
		if name, typ, _ := strings.Cut(c, " "); name == "version" && slices.Contains(integerTypes, typ) {
			return "", nil
		}
	}
	if len(cols) == 0 {
		return "", nil // no such table: the callers say what the file holds
	}
	return fmt.Sprintf("it has a table schema_version whose columns are not aiecon's (%s; aiecon's are %s)",
		strings.Join(cols, ", "), schemaTables["schema_version"]), nil
}

// checkNotAhead refuses a store at schema version cur (older than this
// aiecon's) that already holds a table a later migration creates: its
// schema_version rows were deleted or changed. Migrating it re-ran the
// migrations after cur, committing each, until the one creating that table
// failed with DuckDB's catalog error. It is checked before anything is
// migrated, so the file is left as it was.
func (s *Store) checkNotAhead(ctx context.Context, cur int) error {
	held, err := heldNames(ctx, s.db, "system.main.current_database()")
	if err != nil {
		return fmt.Errorf("store %s: listing what it holds: %w", s.path, err)
	}
	var ahead []string
	for _, m := range migrations()[min(cur, len(migrations())):] {
		for _, c := range createdTableRE.FindAllStringSubmatch(m.SQL, -1) {
			if slices.Contains(held, c[1]) {
				ahead = append(ahead, fmt.Sprintf("%s (migration %04d_%s creates it)", c[1], m.Version, m.Name))
			}
		}
	}
	if len(ahead) == 0 {
		return nil
	}
	return fmt.Errorf("opening the store %s: its schema_version table records aiecon schema version %d, but %w: it already holds %s; "+
		"its schema_version rows were deleted or changed, so aiecon cannot tell which migrations it needs and left it unchanged; "+
		"`aiecon doctor --db %s` copies the runs it can still read into a new store",
		s.path, cur, ErrMergeSchema, shownNames(ahead), s.path)
}

// createdTableRE finds the tables a migration creates.
var createdTableRE = regexp.MustCompile(`(?i)\bCREATE TABLE (?:IF NOT EXISTS )?(\w+)`)

// checkClaimed refuses a store at schema version cur (older than this
// aiecon's) that lacks a table the migrations up to cur create: a file
// with aiecon's version table and little else failed the next migration
// with DuckDB's catalog error ("migration 0002_views: ... runs does not
// exist"). It is checked before anything is migrated, so the file is left
// as it was.
func (s *Store) checkClaimed(ctx context.Context, cur int) error {
	held, err := heldNames(ctx, s.db, "system.main.current_database()")
	if err != nil {
		return fmt.Errorf("store %s: listing what it holds: %w", s.path, err)
	}
	var lacks []string
	for _, m := range migrations()[:min(cur, len(migrations()))] {
		for _, c := range createdTableRE.FindAllStringSubmatch(m.SQL, -1) {
			if !slices.Contains(held, c[1]) {
				lacks = append(lacks, c[1])
			}
		}
	}
	if len(lacks) == 0 {
		return nil
	}
	slices.Sort(lacks)
	return fmt.Errorf("opening the store %s: its schema_version table claims aiecon schema version %d but lacks its tables (%s): %w, or a damaged one; "+
		"aiecon left it unchanged; point %s at another file",
		s.path, cur, shownNames(lacks), ErrForeignDatabase, s.pathArg)
}

// checkAttachedForeign refuses the database attached as alias (merge's
// input, salvage's) when it has no schema_version table: another program's
// database, whose own tables (a runs table without aiecon's columns) failed
// the copy with DuckDB's binder or catalog error, SQL and all. Only the
// catalog is read, so a store with damaged blocks still passes.
func checkAttachedForeign(ctx context.Context, conn *sql.Conn, alias, path string) error {
	names, err := heldNames(ctx, conn, quoteLiteral(alias))
	if err != nil {
		return fmt.Errorf("listing what %s holds: %w", path, err)
	}
	if slices.Contains(names, "schema_version") {
		cols, err := foreignVersionColumns(ctx, conn, quoteLiteral(alias))
		if err != nil || cols == "" {
			return err
		}
		return fmt.Errorf("%s is %w: %s", path, ErrForeignDatabase, cols)
	}
	held := "nothing"
	if len(names) > 0 {
		held = shownNames(names)
	}
	return fmt.Errorf("%s is %w: it holds %s but no aiecon schema_version table", path, ErrForeignDatabase, held)
}

// heldNames lists the tables and views of database db (an SQL expression),
// sorted.
func heldNames(ctx context.Context, q queryer, db string) ([]string, error) {
	return queryStrings(ctx, q, `SELECT table_name FROM system.main.duckdb_tables() WHERE database_name = `+db+` AND NOT temporary
		UNION ALL SELECT view_name FROM system.main.duckdb_views() WHERE database_name = `+db+` AND NOT internal AND NOT temporary
		ORDER BY 1`)
}

// shownNames joins the first five names, counting the rest: a user's
// database may hold hundreds.
func shownNames(names []string) string { return format.ListFirst(names, 5) }

// checkTables refuses a store whose tables are not the ones the migrations
// define (dropped or altered after aiecon wrote them, or another program's
// tables under aiecon's version table): every read would fail on it with
// DuckDB's binder error, which names no cause. It is merge's check
// (ErrMergeSchema), run against the migrated schema (schemaTables).
//
// migratedFrom is the schema version the store had before Open migrated
// it (0: not migrated), so that the message does not claim it untouched.
func (s *Store) checkTables(ctx context.Context, migratedFrom int) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store %s: %w", s.path, err)
	}
	defer conn.Close()
	mine, err := tableColumns(ctx, conn, "system.main.current_database()")
	if err != nil {
		return fmt.Errorf("store %s: %w", s.path, err)
	}
	if diffs := schemaDiffs(schemaTables, mine); len(diffs) > 0 {
		return &SchemaDiffError{Path: s.path, Diffs: diffs, MigratedFrom: migratedFrom}
	}
	return nil
}

// SchemaDiffError is checkTables' error: the store's tables differ from
// the migrations'. It is ErrMergeSchema.
type SchemaDiffError struct {
	Path         string
	Diffs        []string // "table kpis is missing", ...
	MigratedFrom int      // the schema version Open migrated it from, 0 if none
}

func (e *SchemaDiffError) Unwrap() error { return ErrMergeSchema }

// Finding is what differs, without the advice: doctor, which is the
// salvage the advice names, printed "run aiecon doctor".
func (e *SchemaDiffError) Finding() string {
	changed := "aiecon changed nothing in it"
	if e.MigratedFrom > 0 {
		changed = fmt.Sprintf("aiecon migrated its schema from version %d and changed nothing else", e.MigratedFrom)
	}
	return fmt.Sprintf("store %s: %v: %s; %s", e.Path, ErrMergeSchema, strings.Join(e.Diffs, "; "), changed)
}

func (e *SchemaDiffError) Error() string {
	return fmt.Sprintf("%s (`aiecon sql --write --db %s` still opens it, to undo the change%s; "+
		"`aiecon doctor --db %s` copies the runs it can still read into a new store)",
		e.Finding(), e.Path, undoExample(e.Diffs), e.Path)
}

// The diffs write a column as "name TYPE", so a name with a space in it
// ("we ird") reads as "we" of type "ird ...": the patterns want a type in
// DuckDB's capitals straight after the name, and give no example where a
// lower-case word follows (ALTER TABLE runs DROP COLUMN we would fail).
var (
	extraColumnRE = regexp.MustCompile(`^table (\w+) has an extra column (\w+) [A-Z]`)
	retypedRE     = regexp.MustCompile(`^table (\w+) has column (\w+) as [A-Z][^,]*?, want ([A-Z][A-Z0-9_ ]*)(?:,|$)`) // a plain type; no example for an ENUM
)

// undoExample is the statement that undoes the first of diffs (schemaDiffs'
// and columnsDiff's words), ", e.g. ALTER TABLE ...", or "" where no one
// statement does (a table dropped, columns reordered): the advice always
// read "e.g. ALTER TABLE runs DROP COLUMN tag", whatever had changed.
func undoExample(diffs []string) string {
	if len(diffs) == 0 {
		return ""
	}
	if m := extraColumnRE.FindStringSubmatch(diffs[0]); m != nil {
		return fmt.Sprintf(", e.g. ALTER TABLE %s DROP COLUMN %s", m[1], m[2])
	}
	if m := retypedRE.FindStringSubmatch(diffs[0]); m != nil {
		return fmt.Sprintf(", e.g. ALTER TABLE %s ALTER COLUMN %s TYPE %s", m[1], m[2], m[3])
	}
	return ""
}

// ViewCheck is what CheckViews found of a store's views.
type ViewCheck struct {
	Missing []string // the views the migrations define that the store lacks
	// Changed are the views whose columns are not the migrations' (a view
	// replaced through `sql --write`), each with how: "run_summary (lacks
	// 29 of its 30 columns)".
	Changed []string
	// Redefined are the views with the migrations' columns and other SQL:
	// a query through them works, and returns what the new SQL computes,
	// which is why the read-only commands refuse such a store
	// (Options.Refuse) and `aiecon sql` and the dashboard warn.
	Redefined []string
	// Functions are the store's functions and macros named like DuckDB's
	// built-ins, which every query over the store runs in their place
	// (ViewsChangedError.Functions).
	Functions []string
}

// CheckViews compares the views of the store at path with the ones the
// migrations define: a view dropped (through `sql --write`, say) fails
// every read through it with DuckDB's catalog error, and one replaced by a
// view with other columns with its binder error, while the tables and
// checksums hold. It opens the store read-only and changes nothing; a new
// store, such as doctor's salvaged copy, has them all as defined. A view
// redefined with the same columns and other SQL is named in Redefined, a
// function shadowing a built-in in Functions.
func CheckViews(ctx context.Context, path string) (ViewCheck, error) {
	var vc ViewCheck
	ref, err := reference()
	if err != nil {
		return vc, err
	}
	s, err := OpenContext(ctx, path, Options{ReadOnly: true})
	if err != nil {
		return vc, err
	}
	defer s.Close()
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return vc, fmt.Errorf("store %s: %w", path, err)
	}
	defer conn.Close()
	have, err := viewColumns(ctx, conn)
	if err != nil {
		return vc, fmt.Errorf("store %s: %w", path, err)
	}
	defs, err := readViews(ctx, conn)
	if err != nil {
		return vc, fmt.Errorf("store %s: %w", path, err)
	}
	for _, v := range ref.views {
		cols, ok := have[v.name]
		switch want := ref.viewColumns[v.name]; {
		case !ok:
			vc.Missing = append(vc.Missing, v.name)
		case cols != want:
			vc.Changed = append(vc.Changed, fmt.Sprintf("%s (%s)", v.name, viewDiff(splitColumns(cols), splitColumns(want))))
		case !slices.Contains(defs, v):
			vc.Redefined = append(vc.Redefined, v.name)
		}
	}
	vc.Functions = shadowing(ctx, conn)
	return vc, nil
}

// viewColumns maps each view of the connection's database (main schema)
// to its columns and types in order, "name TYPE, ...".
func viewColumns(ctx context.Context, conn *sql.Conn) (map[string]string, error) {
	rows, err := conn.QueryContext(ctx, `SELECT v.view_name, coalesce(string_agg(c.column_name || ' ' || c.data_type, ', ' ORDER BY c.column_index), '')
		FROM system.main.duckdb_views() v LEFT JOIN system.main.duckdb_columns() c
		  ON c.database_name = v.database_name AND c.schema_name = v.schema_name AND c.table_name = v.view_name
		WHERE v.database_name = system.main.current_database() AND v.schema_name = 'main' AND NOT v.internal AND NOT v.temporary
		GROUP BY v.view_name`)
	if err != nil {
		return nil, fmt.Errorf("listing the views' columns: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var view, cols string
		if err := rows.Scan(&view, &cols); err != nil {
			return nil, fmt.Errorf("listing the views' columns: %w", err)
		}
		out[view] = cols
	}
	return out, rows.Err()
}

// viewDiff says in short how a view's columns differ from want's: a view
// has tens of columns, and columnsDiff would list each one it lacks.
func viewDiff(have, want []string) string {
	names := map[string]bool{}
	for _, c := range have {
		name, _, _ := strings.Cut(c, " ")
		names[name] = true
	}
	lacks := 0
	for _, c := range want {
		if name, _, _ := strings.Cut(c, " "); !names[name] {
			lacks++
		}
	}
	if lacks > 0 {
		return fmt.Sprintf("lacks %d of its %d columns", lacks, len(want))
	}
	return columnsDiff(have, want)
}

// columnsDiff says how a table's columns ("name TYPE" each) differ from
// want's: the columns it lacks, has beside them, or holds as another type;
// where they only differ in order, both lists.
func columnsDiff(have, want []string) string {
	types := func(cols []string) map[string]string {
		m := map[string]string{}
		for _, c := range cols {
			name, typ, _ := strings.Cut(c, " ")
			m[name] = typ
		}
		return m
	}
	h, w := types(have), types(want)
	var parts []string
	for _, c := range want {
		name, typ, _ := strings.Cut(c, " ")
		switch got, ok := h[name]; {
		case !ok:
			parts = append(parts, "lacks column "+c)
		case got != typ:
			parts = append(parts, fmt.Sprintf("has column %s as %s, want %s", name, got, typ))
		}
	}
	for _, c := range have {
		if name, _, _ := strings.Cut(c, " "); w[name] == "" {
			parts = append(parts, "has an extra column "+c)
		}
	}
	if len(parts) == 0 {
		return fmt.Sprintf("has columns (%s) in another order, want (%s)", strings.Join(have, ", "), strings.Join(want, ", "))
	}
	return strings.Join(parts, ", ")
}

// splitColumns splits tableColumns' "name TYPE, ..." at the commas outside
// parentheses (an ENUM's values hold commas).
func splitColumns(s string) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, strings.TrimSpace(s[start:i]))
				start = i + 1
			}
		}
	}
	if rest := strings.TrimSpace(s[start:]); rest != "" {
		out = append(out, rest)
	}
	return out
}
