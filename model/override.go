package model

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/agnivade/levenshtein"
	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"

	"aiecon/model/format"
)

// Override is one `--set path=value`: a dotted field path (list elements by
// index, workloads[1], or by name, workloads[chat]) and a YAML value.
type Override struct {
	Path  string
	Value string
	// Variant names the variant whose set gives it, "" for a --set: an
	// error it causes is the variant's set's, and an advice to --set
	// another field would reach every variant.
	Variant string
	// From names what gives it where no one typed it ("sw.yaml:4:27:
	// parameter fleet.count=-3", a sweep's point; "s.yaml:41:20: set
	// {fleet.count: -3}", a variant's entry where its file places it), ""
	// for a --set: an error it causes names From, not a --set.
	From string
}

// ParseOverride splits "path=value".
func ParseOverride(s string) (Override, error) {
	path, value, ok := strings.Cut(s, "=")
	path = strings.TrimSpace(path)
	if !ok || path == "" {
		return Override{}, fmt.Errorf("--set %q: want path=value, e.g. fleet.count=8 or workloads[chat].arrivals.rate=20/s", s)
	}
	if i := strings.IndexFunc(path, func(r rune) bool { return !unicode.IsPrint(r) }); i >= 0 {
		// Errors print the path as "--set PATH": quoted here, so no escape reaches the terminal.
		return Override{}, fmt.Errorf("--set %q: the path holds the unprintable character %U; a path is field names and [selectors]", s, []rune(path[i:])[0])
	}
	// A byte-order mark a value was pasted with is dropped here, not only
	// where the value is decoded: the text names the run ("base
	// [fleet.count=2]"), and a stored name held the invisible U+FEFF that
	// no name may hold.
	return Override{Path: path, Value: string(StripBOM([]byte(value)))}, nil
}

func (o Override) String() string { return o.Path + "=" + o.Value }

// SetEntry is how an error names o as an entry of a file's set, on one
// line: "set {PATH: VALUE}", a value the file writes as a block (a list,
// a mapping, a text of several lines) written inline, so that the error
// does not break across lines ("set {fleet.count: - 1\n- 2}").
func (o Override) SetEntry() string {
	return "set {" + o.Path + ": " + inlineYAML(o.Value) + "}"
}

// inlineYAML is the YAML value text on one line: in flow style, a text
// that holds a line break double-quoted with its escapes; text itself
// where it is one line already (or is not YAML).
func inlineYAML(text string) string {
	if !strings.Contains(text, "\n") {
		return text
	}
	var v any
	if err := yaml.UnmarshalWithOptions([]byte(text), &v, yaml.UseOrderedMap()); err != nil {
		return strconv.Quote(text)
	}
	if s, ok := v.(string); ok {
		return strconv.Quote(s)
	}
	b, err := MarshalYAML(v, yaml.Flow(true))
	if flow := strings.TrimSpace(string(b)); err == nil && !strings.Contains(flow, "\n") {
		return flow
	}
	return strconv.Quote(text)
}

// Typed is how an error names o as the user typed it: TypedSet of
// path=value.
func (o Override) Typed() string { return TypedSet(o.String()) }

// TypedSet is how an error names a --set the user typed, s being its
// path=value: "--set s", quoted whole with Go's escapes (--set
// "name=\"a\tb\"") where s holds a character a terminal would not show as
// written (a tab, a line break, an escape sequence), as ParseOverride names
// a path that holds one (format.Typed). A quoted value's tab was echoed
// raw, and read as spaces.
func TypedSet(s string) string { return "--set " + format.Typed(s) }

// RepeatedSets says, for each path that more than one of sets gives
// (path=value each, as typed: --set horizon=1d --set horizon=1m), how many
// times it is set, by which --set, and that the last wins, in the order
// the paths first appear. A script may override on purpose, so a repeat is
// no error, but one typed by mistake ran silently with the other value;
// `aiecon run` warns with these words and so does the dashboard's Launch
// form. A set with no = is left to ParseOverride to refuse.
func RepeatedSets(sets []string) []string {
	var paths, out []string
	given := map[string][]string{}
	for _, s := range sets {
		path, _, ok := strings.Cut(s, "=")
		if !ok {
			continue
		}
		path = strings.TrimSpace(path)
		if given[path] == nil {
			paths = append(paths, path)
		}
		given[path] = append(given[path], TypedSet(s))
	}
	for _, p := range paths {
		if g := given[p]; len(g) > 1 {
			out = append(out, fmt.Sprintf("%s is set %d times (%s); the last, %s, wins", format.Typed(p), len(g), strings.Join(g, ", "), g[len(g)-1]))
		}
	}
	return out
}

// CheckTypedSet refuses a --set someone typed whose value is empty (or
// blank): YAML reads it as null, which resets the field to its default, so
// --set fleet.count=$N with N unset ran 1 instance instead of the scenario's
// 4, exit 0. KEY=null or KEY=~ resets a field on purpose. A text without
// "=" is left to ParseOverride. Overrides a program writes (a sweep's points,
// a forecast's set) do not come here: their values come from YAML, where a
// null is written out.
func CheckTypedSet(s string) error {
	path, value, ok := strings.Cut(s, "=")
	path = strings.TrimSpace(path)
	if !ok || strings.TrimSpace(value) != "" || path == "" { // "=" has no path: ParseOverride says so
		return nil
	}
	return fmt.Errorf("%s is given no value (an unset shell variable?), which would reset it to its default without a word; "+
		"give a value, or %s=null to reset it", path, path)
}

var segmentRE = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_]*)((?:\[[^\[\]]+\])*)$`)
var indexPartRE = regexp.MustCompile(`\[([^\[\]]+)\]`)

// pathSegment is one step of a path: a key and optional list selectors.
type pathSegment struct {
	key       string
	selectors []string // numbers or names
}

func parsePath(p string) ([]pathSegment, error) {
	var segs []pathSegment
	for _, part := range splitPath(p) {
		m := segmentRE.FindStringSubmatch(part)
		if m == nil {
			return nil, fmt.Errorf("bad path segment %q: want a field name, with [INDEX] or [NAME] after a list (workloads[chat].arrivals.rate)", part)
		}
		seg := pathSegment{key: m[1]}
		for _, sel := range indexPartRE.FindAllStringSubmatch(m[2], -1) {
			seg.selectors = append(seg.selectors, sel[1])
		}
		segs = append(segs, seg)
	}
	return segs, nil
}

// splitPath splits a path at its dots outside brackets: a name in a
// selector may hold a dot (workloads[chat.v2], or pools[llama-3.1-8b], a
// pool named after its model by default), which a split at every dot cut
// in two, so that no path could select it.
func splitPath(p string) []string {
	var parts []string
	depth, start := 0, 0
	for i, c := range p {
		switch c {
		case '[':
			depth++
		case ']':
			depth = max(0, depth-1)
		case '.':
			if depth == 0 {
				parts, start = append(parts, p[start:i]), i+1
			}
		}
	}
	return append(parts, p[start:])
}

// schemaPath normalises a path to the form Paths lists: selectors become [].
func schemaPath(segs []pathSegment) string {
	var b strings.Builder
	for i, s := range segs {
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s.key)
		for range s.selectors {
			b.WriteString("[]")
		}
	}
	return b.String()
}

// ApplyOverrides sets each override's value in the YAML source and returns
// the new source. Paths are checked against the schema first; values are
// checked later, with the whole scenario, by Load (its errors for an
// overridden field name the --set).
func ApplyOverrides(src []byte, sets []Override) ([]byte, error) {
	return ApplyOverridesIn("scenario", src, sets)
}

// ApplyOverridesIn is ApplyOverrides for the scenario read from file, which
// its errors name. It sets a copy (Apply): decoded, an alias or a merge
// shares its anchor's mapping, so a set in place changed every workload
// that aliased the one named.
func ApplyOverridesIn(file string, src []byte, sets []Override) ([]byte, error) {
	if len(sets) == 0 {
		return src, nil
	}
	b, err := DecodeForOverrides(file, src)
	if err != nil {
		return nil, err
	}
	return b.Apply(sets)
}

// OverrideBase is a scenario decoded once, for many sets of overrides: a
// scenario's variants each applied theirs to the whole file, decoded again
// with every variant in it, so N variants cost N^2.
type OverrideBase struct {
	file string
	root yaml.MapSlice
}

// DecodeForOverrides decodes a scenario's YAML for overrides, leaving out
// its top-level keys named in drop (a variant's scenario has no variants).
func DecodeForOverrides(file string, src []byte, drop ...string) (*OverrideBase, error) {
	var root yaml.MapSlice
	// An error here is the file's own, reported as it is without overrides:
	// a "before --set:" prefix was wrong where none was given (--horizon).
	if err := decodeCheckedAs(file, src, &root, reflect.TypeOf(Scenario{})); err != nil {
		return nil, err
	}
	return overrideBase(file, root, drop), nil
}

// ForOverrides is DecodeForOverrides(s.File, s.Text, drop...) from the
// tree Parse built, not the text parsed again: a scenario's variants are
// derived from the file loaded once. It fails where s holds no tree.
func (s *Source) ForOverrides(drop ...string) (*OverrideBase, error) {
	if s == nil {
		return nil, errors.New("no parsed scenario to override")
	}
	if s.tree == nil {
		return nil, fmt.Errorf("%s: no parsed scenario to override", s.File)
	}
	var root yaml.MapSlice
	if err := decodeParsedAs(s.File, s.Text, s.tree, &root, reflect.TypeOf(Scenario{})); err != nil {
		return nil, err
	}
	return overrideBase(s.File, root, drop), nil
}

// Tree is s's text decoded as overrides see it (DecodeTree), from the
// tree Parse built rather than the text parsed again; nil where s holds
// no tree or it does not decode.
func (s *Source) Tree() any {
	if s == nil || s.tree == nil {
		return nil
	}
	var root yaml.MapSlice
	if decodeParsedAs(s.File, s.Text, s.tree, &root, nil) != nil {
		return nil
	}
	return root
}

// overrideBase is root, a scenario decoded, without its top-level keys
// named in drop.
func overrideBase(file string, root yaml.MapSlice, drop []string) *OverrideBase {
	kept := root[:0]
	for _, it := range root {
		if !slices.Contains(drop, fmt.Sprint(it.Key)) {
			kept = append(kept, it)
		}
	}
	return &OverrideBase{file: file, root: kept}
}

// Apply is ApplyOverridesIn on the decoded scenario, which it leaves as it
// was for the next set. The copy (cloneYAML) also gives each alias and
// merge of an anchor its own mapping, so a set changes only the place its
// path names.
func (b *OverrideBase) Apply(sets []Override) ([]byte, error) {
	return b.apply(cloneYAML(b.root).(yaml.MapSlice), sets)
}

func (b *OverrideBase) apply(root yaml.MapSlice, sets []Override) ([]byte, error) {
	for _, o := range sets {
		if err := o.Check(); err != nil {
			return nil, o.blame(err)
		}
		if err := setTagError(o); err != nil {
			return nil, err
		}
		var v any
		if err := decodeChecked("--set "+o.Path, []byte(literalText(o)), &v); err != nil {
			if errors.Is(err, errPlainTab) { // valid YAML, but read without the tab
				return nil, o.blame(plainTabValue(o))
			}
			// %w: a stop signal during the decode (interruptible) is an
			// interruption, not the value's fault.
			return nil, fmt.Errorf("--set %s: value %q is not valid YAML: %w", o.Path, o.Value, err)
		}
		if err := checkKeptControls(o, v); err != nil {
			return nil, err
		}
		segs, _ := parsePath(o.Path)
		if v == nil && OptionalBlock(o.Path) {
			v = removeBlock{}
		}
		var err error
		if root, err = setIn(root, segs, v, o.Path); err != nil {
			return nil, err
		}
	}
	return marshalMerged(root)
}

// blame is err, an error of o's path, naming where o comes from: a
// variant's set or a sweep's parameter, which nobody typed as a --set.
func (o Override) blame(err error) error {
	msg := strings.TrimPrefix(err.Error(), "--set "+o.Path+": ")
	switch {
	case o.From != "":
		return fmt.Errorf("%s: %s", o.From, msg)
	case o.Variant != "":
		return fmt.Errorf("%s: %s", o.SetEntry(), msg)
	}
	return err
}

// checkKeptControls refuses a value whose text holds a tab or another
// control character that decoding dropped: goccy's reader drops a tab in
// a plain scalar, so --set name=$'a\tb' set the name "ab", which passed
// the check that refuses a tab in a name, and a description lost its tabs.
// Quoted ("a\tb"), the tab is kept. White space around the whole value
// (fleet.count=$'4\t', from a TSV column) is no text YAML could keep, and
// a value with no text in it (a number, [1024,<TAB>2048]) has no tab to keep:
// both pass, as quoting them would only make them text (fleet.count="4\t"
// was then refused as no integer).
func checkKeptControls(o Override, v any) error {
	given := countControls(strings.Trim(o.Value, " \t\r\n"))
	if given == 0 {
		return nil
	}
	kept, text := 0, false
	mapLeaves(v, func(leaf any) any {
		if s, ok := leaf.(string); ok {
			kept, text = kept+countControls(s), true
		}
		return leaf
	})
	if kept >= given || !text {
		return nil
	}
	return plainTabValue(o)
}

// plainTabValue refuses o's value for a tab or control character outside
// quotes, which the YAML reader drops.
func plainTabValue(o Override) error {
	return fmt.Errorf("--set %s: the value %s holds a tab or control character outside quotes, which YAML reads as a separator "+
		"and drops; quote the value to keep it (%s=%s)", o.Path, strconv.Quote(o.Value), o.Path, strconv.Quote(o.Value))
}

// countControls counts the control characters of s other than line breaks.
func countControls(s string) int {
	n := 0
	for _, r := range s {
		if r != '\n' && unicode.IsControl(r) {
			n++
		}
	}
	return n
}

// cloneYAML copies the mappings and lists of a decoded value, which setIn
// changes in place; scalars are shared.
func cloneYAML(v any) any { return mapLeaves(v, func(leaf any) any { return leaf }) }

// mapLeaves copies the mappings and lists of a decoded value with each
// scalar replaced by f of it; keys are kept.
func mapLeaves(v any, f func(any) any) any {
	switch v := v.(type) {
	case yaml.MapSlice:
		out := make(yaml.MapSlice, len(v))
		for i, it := range v {
			out[i] = yaml.MapItem{Key: it.Key, Value: mapLeaves(it.Value, f)}
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = mapLeaves(e, f)
		}
		return out
	}
	return f(v)
}

// marshalMerged writes the merged scenario back as YAML. goccy's encoder
// panics on some mappings it decoded itself (a flow mapping with integer
// and null keys, found by FuzzLoadWithSet); that is an input error here,
// not a crash. Strings with control characters are written escaped
// (MarshalYAML): a file's "evil\e[31m" came back from the merge as an ESC
// byte, refused at a line of its own, and a "a\tb" as "ab".
func marshalMerged(root yaml.MapSlice) (out []byte, err error) {
	defer func() {
		if p := recover(); p != nil {
			out, err = nil, fmt.Errorf("the scenario cannot be written back after --set (YAML encoder: %v); simplify its keys", p)
		}
	}()
	return MarshalYAML(root, yaml.UseLiteralStyleIfMultiline(true))
}

// setIn sets segs in a mapping, creating mappings on the way.
func setIn(m yaml.MapSlice, segs []pathSegment, v any, full string) (yaml.MapSlice, error) {
	seg := segs[0]
	i := -1
	for j, it := range m {
		if fmt.Sprint(it.Key) == seg.key {
			i = j
			break
		}
	}
	if _, remove := v.(removeBlock); remove && (i < 0 || len(segs) == 1) {
		if i >= 0 { // the block itself: optional blocks are no list elements
			m = slices.Delete(m, i, i+1)
		}
		return m, nil
	}
	if i < 0 {
		if len(seg.selectors) > 0 {
			return nil, fmt.Errorf("--set %s: %s has no list to select from", full, seg.key)
		}
		m = append(m, yaml.MapItem{Key: seg.key, Value: nil})
		i = len(m) - 1
	}
	cur := m[i].Value
	var err error
	if cur, err = setValue(cur, seg.selectors, segs[1:], v, full); err != nil {
		return nil, err
	}
	m[i].Value = cur
	return m, nil
}

func setValue(cur any, selectors []string, rest []pathSegment, v any, full string) (any, error) {
	if len(selectors) > 0 {
		list, ok := cur.([]any)
		if !ok {
			return nil, fmt.Errorf("--set %s: not a list", full)
		}
		idx, err := selectIndex(list, selectors[0])
		if err != nil {
			return nil, fmt.Errorf("--set %s: %v", full, err)
		}
		if list[idx], err = setValue(list[idx], selectors[1:], rest, v, full); err != nil {
			return nil, err
		}
		return list, nil
	}
	if len(rest) == 0 {
		return v, nil
	}
	sub, ok := cur.(yaml.MapSlice)
	if _, remove := v.(removeBlock); remove && !ok {
		return cur, nil // no mapping, so no block to remove
	}
	if !ok {
		sub = yaml.MapSlice{} // a scalar (e.g. a fixed distribution) becomes a mapping
	}
	return setIn(sub, rest, v, full)
}

// selectIndex finds a list element by index or by its name field. A
// number that is also an element's name is refused, not read as the index:
// workloads[1] set the workload at index 1 without a word where another
// was named "1" (Load refuses such a name, but a path is applied first).
func selectIndex(list []any, sel string) (int, error) {
	names := elementNames(list)
	if n, err := strconv.Atoi(sel); err == nil {
		if i := slices.Index(names, sel); i >= 0 {
			return 0, fmt.Errorf("[%s] is both an index and the name of the element at index %d; rename that element (a name that reads as a number cannot be selected)", sel, i)
		}
		if n < 0 || n >= len(list) {
			return 0, fmt.Errorf("index %d out of range (the list has %d elements)", n, len(list))
		}
		return n, nil
	}
	if i := slices.Index(names, sel); i >= 0 {
		return i, nil
	}
	var given []string
	for _, n := range names {
		if n != "" {
			given = append(given, n)
		}
	}
	return 0, fmt.Errorf("no element named %q (names: %s)", sel, strings.Join(given, ", "))
}

// elementNames is the name field of each element of a list, "" where an
// element has none, so that a name's position is its element's index. A
// pool without a name is named after its model (a catalog name), as Load
// names it and routing and the reports call it, so it is selected by
// that too: pools[llama-3.2-3b] was refused ("no element named") though
// it is the name the forecast's remedies print. Pools are the only list
// elements with a model field.
func elementNames(list []any) []string {
	names := make([]string, len(list))
	for i, e := range list {
		m, ok := e.(yaml.MapSlice)
		if !ok {
			continue
		}
		var model string
		for _, it := range m {
			switch fmt.Sprint(it.Key) {
			case "name":
				names[i] = fmt.Sprint(it.Value)
			case "model":
				model = modelName(it.Value)
			}
		}
		if names[i] == "" {
			names[i] = model
		}
	}
	return names
}

// modelName is a pool's model as its name: a catalog name, or an inline
// architecture's name field; "" otherwise.
func modelName(v any) string {
	if name, ok := v.(string); ok {
		return name
	}
	if m, ok := v.(yaml.MapSlice); ok {
		for _, it := range m {
			if fmt.Sprint(it.Key) == "name" {
				return fmt.Sprint(it.Value)
			}
		}
	}
	return ""
}

// EditDistance is the Levenshtein distance between a and b, by which a
// caller ranks names near one given (cmd/aiecon's unknown flags), as
// nearest does for --set paths, without a hand-written copy of it.
func EditDistance(a, b string) int { return levenshtein.ComputeDistance(a, b) }

// nearest returns up to n candidates closest to s by edit distance.
func nearest(s string, candidates []string, n int) []string {
	type scored struct {
		c string
		d int
	}
	var sc []scored
	for _, c := range candidates {
		sc = append(sc, scored{c, levenshtein.ComputeDistance(s, c)})
	}
	sort.SliceStable(sc, func(i, j int) bool { return sc[i].d < sc[j].d })
	var out []string
	for i := 0; i < len(sc) && i < n; i++ {
		out = append(out, sc[i].c)
	}
	return out
}

// decodeChecked decodes YAML into generic values (ordered mappings) after
// ParseYAML's bounds, so a --set value cannot be an alias bomb either; its
// merge keys are expanded (a key written beside one wins).
func decodeChecked(file string, src []byte, v any) error {
	return decodeCheckedAs(file, src, v, nil)
}

// decodeCheckedAs is decodeChecked for YAML bound, once overridden, for
// type as (nil: none): its tags are checked first (checkTags), since the
// generic values drop them.
func decodeCheckedAs(file string, src []byte, v any, as reflect.Type) error {
	tree, text, err := ParseYAML(file, src)
	if err != nil {
		return err
	}
	return decodeParsedAs(file, text, tree, v, as)
}

// decodeParsedAs is decodeCheckedAs on the tree ParseYAML built of text.
func decodeParsedAs(file string, text []byte, tree *ast.File, v any, as reflect.Type) error {
	if as != nil && len(tree.Docs) > 0 && tree.Docs[0].Body != nil {
		if err := checkTags(tree.Docs[0].Body, as); err != nil {
			return SourceOf(file, text, tree).decodeError(err)
		}
	}
	if len(tree.Docs) > 1 {
		// Decoding keeps the first document; the merged scenario would
		// have dropped the rest without a word.
		return FieldError{File: file, Msg: "several YAML documents in one file; a scenario is one document"}
	}
	_, err := interruptible("decoding "+file, func() (struct{}, error) {
		return struct{}{}, decodeTree(tree, v, yaml.UseOrderedMap())
	})
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	return nil
}
