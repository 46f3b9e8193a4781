package model

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"unicode/utf8"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
)

// Bounds on YAML input, checked before anything is built from it: a 60 KB
// file nested 30,000 deep made the parser allocate hundreds of megabytes
// before its own depth check fired, and a 1 KB alias bomb expands to
// hundreds of millions of nodes when decoded.
const (
	// MaxYAMLDepth is the deepest nesting of mappings and lists accepted; a
	// scenario needs about 6.
	MaxYAMLDepth = 64
	// MaxAliasExpansion is how many nodes alias references may add to a
	// document beyond those written in it.
	MaxAliasExpansion = 100_000
	// MaxYAMLEntries bounds the mapping entries of a YAML text, counted
	// before it is parsed as the ": " (or ':' ending a line) that each
	// entry needs: goccy's reading is quadratic in a mapping's length (a
	// 20,000-key mapping took 37 s, 300,000 keys in a 4.6 MB file ran past
	// 10 minutes at 1.1 GB), while the largest built-in scenario, sweep or
	// forecast has under 100. Lists are not counted: 20,000 items parse in
	// 30 ms, and a sweep's values, an empirical distribution's samples or
	// the frozen spec aiecon stores with a sweep may be long ones.
	MaxYAMLEntries = 5_000
	// MaxYAMLBytes bounds a YAML text, below MaxInputFileBytes: goccy's
	// lexer and parser allocate about 64 bytes for each byte of a long
	// scalar (a 4 MiB string took 0.8 s and 263 MB), on top of what each
	// token costs (see MaxYAMLItems), so 16 MiB could take a gigabyte for
	// one string. A scenario is a few KB; 4 MiB leaves room for a list at
	// MaxYAMLItems and for a sweep's frozen copy of such a scenario.
	MaxYAMLBytes = 4 << 20
)

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// parseHook is what SetParseHook installs, called with each text
// ParseYAML reads; nil (the default) calls nothing.
var parseHook atomic.Pointer[func(file string, src []byte)]

// SetParseHook has f called with each text ParseYAML reads, before it
// reads it, until the returned restore puts back the hook it replaced:
// tests and benchmarks count with it how often a command reads its
// scenario, to hold it to once, not once again for each variant, sweep
// point or sample. f must be safe for concurrent calls.
func SetParseHook(f func(file string, src []byte)) (restore func()) {
	old := parseHook.Swap(&f)
	return func() { parseHook.Store(old) }
}

// StripBOM removes a leading UTF-8 byte-order mark, which editors on
// Windows write and which no reader here should take for content.
func StripBOM(b []byte) []byte { return bytes.TrimPrefix(b, utf8BOM) }

// ParseYAML is the one way scenario and study files are read: it strips a
// byte-order mark, reads each CRLF or lone CR as LF (see withLF), refuses
// more than MaxYAMLBytes, text that is not UTF-8 or holds control bytes,
// more than MaxYAMLEntries mapping entries or MaxYAMLItems list items
// (checkFlow), nesting deeper than MaxYAMLDepth, aliases that would expand
// past MaxAliasExpansion, mapping keys that are not text and a second
// document (a directive such as %YAML 1.1 is none), all before the
// parser or a decoder allocates for them, and returns the syntax tree and the text it was built
// from (which a caller locating fields must use, not src). Errors are
// FieldErrors naming file, line and column. A stop signal ends the parse
// (see interruptible).
func ParseYAML(file string, src []byte) (*ast.File, []byte, error) {
	if f := parseHook.Load(); f != nil {
		(*f)(file, src)
	}
	src = withLF(StripBOM(src))
	if len(src) > MaxYAMLBytes {
		return nil, src, FieldError{File: file, Msg: fmt.Sprintf("%d bytes of YAML, more than the %d MiB a YAML input may have; "+
			"a scenario or study file is a few KB, and long data belongs in a trace file (trace: FILE.csv)", len(src), MaxYAMLBytes>>20)}
	}
	if err := checkText(file, src); err != nil {
		return nil, src, err
	}
	if err := firstInFile(checkEntries(file, src), checkFlow(file, src)); err != nil {
		return nil, src, err
	}
	if err := checkOneDocument(file, src); err != nil {
		return nil, src, err
	}
	tree, err := interruptible("reading "+file, func() (*ast.File, error) { return parseBounded(file, src) })
	return tree, src, err
}

// firstInFile is the error of the two scans (both linear, neither
// parsing) that is placed first in the file. A file both deep and wide,
// {a: {a: ... 6000 levels, was blamed on its 5001st entry at column
// 19998, with advice (a list, a trace file) that does not fit nesting,
// where its 65th level, at column 260, is the first fault.
func firstInFile(entries, flow error) error {
	e, eok := entries.(FieldError)
	f, fok := flow.(FieldError)
	if eok && fok && (f.Line < e.Line || f.Line == e.Line && f.Col < e.Col) {
		return flow
	}
	if entries != nil {
		return entries
	}
	return flow
}

// withLF is src with each line break written as LF: a CRLF, and a CR
// alone (classic Mac line ends), which YAML reads as one line break too
// (1.2, 5.4); src itself when it has no CR. goccy's scanner counts a CRLF
// that ends a comment as two lines, which moved every error below a
// comment one line down, and keeps it as two line breaks in a quoted
// string ("a\r\n  b" decoded to "a\nb", not "a b"). It reads a lone CR
// as a line break, but the checks that place errors before it (a control
// character, a tab in plain text) counted LFs only, and put every error
// of a CR file on its line 1. A CR is one byte, as the LF it becomes, so
// columns stay the file's.
func withLF(src []byte) []byte {
	if !bytes.ContainsRune(src, '\r') {
		return src
	}
	src = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
	return bytes.ReplaceAll(src, []byte("\r"), []byte("\n"))
}

// parseBounded parses text that checkText and checkEntries passed.
func parseBounded(file string, src []byte) (*ast.File, error) {
	tokens, err := lexQuotedTabs(file, src)
	if err != nil {
		return nil, err
	}
	if err := checkDepth(file, tokens); err != nil {
		return nil, err
	}
	if err := checkLeadingZeros(file, tokens); err != nil {
		return nil, err
	}
	if err := checkPlainTabs(file, src, tokens); err != nil {
		return nil, err
	}
	tree, err := parser.Parse(tokens, 0)
	if err != nil {
		return nil, (&Source{File: file, Text: src}).decodeError(misfitTagError(file, src, err))
	}
	dropDirectives(tree)
	if err := checkAliases(file, tree); err != nil {
		return nil, err
	}
	if err := checkKeys(file, tree); err != nil {
		return nil, err
	}
	return tree, nil
}

// checkEntries refuses a text with more than MaxYAMLEntries mapping
// entries, at the line where it passes the bound. It counts every ':' or
// '?' followed by a space, a tab or a line end, in one pass over the bytes:
// each block mapping entry has one (a key written "? k" its '?'), and the
// ones in quoted text, comments and block scalars are counted too, which
// the bound's distance from real files absorbs (a time such as 08:30 or a
// URL has none). A flow mapping written JSON-style ({"a":1}) is not
// counted: flow mappings parse linearly (20,000 keys in 0.4 s).
func checkEntries(file string, src []byte) error {
	n, line, lineStart := 0, 1, 0
	for i, c := range src {
		if c == '\n' {
			line, lineStart = line+1, i+1
			continue
		}
		if c != ':' && c != '?' || i+1 < len(src) && !bytes.ContainsRune([]byte(" \t\r\n"), rune(src[i+1])) {
			continue
		}
		if n++; n > MaxYAMLEntries {
			return FieldError{File: file, Line: line, Col: utf8.RuneCount(src[lineStart:i]) + 1,
				Msg: fmt.Sprintf("more than %d mapping entries (key: value), the most a YAML input may have (here is where it passes); "+
					"a scenario or study file has a few hundred at most, and the parser slows quadratically on long mappings; "+
					"long data belongs in a list or a trace file (dist: empirical, trace: FILE.csv, column: context or generated)",
					MaxYAMLEntries)}
		}
	}
	return nil
}

// checkText refuses bytes that are not text, so that no error message
// echoes binary garbage to a terminal.
func checkText(file string, src []byte) error {
	line, col := 1, 1
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRune(src[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			return FieldError{File: file, Line: line, Col: col, Msg: fmt.Sprintf("byte 0x%02x is not UTF-8 text", src[i])}
		case r < 0x20 && r != '\n' && r != '\r' && r != '\t', r == 0x7f:
			return FieldError{File: file, Line: line, Col: col, Msg: fmt.Sprintf("control character %U is not allowed in YAML text", r)}
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		i += size
	}
	return nil
}

// checkDepth bounds nesting from the token stream: flow brackets count one
// level each, and block collections one level per deeper indentation (or
// per `- ` on a line).
func checkDepth(file string, tokens token.Tokens) error {
	flow := 0
	var block []int // columns of the open block levels
	lastLine := 0
	for _, tk := range tokens {
		switch tk.Type {
		case token.SequenceStartType, token.MappingStartType:
			flow++
		case token.SequenceEndType, token.MappingEndType:
			flow = max(flow-1, 0)
		}
		if flow == 0 && (tk.Position.Line != lastLine || tk.Type == token.SequenceEntryType) {
			col := tk.Position.Column
			for len(block) > 0 && block[len(block)-1] >= col {
				block = block[:len(block)-1]
			}
			block = append(block, col)
		}
		lastLine = tk.Position.Line
		if d := flow + len(block); d > MaxYAMLDepth {
			return FieldError{File: file, Line: tk.Position.Line, Col: tk.Position.Column,
				Msg: fmt.Sprintf("nesting deeper than %d levels; a scenario or study file needs far fewer", MaxYAMLDepth)}
		}
	}
	return nil
}

// leadingZeroRE is an integer written with a leading zero (010, -07, 08,
// 0_10): not 0, 0.5 or 0o10.
var leadingZeroRE = regexp.MustCompile(`^[-+]?0[0-9_]*[0-9]$`)

// checkLeadingZeros refuses a plain integer with a leading zero. goccy
// reads 010 as octal 8 (YAML 1.1) and 08 as 8, so `fleet.count: 010` ran 8
// instances and a sweep over [08, 010, 012] ran 8, 8 and 10. Reading them
// as decimal (YAML 1.2) would take rewriting goccy's scalars, and the same
// file would still mean 8 to YAML 1.1 tools (PyYAML, yq): refused, the
// writer says which they meant. Quoted text ('010'), a tag other than
// !!int or !!float (!!str 010) and a block scalar's text (description: |-
// then 010) pass.
func checkLeadingZeros(file string, tokens token.Tokens) error {
	for i, tk := range tokens {
		if tk.Type != token.OctetIntegerType && tk.Type != token.StringType || !leadingZeroRE.MatchString(tk.Value) {
			continue
		}
		at := tk.Position
		prev := previousToken(tokens, i)
		if prev != nil && prev.Type == token.TagType {
			at = prev.Position // goccy places a tagged value at the tag's end, not where it starts
		}
		if prev != nil && (prev.Type == token.TagType && prev.Value != "!!int" && prev.Value != "!!float" ||
			prev.Type == token.LiteralType || prev.Type == token.FoldedType) {
			// Tagged as text (!!str 010), or the text of a | or > block (a
			// comment may sit between). !!int and !!float mark the number,
			// which goccy decodes as octal all the same (count: !!int 010
			// ran 8 instances).
			continue
		}
		digits := strings.TrimLeft(strings.ReplaceAll(tk.Value, "_", ""), "+-")
		sign := tk.Value[:len(tk.Value)-len(strings.TrimLeft(tk.Value, "+-"))]
		decimal := strings.TrimLeft(digits, "0")
		if decimal == "" {
			decimal = "0"
		}
		msg := fmt.Sprintf("%s has a leading zero, which YAML 1.1 keeps for octal numbers: write %s%s, or quote it for text",
			tk.Value, sign, decimal)
		if octal, err := strconv.ParseInt(digits, 8, 64); err == nil && octal > 7 {
			msg = fmt.Sprintf("%s has a leading zero, so YAML 1.1 reads it as octal (%s%d) and YAML 1.2 as %s%s: "+
				"write %s%s (decimal) or %s0o%s (octal), or quote it for text", tk.Value, sign, octal, sign, decimal, sign, decimal, sign, decimal)
		}
		return FieldError{File: file, Line: at.Line, Col: at.Column, Msg: msg}
	}
	return nil
}

// checkAliases counts the nodes a decoder would build, each alias counted
// as a copy of its anchor's value, and refuses a document whose aliases add
// more than MaxAliasExpansion nodes.
func checkAliases(file string, tree *ast.File) error {
	for _, doc := range tree.Docs {
		c := aliasCounter{anchors: map[string]int{}}
		expanded := c.count(doc.Body)
		if r := c.redefined; r != nil {
			return FieldError{File: file, Line: r.Position.Line, Col: r.Position.Column,
				Msg: fmt.Sprintf("anchor &%s is defined twice: give each anchor its own name", c.redefinedName)}
		}
		if expanded-c.written > MaxAliasExpansion {
			line, col := 0, 0
			if c.first != nil {
				line, col = c.first.Position.Line, c.first.Position.Column
			}
			return FieldError{File: file, Line: line, Col: col,
				Msg: fmt.Sprintf("YAML aliases expand to more than %d nodes (an alias bomb?); write the values out or use fewer aliases", MaxAliasExpansion)}
		}
	}
	return nil
}

type aliasCounter struct {
	anchors map[string]int // expanded size of each anchor's value
	written int            // nodes as written
	first   *token.Token   // the first alias, to locate the error
	// redefined is the first anchor whose name an earlier one took: go-yaml
	// resolves such an alias by the order it decodes fields in, not the
	// file's, so the value a reader sees and the one decoded may differ.
	redefined     *token.Token
	redefinedName string
}

// saturation keeps sums of expanded sizes far from overflowing int.
const saturation = 1 << 50

// count returns the expanded size of n (saturating).
func (c *aliasCounter) count(n ast.Node) int {
	if n == nil {
		return 0
	}
	c.written++
	size := 1
	add := func(x int) { size = min(size+x, saturation) }
	switch v := n.(type) {
	case *ast.AliasNode:
		if c.first == nil {
			c.first = v.GetToken()
		}
		add(c.anchors[v.Value.String()])
	case *ast.AnchorNode:
		inner := c.count(v.Value)
		if _, again := c.anchors[v.Name.String()]; again && c.redefined == nil {
			c.redefined, c.redefinedName = v.GetToken(), v.Name.String()
		}
		c.anchors[v.Name.String()] = inner
		add(inner)
	case *ast.TagNode:
		add(c.count(v.Value))
	case *ast.MappingNode:
		for _, kv := range v.Values {
			add(c.count(kv))
		}
	case *ast.MappingValueNode:
		add(c.count(v.Key))
		add(c.count(v.Value))
	case *ast.SequenceNode:
		for _, e := range v.Values {
			add(c.count(e))
		}
	}
	return size
}

// keyCollector gathers every mapping key.
type keyCollector struct {
	keys []*ast.MappingValueNode
	// names are the entries of a mapping keyed by workload names
	// (routing.workloads, a forecast's workloads): there an unquoted
	// 2024 or true is a name, read as text.
	names map[*ast.MappingValueNode]bool
}

func (k *keyCollector) Visit(n ast.Node) ast.Visitor {
	switch v := n.(type) {
	case *ast.MappingValueNode:
		k.keys = append(k.keys, v)
		if s, ok := v.Key.(*ast.StringNode); ok && s.Value == "workloads" {
			k.markNames(v.Value)
		}
	}
	return k
}

// markNames records the entries of a name-keyed mapping.
func (k *keyCollector) markNames(n ast.Node) {
	switch m := n.(type) {
	case *ast.MappingNode:
		for _, kv := range m.Values {
			k.names[kv] = true
		}
	case *ast.MappingValueNode: // a mapping of one entry
		k.names[m] = true
	}
}

// checkKeys refuses a mapping key that is not text (1:, true:, ~:, 1.5:, a
// mapping or list as key). The strict decoder does not report such a key:
// decoding into a struct, it drops the whole mapping around it, so a file
// with `1: 2` beside `name: x` was told "name: required" and the bad key
// was never named.
func checkKeys(file string, tree *ast.File) error {
	c := &keyCollector{names: map[*ast.MappingValueNode]bool{}}
	for _, doc := range tree.Docs {
		if doc.Body != nil {
			ast.Walk(c, doc.Body)
		}
	}
	if err := checkKeyTags(file, tree, c.keys); err != nil {
		return err
	}
	anchors := anchorsOf(tree) // an alias used as a key is judged by what it stands for
	for _, kv := range c.keys {
		at, kind := nonTextKey(kv.Key, anchors)
		if kind == "" || c.names[kv] && nameLike(kind) {
			continue
		}
		line, col := 0, 0
		t := kv.Start // the ':' when the key is empty
		if at != nil && at.GetToken() != nil {
			t = at.GetToken()
		}
		if t != nil {
			line, col = t.Position.Line, t.Position.Column
		}
		return FieldError{File: file, Line: line, Col: col, Field: keyText(at),
			Msg: "a key must be a field name (text), not " + kind}
	}
	return nil
}

// nonTextKey returns the node a key resolves to (the alias, where one
// leads to it) and what it is, or "" for a key that is text (or the merge
// key <<). An explicit key (? k), an anchor and a tag other than !!str are
// seen through, and an alias is judged by its anchor's value (anchorMap).
func nonTextKey(key ast.Node, anchors anchorMap) (ast.Node, string) {
	var alias ast.Node // the first alias on the way
	for hops := 0; key != nil && hops < maxAliasHops; hops++ {
		if t, ok := key.(*ast.TagNode); ok && t.Start != nil && (t.Start.Value == "!!str" || t.Start.Value == "tag:yaml.org,2002:str") {
			return cmpOr(alias, key), ""
		}
		if a, ok := key.(*ast.AliasNode); ok {
			if _, ok := anchors[a]; !ok {
				return cmpOr(alias, key), "" // an alias with no anchor is the decoder's error
			}
			alias = cmpOr(alias, key)
		}
		next, ok := anchors.step(key)
		if !ok {
			break
		}
		key = next
	}
	return cmpOr(alias, key), keyKind(key)
}

// nameLike reports whether a key of this kind reads as a name: a number or
// a boolean does (2024, true), null or a collection does not.
func nameLike(kind string) bool {
	return kind == "an integer" || kind == "a number" || kind == "a boolean"
}

// keyKind names what a resolved key is when it is not text.
func keyKind(key ast.Node) string {
	switch key.(type) {
	case nil, *ast.NullNode:
		return "null"
	case *ast.StringNode, *ast.LiteralNode, *ast.MergeKeyNode:
		return ""
	case *ast.IntegerNode:
		return "an integer"
	case *ast.FloatNode, *ast.InfinityNode, *ast.NanNode:
		return "a number"
	case *ast.BoolNode:
		return "a boolean"
	case *ast.MappingNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a list"
	}
	return "a " + key.Type().String()
}

// keyText is a key as written (~ rather than null), cut short for an
// error message.
func keyText(key ast.Node) string {
	if key == nil {
		return "~"
	}
	s := strings.TrimSpace(key.String())
	if _, scalar := key.(ast.ScalarNode); scalar && key.GetToken() != nil {
		if _, alias := key.(*ast.AliasNode); !alias {
			s = key.GetToken().Value
		}
	}
	if s == "" {
		return "~"
	}
	if r := []rune(s); len(r) > 40 {
		s = string(r[:40]) + "…"
	}
	return s
}

// previousToken is the token before tokens[i], comments skipped; nil if none.
func previousToken(tokens token.Tokens, i int) *token.Token {
	for j := i - 1; j >= 0; j-- {
		if tokens[j].Type != token.CommentType {
			return tokens[j]
		}
	}
	return nil
}
