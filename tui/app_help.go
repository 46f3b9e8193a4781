package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// typingNoter is a form screen (Launch): its help says which keys its text
// fields take as text.
type typingNoter interface{ typingNote() string }

// helpKey scrolls a help taller than the body (↑/↓, pgup/pgdown) and
// closes it on any other key; ctrl+c quits.
func (a *App) helpKey(m tea.KeyPressMsg) tea.Cmd {
	sw, sh := a.screenSize()
	_, h := a.bodySize()
	rows := max(min(sh, h)-1, 1) // the last row says what is cut
	step := 0
	switch m.String() {
	case "ctrl+c":
		return tea.Quit
	case "down", "j":
		step = 1
	case "up", "k":
		step = -1
	case "pgdown", "space":
		step = rows
	case "pgup":
		step = -rows
	}
	if step == 0 || !a.helpScrolls() {
		a.showHelp = false
		return nil
	}
	last := max(len(a.helpLines(sw))-rows, 0)
	a.helpTop = min(max(a.helpTop+step, 0), last)
	return nil
}

// helpScrolls reports whether help is taller than the body.
func (a *App) helpScrolls() bool {
	sw, sh := a.screenSize()
	_, h := a.bodySize()
	return len(a.helpLines(sw)) > min(sh, h)
}

// helpView is help laid out for w×h: where it is taller, the rows from
// helpTop and a last row that says how many lines are above and below and
// how to scroll. It was cut at the bottom without a word on a short
// terminal (60×15 lost "Everywhere", "Tables" and the commands).
func (a *App) helpView(w, h int) string {
	lines := a.helpLines(w)
	if len(lines) <= h || h < 2 {
		return strings.Join(lines, "\n")
	}
	rows := h - 1
	top := min(max(a.helpTop, 0), len(lines)-rows)
	shown := lines[top : top+rows]
	below := len(lines) - top - rows
	mark := fmt.Sprintf("… %d more lines below, %d above · ↑/↓ scroll", below, top)
	if below == 0 {
		mark = fmt.Sprintf("… %d lines above · ↑ scroll", top)
	}
	return strings.Join(append(shown[:rows:rows], a.sh.st.muted.Render(fitWidth(mark, w))), "\n")
}

// helpLines lists every key: the screen's, then the global ones, each
// section in as many columns as the width holds; one entry a line.
func (a *App) helpLines(w int) []string {
	st := a.sh.st
	const colW = 40
	cols := max(1, min(3, w/colW))
	section := func(title string, bs []key.Binding) []string {
		// Fewer, wider columns where a description would be cut: at 80
		// columns the sweep's "compare points (a run each…)" lost its end.
		cols, cw := cols, colW
		for helpDescWidth(bs) > cw-14 {
			if wider := w / cols; wider > cw { // the columns take the width first
				cw = wider
				continue
			}
			if cols == 1 {
				break
			}
			cols--
		}
		var items []string
		for _, b := range bs {
			if hp := b.Help(); hp.Key != "" {
				items = append(items, "  "+st.key.Render(pad(hp.Key, 10, false))+" "+pad(hp.Desc, cw-14, false))
			}
		}
		lines := []string{st.title.Render(title)}
		rows := (len(items) + cols - 1) / cols
		for r := 0; r < rows; r++ {
			var line string
			for c := 0; c < cols; c++ {
				if i := c*rows + r; i < len(items) {
					line += items[i]
				}
			}
			lines = append(lines, line)
		}
		return append(lines, "")
	}
	var lines []string
	lines = append(lines, section(a.top().title(), a.top().keys())...)
	// A form says which keys its text fields type: there ?, : and q are
	// text, not the global keys listed below; and it has no table.
	form, isForm := a.top().(typingNoter)
	if isForm {
		lines = append(lines, st.muted.Render(wrap(form.typingNote(), w)), "")
	}
	everywhere := "Everywhere"
	if isForm {
		everywhere = "Everywhere but in a text field"
	}
	lines = append(lines, section(everywhere, []key.Binding{globalKeys.palette, globalKeys.help, globalKeys.back,
		globalKeys.quit, key.NewBinding(key.WithHelp("ctrl+c", "quit; stops a run/query")),
		globalKeys.retry, globalKeys.snapshot})...)
	if !isForm {
		lines = append(lines, section("Tables", []key.Binding{tableKeys.up, tableKeys.down, tableKeys.pgUp, tableKeys.pgDown, tableKeys.top, tableKeys.bottom})...)
	}
	for _, l := range wrapItems(append([]string{"Commands (:):"}, paletteUsages()...), w) {
		lines = append(lines, st.muted.Render(l))
	}
	return strings.Split(strings.Join(lines, "\n"), "\n")
}

// helpDescWidth is the widest description of the bindings, in cells.
func helpDescWidth(bs []key.Binding) int {
	n := 0
	for _, b := range bs {
		if hp := b.Help(); hp.Key != "" {
			n = max(n, lipgloss.Width(hp.Desc))
		}
	}
	return n
}

// wrapItems lays items out on lines of at most w cells, "a · b · c", never
// breaking inside an item, and leaving the separator at the end of a line
// rather than at the start of the next.
func wrapItems(items []string, w int) []string {
	var lines []string
	line := ""
	for i, it := range items {
		sep := " · "
		if i <= 1 { // the title and the first item
			sep = " "
		}
		room := w
		if i < len(items)-1 {
			room -= 2 // " ·", the separator that may end this line
		}
		switch {
		case line == "":
			line = it
		case lipgloss.Width(line+sep+it) > room:
			lines = append(lines, strings.TrimRight(line+sep, " "))
			line = it
		default:
			line += sep + it
		}
	}
	return append(lines, line)
}
