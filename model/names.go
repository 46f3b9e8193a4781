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
