package main

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"aiecon/data"
	"aiecon/model/format"
)

// The most of one value that sql fetches without --write. DuckDB's Go driver
// copied each value into Go whole, past the sandbox's memory limit, and the
// printers copied it again: a text of 500 MB computed from a table took 12 s
// and 1.5 GB to print the 256 characters the table shows of it (3.7 s and
// DuckDB's own 550 MB now). So DuckDB measures each value before it is
// fetched (boundedQuery): the table fetches the first maxCellRunes+1
// characters of a text, which is all it shows, and at most
// maxTableValueBytes of any other value (bytes; lists, structs and maps
// measured by their text); csv and json fetch at most maxPrintedValueBytes
// of any value, four times the largest input file aiecon reads (a
// scenario, which runs store). Past them the query fails, naming the
// column. Variables, so that tests need not allocate such sizes.
var (
	maxTableValueBytes   int64 = 1 << 20
	maxPrintedValueBytes int64 = 64 << 20
)

// sqlColumn is a column of a query's result as DuckDB describes it.
type sqlColumn struct{ name, typ string }

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

// boundedQuery is the read-only query q (CheckQuery passed it) wrapped so
// that DuckDB bounds each value before the driver fetches it (see
// maxPrintedValueBytes) and stops after limit+1 rows (limit 0: no cap), and
// the columns of its result. When DuckDB cannot describe q (an error in it,
// which running it reports with DuckDB's own message), it is only capped,
// as it was before values were bounded.
func boundedQuery(ctx context.Context, db *sql.DB, q, printFormat string, limit int) (string, []sqlColumn) {
	// The query starts on the wrapper's first line, so that DuckDB's
	// "LINE n" in an error is the user's line.
	body := strings.TrimRight(strings.TrimSpace(q), "; \t\n")
	from := fmt.Sprintf(" FROM (%s\n) AS q", body)
	if limit > 0 {
		from += fmt.Sprintf(" LIMIT %d", limit+1)
	}
	cols, err := describeQuery(ctx, db, "SELECT *"+from)
	if err != nil {
		return "SELECT *" + from, nil
	}
	list := make([]string, len(cols))
	for i, c := range cols {
		list[i] = boundedColumn(i+1, c.typ, printFormat) + " AS " + data.QuoteIdent(c.name)
	}
	return "SELECT " + strings.Join(list, ", ") + from, cols
}

// describeQuery is the columns of q's result: DuckDB binds q, and runs none of it.
func describeQuery(ctx context.Context, db *sql.DB, q string) ([]sqlColumn, error) {
	rows, err := db.QueryContext(ctx, "DESCRIBE "+q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cols []sqlColumn
	for rows.Next() {
		var c sqlColumn
		var null, key, def, extra sql.NullString
		if err := rows.Scan(&c.name, &c.typ, &null, &key, &def, &extra); err != nil {
			return nil, err
		}
		cols = append(cols, c)
	}
	return cols, rows.Err()
}

// boundedColumn is the expression that fetches the n-th column, of DuckDB
// type typ, bounded for the format.
func boundedColumn(n int, typ, printFormat string) string {
	col := "#" + strconv.Itoa(n)
	if fixedSize(typ) {
		return col
	}
	if typ == "VARCHAR" && printFormat == "table" {
		return fmt.Sprintf("left(%s, %d)", col, maxCellRunes+1) // more than the table shows tells it to cut
	}
	size := "strlen(CAST(" + col + " AS VARCHAR))" // a list's, a struct's, a map's text
	switch typ {
	case "VARCHAR":
		size = "strlen(" + col + ")" // in bytes
	case "BLOB":
		size = "octet_length(" + col + ")"
	}
	return fmt.Sprintf("CASE WHEN %[1]s > %[2]d THEN error('%[3]s column=%[4]d bytes=' || %[1]s) ELSE %[5]s END",
		size, valueLimit(printFormat), valueTooLarge, n, col)
}

// valueLimit is the most of one value (not a text in the table) the format fetches.
func valueLimit(printFormat string) int64 {
	if printFormat == "table" {
		return maxTableValueBytes
	}
	return maxPrintedValueBytes
}

// tooLargeError is err said in words, with what to do, when it is DuckDB's
// refusal of a value past the bound (boundedColumn); other errors are
// returned as they are.
func tooLargeError(err error, cols []sqlColumn, printFormat string) error {
	if err == nil {
		return nil
	}
	m := valueTooLargeRE.FindStringSubmatch(err.Error())
	if m == nil {
		return err
	}
	n, nerr := strconv.Atoi(m[1])
	size, serr := strconv.ParseInt(m[2], 10, 64)
	if nerr != nil || serr != nil || n < 1 || n > len(cols) {
		return err
	}
	c := cols[n-1]
	value := fmt.Sprintf("column %q holds a value of %s bytes", c.name, format.Thousands(size))
	if c.typ != "VARCHAR" && c.typ != "BLOB" {
		value += " as text"
	}
	if printFormat == "table" {
		return badInput("%s, more than the %s the table format fetches of a value other than text, of which it shows the first %d characters: "+
			"select a part of it in the query (a list's first elements: list[1:10]), or print it whole with --format csv or json (values up to %s)",
			value, mib(maxTableValueBytes), maxCellRunes, mib(maxPrintedValueBytes))
	}
	return badInput("%s, more than the %s --format %s prints of one value: select a part of it in the query (left(text, n), list[1:n]), "+
		"or see its first %d characters with --format table", value, mib(maxPrintedValueBytes), printFormat, maxCellRunes)
}

// mib writes a limit in MiB, or in bytes when it is not a whole number of them.
func mib(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return format.Thousands(n) + " bytes"
}
