package tui

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"aiecon/data"
	"aiecon/model/kpi"
)

// runsScreen is the home screen: every run with its headline KPIs, sweeps
// and forecasts as foldable groups, a filter (/), a sort (s, S) and marks
// for Compare.
type runsScreen struct {
	base
	runs      []data.RunSummary
	sweeps    map[string]data.Sweep
	params    map[string]map[int]string // sweep id -> point -> params_json
	forecasts map[string]forecastRun    // run id -> its place in a forecast
	loaded    bool
	err       error

	tbl     *table
	rows    []runsRow // what the table shows, same order
	marked  map[string]bool
	order   []string        // marked run ids in the order they were marked
	open    map[string]bool // sweep or forecast id -> unfolded (groups start folded)
	sortBy  int             // index into runSorts
	sortAsc bool
	// perHour is set while a sort on a total (margin, revenue) ranks the
	// runs by it per hour of simulated time, because the runs listed
	// simulated different times (spansDiffer): ranked as totals, a 1h run
	// beat a 5m one that earned more an hour, by its horizon alone.
	perHour bool

	filter  textinput.Model
	editing bool
}

type runsRow struct {
	run      *data.RunSummary // nil for a group's header
	group    string           // the sweep or forecast of the row (header or member)
	forecast bool             // the group is a forecast, not a sweep
	label    string
}

type runsLoadedMsg struct {
	addr
	runs      []data.RunSummary
	sweeps    []data.Sweep
	params    map[string]map[int]string
	forecasts map[string]forecastRun
	ids       *storeIDs // nil where the load failed
	err       error
	// views is what the store warned of its views as it opened (nil:
	// nothing), for the banner; opened says the store opened, so views
	// is known.
	views  *data.ViewsChangedError
	opened bool
}

func (m runsLoadedMsg) loadErr() error { return m.err }

func (m runsLoadedMsg) storeIDs() *storeIDs { return m.ids }

// runSorts are the orders s cycles through, each with the column whose
// header carries the sort's arrow.
var runSorts = []struct {
	name string
	key  func(r *data.RunSummary) float64 // nil: by id (= start time)
	asc  bool                             // the natural direction
	col  string                           // the column's title
	// total marks a sum over the run's simulated time (its horizon, and
	// the drain past it): ranked per hour where the runs listed simulated
	// different times (perHour).
	total bool
}{
	{"started", nil, false, "STARTED", false},
	{"cost/Mtok", func(r *data.RunSummary) float64 { return r.CostPerMTokUSD }, true, "$/MTOK", false},
	{"margin", func(r *data.RunSummary) float64 { return r.MarginUSD }, false, "MARGIN", true},
	{"TTFT p99", func(r *data.RunSummary) float64 { return r.TTFTP99S }, true, "TTFT P99", false},
	{"SLO", func(r *data.RunSummary) float64 { return r.SLOAttainment }, false, "SLO", false},
	{"revenue", func(r *data.RunSummary) float64 { return r.RevenueUSD }, false, "REVENUE", true},
	{"throughput", func(r *data.RunSummary) float64 { return r.ThroughputRPS }, false, "DONE/S", false},
	{"name", nil, true, "NAME", false},
}

var runsKeys = struct {
	open, mark, compare, filter, sort, reverse, fold, unfold, sweeps, launch, sql, refresh key.Binding
}{
	open:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),
	mark:    key.NewBinding(key.WithKeys("space"), key.WithHelp("space", "mark")),
	compare: key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "compare marked")),
	filter:  key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
	sort:    key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "sort")),
	reverse: key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "reverse order")),
	fold:    key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←/h", "fold")),
	unfold:  key.NewBinding(key.WithKeys("right", "l"), key.WithHelp("→/l", "unfold")),
	sweeps:  key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "sweeps")),
	launch:  key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "new run")),
	sql:     key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "SQL")),
	refresh: key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "refresh")),
}

func newRunsScreen(sh *shared) *runsScreen {
	s := &runsScreen{base: newBase(sh), marked: map[string]bool{}, open: map[string]bool{}}
	s.tbl = newTable(sh.st, []column{
		{title: "", width: 2},
		// The id tells apart runs of one name: it never gives way.
		{title: "ID", width: minIDLen, fitText: true, maxWidth: maxIDLen, cutMiddle: true},
		{title: "NAME", width: 24, flex: true},
		{title: "STATUS", width: 8, prio: 6},
		{title: "STARTED", width: 12, prio: 3},
		{title: "$/MTOK", width: 9, right: true},
		{title: "MARGIN", width: 9, right: true},
		{title: "TTFT P99", width: 8, right: true},
		{title: "SLO", width: 6, right: true},
		// REVENUE gives way at 80 columns so that names keep 24, and only
		// beside HORIZON: a total is over its run's horizon.
		{title: "REVENUE", width: 9, right: true, prio: 1, with: "HORIZON"},
		{title: "DONE/S", width: 7, right: true, prio: 2},
		{title: "BUSY", width: 6, right: true, prio: 4}, // busy time: replicas iterating, not batch occupancy
		// setHorizonPrio sets its priority; it goes with MARGIN, the total
		// it is needed beside, where a narrow terminal drops that.
		{title: "HORIZON", width: 7, right: true, prio: 1, with: "MARGIN"},
		{title: "SEED", width: 6, right: true, prio: 7},
	})
	s.filter = newLineInput(sh.st, "/", "name, id, status or sweep")
	return s
}

func (s *runsScreen) title() string { return "Runs" }

func (s *runsScreen) init() tea.Cmd { return s.load() }

func (s *runsScreen) activate() tea.Cmd { return s.load() }

func (s *runsScreen) load() tea.Cmd {
	c, to := s.sh.conn, s.sid
	return func() tea.Msg {
		ctx, cancel := c.queryCtx()
		defer cancel()
		msg := runsLoadedMsg{addr: addr{to}}
		msg.err = c.read(func(st *data.Store) error {
			// First: a view redefined with other columns fails the reads
			// below, and the banner should still say why.
			msg.views, msg.opened = c.viewsChanged(), true
			var err error
			if msg.runs, err = st.Runs(ctx, data.RunFilter{}); err != nil {
				return err
			}
			if msg.sweeps, err = st.Sweeps(ctx); err != nil {
				return err
			}
			if msg.params, err = sweepPointParams(ctx, st); err != nil {
				return err
			}
			if msg.forecasts, err = forecastRuns(ctx, st); err != nil {
				return err
			}
			msg.ids, err = readStoreIDs(ctx, st)
			return err
		})
		return msg
	}
}

func (s *runsScreen) resize(w, h int) {
	s.w, s.h = w, h
	s.layout()
}

func (s *runsScreen) layout() {
	sizeLine(&s.filter, max(s.w-3, 10))
	s.tbl.setSize(s.w, s.h-s.chromeHeight())
}

func (s *runsScreen) mode() keyMode {
	if s.editing {
		return keysText
	}
	return keysNormal
}

func (s *runsScreen) back() bool {
	if s.filter.Value() != "" {
		setLine(&s.filter, "")
		s.rebuild()
		return true
	}
	return false
}

func (s *runsScreen) keys() []key.Binding {
	if s.editing {
		return []key.Binding{
			key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "apply")),
			key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear")),
		}
	}
	return []key.Binding{runsKeys.open, runsKeys.mark, runsKeys.compare, runsKeys.filter, runsKeys.sort,
		runsKeys.launch, runsKeys.sweeps, runsKeys.sql, runsKeys.reverse, runsKeys.fold, runsKeys.unfold, runsKeys.refresh}
}

func (s *runsScreen) update(msg tea.Msg) tea.Cmd {
	switch m := msg.(type) {
	case runsLoadedMsg:
		if m.err != nil {
			s.err = m.err
			return nil // keep showing what was loaded before
		}
		s.err = nil
		s.loaded = true
		s.runs = m.runs
		s.params, s.forecasts = m.params, m.forecasts
		s.sweeps = map[string]data.Sweep{}
		for _, w := range m.sweeps {
			s.sweeps[w.ID] = w
		}
		live := map[string]bool{}
		for _, r := range s.runs {
			live[r.ID] = true
		}
		s.order = slices.DeleteFunc(s.order, func(id string) bool { return !live[id] })
		for id := range s.marked {
			if !live[id] {
				delete(s.marked, id)
			}
		}
		s.rebuild()
		return nil
	case refreshMsg:
		return s.load()
	case tea.PasteMsg:
		if s.editing {
			var cmd tea.Cmd
			s.filter, cmd = s.filter.Update(m)
			s.rebuild()
			return cmd
		}
	case tea.KeyPressMsg:
		if s.editing {
			return s.updateFilter(m)
		}
		return s.handleKey(m)
	}
	return nil
}

func (s *runsScreen) updateFilter(m tea.KeyPressMsg) tea.Cmd {
	switch m.String() {
	case "enter":
		s.editing = false
		s.filter.Blur()
		s.layout() // the filter line may have gone
		return nil
	case "esc":
		s.editing = false
		s.filter.Blur()
		setLine(&s.filter, "")
		s.rebuild()
		return nil
	case "up", "down":
		s.tbl.handleKey(m)
		return nil
	}
	var cmd tea.Cmd
	s.filter, cmd = s.filter.Update(m)
	s.rebuild()
	return cmd
}

func (s *runsScreen) handleKey(m tea.KeyPressMsg) tea.Cmd {
	if s.tbl.handleKey(m) {
		return nil
	}
	row := s.current()
	switch {
	case key.Matches(m, runsKeys.open):
		switch {
		case row == nil:
			return nil
		case row.run == nil && row.forecast:
			return cmdOf(openForecastMsg{ref: row.group})
		case row.run == nil:
			return cmdOf(openSweepMsg{id: row.group})
		}
		return cmdOf(openRunMsg{ref: row.run.ID})
	case key.Matches(m, runsKeys.mark):
		if row != nil && row.run != nil {
			if id := row.run.ID; s.marked[id] {
				delete(s.marked, id)
				s.order = slices.DeleteFunc(s.order, func(x string) bool { return x == id })
			} else {
				s.marked[id] = true
				s.order = append(s.order, id)
			}
			s.rebuild()
			s.tbl.move(1)
		}
		return nil
	case key.Matches(m, runsKeys.compare):
		return s.compare()
	case key.Matches(m, runsKeys.filter):
		s.editing = true
		cmd := s.filter.Focus()
		s.rebuild()
		return cmd
	case key.Matches(m, runsKeys.sort):
		s.sortBy = (s.sortBy + 1) % len(runSorts)
		s.sortAsc = runSorts[s.sortBy].asc
		s.rebuild()
		return nil
	case key.Matches(m, runsKeys.reverse):
		s.sortAsc = !s.sortAsc
		s.rebuild()
		return nil
	case key.Matches(m, runsKeys.fold), key.Matches(m, runsKeys.unfold):
		if row != nil && row.group != "" {
			group := row.group // rebuild reuses the rows row points into
			s.open[group] = key.Matches(m, runsKeys.unfold)
			s.rebuild()
			s.selectGroupHeader(group)
		}
		return nil
	case key.Matches(m, runsKeys.sweeps):
		if row != nil && row.group != "" && !row.forecast {
			return cmdOf(openSweepMsg{id: row.group})
		}
		return cmdOf(openSweepMsg{})
	case key.Matches(m, runsKeys.launch):
		return cmdOf(openLaunchMsg{})
	case key.Matches(m, runsKeys.sql):
		return cmdOf(openSQLMsg{})
	case key.Matches(m, runsKeys.refresh):
		return refreshKey()
	}
	return nil
}

// compare opens the marked runs side by side, the first marked as the
// baseline; with one run marked it is compared with the one under the
// cursor.
func (s *runsScreen) compare() tea.Cmd {
	ids := slices.Clone(s.order)
	switch {
	case len(ids) >= 2:
		return cmdOf(openCompareMsg{refs: ids})
	case len(ids) == 1:
		if row := s.current(); row != nil && row.run != nil && row.run.ID != ids[0] {
			return cmdOf(openCompareMsg{refs: []string{ids[0], row.run.ID}})
		}
	}
	return notice("mark two or more runs with space, then press c (the first marked is the baseline)", true)
}

func (s *runsScreen) current() *runsRow {
	if i := s.tbl.selected(); i >= 0 && i < len(s.rows) {
		return &s.rows[i]
	}
	return nil
}

func (s *runsScreen) selectGroupHeader(id string) {
	for i, r := range s.rows {
		if r.run == nil && r.group == id {
			s.tbl.cursor = i
			s.tbl.clamp()
			return
		}
	}
}

// matches applies the filter: every word must appear in the run's name,
// id, status, sweep name or forecast name.
func (s *runsScreen) matches(r *data.RunSummary) bool {
	q := strings.ToLower(strings.TrimSpace(s.filter.Value()))
	if q == "" {
		return true
	}
	hay := strings.ToLower(r.Name + " " + r.ID + " " + r.Status)
	if sw, ok := s.sweeps[r.SweepID]; ok {
		hay += " " + strings.ToLower(sw.Name)
	}
	if f, ok := s.forecasts[r.ID]; ok {
		hay += " " + strings.ToLower(f.name)
	}
	for _, w := range strings.Fields(q) {
		if !strings.Contains(hay, w) {
			return false
		}
	}
	return true
}

// rebuild sorts, filters and groups the runs into table rows. A sweep or
// a forecast takes the place of its first run in the sort order.
func (s *runsScreen) rebuild() {
	keep := s.current()
	var keepID, keepGroup string
	if keep != nil {
		keepGroup = keep.group
		if keep.run != nil {
			keepID = keep.run.ID
		}
	}
	matches := s.sortedMatches()
	s.setHorizonPrio(matches)
	s.markSort()
	s.rows = s.groupRows(matches)
	s.tbl.setRows(s.tableRows())
	// Keep the cursor on the same run (or group) across reloads and sorts.
	for i, r := range s.rows {
		if (keepID != "" && r.run != nil && r.run.ID == keepID) || (keepID == "" && keepGroup != "" && r.run == nil && r.group == keepGroup) {
			s.tbl.cursor = i
			s.tbl.clamp()
			break
		}
	}
	s.layout()
}

// setHorizonPrio keeps HORIZON beside MARGIN, which is always shown,
// whenever the runs listed simulated different horizons: their totals then
// differ by the horizon alone (a 30-minute run's $15.12 beside one-hour
// runs, with nothing to say so at 120 columns). Runs of one horizon show it
// with REVENUE, the other total, as the width allows.
func (s *runsScreen) setHorizonPrio(runs []*data.RunSummary) {
	i := slices.IndexFunc(s.tbl.cols, func(c column) bool { return c.title == "HORIZON" })
	s.tbl.cols[i].prio, s.tbl.cols[i].keep = 1, false
	first := math.NaN()
	for _, r := range runs {
		switch {
		case undefined(r.HorizonS):
		case undefined(first):
			first = r.HorizonS
		case r.HorizonS != first:
			// Kept below 80 columns too, where the columns always shown
			// give way from the right and HORIZON is the last.
			s.tbl.cols[i].prio, s.tbl.cols[i].keep = 0, true
			return
		}
	}
}

// markSort puts the sort's arrow on its column's header ("MARGIN↓"): the
// status line says it too, but gives way to the selection's label where
// the two do not fit, and a header is where the eye looks for what a list
// is sorted on. Ranked per hour, the header keeps its plain title: the
// cells are totals, and "MARGIN/h" over "$509.84" read as $509.84 an
// hour (review287 L2); the status line says the ranking is per hour. The
// arrows are the status line's; NO_COLOR keeps them (the project draws
// glyphs either way, as the heatmap's shades).
func (s *runsScreen) markSort() {
	srt := runSorts[s.sortBy]
	for i := range s.tbl.cols {
		s.tbl.cols[i].mark = ""
		if s.tbl.cols[i].title == srt.col {
			s.tbl.cols[i].mark = arrowFor(s.sortAsc)
		}
	}
}

// sortLabel is the order as the status line names it: "margin ↓", or
// "margin per hour ↓ (horizons differ)" where perHour.
func (s *runsScreen) sortLabel() string {
	if s.perHour {
		return runSorts[s.sortBy].name + " per hour " + arrowFor(s.sortAsc) + " (horizons differ)"
	}
	return runSorts[s.sortBy].name + " " + arrowFor(s.sortAsc)
}

// spansDiffer says whether the runs simulated different times, as
// compare's horizon warning judges it (data.Comparison.HorizonWarning):
// different horizons, or drains past one horizon that differ by more than
// data.DrainTolerance. A run whose horizon is unknown is left out.
func spansDiffer(runs []*data.RunSummary) bool {
	horizon, lo, hi := math.NaN(), math.Inf(1), math.Inf(-1)
	for _, r := range runs {
		if undefined(r.HorizonS) {
			continue
		}
		if !undefined(horizon) && r.HorizonS != horizon {
			return true
		}
		horizon = r.HorizonS
		lo, hi = min(lo, r.SimulatedS()), max(hi, r.SimulatedS())
	}
	return hi > lo*(1+data.DrainTolerance)
}

// perHourOf is a total per hour of the time it covers; NaN where that
// time is unknown or none, which the sort puts last.
func perHourOf(v float64, r *data.RunSummary) float64 {
	if span := r.SimulatedS(); !undefined(span) && span > 0 {
		return v / (span / 3600)
	}
	return math.NaN()
}

// sortedMatches are the runs the filter lets through, in the chosen order.
// A total (margin, revenue) ranks per hour where the runs simulated
// different times (perHour): the column still shows the totals, beside
// HORIZON, and the header and status line say "/h" and "per hour".
func (s *runsScreen) sortedMatches() []*data.RunSummary {
	var runs []*data.RunSummary
	for i := range s.runs {
		if s.matches(&s.runs[i]) {
			runs = append(runs, &s.runs[i])
		}
	}
	srt := runSorts[s.sortBy]
	s.perHour = srt.total && spansDiffer(runs)
	keyOf := srt.key
	if s.perHour {
		keyOf = func(r *data.RunSummary) float64 { return perHourOf(srt.key(r), r) }
	}
	slices.SortStableFunc(runs, func(a, b *data.RunSummary) int {
		var c int
		switch {
		case srt.key != nil:
			c = compareNaNLast(keyOf(a), keyOf(b), s.sortAsc)
			if c != 0 {
				return c
			}
			return cmp.Compare(b.ID, a.ID)
		case srt.name == "name":
			c = cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
		default:
			c = cmp.Compare(a.ID, b.ID)
		}
		if !s.sortAsc {
			c = -c
		}
		return c
	})
	return runs
}

// groupOf is the sweep or the forecast a run belongs to ("" for neither).
func (s *runsScreen) groupOf(r *data.RunSummary) (id string, forecast bool) {
	if r.SweepID != "" {
		return r.SweepID, false
	}
	if f, ok := s.forecasts[r.ID]; ok {
		return f.forecast, true
	}
	return "", false
}

// groupRows folds the runs of each sweep and forecast under one header
// line, with a line per member where the group is unfolded.
func (s *runsScreen) groupRows(runs []*data.RunSummary) []runsRow {
	rows := s.rows[:0]
	seen := map[string]bool{}
	for _, r := range runs {
		g, isForecast := s.groupOf(r)
		if g == "" {
			rows = append(rows, runsRow{run: r, label: r.Name})
			continue
		}
		if seen[g] {
			continue
		}
		seen[g] = true
		var members []*data.RunSummary
		for _, m := range runs {
			if mg, _ := s.groupOf(m); mg == g {
				members = append(members, m)
			}
		}
		switch {
		case runSorts[s.sortBy].key == nil: // by time or name: a group reads in its own order
			s.sortByPlace(members, isForecast)
		case isForecast:
			members = s.variantsTogether(members)
		default:
			members = pointsTogether(members)
		}
		label := s.sweepLabel(g, len(members))
		if isForecast {
			label = s.forecastLabel(g, len(members))
		}
		rows = append(rows, runsRow{group: g, forecast: isForecast, label: label})
		if !s.unfolded(g) {
			continue
		}
		for k, m := range members {
			branch := "├ "
			if k == len(members)-1 {
				branch = "└ "
			}
			rows = append(rows, runsRow{run: m, group: g, forecast: isForecast, label: branch + s.memberLabel(m, true)})
		}
	}
	return rows
}

// chromeHeight is what the screen draws besides the table: the status line
// and, while there is a filter, its line.
func (s *runsScreen) chromeHeight() int {
	if s.editing || s.filter.Value() != "" {
		return 2
	}
	return 1
}

// compareNaNLast orders numbers with undefined values last either way.
func compareNaNLast(a, b float64, asc bool) int {
	an, bn := undefined(a), undefined(b)
	switch {
	case an && bn:
		return 0
	case an:
		return 1
	case bn:
		return -1
	}
	if asc {
		return cmp.Compare(a, b)
	}
	return cmp.Compare(b, a)
}

func (s *runsScreen) tableRows() [][]cell {
	out := make([][]cell, 0, len(s.rows))
	var ttft []float64
	for _, row := range s.rows {
		if row.run != nil {
			ttft = append(ttft, row.run.TTFTP99S)
		}
	}
	secs := secondsColumn(ttft) // one unit down the column
	for _, row := range s.rows {
		if row.run == nil {
			glyph := "▸ "
			if s.unfolded(row.group) {
				glyph = "▾ "
			}
			label := ct(row.label, toneAccent)
			label.span = true
			out = append(out, []cell{ct(glyph, toneAccent), ct(s.sh.short(row.group), toneAccent), label})
			continue
		}
		r := row.run
		mark := " "
		if s.marked[r.ID] {
			mark = "●"
		}
		statusGlyph, statusTone := "✓", toneGood
		switch r.Status {
		case data.StatusFailed:
			statusGlyph, statusTone = "✗", toneBad
		case data.StatusRunning:
			statusGlyph, statusTone = "…", toneWarn
		}
		nameTone := toneNone
		if r.Status != data.StatusComplete {
			nameTone = statusTone
		}
		out = append(out, []cell{
			ct(mark+statusGlyph, statusTone),
			ct(s.sh.short(r.ID), toneMuted),
			ct(row.label, nameTone),
			ct(r.Status, statusTone),
			ct(fmtStarted(r.StartedAt, s.sh.now(), s.sh.loc()), toneMuted),
			c(fmtUSD(r.CostPerMTokUSD)),
			ct(fmtUSD(r.MarginUSD), signTone(r.MarginUSD)),
			c(secs(r.TTFTP99S)),
			ct(fmtAttain(r.SLOAttainment), sloTone(r.SLOAttainment)),
			c(fmtUSD(r.RevenueUSD)),
			c(fmtSig(r.ThroughputRPS)),
			c(fmtPct(r.Utilization)),
			c(fmtHorizon(r.HorizonS)),
			c(fmt.Sprint(r.Seed)),
		})
	}
	return out
}

func fmtHorizon(s float64) string {
	if undefined(s) {
		return dash
	}
	return fmtSimTime(int64(math.Round(s * 1e9)))
}

func signTone(v float64) tone {
	switch {
	case undefined(v) || v == 0:
		return toneNone
	case v > 0:
		return toneGood
	}
	return toneBad
}

// sloTone colours SLO attainment: the default SLO target (99%) and up
// reads as healthy, below 90% as failing (a display convention).
func sloTone(v float64) tone {
	switch {
	case undefined(v):
		return toneNone
	case v >= kpi.DefaultSLOTarget:
		return toneGood
	case v >= 0.90:
		return toneWarn
	}
	return toneBad
}

func (s *runsScreen) view(w, h int) string {
	st := s.sh.st
	switch {
	case !s.loaded && s.err != nil:
		return storeProblem(s.sh, s.err, w, h)
	case !s.loaded:
		return st.muted.Render("loading runs…")
	case len(s.runs) == 0:
		return centerPanel(st, w, h, "No runs yet",
			"The store holds no runs.\n\nPress n to launch one here, or run `aiecon run` in a shell\n(then r to refresh).\n\n"+st.muted.Render("store: "+s.sh.opts.Path))
	}
	var lines []string
	if s.editing || s.filter.Value() != "" {
		lines = append(lines, lineView(s.filter))
	}
	lines = append(lines, s.tbl.view())
	// Runs of a folded sweep count as shown: the filter, not the folding,
	// decides which runs the list holds.
	shown := 0
	for i := range s.runs {
		if s.matches(&s.runs[i]) {
			shown++
		}
	}
	// The sort stays beside the counts however long the selection's
	// label: it went with the marks, and nothing said what the list was
	// sorted on (a header shows its arrow only where its column fits).
	keep := fmt.Sprintf("%d of %d runs · sorted by %s", shown, len(s.runs), s.sortLabel())
	if srt := runSorts[s.sortBy]; srt.key != nil && !s.tbl.showing(srt.col) {
		// No header carries the arrow: say the order is by a column this
		// width leaves out (REVENUE or DONE/S at 80 columns), which the
		// list otherwise reads as sorted by nothing shown. The start time
		// is the ids' order (key nil), which the ID column shows.
		keep += fmt.Sprintf(" (%s not shown at this width)", srt.col)
	}
	status := keep
	if n := len(s.marked); n > 0 {
		status += fmt.Sprintf(" · %d marked (c compares)", n)
	}
	if s.err != nil { // kept however narrow: the rows shown are stale
		failed := " · " + st.errText.Render("reload failed: "+shortErr(s.err))
		status += failed
		keep += failed
	}
	lines = append(lines, statusWithSelection(st, status, keep, s.selectedLabel(), w))
	return fitBlock(strings.Join(lines, "\n"), w, h)
}

func arrowFor(asc bool) string {
	if asc {
		return "↑"
	}
	return "↓"
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// shortErr is an error for a status line: a lock is explained by the
// banner, so it only needs naming.
func shortErr(err error) string {
	var le *data.LockedError
	if errors.As(err, &le) {
		return "the store is in use"
	}
	return oneLine(err.Error())
}

// storeProblem explains an error opening the store when nothing could be
// shown yet: a lock (with the way out), a missing file, anything else.
func storeProblem(sh *shared, err error, w, h int) string {
	st := sh.st
	var le *data.LockedError
	switch {
	case errors.As(err, &le):
		return centerPanel(st, w, h, "The store is in use",
			fmt.Sprintf("The store is being written by %s.\nDuckDB lets one process write a file, and nobody read it meanwhile.\n\n"+
				"R  retry now (the dashboard also retries every %s)\n"+
				"S  open a snapshot copy: the file as of the writer's last checkpoint;\n   it may miss the newest runs\nq  quit\n\n%s",
				lockHolder(le), retryEvery, st.muted.Render("store: "+sh.opts.Path)))
	case errors.Is(err, data.ErrFolderPath):
		// A path ending in a separator: no store is there, and a launch
		// cannot create one, so no "press n".
		return centerPanel(st, w, h, "Not a store file",
			wrap(oneLine(err.Error()), min(w-6, 70))+"\n\nStart the dashboard with --db naming a file.\n\n"+st.muted.Render("store: "+sh.opts.Path))
	case errors.Is(err, data.ErrNoDirectory):
		// A launch would fail as well: DuckDB creates the file, not its folder.
		return centerPanel(st, w, h, "No store folder",
			wrap("The folder "+filepath.Dir(sh.opts.Path)+" does not exist, so there is no store, and a run cannot create one there.", min(w-6, 70))+
				"\n\nCreate the folder (mkdir -p), or start the dashboard with --db PATH.\n\n"+st.muted.Render("store: "+sh.opts.Path))
	case errors.As(err, new(*storeGoneError)):
		return centerPanel(st, w, h, "The store is gone",
			wrap("The store file was read before and is not there now: deleted or moved.", min(w-6, 70))+
				"\n\nr  retry once it is back · esc  back · q  quit\n\n"+st.muted.Render("store: "+sh.opts.Path))
	case errors.Is(err, data.ErrNoStore):
		return centerPanel(st, w, h, "No store yet",
			"There is no store file yet.\n\nPress n to launch a run (that creates it), or run `aiecon run`\nin a shell, or start the dashboard with --db PATH.\n\n"+st.muted.Render("store: "+sh.opts.Path))
	case errors.Is(err, data.ErrAmbiguousRun):
		// The run exists, several times over: the error lists the matches.
		return centerPanel(st, w, h, "Ambiguous run id", wrap(oneLine(err.Error()), min(w-6, 70))+"\n\nesc  back to the runs")
	case errors.Is(err, data.ErrRunNotFound):
		return centerPanel(st, w, h, "No such run", wrap(oneLine(err.Error()), min(w-6, 70))+"\n\nesc  back to the runs")
	}
	return centerPanel(st, w, h, "This cannot be shown", wrap(oneLine(err.Error()), min(w-6, 70))+"\n\nr  retry · esc  back · q  quit")
}
