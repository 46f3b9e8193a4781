package model

import (
	"bytes"
	"slices"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml/lexer"
	"github.com/goccy/go-yaml/token"
)

// maxQuotedTabRelex bounds the characters lexed again while mending tabs
// in double-quoted strings (lexQuotedTabs), about 90 ms a MiB: the lexing
// that mends every string guessQuotedTabs finds is free, and each string
// it missed or a quote it misjudged costs one more, which for a
// 100 KB scenario leaves room for 160.
const maxQuotedTabRelex = 16 << 20

// lexQuotedTabs is lexer.Tokenize, mended for a tab written inside a
// double-quoted string ("a<TAB>b", valid YAML). goccy v1.19.2's scanner
// counts such a tab twice unless the closing quote follows it, and so
// skips as many characters after the string: the line break before the
// next key was lost, and `description: "a<TAB>b"` above `model: x` was
// refused as "value is not allowed in this context". The tabs of each such
// string are written as a placeholder character the text does not hold,
// which the scanner takes as one plain character, and the tokens then get
// their tabs back: every position stays the file's. The strings are found
// in one pass over the text (guessQuotedTabs), and the lexer's tokens
// confirm each: a string the pass missed, or a quote it misjudged, is
// mended or restored one at a time (quotedTabMender).
func lexQuotedTabs(file string, src []byte) (token.Tokens, error) {
	if !bytes.ContainsRune(src, '\t') {
		return lexer.Tokenize(string(src)), nil
	}
	return mendQuotedTabs(file, []rune(string(src)), maxQuotedTabRelex)
}

// mendQuotedTabs is lexQuotedTabs on text, lexing at most budget
// characters again after the first lexing.
func mendQuotedTabs(file string, text []rune, budget int) (token.Tokens, error) {
	mark := unusedRune(text)
	// goccy counts a CRLF inside a comment or a quoted string as two lines,
	// which would misplace every token after it: the strings are found in
	// the text with CRLFs written as LFs, then marked in the file's own.
	lf, at := withoutCRLF(text)
	m := &quotedTabMender{file: file, text: lf, original: slices.Clone(lf), lines: lineStarts(lf), mark: mark, budget: budget}
	if mark != 0 {
		for _, open := range guessQuotedTabs(lf) {
			m.claim(open)
		}
	}
	tokens, err := m.mend()
	if err != nil {
		return nil, err
	}
	if at != nil { // the file's own text, with the same marks
		for i, r := range lf {
			if r == mark && mark != 0 {
				text[at[i]] = mark
			}
		}
		tokens = lexer.Tokenize(string(text))
	}
	if len(m.claims) == 0 {
		return tokens, nil
	}
	tab := string(mark)
	for _, tk := range tokens {
		if tk.Type == token.DoubleQuoteType {
			tk.Value = strings.ReplaceAll(tk.Value, tab, "\t")
			tk.Origin = strings.ReplaceAll(tk.Origin, tab, "\t")
		}
	}
	return tokens, nil
}

// quotedTabMender marks the tabs of the double-quoted strings the scanner
// misreads until a lexing of text confirms every string marked and finds
// none left.
type quotedTabMender struct {
	file           string
	text, original []rune // original: text before any mark
	lines          []int  // the index in text of each line's first character
	mark           rune   // 0 where the text leaves none free: a string misread is refused
	claims         []int  // the opening quotes of the strings marked, ascending
	lexed, budget  int    // characters lexed again, and the most that may be
	at             int    // the index in text of the last thing settled
	unmendable     bool   // a string at text[at] is misread, and mark is 0
}

// mend lexes the text until its tokens confirm it. A lexing's tokens are
// right up to the first string misread, so each pass settles the first
// thing in the text that is wrong: a string marked where no token opens
// one (its marks are undone), or a string misread (its tabs are marked).
func (m *quotedTabMender) mend() (token.Tokens, error) {
	for again := false; ; again = true {
		if again && m.lexed+len(m.text) > m.budget {
			return nil, m.tooMany()
		}
		tokens := lexer.Tokenize(string(m.text))
		if again {
			m.lexed += len(m.text)
		}
		if !m.settleFirst(tokens) {
			if m.unmendable {
				line, col := runePosition(m.text, m.at)
				return nil, FieldError{File: m.file, Line: line, Col: col,
					Msg: "a tab character inside a double-quoted string, in a file that holds every character this reader could mend it with: write it as \\t"}
			}
			return tokens, nil
		}
	}
}

// settleFirst mends the first wrong thing tokens show, and reports
// whether there was one.
func (m *quotedTabMender) settleFirst(tokens token.Tokens) bool {
	next := 0          // the first claim no token has confirmed yet
	line, tags := 0, 0 // the line of the last token, and the tags before it on that line
	for _, tk := range tokens {
		if tk.Position.Line != line {
			line, tags = tk.Position.Line, 0
		}
		if tk.Type == token.TagType {
			tags++
		}
		if tk.Type != token.DoubleQuoteType {
			continue
		}
		open, ok := m.locate(tk, tags)
		if !ok {
			// The scanner's positions no longer match the text: past
			// here its reading is left as it is, no string marked.
			if next == len(m.claims) {
				return false
			}
			for _, c := range slices.Clone(m.claims[next:]) {
				m.unclaim(c)
			}
			return true
		}
		if next < len(m.claims) && m.claims[next] < open {
			m.unclaim(m.claims[next]) // no string opens there
			return true
		}
		if next < len(m.claims) && m.claims[next] == open {
			next++
			continue
		}
		if markQuotedTabs(m.text, open, 0) > 0 {
			if m.mark == 0 {
				m.at, m.unmendable = open, true
				return false
			}
			m.claim(open)
			return true
		}
	}
	if next < len(m.claims) {
		m.unclaim(m.claims[next])
		return true
	}
	return false
}

// locate is the index in text of tk's opening quote, from its line and
// column; false where no quote is there. The scanner's columns are one
// short for each tag (!!str) before the token on its line.
func (m *quotedTabMender) locate(tk *token.Token, tags int) (int, bool) {
	line, col := tk.Position.Line, tk.Position.Column+tags
	if line < 1 || line > len(m.lines) || col < 1 {
		return 0, false
	}
	i := m.lines[line-1] + col - 1
	return i, i < len(m.text) && m.text[i] == '"'
}

// claim marks the tabs of the string opening at text[open].
func (m *quotedTabMender) claim(open int) {
	m.at = open
	markQuotedTabs(m.text, open, m.mark)
	i, _ := slices.BinarySearch(m.claims, open)
	m.claims = slices.Insert(m.claims, i, open)
}

// unclaim restores the text of the string claimed at text[open].
func (m *quotedTabMender) unclaim(open int) {
	m.at = open
	end := closingQuote(m.text, open)
	copy(m.text[open:end], m.original[open:end])
	i, _ := slices.BinarySearch(m.claims, open)
	m.claims = slices.Delete(m.claims, i, i+1)
}

// tooMany refuses the text once the budget is spent, at the last string
// settled: the ones before it are read right.
func (m *quotedTabMender) tooMany() error {
	line, col := runePosition(m.text, m.at)
	return FieldError{File: m.file, Line: line, Col: col,
		Msg: "tabs inside double-quoted strings: placing them here takes one more reading of this file than this reader allows; " +
			"write each tab inside double quotes as \\t"}
}

// closingQuote is the index just past the double-quoted string opening at
// text[open] (its closing quote included), or len(text).
func closingQuote(text []rune, open int) int {
	for i := open + 1; i < len(text); i++ {
		switch text[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(text)
}

// withoutCRLF is text with each CRLF written as LF, and the index in text
// of each of its characters; text itself and nil when it has no CRLF.
func withoutCRLF(text []rune) ([]rune, []int) {
	if !slices.Contains(text, '\r') {
		return text, nil
	}
	lf := make([]rune, 0, len(text))
	at := make([]int, 0, len(text))
	for i, r := range text {
		if r == '\r' && i+1 < len(text) && text[i+1] == '\n' {
			continue
		}
		lf, at = append(lf, r), append(at, i)
	}
	if len(lf) == len(text) {
		return text, nil
	}
	return lf, at
}

// lineStarts is the index of each line's first character, lines broken as
// the scanner does at LF and at a CR not before an LF.
func lineStarts(text []rune) []int {
	starts := []int{0}
	for i, r := range text {
		if r == '\n' || r == '\r' && (i+1 == len(text) || text[i+1] != '\n') {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// markQuotedTabs replaces with mark the content tabs of the double-quoted
// string whose opening quote is text[open], and returns how many it
// found that the scanner misreads (mark 0 only counts them). A tab is
// content unless it leads a continuation line or trails a line (with only
// blanks between it and the line break): YAML folds those away, and the
// scanner reads them right. An escaped character (\t, \", \ and a line
// break) is skipped. Each run of blanks is read once, so a long one costs
// its length, not its square.
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
		case ' ', '\t':
			end := i
			for end < len(text) && (text[end] == ' ' || text[end] == '\t') {
				end++
			}
			if !lineStart && end < len(text) && text[end] != '\n' && text[end] != '\r' { // not trailing
				misread += markTabs(text[i:end], text[end] == '"', mark)
			}
			i = end - 1
		default:
			lineStart = false
		}
	}
	return misread
}

// markTabs replaces with mark the tabs of a run of blanks, and returns how
// many the scanner misreads: each but one right before the closing quote
// (where the run is beforeQuote).
func markTabs(run []rune, beforeQuote bool, mark rune) int {
	misread := 0
	for k, r := range run {
		if r != '\t' {
			continue
		}
		if k+1 < len(run) || !beforeQuote {
			misread++
		}
		if mark != 0 {
			run[k] = mark
		}
	}
	return misread
}

// unusedRune is a character of Unicode's private use area that text
// neither holds nor writes as an escape (\uE000), so that a placeholder
// put in a string is told from the string's own characters; 0 when there
// is none.
func unusedRune(text []rune) rune {
	const first, last = 0xE000, 0xF8FF
	used := map[rune]bool{}
	for i, r := range text {
		if r >= first && r <= last {
			used[r] = true
		}
		if r != '\\' || i+1 == len(text) || text[i+1] != 'u' && text[i+1] != 'U' {
			continue
		}
		digits := 4
		if text[i+1] == 'U' {
			digits = 8
		}
		if i+2+digits <= len(text) {
			if n, err := strconv.ParseUint(string(text[i+2:i+2+digits]), 16, 32); err == nil {
				used[rune(n)] = true
			}
		}
	}
	for r := rune(first); r <= last; r++ {
		if !used[r] {
			return r
		}
	}
	return 0
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
