package model

import (
	"strconv"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"
)

// decodeTree decodes the first document of a tree from ParseYAML into v,
// with its merge keys expanded (expandMerges); nothing, as for empty text,
// when the tree holds no document. Decoding the tree rather than its text
// keeps the tokens ParseYAML mended (lexQuotedTabs).
func decodeTree(tree *ast.File, v any, opts ...yaml.DecodeOption) error {
	if tree == nil || len(tree.Docs) == 0 || tree.Docs[0].Body == nil {
		return nil
	}
	body, err := expandMerges(tree.Docs[0].Body)
	if err != nil {
		return err
	}
	return yaml.NodeToValue(body, v, opts...)
}

// expandMerges returns n with each merge key (<<) replaced by the entries
// it brings, as YAML's merge-key type says: a key written in the mapping
// itself wins over a merged one wherever it stands, and of a list of
// mappings (<<: [*a, *b]) the earlier wins. goccy's decoder instead takes
// the last of a merged key and a key written beside it, refused them as
// a duplicate key under its default options (`fleet: {<<: *f, count: 1}`
// could not override a count), and refused a list outright in a struct.
// A true duplicate (a key written twice in one mapping) is left for the
// parser and the decoder to refuse. n is not changed: the mappings that
// change are copies. A merge whose value is not a mapping, an alias of one
// or a list of them is an error at that value.
func expandMerges(n ast.Node) (ast.Node, error) {
	e := mergeExpander{anchors: anchorsIn(n), expanded: map[ast.Node]ast.Node{}}
	n = e.expand(n)
	if e.bad != nil {
		return nil, errAt(e.bad, "a merge key (<<) takes a mapping, an alias of one, or a list of them (<<: [*a, *b]), not %s",
			nodeKind(e.anchors.resolve(e.bad)))
	}
	return n, nil
}

// nodeKind names what a node holds, for an error.
func nodeKind(n ast.Node) string {
	switch n.(type) {
	case nil:
		return "an alias with no anchor before it"
	case *ast.SequenceNode:
		return "a list"
	}
	if k := keyKind(n); k != "" {
		return k
	}
	return "text"
}

// mergeExpander walks a document in order, so that an alias finds the
// expanded value of its anchor, which comes before it.
type mergeExpander struct {
	anchors  anchorMap
	expanded map[ast.Node]ast.Node // each mapping and list expanded so far, by the node as written
	bad      ast.Node              // the first merge value that is not a mapping
}

func (e *mergeExpander) expand(n ast.Node) ast.Node {
	x := e.expandNode(n)
	switch n.(type) {
	case *ast.SequenceNode, *ast.MappingNode, *ast.MappingValueNode:
		e.expanded[n] = x
	}
	return x
}

func (e *mergeExpander) expandNode(n ast.Node) ast.Node {
	switch v := n.(type) {
	case *ast.AnchorNode:
		val := e.expand(v.Value)
		if val == v.Value {
			return v
		}
		c := *v
		c.Value = val
		return &c
	case *ast.TagNode:
		if a, ok := v.Value.(*ast.AnchorNode); ok {
			// !!int &a 3: YAML takes a node's tag and anchor in either
			// order, go-yaml's decoder only the anchor first (it read the
			// tag as the value: "want an integer, got int "!!int"").
			tagged, anchored := *v, *a
			tagged.Value, anchored.Value = a.Value, &tagged
			return e.expand(&anchored)
		}
		val := e.expand(v.Value)
		if v.Start != nil && untaggable(v.Start.Value, val) {
			// go-yaml decodes !!int 2 as a Go int, which its decoder puts
			// in no int, uint or float field ("want an integer, got int"):
			// the integer alone decodes as the tag says, as does a quoted
			// one (!!int "2": the tag wins over the quotes, YAML 1.2
			// 6.9.1), which the decoder reads as a quoted count.
			return val
		}
		if val == v.Value {
			return v
		}
		c := *v
		c.Value = val
		return &c
	case *ast.SequenceNode:
		return e.sequence(v)
	case *ast.MappingNode:
		return e.mapping(v, v.Values)
	case *ast.MappingValueNode: // a mapping of one entry
		return e.mapping(nil, []*ast.MappingValueNode{v})
	}
	return n
}

// untaggable reports whether a value val with the tag name decodes as
// the value alone: !!int on an integer, written plain or quoted, and
// !!null on null (go-yaml's decoder read the tag itself as the value:
// seed: !!null ~ said "got %!s(<nil>) "!!null"" where seed: ~ reads the
// default).
func untaggable(name string, val ast.Node) bool {
	switch v := val.(type) {
	case *ast.IntegerNode:
		return name == "!!int"
	case *ast.StringNode:
		return name == "!!int" && quotedInteger(v)
	case *ast.NullNode:
		return name == "!!null"
	}
	return false
}

// quotedInteger reports whether s is a quoted decimal integer ("2",
// '-3'), which !!int marks as an integer.
func quotedInteger(s *ast.StringNode) bool {
	if s.Token == nil || s.Token.Type != token.DoubleQuoteType && s.Token.Type != token.SingleQuoteType {
		return false
	}
	_, err := strconv.ParseInt(s.Value, 10, 64)
	return err == nil
}

func (e *mergeExpander) sequence(s *ast.SequenceNode) ast.Node {
	var vals []ast.Node
	for i, x := range s.Values {
		y := e.expand(x)
		if y != x && vals == nil {
			vals = append(make([]ast.Node, 0, len(s.Values)), s.Values[:i]...)
		}
		if vals != nil {
			vals = append(vals, y)
		}
	}
	if vals == nil {
		return s
	}
	c := *s
	c.Values = vals
	return &c
}

// mapping expands the entries of a mapping (m, or nil for a lone entry).
// Every key and value is expanded first, in the file's order, so that the
// keys written beside a merge are known, aliases included, before it.
func (e *mergeExpander) mapping(m *ast.MappingNode, entries []*ast.MappingValueNode) ast.Node {
	vals := make([]ast.Node, len(entries))
	for i, kv := range entries {
		e.expand(kv.Key) // an anchor on a key, for a later alias
		vals[i] = e.expand(kv.Value)
	}
	written := map[string]bool{}
	for _, kv := range entries {
		if name, ok := e.anchors.keyName(kv.Key); ok && !kv.Key.IsMergeKey() {
			written[name] = true
		}
	}
	out := make([]*ast.MappingValueNode, 0, len(entries))
	changed := false
	for i, kv := range entries {
		if kv.Key.IsMergeKey() {
			if merged, ok := e.merged(vals[i], written); ok {
				out, changed = append(out, merged...), true
				continue
			}
		}
		if vals[i] != kv.Value {
			c := *kv
			c.Value, kv, changed = vals[i], &c, true
		}
		out = append(out, kv)
	}
	switch {
	case !changed && m != nil:
		return m
	case !changed:
		return entries[0]
	case m == nil:
		return ast.Mapping(entries[0].GetToken(), entries[0].IsFlowStyle, out...)
	}
	c := *m
	c.Values = out
	return &c
}

// merged is the entries a merge brings that no key written beside it, nor
// an earlier mapping of the merge, gives; taken adds their keys. ok is
// false when val is not a mapping, an alias of one or a list of them.
func (e *mergeExpander) merged(val ast.Node, taken map[string]bool) ([]*ast.MappingValueNode, bool) {
	sources := []ast.Node{val}
	if seq, isSeq := e.source(val).(*ast.SequenceNode); isSeq {
		sources = seq.Values
	}
	var maps [][]*ast.MappingValueNode
	for _, s := range sources {
		entries, ok := mappingEntries(e.source(s))
		if !ok {
			if e.bad == nil {
				e.bad = s
			}
			return nil, false
		}
		maps = append(maps, entries)
	}
	var out []*ast.MappingValueNode
	for _, entries := range maps {
		for _, kv := range entries {
			name, ok := e.anchors.keyName(kv.Key)
			if ok && taken[name] {
				continue
			}
			if ok {
				taken[name] = true
			}
			out = append(out, kv)
		}
	}
	return out, true
}

// source is the expanded node a merge's value v stands for: v itself, or
// the expanded value of the anchor an alias in it leads to (which comes
// before it, so is expanded); nil where the alias leads to none.
func (e *mergeExpander) source(v ast.Node) ast.Node {
	r := e.anchors.resolve(v)
	if x, ok := e.expanded[r]; ok {
		return x
	}
	return r
}

// mappingEntries is the entries of a mapping node (expanded: no merge key).
func mappingEntries(n ast.Node) ([]*ast.MappingValueNode, bool) {
	switch v := n.(type) {
	case *ast.MappingNode:
		return v.Values, true
	case *ast.MappingValueNode:
		return []*ast.MappingValueNode{v}, true
	}
	return nil, false
}
