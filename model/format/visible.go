package format

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// Visible is s with every C0 and C1 control character and DEL written as
// a Go-style escape ("\x1b"), the form `aiecon sql` already prints invalid
// bytes in. Stored text (a run's name, an error, any SQL result) may hold
// them: printed raw, an ESC rewrites the terminal, a BEL rings it and a
// newline breaks a table's row; in an SVG they make the XML ill-formed.
// Text printers and charts use it; CSV and JSON do not, as they are data
// formats with their own quoting, and must give back the value exactly.
func Visible(s string) string {
	if strings.IndexFunc(s, isControl) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if isControl(r) {
			fmt.Fprintf(&b, `\x%02x`, r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isControl(r rune) bool { return r < 0x20 || (r >= 0x7f && r <= 0x9f) }

// Typed is how a message names something the user typed (a file path, a
// --set): s as typed, or quoted whole with Go's escapes ("a\tb.json")
// where it holds a character a terminal would not show as written (a tab,
// a line break, an escape sequence, a zero-width space). Written raw, a tab
// read as spaces and an escape sequence rewrote the terminal.
func Typed(s string) string {
	if strings.ContainsFunc(s, func(r rune) bool { return !strconv.IsPrint(r) }) {
		return strconv.Quote(s)
	}
	return s
}

// VisibleLines is s with every control character but the line break, and
// every invisible format character (isEscaped), written as its Go escape
// ("\t", "\x1b", "\u202e"), as %q would write it: for a message of several
// lines that repeats text the user typed where no caller could quote it,
// a path inside the operating system's or DuckDB's error. A tab in a path
// broke the message's line, an escape sequence rewrote the terminal.
func VisibleLines(s string) string {
	if strings.IndexFunc(s, isEscaped) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if !isEscaped(r) {
			b.WriteRune(r)
			continue
		}
		q := strconv.QuoteRune(r)
		b.WriteString(q[1 : len(q)-1])
	}
	return b.String()
}

// isEscaped is what VisibleLines escapes: control characters but the line
// break, and, as Typed does, the invisible format characters (a bidi
// override U+202E, which printed raw reordered the rest of the line, a
// zero-width space) and the Unicode line and paragraph separators.
func isEscaped(r rune) bool {
	return r != '\n' && (isControl(r) || unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp))
}
