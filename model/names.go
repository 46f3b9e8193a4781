package model

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

// MaxLabelRunes bounds a scenario's or a workload's name: names head
// tables, chart legends and the dashboard's lists.
const MaxLabelRunes = 200

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

// MaxDescriptionRunes bounds a description: it heads a run's report and is
// stored with each run, a sentence or a paragraph, not a document.
const MaxDescriptionRunes = 4000

// BadText says what is wrong with a description, or "": BadLabel's rule
// with line breaks and tabs allowed, as a description may run over lines,
// and a bound of its own. An escape in one (a YAML "\e[2J") cleared the
// terminal of whoever ran the scenario.
func BadText(text string) string {
	if n := utf8.RuneCountInString(text); n > MaxDescriptionRunes {
		return fmt.Sprintf("%d characters; at most %d", n, MaxDescriptionRunes)
	}
	for i, c := range text {
		if c != '\n' && c != '\t' && (unicode.IsControl(c) || unicode.Is(unicode.Cf, c)) {
			return fmt.Sprintf("holds the invisible character %U at byte %d; a description may hold only visible characters, spaces, tabs and line breaks", c, i)
		}
	}
	return ""
}
