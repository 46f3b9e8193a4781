package forecast

import (
	"errors"
	"fmt"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"

	"aiecon/model"
)

// source keeps a forecast file's syntax tree so every problem can name its
// line and column, like a scenario's.
type source struct {
	file string
	tree *ast.File
	loc  *model.Source // the same tree, read as the scenarios' reader reads it
	errs model.Errors
}

// errf records a problem at a dotted field path (or its nearest parent).
func (s *source) errf(field, format string, args ...any) {
	e := model.FieldError{File: s.file, Field: field, Msg: fmt.Sprintf(format, args...), Err: interruption(args)}
	e.Line, e.Col = s.position(field)
	s.errs = append(s.errs, e)
}

// interruption is the stop signal's error among a problem's args
// (model.ErrInterrupted), nil if none is: the problem's Msg is text, and
// without its Err a Ctrl-C while the base scenario loaded read as a
// problem of the forecast file's line, exit 2 (stopped).
func interruption(args []any) error {
	for _, a := range args {
		if err, ok := a.(error); ok && errors.Is(err, model.ErrInterrupted) {
			return err
		}
	}
	return nil
}

// stopped is the stop signal's error of the first problem a stop signal
// caused, nil if none did: a forecast whose load a stop signal cut short
// is stopped, not refused, whatever else its load found.
func (s *source) stopped() error {
	for _, e := range s.errs {
		if e.Err != nil && errors.Is(e.Err, model.ErrInterrupted) {
			return e.Err
		}
	}
	return nil
}

// errfAt records a problem named field at the position of the path pos,
// for a field whose name holds a dot (set: {fleet.count: ...}), which a
// path must quote: pos variants[0].set.'fleet.count', field
// variants[0].set.fleet.count.
func (s *source) errfAt(pos, field, format string, args ...any) {
	e := model.FieldError{File: s.file, Field: field, Msg: fmt.Sprintf(format, args...), Err: interruption(args)}
	e.Line, e.Col = s.position(pos)
	s.errs = append(s.errs, e)
}

func (s *source) position(field string) (line, col int) {
	if s.tree == nil {
		return 0, 0
	}
	for p := field; p != ""; {
		if path, err := yaml.PathString("$." + p); err == nil {
			if n, err := path.FilterFile(s.tree); err == nil && n != nil {
				pos := n.GetToken().Position
				return pos.Line, pos.Column
			}
		}
		i := strings.LastIndexAny(p, ".[")
		if i <= 0 {
			break
		}
		p = p[:i]
	}
	return 0, 0
}

// given reports whether the file writes a value for the dotted field path
// (present and not null: null, like leaving the field out, asks for the
// default). A zero the file writes is a value: it is used or refused at
// its line, never replaced by the default an absent field takes. It reads
// through anchors, aliases and merges as the decoder does (model.Source).
func (s *source) given(field string) bool {
	return s.loc != nil && s.loc.Given(field)
}

// decode parses src strictly into a Spec: unknown keys, wrong types and
// several documents are errors with line and column.
func decode(file string, src []byte) (*Spec, *source, error) {
	s := &source{file: file}
	// The scenarios' reader: a forecast file nested 30,000 deep ran out of
	// memory in the parser, and an alias bomb would expand when decoded.
	tree, src, err := model.ParseYAML(file, src)
	if errors.Is(err, model.ErrInterrupted) {
		return nil, s, err // stopped, not a problem of the file's text
	}
	if err != nil {
		var fe model.FieldError
		if errors.As(err, &fe) {
			return nil, s, model.Errors{fe}
		}
		return nil, s, model.Errors{s.yamlError(err)}
	}
	s.tree, s.loc = tree, model.SourceOf(file, src, tree)
	if len(tree.Docs) != 1 || tree.Docs[0].Body == nil {
		return nil, s, model.Errors{{File: file, Msg: "want one YAML document: a mapping with at least name, base, periods and variants"}}
	}
	var spec Spec
	if err := model.DecodeStrict(tree, src, &spec); err != nil {
		if errors.Is(err, model.ErrInterrupted) {
			return nil, s, err
		}
		var ye yaml.Error
		_, positioned := errors.AsType[*model.PositionedError](err)
		if positioned || errors.As(err, &ye) && model.IsTypeMismatch(ye.GetMessage()) {
			// A value of the wrong type (server_usd: "abc") or a
			// misplaced tag (roadmap: !x 6) names its field and what it
			// wants, as in a scenario file.
			return nil, s, model.Errors{model.DecodeErrorIn(file, src, err)}
		}
		return nil, s, model.Errors{s.yamlError(err)}
	}
	return &spec, s, nil
}

// yamlError turns a goccy error into a located, one-line FieldError.
func (s *source) yamlError(err error) model.FieldError {
	if pe, ok := errors.AsType[*model.PositionedError](err); ok {
		return model.FieldError{File: s.file, Line: pe.Line, Col: pe.Column, Msg: pe.Msg}
	}
	var ye yaml.Error
	if !errors.As(err, &ye) {
		msg := err.Error()
		if i := strings.IndexByte(msg, '\n'); i >= 0 {
			msg = msg[:i]
		}
		return model.FieldError{File: s.file, Msg: msg}
	}
	e := model.FieldError{File: s.file, Msg: ye.GetMessage()}
	if tok := ye.GetToken(); tok != nil {
		e.Line, e.Col = tok.Position.Line, tok.Position.Column
	}
	if strings.HasPrefix(e.Msg, "unknown field") {
		e.Msg += " (docs/forecast.md lists the fields)"
	}
	return e
}

// writtenKeys are the keys the file writes in the mapping at the dotted
// field path itself: none where the mapping is an alias of another
// (set: *p5en) or an anchor an alias names (set: &p5en {...}, shared
// whichever variant holds it), and not those a merge key (<<: *p5en)
// brings in.
func (s *source) writtenKeys(field string) map[string]bool {
	keys := map[string]bool{}
	if s.tree == nil {
		return keys
	}
	path, err := yaml.PathString("$." + field)
	if err != nil {
		return keys
	}
	n, err := path.FilterFile(s.tree)
	if err != nil || n == nil {
		return keys
	}
	for {
		a, ok := n.(*ast.AnchorNode) // set: &p5en {...} is written here
		if !ok {
			break
		}
		if s.aliased(a.Name.String()) {
			return keys // shared: an alias elsewhere gives another variant the same set
		}
		n = a.Value
	}
	var values []*ast.MappingValueNode
	switch m := n.(type) {
	case *ast.MappingNode:
		values = m.Values
	case *ast.MappingValueNode:
		values = []*ast.MappingValueNode{m}
	}
	for _, v := range values {
		if _, merge := v.Key.(*ast.MergeKeyNode); !merge {
			keys[strings.TrimSpace(v.Key.GetToken().Value)] = true
		}
	}
	return keys
}

// aliased says whether an alias anywhere in the file names the anchor:
// then the anchored mapping is shared, whichever of its users the file
// happens to write it under.
func (s *source) aliased(anchor string) bool {
	found := false
	for _, doc := range s.tree.Docs {
		ast.Walk(visitFunc(func(n ast.Node) bool {
			if al, ok := n.(*ast.AliasNode); ok && al.Value != nil && al.Value.String() == anchor {
				found = true
			}
			return !found
		}), doc)
	}
	return found
}

// visitFunc adapts a function to ast.Visitor; it stops descending when f
// returns false.
type visitFunc func(ast.Node) bool

func (f visitFunc) Visit(n ast.Node) ast.Visitor {
	if f(n) {
		return f
	}
	return nil
}
