package data

import (
	"database/sql"
	"encoding/json"
	"testing"
)

// TestSQLValueAsDuckDBPrints: intervals, decimals and UUIDs scanned by the
// driver print as DuckDB's own cast to VARCHAR writes them.
func TestSQLValueAsDuckDBPrints(t *testing.T) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	exprs := []string{
		"INTERVAL 75684 MICROSECONDS", "INTERVAL 500 MILLISECONDS", "INTERVAL 0 SECONDS",
		"INTERVAL '14 months 3 days 1 hour'", "INTERVAL '1 month'", "INTERVAL '1 day 26 hours 1 second'",
		"-INTERVAL '2 days 3 minutes 0.25 seconds'", "INTERVAL '-1 year 2 days'",
		"1.50", "-0.005", "123456789012345678901234567.5::DECIMAL(38,1)", "0.0", "1.50::DECIMAL(10,3)", "-12.340",
		"MAP {1: INTERVAL 3 DAYS}", "MAP {'a': 1.50}",
		"'0f6b8bd2-3b1e-4c77-9d52-3c8a3e1e2f10'::UUID",
	}
	for _, e := range exprs {
		var v any
		var want string
		if err := db.QueryRow("SELECT "+e+", ("+e+")::VARCHAR").Scan(&v, &want); err != nil {
			t.Fatalf("%s: %v", e, err)
		}
		rows, err := db.Query("SELECT " + e)
		if err != nil {
			t.Fatal(err)
		}
		types, _ := rows.ColumnTypes()
		rows.Close()
		got := SQLValue(v, types[0].DatabaseTypeName())
		if n, ok := got.(json.Number); ok {
			got = string(n) // digits as DuckDB writes them, trailing zeros too
		}
		if m, ok := got.(Map); ok {
			got = m.String()
		}
		if got != want {
			t.Errorf("%s: %v (%T), DuckDB writes %q", e, got, got, want)
		}
	}
}
