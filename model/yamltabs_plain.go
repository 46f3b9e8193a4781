package model

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml/token"
)

// errPlainTab is the Err of checkPlainTabs's refusal, so that a --set can
// word it for a value typed on the command line.
var errPlainTab = errors.New("a tab inside unquoted text")

// checkPlainTabs refuses a tab between two characters of a plain
// (unquoted) scalar on one line: YAML keeps it as text, but goccy drops it
// (name: a<TAB>b was read as "ab", and count: 1<TAB>2 as 12), which no
// later check can see. A tab that separates (after the ': ' or '- ', or
// before a comment), indents a continuation line or trails a line is
// white space YAML folds away, and passes; so do quoted strings, block
// scalars (| and >) and comments, which keep their tabs. The refusal is at
// the tab's line and column: src is the text tokens were lexed from,
// whose tokens' Origins follow one another through it.
func checkPlainTabs(file string, src []byte, tokens token.Tokens) error {
	text := []rune(string(src))
	offset := 0
	for i, tk := range tokens {
		origin := []rune(tk.Origin)
		start := offset
		offset += len(origin)
		if !plainScalar(tk.Type) || !strings.ContainsRune(tk.Origin, '\t') {
			continue
		}
		if prev := previousToken(tokens, i); prev != nil && (prev.Type == token.LiteralType || prev.Type == token.FoldedType) {
			continue // a block scalar's text
		}
		at, line := innerTab(origin)
		if at < 0 {
			continue
		}
		read := tk.Value // a number as it would be read (1<TAB>2 as 12), text quoted
		if tk.Type == token.StringType {
			read = strconv.Quote(read)
		}
		e := FieldError{File: file, Line: tk.Position.Line, Col: tk.Position.Column, Err: errPlainTab,
			Msg: fmt.Sprintf("a tab inside unquoted text, which this reader would take as %s: "+
				"quote the value and write the tab as \\t (%s), or use a space", read, strconv.Quote(line))}
		if offset <= len(text) && string(text[start:offset]) == tk.Origin {
			e.Line, e.Col = runePosition(text, start+at)
		}
		return e
	}
	return nil
}

// plainScalar reports whether tokens of type t are plain scalars: text,
// numbers, booleans and nulls written without quotes.
func plainScalar(t token.Type) bool {
	switch t {
	case token.StringType, token.IntegerType, token.BinaryIntegerType, token.OctetIntegerType, token.HexIntegerType,
		token.FloatType, token.BoolType, token.NullType, token.InfinityType, token.NanType:
		return true
	}
	return false
}

// innerTab is the index in origin, a plain scalar's text with the white
// space around it, of the first tab with other than blanks before and
// after it on its line, and that line's text (blanks trimmed); -1 if none.
func innerTab(origin []rune) (int, string) {
	lineStart := 0
	for i := 0; i <= len(origin); i++ {
		if i < len(origin) && origin[i] != '\n' && origin[i] != '\r' {
			continue
		}
		first, last := -1, -1 // the line's first and last characters other than blanks
		for j := lineStart; j < i; j++ {
			if origin[j] != ' ' && origin[j] != '\t' {
				if first < 0 {
					first = j
				}
				last = j
			}
		}
		for j := first + 1; first >= 0 && j < last; j++ {
			if origin[j] == '\t' {
				return j, string(origin[first : last+1])
			}
		}
		lineStart = i + 1
	}
	return -1, ""
}
