package model

import (
	"fmt"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
)

// tagWants is what each of YAML's core tags that goccy's parser reads
// itself is written on: a mapping, a list or a value. The parser refused
// a mismatch (seed: !!seq 6, replica: !!int {a: 1}, !!seq count: 2) in
// its own words ("value is not allowed in this context", "could not find
// map", "unexpected scalar value type", "non-map value is specified"),
// with a position but no field.
var tagWants = map[string]string{
	"!!map": "a mapping", "!!set": "a mapping",
	"!!seq": "a list", "!!omap": "a list",
	"!!str": "a value", "!!int": "a value", "!!float": "a value", "!!bool": "a value",
	"!!null": "a value", "!!binary": "a value", "!!timestamp": "a value",
	// !!merge marks the merge key (<<) alone; the parser refused it on
	// a value as "could not find merge key", naming no field.
	"!!merge": "the merge key <<",
}

// mendedTag stands in for a core tag in a second parse (see
// misfitTagError): a local tag, which the parser reads whatever it is on.
const mendedTag = "!aiecon-mended-tag"

// misfitTagError is the error for a parse of src that failed (parseErr):
// where a core tag of tagWants is on what it is not written on, an error
// naming the file, the tag's line and column, the field and the tag;
// otherwise parseErr. The tags are found by parsing src again with each
// core tag read as a local one, which the parser takes on anything; a
// file that fails then too is refused with parseErr.
func misfitTagError(file string, src []byte, parseErr error) error {
	tokens, err := lexQuotedTabs(file, src)
	if err != nil {
		return parseErr
	}
	mended := map[*token.Token]string{}
	for _, tk := range tokens {
		if _, core := tagWants[tk.Value]; tk.Type == token.TagType && core {
			mended[tk] = tk.Value
			tk.Value = mendedTag
		}
	}
	if len(mended) == 0 {
		return parseErr
	}
	tree, err := parser.Parse(tokens, 0)
	if err != nil {
		return parseErr
	}
	f := &tagFinder{mended: mended}
	for _, doc := range tree.Docs {
		if doc.Body != nil && f.misfit == nil {
			f.walk(doc.Body, doc.Body.GetToken(), 0)
		}
	}
	if f.misfit == nil {
		return parseErr
	}
	for tk, name := range mended {
		tk.Value = name // the tree's tags as written, for the message
	}
	pos, field := f.misfit.Start.Position, f.field.Position
	located := &Source{File: file, Text: src, tree: tree}
	return FieldError{File: file, Line: pos.Line, Col: pos.Column, Field: located.fieldAt(field.Line, field.Column), Msg: f.msg}
}

// tagFinder finds the first mended tag that is not on what it wants.
type tagFinder struct {
	mended map[*token.Token]string
	misfit *ast.TagNode
	field  *token.Token // where the field misfit is in begins (an anchor before the tag), for fieldAt
	msg    string
}

// walk looks for a misfit tag under n, the value of the field that
// begins at the token field, whose key (or list item's -) is at column
// col (0 at the top).
func (f *tagFinder) walk(n ast.Node, field *token.Token, col int) {
	if f.misfit != nil || n == nil {
		return
	}
	switch v := n.(type) {
	case *ast.MappingNode:
		for _, kv := range v.Values {
			f.walk(kv, field, col)
		}
	case *ast.MappingValueNode:
		if tag := keyTag(v.Key); tag != nil && f.mended[tag.Start] != "" && f.mended[tag.Start] != "!!str" {
			f.misfit, f.field, f.msg = tag, v.Key.GetToken(), keyTagMsg(f.mended[tag.Start], tag)
			return
		}
		f.walk(v.Value, v.Value.GetToken(), v.Key.GetToken().Position.Column)
	case *ast.SequenceNode:
		dash := 0 // in [..], where lines do not end values
		if !v.IsFlowStyle && v.Start != nil {
			dash = v.Start.Position.Column
		}
		for _, e := range v.Values {
			f.walk(e, e.GetToken(), dash)
		}
	case *ast.AnchorNode:
		f.walk(v.Value, field, col)
	case *ast.TagNode:
		if name, ok := f.mended[v.Start]; ok && f.misfits(v, name, col) {
			f.field = field
			return
		}
		f.walk(v.Value, field, col)
	}
}

// misfits reports whether the mended tag (name) is not on what it marks,
// with the error, for a field whose key is at column col.
func (f *tagFinder) misfits(tag *ast.TagNode, name string, col int) bool {
	want, got := tagWants[name], taggedWhat(tag.Value)
	if got == "" || got == want || got == "nothing" && want == "a value" {
		return false // a scalar tag on nothing is its default value (!!int: 0)
	}
	f.misfit = tag
	if vt := firstToken(tag.Value); vt != nil && vt.Position.Line > tag.Start.Position.Line && vt.Position.Column <= col {
		// seed: !!int, then fleet: on the next line: the parser takes the
		// mapping that goes on for the tag's value.
		f.msg = fmt.Sprintf("the tag %s has no value (the next line is the next entry, not its value): write %s after it, or drop the tag", name, want)
		return true
	}
	f.msg = fmt.Sprintf("the tag %s marks %s, not %s: %s", name, want, misfitKind(tag.Value), misfitFix(want, got))
	return true
}

// misfitFix says how to write a misfit tag's value (got) right.
func misfitFix(want, got string) string {
	switch got {
	case "a mapping", "a list":
		return "write the " + got[2:] + " without a tag"
	case "nothing":
		return "write " + want + " after it, or drop the tag"
	}
	return "write the value without a tag"
}

// taggedWhat is what a tag's value is, as tagWants names it: "" where an
// alias stands for it (judged where its anchor is written).
func taggedWhat(v ast.Node) string {
	for {
		a, ok := v.(*ast.AnchorNode)
		if !ok {
			break
		}
		v = a.Value
	}
	switch v.(type) {
	case *ast.AliasNode:
		return ""
	case *ast.MappingNode, *ast.MappingValueNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a list"
	case nil, *ast.NullNode:
		return "nothing"
	}
	return "a value"
}

// misfitKind names a misfit tag's value for the error: a value by its
// text ("6"), as misplacedTag's errors do.
func misfitKind(v ast.Node) string {
	if a, ok := v.(*ast.AnchorNode); ok {
		return misfitKind(a.Value)
	}
	switch what := taggedWhat(v); what {
	case "nothing":
		return "an empty value"
	case "a mapping", "a list":
		return what
	}
	return "the value " + taggedKind(v)
}

// keyTag is the tag written on a mapping key (!!int count:, ? !!seq k),
// nil where it has none.
func keyTag(key ast.Node) *ast.TagNode {
	if k, ok := key.(*ast.MappingKeyNode); ok {
		key = k.Value
	}
	for {
		switch v := key.(type) {
		case *ast.TagNode:
			return v
		case *ast.AnchorNode:
			key = v.Value
			continue
		}
		return nil
	}
}

// keyTagMsg is the error for a key with a core tag other than !!str
// (name): the decoder read !!int count as the key 0 ("unknown field
// \"0\""), and the parser refused !!seq count in its own words.
func keyTagMsg(name string, tag *ast.TagNode) string {
	return fmt.Sprintf("the tag %s on a key: a key is a field name, which takes no tag but !!str; write %s without it",
		name, taggedKind(tag.Value))
}

// checkKeyTags refuses a key written with a core tag other than !!str
// (see keyTagMsg), naming its file, line, column and field; a local tag
// (!x count) the decoder drops, and !!str keeps the key text.
func checkKeyTags(file string, tree *ast.File, keys []*ast.MappingValueNode) error {
	for _, kv := range keys {
		tag := keyTag(kv.Key)
		if tag == nil || tag.Start == nil {
			continue
		}
		if _, core := tagWants[tag.Start.Value]; !core || tag.Start.Value == "!!str" {
			continue
		}
		pos, key := tag.Start.Position, kv.Key.GetToken().Position // the key's ? or anchor, for fieldAt
		src := &Source{File: file, tree: tree}
		return FieldError{File: file, Line: pos.Line, Col: pos.Column, Field: src.fieldAt(key.Line, key.Column),
			Msg: keyTagMsg(tag.Start.Value, tag)}
	}
	return nil
}

// firstToken is the first token of n as written: a block mapping's first
// key (its own token is the key's ':').
func firstToken(n ast.Node) *token.Token {
	switch v := n.(type) {
	case *ast.MappingNode:
		if len(v.Values) > 0 && !v.IsFlowStyle {
			return firstToken(v.Values[0])
		}
	case *ast.MappingValueNode:
		return v.Key.GetToken()
	}
	return n.GetToken()
}
