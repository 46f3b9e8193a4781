package data

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
)

// Map is a DuckDB MAP as ColumnType.Value returns it: its keys and values
// in the MAP's order, converted as Value converts values inside lists. It
// prints as DuckDB prints a MAP ({k=[1, 2]}, where the driver's values
// under Go's %v read {k=[1 2]}) and writes to JSON as an object, or, where
// some key is not a string, as a list of {"key": ..., "value": ...}
// (a MAP's keys can be numbers, dates or lists; JSON's are strings).
type Map struct {
	Keys, Values []any
	typ          *sqlType // the MAP's type, where known: its leaves' text needs it
}

// String writes the map as DuckDB's cast to VARCHAR does: {key=value, ...},
// lists as [a, b], structs as {'name': value}, NULL for a null, and a
// text quoted ('x,y', 'it\'s') where it holds what would misread.
func (m Map) String() string {
	var b strings.Builder
	writeDuckMap(&b, m, m.typ)
	return b.String()
}

// MarshalJSON writes the map as a JSON object, its keys in order, where
// every key is a string (JSONSafe writes a time as one), else as a list of
// key/value objects.
func (m Map) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	objects := !m.stringKeys()
	b.WriteByte("{["[btoi(objects)])
	for i, k := range m.Keys {
		if i > 0 {
			b.WriteByte(',')
		}
		key, err := json.Marshal(k)
		if err != nil {
			return nil, fmt.Errorf("map key %v: %w", k, err)
		}
		val, err := json.Marshal(m.Values[i])
		if err != nil {
			return nil, fmt.Errorf("map value of key %v: %w", k, err)
		}
		if objects {
			b.WriteString(`{"key":`)
			b.Write(key)
			b.WriteString(`,"value":`)
			b.Write(val)
			b.WriteByte('}')
			continue
		}
		b.Write(key)
		b.WriteByte(':')
		b.Write(val)
	}
	b.WriteByte("}]"[btoi(objects)])
	return b.Bytes(), nil
}

// stringKeys says whether every key of m is a string.
func (m Map) stringKeys() bool {
	for _, k := range m.Keys {
		if _, ok := k.(string); !ok {
			return false
		}
	}
	return true
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// writeDuckMap writes m as DuckDB does: {key=value, ...}.
// t is m's type, nil where unknown.
func writeDuckMap(b *strings.Builder, m Map, t *sqlType) {
	b.WriteByte('{')
	for i, k := range m.Keys {
		if i > 0 {
			b.WriteString(", ")
		}
		writeDuck(b, k, t.elem(mapKind, 0))
		b.WriteByte('=')
		writeDuck(b, m.Values[i], t.elem(mapKind, 1))
	}
	b.WriteByte('}')
}

// writeDuck writes a value inside a MAP as DuckDB's cast to VARCHAR
// writes it there; t is v's type, nil where unknown.
func writeDuck(b *strings.Builder, v any, t *sqlType) {
	switch x := v.(type) {
	case nil:
		b.WriteString("NULL")
	case Map:
		if t == nil {
			t = x.typ
		}
		writeDuckMap(b, x, t)
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteString(", ")
			}
			writeDuck(b, e, t.elem(listKind, 0))
		}
		b.WriteByte(']')
	case Struct:
		b.WriteByte('{')
		for i, name := range x.Names {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(quoteDuck(name, true))
			b.WriteString(": ")
			writeDuck(b, x.Values[i], t.elem(structKind, i))
		}
		b.WriteByte('}')
	default:
		b.WriteString(quoteDuck(duckLeafText(x, t), false))
	}
}

// duckLeafText is a value that is neither a list, a struct nor a map as
// DuckDB writes it: a double in its shortest form with ".0" on a whole
// number (2.0, 1e+20), a time as its type t prints it, bytes as text (a
// UUID hyphenated).
func duckLeafText(v any, t *sqlType) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return duckFloat(x, 64)
	case float32:
		return duckFloat(float64(x), 32)
	case time.Time:
		return duckTime(x, t)
	case []byte:
		if t != nil && t.kind == uuidKind && len(x) == 16 {
			return uuidText(x)
		}
		return BytesText(x)
	case *big.Int:
		return x.String()
	}
	return fmt.Sprint(v)
}

// duckTime writes a time as DuckDB writes a value of type t: a TIME
// without a date, a DATE without a time, a TIMESTAMP with its time even at
// midnight, a TIMESTAMPTZ with its offset (+00, +05:30). Where t is
// unknown, a time at midnight reads as a date.
func duckTime(x time.Time, t *sqlType) string {
	const stamp = "2006-01-02 15:04:05.999999"
	kind := sqlKind(0)
	if t != nil {
		kind = t.kind
	}
	switch kind {
	case timeKind:
		return x.Format("15:04:05.999999")
	case dateKind:
		return x.Format("2006-01-02")
	case timestampKind:
		return x.Format(stamp)
	case timestampNSKind:
		return x.Format("2006-01-02 15:04:05.999999999")
	case timestampTZKind:
		_, off := x.Zone()
		zone := x.Format("-07")
		if off%3600 != 0 {
			zone = x.Format("-07:00")
		}
		return x.Format(stamp) + zone
	}
	if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0 {
		return x.Format("2006-01-02")
	}
	return x.Format(stamp)
}

// duckFloat writes a floating-point number of bits bits as DuckDB does.
func duckFloat(f float64, bits int) string {
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	s := strconv.FormatFloat(f, 'g', -1, bits)
	if !strings.ContainsAny(s, ".eEn") {
		s += ".0"
	}
	return s
}

// quoteDuck is s as DuckDB writes a text inside a MAP, a list or a struct:
// in single quotes (a quote escaped \') where it is empty, starts or ends
// with a space, reads NULL, or holds a character of the nested syntax;
// always quoted where always (a struct's field names).
func quoteDuck(s string, always bool) string {
	if !always && s != "" && !strings.ContainsAny(s, `,'"():={}[]`) && strings.TrimSpace(s) == s && !strings.EqualFold(s, "NULL") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `\'`) + "'"
}

// CheckReadable says which column of a result, if any, the DuckDB driver
// cannot scan: one that holds a MAP keyed by a LIST, an ARRAY, a STRUCT, a
// MAP, a UNION, a BLOB, a BIT or a GEOMETRY, which the driver refuses
// with "MAP key type not supported: index: 1", naming no column (nor
// counting from 1). The error names the column and a way to read it.
func CheckReadable(types []*sql.ColumnType) error {
	for i, t := range types {
		if key := unreadableMapKey(t.DatabaseTypeName()); key != "" {
			return fmt.Errorf("column %d (%q) is %s, which the DuckDB Go driver cannot read (a MAP keyed by %s): "+
				"cast it to VARCHAR in the query for DuckDB's text of it, or select map_entries() of it", i+1, t.Name(), t.DatabaseTypeName(), key)
		}
	}
	return nil
}

// unreadableMapKey is the key type of the first MAP inside typ whose keys
// the driver cannot scan, "" where none is.
func unreadableMapKey(typ string) string {
	if !strings.Contains(typ, "MAP(") {
		return ""
	}
	p := typeParser{s: typ, ok: true}
	p.typ()
	for _, k := range p.mapKeys {
		switch {
		case strings.HasPrefix(k, "STRUCT("), strings.HasPrefix(k, "MAP("), strings.HasPrefix(k, "UNION("),
			strings.HasSuffix(k, "]"), k == "BLOB", k == "BIT", strings.HasPrefix(k, "GEOMETRY"):
			return k
		}
	}
	return ""
}
