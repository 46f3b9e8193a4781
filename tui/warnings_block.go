package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"
)

// The warnings block the run and sweep screens share: a line under the
// screen's head naming the warnings by label, and i showing them in full in
// the table's place, scrolled by the table's keys (scrollOffset), a page
// being the rows the app shows (shownRows) less the screen's own.

var warnKeys = struct{ toggle, scroll key.Binding }{
	toggle: key.NewBinding(key.WithKeys("i"), key.WithHelp("i", "warnings in full")),
	// Help only: the table's keys scroll the warnings while they show.
	scroll: key.NewBinding(key.WithKeys("up", "down", "pgup", "pgdown"), key.WithHelp("↑/↓ pgup/pgdn", "scroll warnings")),
}

// warningsLine is the line (or lines, on a narrow screen) naming the
// warnings by their labels and the key that shows them in full (or folds
// them, while full), each fitted to w cells and styled.
func warningsLine(labels []string, full bool, w int, st lipgloss.Style) []string {
	hint := "i: in full"
	if full {
		hint = "i: fold"
	}
	lines := wrapItems(append(append([]string{"⚠"}, labels...), hint), w)
	for i, l := range lines {
		lines[i] = st.Render(fitWidth(l, w))
	}
	return lines
}

// warningsText is the warnings in full wrapped to w cells, a blank line
// between two.
func warningsText(ws []string, w int) []string {
	var out []string
	for i, wn := range ws {
		if i > 0 {
			out = append(out, "")
		}
		out = append(out, strings.Split(wrap(wn, w), "\n")...)
	}
	return out
}

// shownRows is how many of the h rows a screen is laid out for the app
// shows: visRows where it clips the screen to fewer (clippedScreen; a
// 12-row terminal shows 10 of minBodyH), h where it has not said (0).
// Counted on h, a page of warnings named lines clipped away and G stopped
// short of the last.
func shownRows(h, visRows int) int {
	if visRows > 0 {
		return min(h, visRows)
	}
	return h
}

// warningsWindow is the lines of text a page of them from off shows, and
// the status line saying which, ending in how to go back.
func warningsWindow(text []string, off, page int, back string) ([]string, string) {
	from := max(min(off, len(text)-page), 0)
	to := min(from+page, len(text))
	status := fmt.Sprintf("warning lines %d–%d of %d", from+1, to, len(text))
	if to-from < len(text) {
		status += " · ↑/↓ pgup/pgdn scroll"
	}
	return text[from:to], status + " · i or esc: " + back
}
