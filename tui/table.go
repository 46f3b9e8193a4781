package tui

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"aiecon/model/format"
)

// table is the grid every screen uses. It differs from bubbles' table in
// what a dashboard needs: numeric columns align right, cells carry a tone
// (better/worse), columns have a priority so that a narrow terminal drops
// the least important ones instead of truncating everything, a flex column
// takes the spare width of a wide one, and it renders exactly the rows it
// shows (it never formats rows off screen).
type table struct {
	cols   []column
	rows   [][]cell
	cursor int
	offset int // first row shown
	width  int
	height int // lines including the header
	st     *styles
	// noCursor hides the selection (a table that is only read).
	noCursor bool
	// skip hides the first skip columns (horizontal scrolling of wide
	// query results).
	skip int
	// fit is each column's widest cell (setRows): a numeric column is at
	// least that wide (colWidth).
	fit []int
}

type column struct {
	title string
	// mark follows the title in the header, not in it (companions and
	// screens find a column by its title): the runs list's sort arrow.
	mark  string
	width int  // width of the cell text; a numeric column widens to its widest value
	right bool // align right (numbers)
	flex  bool // grows to use spare width
	// maxWidth caps the growth of a flex column (0: no cap), so that a wide
	// terminal does not put its labels far from their values.
	maxWidth int
	// growFirst widens the column to its widest cell, from the spare width
	// before the flex column takes it, then where that falls short from
	// the flex column itself, down to the flex column's widest cell or
	// half of the room the two share (growFirsts): a KPI's name, the one
	// a user copies into sql, was cut at 28 cells with 70 free at 120
	// columns, and taking all it could at 80 it left the label 9.
	growFirst bool
	// cutMiddle cuts a cell too wide by its middle: names that differ at
	// their end (margin_lost_to_service_time_ads_usd, …_api_usd) keep
	// what tells them apart.
	cutMiddle bool
	prio      int // 0 is always shown; higher is dropped first when narrow
	// with names (by title) a column this one is shown only beside, where
	// the table has it: a value that misleads read alone (an SLO of 100%
	// without the sessions that gave up) is dropped with its companion.
	// Two columns may name each other (a run's value and its change).
	with string
	// keep makes a priority-0 column the last to give way where they do
	// not all fit (layout drops the others from the right first): the
	// runs list's HORIZON, where the runs' totals differ by it, was its
	// last column and went first below 80 columns.
	keep bool
	// fitText widens a text column to its widest cell of the rows shown,
	// up to maxWidth: a list's ids, as long as the ids listed need (a
	// collision among runs folded away widened it for good).
	fitText bool
}

type cell struct {
	text string
	tone tone
	// span lets the text run over the columns after it (which the row
	// leaves empty): group headers.
	span bool
}

func c(text string) cell          { return cell{text: text} }
func ct(text string, t tone) cell { return cell{text: text, tone: t} }

const colGap = 2

func newTable(st *styles, cols []column) *table { return &table{cols: cols, st: st} }

func (t *table) setSize(w, h int) {
	t.width, t.height = w, h
	t.clamp()
}

func (t *table) setRows(rows [][]cell) {
	t.rows = rows
	t.fit = t.fit[:0]
	for _, r := range rows {
		for i, cl := range r {
			if cl.span {
				break // a group header runs over the columns after it
			}
			for len(t.fit) <= i {
				t.fit = append(t.fit, 0)
			}
			t.fit[i] = max(t.fit[i], lipgloss.Width(cl.text))
		}
	}
	t.clamp()
}

// colWidth is column i's width: a numeric (right-aligned) column is as
// wide as its widest value, which is shown whole or the column left out,
// never cut: 999… would read as another number.
func (t *table) colWidth(i int) int {
	c := t.cols[i]
	w := c.width
	if c.mark != "" && !c.flex { // the header whole: "TTFT P99↑" is wider than 8
		w = max(w, lipgloss.Width(c.title+c.mark))
	}
	if c.right && !c.flex && i < len(t.fit) {
		return max(w, t.fit[i])
	}
	if c.fitText && i < len(t.fit) {
		w = max(w, t.fit[i])
		if c.maxWidth > 0 {
			w = min(w, c.maxWidth)
		}
		return w
	}
	return w
}

func (t *table) bodyHeight() int { return max(t.height-1, 1) }

func (t *table) clamp() {
	t.cursor = min(max(t.cursor, 0), max(len(t.rows)-1, 0))
	h := t.bodyHeight()
	if t.cursor < t.offset {
		t.offset = t.cursor
	}
	if t.cursor >= t.offset+h {
		t.offset = t.cursor - h + 1
	}
	t.offset = min(max(t.offset, 0), max(len(t.rows)-h, 0))
}

func (t *table) move(n int) {
	t.cursor += n
	t.clamp()
}

// position says which rows show, as the pager's status line does:
// "rows 1–23 of 57".
func (t *table) position() string {
	if len(t.rows) == 0 {
		return "no rows"
	}
	last := min(t.offset+t.bodyHeight(), len(t.rows))
	// Exact, with separators: a run's replicas number 200,000.
	return fmt.Sprintf("rows %s–%s of %s", format.Thousands(int64(t.offset+1)), format.Thousands(int64(last)), format.Thousands(int64(len(t.rows))))
}

// selected is the index of the row under the cursor, -1 when empty.
func (t *table) selected() int {
	if len(t.rows) == 0 {
		return -1
	}
	return t.cursor
}

var tableKeys = struct {
	up, down, pgUp, pgDown, top, bottom key.Binding
}{
	up:     key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
	down:   key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
	pgUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+b"), key.WithHelp("pgup", "page up")),
	pgDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+f"), key.WithHelp("pgdn", "page down")),
	top:    key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g/home", "first")),
	bottom: key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G/end", "last")),
}

// handleKey moves the cursor; it reports whether the key was a move.
func (t *table) handleKey(msg tea.KeyPressMsg) bool {
	switch {
	case key.Matches(msg, tableKeys.up):
		t.move(-1)
	case key.Matches(msg, tableKeys.down):
		t.move(1)
	case key.Matches(msg, tableKeys.pgUp):
		t.move(-t.bodyHeight())
	case key.Matches(msg, tableKeys.pgDown):
		t.move(t.bodyHeight())
	case key.Matches(msg, tableKeys.top):
		t.cursor = 0
		t.clamp()
	case key.Matches(msg, tableKeys.bottom):
		t.cursor = len(t.rows) - 1
		t.clamp()
	default:
		return false
	}
	return true
}

// showing reports whether the column titled title is drawn at the
// table's width (a narrow terminal drops columns by priority).
func (t *table) showing(title string) bool {
	idx, _ := t.layout()
	for _, i := range idx {
		if t.cols[i].title == title {
			return true
		}
	}
	return false
}

// minFlex is the narrowest a flex column gets before columns are dropped.
const minFlex = 3

// layout picks the columns that fit the width, by priority, and widens the
// flex column with what is left. When the priority-0 columns alone do not
// fit, the flex column narrows, then columns are dropped from the right:
// a number cut at the edge reads as another number ($11,76 for $11,762),
// which is worse than a column missing.
func (t *table) layout() (idx []int, widths []int) {
	shown := t.pick()
	used, flex := -colGap, -1
	for i, c := range t.cols {
		if shown[i] {
			idx = append(idx, i)
			widths = append(widths, t.colWidth(i))
			used += colGap + widths[len(widths)-1]
			if c.flex && flex < 0 {
				flex = len(widths) - 1
			}
		}
	}
	for len(idx) > 1 {
		least := used // with the flex column at its narrowest
		if flex >= 0 {
			least -= max(widths[flex]-minFlex, 0)
		}
		if least <= t.width {
			break
		}
		flexCol := -1 // the flex column's index in t.cols
		if flex >= 0 {
			flexCol = idx[flex]
		}
		last := t.dropIndex(idx)
		used -= colGap + widths[last]
		idx = append(idx[:last:last], idx[last+1:]...)
		widths = append(widths[:last:last], widths[last+1:]...)
		idx, widths, used = t.dropOrphans(idx, widths, used)
		flex = slices.Index(idx, flexCol)
	}
	used = t.growFirsts(idx, widths, flex, used)
	if spare := t.width - used; spare > 0 && flex >= 0 {
		if c := t.cols[idx[flex]]; c.maxWidth > 0 {
			spare = min(spare, max(c.maxWidth-c.width, 0))
		}
		widths[flex] += spare
	}
	if over := used - t.width; over > 0 && flex >= 0 {
		cut := min(over, max(widths[flex]-minFlex, 0))
		widths[flex] -= cut
		used -= cut
	}
	if over := used - t.width; over > 0 && len(widths) == 1 {
		widths[0] = max(t.width, 0) // a lone column wider than the table: pad ends its cells with "…"
	}
	return idx, widths
}

// dropIndex is the position in idx (the columns shown) of the column that
// gives way next: the rightmost without keep, else the rightmost.
func (t *table) dropIndex(idx []int) int {
	for k := len(idx) - 1; k > 0; k-- {
		if !t.cols[idx[k]].keep {
			return k
		}
	}
	return len(idx) - 1
}

// growFirsts sizes each growFirst column wider than its width to its
// widest cell, from the spare width and then from the flex column, but
// where the two share too little room for both, each keeps up to half of
// it: the KPI names, all 43 cells of the longest, left their labels 9
// cells at 80 columns ("abandon r…", "ad clicks…"). The flex column
// narrows later, where used exceeds the width. It returns used.
func (t *table) growFirsts(idx, widths []int, flex, used int) int {
	for k, i := range idx {
		if !t.cols[i].growFirst || i >= len(t.fit) || t.fit[i] <= widths[k] {
			continue
		}
		room := widths[k] + t.width - used // with the flex column as it is
		if flex >= 0 && flex != k {
			both := room + widths[flex]
			room = both - t.flexShare(idx[flex], both)
		}
		w := max(min(t.fit[i], room), minFlex)
		used += w - widths[k]
		widths[k] = w
	}
	return used
}

// flexShare is what the flex column col keeps of the both cells it shares
// with a growFirst column: its widest cell, up to the larger half.
func (t *table) flexShare(col, both int) int {
	fit := t.cols[col].width
	if col < len(t.fit) {
		fit = max(fit, t.fit[col])
	}
	return max(minFlex, min(fit, (both+1)/2))
}

// pick chooses the columns to show by priority: every priority-0 column
// (layout drops those that cannot fit), then each priority in turn while
// its columns fit. A column goes with its companion (column.with): it is
// not given room once its companion was left out, nor kept if its
// companion, decided later, is.
func (t *table) pick() []bool {
	shown := make([]bool, len(t.cols))
	used := -colGap
	maxPrio := 0
	for _, c := range t.cols {
		maxPrio = max(maxPrio, c.prio)
	}
	for p := 0; p <= maxPrio; p++ {
		for i, c := range t.cols {
			if c.prio != p || i < t.skip {
				continue
			}
			if j := t.companion(c); j >= 0 && t.cols[j].prio < p && !shown[j] {
				continue
			}
			if need := used + colGap + t.colWidth(i); need <= t.width || p == 0 {
				shown[i] = true
				used = need
			}
		}
	}
	t.unorphan(shown)
	return shown
}

// unorphan hides each shown column whose companion is hidden, until none
// is left: a column left out may orphan another.
func (t *table) unorphan(shown []bool) {
	for changed := true; changed; {
		changed = false
		for i, c := range t.cols {
			if j := t.companion(c); shown[i] && j >= 0 && !shown[j] {
				shown[i], changed = false, true
			}
		}
	}
}

// companion is the index of c's companion column (c.with), -1 where c has
// none or the table lacks it.
func (t *table) companion(c column) int {
	if c.with == "" {
		return -1
	}
	return slices.IndexFunc(t.cols, func(o column) bool { return o.title == c.with })
}

// dropOrphans removes the columns whose companion the layout dropped,
// and what they used of the width.
func (t *table) dropOrphans(idx, widths []int, used int) ([]int, []int, int) {
	shown := make([]bool, len(t.cols))
	for _, i := range idx {
		shown[i] = true
	}
	t.unorphan(shown)
	keepIdx, keepW := idx[:0:0], widths[:0:0]
	for k, i := range idx {
		if shown[i] {
			keepIdx, keepW = append(keepIdx, i), append(keepW, widths[k])
		} else {
			used -= colGap + widths[k]
		}
	}
	return keepIdx, keepW, used
}

func (t *table) view() string {
	idx, widths := t.layout()
	var b strings.Builder
	// Header.
	var head []string
	for k, i := range idx {
		head = append(head, pad(t.cols[i].title+t.cols[i].mark, widths[k], t.cols[i].right))
	}
	b.WriteString(t.st.tableHead.Render(fitWidth(strings.Join(head, strings.Repeat(" ", colGap)), t.width)))
	h := t.bodyHeight()
	gap := strings.Repeat(" ", colGap)
	for line := 0; line < h; line++ {
		b.WriteByte('\n')
		r := t.offset + line
		if r >= len(t.rows) {
			continue
		}
		sel := r == t.cursor && !t.noCursor
		var parts []string
		for k, i := range idx {
			var cl cell
			if i < len(t.rows[r]) {
				cl = t.rows[r][i]
			}
			st := t.st.tone(cl.tone)
			if sel {
				st = st.Reverse(true)
			}
			if cl.span {
				w := widths[k]
				for _, rest := range widths[k+1:] {
					w += colGap + rest
				}
				parts = append(parts, st.Render(pad(cl.text, w, false)))
				break
			}
			text := cl.text
			if t.cols[i].cutMiddle {
				text = cutMiddle(text, widths[k])
			}
			parts = append(parts, st.Render(pad(text, widths[k], t.cols[i].right)))
		}
		sep := gap
		if sel {
			sep = t.st.selected.Render(gap)
		}
		row := strings.Join(parts, sep)
		if sel {
			if rest := t.width - lipgloss.Width(row); rest > 0 {
				row += t.st.selected.Render(strings.Repeat(" ", rest))
			}
		}
		// layout keeps the columns within the width; should a cell still
		// overflow, the cut is marked.
		b.WriteString(ansi.Truncate(row, t.width, "…"))
	}
	return b.String()
}

// pad truncates s to w cells (with an ellipsis) and pads it to exactly w.
func pad(s string, w int, right bool) string {
	if w <= 0 {
		return ""
	}
	s = ansi.Truncate(s, w, "…")
	n := w - lipgloss.Width(s)
	if n <= 0 {
		return s
	}
	if right {
		return strings.Repeat(" ", n) + s
	}
	return s + strings.Repeat(" ", n)
}

// cutMiddle cuts s to w cells by its middle, marked with "…": a name of
// words joined by "_" loses the fewest whole words between its first and
// its last (margin_lost_to_queueing_usd reads margin_lost…_queueing_usd,
// not margin_lost_to_queueing_u…, which hid what tells it from
// margin_lost_to_queueing_ads_usd); where its first and last words alone
// are too wide, it loses the cells at its middle. Below 3 cells pad cuts
// its end.
func cutMiddle(s string, w int) string {
	n := lipgloss.Width(s)
	if n <= w || w < 3 {
		return s
	}
	if cut := cutWords(strings.Split(s, "_"), w); cut != "" {
		return cut
	}
	tail := w - 1 - (w-1)/2
	return ansi.Truncate(s, w-1-tail, "") + "…" + ansi.TruncateLeft(s, n-tail, "")
}

// cutWords joins words with "_" less the run of them between the first
// and the last whose removal (marked "…") leaves the widest name within w
// cells; "" where no run does.
func cutWords(words []string, w int) string {
	best, bestW := "", 0
	for i := 1; i < len(words)-1; i++ {
		for j := i + 1; j < len(words); j++ {
			cut := strings.Join(words[:i], "_") + "…_" + strings.Join(words[j:], "_")
			if cw := lipgloss.Width(cut); cw <= w && cw > bestW {
				best, bestW = cut, cw
			}
		}
	}
	return best
}

// selectedCut is the selected row's text in column col where the table
// cuts it or leaves the column out, "" where it shows whole.
func (t *table) selectedCut(col int) string {
	r := t.selected()
	if r < 0 || col >= len(t.rows[r]) {
		return ""
	}
	text := t.rows[r][col].text
	idx, widths := t.layout()
	if k := slices.Index(idx, col); k >= 0 && lipgloss.Width(text) <= widths[k] {
		return ""
	}
	return text
}

// fitWidth truncates a line to w cells without padding it.
func fitWidth(s string, w int) string { return ansi.Truncate(s, w, "…") }
