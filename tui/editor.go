package tui

import (
	"strings"
	"unicode"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// editor is a text field: one line (filters, the palette, form fields) or
// several (the SQL console). bubbles' textinput and textarea would do, but
// they need a clipboard module this build does not have; this one covers
// what the dashboard uses: typing, paste, moving by character, word and
// line, and the usual emacs deletions. The cursor is drawn in reverse
// video (it does not blink, so screens do not redraw for nothing).
type editor struct {
	lines       [][]rune
	row, col    int
	multiline   bool
	prompt      string
	placeholder string
	focused     bool
	width       int // cells for the text (without the prompt)
	height      int // lines shown (multiline)
	top, left   int // scroll
}

func newLineInput(prompt, placeholder string) *editor {
	return &editor{lines: [][]rune{nil}, prompt: prompt, placeholder: placeholder, width: 40, height: 1}
}

func newTextEditor(height int) *editor {
	return &editor{lines: [][]rune{nil}, multiline: true, width: 40, height: height}
}

func (e *editor) value() string {
	parts := make([]string, len(e.lines))
	for i, l := range e.lines {
		parts[i] = string(l)
	}
	return strings.Join(parts, "\n")
}

func (e *editor) setValue(s string) {
	e.lines = e.lines[:0]
	for _, l := range strings.Split(s, "\n") {
		if !e.multiline && len(e.lines) == 1 {
			e.lines[0] = append(e.lines[0], []rune(" "+l)...)
			continue
		}
		e.lines = append(e.lines, []rune(l))
	}
	e.row = len(e.lines) - 1
	e.col = len(e.lines[e.row])
	e.scroll()
}

func (e *editor) focus() { e.focused = true }
func (e *editor) blur()  { e.focused = false }

func (e *editor) setWidth(w int) {
	e.width = max(w-lipgloss.Width(e.prompt), 1)
	e.scroll()
}

// update edits the text; it reports whether the message was an edit or a
// cursor move (keys it does not know are left to the screen).
func (e *editor) update(msg tea.Msg) bool {
	switch m := msg.(type) {
	case tea.PasteMsg:
		e.insert(m.Content)
		return true
	case tea.KeyPressMsg:
		return e.key(m)
	}
	return false
}

func (e *editor) key(m tea.KeyPressMsg) bool {
	line := e.lines[e.row]
	switch m.String() {
	case "left", "ctrl+b":
		if e.col > 0 {
			e.col--
		} else if e.row > 0 {
			e.row--
			e.col = len(e.lines[e.row])
		}
	case "right", "ctrl+f":
		if e.col < len(line) {
			e.col++
		} else if e.row < len(e.lines)-1 {
			e.row++
			e.col = 0
		}
	case "up":
		if !e.multiline || e.row == 0 {
			return false
		}
		e.row--
		e.col = min(e.col, len(e.lines[e.row]))
	case "down":
		if !e.multiline || e.row == len(e.lines)-1 {
			return false
		}
		e.row++
		e.col = min(e.col, len(e.lines[e.row]))
	case "home", "ctrl+a":
		e.col = 0
	case "end", "ctrl+e":
		e.col = len(line)
	case "alt+left", "ctrl+left", "alt+b":
		e.col = wordStart(line, e.col)
	case "alt+right", "ctrl+right", "alt+f":
		e.col = wordEnd(line, e.col)
	case "backspace", "ctrl+h":
		switch {
		case e.col > 0:
			e.lines[e.row] = append(line[:e.col-1:e.col-1], line[e.col:]...)
			e.col--
		case e.row > 0:
			prev := e.lines[e.row-1]
			e.col = len(prev)
			e.lines[e.row-1] = append(prev[:len(prev):len(prev)], line...)
			e.lines = append(e.lines[:e.row], e.lines[e.row+1:]...)
			e.row--
		}
	case "delete", "ctrl+d":
		switch {
		case e.col < len(line):
			e.lines[e.row] = append(line[:e.col:e.col], line[e.col+1:]...)
		case e.row < len(e.lines)-1:
			e.lines[e.row] = append(line[:len(line):len(line)], e.lines[e.row+1]...)
			e.lines = append(e.lines[:e.row+1], e.lines[e.row+2:]...)
		}
	case "ctrl+u":
		e.lines[e.row] = append([]rune(nil), line[e.col:]...)
		e.col = 0
	case "ctrl+k":
		e.lines[e.row] = line[:e.col:e.col]
	case "ctrl+w", "alt+backspace":
		start := wordStart(line, e.col)
		e.lines[e.row] = append(line[:start:start], line[e.col:]...)
		e.col = start
	case "enter":
		if !e.multiline {
			return false
		}
		e.insert("\n")
	case "space":
		e.insert(" ")
	default:
		if m.Text == "" || m.Mod&(tea.ModCtrl|tea.ModAlt) != 0 {
			return false
		}
		e.insert(m.Text)
	}
	e.scroll()
	return true
}

// insert puts text at the cursor; a one-line field turns newlines into
// spaces.
func (e *editor) insert(s string) {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	if !e.multiline {
		s = strings.ReplaceAll(s, "\n", " ")
	}
	s = strings.ReplaceAll(s, "\t", "  ")
	for i, part := range strings.Split(s, "\n") {
		if i > 0 { // split the line at the cursor
			line := e.lines[e.row]
			rest := append([]rune(nil), line[e.col:]...)
			e.lines[e.row] = line[:e.col:e.col]
			e.lines = append(e.lines[:e.row+1], append([][]rune{rest}, e.lines[e.row+1:]...)...)
			e.row++
			e.col = 0
		}
		rs := []rune(part)
		rs = slicesDeleteFunc(rs, func(r rune) bool { return !unicode.IsPrint(r) })
		line := e.lines[e.row]
		nl := make([]rune, 0, len(line)+len(rs))
		nl = append(nl, line[:e.col]...)
		nl = append(nl, rs...)
		nl = append(nl, line[e.col:]...)
		e.lines[e.row] = nl
		e.col += len(rs)
	}
	e.scroll()
}

func slicesDeleteFunc(rs []rune, del func(rune) bool) []rune {
	out := rs[:0]
	for _, r := range rs {
		if !del(r) {
			out = append(out, r)
		}
	}
	return out
}

func isWord(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' }

func wordStart(line []rune, col int) int {
	for col > 0 && !isWord(line[col-1]) {
		col--
	}
	for col > 0 && isWord(line[col-1]) {
		col--
	}
	return col
}

func wordEnd(line []rune, col int) int {
	for col < len(line) && !isWord(line[col]) {
		col++
	}
	for col < len(line) && isWord(line[col]) {
		col++
	}
	return col
}

// scroll keeps the cursor in view: horizontally for one line, by visual
// (wrapped) rows for several.
func (e *editor) scroll() {
	if e.multiline {
		cur := e.visualRow(e.row, e.col)
		if cur < e.top {
			e.top = cur
		}
		if h := max(e.height, 1); cur >= e.top+h {
			e.top = cur - h + 1
		}
		return
	}
	if e.col < e.left {
		e.left = e.col
	}
	if e.col >= e.left+e.width {
		e.left = e.col - e.width + 1
	}
	if e.left > 0 && len(e.lines[0])-e.left < e.width-1 { // show as much as fits
		e.left = max(len(e.lines[0])-e.width+1, 0)
	}
}

// chunks is how many visual rows a line takes when wrapped at the width
// (the cursor after the last character may need one more).
func (e *editor) chunks(i int) int {
	w := max(e.width, 1)
	return len(e.lines[i])/w + 1
}

func (e *editor) visualRow(row, col int) int {
	v := 0
	for i := 0; i < row; i++ {
		v += e.chunks(i)
	}
	return v + col/max(e.width, 1)
}

func (e *editor) view(st *styles) string {
	if !e.multiline {
		return e.lineView(st)
	}
	w := max(e.width, 1)
	indent := strings.Repeat(" ", lipgloss.Width(e.prompt))
	var out []string
	v := 0
	for i, line := range e.lines {
		for c := 0; c < e.chunks(i); c++ {
			if v >= e.top && v < e.top+max(e.height, 1) {
				lo, hi := c*w, min((c+1)*w, len(line))
				text := string(line[lo:hi])
				if e.focused && i == e.row && e.col >= lo && (e.col < lo+w) {
					text = withCursor(st, line[lo:hi], e.col-lo)
				}
				prefix := indent
				if i == 0 && c == 0 {
					prefix = e.prompt
				} else if c == 0 {
					prefix = strings.Repeat(" ", lipgloss.Width(e.prompt)-2) + "│ "
				}
				out = append(out, prefix+text)
			}
			v++
		}
	}
	return strings.Join(out, "\n")
}

// withCursor draws rs with the cursor (reverse video) at index cc.
func withCursor(st *styles, rs []rune, cc int) string {
	under := " "
	if cc < len(rs) {
		under = string(rs[cc])
	}
	after := ""
	if cc+1 < len(rs) {
		after = string(rs[cc+1:])
	}
	return string(rs[:min(cc, len(rs))]) + st.selected.Render(under) + after
}

func (e *editor) lineView(st *styles) string {
	if len(e.lines[0]) == 0 && e.placeholder != "" {
		cur := ""
		if e.focused {
			cur = st.selected.Render(" ")
		}
		return e.prompt + cur + st.muted.Render(fitWidth(e.placeholder, max(e.width-1, 1)))
	}
	line := e.lines[0]
	lo := min(e.left, len(line))
	hi := min(lo+e.width, len(line))
	text := string(line[lo:hi])
	if e.focused {
		text = withCursor(st, line[lo:hi], e.col-lo)
	}
	return ansi.Truncate(e.prompt+text, e.width+lipgloss.Width(e.prompt)+1, "")
}
