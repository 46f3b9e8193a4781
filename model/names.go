package model

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxLabelRunes bounds a scenario's or a workload's name: names head
// tables, chart legends and the dashboard's lists.
const MaxLabelRunes = 200

// MaxDescriptionRunes bounds a description (a scenario's, a variant's, a
// sweep's or a forecast's): it is one line for listings, printed in every
// run's header and stored with each run, and a 10 MB one was accepted,
// printed whole and grew the store by 32 MB.
const MaxDescriptionRunes = 2000

// BadDescription says why a description is too long, or "".
func BadDescription(text string) string {
	if n := utf8.RuneCountInString(text); n > MaxDescriptionRunes {
		return fmt.Sprintf("%d characters; at most %d (one line for listings: longer notes belong in a YAML comment)", n, MaxDescriptionRunes)
	}
	return ""
}

// BadLabel says what is wrong with a name, or "". A name is printed in
// every listing and stored with each run, so it may hold no control
// characters (a tab breaks the tables, an escape rewrites the terminal)
// and no invisible formatting characters (a right-to-left override shows
// a name other than the one stored, a zero-width space tells two equal
// looking names apart).
func BadLabel(name string) string {
	if n := utf8.RuneCountInString(name); n > MaxLabelRunes {
		return fmt.Sprintf("%d characters; at most %d (a name, not a description)", n, MaxLabelRunes)
	}
	for i, c := range name {
		if unicode.IsControl(c) || unicode.Is(unicode.Cf, c) {
			return fmt.Sprintf("%q holds the invisible character %U at byte %d; names may hold only visible characters and spaces", name, c, i)
		}
	}
	return ""
}

// BadSelectorName says why a path could not select a list element by
// name (workloads[NAME], pools[NAME]), or "". Brackets end a selector and
// "=" ends a --set's path, so such a name loaded but no --set, variant or
// sweep could reach it, and the error blamed the path; a name that reads
// as a number is taken for an index (workloads[1] is the second workload
// whatever its name). A dot is allowed: a selector may hold one
// (workloads[chat.v2]).
func BadSelectorName(name string) string {
	if _, err := strconv.Atoi(name); err == nil {
		return fmt.Sprintf("%q reads as a number, which a path takes for an index ([1] is the second element), so no path could select it by name; give it a name with a letter, e.g. tier%s", name, strings.TrimLeft(name, "+-"))
	}
	var bad []string
	for _, c := range "[]=" {
		if strings.ContainsRune(name, c) {
			bad = append(bad, strconv.QuoteRune(c))
		}
	}
	if len(bad) > 0 {
		return fmt.Sprintf("%q holds %s, which a path cannot select by name (brackets enclose a name, as in workloads[chat], and = ends a --set's path); a name may not hold [, ] or =", name, strings.Join(bad, " and "))
	}
	return ""
}

// VisibleText is a description with its control and invisible formatting
// characters, line breaks and tabs apart, written as escapes (\x1b,
// \u202e): a description heads reports and the dashboard's screens, where
// an escape in it ("\e[2J") cleared the terminal. Rewritten, not refused,
// so that a scenario stored with one (a sweep resumed, a run shown) still
// loads.
func VisibleText(text string) string {
	bad := func(c rune) bool {
		return c != '\n' && c != '\t' && (unicode.IsControl(c) || unicode.Is(unicode.Cf, c))
	}
	if strings.IndexFunc(text, bad) < 0 {
		return text
	}
	var b strings.Builder
	for _, c := range text {
		switch {
		case !bad(c):
			b.WriteRune(c)
		case c < 0x100:
			fmt.Fprintf(&b, `\x%02x`, c)
		default:
			fmt.Fprintf(&b, `\u%04x`, c)
		}
	}
	return b.String()
}
