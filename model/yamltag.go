package model

import (
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"
)

// tagOf is the YAML tag on n (!!str 6, !x [..]), through anchors and
// aliases (&a !x 6, *a); nil where n has none.
func (c *wholeChecker) tagOf(n ast.Node) *ast.TagNode {
	for hops := 0; n != nil && hops < maxAliasHops; hops++ {
		switch v := n.(type) {
		case *ast.TagNode:
			return v
		case *ast.AnchorNode:
			n = v.Value
		case *ast.AliasNode:
			n = c.anchors[v]
		default:
			return nil
		}
	}
	return nil
}

// scalarTags are the tags a value (a number, a text, a boolean) may carry:
// YAML's core scalar tags, which go-yaml decodes as their value.
var scalarTags = map[string]bool{"!!str": true, "!!int": true, "!!float": true, "!!bool": true, "!!null": true}

// misplacedTag says what is wrong with tag, on the value v (resolved),
// bound for a field of type t; "" where go-yaml decodes it. go-yaml's
// decoder dereferenced nil on a tagged scalar or mapping where a list
// belongs (workloads: !!str 6: the command crashed with no line or field),
// and refused the rest in its own words, naming no field (could not find
// map, value is not allowed in this context).
func misplacedTag(tag *ast.TagNode, v ast.Node, t reflect.Type) string {
	name := tag.Start.Value
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		if _, ok := v.(*ast.SequenceNode); ok {
			return ""
		}
		return fmt.Sprintf("want a list, got %s tagged %s (write the list without a tag)", taggedKind(v), name)
	case reflect.Struct, reflect.Map:
		if taggedKind(v) == "a mapping" {
			return fmt.Sprintf("the tag %s on a mapping: none is read there; write the mapping without it", name)
		}
		return fmt.Sprintf("want a mapping, got %s tagged %s (write the mapping without a tag)", taggedKind(v), name)
	}
	if msg := scalarTagMisfit(name, v); msg != "" {
		return msg
	}
	if t.Kind() == reflect.Interface {
		return "" // decoded as it stands
	}
	if scalarTags[name] || !strings.HasPrefix(name, "!!") {
		return ""
	}
	if name == "!!binary" {
		return fmt.Sprintf("want %s, got binary data (!!binary)", scalarWant(t))
	}
	return fmt.Sprintf("the tag %s on a value: a value takes only !!str, !!int, !!float, !!bool or !!null, or none", name)
}

// scalarTagMisfit is the error for a scalar tag (name) on a value v that
// is not what it marks (scalarTagWants), "" where it is.
func scalarTagMisfit(name string, v ast.Node) string {
	if want := scalarTagWants(name, v); want != "" {
		return fmt.Sprintf("the tag %s marks %s, not %s: write the value without it", name, want, taggedKind(v))
	}
	return ""
}

// scalarTagWants is what a scalar tag (name) marks where the value v is not
// that, "" where it is (or the tag is another): go-yaml read !!int abc and
// !!int 1.5 as 0 (name: !!int abc named the scenario "0"), and refused
// !!bool 5 in its own words, naming no field.
func scalarTagWants(name string, v ast.Node) string {
	var ok bool
	var want string
	switch name {
	case "!!int":
		s, quoted := v.(*ast.StringNode)
		_, ok = v.(*ast.IntegerNode)
		ok = ok || quoted && quotedInteger(s) // !!int "2": the tag wins over the quotes
		want = "an integer"
	case "!!float":
		switch n := v.(type) {
		case *ast.IntegerNode, *ast.FloatNode, *ast.InfinityNode, *ast.NanNode:
			ok = true
		case *ast.StringNode:
			ok = plainFloat(n) // 1e-1: goccy types an exponent without a dot as text
		}
		want = "a number"
	case "!!bool":
		_, ok = v.(*ast.BoolNode)
		want = "true or false"
	case "!!null":
		switch v.(type) {
		case nil, *ast.NullNode:
			ok = true
		}
		want = "null"
	default:
		return ""
	}
	if ok {
		return ""
	}
	return want
}

// coreFloatRE is a YAML 1.2 core schema float (10.2.1.4), which !!float
// marks: 1e3 and 1e-1 as well as 1.5 and .5.
var coreFloatRE = regexp.MustCompile(`^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`)

// plainFloat reports whether s is an unquoted YAML 1.2 float that goccy
// typed as text (an exponent without a dot: 1e3, 1e-1), which aiecon
// reads untagged as a number.
func plainFloat(s *ast.StringNode) bool {
	return s.Token != nil && s.Token.Type != token.DoubleQuoteType && s.Token.Type != token.SingleQuoteType &&
		coreFloatRE.MatchString(s.Value)
}

// taggedKind names what a tag was put on, for an error: a scalar by its
// text (the parser reads !x 6 as text and !!str 6 as an integer).
func taggedKind(v ast.Node) string {
	switch v.(type) {
	case nil, *ast.NullNode:
		return "null"
	case *ast.MappingNode, *ast.MappingValueNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a list"
	}
	if tok := v.GetToken(); tok != nil && len(tok.Value) <= 40 {
		return strconv.Quote(tok.Value)
	}
	return nodeKind(v)
}

// scalarWant names what a value of kind t is written as, for an error.
func scalarWant(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.String:
		return "text"
	case reflect.Bool:
		return "true or false"
	}
	return "an integer"
}
