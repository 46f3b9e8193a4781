package tui

import (
	"fmt"
	"path/filepath"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"aiecon/data"
)

// View draws the frame. It never does I/O: everything it shows is state.
func (a *App) View() tea.View {
	if a.tooSmall() {
		v := tea.NewView(a.tooSmallView())
		v.AltScreen = true
		v.WindowTitle = "aiecon · " + a.top().title()
		return v
	}
	w, h := a.bodySize()
	sw, sh := a.screenSize()
	var body string
	switch {
	case a.showHelp:
		body = a.helpView(sw, min(sh, h))
	case a.palette != nil:
		body = a.palette.view(sw, sh)
	default:
		if c, ok := a.top().(clippedScreen); ok {
			c.setVisibleRows(h)
		}
		body = a.top().view(sw, sh)
	}
	if sh > h {
		body = keepLastLine(body, h)
	}
	parts := []string{a.header()}
	if b := a.banner(); b != "" {
		parts = append(parts, b)
	}
	// A notice of several lines covers the bottom of the body until the
	// next key, rather than lose its end to the width.
	foot := a.footer()
	parts = append(parts, fitBlock(body, w, h-strings.Count(foot, "\n")), foot)
	v := tea.NewView(strings.Join(parts, "\n"))
	v.AltScreen = true
	v.WindowTitle = "aiecon · " + a.top().title()
	return v
}

func (a *App) header() string {
	st := a.sh.st
	var crumbs []string
	for _, s := range a.stack {
		crumbs = append(crumbs, s.title())
	}
	store := filepath.Base(a.sh.opts.Path)
	infos := []string{store}
	if a.runsKnown {
		infos = []string{store + fmt.Sprintf(" · %d run%s", a.runCount, plural(a.runCount)), store}
	}
	mode := "read-only"
	switch {
	case !a.snapshotAt.IsZero():
		mode = "snapshot"
	case a.locked != nil:
		mode = "in use"
	}
	// Where the breadcrumb leaves too little room, the run count goes,
	// then the store's name, before the mode is cut mid-word ("read-…"
	// beside a long forecast's name at 80 columns); the mode itself is
	// never cut: the breadcrumb makes room for it (fitCrumbs), which a
	// stack of screens (each :sweep, :forecast pushes one) pushed off.
	right := st.barAccent.Render(" " + mode + " ")
	brand := st.barAccent.Render(" aiecon ")
	room := a.width - lipgloss.Width(brand) - lipgloss.Width(right) - 1
	left := brand + st.bar.Render(" "+fitCrumbs(crumbs, room-2)+" ")
	for _, info := range infos {
		r := st.barDim.Render(" "+info+" · ") + st.barAccent.Render(mode+" ")
		if lipgloss.Width(left)+1+lipgloss.Width(r) <= a.width {
			right = r
			break
		}
	}
	return joinBar(st, left, right, a.width)
}

// fitCrumbs is the breadcrumb of titles in at most w columns: the
// screens nearest the first are dropped for "…" (the one on top is where
// the user is), and the top's title is cut at its end only when it alone
// does not fit.
func fitCrumbs(titles []string, w int) string {
	const sep = " › "
	s := strings.Join(titles, sep)
	for i := 1; lipgloss.Width(s) > w && i < len(titles); i++ {
		s = "…" + sep + strings.Join(titles[i:], sep)
	}
	if lipgloss.Width(s) > w {
		s = ansi.Truncate(s, max(w, 1), "…")
	}
	return s
}

// banner is the persistent lines over the body: that the store is not
// live, and that its views are not aiecon's.
func (a *App) banner() string {
	var lines []string
	for _, l := range []string{a.storeBanner(), a.viewsBanner()} {
		if l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}

// viewsBanner says that the store's views are not aiecon's, as every CLI
// command warns as it opens it; it names the store the user gave, not a
// snapshot copy of it.
func (a *App) viewsBanner() string {
	if a.views == nil {
		return ""
	}
	path, found := a.sh.opts.Path, a.views.Finding()
	var short []string // "run_summary redefined", for a narrow terminal
	for _, v := range a.views.Changed {
		short = append(short, v+" redefined")
	}
	for _, v := range a.views.Missing {
		short = append(short, v+" missing")
	}
	return a.fitBanner(
		fmt.Sprintf("⚠ %s %s: what reads them may not mean what aiecon's docs say · `aiecon doctor --db %s` names them", filepath.Base(path), found, path),
		fmt.Sprintf("⚠ %s %s: what reads them may not mean what the docs say · see `aiecon doctor`", filepath.Base(path), found),
		fmt.Sprintf("⚠ %s %s · see `aiecon doctor`", filepath.Base(path), found),
		fmt.Sprintf("⚠ %s · aiecon doctor", strings.Join(short, ", ")),
	)
}

// storeBanner is the line that says the store is not live.
func (a *App) storeBanner() string {
	var variants []string
	switch {
	case !a.snapshotAt.IsZero():
		at := a.snapshotAt.In(a.sh.loc()).Format("15:04:05")
		variants = []string{
			fmt.Sprintf("⚠ reading a snapshot of %s taken %s · may miss the newest runs · R live file", filepath.Base(a.sh.opts.Path), at),
			fmt.Sprintf("⚠ snapshot taken %s · may miss the newest runs · R live file", at),
			fmt.Sprintf("⚠ snapshot %s · R live file", at),
		}
	case a.locked != nil:
		who := lockHolder(a.locked)
		variants = []string{
			fmt.Sprintf("⚠ %s is in use by %s · showing earlier data · R retry · S snapshot", filepath.Base(a.sh.opts.Path), who),
			fmt.Sprintf("⚠ store in use by %s · showing earlier data · R retry · S snapshot", who),
			fmt.Sprintf("⚠ in use by %s · R retry · S snapshot", who),
		}
	default:
		return ""
	}
	return a.fitBanner(variants...)
}

// fitBanner renders the longest of the variants that fits the width, or
// the last cut to it.
func (a *App) fitBanner(variants ...string) string {
	for _, v := range variants {
		if lipgloss.Width(v) <= a.width {
			return a.sh.st.banner.Render(v)
		}
	}
	return a.sh.st.banner.Render(fitWidth(variants[len(variants)-1], a.width))
}

func lockHolder(le *data.LockedError) string {
	switch {
	case le.PID > 0 && le.Program != "":
		return fmt.Sprintf("%s (PID %d)", filepath.Base(le.Program), le.PID)
	case le.PID > 0:
		return fmt.Sprintf("process %d", le.PID)
	}
	return "another process"
}

// maxNoticeLines is how many lines a long notice may take: an error's
// reason comes last ("export to PATH: IO Error: Cannot open file…"), and
// cut at the width it was lost. A notice longer still loses its middle
// (noticeLines).
const maxNoticeLines = 3

// noticeLines wraps a notice to at most n lines of w cells. One that does
// not fit keeps its start, what failed, and on its last line its end, why,
// cutting the middle: cut at the end, a path of 600 characters hid the
// reason ("file name too long") that the lines are there for.
func noticeLines(text string, w, n int) []string {
	lines := wrapped(text, w)
	if len(lines) <= n {
		return lines
	}
	// Too many lines as written: the notice goes on one line, and is
	// counted again, since lines of their own (a DuckDB error's LINE 1:,
	// a blank line) may fit once joined: "a\nb\nc\nd" is one line of
	// 80 cells, and taking n-1 lines of it ran out of range.
	flat := strings.ReplaceAll(text, "\n", " ")
	lines = wrapped(flat, w)
	if len(lines) <= n {
		return lines
	}
	// What the first n-1 lines leave wraps to two lines or more, so it is
	// wider than a line: its last w-1 cells come after what those lines
	// show.
	tail := ansi.TruncateLeft(flat, lipgloss.Width(flat)-(w-1), "…")
	return append(lines[:n-1], tail)
}

// wrapped is s wrapped to w cells at its spaces; only a word wider than a
// line (a long path) breaks, after a "/" where it can: broken at every
// "/", a notice wrapped inside a rate ("… 2400/min, 5/" then "h)").
func wrapped(s string, w int) []string {
	var out []string
	for _, l := range strings.Split(ansi.Wordwrap(s, w, ""), "\n") {
		if lipgloss.Width(l) > w {
			l = ansi.Wrap(l, w, "/")
		}
		out = append(out, strings.Split(l, "\n")...)
	}
	return out
}

func (a *App) footer() string {
	st := a.sh.st
	if a.notice != "" {
		s := st.good
		if a.noticeErr {
			s = st.errText
		}
		_, h := a.bodySize()
		lines := noticeLines(a.notice, max(a.width, 1), min(maxNoticeLines, h))
		for i, l := range lines {
			lines[i] = s.Render(fitWidth(strings.TrimRight(l, " "), a.width))
		}
		return strings.Join(lines, "\n")
	}
	var bs, global []key.Binding
	switch {
	case a.palette != nil:
		bs = paletteKeys()
	case a.showHelp:
		if a.helpScrolls() {
			bs = append(bs, key.NewBinding(key.WithHelp("↑/↓", "scroll")))
		}
		bs = append(bs, key.NewBinding(key.WithHelp("any key", "close help")))
	default:
		bs = a.top().keys()
		if a.top().mode() == keysNormal {
			if len(a.stack) > 1 {
				global = append(global, globalKeys.back)
			}
			global = append(global, globalKeys.palette, globalKeys.help, globalKeys.quit)
		}
	}
	right := hints(st, global, a.width)
	left := hints(st, bs, a.width-lipgloss.Width(right)-4)
	gap := a.width - lipgloss.Width(left) - lipgloss.Width(right)
	if right == "" || gap < 2 {
		return fitWidth(left, a.width)
	}
	return left + strings.Repeat(" ", gap) + right
}

// hints renders key bindings on one line, dropping from the end what does
// not fit the width (? lists them all).
func hints(st *styles, bs []key.Binding, width int) string {
	var out []string
	used := -2
	for _, b := range bs {
		h := b.Help()
		if h.Key == "" {
			continue
		}
		part := st.key.Render(h.Key) + " " + st.keyDesc.Render(h.Desc)
		w := lipgloss.Width(part) + 2
		if used+w > width {
			continue // a shorter one further on may still fit
		}
		out = append(out, part)
		used += w
	}
	return strings.Join(out, "  ")
}

// joinBar puts left and right on one bar of the given width.
func joinBar(st *styles, left, right string, width int) string {
	gap := width - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 1 {
		// Narrow: keep the breadcrumb, cut the store info.
		right = ansi.Truncate(right, max(width-lipgloss.Width(left)-1, 0), "…")
		gap = max(width-lipgloss.Width(left)-lipgloss.Width(right), 0)
	}
	return ansi.Truncate(left+st.bar.Render(strings.Repeat(" ", gap))+right, width, "")
}

// clippedScreen is a screen that lays out a window scrolled by keys, whose
// page must be the rows shown: told the body's rows (h, fewer than it is
// laid out for on a small terminal, whose rows above its last keepLastLine
// drops) before each view, it shows and scrolls by those.
type clippedScreen interface{ setVisibleRows(h int) }

// keepLastLine clips a screen laid out for more rows than the body has
// (minBodyH, where a banner takes a row of a small terminal) to h rows,
// dropping rows above its last rather than the last: a screen's last line
// is its status (the SQL console's row count and columns), which clipping
// at the bottom lost at 44×14 under the views banner.
func keepLastLine(s string, h int) string {
	lines := strings.Split(s, "\n")
	if h < 2 || len(lines) <= h {
		return s
	}
	return strings.Join(append(lines[:h-1:h-1], lines[len(lines)-1]), "\n")
}

// fitBlock makes s exactly w×h: extra lines are cut, long lines truncated,
// missing lines added, so the frame never jumps.
func fitBlock(s string, w, h int) string {
	if h <= 0 {
		return ""
	}
	w = max(w, 0)
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for i, l := range lines {
		if lipgloss.Width(l) > w {
			lines[i] = ansi.Truncate(l, w, "")
		}
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
