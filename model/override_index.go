package model

import (
	"fmt"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"
)

// DecodeTree decodes a scenario's YAML as overrides see it (ordered
// mappings), for IndexedPath and LookupPath; nil where it does not decode.
func DecodeTree(src []byte) any {
	var root yaml.MapSlice
	if decodeChecked("", src, &root) != nil {
		return nil
	}
	return root
}

// IndexedPath writes path's list selectors by index, as errors name fields:
// workloads[chat].arrivals.rate -> workloads[0].arrivals.rate,
// pools[small].fleet.count -> pools[0].fleet.count. Each name is looked up
// in trees (DecodeTree) in turn: the merged scenario, then the one as
// written, where an element a --set renamed is still found by its old name.
// A path with a name found in none is returned as it is.
func IndexedPath(path string, trees ...any) string {
	segs, err := parsePath(path)
	if err != nil {
		return path
	}
	cur := slices.Clone(trees)
	var b strings.Builder
	for i, seg := range segs {
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(seg.key)
		for j := range cur {
			cur[j] = child(cur[j], seg.key)
		}
		for _, sel := range seg.selectors {
			idx := -1
			for _, c := range cur {
				if list, ok := c.([]any); ok {
					if n, err := selectIndex(list, sel); err == nil {
						idx = n
						break
					}
				}
			}
			if idx < 0 {
				return path
			}
			fmt.Fprintf(&b, "[%d]", idx)
			for j := range cur {
				cur[j] = element(cur[j], idx)
			}
		}
	}
	return b.String()
}

// LookupPath is the value at path (selectors by index or name) in a tree
// (DecodeTree), and whether the tree has it.
func LookupPath(tree any, path string) (any, bool) {
	segs, err := parsePath(path)
	if err != nil {
		return nil, false
	}
	cur := tree
	for _, seg := range segs {
		var ok bool
		if cur, ok = lookup(cur, seg.key); !ok {
			return nil, false
		}
		for _, sel := range seg.selectors {
			list, ok := cur.([]any)
			if !ok {
				return nil, false
			}
			i, err := selectIndex(list, sel)
			if err != nil {
				return nil, false
			}
			cur = list[i]
		}
	}
	return cur, true
}

// child is a mapping's value at key; nil where v is no mapping or lacks it.
func child(v any, key string) any {
	c, _ := lookup(v, key)
	return c
}

// lookup is a mapping's value at key, and whether v is a mapping with it.
func lookup(v any, key string) (any, bool) {
	m, _ := v.(yaml.MapSlice)
	for _, it := range m {
		if fmt.Sprint(it.Key) == key {
			return it.Value, true
		}
	}
	return nil, false
}

// element is a list's i-th element; nil where v is no list or is shorter.
func element(v any, i int) any {
	if list, ok := v.([]any); ok && i < len(list) {
		return list[i]
	}
	return nil
}

// PathsOverlap reports whether two override paths touch one field: equal,
// or one inside the other at a segment boundary (fleet.replica and
// fleet.replica.tp, workloads[0] and workloads[0].arrivals.rate). Their
// list selectors are written by index first (IndexedPath, over trees), so
// workloads[chat].arrivals.rate and workloads[0].arrivals.rate are one
// field where chat is the first workload.
func PathsOverlap(a, b string, trees ...any) bool {
	a, b = IndexedPath(a, trees...), IndexedPath(b, trees...)
	if len(a) > len(b) {
		a, b = b, a
	}
	return a == b || strings.HasPrefix(b, a) && (b[len(a)] == '.' || b[len(a)] == '[')
}
