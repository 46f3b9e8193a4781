package model

import "github.com/goccy/go-yaml/ast"

// maxAliasHops bounds the anchors, tags and aliases followed from one node
// to its value; a chain has no loop (anchorMap), so this only caps work.
const maxAliasHops = 64

// anchorMap is the one way model follows YAML aliases: the whole-number
// check, a field's position and given() (Source.node), the merge
// expansion and the key check all read an alias through it, so that they
// cannot disagree on what one stands for. It maps each alias to the value
// of its anchor as the decoder reads it: the anchor of its name that
// comes before it and whose value it is not inside (ParseYAML refuses a
// name given twice). An alias no such anchor gives stands for nothing:
// the decoder refuses one before its anchor ("could not find alias"), and
// reads one inside its own anchor's value as null. Three resolvers once
// did this by different rules: by name wherever the anchor stood, by the
// last anchor of the name before the alias (inside it too), and by the
// anchors a walk had finished.
type anchorMap map[*ast.AliasNode]ast.Node

// anchorsOf maps the aliases of each document of a tree.
func anchorsOf(tree *ast.File) anchorMap {
	a := anchorMap{}
	for _, doc := range tree.Docs {
		w := anchorWalk{aliases: a, anchors: map[string]ast.Node{}}
		w.walk(doc.Body)
	}
	return a
}

// anchorsIn maps the aliases under n, a document's body.
func anchorsIn(n ast.Node) anchorMap {
	w := anchorWalk{aliases: anchorMap{}, anchors: map[string]ast.Node{}}
	w.walk(n)
	return w.aliases
}

// anchorWalk goes through a document in order, noting each anchor once
// its value is done.
type anchorWalk struct {
	aliases anchorMap
	anchors map[string]ast.Node // the anchors done so far, by name
}

func (w *anchorWalk) walk(n ast.Node) {
	switch v := n.(type) {
	case *ast.AliasNode:
		if v.Value == nil {
			break
		}
		if target, ok := w.anchors[v.Value.GetToken().Value]; ok {
			w.aliases[v] = target // absent where no anchor comes before
		}
	case *ast.AnchorNode:
		w.walk(v.Value)
		if v.Name != nil {
			w.anchors[v.Name.GetToken().Value] = v.Value
		}
	case *ast.TagNode:
		w.walk(v.Value)
	case *ast.MappingKeyNode:
		w.walk(v.Value)
	case *ast.MappingNode:
		for _, kv := range v.Values {
			w.walk(kv)
		}
	case *ast.MappingValueNode:
		w.walk(v.Key)
		w.walk(v.Value)
	case *ast.SequenceNode:
		for _, e := range v.Values {
			w.walk(e)
		}
	}
}

// step is the node n stands for one anchor, tag, explicit key (? k) or
// alias on, nil for an alias with no anchor; ok is false where n is none
// of them but a value itself.
func (a anchorMap) step(n ast.Node) (next ast.Node, ok bool) {
	switch v := n.(type) {
	case *ast.AnchorNode:
		return v.Value, true
	case *ast.TagNode:
		return v.Value, true
	case *ast.MappingKeyNode:
		return v.Value, true
	case *ast.AliasNode:
		return a[v], true
	}
	return n, false
}

// follow resolves n through anchors, tags and aliases, returning the
// first alias on the way too (nil where none).
func (a anchorMap) follow(n ast.Node) (v, alias ast.Node) {
	for hops := 0; n != nil && hops < maxAliasHops; hops++ {
		if x, ok := n.(*ast.AliasNode); ok && alias == nil {
			alias = x
		}
		next, ok := a.step(n)
		if !ok {
			return n, alias
		}
		n = next
	}
	return nil, alias
}

// resolve is follow without the alias.
func (a anchorMap) resolve(n ast.Node) ast.Node {
	v, _ := a.follow(n)
	return v
}

// keyName is the text of a scalar key, through anchors, tags and aliases;
// ok is false for a key with no text, which then matches no other.
func (a anchorMap) keyName(key ast.Node) (string, bool) {
	k := a.resolve(key)
	if _, scalar := k.(ast.ScalarNode); !scalar || k.GetToken() == nil {
		return "", false
	}
	return k.GetToken().Value, true
}
