package tui

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"aiecon/data"
	"aiecon/model/format"
	"aiecon/model/kpi"
)

// compareScreen puts two or more runs side by side: every KPI with the
// change of each run against the first (the baseline), green when the
// change is good for the business, red when bad, with ▲/▼ for the
// direction so it reads without colour. Runs of different horizons are
// warned about and not coloured: their totals differ by the horizon alone.
type compareScreen struct {
	base
	refs  []string
	cmp   *data.Comparison
	err   error
	scope string // "" = whole run, else a workload
	all   bool   // every KPI, not just the headline ones
	// wholeWarnings shows every line of the warnings, leaving the table
	// its header and a row (wholeWarningsTableLines): where they are taller
	// than that leaves, they scroll, from warnOffset. Folded (the default),
	// a short screen cuts them to keep the table's floor
	// (minCompareTableLines).
	wholeWarnings bool
	warnOffset    int
	// visRows is the rows of the screen the app shows, where fewer than
	// s.h (clippedScreen); 0 for all. The legend, the warnings and the
	// table are laid out in those (shownRows): laid out in s.h, a 12-row
	// terminal under a banner lost the status of the warnings in full and
	// rows of the table, unsaid.
	visRows int
	tbl     *table
	// first is the first run after the baseline that the table shows:
	// ←/→ (h/l) scroll the runs that do not fit through, the KPI names
	// and the baseline A staying put, so that A against any run can be
	// read. b only rotated the baseline, and of 9 runs at 80 columns A
	// against C never showed.
	first int
	// units is the legend of the Δ cells marked unitsDifferMark in the
	// rows and runs the table shows (unitLegend), set by rebuild.
	units []string
}

type compareLoadedMsg struct {
	addr
	cmp *data.Comparison
	err error
}

func (m compareLoadedMsg) loadErr() error { return m.err }

var compareKeys = struct {
	baseline, scope, all, open, refresh, warnings, scrollWarnings, left, right key.Binding
}{
	baseline: key.NewBinding(key.WithKeys("b"), key.WithHelp("b", "next run as baseline")),
	scope:    key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "run / workload")),
	all:      key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "all KPIs")),
	open:     key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "open baseline")),
	refresh:  key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "reload")),
	warnings: key.NewBinding(key.WithKeys("i"), key.WithHelp("i", "warnings in full")),
	// Help only: the table's keys scroll the warnings while they scroll.
	scrollWarnings: key.NewBinding(key.WithKeys("up", "down", "pgup", "pgdown"), key.WithHelp("↑/↓ pgup/pgdn", "scroll warnings")),
	left:           key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←/→", "more runs")),
	right:          key.NewBinding(key.WithKeys("right", "l")),
}

func newCompareScreen(sh *shared, refs []string) *compareScreen {
	return &compareScreen{base: newBase(sh), refs: refs, tbl: newTable(sh.st, nil), first: 1}
}

func (s *compareScreen) title() string { return fmt.Sprintf("Compare %d runs", len(s.refs)) }

func (s *compareScreen) init() tea.Cmd { return s.load() }

func (s *compareScreen) load() tea.Cmd {
	c, to, refs, check := s.sh.conn, s.sid, slices.Clone(s.refs), s.sh.opts.RunsOverloaded
	return func() tea.Msg {
		ctx, cancel := c.queryCtx()
		defer cancel()
		msg := compareLoadedMsg{addr: addr{to}}
		msg.err = c.read(func(st *data.Store) error {
			ids := make([]string, len(refs))
			for i, r := range refs {
				id, err := st.ResolveRun(ctx, r)
				if err != nil {
					return err
				}
				ids[i] = id
			}
			var err error
			if msg.cmp, err = st.Compare(ctx, ids); err != nil || check == nil {
				return err
			}
			// aiecon compare's check, which it marks runs OVERLOADED by.
			msg.cmp.Overloaded, err = check(ctx, st, msg.cmp.Runs)
			return err
		})
		return msg
	}
}

func (s *compareScreen) resize(w, h int) {
	s.w, s.h = w, h
	h = shownRows(h, s.visRows)
	s.tbl.setSize(w, h) // the width first: which runs fit depends on it
	// The run lines, the warnings as shown, the note of the runs that do
	// not fit where it has lines of its own, and the info line.
	s.tbl.setSize(w, h-s.legendHeight(w, h)-len(s.shownWarning(w, h))-s.ownLines(w)-1)
}

// setVisibleRows is clippedScreen's: the rows of the body the app shows of
// the screen, which the table's height follows.
func (s *compareScreen) setVisibleRows(n int) {
	if n != s.visRows {
		s.visRows = n
		s.resize(s.w, s.h)
	}
}

// shownRuns is how many runs after the baseline the table shows, from
// first on.
func (s *compareScreen) shownRuns() int {
	n := 0
	idx, _ := s.tbl.layout()
	for _, i := range idx {
		if strings.HasPrefix(s.tbl.cols[i].title, "Δ") {
			n++
		}
	}
	return n
}

// fitNote says which of the runs the table shows where not all do, and
// that ←/→ scroll the others in: "runs A–B of 9 · ←/→ more" then
// "runs A, C–D of 9"; "" when all show.
func (s *compareScreen) fitNote() string {
	if s.cmp == nil {
		return ""
	}
	n, others := len(s.cmp.Runs), s.shownRuns()
	switch {
	case others+1 >= n:
		return ""
	case others == 0: // the screen compares nothing: say so
		return fmt.Sprintf("1 of %d runs fit, the baseline alone: widen the terminal to compare", n)
	}
	which := "A–" + runLetter(others) // from the baseline on
	if s.first > 1 {
		which = "A, " + runLetter(s.first)
		if others > 1 {
			which += "–" + runLetter(s.first+others-1)
		}
	}
	return fmt.Sprintf("runs %s of %d · ←/→ more", which, n)
}

// info is the scope, the KPIs shown and the row under the cursor ("row
// 3 of 40": with all KPIs the table scrolls, and nothing said how far).
// widest lays the row out as its widest (the last row), so that the
// layout (fitLines) does not move with the cursor.
func (s *compareScreen) info(widest bool) string {
	which := "headline KPIs (a: all)"
	if s.all {
		which = "all KPIs (a: headline)"
	}
	if s.scope != "" {
		which = "workload " + s.scope + " · " + which
	} else {
		which = "whole run · " + which
	}
	n := len(s.tbl.rows)
	if n == 0 {
		return which
	}
	row := s.tbl.selected() + 1
	if widest {
		row = n
	}
	return which + fmt.Sprintf(" · row %d of %d", row, n)
}

// fitLines is the note of the runs that do not fit, wrapped to w, where it
// does not fit on the info line: cut there, at 40 columns, it read
// "whole run · headline KPIs (a: all) · 1 …" over a table of the baseline
// alone. nil when it fits there, or all the runs do.
func (s *compareScreen) fitLines(w int) []string {
	note := s.fitNote()
	if note == "" || lipgloss.Width(s.info(true)+" · "+note) <= w {
		return nil
	}
	return strings.Split(wrap(note, w), "\n")
}

// uncoloured says whether the deltas' directions mean nothing good or bad:
// the runs differ in horizon (a total moves with it) or only in seed.
func (s *compareScreen) uncoloured() bool {
	return s.cmp.HorizonWarning() != "" || s.cmp.NoiseWarning() != ""
}

// overloaded says whether run i of the comparison fell behind its traffic
// (aiecon compare's check): its changes against the baseline, or every
// run's where the baseline did, are a backlog's, not good or bad, as the
// OVERLOADED warning above the table says; they were green under it.
func (s *compareScreen) overloaded(i int) bool {
	return i < len(s.cmp.Overloaded) && s.cmp.Overloaded[i]
}

func (s *compareScreen) mode() keyMode { return keysNormal }
func (s *compareScreen) back() bool    { return false }

func (s *compareScreen) keys() []key.Binding {
	all := compareKeys.all
	if s.all { // the key toggles: say where it goes from here
		all.SetHelp("a", "headline KPIs")
	}
	keys := []key.Binding{compareKeys.baseline, compareKeys.scope, all, compareKeys.open, compareKeys.refresh}
	if s.cmp != nil && (s.first > 1 || s.fitNote() != "") { // runs left out: ←/→ scroll them in
		keys = append(keys, compareKeys.left)
	}
	return append(keys, s.warningKeys()...)
}

func (s *compareScreen) update(msg tea.Msg) tea.Cmd {
	switch m := msg.(type) {
	case compareLoadedMsg:
		if m.err != nil {
			s.err = m.err
			return nil
		}
		s.err, s.cmp = nil, m.cmp
		for i, r := range m.cmp.Runs { // from now on, full ids
			s.refs[i] = r.ID
		}
		s.rebuild()
		return nil
	case refreshMsg:
		return s.load()
	case tea.KeyPressMsg:
		if s.scrollWarnings(m) || s.tbl.handleKey(m) {
			return nil
		}
		switch {
		case key.Matches(m, compareKeys.baseline):
			s.refs = append(s.refs[1:], s.refs[0])
			return s.load()
		case key.Matches(m, compareKeys.left):
			s.scrollRuns(-1)
		case key.Matches(m, compareKeys.right):
			s.scrollRuns(1)
		case key.Matches(m, compareKeys.scope):
			s.scope = s.nextScope()
			s.rebuild()
		case key.Matches(m, compareKeys.all):
			s.all = !s.all
			s.rebuild()
		case key.Matches(m, compareKeys.open):
			if s.cmp != nil {
				return cmdOf(openRunMsg{ref: s.cmp.Runs[0].ID})
			}
		case key.Matches(m, compareKeys.refresh):
			return refreshKey()
		case key.Matches(m, compareKeys.warnings):
			s.toggleWholeWarnings()
		}
	}
	return nil
}

// scrollRuns moves the first run shown after the baseline by step, not
// before B nor past the point where the last run shows.
func (s *compareScreen) scrollRuns(step int) {
	if s.cmp == nil {
		return
	}
	if step > 0 && s.first+s.shownRuns() >= len(s.cmp.Runs) {
		return // the last run shows
	}
	if first := max(1, min(s.first+step, len(s.cmp.Runs)-1)); first != s.first {
		s.first = first
		s.rebuild()
	}
}

// scopes are the whole run then the workloads the runs have.
func (s *compareScreen) scopes() []string {
	out := []string{""}
	if s.cmp == nil {
		return out
	}
	for _, r := range s.cmp.Rows {
		if r.Scope != "" && !slices.Contains(out, r.Scope) {
			out = append(out, r.Scope)
		}
	}
	return out
}

func (s *compareScreen) nextScope() string {
	sc := s.scopes()
	i := slices.Index(sc, s.scope)
	return sc[(i+1)%len(sc)]
}

// runLetter names the run i as a spreadsheet names its columns: A to Z,
// then AA, AB… (A again after Z named two runs A, in the legend and the
// warnings).
func runLetter(i int) string {
	var name []byte
	for n := i + 1; n > 0; n = (n - 1) / 26 {
		name = append([]byte{byte('A' + (n-1)%26)}, name...)
	}
	return string(name)
}

// legendRuns is how many runs the legend lists in h lines, one a line,
// and whether a line after them says how many more there are: the legend
// leaves the table its floor, and the warnings a line, as the warnings
// fold for the table (27 runs listed took every line of an 80x24 screen,
// and the table showed no KPI).
func (s *compareScreen) legendRuns(w, h int) (shown int, folded bool) {
	h = shownRows(h, s.visRows) // the rows the app shows
	floor := min(minCompareTableLines, 1+len(s.tbl.rows))
	room := h - s.ownLines(w) - 1 - floor
	if len(s.warning(w)) > 0 {
		room--
	}
	if n := len(s.refs); n <= max(room, 1) {
		return n, false
	}
	return max(room-1, 0), true
}

// legendHeight is the lines the legend takes in h.
func (s *compareScreen) legendHeight(w, h int) int {
	shown, folded := s.legendRuns(w, h)
	if folded {
		return shown + 1
	}
	return shown
}

// legend is the line of each run the legend lists, and the line that
// says how many more there are where it folds.
func (s *compareScreen) legend(w, h int) []string {
	st := s.sh.st
	shown, folded := s.legendRuns(w, h)
	var lines []string
	for i, r := range s.cmp.Runs[:min(shown, len(s.cmp.Runs))] {
		role := ""
		if i == 0 {
			role = st.acc.Render(" (baseline of the deltas)")
		}
		status := ""
		if r.Status != data.StatusComplete {
			status = " " + st.bad.Render(r.Status)
		}
		if s.overloaded(i) { // as aiecon compare marks it
			status += " " + st.bad.Render("OVERLOADED")
		}
		// The status and role come right after the name so that a narrow
		// terminal cuts the id, seed and horizon rather than them; the
		// status first, as the warnings below name the overloaded runs. A
		// name too long for both loses its middle: cut from the right, a
		// sweep point's name (fleet-size: x1 workloads[chat]…) took the
		// baseline's OVERLOADED with it at 80 columns.
		head := st.title.Render(runLetter(i)) + "  "
		name := r.Name
		// One cell is left for the "…" that says the id and seed were cut.
		if room := w - lipgloss.Width(head+status+role) - 1; lipgloss.Width(name) > room {
			name = cutMiddle(name, max(room, 3))
		}
		lines = append(lines, fitWidth(head+name+status+role+"  "+st.muted.Render(s.sh.short(r.ID))+
			st.muted.Render(" · seed "+fmt.Sprint(r.Seed)+" · horizon "+fmtHorizon(r.HorizonS)), w))
	}
	if folded {
		n := len(s.cmp.Runs)
		more := fmt.Sprintf("… %d more runs, %s to %s", n-shown, runLetter(shown), runLetter(n-1))
		if long := more + ": a taller terminal lists them"; lipgloss.Width(long) <= w {
			more = long
		}
		lines = append(lines, st.muted.Render(fitWidth(more, w)))
	}
	return lines
}

func (s *compareScreen) rebuild() {
	// The KPI column takes spare width up to its longest label: cut at 26,
	// labels such as "margin lost to queueing: ads" and "…: commerce" read
	// the same.
	s.first = max(1, min(s.first, len(s.cmp.Runs)-1))
	cols := []column{{title: "KPI", width: 26, flex: true}}
	shown := []int{0} // the runs in the table: the baseline, then from first on
	for i := range s.cmp.Runs {
		// The baseline and the first other run shown always show; another
		// run shows with its change or not at all (with), so that the
		// note's count of the runs that fit is what shows.
		prio, l := max(i-s.first, 0), runLetter(i)
		switch {
		case i == 0:
			cols = append(cols, column{title: l, width: 12, right: true})
		case i >= s.first:
			shown = append(shown, i)
			cols = append(cols, column{title: l, width: 12, right: true, prio: prio, with: "Δ" + l},
				column{title: "Δ" + l, width: 10, right: true, prio: prio, with: l})
		}
	}
	byName := map[string]data.CompareRow{}
	var names []string
	for _, r := range s.cmp.Rows {
		if r.Scope == s.scope {
			byName[r.Name] = r
			names = append(names, r.Name)
		}
	}
	if !s.all {
		var head []string
		for _, n := range headlineKPIs {
			if _, ok := byName[n]; ok {
				head = append(head, n)
			}
		}
		if len(head) > 0 || s.scope == "" {
			names = head
		}
	} else {
		slices.SortStableFunc(names, func(a, b string) int {
			return strings.Compare(strings.ToLower(kpi.Label(a)), strings.ToLower(kpi.Label(b)))
		})
	}
	horizons := s.uncoloured()
	var rows [][]cell
	var kpis []data.CompareRow
	for _, n := range names {
		r := byName[n]
		cols[0].maxWidth = max(cols[0].maxWidth, lipgloss.Width(kpi.Label(n)))
		row := []cell{c(kpi.Label(n))}
		value := func(v float64) string { return fmtKPI(n, v, r.Unit) }
		if r.Unit == format.UnitSeconds {
			// The runs compared lie along the row: one unit along it, as a
			// column of the Runs screen keeps one (A's 372 ms beside B's
			// 1.18 s read as the smaller).
			value = secondsColumn(r.Values)
		}
		for _, i := range shown {
			row = append(row, c(value(r.Values[i])))
			if i > 0 {
				row = append(row, s.deltaCell(r, i, horizons))
			}
		}
		rows, kpis = append(rows, row), append(kpis, r)
	}
	s.units = unitLegend(kpis, shown)
	s.tbl.cols = cols
	s.tbl.setRows(rows)
	s.resize(s.w, s.h)
}

// deltaCell is run i's change of r against the baseline: its arrow and
// text, toned as the KPI's direction says, or unitsDifferMark where the
// two values are in different units. horizons: the runs' changes are not
// to be called good or bad (uncoloured).
func (s *compareScreen) deltaCell(r data.CompareRow, i int, horizons bool) cell {
	if unitNote(r, i) != "" {
		return ct(unitsDifferMark, toneMuted)
	}
	text, d := deltaShown(r.Delta[i], r.RelDelta[i], r.Unit)
	t := deltaTone(r.Name, d)
	// A total may move with the horizon, or the seed, alone; a
	// backlog's cost per Mtok falls with no saving.
	if (horizons || s.overloaded(0) || s.overloaded(i)) && t != toneMuted {
		t = toneNone
	}
	return ct(deltaArrow(d)+" "+text, t)
}

func (s *compareScreen) view(w, h int) string {
	st := s.sh.st
	if s.cmp == nil {
		if s.err != nil {
			return storeProblem(s.sh, s.err, w, h)
		}
		return st.muted.Render("loading the comparison…")
	}
	lines := s.legend(w, h) // in the rows shown, as the warnings and the table
	for _, l := range s.shownWarning(w, h) {
		lines = append(lines, st.warn.Render(l))
	}
	info := s.info(false)
	if own := s.fitLines(w); own != nil {
		for _, l := range own {
			lines = append(lines, st.warn.Render(l))
		}
	} else if note := s.fitNote(); note != "" {
		info += " · " + note
	}
	for _, l := range s.unitLines(w) {
		lines = append(lines, st.muted.Render(l))
	}
	lines = append(lines, st.muted.Render(fitWidth(info, w)))
	lines = append(lines, s.tbl.view())
	return strings.Join(lines, "\n")
}
