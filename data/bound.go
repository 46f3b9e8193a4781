package data

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// DuckDB's Go driver copies each value of a result into Go whole, past the
// memory limit of the DuckDB instance: a reader that shows 256 characters
// of a text of 500 MB (aiecon sql, the dashboard's SQL console) paid for
// all of it, twice. BoundQuery has DuckDB measure each value before it is
// fetched, in the query itself.

// ValueBounds are how much of each value of a bounded query (BoundQuery)
// DuckDB hands to the driver.
type ValueBounds struct {
	// TextRunes > 0 cuts a text (VARCHAR) to its first TextRunes
	// characters, for a reader that shows no more of it (one past what it
	// shows tells it that it cut); 0 measures a text against MaxBytes as
	// any other value.
	TextRunes int
	// MaxBytes is the most of any other value of variable size (a text's
	// or a blob's bytes; a list's, a struct's or a map's text): past it
	// the query fails with an error that BoundedQuery.TooLarge reads.
	MaxBytes int64
}

// QueryColumn is a column of a query's result as DuckDB describes it.
type QueryColumn struct{ Name, Type string }

// BoundedQuery is a read-only query wrapped so that DuckDB bounds each
// value of its result before the driver fetches it.
type BoundedQuery struct {
	// Select is the wrapped query; a reader appends its LIMIT and OFFSET.
	// The query starts on the wrapper's first line, so that DuckDB's
	// "LINE n" in an error is the user's line.
	Select string
	// Columns are the result's columns, nil when DuckDB could not
	// describe the query: Select then reads it unbounded, and running it
	// reports its error in DuckDB's own words.
	Columns []QueryColumn
}

// fixedSizeTypes are DuckDB's types whose values take a few bytes: they
// need no measuring. DECIMAL(p,s) and ENUM(...) are matched by prefix.
var fixedSizeTypes = map[string]bool{
	"BOOLEAN": true, "TINYINT": true, "SMALLINT": true, "INTEGER": true, "BIGINT": true, "HUGEINT": true,
	"UTINYINT": true, "USMALLINT": true, "UINTEGER": true, "UBIGINT": true, "UHUGEINT": true,
	"FLOAT": true, "DOUBLE": true, "DATE": true, "TIME": true, "TIME_NS": true, "TIME WITH TIME ZONE": true,
	"TIMESTAMP": true, "TIMESTAMP_S": true, "TIMESTAMP_MS": true, "TIMESTAMP_NS": true,
	"TIMESTAMP WITH TIME ZONE": true, "INTERVAL": true, "UUID": true, `"NULL"`: true,
}

func fixedSize(typ string) bool {
	if strings.HasSuffix(typ, "]") { // a list or an array, of anything
		return false
	}
	return fixedSizeTypes[typ] || strings.HasPrefix(typ, "DECIMAL(") || strings.HasPrefix(typ, "ENUM(")
}

// valueTooLarge marks the error DuckDB raises (SQL's error()) when a value
// is past the bound: the column's position and the value's size follow.
const valueTooLarge = "aiecon-sql-value-too-large"

var valueTooLargeRE = regexp.MustCompile(valueTooLarge + ` column=(\d+) bytes=(\d+)`)

// BoundQuery wraps q, a read-only query (CheckQuery passed it), so that
// DuckDB bounds each value as b says before the driver fetches it. DuckDB
// describes q to find its columns (it binds q and runs none of it); when it
// cannot (an error in q), Select reads q unbounded.
func BoundQuery(ctx context.Context, db *sql.DB, q string, b ValueBounds) BoundedQuery {
	body := strings.TrimRight(strings.TrimSpace(q), "; \t\n")
	from := fmt.Sprintf(" FROM (%s\n) AS q", body)
	cols, err := describeQuery(ctx, db, "SELECT *"+from)
	if err != nil {
		return BoundedQuery{Select: "SELECT *" + from}
	}
	list := make([]string, len(cols))
	for i, c := range cols {
		list[i] = boundedColumn(i+1, c.Type, b) + " AS " + QuoteIdent(c.Name)
	}
	return BoundedQuery{Select: "SELECT " + strings.Join(list, ", ") + from, Columns: cols}
}

// describeQuery is the columns of q's result: DuckDB binds q, and runs none of it.
func describeQuery(ctx context.Context, db *sql.DB, q string) ([]QueryColumn, error) {
	rows, err := db.QueryContext(ctx, "DESCRIBE "+q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cols []QueryColumn
	for rows.Next() {
		var c QueryColumn
		var null, key, def, extra sql.NullString
		if err := rows.Scan(&c.Name, &c.Type, &null, &key, &def, &extra); err != nil {
			return nil, err
		}
		cols = append(cols, c)
	}
	return cols, rows.Err()
}

// boundedColumn is the expression that fetches the n-th column, of DuckDB
// type typ, bounded as b says.
func boundedColumn(n int, typ string, b ValueBounds) string {
	col := "#" + strconv.Itoa(n)
	if fixedSize(typ) {
		return col
	}
	if typ == "VARCHAR" && b.TextRunes > 0 {
		return fmt.Sprintf("left(%s, %d)", col, b.TextRunes)
	}
	size := "strlen(CAST(" + col + " AS VARCHAR))" // a list's, a struct's, a map's text
	switch typ {
	case "VARCHAR":
		size = "strlen(" + col + ")" // in bytes
	case "BLOB":
		size = "octet_length(" + col + ")"
	}
	return fmt.Sprintf("CASE WHEN %[1]s > %[2]d THEN error('%[3]s column=%[4]d bytes=' || %[1]s) ELSE %[5]s END",
		size, b.MaxBytes, valueTooLarge, n, col)
}

// TooLarge reads err, from running q's Select or fetching its rows: when it
// is DuckDB's refusal of a value past MaxBytes, it returns the column that
// held the value and the value's size in bytes (a list's, a struct's, a
// map's as text).
func (q BoundedQuery) TooLarge(err error) (col QueryColumn, size int64, ok bool) {
	if err == nil {
		return QueryColumn{}, 0, false
	}
	m := valueTooLargeRE.FindStringSubmatch(err.Error())
	if m == nil {
		return QueryColumn{}, 0, false
	}
	n, nerr := strconv.Atoi(m[1])
	size, serr := strconv.ParseInt(m[2], 10, 64)
	if nerr != nil || serr != nil || n < 1 || n > len(q.Columns) {
		return QueryColumn{}, 0, false
	}
	return q.Columns[n-1], size, true
}
