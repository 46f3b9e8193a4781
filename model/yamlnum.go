package model

import (
	"math"
	"math/big"
	"reflect"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"

	"aiecon/model/llm"
)

// StrictYAMLOptions are the decode options of every scenario, model and
// study file: unknown fields and duplicate keys are errors. Decode with
// DecodeStrict, which also refuses a fraction where a whole number belongs
// and lets a key written beside a merge key override a merged one.
func StrictYAMLOptions() []yaml.DecodeOption {
	return []yaml.DecodeOption{yaml.DisallowUnknownField()}
}

// DecodeStrict decodes the first document of tree (from ParseYAML, of the
// text src) into v with StrictYAMLOptions and its merge keys expanded
// (expandMerges), after checking that no scalar bound for an integer
// field of v has a fraction: a *PositionedError pointing at it. The tree
// is decoded, not src: ParseYAML may have mended its tokens.
func DecodeStrict(tree *ast.File, src []byte, v any) error {
	if len(tree.Docs) == 0 || tree.Docs[0].Body == nil {
		return nil // as the decoder takes empty text
	}
	// Checked as written, so that a value an alias brings is reported at
	// the alias (the expanded tree shares the anchor's nodes).
	if err := checkWholeNumbers(tree.Docs[0].Body, reflect.TypeOf(v)); err != nil {
		return err
	}
	body, err := expandMerges(tree.Docs[0].Body)
	if err != nil {
		return err
	}
	// A stop signal ends the decode as it does the parse (v is then the
	// caller's to drop).
	_, err = interruptible("decoding YAML", func() (struct{}, error) {
		return struct{}{}, yaml.NodeToValue(body, v, StrictYAMLOptions()...)
	})
	return err
}

// checkWholeNumbers returns a *PositionedError at the first scalar under n
// that decodes into an integer field of t and is a number with a fraction
// (at the alias, where an alias brings it). go-yaml alone truncates it
// (fleet.count: 1.5 ran one instance, without a word); text and whole
// numbers out of range it refuses itself. It also refuses a YAML tag that
// go-yaml cannot decode where it stands (misplacedTag): a tagged scalar
// where a list belongs (workloads: !!str 6) crashed go-yaml's decoder with
// a nil dereference.
func checkWholeNumbers(n ast.Node, t reflect.Type) error {
	c := wholeChecker{anchors: anchorsIn(n)}
	if at, msg := c.find(n, t); at != nil {
		return errAt(at, "%s", msg)
	}
	return nil
}

// wholeChecker walks a YAML tree beside the Go type it decodes into.
type wholeChecker struct {
	anchors  anchorMap
	aliases  int  // aliases followed, a bound on the work (checkAliases bounds what they bring)
	tagsOnly bool // look for misplaced tags only (checkTags)
}

// checkTags is checkWholeNumbers for misplaced tags only: for a scenario
// about to take overrides, which may replace a number with a fraction,
// and which loses its tags as it is decoded into generic values (so that
// fleet: !x {count: 1} ran with --horizon and was refused without).
func checkTags(n ast.Node, t reflect.Type) error {
	c := wholeChecker{anchors: anchorsIn(n), tagsOnly: true}
	if at, msg := c.find(n, t); at != nil {
		return errAt(at, "%s", msg)
	}
	return nil
}

// resolve follows anchors, tags and aliases to the node that holds the
// value (anchorMap).
func (c *wholeChecker) resolve(n ast.Node) ast.Node {
	v, alias := c.anchors.follow(n)
	if alias != nil {
		if c.aliases++; c.aliases > MaxAliasExpansion {
			return nil
		}
	}
	return v
}

// find returns the first node under n bound for a field of t (through
// yaml tags, inline structs, pointers, lists, maps, aliases and merge
// keys) that is a number with a fraction where an integer belongs, or a
// misplaced tag (misplacedTag), and what is wrong with it; where an alias
// brings it, the alias. A type that decodes itself (UnmarshalYAML) is left
// to its own checks.
func (c *wholeChecker) find(n ast.Node, t reflect.Type) (ast.Node, string) {
	use := n
	if _, ok := n.(*ast.AliasNode); !ok {
		use = nil
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	var at ast.Node
	var v string
	if tag := c.tagOf(n); tag != nil && !decodesItself(t) {
		at, v = tag, misplacedTag(tag, c.anchors.resolve(tag.Value), t)
	} else if tag != nil { // a distribution, a duration...: its own decoding, after go-yaml's of the tag
		at, v = tag, scalarTagMisfit(tag.Start.Value, c.anchors.resolve(tag.Value))
	}
	n = c.resolve(n)
	if t == modelRefType { // an inline model is an llm.Arch
		t = reflect.TypeOf(llm.Arch{})
	}
	if n == nil || decodesItself(t) || v != "" {
		return c.at(at, use, v)
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if text, ok := fraction(n); ok && !c.tagsOnly {
			at, v = n, "want an integer, got "+text+" (a count or a size has no fraction)"
		}
	case reflect.Struct, reflect.Map:
		at, v = c.findInMapping(n, t)
	case reflect.Slice, reflect.Array:
		if seq, ok := n.(*ast.SequenceNode); ok {
			for _, e := range seq.Values {
				if at, v = c.find(e, t.Elem()); at != nil {
					break
				}
			}
		}
	}
	return c.at(at, use, v)
}

// at is what find returns: nothing where msg is empty, else msg at the
// alias use where one brought the node, or at the node.
func (c *wholeChecker) at(n, use ast.Node, msg string) (ast.Node, string) {
	switch {
	case msg == "":
		return nil, ""
	case use != nil:
		return use, msg
	}
	return n, msg
}

// findInMapping checks a mapping bound for struct or map type t, with the
// entries a merge key (<<) brings in.
func (c *wholeChecker) findInMapping(n ast.Node, t reflect.Type) (ast.Node, string) {
	for _, kv := range mappingValues(n) {
		var key ast.Node = kv.Key
		if k, ok := key.(*ast.MappingKeyNode); ok {
			key = k.Value
		}
		key = c.resolve(key) // !!str count, &k count, *k
		if key == nil {
			continue
		}
		if _, merge := key.(*ast.MergeKeyNode); merge {
			if at, v := c.findMerged(kv.Value, t); at != nil {
				return at, v
			}
			continue
		}
		if t == variantType && key.GetToken().Value == "set" {
			if at, v := c.findInSet(kv.Value); at != nil {
				return at, v
			}
			continue
		}
		elem := t
		if t.Kind() == reflect.Map {
			elem = t.Elem()
		} else if f, ok := yamlField(t, key.GetToken().Value); ok {
			elem = f.Type
		} else {
			continue
		}
		if at, v := c.find(kv.Value, elem); at != nil {
			return at, v
		}
	}
	return nil, ""
}

// variantType is a scenario's variant, whose set is checked by path (findInSet).
var variantType = reflect.TypeOf(Variant{})

// findInSet checks a variant's set: each value against the field its path
// names (PathType). The set is decoded into generic values, which convert
// a tag themselves: rate: !!int 3/s in a variant's set ran as the rate
// "0" ("needs a unit"). Only tags: a fraction there is the set's to
// report, as a --set's is.
func (c *wholeChecker) findInSet(n ast.Node) (ast.Node, string) {
	defer func(was bool) { c.tagsOnly = was }(c.tagsOnly)
	c.tagsOnly = true
	for _, kv := range mappingValues(c.resolve(n)) {
		key := c.resolve(kv.Key)
		if key == nil || key.GetToken() == nil {
			continue
		}
		if t := PathType(key.GetToken().Value); t != nil {
			if at, v := c.find(kv.Value, t); at != nil {
				return at, v
			}
		}
	}
	return nil, ""
}

// findMerged checks what a merge key brings: a mapping, an alias of one,
// or a list of them, all bound for t itself.
func (c *wholeChecker) findMerged(v ast.Node, t reflect.Type) (ast.Node, string) {
	if seq, ok := c.resolve(v).(*ast.SequenceNode); ok {
		for _, e := range seq.Values {
			if at, s := c.find(e, t); at != nil {
				return at, s
			}
		}
		return nil, ""
	}
	return c.find(v, t)
}

// fraction reports whether n is a scalar number that is not whole (1.5,
// .nan, .inf, 1e-400), with its text; anything else passes, for the
// decoder to judge.
func fraction(n ast.Node) (string, bool) {
	var text string
	switch v := n.(type) {
	case *ast.FloatNode, *ast.StringNode, *ast.InfinityNode, *ast.NanNode:
		tok := n.GetToken()
		if tok == nil {
			return "", false
		}
		text = tok.Value
	case *ast.LiteralNode: // count: >-
		if v.Value == nil {
			return "", false
		}
		text = v.Value.Value
	default:
		return "", false
	}
	text = strings.TrimSpace(text)
	v := strings.ReplaceAll(text, "_", "")
	switch strings.ToLower(v) {
	case ".nan", ".inf", "+.inf", "-.inf":
		return text, true
	}
	f, err := strconv.ParseFloat(v, 64)
	switch {
	case err != nil:
		return "", false
	case f == 0:
		// 1e-400 and 0x1p-5000 parse as 0, which go-yaml would store.
		if b, ok := new(big.Float).SetString(v); ok && b.Sign() != 0 {
			return text, true
		}
		return "", false
	case f == math.Trunc(f):
		return "", false
	}
	return text, true
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

// yamlField finds the field of struct t that a key decodes into, as go-yaml
// names it: the yaml tag, else the json tag, else the lower-case field
// name; the fields of an ",inline" struct are searched.
func yamlField(t reflect.Type, key string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() && !f.Anonymous {
			continue
		}
		tag := f.Tag.Get("yaml")
		if tag == "" {
			tag = f.Tag.Get("json")
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" {
			continue
		}
		if strings.Contains(opts, "inline") {
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
