package data

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// SchemaDoc describes the schema from the database's own catalog: tables,
// views, their columns and the units and descriptions in their comments.
type SchemaDoc struct {
	Version int
	Enums   []EnumDoc
	Tables  []TableDoc
	Views   []TableDoc
}

// EnumDoc is a user-defined ENUM type.
type EnumDoc struct {
	Name   string
	Values []string
}

// TableDoc is a table or view.
type TableDoc struct {
	Name, Comment string
	Columns       []ColumnDoc
}

// viewRE finds the views a migration creates.
var viewRE = regexp.MustCompile(`(?im)^\s*CREATE\s+(?:OR\s+REPLACE\s+)?VIEW\s+(\w+)`)

// ViewNames are the views the schema creates, in name order, read from the
// migrations (no store opened): the relations analysts should query, for
// help text that cannot drift from the schema.
func ViewNames() []string {
	seen := map[string]bool{}
	var names []string
	for _, m := range migrations() {
		for _, g := range viewRE.FindAllStringSubmatch(m.SQL, -1) {
			if n := strings.ToLower(g[1]); !seen[n] {
				seen[n] = true
				names = append(names, n)
			}
		}
	}
	sort.Strings(names)
	return names
}

// ColumnDoc is a column; Unit is the bracketed prefix of its comment.
type ColumnDoc struct {
	Name, Type, Unit, Comment string
	Nullable                  bool
}

// DescribeSchema describes the schema this build writes, from a fresh
// in-memory store (so it needs no file and takes no lock).
func DescribeSchema(ctx context.Context) (*SchemaDoc, error) {
	s, err := Open(MemoryPath, Options{})
	if err != nil {
		return nil, err
	}
	defer s.Close()
	return s.Describe(ctx)
}

// Describe describes the schema of this store.
func (s *Store) Describe(ctx context.Context) (*SchemaDoc, error) {
	d := &SchemaDoc{}
	var err error
	if d.Version, err = currentVersion(ctx, s.db); err != nil {
		return nil, err
	}
	if d.Enums, err = s.enums(ctx); err != nil {
		return nil, err
	}
	if d.Tables, err = s.relations(ctx, `SELECT table_name, coalesce(comment, '') FROM duckdb_tables()
		WHERE schema_name = 'main' AND NOT temporary ORDER BY table_name`); err != nil {
		return nil, err
	}
	if d.Views, err = s.relations(ctx, `SELECT view_name, coalesce(comment, '') FROM duckdb_views()
		WHERE schema_name = 'main' AND NOT internal AND NOT temporary ORDER BY view_name`); err != nil {
		return nil, err
	}
	return d, nil
}

func (s *Store) enums(ctx context.Context) ([]EnumDoc, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT type_name FROM duckdb_types() WHERE schema_name = 'main'
		AND logical_type = 'ENUM' AND NOT internal ORDER BY type_name`)
	if err != nil {
		return nil, fmt.Errorf("describing enum types: %w", err)
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return nil, fmt.Errorf("describing enum types: %w", err)
		}
		names = append(names, n)
	}
	rows.Close()
	var out []EnumDoc
	for _, n := range names {
		var vals []any
		// The type name comes from the catalog, not from a user.
		if err := s.db.QueryRowContext(ctx, fmt.Sprintf(`SELECT enum_range(NULL::%s)`, n)).Scan(&vals); err != nil {
			return nil, fmt.Errorf("describing enum %s: %w", n, err)
		}
		e := EnumDoc{Name: n}
		for _, v := range vals {
			e.Values = append(e.Values, fmt.Sprint(v))
		}
		out = append(out, e)
	}
	return out, nil
}

func (s *Store) relations(ctx context.Context, q string) ([]TableDoc, error) {
	rows, err := s.db.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("describing the schema: %w", err)
	}
	var out []TableDoc
	for rows.Next() {
		var t TableDoc
		if err := rows.Scan(&t.Name, &t.Comment); err != nil {
			rows.Close()
			return nil, fmt.Errorf("describing the schema: %w", err)
		}
		out = append(out, t)
	}
	rows.Close()
	for i := range out {
		cols, err := s.columns(ctx, out[i].Name)
		if err != nil {
			return nil, err
		}
		out[i].Columns = cols
	}
	return out, nil
}

func (s *Store) columns(ctx context.Context, table string) ([]ColumnDoc, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT column_name, data_type, is_nullable, comment FROM duckdb_columns()
		WHERE schema_name = 'main' AND table_name = ? ORDER BY column_index`, table)
	if err != nil {
		return nil, fmt.Errorf("describing %s: %w", table, err)
	}
	defer rows.Close()
	var out []ColumnDoc
	for rows.Next() {
		var c ColumnDoc
		var comment sql.NullString
		if err := rows.Scan(&c.Name, &c.Type, &c.Nullable, &comment); err != nil {
			return nil, fmt.Errorf("describing %s: %w", table, err)
		}
		c.Unit, c.Comment = splitUnit(comment.String)
		out = append(out, c)
	}
	return out, rows.Err()
}

// splitUnit splits "[unit] text" into its parts.
func splitUnit(comment string) (unit, text string) {
	if strings.HasPrefix(comment, "[") {
		if end := strings.Index(comment, "]"); end > 0 {
			return comment[1:end], strings.TrimSpace(comment[end+1:])
		}
	}
	return "", comment
}

// Markdown renders the schema as the reference page docs/schema.md.
func (d *SchemaDoc) Markdown() string {
	var b strings.Builder
	b.WriteString("# The aiecon store: schema reference\n\n")
	b.WriteString("<!-- Generated by `aiecon schema --format markdown` from the database catalog; a test keeps it in sync. -->\n\n")
	fmt.Fprintf(&b, "Schema version %d. Every table of a run carries `run_id`; simulated times are BIGINT nanoseconds\n", d.Version)
	b.WriteString("since the run start (`_ns`), money is US dollars (`_usd`), unset times and absent links are NULL.\n")
	b.WriteString("Money columns are DOUBLE (binary floating point): a sum over many rows can differ from an exact one by a\n" +
		"fraction of a cent, so reconcile to the cent with `round(sum(revenue_usd), 2)`, not by comparing unrounded sums.\n")
	b.WriteString("A run is complete only when `runs.status = 'complete'`; its KPIs and latency sketches are written in the same transaction.\n")
	b.WriteString("A failed run keeps its `runs` row (with `error`), its workloads and the replicas it started with (written as it\n" +
		"begins; their totals NULL unless it completed); its partial rows in requests, sessions, auctions, windows and kpis\n" +
		"are removed the next time the store is opened read-write, and its `*_stored` counts set to 0.\n")
	b.WriteString("A run whose writer was killed (kill -9, a crash) still reads `status = 'running'`, with `error` and `finished_at`\n" +
		"NULL, until that next read-write open marks it failed (\"interrupted: ...\"; `finished_at` stays NULL, as when it\n" +
		"stopped is not known). A writer holds the file for as long as it writes, and DuckDB lets no other process open it\n" +
		"meanwhile, so a `running` row in a file you could open is such a run, unless the file is a copy taken while its\n" +
		"writer ran (the dashboard's snapshot, a cp of a live store). `writer_pid` and `writer_host` name the writer: `aiecon\n" +
		"runs` and `show` list the run as failed once that process is gone from this host, and as running while it is alive\n" +
		"or on another host. Filter on `status = 'complete'` for finished results.\n")
	b.WriteString("A store of an older schema version is migrated by the first command that opens it read-write, which says so\n" +
		"on stderr (an older aiecon cannot open it afterwards); the migrations also write again the comments reworded since,\n" +
		"so a migrated store's catalog reads as this page (version 26 rewrote three of run_summary's that stores migrated\n" +
		"through versions 17 to 25 had kept in older words, \"over the horizon\").\n")
	b.WriteString("A function or macro created in the store under the name of a DuckDB built-in (`round`, `max`) runs in its place\n" +
		"in every query over the store, aiecon's views included: aiecon's commands that read the store refuse one, as they\n" +
		"refuse a view of aiecon's redefined, and `aiecon doctor` names both.\n\n")
	if len(d.Enums) > 0 {
		b.WriteString("## Types\n\n")
		for _, e := range d.Enums {
			fmt.Fprintf(&b, "- `%s`: %s\n", e.Name, strings.Join(e.Values, ", "))
		}
		b.WriteString("\n")
	}
	b.WriteString("## Views (stable, for analysts)\n\n")
	for _, t := range d.Views {
		writeRelation(&b, t)
	}
	b.WriteString("## Tables\n\n")
	for _, t := range d.Tables {
		writeRelation(&b, t)
	}
	return b.String()
}

func writeRelation(b *strings.Builder, t TableDoc) {
	fmt.Fprintf(b, "### %s\n\n%s\n\n| column | type | unit | description |\n|---|---|---|---|\n", t.Name, t.Comment)
	for _, c := range t.Columns {
		fmt.Fprintf(b, "| %s | %s | %s | %s |\n", c.Name, c.Type, c.Unit, strings.ReplaceAll(c.Comment, "|", "\\|"))
	}
	b.WriteString("\n")
}
