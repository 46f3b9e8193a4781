package data

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// Struct is a DuckDB STRUCT as ColumnType.Value returns it: its fields in
// the order the STRUCT declares them, as DuckDB prints them ({'b': 1, 'a': 2}). The
// driver scans a struct into a map[string]any, which has no order, and
// encoding/json writes a map's keys sorted: {"a":2,"b":1}.
type Struct struct {
	Names  []string
	Values []any
}

// MarshalJSON writes the struct as a JSON object, its fields in order.
func (s Struct) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, name := range s.Names {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := json.Marshal(name)
		if err != nil {
			return nil, err
		}
		v, err := json.Marshal(s.Values[i])
		if err != nil {
			return nil, fmt.Errorf("struct field %q: %w", name, err)
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// String is the struct as NestedText writes it, JSON in order rather than
// Go's {[b a] [1 2]} (inside a Map it prints as DuckDB writes it).
func (s Struct) String() string {
	if text, ok := NestedText(s); ok {
		return text
	}
	parts := make([]string, len(s.Names))
	for i, name := range s.Names {
		parts[i] = fmt.Sprintf("%s: %v", name, s.Values[i])
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// sqlType is what printing a value needs of its DuckDB type, as
// sql.ColumnType.DatabaseTypeName writes it: the field names of each
// STRUCT in their declared order (STRUCT("b" INTEGER, "a" INTEGER)), and
// the types inside lists, arrays and maps that lead to one. A nil *sqlType
// knows nothing: values under it keep the driver's form.
type sqlType struct {
	kind  sqlKind
	names []string   // a struct's fields, in order
	inner []*sqlType // a struct's field types; a list's element; a map's key and value
}

type sqlKind int

const (
	structKind sqlKind = iota + 1
	listKind           // a list (T[]) or an array (T[3])
	mapKind
	unionKind // its members as a struct's fields
	// Leaves whose text inside a MAP the driver's Go value does not tell:
	// a UUID scans as 16 bytes, a TIME, a DATE and a TIMESTAMP (zoned or
	// not) as a time.Time.
	uuidKind
	timeKind
	dateKind
	timestampKind
	timestampNSKind
	timestampTZKind
)

// leafKinds are the DuckDB type names of the leaves that need their type
// to print as DuckDB prints them.
var leafKinds = map[string]sqlKind{
	"UUID": uuidKind, "TIME": timeKind, "DATE": dateKind,
	"TIMESTAMP": timestampKind, "TIMESTAMP_S": timestampKind, "TIMESTAMP_MS": timestampKind,
	"TIMESTAMP_NS":             timestampNSKind,
	"TIMESTAMP WITH TIME ZONE": timestampTZKind, "TIMESTAMPTZ": timestampTZKind,
}

// elem is the i-th type inside t, nil where t has none.
func (t *sqlType) elem(kind sqlKind, i int) *sqlType {
	if t == nil || t.kind != kind || i >= len(t.inner) {
		return nil
	}
	return t.inner[i]
}

// member is the type of t's union member tag, nil where t is not a union
// or names no such member.
func (t *sqlType) member(tag string) *sqlType {
	if t == nil || t.kind != unionKind {
		return nil
	}
	for i, name := range t.names {
		if name == tag {
			return t.inner[i]
		}
	}
	return nil
}

// parseSQLType reads a DuckDB type name. It is nil where the type holds
// no STRUCT, UNION nor leaf of leafKinds, and where the name does not read
// as DuckDB writes types (its values then print as the driver scans them,
// a struct's fields sorted).
func parseSQLType(typ string) *sqlType {
	p := typeParser{s: typ, ok: true}
	t := p.typ()
	if !p.ok || p.i != len(p.s) {
		return nil
	}
	return t
}

// typeParser reads a DuckDB type name from s at i; ok turns false at the
// first thing it does not expect.
type typeParser struct {
	s  string
	i  int
	ok bool
	// mapKeys are the key types of the MAPs read, as written.
	mapKeys []string
}

// typ reads one type, with its list and array suffixes.
func (p *typeParser) typ() *sqlType {
	var t *sqlType
	p.spaces()
	switch {
	case p.eat("STRUCT("):
		t = p.fields()
	case p.eat("UNION("):
		t = p.fields()
		t.kind = unionKind
	case p.eat("MAP("):
		start := p.i
		key := p.typ()
		p.mapKeys = append(p.mapKeys, strings.TrimSpace(p.s[start:p.i]))
		p.expect(",")
		val := p.typ()
		p.expect(")")
		if key != nil || val != nil {
			t = &sqlType{kind: mapKind, inner: []*sqlType{key, val}}
		}
	default:
		start := p.i
		p.skipName()
		if kind, ok := leafKinds[strings.TrimSpace(p.s[start:p.i])]; ok {
			t = &sqlType{kind: kind}
		}
	}
	for p.ok && p.eat("[") {
		p.skipPast(']')
		if t != nil {
			t = &sqlType{kind: listKind, inner: []*sqlType{t}}
		}
	}
	return t
}

// fields reads a STRUCT's or a UNION's fields after its "(", through ")".
func (p *typeParser) fields() *sqlType {
	t := &sqlType{kind: structKind}
	for p.ok {
		t.names = append(t.names, p.ident())
		p.expect(" ")
		t.inner = append(t.inner, p.typ())
		if !p.eat(",") {
			p.expect(")")
			break
		}
	}
	return t
}

// ident reads a field's name: "quoted", a doubled quote for a quote in it,
// as DuckDB writes names, or bare up to the space before its type.
func (p *typeParser) ident() string {
	p.spaces()
	if !p.eat(`"`) {
		start := p.i
		for p.i < len(p.s) && p.s[p.i] != ' ' {
			p.i++
		}
		return p.s[start:p.i]
	}
	var b strings.Builder
	for p.i < len(p.s) {
		c := p.s[p.i]
		p.i++
		if c != '"' {
			b.WriteByte(c)
			continue
		}
		if !p.eat(`"`) {
			return b.String()
		}
		b.WriteByte('"')
	}
	p.ok = false
	return ""
}

// skipName passes a type without fields (INTEGER, DECIMAL(18,3),
// TIMESTAMP WITH TIME ZONE, ENUM('a', 'b')): up to a ",", ")" or "[" that
// is outside its parentheses and quotes.
func (p *typeParser) skipName() {
	start, depth := p.i, 0
	for p.ok && p.i < len(p.s) {
		switch c := p.s[p.i]; {
		case c == '\'' || c == '"':
			p.i++
			p.skipPast(c)
			continue
		case c == '(':
			depth++
		case c == ')' && depth == 0, c == ',' && depth == 0, c == '[' && depth == 0:
			p.ok = p.ok && p.i > start
			return
		case c == ')':
			depth--
		}
		p.i++
	}
	p.ok = p.ok && p.i > start && depth == 0
}

// skipPast passes the next c (a doubled quote is one quote in a quoted name).
func (p *typeParser) skipPast(c byte) {
	for p.i < len(p.s) {
		p.i++
		if p.s[p.i-1] != c {
			continue
		}
		if (c == '\'' || c == '"') && p.i < len(p.s) && p.s[p.i] == c {
			p.i++
			continue
		}
		return
	}
	p.ok = false
}

// eat passes tok where it comes next.
func (p *typeParser) eat(tok string) bool {
	if strings.HasPrefix(p.s[p.i:], tok) {
		p.i += len(tok)
		return true
	}
	return false
}

func (p *typeParser) expect(tok string) {
	if !p.eat(tok) {
		p.ok = false
	}
}

func (p *typeParser) spaces() {
	for p.i < len(p.s) && p.s[p.i] == ' ' {
		p.i++
	}
}
