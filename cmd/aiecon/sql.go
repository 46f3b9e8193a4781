package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"aiecon/data"
	"aiecon/model"
)

func init() { register(newSQLCmd) }

// Default caps on the rows printed, lifted by --all. DuckDB's Go driver
// computes a whole result before its first row is read, so an unbounded
// SELECT * FROM range(10^9) as CSV held 8 GB before printing anything; with
// the cap DuckDB stops at it. A table is for reading (1000 rows); CSV and JSON
// stop at a spreadsheet's sheet (1,048,576 rows).
const (
	defaultTableRows  = 1000
	defaultExportRows = 1 << 20
)

type sqlFlags struct {
	format  string
	write   bool
	limit   int
	all     bool
	timeout time.Duration
}

// defaultSQLTimeout bounds a query without --write: count(*) from
// range(10^11) ran until killed, and repeat('x', 2e9) took 4 GB and more
// than 40 s; the store's own queries take seconds on a million runs.
const defaultSQLTimeout = 5 * time.Minute

// sqlLong is sql's help text, ending with the statement that deletes
// failed runs wholly.
func sqlLong() string {
	return `Run a DuckDB SQL query against the store and print the result as a table,
CSV or JSON (an array of objects). With no argument, or "-", the query is read
from standard input. The table format shows the first 1000 rows, and of each
value its first 256 characters (it says when it cut one); CSV and JSON the
first 1,048,576 rows (a spreadsheet's sheet) and every value whole. Each says
so when there are more rows (--limit N, --all): DuckDB computes a result
whole, in memory, before its first row prints, so --all on a huge result
needs the memory to hold it. Without --write, DuckDB measures each value
before it is copied out: the table copies of a text the characters it shows,
and other values (bytes, lists, structs, maps) up to 1 MiB; CSV and JSON
copy values up to 64 MiB (four times the largest scenario file). A larger
value fails the query, naming its column: select a part of it (left(text, n),
list[1:n]). JSON has no NaN or infinity: NaN, Infinity and -Infinity print
as null, as SQL's NULL does (CSV and the table print NaN, +Inf and -Inf);
select isnan(x) or isinf(x) beside x to tell them apart. A list or a struct
prints as JSON in the table and CSV; a MAP as DuckDB prints it ({k=[1, 2]}),
and in JSON as an object, or a list of {"key", "value"} where its keys are
not strings; a UNION as its member alone, as DuckDB prints it. A MAP keyed
by a list or a struct, which DuckDB's Go driver cannot read, fails the
query naming its column: cast it to VARCHAR.

Without --write the query can only read the store: the file is opened
read-only in DuckDB's sandbox (no other file, no network, no extension
loaded or installed, settings locked), and only one plain query is run:
SELECT, WITH, FROM, VALUES, DESCRIBE, SHOW, SUMMARIZE, PIVOT with its values
listed (ON col IN (...)) or UNPIVOT, over the store's tables and views, the
generators range, generate_series, unnest and repeat, and the catalog
functions (duckdb_tables, duckdb_columns, pragma_table_info...: a refused
table function's message lists them all). COPY,
EXPORT, IMPORT, ATTACH, DETACH, INSTALL, LOAD, SET, RESET, PRAGMA, CALL,
CHECKPOINT, INSERT, UPDATE, DELETE, CREATE, DROP, functions that read files
(read_csv, read_parquet, read_text, glob...) and several statements at once
are refused with a message. Other readers may use the store meanwhile.
Such a query stops after --timeout (5m; 0 for none), saying so. DuckDB's
memory_limit (1GB here) bounds its buffer pool, not every allocation: the
text of a value computed in the query is outside it (select
length(repeat('x', 2000000000)) took 4 GB), so a query can take more
memory than that; --timeout bounds its time, an interrupt (ctrl+c) stops
it sooner. DuckDB checks for a stop between chunks of rows, not inside one
value's computation (that repeat ran on 37 s past a 1 s limit), so the
command waits for it a quarter of a second at most: at --timeout or the
first ctrl+c it exits then, and the query, which has nothing to roll back,
ends with the process.

--write opens the store read-write (creating it if missing) with DuckDB's
ordinary settings and runs the SQL as given: any statement, several at once
(each committing on its own, as in the duckdb shell: BEGIN; ... COMMIT; makes
them all or none), changes to the store, COPY and EXPORT to files, ATTACH of other databases,
reading any file the user may read, SET and extensions. It is the duckdb
shell on the store: use it knowingly ('aiecon schema' documents the tables). It has no time
limit unless --timeout is given: a statement it interrupts is rolled back,
those before it stay committed. The stop (--timeout or ctrl+c) takes effect
when DuckDB next checks for one, between chunks of rows, and --write waits
for that: a statement busy computing one large value runs on until it is
done. Exiting then would be a kill of the store's writer, perhaps mid-commit
or mid-checkpoint; DuckDB's write-ahead log lets the next opening recover
from a kill (the statement is lost, the store is not), but aiecon does not
cut a write short on its own: a second ctrl+c is refused while the store is
open for writing, and kill -KILL is the way to end it at that risk.

No foreign key ties a run's rows to its runs row, so a DELETE on runs alone
leaves the run's rows in the other tables ('aiecon doctor' counts them).
This deletes the failed runs wholly, in one transaction (save it as
delete.sql and run: aiecon sql --write < delete.sql; change the condition
to delete other runs):

` + indent(data.DeleteRunsSQL("status = 'failed'"), "  ")
}

func newSQLCmd(e *env) *cobra.Command {
	var f sqlFlags
	cmd := &cobra.Command{
		Use:   `sql ["QUERY" | -]`,
		Short: "Run SQL against the store and print the result",
		Long:  sqlLong(),
		Example: `  aiecon sql "SELECT run_id, name, cost_per_mtok_usd, margin_usd FROM run_summary"
  aiecon sql --format csv "SELECT * FROM windows_v WHERE run_id = '01jf3k9x2a7bq4z'" > windows.csv
  echo "SELECT workload_name, quantile_cont(ttft_s, 0.99) FROM requests_v GROUP BY 1" | aiecon sql
  aiecon sql --limit 20 "FROM requests_v"
  aiecon sql --write "UPDATE runs SET description = 'prices before the 2026 update' WHERE run_id = '01jf3k9x2a7bq4z'"`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSQL(cmd, e, args, f)
		},
	}
	cmd.Flags().StringVar(&f.format, "format", "table", "output format: table, csv or json")
	cmd.Flags().BoolVar(&f.write, "write", false, "open the store read-write and run any SQL (see above)")
	cmd.Flags().IntVar(&f.limit, "limit", 0, "print at most `N` rows (default: 1000 for the table format, 1,048,576 for csv and json)")
	cmd.Flags().BoolVar(&f.all, "all", false, "print every row, whatever the format (not with --limit)")
	cmd.Flags().DurationVar(&f.timeout, "timeout", defaultSQLTimeout, "stop the query after this long (0: no limit; with --write, none unless given)")
	return cmd
}

// indent puts prefix before every line of text.
func indent(text, prefix string) string {
	lines := strings.SplitAfter(strings.TrimSuffix(text, "\n"), "\n")
	return prefix + strings.Join(lines, prefix)
}

// checkSQLFlags refuses sql's conflicting or out-of-range flags and
// settles --timeout: with --write, none unless given.
func checkSQLFlags(cmd *cobra.Command, f *sqlFlags) error {
	if err := checkFormat(f.format, "table", "csv", "json"); err != nil {
		return err
	}
	switch {
	case f.all && cmd.Flags().Changed("limit"):
		return badInput("--all and --limit %d conflict: --all prints every row, --limit at most that many; give one of them", f.limit)
	case f.limit < 0 || (f.limit == 0 && cmd.Flags().Changed("limit")):
		return badInput("--limit %d: give a positive number of rows, or --all", f.limit)
	}
	if f.timeout < 0 {
		return badInput("--timeout %v: give a duration such as 30s or 10m, or 0 for no limit", f.timeout)
	}
	if f.write && !cmd.Flags().Changed("timeout") {
		f.timeout = 0 // the duckdb shell on the store: no limit unless asked
	}
	return nil
}

func runSQL(cmd *cobra.Command, e *env, args []string, f sqlFlags) (err error) {
	if err := checkSQLFlags(cmd, &f); err != nil {
		return err
	}
	query, err := sqlText(e, args)
	if err != nil {
		return err
	}
	ctx := cmd.Context()
	if f.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, f.timeout)
		defer cancel()
		defer func() { err = timedOut(ctx, err, f.timeout) }()
	}
	if f.write {
		// A write waits for DuckDB to stop (sql --help): leaving while
		// it commits would be a kill of the store's writer.
		return querySQL(ctx, e, query, f)
	}
	return untilStopped(ctx, e, func(ge *env) error { return querySQL(ctx, ge, query, f) })
}

// querySQL opens the store and runs query, printing its rows.
func querySQL(ctx context.Context, e *env, query string, f sqlFlags) (err error) {
	var store *data.Store
	var bq data.BoundedQuery // the query's bounds, when it is bounded
	// sql opens a store whose tables were altered, which every other
	// command refuses (data.Options.SkipTableCheck): it is how the user
	// undoes the change.
	if f.write {
		opts := writerOptions(e)
		opts.SkipTableCheck = true
		store, err = data.Open(e.dbPath, opts)
	} else {
		store, err = data.Open(e.dbPath, data.Options{ReadOnly: true, SkipTableCheck: true, OnWarning: writerOptions(e).OnWarning, PathArg: e.dbArg()})
	}
	if err != nil {
		return err
	}
	defer closeStore(store, &err)
	limit := f.limit
	if limit == 0 && !f.all {
		limit = defaultExportRows
		if f.format == "table" {
			limit = defaultTableRows
		}
	}
	typed := query // the user's text, which query may wrap below
	if !f.write {
		if err := data.CheckQuery(ctx, store.DB(), query); err != nil {
			if errors.Is(err, data.ErrNotAQuery) {
				return badInput("%v\n(without --write, sql runs one query that reads the store; add --write to run other SQL: aiecon sql --help says what it allows)", err)
			}
			return queryError(err, false, query, store.Path())
		}
		// Let DuckDB stop at the cap rather than compute the whole result,
		// and bound each value before it is fetched.
		bounded, b := boundedQuery(ctx, store.DB(), query, f.format, limit)
		if data.CheckQuery(ctx, store.DB(), bounded) == nil {
			query, bq = bounded, b
		}
	}
	rows, err := store.DB().QueryContext(ctx, query)
	if err != nil {
		err = data.UserLine(err, typed) // LINE 1 quoted the bounding wrapper
		if !f.write && strings.Contains(err.Error(), "read-only") {
			return badInput("%v\n(the store is opened read-only; add --write to change it)", err)
		}
		if tl := tooLargeError(err, bq, f.format); tl != err {
			return tl
		}
		return queryError(err, f.write, query, store.Path())
	}
	defer rows.Close()
	more, err := printRows(e.stdout, rows, f.format, limit)
	err = data.UserLine(tooLargeError(err, bq, f.format), typed)
	if err == nil && more && f.format != "table" {
		fmt.Fprintf(e.stderr, "aiecon: the first %d rows printed; the result has more (--all prints every row)\n", limit)
	}
	return err
}

// untilStopped runs a read-only query (work, given e with its output
// gated) in a goroutine and returns when it ends or when ctx does,
// whichever comes first, given sqlStopGrace to end on DuckDB's interrupt
// after ctx does. DuckDB checks for an interrupt between chunks of
// rows, not inside one value's computation: length(repeat('a', 2e9)) ran
// on 37 s past a 1 s --timeout, and a ctrl+c waited as long. A read-only
// query has nothing to roll back, so the command need not wait for it:
// the query goes on until the process exits, its output shut off so that
// nothing it prints follows the command's error.
func untilStopped(ctx context.Context, e *env, work func(*env) error) error {
	out, errOut := &gatedWriter{w: e.stdout}, &gatedWriter{w: e.stderr}
	ge := *e
	ge.stdout, ge.stderr = out, errOut
	done := make(chan error, 1)
	go func() { done <- work(&ge) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	// DuckDB stops most queries within milliseconds of the interrupt
	// (between chunks of rows): their own error says how, and claiming
	// it had not checked for the stop was false for them (review331).
	select {
	case err := <-done:
		return err
	case <-time.After(sqlStopGrace):
	}
	out.shut()
	errOut.shut()
	select {
	case err := <-done: // it ended meanwhile: its own error says how
		return err
	default:
	}
	printed := ""
	if out.wroteAny() {
		printed = "; the rows printed are not all of its result"
	}
	// ctx's error first: "interrupted", as every stopped command says.
	return fmt.Errorf("%w before the query ended: DuckDB had not stopped it %v after the stop (it checks between chunks of rows, "+
		"not inside one value's computation), so the read-only query is left to end with the process%s", ctx.Err(), sqlStopGrace, printed)
}

// sqlStopGrace is how long a stopped read-only query is given to end on
// DuckDB's interrupt before sql stops waiting for it.
const sqlStopGrace = 250 * time.Millisecond

// gatedWriter passes writes on to w until shut, and drops them after.
type gatedWriter struct {
	mu     sync.Mutex
	w      io.Writer
	closed bool
	wrote  bool // something was passed on
}

// wroteAny says whether anything was passed on to w.
func (g *gatedWriter) wroteAny() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.wrote
}

func (g *gatedWriter) Write(p []byte) (int, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed {
		return 0, errQueryAbandoned
	}
	g.wrote = g.wrote || len(p) > 0
	return g.w.Write(p)
}

func (g *gatedWriter) shut() {
	g.mu.Lock()
	g.closed = true
	g.mu.Unlock()
}

var errQueryAbandoned = errors.New("the command stopped waiting for this query")

// timedOut is err said as the --timeout that stopped the query, when
// ctx's deadline passed (not a signal, which says so itself); exit 1, as
// an interrupted query is.
func timedOut(ctx context.Context, err error, timeout time.Duration) error {
	if err == nil || !errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return err
	}
	return fmt.Errorf("query stopped after --timeout %v, its time limit (give a longer one, or --timeout 0 for none): %w", timeout, err)
}

// failureSigns start DuckDB's errors for a query that failed for want of
// the machine (memory, an internal fault) or was interrupted, not for what
// the user wrote: exit 1, not 2. An I/O error is the machine's when it is
// reading the store (damage included), the user's when it is a file their
// SQL names (COPY TO a missing folder, read_csv of a missing file).
var failureSigns = []string{"Out of Memory Error", "INTERNAL Error", "INTERRUPT Error", "Interrupted"}

// queryError is a failed query's error: the user's (exit 2) unless DuckDB
// says the machine or the store failed it. With --write and several
// statements, it says that those before the failing one were applied, as in
// the duckdb shell, each committing on its own.
func queryError(err error, write bool, query, storePath string) error {
	msg := rootMessage(err) // DuckDB's own, under any wrapping of ours
	if abs, aerr := filepath.Abs(storePath); aerr == nil {
		storePath = abs // DuckDB names the file by its absolute path
	}
	failed := data.LooksDamaged(err) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) ||
		(strings.HasPrefix(msg, "IO Error") && storePath != "" && strings.Contains(msg, storePath))
	for _, s := range failureSigns {
		failed = failed || strings.HasPrefix(msg, s)
	}
	err = fmt.Errorf("query failed: %w", err)
	if write && statements(query) > 1 {
		err = fmt.Errorf("%w\n(with --write each statement commits on its own, as in the duckdb shell, so those before the failing one "+
			"were applied; put several between BEGIN; and COMMIT; to apply all or none)", err)
	}
	if failed {
		return err
	}
	return asUsage(err)
}

// rootMessage is the message of the innermost error err wraps.
func rootMessage(err error) string {
	for {
		u := errors.Unwrap(err)
		if u == nil {
			return err.Error()
		}
		err = u
	}
}

// statements counts the SQL statements of a text: its semicolons outside
// quotes ('...', "...", E'...' with backslash escapes, $$...$$ and
// $tag$...$tag$) and comments (-- and /* */), plus one for any text after
// the last.
func statements(q string) int {
	n, tail := 0, false
	skipTo := func(i int, end string) int { // index of the last byte of end after i, or len(q)
		j := strings.Index(q[i:], end)
		if j < 0 {
			return len(q)
		}
		return i + j + len(end) - 1
	}
	for i := 0; i < len(q); i++ {
		switch c := q[i]; {
		case c == '\'' && i > 0 && (q[i-1] == 'E' || q[i-1] == 'e'):
			for i++; i < len(q) && q[i] != '\''; i++ {
				if q[i] == '\\' {
					i++
				}
			}
			tail = true
		case c == '\'' || c == '"':
			i = skipTo(i+1, string(c))
			tail = true
		case c == '$':
			if m := dollarTag.FindString(q[i:]); m != "" {
				i = skipTo(i+len(m), m)
			}
			tail = true
		case c == '/' && strings.HasPrefix(q[i:], "/*"):
			i = skipTo(i+2, "*/")
		case c == '-' && strings.HasPrefix(q[i:], "--"):
			i = skipTo(i, "\n")
		case c == ';':
			if tail {
				n++
			}
			tail = false
		case c > ' ':
			tail = true
		}
	}
	return n + b2i(tail)
}

// dollarTag opens a dollar-quoted string: $$ or $tag$.
var dollarTag = regexp.MustCompile(`^\$[A-Za-z_]*\$`)

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// sqlText is the query from the argument or standard input.
func sqlText(e *env, args []string) (string, error) {
	query := ""
	if len(args) == 1 && args[0] != "-" {
		query = args[0]
	} else {
		b, err := model.ReadInput(e.stdin, "query")
		if err != nil {
			// Too large (or unreadable) is the input's fault: exit 2.
			return "", asUsage(fmt.Errorf("reading the query from standard input: %w", err))
		}
		query = string(b)
	}
	if strings.TrimSpace(query) == "" {
		return "", badInput("no query: give one as an argument or on standard input")
	}
	return query, nil
}

// rowPrinter prints one format, a row at a time.
type rowPrinter interface {
	row(vals []any) error
	end(n int, more bool) error
}

// printRows prints a result set, at most limit rows (0: all), holding no
// more than one row, or, for the table format, the first tableBlock rows
// that size its columns.
func printRows(out io.Writer, rows *sql.Rows, format string, limit int) (more bool, err error) {
	cols, err := rows.Columns()
	if err != nil {
		return false, err
	}
	types, err := rows.ColumnTypes()
	if err != nil {
		return false, err
	}
	if err := data.CheckReadable(types); err != nil { // the driver's own error names no column
		return false, err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	parsed := make([]data.ColumnType, len(types)) // read once, not per cell
	for i := range vals {
		ptrs[i] = &vals[i]
		parsed[i] = data.ParseColumnType(types[i].DatabaseTypeName())
	}
	var p rowPrinter
	switch format {
	case "table":
		p = newTablePrinter(out, cols)
	case "csv":
		p = newCSVPrinter(out, cols)
	default:
		p = &jsonPrinter{out: out, cols: cols}
	}
	n := 0
	for rows.Next() {
		if limit > 0 && n == limit {
			more = true
			break
		}
		if err := rows.Scan(ptrs...); err != nil {
			return false, err
		}
		for i, t := range parsed {
			vals[i] = t.Value(vals[i])
		}
		if err := p.row(vals); err != nil {
			return false, err
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return false, err
	}
	return more, p.end(n, more)
}

// textValue renders a value from the DuckDB driver for a table or CSV.
func textValue(v any, null string) string {
	switch x := v.(type) {
	case nil:
		return null
	case string:
		return x
	case []byte:
		if utf8.Valid(x) {
			return string(x)
		}
		return fmt.Sprintf("\\x%x", x)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case float32:
		return strconv.FormatFloat(float64(x), 'g', -1, 32)
	case time.Time:
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0 {
			return x.Format("2006-01-02")
		}
		return x.Format("2006-01-02 15:04:05.999999")
	case *big.Int:
		return x.String()
	case fmt.Stringer:
		return x.String()
	case []any, map[string]any:
		if s, ok := data.NestedText(x); ok {
			return s
		}
	}
	return fmt.Sprint(v)
}

// jsonValue renders a value as JSON: NaN and infinities become null, times
// RFC 3339 strings, and what encoding/json cannot take its text form.
func jsonValue(v any) []byte {
	b, err := json.Marshal(data.JSONSafe(v))
	if err != nil {
		b, _ = json.Marshal(textValue(v, ""))
	}
	return b
}
