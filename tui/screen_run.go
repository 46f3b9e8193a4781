package tui

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"aiecon/data"
	"aiecon/model/kpi"
	"aiecon/sim"
)

// runScreen digs into one run: KPI cards, charts over simulated time,
// breakdowns by workload and replica, every KPI, the stored requests (paged
// through SQL) and the scenario. Loading it reads only the run's registry
// row and aggregates (KPIs, windows, replicas), never the requests table,
// so it opens as fast with a million requests stored as with ten.
type runScreen struct {
	base
	ref    string // what the user asked for (id, prefix, "last")
	d      *data.RunDetail
	setup  *runSetup // nil when the run has no readable scenario
	ws     []sim.WindowRecord
	kpis   kpiSet
	err    error
	tab    int
	chart  int // first chart shown on the Charts tab
	scroll int // Scenario tab

	workloads *table
	replicas  *table
	allKPIs   *table
	requests  *pager
	req       reqView   // the Requests tab's filter and sort
	out       outPrompt // writing the run's tables or a chart to a file
	reqLoaded bool
	// warnings are those aiecon show prints for the run (run_warnings.go);
	// warnFull shows them in full in the tab's place (i), from line
	// warnOff.
	warnings []string
	warnFull bool
	warnOff  int
	visRows  int // the rows of it the app shows, where fewer than s.h (clippedScreen); 0 for all
	// models is a model mix's MODELS table, under the workloads.
	models *table
}

var runTabs = []string{"Overview", "Charts", "Workloads", "Replicas", "KPIs", "Requests", "Scenario"}

const (
	tabOverview = iota
	tabCharts
	tabWorkloads
	tabReplicas
	tabKPIs
	tabRequests
	tabScenario
)

type runLoadedMsg struct {
	addr
	d     *data.RunDetail
	setup *runSetup
	ws    []sim.WindowRecord
	// warnings are aiecon show's for the run (Options.RunWarnings).
	warnings []string
	// ids are the store's, read with the run (nil where they could not
	// be): the header's run count and the ids shown follow the store
	// while the runs list, which reads them too, is not on top.
	ids *storeIDs
	err error
}

func (m runLoadedMsg) loadErr() error { return m.err }

func (m runLoadedMsg) storeIDs() *storeIDs { return m.ids }

var runKeys = struct {
	tabs, next, prev, charts, compare, refresh, pages key.Binding
}{
	tabs:    key.NewBinding(key.WithKeys("1", "2", "3", "4", "5", "6", "7"), key.WithHelp("1-7", "tabs")),
	next:    key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next tab")),
	prev:    key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous tab")),
	charts:  key.NewBinding(key.WithKeys("left", "right"), key.WithHelp("←/→", "more charts / columns")),
	pages:   key.NewBinding(key.WithKeys("n", "p"), key.WithHelp("n/p", "pages")),
	compare: key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "compare with…")),
	refresh: key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "reload")),
}

func newRunScreen(sh *shared, ref string) *runScreen {
	s := &runScreen{base: newBase(sh), ref: ref}
	s.workloads = newTable(sh.st, []column{
		{title: "WORKLOAD", width: 12, flex: true},
		{title: "CLASS", width: 5, prio: 4},
		{title: "DONE/S", width: 7, right: true},
		{title: "TTFT P50", width: 8, right: true, prio: 2},
		{title: "TTFT P99", width: 8, right: true},
		{title: "TPOT P99", width: 8, right: true, prio: 1},
		{title: "E2E P99", width: 8, right: true, prio: 2},
		{title: "SLO", width: 6, right: true},
		// Requests lost to a full queue and to the queue timeout, each
		// shown only beside the other: both are what LOST (LAT.) counts of
		// an API workload, and DROPPED 0 alone read as nothing lost.
		{title: "DROPPED", width: 7, right: true, prio: 3, with: "TIMED OUT"},
		{title: "TIMED OUT", width: 9, right: true, prio: 3, with: "DROPPED"},
		{title: "REVENUE", width: 9, right: true},
		{title: "LOST (LAT.)", width: 11, right: true, prio: 1},
	})
	s.replicas = newTable(sh.st, replicaColumns(false))
	s.models = newModelsTable(sh.st)
	s.allKPIs = newTable(sh.st, []column{
		{title: "SCOPE", width: 10},
		// The label and the NAME (prio 1) share what the value leaves
		// them, each up to half where both do not fit whole (growFirst);
		// a name cut by its middle shows whole on the line under the
		// table while selected.
		{title: "KPI", width: 12, flex: true},
		{title: "VALUE", width: 5, right: true}, // widens to its widest value
		{title: "NAME", width: 28, prio: 1, growFirst: true, cutMiddle: true},
	})
	s.requests = newPager(sh, s.sid)
	s.req = newReqView(sh.st)
	s.out = newOutPrompt(sh.st)
	return s
}

func (s *runScreen) title() string {
	if s.d != nil {
		return "Run " + s.sh.short(s.d.Run.ID)
	}
	return "Run " + s.ref
}

func (s *runScreen) init() tea.Cmd { return s.load() }

// load is the Cmd the 200 ms budget is about (see BenchmarkOpenRun).
// failedToOpen says the screen shows no run, only why it could not open
// one: a run opened from it replaces it rather than stack on it.
func (s *runScreen) failedToOpen() bool { return s.d == nil && s.err != nil }

func (s *runScreen) load() tea.Cmd { return loadRun(s.sh.conn, s.sid, s.ref, s.sh.opts.RunWarnings) }

// loadRun reads the run ref and, with warn (nil: none), the warnings
// aiecon show prints for it, which read its calibration profile's file.
func loadRun(c *conn, to int, ref string, warn func(*data.RunDetail) []string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := c.queryCtx()
		defer cancel()
		msg := runLoadedMsg{addr: addr{to}}
		msg.err = c.read(func(st *data.Store) error {
			id, err := st.ResolveRun(ctx, ref)
			if err != nil {
				return err
			}
			if msg.d, err = st.Run(ctx, id); err != nil {
				return err
			}
			if msg.ws, err = st.Windows(ctx, id); err != nil {
				return err
			}
			// The run shows without them: the header keeps its count.
			msg.ids, _ = readStoreIDs(ctx, st)
			return nil
		})
		if msg.err == nil {
			// A scenario that no longer parses only costs the setup line.
			msg.setup, _ = setupOf(msg.d.Run.ResolvedYAML, msg.d.Run.ScenarioYAML, msg.d.Run.Served)
			if warn != nil {
				msg.warnings = warn(msg.d)
			}
		}
		return msg
	}
}

func (s *runScreen) resize(w, h int) {
	s.w, s.h = w, h
	th := h - s.chrome(w, h)
	s.sizeWorkloads(w, th)
	s.replicas.setSize(w, th-1) // and the line that says which rows show, as the KPIs tab
	s.allKPIs.setSize(w, th-1)  // and the line that says which rows show
	s.requests.tbl.setSize(w, th-1-s.req.lines())
	sizeLine(&s.req.filter, w)
	s.out.width = w
	if s.out.active {
		s.out.setPrompt()
	}
}

func (s *runScreen) mode() keyMode {
	if s.out.active || (s.tab == tabRequests && s.req.editing) {
		return keysText
	}
	return keysNormal
}

// back stops the Requests tab's query as esc closes the screen: it ran on
// for up to queryTimeout, holding the store against writers, for a screen
// gone.
func (s *runScreen) back() bool {
	s.leave()
	return false
}

// leave stops the Requests tab's query as the screen leaves the stack by
// any road (leaver), :back and :runs as well as esc.
func (s *runScreen) leave() { s.requests.cancel() }

// backCmd stops the count of the Requests tab's view (its status line
// says esc stops it, as in the SQL console), then clears its filter,
// before esc closes the screen.
func (s *runScreen) backCmd() (bool, tea.Cmd) {
	if s.warnFull {
		s.toggleWarnings()
		return true, nil
	}
	if s.tab == tabRequests && s.requests.stopCount() {
		return true, nil
	}
	if s.tab == tabRequests && s.d != nil && s.req.clear() {
		s.resize(s.w, s.h)
		return true, s.loadRequests()
	}
	return false, nil
}

func (s *runScreen) keys() []key.Binding {
	if s.out.active {
		return s.out.keys()
	}
	if s.d == nil {
		// No run to act on (x export, c compare and the tabs would do
		// nothing): at most a retry, where one might help.
		if s.err != nil && !errors.Is(s.err, data.ErrRunNotFound) && !errors.Is(s.err, data.ErrAmbiguousRun) {
			return []key.Binding{runKeys.refresh}
		}
		return nil
	}
	ks := []key.Binding{runKeys.tabs, runKeys.next}
	if s.warnFull {
		fold := warnKeys.toggle
		fold.SetHelp("i", "fold warnings")
		return append(ks, warnKeys.scroll, fold, runKeys.compare, runKeys.refresh)
	}
	if len(s.warnings) > 0 {
		ks = append(ks, warnKeys.toggle)
	}
	switch s.tab {
	case tabCharts:
		ks = append(ks, runKeys.charts)
	case tabRequests:
		if s.req.editing {
			return []key.Binding{
				key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "apply")),
				key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear")),
			}
		}
		ks = append(ks, reqKeys.filter, reqKeys.sort, reqKeys.reverse, runKeys.pages, runKeys.charts)
		if s.requestsRunning() { // ctrl+c stops it rather than quit (interrupt)
			ks = append([]key.Binding{reqKeys.stop}, ks...)
		}
	}
	return append(ks, outKeys.export, outKeys.plot, runKeys.compare, runKeys.refresh, runKeys.prev)
}

func (s *runScreen) update(msg tea.Msg) tea.Cmd {
	if ok, cmd := s.requests.handle(msg); ok {
		return cmd
	}
	switch m := msg.(type) {
	case runLoadedMsg:
		if m.err != nil {
			s.err = m.err
			if s.d == nil && errors.Is(m.err, data.ErrRunNotFound) {
				// Nothing to show, now or on a retry: the screen closes
				// rather than stay on the stack (:run zzz twice read
				// Runs › Run zzz › Run zzz). An ambiguous prefix stays:
				// its screen lists the runs it matches, and the next
				// run opened replaces it (failedToOpen).
				return cmdOf(closeScreenMsg{sid: s.sid, why: oneLine(m.err.Error())})
			}
			return nil
		}
		s.err = nil
		s.d, s.ws, s.setup, s.warnings = m.d, m.ws, m.setup, m.warnings
		s.warnFull = s.warnFull && len(s.warnings) > 0
		s.fitReplicaColumns()
		s.ref = m.d.Run.ID
		s.kpis = newKPISet(m.d.KPIs)
		s.fillTables()
		s.resize(s.w, s.h) // the setup may take two lines, the models table some
		if s.tab == tabRequests {
			return s.loadRequests()
		}
		return nil
	case refreshMsg:
		s.reqLoaded = false
		return s.load()
	case outputMsg:
		if m.err != nil {
			return notice(oneLine(m.err.Error()), true)
		}
		return notice(m.text, false)
	case tea.PasteMsg:
		if s.out.active {
			return s.out.update(s.sh.conn, s.sid, m)
		}
		if s.req.editing {
			return s.editFilter(m)
		}
	case tea.KeyPressMsg:
		if s.out.active {
			cmd := s.out.update(s.sh.conn, s.sid, m)
			s.resize(s.w, s.h) // the setup lines come back when it closes
			return cmd
		}
		if s.tab == tabRequests && s.req.editing {
			return s.editFilter(m)
		}
		return s.handleKey(m)
	}
	return nil
}

// editFilter passes a key or paste to the Requests filter and runs the
// query again when the filter was applied or cleared.
func (s *runScreen) editFilter(m tea.Msg) tea.Cmd {
	changed, cmd := s.req.edit(m)
	s.resize(s.w, s.h) // the filter line comes and goes
	if changed && s.d != nil {
		return tea.Batch(cmd, s.loadRequests())
	}
	return cmd
}

func (s *runScreen) handleKey(m tea.KeyPressMsg) tea.Cmd {
	k := m.String()
	switch {
	case key.Matches(m, warnKeys.toggle) && (s.warnFull || len(s.warnings) > 0):
		s.toggleWarnings()
		return nil
	case s.warnFull && s.scrollWarnings(m):
		return nil
	case len(k) == 1 && k[0] >= '1' && k[0] < '1'+byte(len(runTabs)):
		return s.setTab(int(k[0] - '1'))
	case key.Matches(m, runKeys.next):
		return s.setTab((s.tab + 1) % len(runTabs))
	case key.Matches(m, runKeys.prev):
		return s.setTab((s.tab + len(runTabs) - 1) % len(runTabs))
	case key.Matches(m, runKeys.refresh):
		return refreshKey()
	case key.Matches(m, runKeys.compare):
		if s.d == nil {
			return nil
		}
		return cmdOf(openPaletteMsg{text: "compare " + s.sh.short(s.d.Run.ID) + " "})
	case key.Matches(m, outKeys.export), key.Matches(m, outKeys.plot):
		if s.d == nil {
			return nil
		}
		cmd := s.out.open(s.d.Run.ID, key.Matches(m, outKeys.plot))
		s.resize(s.w, s.h) // the prompt takes the setup lines' place
		return cmd
	}
	if s.warnFull { // the tab's keys act on what does not show
		return nil
	}
	switch s.tab {
	case tabCharts:
		switch k {
		case "right", "l":
			s.chart = min(s.chart+1, len(runCharts)-1)
		case "left", "h":
			s.chart = max(s.chart-1, 0)
		}
	case tabWorkloads:
		s.workloads.handleKey(m)
	case tabReplicas:
		s.replicas.handleKey(m)
	case tabKPIs:
		s.allKPIs.handleKey(m)
	case tabRequests:
		if used, changed, cmd := s.req.key(m); used {
			s.resize(s.w, s.h)
			if changed && s.d != nil {
				return s.loadRequests()
			}
			return cmd
		}
		_, cmd := s.requests.key(m)
		return cmd
	case tabScenario:
		s.scenarioKey(k)
	}
	return nil
}

// scenarioKey scrolls the Scenario tab.
func (s *runScreen) scenarioKey(k string) {
	// A page is the lines the tab shows (the body less its title
	// line): paging by the screen's height skipped lines.
	page := max(s.h-s.chrome(s.w, s.h)-1, 1)
	switch k {
	case "down", "j":
		s.scroll++
	case "up", "k":
		s.scroll = max(s.scroll-1, 0)
	case "pgdown", "space":
		s.scroll += page
	case "pgup":
		s.scroll = max(s.scroll-page, 0)
	case "home", "g":
		s.scroll = 0
	case "end", "G":
		if s.d != nil {
			s.scroll = strings.Count(s.d.Run.ResolvedYAML+s.d.Run.ScenarioYAML, "\n") // the view clamps it
		}
	}
}

func (s *runScreen) setTab(t int) tea.Cmd {
	s.tab, s.warnFull = t, false // a tab asked for is shown
	if t == tabRequests && !s.reqLoaded && s.d != nil {
		return s.loadRequests()
	}
	return nil
}

// loadRequests pages through the run's stored requests by key
// (requestQuery); in id order the total comes from the registry
// (runs.requests_stored), so nothing counts a million rows.
func (s *runScreen) loadRequests() tea.Cmd {
	s.reqLoaded = true
	return s.req.start(s.requests, s.d.Run.ID, s.d.Run.RequestsStored)
}

func (s *runScreen) fillTables() {
	d := s.d
	var wl [][]cell
	// Workload names (shopping-assistant) are the rows' identity: their
	// column is as wide as the longest (up to 24 cells), and the class and
	// the secondary latencies give way first.
	s.workloads.cols[0].width = 12
	for _, w := range d.Workloads {
		s.workloads.cols[0].width = max(s.workloads.cols[0].width, min(lipgloss.Width(w.Name), 24))
	}
	lat := []string{kpi.TTFTP50S, kpi.TTFTP99S, kpi.TPOTP99S, kpi.E2EP99S}
	secs := latencyColumns(len(d.Workloads), len(lat), func(i, j int) float64 { return s.kpis.get(d.Workloads[i].Name, lat[j]) })
	for _, w := range d.Workloads {
		sc := w.Name
		wl = append(wl, []cell{
			c(w.Name), ct(w.Class, toneMuted),
			c(fmtSig(s.kpis.get(sc, kpi.ThroughputRPS))),
			c(secs[0](s.kpis.get(sc, kpi.TTFTP50S))),
			c(secs[1](s.kpis.get(sc, kpi.TTFTP99S))),
			c(secs[2](s.kpis.get(sc, kpi.TPOTP99S))),
			c(secs[3](s.kpis.get(sc, kpi.E2EP99S))),
			ct(fmtAttain(s.kpis.get(sc, kpi.SLOAttainment)), sloTone(s.kpis.get(sc, kpi.SLOAttainment))),
			c(fmtCount(s.kpis.get(sc, kpi.RequestsDropped))),
			c(fmtCount(s.kpis.get(sc, kpi.RequestsTimedOut))),
			c(fmtUSD(workloadRevenue(s.kpis, sc))),
			c(fmtUSD(s.kpis.get(sc, kpi.RevenueLostToLatencyUSD))),
		})
	}
	s.workloads.setRows(wl)

	var rr [][]cell
	models := s.replicaModels()
	for i, r := range d.Replicas {
		busy, up := dash, dash
		row := []cell{c(fmt.Sprint(r.Meta.ID)), c(fmt.Sprint(r.Meta.Instance)), c(r.Meta.Type), c(fmt.Sprint(r.Meta.TP))}
		if models != nil {
			row = slices.Insert(row, 1, c(models[i]))
		}
		if r.HasTotals {
			if r.Totals.UpNs > 0 {
				busy = fmtPct(float64(r.Totals.BusyNs) / float64(r.Totals.UpNs))
			}
			up = fmtClock(float64(r.Totals.UpNs) / 1e9)
			row = append(row, c(busy), c(up), c(fmtCount(float64(r.Totals.Iterations))), c(fmtCount(float64(r.Totals.PrefillTok))),
				c(fmtCount(float64(r.Totals.DecodeTok))), c(fmtCount(float64(r.Totals.Preemptions))), c(fmtCount(float64(r.Totals.Completed))))
		} else {
			row = append(row, c(busy), c(up))
		}
		rr = append(rr, row)
	}
	s.replicas.setRows(rr)
	s.fillModels()

	var kr [][]cell
	for _, k := range d.KPIs {
		scope := k.Scope
		if scope == "" {
			scope = "run"
		}
		kr = append(kr, []cell{ct(scope, toneMuted), c(kpi.Label(k.Name)), c(fmtKPI(k.Name, k.Value, k.Unit)), ct(k.Name, toneMuted)})
	}
	s.allKPIs.setRows(kr)
}

// kpiNameCol is the KPIs tab's NAME column.
const kpiNameCol = 3

// kpisStatus is the line under the KPIs tab: which rows show (the tab
// scrolls, as the Requests tab does) and, where the table cuts the
// selected KPI's name or leaves it out, the name whole: the one a user
// copies into sql and sweep.
func (s *runScreen) kpisStatus() string {
	pos := s.allKPIs.position()
	if name := s.allKPIs.selectedCut(kpiNameCol); name != "" {
		pos += " · " + name
	}
	return pos
}

// workloadRevenue is a workload's revenue: the simulator reports
// revenue_usd per workload for agents, and token revenue for all.
func workloadRevenue(k kpiSet, scope string) float64 {
	if v := k.get(scope, kpi.RevenueUSD); !undefined(v) {
		return v
	}
	return k.get(scope, kpi.RevenueAPIUSD)
}

func (s *runScreen) view(w, h int) string {
	st := s.sh.st
	if s.d == nil {
		if s.err != nil {
			return storeProblem(s.sh, s.err, w, h)
		}
		return st.muted.Render("loading run " + s.ref + "…")
	}
	lines := append(s.header(w, h), tabs(st, runTabs, s.tab, w))
	bh := h - s.chrome(w, h)
	var body string
	switch {
	case s.warnFull:
		body = s.warnView(w, bh)
	case s.tab == tabOverview:
		body = s.overview(w, bh)
	case s.tab == tabCharts:
		body = s.charts(w, bh)
	case s.tab == tabWorkloads:
		body = s.workloadsBody(w, bh)
		if len(s.d.Workloads) == 0 {
			body = st.muted.Render("no workloads recorded")
		}
	case s.tab == tabReplicas:
		// Which rows show of how many: G on 200,000 replicas showed
		// replica 199999 with nothing saying how many there are.
		body = s.replicas.view() + "\n" + st.muted.Render(fitWidth(s.replicas.position(), w))
		switch {
		case len(s.d.Replicas) > 0:
		case s.d.Run.Status == data.StatusRunning:
			body = st.muted.Render(wrap("no replicas recorded yet: the run is being written (r reloads)", w))
		case len(s.d.KPIs) == 0: // a header over nothing said nothing of why
			body = st.muted.Render(wrap("no replicas recorded: "+incomplete("the run", s.d.Run.Error), w))
		default:
			body = st.muted.Render("no replicas recorded")
		}
	case s.tab == tabKPIs:
		body = s.allKPIs.view() + "\n" + st.muted.Render(fitWidth(s.kpisStatus(), w))
		if len(s.d.KPIs) == 0 {
			body = st.muted.Render(wrap("no KPIs: "+incomplete("the run", s.d.Run.Error), w))
		}
	case s.tab == tabRequests:
		body = s.requestsView(w, bh)
	case s.tab == tabScenario:
		body = s.scenarioView(w, bh)
	}
	lines = append(lines, fitBlock(body, w, bh))
	return strings.Join(lines, "\n")
}

// runLines say what the run is: name, id, status, seed, horizon, size and
// overrides. Where one line does not hold them, the size and wall time go
// first, then the rest takes as many lines as it needs: a sweep point's or
// a forecast's run name is long, and the overrides can be many.
func (s *runScreen) runLines(w int) []string {
	st := s.sh.st
	if s.d == nil { // not loaded yet: the loading line
		return []string{""}
	}
	r := s.d.Run
	status := st.good.Render("✓ complete")
	switch r.Status {
	case data.StatusFailed:
		status = st.bad.Render("✗ failed")
	case data.StatusRunning:
		status = st.warn.Render("… running")
	}
	must := []string{st.title.Render(r.Name), st.muted.Render(r.ID), status,
		fmt.Sprintf("seed %d", r.Seed), "horizon " + fmtSimTime(r.HorizonNs)}
	var extra, tail []string
	if r.RequestsStored > 0 {
		req := fmtCount(float64(r.RequestsStored)) + " requests"
		if r.RequestsSampled {
			req += " (sampled)"
		}
		extra = append(extra, req)
	}
	if !undefined(r.WallS) {
		extra = append(extra, "ran "+fmtSeconds(r.WallS))
	}
	// The overrides tell runs of one scenario apart (a sweep point's are its parameters).
	if ps, err := parseParams(r.ParamsJSON); r.ParamsJSON != "" && err == nil && len(ps) > 0 {
		tail = append(tail, "set "+paramsLabel(ps))
	}
	if r.Error != "" {
		tail = append(tail, st.errText.Render(runError(r.Error)))
	}
	sep := st.muted.Render(" · ")
	if all := slices.Concat(must, extra, tail); lipgloss.Width(strings.Join(all, sep)) <= w {
		return []string{strings.Join(all, sep)}
	}
	return wrapParts(slices.Concat(must, tail), sep, w)
}

func (s *runScreen) requestsView(w, h int) string {
	st := s.sh.st
	if s.d.Run.RequestsStored == 0 && s.requests.cols == nil {
		return st.muted.Render("no requests stored for this run (the scenario's output.request_sample_rate may be 0)")
	}
	var lines []string
	if s.req.lines() > 0 {
		lines = append(lines, lineView(s.req.filter))
	}
	status := s.requests.statusFit(w)
	if s.requests.cols != nil {
		status = requestsStatus(s.requests, s.req.describe(), w)
	}
	return strings.Join(append(lines, s.requests.tbl.view(), st.muted.Render(fitWidth(status, w))), "\n")
}

// requestsStatus is the Requests tab's status line in w columns: the
// pager's status and the view's order and filter (describe). Where they
// do not fit, the pager's status is said short (statusIn), then the order
// and filter go first, so that what is cut is the pager's end (the
// columns shown) and not what says which requests the table holds: at 80
// columns the cut fell on "sorted by i…" and the filter.
func requestsStatus(p *pager, describe string, w int) string {
	if s := p.status() + " · " + describe; lipgloss.Width(s) <= w {
		return s
	}
	if s := p.statusIn(w) + " · " + describe; lipgloss.Width(s) <= w {
		return s
	}
	return describe + " · " + p.statusIn(w)
}

func (s *runScreen) scenarioView(w, h int) string {
	st := s.sh.st
	y := s.d.Run.ResolvedYAML
	title := "resolved scenario (every default filled in)"
	if y == "" {
		y, title = s.d.Run.ScenarioYAML, "scenario as given"
	}
	if y == "" {
		return st.muted.Render("no scenario stored with this run")
	}
	lines := strings.Split(strings.TrimRight(y, "\n"), "\n")
	s.scroll = min(s.scroll, max(len(lines)-(h-1), 0))
	end := min(s.scroll+h-1, len(lines))
	out := []string{st.muted.Render(fmt.Sprintf("%s · lines %d–%d of %d", title, s.scroll+1, end, len(lines)))}
	for _, l := range lines[s.scroll:end] {
		out = append(out, fitWidth(l, w))
	}
	return strings.Join(out, "\n")
}
