package tui

import (
	"context"
	"fmt"
	"math"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"aiecon/data"
	"aiecon/model/format"
	"aiecon/model/kpi"
	"aiecon/study"
)

// The sweep screen's paired view (d): each point's KPIs less a reference
// point's, replication by replication, as `aiecon sweep --vs N` prints
// them. Replication r of every point runs on one seed (common random
// numbers), so the t interval of the differences is far narrower than the
// points' own intervals side by side. The figures are the CLI's: the
// sweep's summary read from the store (study.Summarize) and paired by
// study.Summary.PairEach, which takes each difference's interval from
// study.PairedCI.

// sweepPaired is the paired view's state: the reference point and, once
// read, each point's differences from it or why there are none.
type sweepPaired struct {
	vs      int // the reference point's index
	loading bool
	kpis    []study.KPIRef // the sweep's KPIs, as aiecon sweep lists them
	units   []string       // per KPI
	diffs   map[int]study.PairedPoint
	// notPaired says, by point, why a point's runs do not pair with the
	// reference's (another seed at some replication).
	notPaired map[int]error
	// perRun are the KPIs the summary pools: their differences are of each
	// replication's own value, not of the pooled figures.
	perRun []string
	// refused says why no point pairs: one replication (one seed), a
	// Monte Carlo study, one point alone, a reference without a complete run.
	refused error
	err     error // reading the store failed
	// first is the first KPI the table shows: ←/→ bring the KPIs that do
	// not fit the width into view.
	first int
}

type sweepPairedMsg struct {
	addr
	vs        int
	kpis      []study.KPIRef
	units     []string
	paired    *study.Paired
	notPaired map[int]error
	refused   error
	err       error
}

func (m sweepPairedMsg) loadErr() error { return m.err }

var pairedKeys = struct{ pick, leave, left, right key.Binding }{
	pick:  key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "paired Δ")),
	leave: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "KPIs")),
	left:  key.NewBinding(key.WithKeys("left"), key.WithHelp("←/→", "more KPIs")),
	right: key.NewBinding(key.WithKeys("right")),
}

// scrollKPIs moves the paired table's first KPI by step, within the KPIs,
// and not past the last one showing.
func (s *sweepScreen) scrollKPIs(step int) {
	pd := s.paired
	shown, all := s.pairedShown()
	if step > 0 && pd.first+shown >= all {
		return
	}
	pd.first = max(0, min(pd.first+step, len(pd.kpis)-1))
	s.rebuild()
}

// loadPaired reads the sweep's summary as aiecon sweep --show does and
// pairs every point with point vs.
func (s *sweepScreen) loadPaired(vs int) tea.Cmd {
	c, to, id := s.sh.conn, s.sid, s.sweepID
	return func() tea.Msg {
		ctx, cancel := c.queryCtx()
		defer cancel()
		msg := sweepPairedMsg{addr: addr{to}, vs: vs}
		msg.err = c.read(func(st *data.Store) error {
			sum, err := storedSummary(ctx, st, id)
			if err != nil {
				return err
			}
			msg.kpis, msg.units = sum.KPIs, sum.Units
			msg.paired, msg.notPaired, msg.refused = sum.PairEach(vs)
			return nil
		})
		return msg
	}
}

// storedSummary is sweep id's summary over all its points, from its frozen
// specification, as aiecon sweep --show reads it.
func storedSummary(ctx context.Context, st *data.Store, id string) (*study.Summary, error) {
	sw, err := st.Sweep(ctx, id)
	if err != nil {
		return nil, err
	}
	plan, err := study.PlanFromFrozen("sweep "+id, []byte(sw.SpecYAML))
	if err != nil {
		return nil, fmt.Errorf("sweep %s: its stored specification: %w", id, err)
	}
	return study.Summarize(ctx, st, id, plan, study.ShardSpec{})
}

// pickReference makes the selected point the paired view's reference, or
// leaves the view when it already is.
func (s *sweepScreen) pickReference() tea.Cmd {
	i := s.tbl.selected()
	if i < 0 || i >= len(s.points) {
		return nil
	}
	pt := s.points[i].Point
	if s.paired != nil && s.paired.vs == pt {
		s.leavePaired()
		return nil
	}
	s.paired = &sweepPaired{vs: pt, loading: true}
	s.rebuild()
	return s.loadPaired(pt)
}

// leavePaired goes back to the points' KPIs and heatmap.
func (s *sweepScreen) leavePaired() {
	s.paired = nil
	s.rebuild()
}

// setPaired takes the differences read for the reference point; an
// answer for another reference (picked since) is dropped.
func (s *sweepScreen) setPaired(m sweepPairedMsg) {
	pd := s.paired
	if pd == nil || m.vs != pd.vs {
		return
	}
	pd.loading, pd.err = false, m.err
	if m.err != nil {
		return
	}
	pd.kpis, pd.units, pd.refused, pd.notPaired = m.kpis, m.units, m.refused, m.notPaired
	pd.diffs, pd.perRun = map[int]study.PairedPoint{}, nil
	if m.paired != nil {
		pd.perRun = m.paired.PerRun
		for _, pp := range m.paired.Points {
			pd.diffs[pp.Point.Index] = pp
		}
	}
	s.rebuild()
}

// rebuildPaired fills the table with each point's differences from the
// reference: its parameters, the replications paired, and per KPI the
// mean difference ± its interval's half-width.
func (s *sweepScreen) rebuildPaired() {
	pd := s.paired
	cols := append(s.paramCols(), column{title: "PAIRS", width: 5, right: true, prio: 2})
	for k, ref := range pd.kpis[min(pd.first, len(pd.kpis)):] {
		t := "Δ " + pairedTitle(ref)
		// The first KPI always shows; the others give way from the right.
		cols = append(cols, column{title: t, width: lipgloss.Width(t), right: true, prio: min(k, 1) * (5 + k)})
	}
	s.tbl.cols = cols
	var rows [][]cell
	for i := range s.points {
		rows = append(rows, s.pairedRow(&s.points[i]))
	}
	s.tbl.setRows(rows)
	s.resize(s.w, s.h)
}

// pairedRow is a point's row of the paired table; a point without
// differences says why in words, over its KPI columns, not as a number.
func (s *sweepScreen) pairedRow(p *sweepPoint) []cell {
	pd := s.paired
	row := []cell{c(fmt.Sprint(p.Point))}
	for _, k := range s.keys_ {
		row = append(row, c(p.params[k].shown()))
	}
	why := func(text string, t tone) []cell {
		return append(row, c(""), cell{text: text, tone: t, span: true})
	}
	pp, ok := pd.diffs[p.Point]
	switch {
	case pd.loading:
		return why("reading the runs…", toneMuted)
	case pd.err != nil || pd.refused != nil:
		return why("", toneNone)
	case p.Point == pd.vs:
		return why("reference: the Δ are from it", toneMuted)
	case pd.notPaired[p.Point] != nil:
		return why("not seed-paired with the reference: no difference", toneBad)
	case !ok:
		return why("not summarised", toneMuted)
	}
	row = append(row, c(fmt.Sprint(pp.Pairs)))
	for k := pd.first; k < len(pp.KPIs); k++ {
		iv, t := pp.KPIs[k], toneNone
		if iv.ExcludesZero() {
			t = deltaTone(pd.kpis[k].Name, iv.Mean)
		}
		row = append(row, ct(pairedCell(iv, pd.units[k]), t))
	}
	return row
}

// pairedTitles are the paired columns' titles of the KPIs the points
// table shows, in its words; another KPI takes its catalog's short label.
var pairedTitles = map[string]string{
	kpi.CostPerMTokUSD: "$/MTOK",
	kpi.MarginUSD:      "MARGIN",
	kpi.TTFTP99S:       "TTFT P99",
	kpi.SLOAttainment:  "SLO",
	kpi.RevenueUSD:     "REVENUE",
	kpi.GoodputRPS:     "GOODPUT",
	kpi.GrossMargin:    "GROSS MARGIN",
}

// pairedTitle is a KPI's column title, with its scope where it has one.
func pairedTitle(ref study.KPIRef) string {
	t, ok := pairedTitles[ref.Name]
	if !ok {
		t = ref.Name
		if d, ok := kpi.Lookup(ref.Name); ok {
			t = strings.ToUpper(d.ShortLabel())
		}
	}
	if ref.Scope != "" {
		t += " " + strings.ToUpper(ref.Scope)
	}
	return t
}

// pairedCell is a difference as a cell: "+$5.06 ±$1.66", a fraction's in
// percentage points ("-1.2 ±0.4 pp"), marked * where its interval excludes
// 0 (as aiecon sweep --vs marks it); the mean alone for one pair, a dash
// for none.
func pairedCell(iv study.Interval, unit string) string {
	if iv.N == 0 || undefined(iv.Mean) {
		return dash
	}
	out := pairedNum(iv.Mean, unit, true)
	if !undefined(iv.HalfWidth) {
		out += " ±" + pairedNum(iv.HalfWidth, unit, false)
	}
	if unit == format.UnitFraction {
		out += " pp"
	}
	if iv.ExcludesZero() {
		out += " *"
	}
	return out
}

// pairedNum is a difference in its unit, compact, signed where asked.
func pairedNum(v float64, unit string, signed bool) string {
	a := math.Abs(v)
	var s string
	switch unit {
	case format.UnitFraction:
		s = strings.TrimSuffix(format.PctCompact(a), "%")
	case format.UnitUSDPerMTok, format.UnitUSDPerHour:
		s = format.USDCompact(a) // the column's title names the unit
	default:
		s = format.UnitCompact(a, unit)
	}
	switch {
	case !signed || v == 0:
		return s
	case v < 0:
		return "-" + s
	}
	return "+" + s
}

// pairedNotes are the lines above the paired table: what it shows, and
// the reason the selected point has no differences; or why no point has.
func (s *sweepScreen) pairedNotes(w int) []string {
	pd := s.paired
	st := s.sh.st
	ref := fmt.Sprintf("point %d", pd.vs)
	if i := s.rowOfPoint(pd.vs); i >= 0 {
		if d := paramsLabel(s.points[i].ps); d != "" {
			ref += " (" + d + ")"
		}
	}
	var lines []string
	add := func(text string, style lipgloss.Style) {
		for _, l := range strings.Split(wrap(text, w), "\n") {
			lines = append(lines, style.Render(l))
		}
	}
	switch {
	case pd.err != nil:
		add("Paired differences from "+ref+": reading them failed: "+shortErr(pd.err), st.errText)
		return lines
	case pd.refused != nil:
		add("No paired differences from "+ref+": "+strings.TrimPrefix(pd.refused.Error(), study.ErrNotPaired.Error()+": "), st.errText)
		add("esc or d goes back to the KPIs.", st.muted)
		return lines
	}
	add(fmt.Sprintf("Paired Δ from %s: each point less it, replication by replication on common seeds; mean ± %.0f%% t half-width, * excludes 0", ref, 100*study.ConfidenceLevel), st.muted)
	if len(pd.perRun) > 0 {
		add(strings.Join(pd.perRun, ", ")+": of each replication's own value, not of the pooled figures", st.muted)
	}
	if i := s.tbl.selected(); i >= 0 && i < len(s.points) {
		if err := pd.notPaired[s.points[i].Point]; err != nil {
			add(fmt.Sprintf("point %d: %s", s.points[i].Point, strings.TrimPrefix(err.Error(), study.ErrNotPaired.Error()+": ")), st.errText)
		}
	}
	return lines
}

// rowOfPoint is the table row of point pt, -1 where the sweep has none.
func (s *sweepScreen) rowOfPoint(pt int) int {
	for i, p := range s.points {
		if p.Point == pt {
			return i
		}
	}
	return -1
}

// pairedShown says how many of the paired KPI columns the table shows, of
// how many, for the status line.
func (s *sweepScreen) pairedShown() (shown, all int) {
	idx, _ := s.tbl.layout()
	first := len(s.tbl.cols) - (len(s.paired.kpis) - s.paired.first)
	for _, i := range idx {
		if i >= first {
			shown++
		}
	}
	return shown, len(s.paired.kpis)
}

// pairedStatus is the status line of the paired view.
func (s *sweepScreen) pairedStatus() string {
	pd := s.paired
	// The notes above the table name the reference.
	status := fmt.Sprintf("%d points", len(s.points))
	switch {
	case pd.loading:
		status += " · reading the runs…"
	case pd.refused == nil && pd.err == nil:
		if n := len(pd.notPaired); n > 0 {
			status += fmt.Sprintf(" · %d not seed-paired", n)
		}
		if shown, all := s.pairedShown(); shown < all {
			status += fmt.Sprintf(" · KPIs %d–%d of %d: ←/→", s.paired.first+1, s.paired.first+shown, all)
		}
	}
	return status
}

// pairedView draws the paired view under the screen's head: the notes,
// the table unless no point pairs, and the status line.
func (s *sweepScreen) pairedView(lines []string, w, h int) string {
	lines = append(lines, s.pairedNotes(w)...)
	if s.paired.refused == nil && s.paired.err == nil {
		lines = append(lines, s.tbl.view())
	}
	return fitBlock(strings.Join(lines, "\n"), w, h-1) + "\n" + s.sh.st.muted.Render(fitWidth(s.pairedStatus(), w))
}
