package model

import (
	"strings"
	"unicode"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/printer"
	"github.com/goccy/go-yaml/token"
)

// MarshalYAML is yaml.MarshalWithOptions with every string that holds a
// control character other than a line break written double-quoted, with
// escapes (\t, \x1b). goccy writes such a string raw, and its reader then
// loses it: a tab in a plain scalar is dropped ("a<TAB>b" reads back "ab"),
// a tab in a literal block breaks the block, an escape byte came back raw.
// Every scenario text the program writes for itself to read again (a
// --set's merged scenario, a variant's set, a sweep point's values, the
// resolved scenario a run stores) goes through here, so that a name with a
// tab is still refused after a --set and a description keeps its tabs.
func MarshalYAML(v any, opts ...yaml.EncodeOption) ([]byte, error) {
	node, err := yaml.ValueToNode(v, opts...)
	if err != nil {
		return nil, err
	}
	if node != nil {
		ast.Walk(quoteControls{}, node)
	}
	var p printer.Printer
	return p.PrintNode(node), nil
}

// quoteControls marks each string node holding a control character other
// than a line break as double-quoted, which its printer writes with Go's
// escapes (YAML's double-quoted style shares them); inside a flow mapping
// or list (flow), a line break too: a literal block there is not YAML.
type quoteControls struct{ flow bool }

func (q quoteControls) Visit(n ast.Node) ast.Visitor {
	switch n := n.(type) {
	case *ast.StringNode:
		if n.Token.Type != token.DoubleQuoteType && (hasControl(n.Value) || q.flow && strings.Contains(n.Value, "\n")) {
			n.Token.Type = token.DoubleQuoteType
		}
	case *ast.MappingNode:
		return quoteControls{q.flow || n.IsFlowStyle}
	case *ast.SequenceNode:
		return quoteControls{q.flow || n.IsFlowStyle}
	}
	return q
}

// hasControl reports whether s holds a control character other than a
// line break (which a literal block keeps).
func hasControl(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return r != '\n' && unicode.IsControl(r) })
}
