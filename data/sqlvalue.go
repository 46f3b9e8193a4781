package data

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	duckdb "github.com/duckdb/duckdb-go/v2"
)

// ColumnType is a column's DuckDB type name read once, so that a reader of
// many rows converts each cell (Value) without reading the name again.
type ColumnType struct{ t *sqlType }

// ParseColumnType reads typ (sql.ColumnType.DatabaseTypeName) for Value.
func ParseColumnType(typ string) ColumnType { return ColumnType{parseSQLType(typ)} }

// Value turns a value the DuckDB driver scans into any, for a column of
// the type (ParseColumnType), into one that prints as DuckDB's own
// clients print it: a UUID (16 raw bytes) as its hyphenated text, an
// INTERVAL as DuckDB writes it (1 month 2 days 03:04:05.5), a DECIMAL as a
// json.Number of its exact digits (so JSON keeps it a number), a MAP as a
// Map (which prints as DuckDB writes it, {k=[1, 2]}, and writes to JSON as
// an object), a STRUCT as a Struct of its fields in the order the type
// declares them (the driver's map has none), a UNION as its member alone,
// as DuckDB prints it. Inside lists, structs, maps and unions too, as the
// type names theirs. Other values are returned as they are.
func (c ColumnType) Value(v any) any { return sqlNested(v, c.t) }

// uuidText is a UUID's 16 bytes as its hyphenated text.
func uuidText(b []byte) string {
	h := hex.EncodeToString(b)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// sqlNested is ColumnType.Value inside lists and structs (mapNested), of type t.
func sqlNested(v any, t *sqlType) any { return mapNested(v, t, sqlLeaf) }

// sqlLeaf is sqlNested on a value that is neither a list nor a struct.
func sqlLeaf(v any, t *sqlType) any {
	switch x := v.(type) {
	case []byte:
		if t != nil && t.kind == uuidKind && len(x) == 16 {
			return uuidText(x)
		}
	case duckdb.Union:
		return sqlNested(x.Value, t.member(x.Tag))
	case duckdb.Decimal:
		if x.Value == nil {
			return nil
		}
		return json.Number(decimalText(x))
	case duckdb.Interval:
		return FormatInterval(x)
	case duckdb.OrderedMap:
		return mapNested(Map{Keys: x.Keys(), Values: x.Values()}, t, sqlLeaf)
	case *duckdb.OrderedMap:
		if x == nil {
			return nil
		}
		return mapNested(Map{Keys: x.Keys(), Values: x.Values()}, t, sqlLeaf)
	}
	return v
}

// mapNested applies leaf to every value inside lists ([]any), structs
// (map[string]any, Struct) and maps (Map, keys too), copying them, and to
// v itself when it is none of them. t is v's type, nil where unknown: a map[string]any of a STRUCT
// type that names its keys becomes a Struct, its fields in the declared
// order.
func mapNested(v any, t *sqlType, leaf func(any, *sqlType) any) any {
	switch x := v.(type) {
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = mapNested(e, t.elem(listKind, 0), leaf)
		}
		return out
	case map[string]any:
		if s, ok := orderStruct(x, t); ok {
			return mapNested(s, t, leaf)
		}
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = mapNested(e, nil, leaf)
		}
		return out
	case Struct:
		out := Struct{Names: x.Names, Values: make([]any, len(x.Values))}
		for i, e := range x.Values {
			out.Values[i] = mapNested(e, t.elem(structKind, i), leaf)
		}
		return out
	case Map:
		out := Map{Keys: make([]any, len(x.Keys)), Values: make([]any, len(x.Values)), typ: x.typ}
		if t != nil {
			out.typ = t
		}
		for i := range x.Keys {
			out.Keys[i] = mapNested(x.Keys[i], t.elem(mapKind, 0), leaf)
			out.Values[i] = mapNested(x.Values[i], t.elem(mapKind, 1), leaf)
		}
		return out
	}
	return leaf(v, t)
}

// orderStruct is m as a Struct in the order of t's fields, where t is a
// STRUCT whose fields are m's keys.
func orderStruct(m map[string]any, t *sqlType) (Struct, bool) {
	if t == nil || t.kind != structKind || len(t.names) != len(m) {
		return Struct{}, false
	}
	s := Struct{Names: t.names, Values: make([]any, len(t.names))}
	for i, name := range t.names {
		v, ok := m[name]
		if !ok {
			return Struct{}, false
		}
		s.Values[i] = v
	}
	return s, true
}

// decimalText writes a DECIMAL with its scale's digits, as DuckDB does
// (1.50 for DECIMAL(3,2), where the driver's String trims it to 1.5).
func decimalText(d duckdb.Decimal) string {
	digits := new(big.Int).Abs(d.Value).String()
	sign := ""
	if d.Value.Sign() < 0 {
		sign = "-"
	}
	scale := int(d.Scale)
	if scale == 0 {
		return sign + digits
	}
	if len(digits) <= scale {
		digits = strings.Repeat("0", scale-len(digits)+1) + digits
	}
	return sign + digits[:len(digits)-scale] + "." + digits[len(digits)-scale:]
}

// FormatInterval writes an INTERVAL as DuckDB's CLI does: months as years
// and months, then days, then the time of day to the microsecond, each part
// only where it is not zero (00:00:00 for an empty interval).
func FormatInterval(iv duckdb.Interval) string {
	var parts []string
	unit := func(n int64, one string) {
		if n == 0 {
			return
		}
		s := one
		if n != 1 && n != -1 {
			s += "s"
		}
		parts = append(parts, fmt.Sprintf("%d %s", n, s))
	}
	unit(int64(iv.Months)/12, "year")
	unit(int64(iv.Months)%12, "month")
	unit(int64(iv.Days), "day")
	if us := iv.Micros; us != 0 || len(parts) == 0 {
		sign := ""
		if us < 0 {
			sign, us = "-", -us
		}
		t := fmt.Sprintf("%s%02d:%02d:%02d", sign, us/3_600_000_000, us/60_000_000%60, us/1_000_000%60)
		if frac := us % 1_000_000; frac != 0 {
			t += strings.TrimRight(fmt.Sprintf(".%06d", frac), "0")
		}
		parts = append(parts, t)
	}
	return strings.Join(parts, " ")
}

// NestedText writes a list or a struct, as ColumnType.Value returns them,
// as JSON ([1,2,3], {"a":1}), as aiecon sql prints them in a table or a CSV,
// and the dashboard's SQL console too: Go's own form ([a b c], map[a:1])
// read ['a b','c'] as three elements. A Struct keeps its fields' order.
// ok is false for any other value, or one that JSON cannot hold.
func NestedText(v any) (text string, ok bool) {
	switch v.(type) {
	case []any, map[string]any, Struct:
		if b, err := json.Marshal(JSONSafe(v)); err == nil {
			return string(b), true
		}
	}
	return "", false
}

// JSONSafe is v as encoding/json can write it, inside lists and structs
// too: NaN and infinities become null, times RFC 3339 strings, bytes their
// text (valid UTF-8 as it is, else \x and hex digits), a big integer a
// json.Number of its digits.
func JSONSafe(v any) any { return mapNested(v, nil, jsonLeaf) }

// jsonLeaf is JSONSafe on a value that is neither a list nor a struct.
func jsonLeaf(v any, _ *sqlType) any {
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
		return BytesText(x)
	case *big.Int:
		return json.Number(x.String())
	}
	return v
}

// BytesText is bytes as text: as they are where they are UTF-8 text with
// no control character, else as DuckDB writes a BLOB (\xFF for each byte
// outside printable ASCII), so that no raw control byte reaches a terminal,
// a CSV or a JSON string.
func BytesText(b []byte) string {
	if utf8.Valid(b) && strings.IndexFunc(string(b), unicode.IsControl) < 0 {
		return string(b)
	}
	var s strings.Builder
	for _, c := range b {
		if c >= 0x20 && c < 0x7f && c != '\\' {
			s.WriteByte(c)
			continue
		}
		fmt.Fprintf(&s, "\\x%02X", c)
	}
	return s.String()
}
