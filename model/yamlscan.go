package model

import (
	"bytes"
	"fmt"
	"slices"
	"unicode/utf8"

	"github.com/goccy/go-yaml/ast"
)

// MaxYAMLItems bounds the list items, flow entries and comments of a YAML
// text, counted in one pass over its bytes before it is lexed. goccy's
// lexer and parser cost about 600 bytes and 7 µs a token (a 1 MB list of
// `1,` made a million tokens, 2.4 s and 265 MB to lex, 578 MB once
// parsed), so within the 16 MiB read limit a list or a run of comment
// lines cost gigabytes and minutes before any bound on the tree could
// refuse it. At the bound the lexing and parsing take under a second and
// about 60 MB; an empirical distribution or a sweep longer than that
// belongs in a trace file (trace: FILE.csv).
const MaxYAMLItems = 100_000

// flowScan is the state of checkFlow's pass: where it is and what it has
// counted.
type flowScan struct {
	src             []byte
	line, lineStart int
	depth, items    int
}

// checkFlow refuses, before the lexer sees them, flow nesting deeper than
// MaxYAMLDepth and more than MaxYAMLItems list items, flow entries or
// comments: the lexer's cost is per token, and checkDepth, which reads
// the tokens, came only after 10 MB of `[` had taken 40 s and 4 GB. It
// skips quoted strings and comments; a bracket or quote counts only where
// a token can begin (after a space, a line start or a flow indicator),
// since a plain scalar outside flow context may hold them (see [1]).
// Inside a flow collection a plain scalar cannot hold a bracket or comma,
// so there each counts. A block scalar's body (| or >) is skipped, as
// YAML reads it, by its indentation (blockScalarEnd): it is text, and a
// description holding 65 "[x]" was refused as nested 65 deep.
func checkFlow(file string, src []byte) error {
	s := &flowScan{src: src, line: 1}
	for i := 0; i < len(src); i++ {
		c := src[i]
		start := i == 0 || isYAMLSpace(rune(src[i-1])) || s.depth > 0 && (isFlowIndicator(rune(src[i-1])) || src[i-1] == ':')
		switch {
		case c == '\n':
			s.line, s.lineStart = s.line+1, i+1
		case (c == '|' || c == '>') && start && s.depth == 0:
			if end, ok := s.blockScalarEnd(i); ok {
				i = end - 1 // the line break is counted by the loop
			}
		case c == '#' && (i == 0 || isYAMLSpace(rune(src[i-1]))):
			i = s.skipTo(i, '\n') - 1 // the line break is counted by the loop
			if err := s.count(file, i); err != nil {
				return err
			}
		case (c == '"' || c == '\'') && start:
			i = s.skipQuoted(i)
		case (c == '[' || c == '{') && (start || s.depth > 0):
			if s.depth++; s.depth > MaxYAMLDepth {
				return s.errorAt(file, i, fmt.Sprintf("nesting deeper than %d levels; a scenario or study file needs far fewer", MaxYAMLDepth))
			}
		case (c == ']' || c == '}') && s.depth > 0:
			s.depth--
		case c == ',' && s.depth > 0, c == '-' && start && (i+1 == len(src) || isYAMLSpace(rune(src[i+1]))):
			if err := s.count(file, i); err != nil {
				return err
			}
		}
	}
	return nil
}

// count adds one item at src[i] and refuses the text past MaxYAMLItems.
func (s *flowScan) count(file string, i int) error {
	if s.items++; s.items <= MaxYAMLItems {
		return nil
	}
	return s.errorAt(file, i, fmt.Sprintf("more than %d list items, flow entries and comments, the most a YAML input may have (here is where it passes); "+
		"the parser costs hundreds of bytes of memory for each: long data belongs in a trace file (trace: FILE.csv)", MaxYAMLItems))
}

// skipTo returns the index of the first c at or after i, or len(src).
func (s *flowScan) skipTo(i int, c byte) int {
	for ; i < len(s.src) && s.src[i] != c; i++ {
	}
	return i
}

// skipQuoted returns the index of the quote closing the string opened at
// src[i] (or the text's end), counting the lines it spans: a double
// quote escapes with a backslash, a single one by doubling.
func (s *flowScan) skipQuoted(i int) int {
	q := s.src[i]
	for i++; i < len(s.src); i++ {
		switch c := s.src[i]; {
		case c == '\n':
			s.line, s.lineStart = s.line+1, i+1
		case c == '\\' && q == '"' && i+1 < len(s.src) && s.src[i+1] != '\n':
			i++
		case c == q && q == '\'' && i+1 < len(s.src) && s.src[i+1] == '\'':
			i++
		case c == q:
			return i
		}
	}
	return i
}

// blockScalarEnd reads src[i], a | or > at a token's start outside flow
// context, as a block scalar's header where it is one: an indicator
// after a key's ':', a '-', a '?', a tag or an anchor (or alone on its
// line), followed on its line only by chomping and indentation indicators
// and a comment. It then returns the index of the line break that ends
// the body (or the text's end), counting the lines skipped, and true; a
// | or > that is no header returns false. The body is every line after
// the header that is blank or indented at least as far as its first
// non-blank line (or the header's explicit indentation), which must be
// deeper than the node that holds the scalar (headerIndent): the first
// line less indented ends it, as in YAML (1.2, 8.1.1.1).
func (s *flowScan) blockScalarEnd(i int) (int, bool) {
	n, ok := headerIndent(s.src[s.lineStart:i])
	if !ok {
		return 0, false
	}
	eol := s.skipTo(i, '\n')
	explicit, ok := blockIndicators(s.src[i+1 : eol])
	if !ok {
		return 0, false
	}
	m := -1 // the body's indentation, once known
	if explicit > 0 {
		m = n + explicit
	}
	for eol < len(s.src) {
		next := s.skipTo(eol+1, '\n')
		line := s.src[eol+1 : next]
		indent := len(line) - len(bytes.TrimLeft(line, " "))
		if blank := len(bytes.TrimSpace(line)) == 0; !blank {
			if m < 0 && indent > n {
				m = indent
			}
			if m < 0 || indent < m {
				return eol, true
			}
		}
		s.line, s.lineStart = s.line+1, eol+1
		eol = next
	}
	return eol, true
}

// headerIndent is the indentation n of the node that holds a block scalar
// whose header follows before, the text of its line up to the indicator:
// the column of the line's innermost key, or of the '-' the indicator
// follows for a list item (-1 for a scalar alone at the top level); ok is
// false where before does not end as a header's position does.
func headerIndent(before []byte) (n int, ok bool) {
	col := len(before) - len(bytes.TrimLeft(before, " "))
	n = -1
	rest := before[col:]
	for len(rest) > 0 && rest[0] == '-' && (len(rest) == 1 || rest[1] == ' ') {
		n = col
		trimmed := bytes.TrimLeft(rest[1:], " ")
		col += len(rest) - len(trimmed)
		rest = trimmed
	}
	prop := bytes.TrimRight(rest, " ")
	// A tag or an anchor may stand between the key (or '-') and the
	// indicator: "key: !!str |".
	for k := bytes.LastIndexByte(prop, ' '); k >= 0 && (prop[k+1] == '!' || prop[k+1] == '&'); k = bytes.LastIndexByte(prop, ' ') {
		prop = bytes.TrimRight(prop[:k], " ")
	}
	if len(prop) > 0 && (prop[0] == '!' || prop[0] == '&') && !bytes.ContainsAny(prop, " :") {
		prop = nil // only a tag or anchor before the indicator
	}
	switch {
	case len(prop) == 0:
		return n, true
	case prop[len(prop)-1] == ':' || prop[len(prop)-1] == '?':
		return col, true
	}
	return 0, false
}

// blockIndicators reads what follows a block scalar's | or > on its line:
// a chomping indicator (+ or -) and an indentation digit, in either order,
// then spaces and a comment. It returns the digit (0: none) and whether
// the text is a header's.
func blockIndicators(rest []byte) (explicit int, ok bool) {
	j := 0
	for ; j < len(rest) && j < 2; j++ {
		c := rest[j]
		if c >= '1' && c <= '9' && explicit == 0 {
			explicit = int(c - '0')
		} else if c != '+' && c != '-' {
			break
		}
	}
	t := bytes.TrimLeft(rest[j:], " \t")
	if len(t) > 0 && (t[0] != '#' || len(t) == len(rest[j:])) {
		return 0, false // text after the indicator, or a '#' no space leads
	}
	return explicit, true
}

// errorAt is a FieldError at src[i].
func (s *flowScan) errorAt(file string, i int, msg string) FieldError {
	return FieldError{File: file, Line: s.line, Col: utf8.RuneCount(s.src[s.lineStart:i]) + 1, Msg: msg}
}

// checkOneDocument refuses a text of more than one YAML document, at the
// marker (---) that starts the second. Every reader here takes one
// document, and goccy loses some: "---\n---\nname: x" parsed as one empty
// document, which was refused as an empty scenario. It reads lines: a
// marker is --- at a line's start followed by a space, a tab or the line's
// end, which YAML never reads as content (not even in a block scalar or a
// quoted string). A first marker starts the first document unless content
// came before it; directives (%YAML) and comments are not content.
func checkOneDocument(file string, src []byte) error {
	begun := false // a document has begun
	for line, text := range bytes.Split(src, []byte("\n")) {
		rest, marker := bytes.CutPrefix(text, []byte("---"))
		marker = marker && (len(rest) == 0 || rest[0] == ' ' || rest[0] == '\t')
		switch {
		case marker && begun:
			return FieldError{File: file, Line: line + 1, Col: 1,
				Msg: "a second YAML document starts here; a scenario or study file is one document"}
		case marker:
			begun = true
		case !begun:
			t := bytes.TrimLeft(text, " \t")
			begun = len(t) > 0 && t[0] != '#' && t[0] != '%'
		}
	}
	return nil
}

// dropDirectives removes the documents goccy makes of directives (%YAML
// 1.1 before ---): each belongs to the document after it, which then
// read as a second document, and a file starting with the version
// directive some emitters write was refused as several documents.
func dropDirectives(tree *ast.File) {
	tree.Docs = slices.DeleteFunc(tree.Docs, func(d *ast.DocumentNode) bool {
		_, directive := d.Body.(*ast.DirectiveNode)
		return directive
	})
}
