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
// so there each counts. A block scalar's text is read as plain text: an
// unclosed bracket or quote there at worst makes the count higher or
// lower, and the bounds' distance from real files absorbs it.
func checkFlow(file string, src []byte) error {
	s := &flowScan{src: src, line: 1}
	for i := 0; i < len(src); i++ {
		c := src[i]
		start := i == 0 || isYAMLSpace(rune(src[i-1])) || s.depth > 0 && (isFlowIndicator(rune(src[i-1])) || src[i-1] == ':')
		switch {
		case c == '\n':
			s.line, s.lineStart = s.line+1, i+1
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
