package model

import (
	"strconv"
	"strings"

	"github.com/goccy/go-yaml/ast"
)

// node is the node that gives a field path (fleet.count,
// workloads[1].name; [0].name in a list at the root, a models file) its
// value, or nil where the file gives it none. It looks through anchors,
// tags, aliases and merge keys (<<), as the decoder reads them: a key
// written in a mapping before the mappings a merge brings, of those the
// earlier first. A value an alias brings is placed at the alias (the
// outermost, where several lead to it), as the whole-number check places
// it. goccy's path filter went through none of them, so a field under an
// anchor, an alias or a merge counted as left out: its constructor's
// default replaced it (fillAbsent), and `ads: &a` silently turned the
// file's intent_probability: 0.1 into the default 0.35.
func (s *Source) node(field string) ast.Node {
	if field == "" || s == nil || s.tree == nil || len(s.tree.Docs) == 0 {
		return nil
	}
	segs, ok := fieldSegments(field)
	if !ok {
		return nil
	}
	if s.anchors == nil {
		s.anchors = anchorsOf(s.tree)
	}
	var via ast.Node // the outermost alias on the way
	n := s.tree.Docs[0].Body
	for _, seg := range segs {
		v, alias := s.anchors.follow(n)
		via = cmpOr(via, alias)
		n, alias = s.anchors.child(v, seg, 0)
		via = cmpOr(via, alias)
		if n == nil {
			return nil
		}
	}
	if _, alias := n.(*ast.AliasNode); alias && via == nil {
		via = n
	}
	return cmpOr(via, n)
}

// keyPosition is where the mapping at parent ("" for the top level)
// writes key, the key itself rather than its value; ok is false where it
// does not (or a merge brings it). A mapping an alias brings is placed at
// the alias, as node places its values.
func (s *Source) keyPosition(parent, key string) (line, col int, ok bool) {
	return s.entryPosition(parent, key, false)
}

// EntryPosition is where the mapping at parent writes key's value: a
// variant's set entry (fleet.count: -3 under variants[1].set), whose key
// holds dots and so is no path of keys that Position could follow. ok is
// false where the mapping does not write key (or a merge brings it); a
// mapping an alias brings is placed at the alias, as Position places its
// values.
func (s *Source) EntryPosition(parent, key string) (line, col int, ok bool) {
	return s.entryPosition(parent, key, true)
}

// entryPosition is where the mapping at parent writes key: its value, or
// (value false) the key itself; the alias that brings the mapping where
// one does.
func (s *Source) entryPosition(parent, key string, value bool) (line, col int, ok bool) {
	kv, alias := s.entry(parent, key)
	var at ast.Node
	switch {
	case alias != nil:
		at = alias
	case kv != nil && value:
		at = kv.Value
	case kv != nil:
		at = kv.Key
	default:
		return 0, 0, false
	}
	pos := at.GetToken().Position
	return pos.Line, pos.Column, true
}

// entry is the entry of the mapping at parent ("" for the top level) that
// writes key, or the alias that brings the whole mapping; both nil where
// the mapping does not write key, or a merge brings it.
func (s *Source) entry(parent, key string) (kv *ast.MappingValueNode, alias ast.Node) {
	if s == nil || s.tree == nil || len(s.tree.Docs) == 0 {
		return nil, nil
	}
	if s.anchors == nil {
		s.anchors = anchorsOf(s.tree)
	}
	n := s.tree.Docs[0].Body
	if parent != "" {
		if n = s.node(parent); n == nil {
			return nil, nil
		}
	}
	if _, isAlias := n.(*ast.AliasNode); isAlias {
		return nil, n
	}
	entries, _ := mappingEntries(s.anchors.resolve(n))
	for _, kv := range entries {
		if name, named := s.anchors.keyName(kv.Key); named && name == key && !kv.Key.IsMergeKey() {
			return kv, nil
		}
	}
	return nil, nil
}

func cmpOr(a, b ast.Node) ast.Node {
	if a != nil {
		return a
	}
	return b
}

// fieldSegments splits a field path into keys and list indexes ("[1]");
// only a path into a list at the root starts with an index.
func fieldSegments(field string) ([]string, bool) {
	var segs []string
	for i, part := range strings.Split(field, ".") {
		key, idx, hasIdx := strings.Cut(part, "[")
		if key == "" && (i > 0 || !hasIdx) {
			return nil, false
		}
		if key != "" {
			segs = append(segs, key)
		}
		rest := ""
		if hasIdx {
			rest = "[" + idx
		}
		for rest != "" {
			end := strings.IndexByte(rest, ']')
			if !strings.HasPrefix(rest, "[") || end < 0 {
				return nil, false
			}
			segs, rest = append(segs, rest[:end+1]), rest[end+1:]
		}
	}
	return segs, true
}

// child is the value of seg (a key, or "[i]") in the resolved node v, and
// the first alias a merge went through to find it. depth bounds merges
// that bring themselves.
func (a anchorMap) child(v ast.Node, seg string, depth int) (ast.Node, ast.Node) {
	if i, ok := strings.CutPrefix(seg, "["); ok {
		seq, isSeq := v.(*ast.SequenceNode)
		k, err := strconv.Atoi(strings.TrimSuffix(i, "]"))
		if !isSeq || err != nil || k < 0 || k >= len(seq.Values) {
			return nil, nil
		}
		return seq.Values[k], nil
	}
	entries, _ := mappingEntries(v)
	for _, kv := range entries {
		if name, ok := a.keyName(kv.Key); ok && name == seg && !kv.Key.IsMergeKey() {
			return kv.Value, nil
		}
	}
	if depth > 64 {
		return nil, nil
	}
	for _, kv := range entries {
		if !kv.Key.IsMergeKey() {
			continue
		}
		src, alias := a.follow(kv.Value)
		sources := []ast.Node{kv.Value}
		if seq, ok := src.(*ast.SequenceNode); ok {
			sources = seq.Values
		}
		for _, s := range sources {
			m, inner := a.follow(s)
			if n, deeper := a.child(m, seg, depth+1); n != nil {
				return n, cmpOr(alias, cmpOr(inner, deeper))
			}
		}
	}
	return nil, nil
}
