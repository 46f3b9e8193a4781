package model

// guessQuotedTabs returns, ascending, the opening quotes of the
// double-quoted strings of text that hold a tab goccy's scanner misreads
// (markQuotedTabs). It reads text once, following YAML's structure far
// enough to tell a string's opening quote from a quote in a comment, a
// single-quoted string, a block scalar (| or >) or plain text: a '"' opens
// a string where a scalar may start (a line's start, after "- ", "? ",
// a key's ": ", a flow '[', '{' or ',', an anchor or a tag). It is a guess,
// which the lexer's tokens then confirm (quotedTabMender): a quote it
// misjudges (one starting a plain scalar's continuation line, say) costs a
// pass over the text, not a wrong reading.
func guessQuotedTabs(text []rune) []int {
	g := quoteGuess{text: text, block: -1}
	g.newLine()
	for g.i < len(text) {
		g.step()
	}
	return g.opens
}

// quoteGuess is guessQuotedTabs's place in the text.
type quoteGuess struct {
	text      []rune
	i         int
	opens     []int
	lineBegin int  // the index of the current line's first character
	indent    int  // the current line's indentation
	keyCol    int  // the column of the current line's last key, else its indentation
	scalarCol int  // the column where the last scalar started
	start     bool // a scalar may start here
	flow      int  // flow collections open
	block     int  // in a block scalar, the indentation its lines pass; -1 outside
}

// step reads the character at i, and what it begins.
func (g *quoteGuess) step() {
	t, c := g.text, g.text[g.i]
	switch {
	case c == '\n' || c == '\r':
		g.i++
		if c == '\r' && g.i < len(t) && t[g.i] == '\n' {
			g.i++
		}
		g.newLine()
	case c == ' ' || c == '\t':
		g.i++
	case c == '#' && (g.i == 0 || isYAMLSpace(t[g.i-1])):
		g.toLineEnd()
	case g.start && (c == '"' || c == '\''):
		var end int
		if c == '"' {
			end = closingQuote(t, g.i)
			if markQuotedTabs(t, g.i, 0) > 0 {
				g.opens = append(g.opens, g.i)
			}
		} else {
			end = closingSingleQuote(t, g.i)
		}
		g.scalarCol, g.start = g.i-g.lineBegin, false
		g.jump(end)
	case g.start && g.flow == 0 && (c == '|' || c == '>'):
		g.block = g.keyCol
		g.toLineEnd()
	case g.start && (c == '&' || c == '!' || c == '*'):
		for g.i < len(t) && !isYAMLSpace(t[g.i]) && !(g.flow > 0 && isFlowIndicator(t[g.i])) {
			g.i++
		}
		g.start = c != '*' // an anchor or a tag comes before its value
	case g.start && (c == '-' || c == '?') && g.blankAfter():
		g.i++
	case c == ':' && (g.blankAfter() || g.flow > 0 && isFlowIndicator(t[g.i+1])):
		g.i++
		g.start = true
		if g.flow == 0 {
			g.keyCol = g.scalarCol
		}
	case (c == '[' || c == '{') && (g.start || g.flow > 0):
		g.i, g.flow, g.start = g.i+1, g.flow+1, true
	case (c == ']' || c == '}') && g.flow > 0:
		g.i, g.flow, g.start = g.i+1, g.flow-1, false
	case c == ',' && g.flow > 0:
		g.i, g.start = g.i+1, true
	default: // plain text
		if g.start {
			g.scalarCol = g.i - g.lineBegin
		}
		g.i, g.start = g.i+1, false
	}
}

// newLine reads a line's indentation at i, skipping the lines of a block
// scalar, a directive (%YAML) and a document marker (---, ...).
func (g *quoteGuess) newLine() {
	t := g.text
	for g.i < len(t) {
		n := 0
		for g.i+n < len(t) && t[g.i+n] == ' ' {
			n++
		}
		if g.block >= 0 && (n > g.block || g.blankLineFrom(g.i+n)) {
			g.toLineEnd() // the block scalar's text
			g.skipBreak()
			continue
		}
		g.block = -1
		g.lineBegin, g.indent, g.keyCol = g.i, n, n
		g.i += n
		g.start = true
		switch {
		case n == 0 && g.i < len(t) && t[g.i] == '%':
			g.toLineEnd()
		case n == 0 && g.i+3 <= len(t) && (string(t[g.i:g.i+3]) == "---" || string(t[g.i:g.i+3]) == "...") &&
			(g.i+3 == len(t) || isYAMLSpace(t[g.i+3])):
			g.i += 3
		}
		return
	}
}

// blankAfter reports whether the character after i is white space, a line
// break or the end of the text.
func (g *quoteGuess) blankAfter() bool {
	return g.i+1 == len(g.text) || isYAMLSpace(g.text[g.i+1])
}

// blankLineFrom reports whether only spaces and tabs follow text[j] on its
// line.
func (g *quoteGuess) blankLineFrom(j int) bool {
	for ; j < len(g.text) && g.text[j] != '\n' && g.text[j] != '\r'; j++ {
		if g.text[j] != ' ' && g.text[j] != '\t' {
			return false
		}
	}
	return true
}

// toLineEnd moves i to the line break that ends its line, or the end.
func (g *quoteGuess) toLineEnd() {
	for g.i < len(g.text) && g.text[g.i] != '\n' && g.text[g.i] != '\r' {
		g.i++
	}
}

// skipBreak moves i past the line break at it.
func (g *quoteGuess) skipBreak() {
	if g.i < len(g.text) && g.text[g.i] == '\r' {
		g.i++
	}
	if g.i < len(g.text) && g.text[g.i] == '\n' {
		g.i++
	}
}

// jump moves i to end, past a quoted string that may span lines.
func (g *quoteGuess) jump(end int) {
	for ; g.i < end; g.i++ {
		if c := g.text[g.i]; c == '\n' || c == '\r' {
			g.lineBegin = g.i + 1
		}
	}
}

// closingSingleQuote is the index just past the single-quoted string
// opening at text[open] (” is a quote inside it), or len(text).
func closingSingleQuote(text []rune, open int) int {
	for i := open + 1; i < len(text); i++ {
		if text[i] != '\'' {
			continue
		}
		if i+1 < len(text) && text[i+1] == '\'' {
			i++
			continue
		}
		return i + 1
	}
	return len(text)
}

// isYAMLSpace reports whether r is a space, a tab or a line break.
func isYAMLSpace(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' }

// isFlowIndicator reports whether r ends a flow collection's entry.
func isFlowIndicator(r rune) bool { return r == ',' || r == '[' || r == ']' || r == '{' || r == '}' }
