package tui

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"aiecon/model/format"
)

// The compare screen's warnings: what they say, how a short screen folds
// them under the table's floor, and how i shows them in full, scrolling
// where they are taller than the screen leaves them.

// minCompareTableLines is the table's floor on a short screen: its header
// and five KPIs. Six runs' pricing and horizon warnings took every line
// of an 80x24 screen, the table's header too.
const minCompareTableLines = 6

// wholeWarningsTableLines is what the table keeps of the screen while the
// warnings show in full: its header and a row, which say it is there.
const wholeWarningsTableLines = 2

// shownWarning is warning(w) as the screen shows it in h lines: whole
// where it leaves the table its floor; else cut to the lines that do,
// ended by a line that says how many are left out and which key shows
// them. In full (i), a window of it from warnOffset where it is taller
// than the screen leaves, ended by a line that says which lines show and
// how to scroll: cut there once, a warning lost its end unsaid.
func (s *compareScreen) shownWarning(w, h int) []string {
	h = shownRows(h, s.visRows) // the rows the app shows
	all := s.warning(w)
	if len(all) == 0 {
		return all
	}
	if page := s.warnPage(w, h); page > 0 {
		from := min(max(s.warnOffset, 0), len(all)-page)
		note := fmt.Sprintf("⚠ warning lines %d–%d of %d: ↑/↓ pgup/pgdn to scroll, %s to fold", from+1, from+page, len(all), compareKeys.warnings.Help().Key)
		return append(slices.Clone(all[from:from+page]), fitWidth(note, w))
	}
	if s.wholeWarnings {
		return all
	}
	floor := min(minCompareTableLines, 1+len(s.tbl.rows))
	room := h - s.legendHeight(w, h) - s.ownLines(w) - 1 - floor
	if len(all) <= room {
		return all
	}
	keep := max(room-1, 0)
	note := fmt.Sprintf("⚠ … %d more lines of warnings: %s to read them in full", len(all)-keep, compareKeys.warnings.Help().Key)
	return append(all[:keep:keep], fitWidth(note, w))
}

// warnPage is how many lines of the warnings show at once while they show
// in full and scroll; 0 where they are folded or fit whole.
func (s *compareScreen) warnPage(w, h int) int {
	if !s.wholeWarnings {
		return 0
	}
	n := len(s.warning(w))
	h = shownRows(h, s.visRows)
	room := h - s.legendHeight(w, h) - s.ownLines(w) - 1 - wholeWarningsTableLines
	if n <= room {
		return 0
	}
	return min(max(room-1, 1), n) // a line of the room says which lines show
}

// scrollWarnings moves the warnings shown in full by the table's keys,
// and says whether the key was one of them.
func (s *compareScreen) scrollWarnings(m tea.KeyPressMsg) bool {
	page := s.warnPage(s.w, s.h)
	if page == 0 {
		return false
	}
	off, ok := scrollOffset(m, s.warnOffset, page, len(s.warning(s.w)))
	if ok {
		s.warnOffset = off
	}
	return ok
}

// warningKeys are the warnings' keys the help shows: i to show them in
// full where they are folded, or to fold them, and the scroll keys while
// they scroll.
func (s *compareScreen) warningKeys() []key.Binding {
	if s.wholeWarnings {
		warnings := compareKeys.warnings
		warnings.SetHelp("i", "fold warnings")
		if s.warnPage(s.w, s.h) > 0 {
			return []key.Binding{compareKeys.scrollWarnings, warnings}
		}
		return []key.Binding{warnings}
	}
	if s.cmp != nil && len(s.shownWarning(s.w, s.h)) < len(s.warning(s.w)) {
		return []key.Binding{compareKeys.warnings}
	}
	return nil
}

// toggleWholeWarnings is the i key: the warnings in full from their top,
// or folded again.
func (s *compareScreen) toggleWholeWarnings() {
	s.wholeWarnings, s.warnOffset = !s.wholeWarnings, 0
	s.resize(s.w, s.h)
}

// warning is the horizon, the seed-only, the overload, the freshness and the pricing
// warnings wrapped to w cells, nil when the runs simulated the same length
// of time under different settings that agree on modelling freshness and
// pay alike. Freshness and pricing leave the deltas coloured: only ads and
// commerce carry the one, only costs and margin the other, and a cost
// paid is a cost whichever the pricing model. They are the CLI's wording (data owns it), with the runs named by
// the screen's letters, and come before the
// table: the header line that shows each run's horizon is cut on a narrow
// terminal, and without it a 48h baseline against a 1h run reads as a 98%
// fall in revenue, and two seeds of one scenario as an effect.
func (s *compareScreen) warning(w int) []string {
	if s.cmp == nil {
		return nil
	}
	var out []string
	letters := make([]string, len(s.cmp.Runs))
	for i := range letters {
		letters[i] = runLetter(i)
	}
	if msg := s.cmp.IncompleteWarningNaming(letters); msg != "" { // first, as aiecon compare prints it: else an empty table says nothing
		out = append(out, strings.Split(wrap("⚠ "+msg, w), "\n")...)
	}
	if msg := s.cmp.OverloadWarningNaming(letters); msg != "" { // next, as aiecon compare prints it
		out = append(out, strings.Split(wrap("⚠ "+msg, w), "\n")...)
	}
	for _, msg := range []string{s.cmp.HorizonWarning(), s.cmp.NoiseWarning()} {
		if msg != "" {
			out = append(out, strings.Split(wrap("⚠ "+msg+"; changes are not coloured good or bad", w), "\n")...)
		}
	}
	for _, msg := range []string{s.cmp.FreshnessWarningNaming(letters, format.ListAnd), s.cmp.PricingWarningNaming(letters)} {
		if msg != "" {
			out = append(out, strings.Split(wrap("⚠ "+msg, w), "\n")...)
		}
	}
	return out
}
