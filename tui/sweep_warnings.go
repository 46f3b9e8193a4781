package tui

import (
	"strings"
	"sync"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"aiecon/study/caveat"
)

// The sweep screen's warnings: those aiecon sweep prints under its summary
// (COMMERCE COUNTED GROSS, SESSIONS ABANDONED) and those optimize prints of
// the fleets it evaluated (the step-times coverage warnings, THINLY FITTED
// among them, and SCHEDULERS DIFFER), tallied over the runs the sweep
// counts by caveat.Sweep, the CLI's own code. The screen read an
// optimizer's margins with none of them. A line under the head names them
// (caveat.Label), which fits 80 columns; i shows them in full in the
// table's place, scrolled by the table's keys.

// sweepCaveats keeps a tally by sweep for the session, beside the
// overload check's memo (shared.overMemo): a load asks the check only of
// the runs the memo does not hold, so the tally keeps the others'.
type sweepCaveats struct {
	mu sync.Mutex
	by map[string]*caveat.Sweep
}

// of is the sweep's tally; a nil keeper gives a fresh one each time.
func (c *sweepCaveats) of(sweepID string) *caveat.Sweep {
	if c == nil {
		return &caveat.Sweep{}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.by == nil {
		c.by = map[string]*caveat.Sweep{}
	}
	if c.by[sweepID] == nil {
		c.by[sweepID] = &caveat.Sweep{}
	}
	return c.by[sweepID]
}

// warnLine is the line (or lines, on a narrow screen) under the head that
// names the warnings and the key that shows them; nil without any.
func (s *sweepScreen) warnLine(w int) []string {
	if len(s.warnings) == 0 || s.sweepID == "" {
		return nil
	}
	labels := make([]string, len(s.warnings))
	for i, wn := range s.warnings {
		labels[i] = caveat.Label(wn)
	}
	return warningsLine(labels, s.warnFull, w, s.sh.st.warn)
}

// warnText is the warnings in full wrapped to w cells.
func (s *sweepScreen) warnText(w int) []string { return warningsText(s.warnings, w) }

// warnPage is how many lines of the warnings in full show at once: the
// rows shown (shownRows) under the head and the line naming them, less the
// status line.
func (s *sweepScreen) warnPage() int {
	return max(shownRows(s.h, s.visRows)-2-len(s.warnLine(s.w)), 1)
}

// setVisibleRows is clippedScreen's: the rows of the body the app shows of
// the screen.
func (s *sweepScreen) setVisibleRows(n int) { s.visRows = n }

// toggleWarnings is the i key: the warnings in full from their top, or
// the table again.
func (s *sweepScreen) toggleWarnings() {
	s.warnFull, s.warnOff = !s.warnFull && len(s.warnings) > 0, 0
	s.resize(s.w, s.h)
}

// scrollWarnings moves the warnings shown in full by the table's keys,
// and says whether the key was one of them.
func (s *sweepScreen) scrollWarnings(m tea.KeyPressMsg) bool {
	off, ok := scrollOffset(m, s.warnOff, s.warnPage(), len(s.warnText(s.w)))
	if ok {
		s.warnOff = off
	}
	return ok
}

// scrollOffset is the offset of a window of page lines over n that the
// table's keys move it to from off (up, down, pgup, pgdn, g, G), clamped so
// that the window is full; ok says whether m was one of the keys. The run,
// sweep and compare screens' warnings in full scroll by it.
func scrollOffset(m tea.KeyPressMsg, off, page, n int) (int, bool) {
	switch {
	case key.Matches(m, tableKeys.up):
		off--
	case key.Matches(m, tableKeys.down):
		off++
	case key.Matches(m, tableKeys.pgUp):
		off -= page
	case key.Matches(m, tableKeys.pgDown):
		off += page
	case key.Matches(m, tableKeys.top):
		off = 0
	case key.Matches(m, tableKeys.bottom):
		off = n - page
	default:
		return off, false
	}
	return max(min(off, n-page), 0), true
}

// warnView is the warnings in full under the head and the line naming
// them, with a status line saying which lines show.
func (s *sweepScreen) warnView(lines []string, w, h int) string {
	shown, status := warningsWindow(s.warnText(w), s.warnOff, s.warnPage(), "back to the points")
	lines = append(lines, shown...)
	return fitBlock(strings.Join(lines, "\n"), w, h-1) + "\n" + s.sh.st.muted.Render(fitWidth(status, w))
}
