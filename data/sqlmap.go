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
	"unicode/utf8"
)

// Map is a DuckDB MAP as SQLValue returns it: its keys and values in the
// MAP's order, converted as SQLValue converts values inside lists. It
// prints as DuckDB prints a MAP ({k=[1, 2]}, where the driver's values
// under Go's %v read {k=[1 2]}) and writes to JSON as an object, or, where
// some key is not a string, as a list of {"key": ..., "value": ...}
// (a MAP's keys can be numbers, dates or lists; JSON's are strings).
type Map struct {
	Keys, Values []any
}

// String writes the map as DuckDB's cast to VARCHAR does: {key=value, ...},
// lists as [a, b], structs as {'name': value}, NULL for a null, and a
// text quoted ('x,y', 'it\'s') where it holds what would misread.
func (m Map) String() string {
	var b strings.Builder
	writeDuckMap(&b, m)
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
func writeDuckMap(b *strings.Builder, m Map) {
	b.WriteByte('{')
	for i, k := range m.Keys {
		if i > 0 {
			b.WriteString(", ")
		}
		writeDuck(b, k)
		b.WriteByte('=')
		writeDuck(b, m.Values[i])
	}
	b.WriteByte('}')
}

// writeDuck writes a value inside a MAP as DuckDB's cast to VARCHAR
// writes it there.
func writeDuck(b *strings.Builder, v any) {
	switch x := v.(type) {
	case nil:
		b.WriteString("NULL")
	case Map:
		writeDuckMap(b, x)
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteString(", ")
			}
			writeDuck(b, e)
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
			writeDuck(b, x.Values[i])
		}
		b.WriteByte('}')
	default:
		b.WriteString(quoteDuck(duckLeafText(x), false))
	}
}

// duckLeafText is a value that is neither a list, a struct nor a map as
// DuckDB writes it: a double in its shortest form with ".0" on a whole
// number (2.0, 1e+20), a date without a time, bytes as text.
func duckLeafText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return duckFloat(x, 64)
	case float32:
		return duckFloat(float64(x), 32)
	case time.Time:
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0 {
			return x.Format("2006-01-02")
		}
		return x.Format("2006-01-02 15:04:05.999999")
	case []byte:
		if utf8.Valid(x) {
			return string(x)
		}
		return fmt.Sprintf("\\x%x", x)
	case *big.Int:
		return x.String()
	}
	return fmt.Sprint(v)
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
