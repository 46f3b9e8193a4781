package tui

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"aiecon/study/caveat"
)

// The run screen's warnings: those aiecon show prints under a stored run
// (OVERLOADED, SATURATED, IDLE SLOTS, SESSIONS ABANDONED, COMMERCE COUNTED
// GROSS, STEP TIMES THINLY FITTED, the profile's caveats ...), from the
// CLI's own checks (Options.RunWarnings, run with the load in its Cmd, as
// they read the calibration profile's file). The screen showed a run's
// cost per Mtok and a green SLO card with none of them. A line under the
// run line names them (warnLabels), which fits 80 columns; i shows them in
// full in the tab's place, scrolled by the table's keys.

// warnLabels are the warnings' labels in order, each once (a run may warn
// OVERLOADED twice, for two causes): the words before a warning's colon
// where they are a label (capitals), leaving out the hints that follow
// one ("To size the fleet for this traffic: aiecon optimize …").
func warnLabels(ws []string) []string {
	var out []string
	for _, w := range ws {
		l := caveat.Label(w)
		if l == "" || strings.IndexFunc(l, unicode.IsLower) >= 0 || slices.Contains(out, l) {
			continue
		}
		out = append(out, l)
	}
	return out
}

// hasWarning reports whether the run warns with a label.
func (s *runScreen) hasWarning(label string) bool {
	return slices.Contains(warnLabels(s.warnings), label)
}

// warnLine is the line (or lines, on a narrow screen) under the run line
// that names the warnings and the key that shows them; nil without any.
func (s *runScreen) warnLine(w int) []string {
	if len(s.warnings) == 0 || s.out.active {
		return nil
	}
	return warningsLine(warnLabels(s.warnings), s.warnFull, w, s.sh.st.warn)
}

// warnText is the warnings in full wrapped to w cells.
func (s *runScreen) warnText(w int) []string { return warningsText(s.warnings, w) }

// warnPage is how many lines of the warnings in full show at once: the
// tab's body less its status line.
func (s *runScreen) warnPage() int { return max(s.h-s.chrome(s.w, s.h)-1, 1) }

// toggleWarnings is the i key: the warnings in full from their top, or
// the tab again.
func (s *runScreen) toggleWarnings() {
	s.warnFull, s.warnOff = !s.warnFull && len(s.warnings) > 0, 0
}

// scrollWarnings moves the warnings shown in full by the table's keys,
// and says whether the key was one of them.
func (s *runScreen) scrollWarnings(m tea.KeyPressMsg) bool {
	page, n := s.warnPage(), len(s.warnText(s.w))
	switch {
	case key.Matches(m, tableKeys.up):
		s.warnOff--
	case key.Matches(m, tableKeys.down):
		s.warnOff++
	case key.Matches(m, tableKeys.pgUp):
		s.warnOff -= page
	case key.Matches(m, tableKeys.pgDown):
		s.warnOff += page
	case key.Matches(m, tableKeys.top):
		s.warnOff = 0
	case key.Matches(m, tableKeys.bottom):
		s.warnOff = n - page
	default:
		return false
	}
	s.warnOff = max(min(s.warnOff, n-page), 0)
	return true
}

// warnView is the warnings in full in h lines, with a status line saying
// which lines show.
func (s *runScreen) warnView(w, h int) string {
	text, page := s.warnText(w), max(h-1, 1)
	from := max(min(s.warnOff, len(text)-page), 0)
	to := min(from+page, len(text))
	status := fmt.Sprintf("warning lines %d–%d of %d", from+1, to, len(text))
	if to-from < len(text) {
		status += " · ↑/↓ pgup/pgdn scroll"
	}
	status += " · i or esc: back to the tab"
	return fitBlock(strings.Join(text[from:to], "\n"), w, h-1) + "\n" + s.sh.st.muted.Render(fitWidth(status, w))
}
