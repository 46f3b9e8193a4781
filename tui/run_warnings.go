package tui

import (
	"slices"
	"strings"
	"unicode"

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
// rows shown (shownRows) less the screen's head, tabs and the status line.
// Counted on s.h, a 12-row terminal's status named lines clipped away and
// G stopped two short of the last, as the sweep screen's did.
func (s *runScreen) warnPage() int {
	return max(shownRows(s.h, s.visRows)-s.chrome(s.w, s.h)-1, 1)
}

// setVisibleRows is clippedScreen's: the rows of the body the app shows of
// the screen.
func (s *runScreen) setVisibleRows(n int) { s.visRows = n }

// toggleWarnings is the i key: the warnings in full from their top, or
// the tab again.
func (s *runScreen) toggleWarnings() {
	s.warnFull, s.warnOff = !s.warnFull && len(s.warnings) > 0, 0
}

// scrollWarnings moves the warnings shown in full by the table's keys,
// and says whether the key was one of them.
func (s *runScreen) scrollWarnings(m tea.KeyPressMsg) bool {
	off, ok := scrollOffset(m, s.warnOff, s.warnPage(), len(s.warnText(s.w)))
	if ok {
		s.warnOff = off
	}
	return ok
}

// warnView is the warnings in full in h lines, with a status line saying
// which lines show.
func (s *runScreen) warnView(w, h int) string {
	page := max(min(h-1, s.warnPage()), 1)
	shown, status := warningsWindow(s.warnText(w), s.warnOff, page, "back to the tab")
	return fitBlock(strings.Join(shown, "\n"), w, h-1) + "\n" + s.sh.st.muted.Render(fitWidth(status, w))
}
