package data

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
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
		// A union prints its member alone, as DuckDB does; it read Go's
		// {map[y:2 z:1] k} (review213 B5). A UUID in a struct read its raw
		// bytes, NULs and all.
		{`union_value(k := {'z': 1, 'y': 2})`, `{"z":1,"y":2}`},
		{`[union_value(k := {'z': 1, 'y': 2})]`, `[{"z":1,"y":2}]`},
		{`{'u': '00000000-0000-0000-0000-000000000001'::UUID, 'b': 'a\x01'::BLOB}`, `{"u":"00000000-0000-0000-0000-000000000001","b":"a\\x01"}`},
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
}

// TestSQLValueMapsAsDuckDBPrints: a MAP prints as DuckDB's own cast to
// VARCHAR writes it, what it holds too: a list inside one read Go's
// {k=[1 2]} for DuckDB's {k=[1, 2]}. In JSON a map is an object, its keys
// in order, or a list of key/value pairs where its keys are not strings;
// it was a string, "{k=[1 2]}".
func TestSQLValueMapsAsDuckDBPrints(t *testing.T) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, tt := range []struct{ expr, json string }{
		{`MAP {'k': [1, 2]}`, `{"k":[1,2]}`},
		{`MAP {'b': 1, 'a': 2}`, `{"b":1,"a":2}`},
		{`MAP {'k': {'y': 1, 'x': 'q'}}`, `{"k":{"y":1,"x":"q"}}`},
		{`MAP {'k': ['a', 'b c', 'x,y', 'it''s', '', ' x', 'NULL', 'a=b']}`, `{"k":["a","b c","x,y","it's",""," x","NULL","a=b"]}`},
		{`MAP {1: [1.5, 2.25], 2: NULL}`, `[{"key":1,"value":[1.50,2.25]},{"key":2,"value":null}]`},
		{`MAP {'k': MAP {'j': [NULL, 1]}}`, `{"k":{"j":[null,1]}}`},
		{`MAP {'k': 2.0::DOUBLE, 'l': 0.1::DOUBLE, 'm': 1e20::DOUBLE, 'n': 1.5::FLOAT}`, `{"k":2,"l":0.1,"m":100000000000000000000,"n":1.5}`},
		{`MAP {'d': DATE '2026-01-02'}`, `{"d":"2026-01-02T00:00:00Z"}`},
		{`MAP {'t': TIMESTAMP '2026-01-02 03:04:05'}`, `{"t":"2026-01-02T03:04:05Z"}`},
		{`MAP {'b': true}`, `{"b":true}`},
		{`MAP {'i': INTERVAL 3 DAYS}`, `{"i":"3 days"}`},
		{`MAP {'h': 12345678901234567890::HUGEINT}`, `{"h":12345678901234567890}`},
		{`[MAP {'k': 1}, NULL]`, `[{"k":1},null]`},
		{`{'s': MAP {'k': [1, 2]}}`, `{"s":{"k":[1,2]}}`},
		// Leaves whose Go value does not tell their type (review213 B1): a
		// TIME read 0001-01-01 12:30:00, a midnight TIMESTAMP a date, a
		// TIMESTAMPTZ lost its offset, a UUID printed its raw bytes.
		{`MAP {'t': TIME '12:30:00'}`, `{"t":"0001-01-01T12:30:00Z"}`},
		{`MAP {'t': TIMESTAMP '2024-01-01 00:00:00'}`, `{"t":"2024-01-01T00:00:00Z"}`},
		{`MAP {'t': TIMESTAMPTZ '2026-12-07 06:46:58.624619+00'}`, `{"t":"2026-12-07T06:46:58.624619Z"}`},
		{`MAP {'t': [TIMESTAMP_NS '2024-01-01 00:00:00.123456789']}`, `{"t":["2024-01-01T00:00:00.123456789Z"]}`},
		{`MAP {'u': '10354a89-4d2c-4c7a-9f5f-173c55060798'::UUID}`, `{"u":"10354a89-4d2c-4c7a-9f5f-173c55060798"}`},
		{`MAP {'u': '00000000-0000-0000-0000-000000000001'::UUID}`, `{"u":"00000000-0000-0000-0000-000000000001"}`},
		{`MAP {'u': {'v': ['00000000-0000-0000-0000-000000000001'::UUID]}}`, `{"u":{"v":["00000000-0000-0000-0000-000000000001"]}}`},
		{`MAP {'b': '\xff'::BLOB}`, `{"b":"\\xFF"}`},
		{`MAP {'b': 'a\x00\x01'::BLOB}`, `{"b":"a\\x00\\x01"}`},
		{`MAP {'k': union_value(s := {'z': 1, 'y': '00000000-0000-0000-0000-000000000001'::UUID})}`, `{"k":{"z":1,"y":"00000000-0000-0000-0000-000000000001"}}`},
	} {
		var want string
		if err := db.QueryRow("SELECT (" + tt.expr + ")::VARCHAR").Scan(&want); err != nil {
			t.Fatalf("%s: %v", tt.expr, err)
		}
		v, typ := scanOne(t, db, tt.expr)
		got := SQLValue(v, typ)
		text := fmt.Sprint(got)
		if m, ok := got.(Map); ok {
			text = m.String()
		} else if nested, ok := NestedText(got); ok {
			text, want = nested, tt.json // a list or struct prints as JSON; a map inside it as an object
		}
		if text != want {
			t.Errorf("%s: %s, DuckDB writes %s", tt.expr, text, want)
		}
		if b, err := json.Marshal(JSONSafe(got)); err != nil || string(b) != tt.json {
			t.Errorf("%s: JSON %s (%v), want %s", tt.expr, b, err, tt.json)
		}
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
	zoned := st("q b", `"w"`, "e")
	zoned.inner[1] = &sqlType{kind: timestampTZKind}
	nested := st("o", "i")
	nested.inner[1] = &sqlType{kind: listKind, inner: []*sqlType{st("b", "a")}}
	tests := []struct {
		typ  string
		want *sqlType
	}{
		{`STRUCT("b" INTEGER, "a" INTEGER)`, st("b", "a")},
		{`STRUCT(b INTEGER, a VARCHAR)`, st("b", "a")},
		{`STRUCT("q b" DECIMAL(18,3), """w""" TIMESTAMP WITH TIME ZONE, "e" ENUM('x, y)', 'it''s'))`, zoned},
		{`STRUCT("o" INTEGER[], "i" STRUCT("b" INTEGER, "a" INTEGER)[2])`, nested},
		{`STRUCT("b" INTEGER)[][]`, &sqlType{kind: listKind, inner: []*sqlType{{kind: listKind, inner: []*sqlType{st("b")}}}}},
		{`MAP(VARCHAR, STRUCT("y" INTEGER))`, &sqlType{kind: mapKind, inner: []*sqlType{nil, st("y")}}},
		{`UNION("t" STRUCT("y" INTEGER), "n" INTEGER)`, &sqlType{kind: unionKind, names: []string{"t", "n"}, inner: []*sqlType{st("y"), nil}}},
		{`MAP(TIME, UUID[])`, &sqlType{kind: mapKind, inner: []*sqlType{{kind: timeKind}, {kind: listKind, inner: []*sqlType{{kind: uuidKind}}}}}},
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

// TestCheckReadableNamesTheColumn: a column holding a MAP keyed by what
// the driver cannot scan (a struct, a list) is named, counted from 1, with
// its type, before a row is read; the driver's own error named none
// ("MAP key type not supported: index: 1"). Maps it reads pass.
func TestCheckReadableNamesTheColumn(t *testing.T) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, tt := range []struct{ query, want string }{
		{`SELECT 1 AS a, MAP {{'y': 1, 'x': 2}: 3} AS m`, `column 2 ("m") is MAP(STRUCT("y" INTEGER, "x" INTEGER), INTEGER), which the DuckDB Go driver cannot read (a MAP keyed by STRUCT("y" INTEGER, "x" INTEGER))`},
		{`SELECT [MAP {[1]: 2}] AS l`, `column 1 ("l") is MAP(INTEGER[], INTEGER)[], which the DuckDB Go driver cannot read (a MAP keyed by INTEGER[])`},
		{`SELECT MAP {'k': MAP {1: 2}} AS ok, {'s': MAP {DATE '2026-01-02': [1]}} AS ok2`, ""},
	} {
		rows, err := db.Query(tt.query)
		if err != nil {
			t.Fatalf("%s: %v", tt.query, err)
		}
		types, err := rows.ColumnTypes()
		if err != nil {
			t.Fatal(err)
		}
		err = CheckReadable(types)
		if tt.want == "" {
			for rows.Next() { // the driver does read them
			}
			if err != nil || rows.Err() != nil {
				t.Errorf("%s: %v, driver %v", tt.query, err, rows.Err())
			}
		} else if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %s", tt.query, err, tt.want)
		}
		rows.Close()
	}
}
