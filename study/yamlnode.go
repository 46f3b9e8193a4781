package study

import (
	"errors"
	"fmt"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"

	"aiecon/model"
)

// The sweep file is read from its syntax tree rather than decoded into
// structs: its keys are dotted scenario paths in file order, its values may
// be lists, ranges or distributions, and every problem must name the line,
// column and field, like a scenario's.

// reader collects located errors while walking one YAML document.
type reader struct {
	file string
	errs model.Errors
	// frozen is set for a specification stored with a sweep: it ran as it
	// is, so the checks added since a sweep may have been stored (a
	// distribution's domain and draw range) do not refuse to show or
	// resume it.
	frozen bool
	// stored is set for a specification read back from the store, which an
	// earlier build may have written (storedValue); not for a sweep file's,
	// frozen just now.
	stored bool
	// zeroPriced is set for a stored specification that says its 0 prices
	// are prices (zero_prices: priced, which Freeze writes where one is
	// 0): a build that wrote none read a 0 price as the catalog's.
	zeroPriced bool
	// origins is where the file writes each set entry and parameter value
	// (Spec.origins), left empty for a frozen specification, whose lines
	// are no file's.
	origins map[string]string
	// flags are the overrides the command's own flags stand for
	// (LoadSpecWith), added after its --set.
	flags []model.Override
}

// note records where n is written, under key (Spec.origins).
func (r *reader) note(key string, n ast.Node) {
	if r.frozen || n == nil || n.GetToken() == nil {
		return
	}
	if r.origins == nil {
		r.origins = map[string]string{}
	}
	pos := n.GetToken().Position
	r.origins[key] = fmt.Sprintf("%s:%d:%d", r.file, pos.Line, pos.Column)
}

func (r *reader) errf(n ast.Node, field, format string, args ...any) {
	e := model.FieldError{File: r.file, Field: field, Msg: fmt.Sprintf(format, args...)}
	if n != nil {
		if tok := n.GetToken(); tok != nil {
			e.Line, e.Col = tok.Position.Line, tok.Position.Column
		}
	}
	r.errs = append(r.errs, e)
}

// parseDoc parses src as exactly one YAML document whose body is a mapping.
func (r *reader) parseDoc(src []byte, what string) *ast.MappingNode {
	tree, _, err := model.ParseYAML(r.file, src) // scenarios' reader: BOM, bombs, non-text
	if err != nil {
		var ye yaml.Error
		e := model.FieldError{File: r.file, Msg: firstLine(err.Error())}
		if !errors.As(err, &e) && errors.As(err, &ye) { // a model.FieldError is located already
			e.Msg = ye.GetMessage()
			if tok := ye.GetToken(); tok != nil {
				e.Line, e.Col = tok.Position.Line, tok.Position.Column
			}
		}
		r.errs = append(r.errs, e)
		return nil
	}
	if len(tree.Docs) != 1 || tree.Docs[0].Body == nil {
		r.errs = append(r.errs, model.FieldError{File: r.file, Msg: fmt.Sprintf("want one YAML document holding %s", what)})
		return nil
	}
	m := asMapping(tree.Docs[0].Body)
	if m == nil {
		r.errf(tree.Docs[0].Body, "", "want a mapping holding %s, got a %s", what, tree.Docs[0].Body.Type())
	}
	return m
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// asMapping returns n as a mapping node, or nil. goccy represents a
// one-entry block mapping as a bare MappingValueNode.
func asMapping(n ast.Node) *ast.MappingNode {
	switch v := n.(type) {
	case *ast.MappingNode:
		return v
	case *ast.MappingValueNode:
		return &ast.MappingNode{BaseNode: v.BaseNode, Values: []*ast.MappingValueNode{v}}
	case *ast.TagNode:
		return asMapping(v.Value)
	case *ast.AnchorNode:
		return asMapping(v.Value)
	}
	return nil
}

func asSequence(n ast.Node) *ast.SequenceNode {
	switch v := n.(type) {
	case *ast.SequenceNode:
		return v
	case *ast.TagNode:
		return asSequence(v.Value)
	case *ast.AnchorNode:
		return asSequence(v.Value)
	}
	return nil
}

// keyText is a mapping key without its quotes.
func keyText(mv *ast.MappingValueNode) string {
	s := strings.TrimSpace(mv.Key.String())
	if len(s) >= 2 && (s[0] == '"' && s[len(s)-1] == '"' || s[0] == '\'' && s[len(s)-1] == '\'') {
		return s[1 : len(s)-1]
	}
	return s
}

// entries lists a mapping's key/value pairs, reporting duplicate keys.
func (r *reader) entries(m *ast.MappingNode, field string) []*ast.MappingValueNode {
	seen := map[string]bool{}
	var out []*ast.MappingValueNode
	for _, mv := range m.Values {
		k := keyText(mv)
		if seen[k] {
			r.errf(mv.Key, join(field, k), "duplicate key %q", k)
			continue
		}
		seen[k] = true
		out = append(out, mv)
	}
	return out
}

func join(parent, key string) string {
	if parent == "" {
		return key
	}
	return parent + "." + key
}

// value decodes a node into plain Go values (ordered maps for mappings).
func value(n ast.Node) (any, error) {
	var v any
	if err := yaml.NodeToValue(n, &v, yaml.UseOrderedMap()); err != nil {
		return nil, err
	}
	return v, nil
}

// isScalar reports a node that is neither a mapping nor a sequence.
func isScalar(n ast.Node) bool { return asMapping(n) == nil && asSequence(n) == nil }

// scalarText is a scalar node's text without quotes ("" for null).
func scalarText(n ast.Node) string {
	if _, ok := n.(*ast.NullNode); ok {
		return ""
	}
	v, err := value(n)
	if err != nil || v == nil {
		return ""
	}
	return fmt.Sprint(v)
}

// flowYAML writes a value as one line of YAML, the form an override takes.
func flowYAML(v any) (string, error) {
	b, err := model.MarshalYAML(v, yaml.Flow(true)) // a tab kept, quoted
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(b)), nil
}
