package tui

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"aiecon/data"
	"aiecon/model/kpi"
	"aiecon/study"
)

// sweepScreen shows the sweeps (with no id) or one sweep: its points as a
// table, and a heatmap of a chosen KPI over two chosen parameters.
type sweepScreen struct {
	base
	sweepID string
	sweeps  []data.Sweep
	sweep   *data.Sweep
	points  []sweepPoint
	keys_   []string // parameter keys, in the sweep's order
	err     error
	loaded  bool
	// early is the keys pressed before the sweep first loaded, played
	// once it has (as keys count while a page loads, in Requests and
	// SQL): `:sweep ID` then `d` typed at once lost the d. Past
	// maxEarlyKeys a key is dropped, and counted in earlyDropped for the
	// notice that says so once the sweep has loaded.
	early        []tea.KeyPressMsg
	earlyDropped int

	tbl     *table
	kpi     int // index into heatKPIs
	xKey    int // index into keys_
	yKey    int
	heatTop bool // small terminals: show the heatmap instead of the table
	// meanPct is set when the percentile KPIs are averaged over the runs,
	// not pooled, because a run the sweep counts has no latency sketches
	// (stored before schema version 11), as aiecon sweep then does.
	meanPct bool

	// workloads are the workload scopes the runs report SLO attainment or
	// latency in; scope picks the SLO and TTFT P99 columns' scope among
	// scopeChoices (w), at first the one aiecon sweep shows (defaultScope).
	workloads []string
	scope     int
	scopeSet  bool
	// overErr says why the points were not checked for overload; nil
	// when they were (sweepPoint.overloaded).
	overErr error
	// pin is the combination of the other parameters' values (those on
	// neither axis, otherCombos) the heatmap shows; -1 averages every
	// point of a cell.
	pin int
	// paired is the paired view (d, sweep_paired.go): each point's KPIs
	// less a reference point's, by replication; nil shows the KPIs.
	paired *sweepPaired
	// warnings are those aiecon sweep and optimize print for the runs
	// the sweep counts (sweep_warnings.go); warnFull shows them in full
	// in the table's place (i), from line warnOff.
	warnings []string
	warnFull bool
	warnOff  int
	visRows  int // the rows of it the app shows, where fewer than s.h (clippedScreen); 0 for all
	// monteCarlo says the points are a Monte Carlo study's samples.
	monteCarlo bool
	// kpis are the counted runs' KPIs that pooling read, by run: the
	// partial note asks which a run lacks (sweep_partial.go); partial is
	// that note for the table rebuilt last, "" where no value is marked.
	kpis    runKPIs
	partial string
}

type sweepPoint struct {
	data.SweepPoint
	params map[string]param
	ps     []param
	// counted are the runs aiecon sweep's summary counts: a complete run
	// a replication, the oldest (lowest id) where a merged store has more.
	counted []data.RunSummary
	// pooled are the heat KPIs pooled over the counted runs as aiecon
	// sweep pools them, by index: ratios of run totals as the totals'
	// ratio (study.PooledValue), latency percentiles as the percentile of
	// the runs' requests pooled from their sketches
	// (study.PooledPercentile); the others are averaged (pointInterval).
	pooled map[int]study.Interval
	// scoped are the SLO and latency heat KPIs (scopedKPI) pooled the
	// same way in each workload scope, by scope, then index.
	scoped map[string]map[int]study.Interval
	// goodShare is the goodput the heatmap ranks: a share of the
	// requests offered (goodputShare).
	goodShare float64
	// overloaded is how many of the counted runs aiecon run's overload
	// check flags (its OVERLOADED or SATURATED warnings), as aiecon
	// sweep's OVERLOADED column counts them.
	overloaded int
}

// scopeWorst is the scope choice that reads, at each point, the worst
// workload's figure: the lowest SLO attainment, as aiecon optimize ranks
// fleets by, and the highest latency. No workload has this name.
const scopeWorst = "\x00worst"

// heatKPIs are the KPIs k cycles through, with how to read each from a run
// and how a heatmap cell prints it; labels and directions are the catalog's.
var heatKPIs = []struct {
	name string
	get  func(r data.RunSummary) float64
	fmt  func(float64) string
}{
	{kpi.CostPerMTokUSD, func(r data.RunSummary) float64 { return r.CostPerMTokUSD }, fmtUSD},
	{kpi.MarginUSD, func(r data.RunSummary) float64 { return r.MarginUSD }, fmtUSD},
	{kpi.TTFTP99S, func(r data.RunSummary) float64 { return r.TTFTP99S }, fmtSeconds},
	{kpi.SLOAttainment, func(r data.RunSummary) float64 { return r.SLOAttainment }, fmtAttain},
	{kpi.RevenueUSD, func(r data.RunSummary) float64 { return r.RevenueUSD }, fmtUSD},
	{kpi.GoodputRPS, func(r data.RunSummary) float64 { return r.GoodputRPS }, func(v float64) string { return fmtSig(v) + "/s" }},
	{kpi.GrossMargin, func(r data.RunSummary) float64 { return r.GrossMargin }, fmtPct},
}

type sweepsLoadedMsg struct {
	addr
	id     string // the sweep the screen's reference (id, prefix, "last") names
	sweeps []data.Sweep
	points []data.SweepPoint
	kpis   runKPIs // the runs' KPIs that pooling reads
	// sketches are the runs' latency sketches that pooling percentiles
	// reads, by run id; a run stored before schema version 11 has none.
	sketches runSketches
	// kpiRefs are the KPIs the sweep's specification lists: the scope of
	// its SLO and latency KPIs is the one aiecon sweep shows.
	kpiRefs []study.KPIRef
	// monteCarlo says the sweep is a Monte Carlo study: its points are
	// samples, which the partial note says (sweep_partial.go).
	monteCarlo bool
	// overloaded counts, by point, the counted runs that the overload
	// check (Options.Overload) flags; overloadErr says why none was
	// checked.
	overloaded  map[int]int
	overloadErr error
	// warnings are the CLI's warnings for the runs counted
	// (caveat.Sweep's Summary, then Fleets); none where the check that
	// tallies them failed, as aiecon sweep prints none then.
	warnings []string
	err      error
}

func (m sweepsLoadedMsg) loadErr() error { return m.err }

var sweepKeys = struct {
	open, kpi, x, y, view, compare, refresh, scope, pin key.Binding
}{
	open:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),
	kpi:     key.NewBinding(key.WithKeys("m", "M"), key.WithHelp("m/M", "heatmap KPI")),
	x:       key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "x parameter")),
	y:       key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "y parameter")),
	view:    key.NewBinding(key.WithKeys("v"), key.WithHelp("v", "table / heatmap")),
	compare: key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "compare points (a run each)")),
	refresh: key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "reload")),
	scope:   key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "SLO/TTFT workload")),
	pin:     key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "heatmap slice")),
}

func newSweepScreen(sh *shared, id string) *sweepScreen {
	s := &sweepScreen{base: newBase(sh), sweepID: id, tbl: newTable(sh.st, nil), yKey: 1, pin: -1}
	return s
}

func (s *sweepScreen) title() string {
	switch {
	case s.sweep != nil:
		return "Sweep " + s.sweep.Name
	case s.sweepID != "":
		return "Sweep " + s.sh.short(s.sweepID)
	}
	return "Sweeps"
}

func (s *sweepScreen) init() tea.Cmd { return s.load() }

func (s *sweepScreen) load() tea.Cmd {
	c, to, id, check, memo, caveats := s.sh.conn, s.sid, s.sweepID, s.sh.opts.Overload, s.sh.overMemo, s.sh.caveats
	return func() tea.Msg {
		ctx, cancel := c.queryCtx()
		defer cancel()
		msg := sweepsLoadedMsg{addr: addr{to}}
		var over overloadInput
		msg.err = c.read(func(st *data.Store) error {
			var err error
			if msg.sweeps, err = st.Sweeps(ctx); err != nil || id == "" {
				return err
			}
			// ":sweep" takes what the CLI takes: an id, a prefix or "last".
			if msg.id, err = st.ResolveSweep(ctx, id); err != nil {
				return err
			}
			if msg.points, err = st.SweepPoints(ctx, msg.id); err != nil {
				return err
			}
			if msg.kpis, err = poolingKPIs(ctx, st, msg.id); err != nil {
				return err
			}
			if msg.sketches, err = poolingSketches(ctx, st, msg.id); err != nil {
				return err
			}
			over = readOverloadInput(ctx, st, msg.id)
			return nil
		})
		if msg.err != nil || id == "" {
			return msg
		}
		// The store is let go: a writer (aiecon run) waits for no parsing.
		if sweepComputeHook != nil {
			sweepComputeHook()
		}
		tally := caveats.of(msg.id)
		var spec *study.Spec
		spec, msg.overloaded, msg.overloadErr = sweepOverload(ctx, c, msg.id, over, check, memo, tally)
		if spec != nil {
			msg.kpiRefs, msg.monteCarlo = spec.KPIs, spec.MonteCarlo != nil
		}
		if msg.overloadErr == nil {
			msg.warnings = append(tally.Summary(msg.kpiRefs), tally.Fleets()...)
		}
		return msg
	}
}

// sweepComputeHook, when set (by a test), runs after a sweep load's read
// let the store go and before it parses the sweep's scenarios.
var sweepComputeHook func()

func (s *sweepScreen) resize(w, h int) {
	s.w, s.h = w, h
	s.tbl.setSize(w, s.tableHeight())
}

func (s *sweepScreen) tableHeight() int {
	body := s.h - 2 - len(s.warnLine(s.w)) // title, warnings and status lines
	if s.sweepID == "" {
		return body
	}
	if s.paired != nil { // no heatmap: the notes, then the table
		return max(body-len(s.pairedNotes(s.w)), 1)
	}
	note := len(s.partialLines(s.w)) // under the table
	body -= note
	need := len(s.points) + 1
	heat := s.heatHeight()
	if body-need >= heat || note > 0 && need < body { // both fit, or the note right under the rows
		return need
	}
	return body
}

// heatHeight is the heatmap's height: a title, what a cell holds where
// other parameters vary, the column labels, a row per y value and the
// legend.
func (s *sweepScreen) heatHeight() int {
	return strings.Count(s.heatmap(s.w), "\n") + 1
}

func (s *sweepScreen) mode() keyMode { return keysNormal }

// back folds the warnings shown in full, then leaves the paired view; on
// the KPIs the screen closes.
func (s *sweepScreen) back() bool {
	if s.warnFull {
		s.toggleWarnings()
		return true
	}
	if s.paired == nil {
		return false
	}
	s.leavePaired()
	return true
}

func (s *sweepScreen) keys() []key.Binding {
	if s.sweepID == "" {
		return []key.Binding{sweepKeys.open, sweepKeys.refresh}
	}
	if s.warnFull {
		fold := warnKeys.toggle
		fold.SetHelp("i", "fold warnings")
		return []key.Binding{warnKeys.scroll, fold, sweepKeys.refresh}
	}
	keys := []key.Binding{sweepKeys.open, pairedKeys.pick, sweepKeys.kpi, sweepKeys.x, sweepKeys.y, sweepKeys.view, sweepKeys.scope, sweepKeys.pin,
		sweepKeys.compare, sweepKeys.refresh}
	if s.paired != nil {
		keys = []key.Binding{sweepKeys.open, pairedKeys.pick, pairedKeys.leave, pairedKeys.left, sweepKeys.compare, sweepKeys.refresh}
	}
	if len(s.warnings) > 0 {
		keys = append(keys, warnKeys.toggle)
	}
	return keys
}

func (s *sweepScreen) update(msg tea.Msg) tea.Cmd {
	switch m := msg.(type) {
	case sweepsLoadedMsg:
		if m.err != nil {
			s.err, s.early, s.earlyDropped = m.err, nil, 0
			return nil
		}
		s.err, s.loaded = nil, true
		if m.id != "" {
			s.sweepID = m.id
		}
		s.sweeps = m.sweeps
		s.sweep = nil
		for i := range m.sweeps {
			if m.sweeps[i].ID == s.sweepID {
				s.sweep = &m.sweeps[i]
			}
		}
		s.setPoints(m.points, m.kpis, m.sketches)
		s.setOverload(m.overloaded, m.overloadErr)
		s.setScope(m.kpiRefs)
		s.warnings, s.monteCarlo = m.warnings, m.monteCarlo
		s.warnFull = s.warnFull && len(s.warnings) > 0
		s.rebuild()
		s.resize(s.w, s.h) // the line naming the warnings takes the table's room
		return s.playEarly()
	case sweepPairedMsg:
		s.setPaired(m)
		return nil
	case refreshMsg:
		return s.reload()
	case tea.KeyPressMsg:
		if !s.loaded && s.err == nil {
			s.keepEarly(m)
			return nil
		}
		if s.warnFull && s.scrollWarnings(m) {
			return nil
		}
		if s.tbl.handleKey(m) {
			if s.paired != nil { // the notes name the selected point's reason
				s.resize(s.w, s.h)
			}
			return nil
		}
		return s.handleKey(m)
	}
	return nil
}

func (s *sweepScreen) handleKey(m tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(m, sweepKeys.refresh):
		return refreshKey()
	case key.Matches(m, warnKeys.toggle) && s.sweepID != "" && (s.warnFull || len(s.warnings) > 0):
		s.toggleWarnings()
		return nil
	case s.warnFull: // the points' keys act on what does not show
		return nil
	case key.Matches(m, sweepKeys.open):
		i := s.tbl.selected()
		if i < 0 {
			return nil
		}
		if s.sweepID == "" {
			return cmdOf(openSweepMsg{id: s.sweeps[i].ID})
		}
		if r, ok := representative(s.points[i].SweepPoint); ok {
			return cmdOf(openRunMsg{ref: r.ID})
		}
		return notice(fmt.Sprintf("point %d has no run yet", s.points[i].Point), true)
	}
	if s.sweepID == "" || !s.loaded {
		return nil
	}
	switch {
	case key.Matches(m, pairedKeys.pick):
		return s.pickReference()
	case key.Matches(m, sweepKeys.compare):
		return s.comparePoints()
	case s.paired != nil && key.Matches(m, pairedKeys.left):
		s.scrollKPIs(-1)
	case s.paired != nil && key.Matches(m, pairedKeys.right):
		s.scrollKPIs(1)
	case s.paired != nil: // the heatmap's keys have nothing to act on
		return nil
	case key.Matches(m, sweepKeys.kpi):
		step := 1
		if m.String() == "M" {
			step = len(heatKPIs) - 1
		}
		s.kpi = (s.kpi + step) % len(heatKPIs)
		s.rebuild()
	case key.Matches(m, sweepKeys.x) && len(s.keys_) > 0:
		s.xKey, s.pin = s.nextAxis(s.xKey, s.yKey), -1
		s.resize(s.w, s.h)
	case key.Matches(m, sweepKeys.y) && len(s.keys_) > 1:
		s.yKey, s.pin = s.nextAxis(s.yKey, s.xKey), -1
		s.resize(s.w, s.h)
	case key.Matches(m, sweepKeys.scope):
		s.scope = (s.scope + 1) % len(s.scopeChoices())
		s.rebuild()
	case key.Matches(m, sweepKeys.pin):
		cmd := s.nextPin()
		s.resize(s.w, s.h)
		return cmd
	case key.Matches(m, sweepKeys.view):
		s.heatTop = !s.heatTop
	}
	return nil
}

// maxEarlyKeys is the most keys kept before the sweep loads.
const maxEarlyKeys = 16

// keepEarly keeps a key pressed before the sweep loaded for playEarly, or
// past maxEarlyKeys drops it: handled then, as it was, the 17th key acted
// on the screen still loading (r loaded it again, v was lost) before the
// 16 kept.
func (s *sweepScreen) keepEarly(m tea.KeyPressMsg) {
	if len(s.early) < maxEarlyKeys {
		s.early = append(s.early, m)
		return
	}
	s.earlyDropped++
}

// playEarly handles the keys pressed before the sweep loaded, in order,
// then says how many were dropped past maxEarlyKeys, if any: last, so that
// a notice of a key played does not hide it.
func (s *sweepScreen) playEarly() tea.Cmd {
	keys, dropped := s.early, s.earlyDropped
	s.early, s.earlyDropped = nil, 0
	var cmds []tea.Cmd
	for _, k := range keys {
		cmds = append(cmds, s.update(k))
	}
	played := tea.Batch(cmds...)
	if dropped == 0 {
		return played
	}
	were := "were"
	if dropped == 1 {
		were = "was"
	}
	return tea.Sequence(played, notice(fmt.Sprintf("%d key%s typed while the sweep loaded %s dropped: the first %d acted",
		dropped, plural(dropped), were, len(keys)), true))
}

// reload reads the sweep again, and the paired differences where they
// show.
func (s *sweepScreen) reload() tea.Cmd {
	if s.paired == nil || s.sweepID == "" {
		return s.load()
	}
	s.paired.loading = true
	s.rebuild()
	return tea.Batch(s.load(), s.loadPaired(s.paired.vs))
}

// comparePoints opens the compare screen on a run of each point.
func (s *sweepScreen) comparePoints() tea.Cmd {
	var ids []string
	reps := map[int]bool{}
	for _, p := range s.points {
		if r, ok := representative(p.SweepPoint); ok {
			ids = append(ids, r.ID)
			reps[r.Replication] = true
		}
	}
	if len(ids) < 2 {
		return notice("the sweep needs two points with runs to compare", true)
	}
	return cmdOf(openCompareMsg{refs: ids, note: s.compareNote(reps)})
}

// compareNote says, when the sweep has replications, that the compare
// screen shows one run a point while the table pools them all (the table's
// $6.17/Mtok read against the compare screen's $6.54 with no word why).
func (s *sweepScreen) compareNote(reps map[int]bool) string {
	if s.sweep == nil || s.sweep.Replications < 2 {
		return ""
	}
	which := "each point's first complete replication"
	if len(reps) == 1 {
		for r := range reps {
			which = fmt.Sprintf("replication r%d", r)
		}
	}
	return "compares " + which + "'s runs, one a point; the sweep's table pools all its replications"
}

// representative is the run that stands for a point when one is opened or
// points are compared: a complete run of the lowest replication (the same
// seed at every point, so differences between points are not noise), else
// any run of the lowest replication; the oldest among equals. Runs list in
// the order they started, and parallel workers start replication 1 of a
// point before its replication 0 as often as not.
func representative(p data.SweepPoint) (data.RunSummary, bool) {
	best := -1
	for i, r := range p.Runs {
		if best < 0 {
			best = i
			continue
		}
		b := p.Runs[best]
		rc, bc := r.Status == data.StatusComplete, b.Status == data.StatusComplete
		if rc != bc {
			if rc {
				best = i
			}
			continue
		}
		if r.Replication < b.Replication {
			best = i
		}
	}
	if best < 0 {
		return data.RunSummary{}, false
	}
	return p.Runs[best], true
}

// nextAxis moves an axis to the next parameter the other axis does not
// use; with two parameters it swaps them.
func (s *sweepScreen) nextAxis(cur, other int) int {
	n := len(s.keys_)
	for step := 1; step < n; step++ {
		if k := (cur + step) % n; k != other {
			return k
		}
	}
	if n == 2 {
		s.xKey, s.yKey = s.yKey, s.xKey
		return other
	}
	return cur
}

func (s *sweepScreen) setPoints(pts []data.SweepPoint, kpis runKPIs, sketches runSketches) {
	s.points = s.points[:0]
	s.keys_ = s.keys_[:0]
	// As aiecon sweep: percentiles are pooled at every point only when
	// every run the sweep counts has sketches, so that a column means one
	// thing.
	counted := make([][]data.RunSummary, len(pts))
	s.workloads, s.kpis = workloadScopes(kpis), kpis
	s.meanPct = false
	for i, p := range pts {
		counted[i] = countedRuns(p)
		for _, r := range counted[i] {
			s.meanPct = s.meanPct || len(sketches[r.ID]) == 0
		}
	}
	for i, p := range pts {
		sp := sweepPoint{SweepPoint: p, params: map[string]param{}, counted: counted[i],
			pooled: pooledValues(counted[i], kpis, sketches, !s.meanPct, ""), scoped: map[string]map[int]study.Interval{},
			goodShare: goodputShare(counted[i], kpis)}
		for _, w := range s.workloads {
			sp.scoped[w] = pooledValues(counted[i], kpis, sketches, !s.meanPct, w)
		}
		if ps, err := parseParams(p.ParamsJSON); err == nil {
			sp.ps = ps
			for _, q := range ps {
				sp.params[q.key] = q
				if !slices.Contains(s.keys_, q.key) {
					s.keys_ = append(s.keys_, q.key)
				}
			}
		}
		s.points = append(s.points, sp)
	}
	if s.xKey >= len(s.keys_) {
		s.xKey = 0
	}
	if s.yKey >= len(s.keys_) || s.yKey == s.xKey {
		s.yKey = min(1, max(len(s.keys_)-1, 0))
	}
}

// interval is heat KPI k over the point's counted runs (its
// replications), as aiecon sweep's table has it: pooled for a ratio of
// run totals and a latency percentile, else their mean; its N counts the
// runs it rests on; NaN when none is complete.
func (p *sweepPoint) interval(k int) study.Interval {
	if iv, ok := p.pooled[k]; ok {
		return iv
	}
	return pointInterval(p.counted, heatKPIs[k].get)
}

// countedRuns are the runs of a point that aiecon sweep's summary counts:
// the complete ones, the oldest (lowest id, as it reads them) of each
// replication.
func countedRuns(p data.SweepPoint) []data.RunSummary {
	byRep := map[int]data.RunSummary{}
	var reps []int
	for _, r := range p.Runs {
		if r.Status != data.StatusComplete {
			continue
		}
		b, ok := byRep[r.Replication]
		if !ok {
			reps = append(reps, r.Replication)
		}
		if !ok || r.ID < b.ID {
			byRep[r.Replication] = r
		}
	}
	slices.Sort(reps)
	out := make([]data.RunSummary, len(reps))
	for i, rep := range reps {
		out[i] = byRep[rep]
	}
	return out
}

// pointInterval is the mean of a KPI over runs, the complete ones that
// define it (study's MeanCI, whose N counts them); NaN when none does.
func pointInterval(runs []data.RunSummary, get func(data.RunSummary) float64) study.Interval {
	xs := make([]float64, 0, len(runs))
	for _, r := range runs {
		if r.Status == data.StatusComplete {
			xs = append(xs, get(r))
		}
	}
	return study.MeanCI(xs, study.ConfidenceLevel)
}

func (s *sweepScreen) rebuild() {
	if s.sweepID == "" {
		s.rebuildSweeps()
		return
	}
	if s.paired != nil {
		s.rebuildPaired()
		return
	}
	// The note under the table explains a (n=k) mark by the point's RUNS
	// (study's words, as aiecon sweep prints them): where a value is
	// marked, RUNS stays with the KPIs, else it gives way before REVENUE.
	// At 80 columns it went while the note pointed at it.
	s.partial = s.partialNote()
	runsPrio := 2
	if s.partial != "" {
		runsPrio = 0
	}
	cols := append(s.paramCols(), column{title: "RUNS", width: 4, right: true, prio: runsPrio})
	over := s.anyOverloaded()
	if over { // as aiecon sweep's table: only where a run is flagged
		cols = append(cols, column{title: "OVERLOADED", width: 10, right: true})
	}
	tag := scopeTag(s.scopeName())
	cols = append(cols,
		column{title: "$/MTOK", width: 9, right: true},
		column{title: "MARGIN", width: 9, right: true},
		// Cells, not bytes: the "…" of a cut workload name is three bytes.
		column{title: "TTFT P99 " + tag, width: ansi.StringWidth("TTFT P99 " + tag), right: true},
		column{title: "SLO " + tag, width: max(ansi.StringWidth("SLO "+tag), 6), right: true},
		column{title: "REVENUE", width: 9, right: true, prio: 1},
		column{title: "GOODPUT", width: 9, right: true, prio: 3},
	)
	s.tbl.cols = cols
	var ttft []float64
	for i := range s.points {
		ttft = append(ttft, s.valueOf(&s.points[i], 2))
	}
	secs := secondsColumn(ttft) // one unit down the column
	var rows [][]cell
	for i := range s.points {
		rows = append(rows, s.pointRow(&s.points[i], over, secs))
	}
	s.tbl.setRows(rows)
	s.resize(s.w, s.h)
}

// paramCols are the first columns of the points' tables: the point's
// index and its parameters.
func (s *sweepScreen) paramCols() []column {
	cols := []column{{title: "P", width: 3, right: true}}
	for _, k := range s.keys_ {
		w := max(len(shortKey(k)), 6)
		for _, p := range s.points {
			w = max(w, min(len(p.params[k].shown()), 14))
		}
		// A parameter with one value at every point tells no point apart:
		// a narrow table drops it before the KPIs (the optimizer's sweep
		// lists several that are null throughout).
		cols = append(cols, column{title: strings.ToUpper(shortKey(k)), width: w, right: true, prio: s.constPrio(k)})
	}
	return cols
}

// constPrio is the priority of parameter k's column: 4, the first to go,
// where every point has the same value; else 0, always shown.
func (s *sweepScreen) constPrio(k string) int {
	if len(s.points) > 1 && len(s.axisValues(k)) == 1 {
		return 4
	}
	return 0
}

// pointRow is a point's row of the table: its parameters, its runs
// (complete of the replications), how many of them are overloaded (over:
// the table has the column), and its KPIs, the SLO and latency ones in
// the screen's scope; secs prints the latency, in the column's unit.
func (s *sweepScreen) pointRow(p *sweepPoint, over bool, secs func(float64) string) []cell {
	row := []cell{c(fmt.Sprint(p.Point))}
	for _, k := range s.keys_ {
		row = append(row, c(p.params[k].shown()))
	}
	done := 0
	for _, r := range p.Runs {
		if r.Status == data.StatusComplete {
			done++
		}
	}
	runs := fmt.Sprint(done)
	if s.sweep != nil {
		runs = fmt.Sprintf("%d/%d", done, s.sweep.Replications)
	}
	row = append(row, c(runs))
	if over {
		mark := ""
		if p.overloaded > 0 {
			mark = fmt.Sprintf("%d/%d", p.overloaded, len(p.counted))
		}
		row = append(row, ct(mark, toneBad))
	}
	get := func(k int) float64 { return s.valueOf(p, k) }
	m := func(k int) string { return s.partialMark(p, k) } // as aiecon sweep marks it (sweep_partial.go)
	margin := get(1)
	return append(row, c(fmtUSD(get(0))+m(0)), ct(fmtUSD(margin)+m(1), signTone(margin)), c(secs(get(2))+m(2)),
		ct(fmtAttain(get(3))+m(3), sloTone(get(3))), c(fmtUSD(get(4))+m(4)), c(heatKPIs[5].fmt(get(5))+m(5)))
}

// rebuildSweeps fills the table with the store's sweeps.
func (s *sweepScreen) rebuildSweeps() {
	s.tbl.cols = []column{
		{title: "ID", width: minIDLen, fitText: true, maxWidth: maxIDLen, cutMiddle: true}, // as the runs list's
		{title: "NAME", width: 16, flex: true},
		{title: "POINTS", width: 6, right: true},
		{title: "REPL", width: 4, right: true, prio: 2},
		{title: "CREATED", width: 12, prio: 1},
		{title: "DESCRIPTION", width: 30, prio: 3},
	}
	var rows [][]cell
	for _, w := range s.sweeps {
		rows = append(rows, []cell{ct(s.sh.short(w.ID), toneMuted), c(w.Name), c(fmt.Sprint(w.Points)), c(fmt.Sprint(w.Replications)),
			ct(fmtWhen(w.CreatedAt, s.sh.now(), s.sh.loc()), toneMuted), ct(w.Description, toneMuted)})
	}
	s.tbl.setRows(rows)
	s.resize(s.w, s.h)
}

func (s *sweepScreen) xParam() string {
	if len(s.keys_) == 0 {
		return ""
	}
	return s.keys_[s.xKey]
}

func (s *sweepScreen) yParam() string {
	if len(s.keys_) < 2 {
		return ""
	}
	return s.keys_[s.yKey]
}

// axisValues are the distinct values of a parameter in order: numeric
// when they all start with a number (20/s before 100/s), else as text.
func (s *sweepScreen) axisValues(k string) []param {
	if k == "" {
		return []param{{}}
	}
	seen := map[string]bool{}
	var vals []param
	allNum := true
	for _, p := range s.points {
		q, ok := p.params[k]
		if !ok || seen[q.value] {
			continue
		}
		seen[q.value] = true
		vals = append(vals, q)
		allNum = allNum && q.isNum
	}
	slices.SortFunc(vals, func(a, b param) int {
		if allNum {
			if c := cmp.Compare(a.num, b.num); c != 0 {
				return c
			}
		}
		return cmp.Compare(a.value, b.value)
	})
	return vals
}

// loadingLabel says what the screen waits for: the list of sweeps, or
// one sweep's points and summary.
func (s *sweepScreen) loadingLabel() string {
	if s.sweepID == "" {
		return "loading sweeps…"
	}
	return "loading sweep " + s.sh.short(s.sweepID) + "…"
}

func (s *sweepScreen) view(w, h int) string {
	st := s.sh.st
	switch {
	case !s.loaded && s.err != nil:
		return storeProblem(s.sh, s.err, w, h)
	case !s.loaded:
		return st.muted.Render(s.loadingLabel())
	case s.sweepID == "" && len(s.sweeps) == 0:
		return centerPanel(st, w, h, "No sweeps yet",
			"A sweep runs a scenario over a grid of parameters:\n`aiecon sweep FILE.yaml` runs one (aiecon sweep --help).\nIts points show here as a table and as a heatmap of\nany KPI over two parameters.")
	case s.sweepID == "":
		return st.title.Render(fmt.Sprintf("%d sweep%s", len(s.sweeps), plural(len(s.sweeps)))) + "\n" + s.tbl.view()
	}
	var head string
	if s.sweep != nil {
		head = st.title.Render(s.sweep.Name) + st.muted.Render(" · "+s.sh.short(s.sweep.ID))
		if h := s.horizonLabel(); h != "" { // before what 80 columns cut
			head += st.muted.Render(" · " + h)
		}
		head += st.muted.Render(fmt.Sprintf(" · %d point%s × %d replication%s",
			s.sweep.Points, plural(s.sweep.Points), s.sweep.Replications, plural(s.sweep.Replications)))
		if s.sweep.Description != "" {
			head += st.muted.Render(" · " + s.sweep.Description)
		}
	}
	lines := append([]string{fitWidth(head, w)}, s.warnLine(w)...)
	switch {
	case s.warnFull:
		return s.warnView(lines, w, h)
	case s.paired != nil:
		return s.pairedView(lines, w, h)
	}
	note := s.partialLines(w) // under the table, as aiecon sweep prints it
	body := h - 1 - len(lines) - len(note)
	heat := s.heatmap(w)
	both := body-(len(s.points)+1) >= s.heatHeight()
	switch {
	case both:
		lines = append(append(append(lines, s.tbl.view()), note...), heat)
	case s.heatTop:
		lines = append(lines, heat)
	default:
		lines = append(append(lines, s.tbl.view()), note...)
	}
	out := fitBlock(strings.Join(lines, "\n"), w, h-1)
	status := fmt.Sprintf("%d points", len(s.points))
	if n := s.overloadedPoints(); n > 0 {
		status += fmt.Sprintf(" (%d OVERLOADED)", n)
	}
	if !both {
		status += " · v: " + map[bool]string{true: "table", false: "heatmap"}[s.heatTop]
	}
	status += " · " + s.scopeLine()
	if s.overErr != nil {
		// aiecon sweep says so too: the KPIs stand, the marks are missing.
		status += " · not checked for overload: " + shortErr(s.overErr)
	}
	if s.meanPct && s.sweep != nil && s.sweep.Replications > 1 {
		// aiecon sweep says so too: a run stored before schema version 11
		// has no latency sketches to pool.
		status += " · percentiles: mean of the runs' (some have no latency sketches)"
	}
	if s.err != nil {
		status += " · " + st.errText.Render("reload failed: "+shortErr(s.err))
	}
	return out + "\n" + st.muted.Render(fitWidth(status, w))
}
