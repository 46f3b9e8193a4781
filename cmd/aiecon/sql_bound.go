package main

import (
	"context"
	"database/sql"
	"fmt"

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

// sqlBounds are the bounds of a query printed in the format
// (data.BoundQuery): the table fetches of a text what it shows and one
// character more, which tells it to cut.
func sqlBounds(printFormat string) data.ValueBounds {
	if printFormat == "table" {
		return data.ValueBounds{TextRunes: maxCellRunes + 1, MaxBytes: maxTableValueBytes}
	}
	return data.ValueBounds{MaxBytes: maxPrintedValueBytes}
}

// boundedQuery is the read-only query q (CheckQuery passed it) wrapped so
// that DuckDB bounds each value before the driver fetches it (see
// maxPrintedValueBytes) and stops after limit+1 rows (limit 0: no cap).
// When DuckDB cannot describe q (an error in it, which running it reports
// with DuckDB's own message), it is only capped, as it was before values
// were bounded.
func boundedQuery(ctx context.Context, db *sql.DB, q, printFormat string, limit int) (string, data.BoundedQuery) {
	b := data.BoundQuery(ctx, db, q, sqlBounds(printFormat))
	sel := b.Select
	if limit > 0 {
		sel += fmt.Sprintf(" LIMIT %d", limit+1)
	}
	return sel, b
}

// tooLargeError is err said in words, with what to do, when it is DuckDB's
// refusal of a value past the bound (data.BoundedQuery.TooLarge); other
// errors are returned as they are.
func tooLargeError(err error, b data.BoundedQuery, printFormat string) error {
	c, size, ok := b.TooLarge(err)
	if !ok {
		return err
	}
	value := fmt.Sprintf("column %q holds a value of %s bytes", c.Name, format.Thousands(size))
	if c.Type != "VARCHAR" && c.Type != "BLOB" {
		value += " as text"
	}
	if printFormat == "table" {
		return badInput("%s, more than the %s the table format fetches of a value other than text, of which it shows the first %d characters: "+
			"select a part of it in the query (a list's first elements: list[1:10]), or print it whole with --format csv or json (values up to %s)",
			value, format.SizeLimit(maxTableValueBytes), maxCellRunes, format.SizeLimit(maxPrintedValueBytes))
	}
	return badInput("%s, more than the %s --format %s prints of one value: select a part of it in the query (left(text, n), list[1:n]), "+
		"or see its first %d characters with --format table", value, format.SizeLimit(maxPrintedValueBytes), printFormat, maxCellRunes)
}
