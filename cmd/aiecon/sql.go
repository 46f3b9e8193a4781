package main

import (
	"bytes"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	duckdb "github.com/duckdb/duckdb-go/v2"
	"github.com/spf13/cobra"
)

func init() { register(newSQLCmd) }

func newSQLCmd(e *env) *cobra.Command {
	var format string
	var write bool
	cmd := &cobra.Command{
		Use:   `sql ["QUERY" | -]`,
		Short: "Run SQL against the store and print the result",
		Long: `Run a DuckDB SQL query against the store and print the result as a table,
CSV or JSON (an array of objects). With no argument, or "-", the query is read
from standard input.

The store is opened read-only, so a query cannot change it and other readers
may use it at the same time; --write opens it read-write (and creates it if
missing). 'aiecon schema' lists the tables and views; run_summary has one row
per run with its headline KPIs.`,
		Example: `  aiecon sql "SELECT run_id, name, cost_per_mtok_usd, margin_usd FROM run_summary"
  aiecon sql --format csv "SELECT * FROM windows_v WHERE run_id = '01jf3k9x2a7bq4z'" > windows.csv
  echo "SELECT workload_name, quantile_cont(ttft_s, 0.99) FROM requests_v GROUP BY 1" | aiecon sql
  aiecon sql --write "DELETE FROM runs WHERE status = 'failed'"`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "table", "csv", "json"); err != nil {
				return err
			}
			query := ""
			if len(args) == 1 && args[0] != "-" {
				query = args[0]
			} else {
				b, err := io.ReadAll(e.stdin)
				if err != nil {
					return fmt.Errorf("reading the query from standard input: %w", err)
				}
				query = string(b)
			}
			if strings.TrimSpace(query) == "" {
				return badInput("no query: give one as an argument or on standard input")
			}
			store, err := openStore(e, !write)
			if err != nil {
				return err
			}
			defer store.Close()
			rows, err := store.DB().QueryContext(cmd.Context(), query)
			if err != nil {
				// DuckDB refuses a write to a read-only store as invalid input.
				var de *duckdb.Error
				if !write && errors.As(err, &de) && de.Type == duckdb.ErrorTypeInvalidInput {
					return badInput("%v\n(the store is opened read-only; add --write to change it)", err)
				}
				return asUsage(fmt.Errorf("query failed: %w", err))
			}
			defer rows.Close()
			return printRows(e.stdout, rows, format)
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "output format: table, csv or json")
	cmd.Flags().BoolVar(&write, "write", false, "open the store read-write so the query may change it")
	return cmd
}

// printRows streams a result set; only the table format holds it in memory
// (tabwriter needs every row to size its columns).
func printRows(out io.Writer, rows *sql.Rows, format string) error {
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var tw *tabwriter.Writer
	var cw *csv.Writer
	switch format {
	case "table":
		tw = tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, strings.Join(cols, "\t"))
	case "csv":
		cw = csv.NewWriter(out)
		_ = cw.Write(cols)
	case "json":
		fmt.Fprint(out, "[")
	}
	n := 0
	cells := make([]string, len(cols))
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		switch format {
		case "table":
			for i, v := range vals {
				cells[i] = strings.ReplaceAll(textValue(v, "NULL"), "\t", " ")
			}
			fmt.Fprintln(tw, strings.Join(cells, "\t"))
		case "csv":
			for i, v := range vals {
				cells[i] = textValue(v, "")
			}
			_ = cw.Write(cells)
		case "json":
			var b bytes.Buffer
			if n > 0 {
				b.WriteString(",")
			}
			b.WriteString("\n  {")
			for i, c := range cols {
				if i > 0 {
					b.WriteString(", ")
				}
				k, _ := json.Marshal(c)
				b.Write(k)
				b.WriteString(": ")
				b.Write(jsonValue(vals[i]))
			}
			b.WriteString("}")
			if _, err := out.Write(b.Bytes()); err != nil {
				return err
			}
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return err
	}
	switch format {
	case "table":
		if err := tw.Flush(); err != nil {
			return err
		}
		plural := "s"
		if n == 1 {
			plural = ""
		}
		_, err = fmt.Fprintf(out, "(%d row%s)\n", n, plural)
		return err
	case "csv":
		cw.Flush()
		return cw.Error()
	}
	if n > 0 {
		fmt.Fprint(out, "\n")
	}
	_, err = fmt.Fprintln(out, "]")
	return err
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
		b, err := json.Marshal(jsonSafe(x))
		if err == nil {
			return string(b)
		}
	}
	return fmt.Sprint(v)
}

// jsonValue renders a value as JSON: NaN and infinities become null, times
// RFC 3339 strings, and what encoding/json cannot take its text form.
func jsonValue(v any) []byte {
	b, err := json.Marshal(jsonSafe(v))
	if err != nil {
		b, _ = json.Marshal(textValue(v, ""))
	}
	return b
}

func jsonSafe(v any) any {
	switch x := v.(type) {
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil
		}
	case float32:
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			return nil
		}
	case time.Time:
		return x.Format(time.RFC3339Nano)
	case []byte:
		return textValue(x, "")
	case *big.Int:
		return json.Number(x.String())
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = jsonSafe(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = jsonSafe(e)
		}
		return out
	}
	return v
}
