package data

import (
	"database/sql"
	"encoding/json"
	"reflect"
	"testing"
)

// TestSQLValueStructsInDeclaredOrder: a STRUCT prints its fields in the
// order it declares them, as DuckDB does, at any depth (in a list, an
// array, a struct, a map's value), for the dashboard's console and for
// aiecon sql's table, CSV and JSON: the driver's map[string]any printed
// {'b': 1, 'a': 2} as {"a":2,"b":1}.
func TestSQLValueStructsInDeclaredOrder(t *testing.T) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tests := []struct{ expr, want string }{
		{`{'b': 1, 'a': 2}`, `{"b":1,"a":2}`},
		{`[{'z': 1, 'y': 2}, {'z': 3, 'y': 4}]`, `[{"z":1,"y":2},{"z":3,"y":4}]`},
		{`{'q b': {'d': 1, 'c': 'x'}, '"w"': [1], 'a': 1.50}`, `{"q b":{"d":1,"c":"x"},"\"w\"":[1],"a":1.50}`},
		{`[[{'y': 1, 'x': INTERVAL 1 DAY}]]`, `[[{"y":1,"x":"1 day"}]]`},
		{`[{'y': 1, 'x': 2}, {'y': 3, 'x': 4}]::STRUCT(y INT, x INT)[2]`, `[{"y":1,"x":2},{"y":3,"x":4}]`},
		{`{'e': 'b'::ENUM('a,)', 'b'), 'd': 1.5::DECIMAL(4,2), 'c': TIMESTAMPTZ '2026-01-02 03:04:05+00'}`, `{"e":"b","d":1.50,"c":"2026-01-02T03:04:05Z"}`},
	}
	for _, tt := range tests {
		v, typ := scanOne(t, db, tt.expr)
		got := SQLValue(v, typ)
		if text, ok := NestedText(got); !ok || text != tt.want {
			t.Errorf("%s (%s): NestedText %q, want %q", tt.expr, typ, text, tt.want)
		}
		if b, err := json.Marshal(JSONSafe(got)); err != nil || string(b) != tt.want {
			t.Errorf("%s: JSON %s (%v), want %s", tt.expr, b, err, tt.want)
		}
	}
	// A MAP's struct values, in DuckDB's {key=value} form.
	v, typ := scanOne(t, db, `MAP {'k': {'y': 1, 'x': 2}}`)
	if got, want := SQLValue(v, typ), `{k={"y":1,"x":2}}`; got != want {
		t.Errorf("MAP of a struct: %v, want %s", got, want)
	}
}

// scanOne is the value of expr as the driver scans it into any, with its
// column's type name.
func scanOne(t *testing.T, db *sql.DB, expr string) (any, string) {
	t.Helper()
	rows, err := db.Query("SELECT " + expr)
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	defer rows.Close()
	types, err := rows.ColumnTypes()
	if err != nil || !rows.Next() {
		t.Fatalf("%s: no row (%v)", expr, err)
	}
	var v any
	if err := rows.Scan(&v); err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v, types[0].DatabaseTypeName()
}

// TestParseSQLType: the field names of the STRUCTs in a DuckDB type name,
// in order, through lists, arrays and maps, past types whose parentheses
// and quotes hold commas; nil for a type without a STRUCT or a name that
// does not read as a type.
func TestParseSQLType(t *testing.T) {
	st := func(names ...string) *sqlType {
		return &sqlType{kind: structKind, names: names, inner: make([]*sqlType, len(names))}
	}
	nested := st("o", "i")
	nested.inner[1] = &sqlType{kind: listKind, inner: []*sqlType{st("b", "a")}}
	tests := []struct {
		typ  string
		want *sqlType
	}{
		{`STRUCT("b" INTEGER, "a" INTEGER)`, st("b", "a")},
		{`STRUCT(b INTEGER, a VARCHAR)`, st("b", "a")},
		{`STRUCT("q b" DECIMAL(18,3), """w""" TIMESTAMP WITH TIME ZONE, "e" ENUM('x, y)', 'it''s'))`, st("q b", `"w"`, "e")},
		{`STRUCT("o" INTEGER[], "i" STRUCT("b" INTEGER, "a" INTEGER)[2])`, nested},
		{`STRUCT("b" INTEGER)[][]`, &sqlType{kind: listKind, inner: []*sqlType{{kind: listKind, inner: []*sqlType{st("b")}}}}},
		{`MAP(VARCHAR, STRUCT("y" INTEGER))`, &sqlType{kind: mapKind, inner: []*sqlType{nil, st("y")}}},
		{`UNION("t" STRUCT("y" INTEGER))`, nil},
		{`INTEGER[]`, nil},
		{`DECIMAL(18,3)`, nil},
		{`STRUCT("b" INTEGER`, nil},
		{`STRUCT("b INTEGER)`, nil},
		{`STRUCT("b" INTEGER) trailing)`, nil},
	}
	for _, tt := range tests {
		if got := parseSQLType(tt.typ); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("parseSQLType(%s) = %+v, want %+v", tt.typ, got, tt.want)
		}
	}
}
