package model

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"
)

// FieldError is one problem in a scenario, located in its source.
type FieldError struct {
	File  string
	Line  int // 0 when the field is absent from the file (a missing required field)
	Col   int
	Field string // dotted YAML path, e.g. workloads[1].arrivals.rate
	Msg   string
	// Cause is another field whose value makes Field's an error, where
	// there is one (fleet.pricing: owned makes fleet.price_usd_per_hour
	// required): an error on a field the file does not write is placed
	// there, and a --set of it is named when no --set gave Field. Several
	// fields are comma-separated (ads.reserve,ads.pricing,ads.ctr price
	// the reserve that ads.paid_cpc falls below): the first the file
	// writes places the error, the last --set of any names it.
	Cause string
	// Err is the error Msg says, where one is kept (a stop signal during
	// the read of a file the field names): errors.Is and errors.As see it.
	Err error
}

// Unwrap gives the error Msg says, nil where none was kept.
func (e FieldError) Unwrap() error { return e.Err }

// Unplaced is e without its place (file, line and column, or the --set
// that caused it): "field: message", the message alone where e names no
// field. For a message about a file or an entry the caller names itself,
// where the place would point into text the user never wrote (a scenario
// with the forecast's or an optimize candidate's sets merged in).
func (e FieldError) Unplaced() string {
	if e.Field == "" {
		return e.Msg
	}
	return e.Field + ": " + e.Msg
}

// Causes are the fields of Cause, none where it is empty.
func (e FieldError) Causes() []string {
	if e.Cause == "" {
		return nil
	}
	return strings.Split(e.Cause, ",")
}

func (e FieldError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", e.Line, e.Col)
	}
	b.WriteString(": ")
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Errors is every problem found in a scenario, in source order.
type Errors []FieldError

// Unwrap gives each problem, for errors.Is and errors.As.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// MaxShownErrors bounds the problems an Errors prints: a sweep file
// listing one value 300,000 times printed 299,999 lines (21 MB) of "listed
// twice", and the first few say what the rest do.
const MaxShownErrors = 20

// Error is the problems one a line, the first MaxShownErrors of them and
// then how many more there are.
func (es Errors) Error() string {
	shown := es[:min(len(es), MaxShownErrors)]
	lines := make([]string, len(shown), len(shown)+1)
	for i, e := range shown {
		lines[i] = e.Error()
	}
	if more := len(es) - len(shown); more > 0 {
		lines = append(lines, fmt.Sprintf("and %d more (%d problems in all); fix the ones above and run again", more, len(es)))
	}
	return strings.Join(lines, "\n")
}

// Source is a scenario's YAML text and syntax tree, kept to locate fields.
type Source struct {
	File string
	Text []byte
	tree *ast.File
	// anchors resolve the tree's aliases, gathered on first use (node).
	anchors anchorMap
	// stored is set for a scenario read back from the store (LoadStored):
	// it ran as it is, so a bound added since it was stored warns rather
	// than refuses it.
	stored bool
}

// Position returns the line and column of a dotted field path, or of its
// nearest existing parent when the field itself is absent.
func (s *Source) Position(field string) (line, col int) {
	if s == nil || s.tree == nil {
		return 0, 0
	}
	for p := field; ; {
		if n := s.node(p); n != nil {
			pos := n.GetToken().Position
			return pos.Line, pos.Column
		}
		i := strings.LastIndexAny(p, ".[")
		if i <= 0 {
			return 0, 0
		}
		p = p[:i]
	}
}

// Place is where an error on field goes: the field, or its cause (a field
// whose value makes field's an error) where the file writes the cause and
// not the field (pricing: owned, rather than the fleet's first line, for a
// missing price), else the field's nearest parent.
func (s *Source) Place(field, cause string) (line, col int) {
	if cause != "" && s != nil && s.tree != nil && s.node(field) == nil {
		for _, c := range (FieldError{Cause: cause}).Causes() {
			if s.node(c) != nil {
				return s.Position(c)
			}
		}
	}
	return s.Position(field)
}

// PlaceError is where e, found in another text of this file (the file with
// overrides applied, whose lines are not the file's), goes in this one: an
// unknown field at its key, where the decoder reports it in the file alone
// (my.yaml:5:3, not the value's 5:8), else Place(e.Field, e.Cause). A path
// is split at its dots, so a key with a dot in its name (.base, a mapping
// kept for its anchor) is found here by the name the error quotes.
func (s *Source) PlaceError(e FieldError) (line, col int) {
	if parent, key, ok := unknownKey(e); ok {
		if line, col, ok := s.keyPosition(parent, key); ok {
			return line, col
		}
	}
	return s.Place(e.Field, e.Cause)
}

// unknownKey splits the field of an unknown field's error into the path
// of the mapping that holds it ("" at the top) and the key, which the
// message quotes as written (goccy does not escape it), dots and all.
func unknownKey(e FieldError) (parent, key string, ok bool) {
	quoted, ok := strings.CutPrefix(e.Msg, `unknown field "`)
	if !ok {
		return "", "", false
	}
	for i := -1; i < len(e.Field); i++ { // the longest key first
		if i >= 0 && e.Field[i] != '.' {
			continue
		}
		key = e.Field[i+1:]
		if strings.HasPrefix(quoted, key+`"`) {
			return e.Field[:max(i, 0)], key, key != ""
		}
	}
	return "", "", false
}

// Locate parses YAML text only to find fields in it (Position): a source
// that does not parse locates nothing.
func Locate(file string, src []byte) *Source {
	tree, src, err := ParseYAML(file, src)
	if err != nil {
		return &Source{File: file, Text: src}
	}
	return &Source{File: file, Text: src, tree: tree}
}

// SourceOf is the Source of a tree ParseYAML returned for text, for a
// reader of another file kind that decodes the tree itself (a forecast)
// and finds its fields as a scenario's reader does.
func SourceOf(file string, text []byte, tree *ast.File) *Source {
	return &Source{File: file, Text: text, tree: tree}
}

// errorf builds a located FieldError.
func (s *Source) errorf(field, format string, args ...any) FieldError {
	line, col := s.Position(field)
	return FieldError{File: s.File, Line: line, Col: col, Field: field, Msg: fmt.Sprintf(format, args...)}
}

// Parse decodes a scenario strictly (unknown keys, wrong types and bad units
// are errors with line and column) without defaults or catalog checks.
func Parse(file string, src []byte) (*Scenario, *Source, error) {
	source := &Source{File: file, Text: src}
	tree, src, err := ParseYAML(file, src)
	source.Text = src
	if err != nil {
		return nil, source, Errors{source.decodeError(err)}
	}
	source.tree = tree
	return parseTree(source)
}

// parseTree is Parse from the tree ParseYAML built of source.Text
// (source.tree); source is the scenario's Source.
func parseTree(source *Source) (*Scenario, *Source, error) {
	file, src, tree := source.File, source.Text, source.tree
	if len(tree.Docs) == 0 || tree.Docs[0].Body == nil {
		return nil, source, Errors{{File: file, Msg: "empty scenario (want a mapping with at least name, model, fleet and workloads)"}}
	}
	if len(tree.Docs) > 1 {
		return nil, source, Errors{{File: file, Msg: "several YAML documents in one file; a scenario is one document"}}
	}
	var sc Scenario
	if err := DecodeStrict(tree, src, &sc); err != nil {
		return nil, source, Errors{source.decodeError(err)}
	}
	if errs := checkExplicitZeros(&sc, source); len(errs) > 0 {
		return nil, source, errs
	}
	fillAbsent(&sc, source)
	return &sc, source, nil
}

// Load parses, fills defaults (Resolve) and validates a scenario. Every error
// names the file, line, column and field.
func Load(file string, src []byte, cat Catalog) (*Scenario, *Source, error) {
	sc, source, err := Parse(file, src)
	return resolveParsed(sc, source, err, cat, false)
}

// LoadParsed is Load(s.File, s.Text, cat), LoadStored where stored, from
// the tree ParseYAML built of s.Text (s from SourceOf), not the text
// parsed again: a forecast loads its base scenario as written for its
// own check, for each variant without sets and for the plan, and parsed
// it again each time. s itself is left as it was (the scenario has a
// Source of its own, sharing the tree, which decoding does not change),
// so that it can be loaded again, concurrently too.
func LoadParsed(s *Source, cat Catalog, stored bool) (*Scenario, *Source, error) {
	sc, source, err := ParseParsed(s)
	return resolveParsed(sc, source, err, cat, stored)
}

// ParseParsed is Parse(s.File, s.Text) from the tree ParseYAML built of
// s.Text (s from SourceOf), leaving s as it was (LoadParsed).
func ParseParsed(s *Source) (*Scenario, *Source, error) {
	if s == nil || s.tree == nil {
		return nil, s, errors.New("no parsed scenario to decode")
	}
	return parseTree(&Source{File: s.File, Text: s.Text, tree: s.tree})
}

// resolveParsed is the rest of Load (LoadStored where stored) after
// Parse returned sc, source and err.
func resolveParsed(sc *Scenario, source *Source, err error, cat Catalog, stored bool) (*Scenario, *Source, error) {
	if err != nil {
		return nil, source, err
	}
	source.stored = stored
	if errs := Resolve(sc, source, cat); len(errs) > 0 {
		return nil, source, errs
	}
	return sc, source, nil
}

// LoadStored is Load for a scenario read back from the store (a stored
// sweep's base, which its resume and its summary load again), which an
// earlier build may have written: a description over MaxDescriptionRunes,
// stored before that bound existed, is kept as stored, not refused, and
// StoredNotes says so.
func LoadStored(file string, src []byte, cat Catalog) (*Scenario, *Source, error) {
	sc, source, err := Parse(file, src)
	return resolveParsed(sc, source, err, cat, true)
}

// StoredNotes are the warnings for what LoadStored kept of sc that a
// file may no longer give: each description over MaxDescriptionRunes.
func StoredNotes(sc *Scenario) []string {
	var out []string
	note := func(field, text string) {
		if msg := BadDescription(text); msg != "" {
			out = append(out, fmt.Sprintf("%s: %s; stored before that bound, kept as stored (a file with it is refused)", field, msg))
		}
	}
	note("description", sc.Description)
	for i, v := range sc.Variants {
		note(fmt.Sprintf("variants[%d].description", i), v.Description)
	}
	return out
}

// goTypeRE reads goccy's type errors; what it got may hold a space
// ("[]interface {}", a list), which a \S+ missed, so the raw Go message
// reached the user.
var goTypeRE = regexp.MustCompile(`cannot unmarshal (.+?) into Go (?:struct field|value of type) ?(\S*)(?: of type (\S+))?`)

// decodeError turns a goccy error into a located, readable FieldError.
func (s *Source) decodeError(err error) FieldError {
	var fe FieldError
	if errors.As(err, &fe) {
		return fe
	}
	var pe *PositionedError
	if errors.As(err, &pe) {
		field := s.fieldAt(pe.Line, pe.Column)
		return FieldError{File: s.File, Line: pe.Line, Col: pe.Column, Field: field, Msg: fieldDurationRange(field, distValueMsg(field, pe))}
	}
	var ye yaml.Error
	if errors.As(err, &ye) {
		tok := ye.GetToken()
		msg := ye.GetMessage()
		var line, col int
		if tok != nil {
			line, col = tok.Position.Line, tok.Position.Column
		}
		msg = typeMismatch(msg, tok)
		if strings.HasPrefix(msg, "unknown field") {
			msg += s.knownFieldsHint(line, col)
		}
		return FieldError{File: s.File, Line: line, Col: col, Field: s.fieldAt(line, col), Msg: msg}
	}
	// Errors from our own UnmarshalYAML([]byte) methods carry no position;
	// goccy prefixes them with [line:col] in some versions.
	msg := err.Error()
	if m := regexp.MustCompile(`^\[(\d+):(\d+)\]\s*(.*)`).FindStringSubmatch(msg); m != nil {
		var line, col int
		fmt.Sscan(m[1], &line)
		fmt.Sscan(m[2], &col)
		return FieldError{File: s.File, Line: line, Col: col, Field: s.fieldAt(line, col), Msg: firstLine(m[3])}
	}
	return FieldError{File: s.File, Msg: firstLine(msg)}
}

// fieldDurationRange is msg, a duration's error at field, saying the
// field's range where msg is the parser's for a duration past any
// (horizon: 1e23d said "between -36500d and 36500d", where 400d says
// "allowed: 1s to 366d").
func fieldDurationRange(field, msg string) string {
	ranges := map[string]string{"horizon": "1s to " + MaxHorizon.String()}
	allowed, ok := ranges[field]
	given, _, past := strings.Cut(msg, " "+ErrDurationRange.Error()+" (between ")
	if !ok || !past {
		return msg
	}
	return fmt.Sprintf("%s is out of range (allowed: %s)", given, allowed)
}

// IsTypeMismatch reports whether goccy's message msg is of a value of the
// wrong type: the Go form, which typeMismatch rewrites, or goccy's own
// ("sequence was used where mapping is expected"), which a forecast file
// reported without the field (periods: [1] said only where).
func IsTypeMismatch(msg string) bool {
	return goTypeRE.MatchString(msg) || usedWhereRE.MatchString(msg)
}

var usedWhereRE = regexp.MustCompile(`^\S+ was used where \S+ is expected`)

// typeMismatch rewrites goccy's message of a value of the wrong type (at
// tok) as what was wanted and what was got, a list or a mapping by that
// name, not as Go writes its type; another message is returned as it is.
func typeMismatch(msg string, tok *token.Token) string {
	m := goTypeRE.FindStringSubmatch(msg)
	if m == nil {
		return msg
	}
	want, got := m[3], m[1]
	if want == "" {
		want = m[2]
	}
	switch {
	case strings.HasPrefix(got, "[]interface"):
		return fmt.Sprintf("want %s, got a list", friendlyType(want))
	case strings.HasPrefix(got, "map["):
		return fmt.Sprintf("want %s, got a mapping", friendlyType(want))
	case got == "[]uint8":
		return fmt.Sprintf("want %s, got binary data (!!binary)", friendlyType(want))
	}
	if _, whole := new(big.Int).SetString(got, 10); whole && (strings.HasPrefix(want, "int") || strings.HasPrefix(want, "uint")) {
		// An integer the field's type cannot hold is out of range, not
		// of the wrong type. Every unsigned field of a file is a seed,
		// which the store keeps as a BIGINT: -1 and 2^64 alike.
		if strings.HasPrefix(want, "uint") {
			return fmt.Sprintf("%s is out of range (allowed: 1 to 2^63-1 = %d)", got, int64(math.MaxInt64))
		}
		bits := strings.TrimPrefix(want, "int")
		if bits == "" {
			bits = "64" // int
		}
		return fmt.Sprintf("%s is out of range (past the %s-bit integers the field holds)", got, bits)
	}
	if tok != nil && strings.HasPrefix(want, "float") {
		// A numeral past the largest float64 (1e400) is a number out of
		// range: go-yaml, failing to parse it, types it as a string.
		if _, err := strconv.ParseFloat(strings.ReplaceAll(tok.Value, "_", ""), 64); errors.Is(err, strconv.ErrRange) {
			return fmt.Sprintf("%s is out of range (at most %g in magnitude)", tok.Value, MaxMagnitude)
		}
	}
	q := ""
	if tok != nil && tok.Type == token.TagType && tok.Next != nil {
		tok = tok.Next // seed: !!bool true quoted "!!bool" for the value
	}
	if tok != nil {
		q = fmt.Sprintf(" %q", tok.Value)
	}
	return fmt.Sprintf("want %s, got %s%s", friendlyType(want), got, q)
}

// DecodeErrorIn is a strict decode's error (DecodeStrict) in a file of
// another kind than a scenario (a forecast file) as a scenario's reads:
// located, naming the field and the type it wants.
func DecodeErrorIn(file string, text []byte, err error) FieldError {
	return Locate(file, text).decodeError(err)
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func friendlyType(goType string) string {
	switch {
	case strings.HasPrefix(goType, "int"), strings.HasPrefix(goType, "uint"):
		return "an integer"
	case strings.HasPrefix(goType, "float"):
		return "a number"
	case goType == "string", strings.HasSuffix(goType, "DType"):
		return "a string"
	case goType == "bool":
		return "true or false"
	case strings.HasPrefix(goType, "[]"):
		return "a list"
	}
	return "a mapping"
}

// fieldAt finds the dotted path of the node at a source position.
func (s *Source) fieldAt(line, col int) string {
	if s.tree == nil || len(s.tree.Docs) == 0 {
		return ""
	}
	var best string
	var walk func(n ast.Node, path string)
	walk = func(n ast.Node, path string) {
		if n == nil {
			return
		}
		switch v := n.(type) {
		case *ast.MappingNode:
			for _, kv := range v.Values {
				walk(kv, path)
			}
			return
		case *ast.MappingValueNode:
			key := plainKey(v.Key)
			p := key
			switch {
			case key == "<<": // a merge key's entries are its mapping's
				p = path
			case path != "":
				p = path + "." + key
			}
			kp := v.Key.GetToken().Position
			if kp.Line == line && kp.Column == col {
				best = p
			}
			if vt := v.Value.GetToken(); vt != nil && vt.Position.Line == line && vt.Position.Column == col {
				best = p
			}
			walk(v.Value, p)
			return
		case *ast.AnchorNode: // fleet: &f {...}
			walk(v.Value, path)
			return
		case *ast.TagNode: // an error on a tagged value is placed at its tag (&h !!str 2x)
			if t := v.GetToken(); t != nil && t.Position.Line == line && t.Position.Column == col && best == "" {
				best = path
			}
			walk(v.Value, path)
			return
		case *ast.SequenceNode:
			for i, e := range v.Values {
				p := fmt.Sprintf("%s[%d]", path, i)
				if t := e.GetToken(); t != nil && t.Position.Line == line && t.Position.Column == col && best == "" {
					best = p
				}
				walk(e, p)
			}
			return
		}
		if t := n.GetToken(); t != nil && t.Position.Line == line && t.Position.Column == col && best == "" {
			best = path
		}
	}
	walk(s.tree.Docs[0].Body, "")
	return best
}

// plainKey is a mapping key as a field name: without quotes, and without
// the ? of an explicit key or a tag or anchor before it.
func plainKey(k ast.Node) string {
	for {
		switch v := k.(type) {
		case *ast.MappingKeyNode:
			k = v.Value
			continue
		case *ast.TagNode:
			k = v.Value
			continue
		case *ast.AnchorNode:
			k = v.Value
			continue
		case *ast.MergeKeyNode:
			return "<<"
		}
		break
	}
	if k == nil {
		return ""
	}
	if t := k.GetToken(); t != nil {
		return t.Value
	}
	return k.String()
}

// knownFieldsHint lists the keys allowed beside an unknown one.
func (s *Source) knownFieldsHint(line, col int) string {
	field := s.fieldAt(line, col)
	parent := ""
	if i := strings.LastIndexAny(field, "."); i > 0 {
		parent = field[:i]
	}
	parent = indexRE.ReplaceAllString(parent, "[]")
	if keys := KnownKeys(parent); len(keys) > 0 {
		return " (allowed here: " + strings.Join(keys, ", ") + ")"
	}
	return ""
}

var indexRE = regexp.MustCompile(`\[\d+\]`)

// decodeNodeStrict decodes a sub-tree strictly (used by custom unmarshalers).
func decodeNodeStrict(node ast.Node, v any) error {
	return yaml.NodeToValue(node, v, StrictYAMLOptions()...)
}
