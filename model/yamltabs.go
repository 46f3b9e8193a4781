package model

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml/lexer"
	"github.com/goccy/go-yaml/token"
)

// Bounds on mending tabs in double-quoted strings (lexQuotedTabs): each
// string mended costs one more pass of the lexer over the whole text, about
// 90 ms a MiB.
const (
	maxQuotedTabStrings = 64
	maxQuotedTabRelex   = 16 << 20 // characters lexed again, in all
)

// lexQuotedTabs is lexer.Tokenize, mended for a tab written inside a
// double-quoted string ("a<TAB>b", valid YAML). goccy v1.19.2's scanner
// counts such a tab twice unless the closing quote follows it, and so
// skips as many characters after the string: the line break before the
// next key was lost, and `description: "a<TAB>b"` above `model: x` was
// refused as "value is not allowed in this context". Each string holding
// one is lexed again with its tabs written as a placeholder character the
// text does not hold, which the scanner takes as one plain character, and
// the tokens then get their tabs back: every position stays the file's.
// Past maxQuotedTabStrings strings (or maxQuotedTabRelex characters lexed
// again) the next is refused, asking for \t.
func lexQuotedTabs(file string, src []byte) (token.Tokens, error) {
	text := []rune(string(src))
	tokens := lexer.Tokenize(string(text))
	var placeholder rune
	for mended, relexed := 0, 0; ; mended++ {
		at := firstQuotedTab(tokens)
		if at == nil {
			break
		}
		if placeholder == 0 {
			placeholder = unusedRune(text)
		}
		if placeholder == 0 || mended == maxQuotedTabStrings || relexed+len(text) > maxQuotedTabRelex {
			return nil, FieldError{File: file, Line: at.Position.Line, Col: at.Position.Column,
				Msg: fmt.Sprintf("a tab character inside a double-quoted string, after %d others: write each as \\t", mended)}
		}
		markQuotedTabs(text, at.Position.Offset-1, placeholder)
		tokens = lexer.Tokenize(string(text))
		relexed += len(text)
	}
	if placeholder != 0 {
		tab := string(placeholder)
		for _, tk := range tokens {
			if tk.Type == token.DoubleQuoteType {
				tk.Value = strings.ReplaceAll(tk.Value, tab, "\t")
				tk.Origin = strings.ReplaceAll(tk.Origin, tab, "\t")
			}
		}
	}
	return tokens, nil
}

// firstQuotedTab is the first double-quoted token whose text holds a tab
// the scanner misreads: content (markQuotedTabs), not before the closing
// quote. The tokens up to it are right; those after it may not be.
func firstQuotedTab(tokens token.Tokens) *token.Token {
	for _, tk := range tokens {
		if tk.Type != token.DoubleQuoteType {
			continue
		}
		_, body, _ := strings.Cut(tk.Origin, `"`) // Origin starts with the white space before the string
		if strings.ContainsRune(body, '\t') && markQuotedTabs([]rune(`"`+body), 0, 0) > 0 {
			return tk
		}
	}
	return nil
}

// markQuotedTabs replaces with mark the content tabs of the double-quoted
// string whose opening quote is text[open], and returns how many it
// found that the scanner misreads (mark 0 only counts them). A tab is
// content unless it leads a continuation line or trails a line (with only
// blanks between it and the line break): YAML folds those away, and the
// scanner reads them right. An escaped character (\t, \", \ and a line
// break) is skipped.
func markQuotedTabs(text []rune, open int, mark rune) int {
	misread := 0
	lineStart := false // after a line break inside the string, before any text
	for i := open + 1; i < len(text) && text[i] != '"'; i++ {
		switch c := text[i]; c {
		case '\\':
			if i+1 < len(text) && (text[i+1] == '\n' || text[i+1] == '\r') {
				lineStart = true
			}
			i++
		case '\n', '\r':
			lineStart = true
		case ' ':
		case '\t':
			if lineStart || trailingBlank(text, i) {
				continue
			}
			if i+1 < len(text) && text[i+1] != '"' {
				misread++
			}
			if mark != 0 {
				text[i] = mark
			}
		default:
			lineStart = false
		}
	}
	return misread
}

// trailingBlank reports whether only spaces and tabs follow text[i] up to
// a line break or the end.
func trailingBlank(text []rune, i int) bool {
	for j := i + 1; j < len(text); j++ {
		switch text[j] {
		case ' ', '\t':
		case '\n', '\r':
			return true
		default:
			return false
		}
	}
	return true
}

// unusedRune is a character text does not hold, from Unicode's private
// use area up; 0 when text holds every one.
func unusedRune(text []rune) rune {
	used := map[rune]bool{}
	for _, r := range text {
		if r >= 0xE000 {
			used[r] = true
		}
	}
	for r := rune(0xE000); r <= 0x10FFFF; r++ {
		if !used[r] {
			return r
		}
	}
	return 0
}

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

// runePosition is the 1-based line and column of text[i].
func runePosition(text []rune, i int) (line, col int) {
	line, col = 1, 1
	for _, r := range text[:i] {
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}
