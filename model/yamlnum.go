package model

import (
	"math"
	"reflect"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
)

// StrictYAMLOptions are the decode options of every scenario, model and
// study file: unknown fields and duplicate keys are errors. Decode with
// DecodeStrict, which also refuses a fraction where a whole number belongs.
func StrictYAMLOptions() []yaml.DecodeOption {
	return []yaml.DecodeOption{yaml.Strict(), yaml.DisallowUnknownField()}
}

// DecodeStrict decodes the YAML text of tree (from ParseYAML) into v with
// StrictYAMLOptions, after checking that no scalar bound for an integer
// field of v has a fraction: a *PositionedError pointing at it.
func DecodeStrict(tree *ast.File, src []byte, v any) error {
	if len(tree.Docs) > 0 {
		if err := checkWholeNumbers(tree.Docs[0].Body, reflect.TypeOf(v)); err != nil {
			return err
		}
	}
	return yaml.UnmarshalWithOptions(src, v, StrictYAMLOptions()...)
}

// checkWholeNumbers returns a *PositionedError at the first scalar under n
// that decodes into an integer field of t and is a number with a fraction.
// go-yaml alone truncates it (fleet.count: 1.5 ran one instance, without a
// word); text and whole numbers out of range it refuses itself.
func checkWholeNumbers(n ast.Node, t reflect.Type) error {
	if bad := nonWhole(n, t); bad != nil {
		return errAt(bad, "want an integer, got %s (a count or a size has no fraction)", bad.GetToken().Value)
	}
	return nil
}

// nonWhole finds the first scalar under n bound for an integer field of t
// (through yaml tags, inline structs, pointers, lists and maps) that is a
// number with a fraction. A type that decodes itself
// (UnmarshalYAML) is left to do its own checks.
func nonWhole(n ast.Node, t reflect.Type) ast.Node {
	for {
		switch v := n.(type) {
		case *ast.AnchorNode:
			n = v.Value
			continue
		case *ast.TagNode:
			n = v.Value
			continue
		}
		break
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if n == nil || decodesItself(t) {
		return nil
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return fraction(n)
	case reflect.Struct:
		for _, kv := range mappingValues(n) {
			if f, ok := yamlField(t, kv.Key.GetToken().Value); ok {
				if bad := nonWhole(kv.Value, f.Type); bad != nil {
					return bad
				}
			}
		}
	case reflect.Map:
		for _, kv := range mappingValues(n) {
			if bad := nonWhole(kv.Value, t.Elem()); bad != nil {
				return bad
			}
		}
	case reflect.Slice, reflect.Array:
		if seq, ok := n.(*ast.SequenceNode); ok {
			for _, e := range seq.Values {
				if bad := nonWhole(e, t.Elem()); bad != nil {
					return bad
				}
			}
		}
	}
	return nil
}

// fraction returns n when it is a scalar number that is not whole (1.5,
// .nan, .inf); anything else passes, for the decoder to judge.
func fraction(n ast.Node) ast.Node {
	switch n.(type) {
	case *ast.FloatNode, *ast.StringNode, *ast.InfinityNode, *ast.NanNode:
	default:
		return nil
	}
	tok := n.GetToken()
	if tok == nil {
		return nil
	}
	v := strings.ReplaceAll(tok.Value, "_", "")
	switch strings.ToLower(v) {
	case ".nan", ".inf", "+.inf", "-.inf":
		return n
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f == math.Trunc(f) {
		return nil
	}
	return n
}

// mappingValues is the key-value pairs of a mapping node (a one-pair
// mapping may come as its pair).
func mappingValues(n ast.Node) []*ast.MappingValueNode {
	switch v := n.(type) {
	case *ast.MappingNode:
		return v.Values
	case *ast.MappingValueNode:
		return []*ast.MappingValueNode{v}
	}
	return nil
}

// yamlField finds the field of struct t that the key decodes into: by its
// yaml tag, or, untagged, its lower-case name; inline structs are searched.
func yamlField(t reflect.Type, key string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "-" {
			continue
		}
		if strings.Contains(opts, "inline") || (f.Anonymous && name == "") {
			ft := f.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				if g, ok := yamlField(ft, key); ok {
					return g, true
				}
			}
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		if name == key {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

// decodesItself reports whether t (or *t) has its own YAML or text decoding.
func decodesItself(t reflect.Type) bool {
	p := reflect.PointerTo(t)
	for _, m := range []string{"UnmarshalYAML", "UnmarshalText"} {
		if _, ok := p.MethodByName(m); ok {
			return true
		}
	}
	return false
}
