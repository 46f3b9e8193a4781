package tui

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"aiecon/data"
	"aiecon/study/forecast"
)

// forecastScreen shows one stored forecast (`aiecon forecast`): a period
// table of one fleet variant at a time, medians over the Monte Carlo
// samples with the operating margin's P10..P90; v cycles the variant.
type forecastScreen struct {
	base
	ref      string // what the user typed: an id, a prefix or "last"
	forecast *data.Forecast
	bands    []data.ForecastBand
	variants []string
	variant  int
	err      error
	loaded   bool
	tbl      *table
	caveats  string // the titles of the variant's caveats (forecast.StoredCaveatNames)
	// sloAtRisk is whether the variant's report warns SLO AT RISK: its
	// SLO column then comes before HEADROOM (columnPrio).
	sloAtRisk bool
	// growth is each workload's demand growth with its unit, as aiecon
	// forecast's GROWTH line words it (forecast.StoredGrowth): the table's
	// periods grow by it, and a growth read per period where the file
	// meant per quarter changes every total.
	growth string
	// trueUp is how each minimum guarantee was trued up, as aiecon
	// forecast's TRUE-UP line words it (forecast.StoredTrueUps): annually,
	// a seasonal workload's low periods show no top-up, and the period
	// that closes a contract year shows the year's.
	trueUp string
}

type forecastLoadedMsg struct {
	addr
	forecast *data.Forecast
	bands    []data.ForecastBand
	err      error
}

func (m forecastLoadedMsg) loadErr() error { return m.err }

// openForecastMsg opens the forecast screen (":forecast [ID]").
type openForecastMsg struct{ ref string }

var forecastKeys = struct{ variant, refresh key.Binding }{
	variant: key.NewBinding(key.WithKeys("v", "V"), key.WithHelp("v/V", "next variant")),
	refresh: key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "reload")),
}

// forecastColumns are the table's metrics after the period, medians. A
// narrow terminal drops the higher prio first: the P&L and the margin's
// band stay at 80 columns. Rent and depreciation show only for a variant
// that has them: a rented fleet has no depreciation, an owned one no rent,
// and a column of $0 took the place of the one that mattered. The agent
// sessions' abandonment (session_abandon_rate, as aiecon forecast's
// ABANDON) is undefined for a forecast without agents: its column shows
// only where some period has it, and it outranks HEADROOM and SLO: an SLO
// attainment of 100% shown without it read as a fleet that keeps up while
// 30% of the sessions gave up: so SLO shows only beside ABANDON (with),
// where the forecast has it. Where the variant is SLO AT RISK, SLO comes
// before HEADROOM (columnPrio).
var forecastColumns = []struct {
	metric, title string
	prio          int
	ifAny         bool   // only where some period has a non-zero value
	ifDefined     bool   // only where some period has a value (not NaN)
	with          string // shown only beside this column (table's column.with)
}{
	{"revenue_usd", "REVENUE", 0, false, false, ""},
	{"cost_usd", "COST", 0, false, false, ""},
	{"cost_rent_usd", "RENT", 2, true, false, ""},
	{"cost_depreciation_usd", "DEPREC", 2, true, false, ""},
	{"operating_margin_usd", "OP MARGIN", 0, false, false, ""},
	{"operating_margin", "OP %", 0, false, false, ""},
	{"cost_per_mtok_usd", "$/MTOK", 1, false, false, ""},
	{"headroom", "HEADROOM", 3, false, false, ""},
	{"slo_attainment", "SLO", 3, false, false, "ABANDON"},
	{"session_abandon_rate", "ABANDON", 2, false, true, ""},
}

func newForecastScreen(sh *shared, ref string) *forecastScreen {
	if ref == "" {
		ref = "last"
	}
	return &forecastScreen{base: newBase(sh), ref: ref, tbl: newTable(sh.st, nil)}
}

func (s *forecastScreen) title() string {
	if s.forecast != nil {
		return "Forecast " + s.forecast.Name
	}
	return "Forecast " + s.sh.short(s.ref) // an id is shown short, as a run's is
}

func (s *forecastScreen) init() tea.Cmd { return s.load() }

func (s *forecastScreen) load() tea.Cmd {
	c, to, ref := s.sh.conn, s.sid, s.ref
	return func() tea.Msg {
		ctx, cancel := c.queryCtx()
		defer cancel()
		msg := forecastLoadedMsg{addr: addr{to}}
		msg.err = c.read(func(st *data.Store) error {
			id, err := st.ResolveForecast(ctx, ref)
			if err != nil {
				return err
			}
			f, err := st.Forecast(ctx, id)
			if err != nil {
				return err
			}
			msg.forecast = &f
			msg.bands, err = st.ForecastBands(ctx, id)
			return err
		})
		return msg
	}
}

func (s *forecastScreen) resize(w, h int) {
	s.w, s.h = w, h
	s.sizeTable()
}

// sizeTable gives the table the height under the header lines and the
// notes (forecastLayout).
func (s *forecastScreen) sizeTable() {
	_, tableH, _ := s.layout()
	s.tbl.setSize(s.w, tableH)
}

// note is a line above the table: the growth's, the true-up's or the
// caveats' (warn).
type note struct {
	text string
	warn bool
}

// layout shares the screen's rows under the two header lines: the notes
// (growth, true-up, caveats), the table, and a line under the table that
// says which periods show (mark). The notes give way before the table's
// periods: wrapped in full where all fit, else one line each (cut between
// items, marked), then the growth's and the true-up's dropped, while the
// table keeps its header and at least a period. The table got what the
// notes left (at 60x15 nothing: no period showed), the frame cut the
// bottom, and the caveats were cut inside an item ("UNFINISHED SESSIONS
// 10.6%" of "10.6% to 10.8% of revenue"), read as another figure.
func (s *forecastScreen) layout() (notes []note, tableH int, mark bool) {
	avail := max(s.h-2, 2)
	need := 1 + max(len(s.tbl.rows), 1)
	notes = s.fittedNotes(avail - need)
	for len(notes)+need > avail && len(notes) > 1 {
		notes = notes[1:] // the caveats, last, go last
	}
	if len(notes)+need <= avail {
		return notes, avail - len(notes), false
	}
	if avail-len(notes) < 3 { // the table's header, a period and the mark
		notes = nil
	}
	return notes, max(avail-len(notes)-1, 2), true
}

// fittedNotes are the notes in at most room lines where they fit so:
// every group wrapped whole if that fits, else each folded onto one line
// and then, first to last (growth, true-up, cost legend, caveats), each
// group that still fits wrapped whole again. Folding them all at once cut
// the growth line at 80x24 while rows under the table stayed blank.
func (s *forecastScreen) fittedNotes(room int) []note {
	whole, folded := s.noteGroups()
	pick := make([][]note, len(whole))
	used := 0
	for i := range whole {
		pick[i] = whole[i]
		used += len(whole[i])
	}
	if used > room {
		used = 0
		for i := range folded {
			pick[i] = folded[i]
			used += len(folded[i])
		}
		for i := range whole {
			if extra := len(whole[i]) - len(folded[i]); extra > 0 && used+extra <= room {
				pick[i] = whole[i]
				used += extra
			}
		}
	}
	var out []note
	for _, g := range pick {
		out = append(out, g...)
	}
	return out
}

// noteGroups are the lines above the table by group (growth, true-up,
// cost legend, caveats), each wrapped to the width (whole) and folded
// onto one line (folded).
func (s *forecastScreen) noteGroups() (whole, folded [][]note) {
	add := func(lines []string, warn bool) {
		var w, f []note
		for _, l := range lines {
			w = append(w, note{l, warn})
		}
		f = w
		if len(lines) > 1 {
			f = []note{{foldWords(strings.Join(lines, " "), max(s.w, 20)), warn}}
		}
		whole, folded = append(whole, w), append(folded, f)
	}
	add(s.growthLines(), false)
	add(s.trueUpLines(), false)
	add(s.costLegendLines(), false)
	caveats := s.caveatLines()
	add(caveats, true)
	if s.caveats != "" && s.forecast != nil {
		// Folded, the caveats name as many as fit and how many more.
		folded[len(folded)-1] = []note{{s.foldedCaveats(), true}}
	}
	return whole, folded
}

// foldWords is text cut to w cells at a space, with "…" where it was cut.
func foldWords(text string, w int) string {
	if lipgloss.Width(text) <= w {
		return text
	}
	words := strings.Fields(text)
	for k := len(words) - 1; k > 0; k-- {
		if cut := strings.Join(words[:k], " ") + " …"; lipgloss.Width(cut) <= w {
			return cut
		}
	}
	return fitWidth(text, w)
}

// foldedCaveats is the caveats' line on one line: as many names as fit,
// whole, then how many more and the command that prints them all.
func (s *forecastScreen) foldedCaveats() string {
	names := strings.Split(s.caveats, ", ")
	cmd := " (aiecon compare --forecast " + s.sh.short(s.forecast.ID) + " prints them)"
	w := max(s.w, 20)
	for _, tail := range []string{cmd, ""} {
		for k := len(names); k >= 1; k-- {
			text := "caveats: " + strings.Join(names[:k], ", ")
			if k < len(names) {
				text += fmt.Sprintf(", … %d more", len(names)-k)
			}
			if text += tail; lipgloss.Width(text) <= w {
				return text
			}
		}
	}
	return fitWidth(fmt.Sprintf("caveats: %d%s", len(names), cmd), w)
}

func (s *forecastScreen) mode() keyMode { return keysNormal }
func (s *forecastScreen) back() bool    { return false }
func (s *forecastScreen) keys() []key.Binding {
	return []key.Binding{forecastKeys.variant, forecastKeys.refresh}
}

func (s *forecastScreen) update(msg tea.Msg) tea.Cmd {
	switch m := msg.(type) {
	case forecastLoadedMsg:
		if m.err != nil {
			s.err = m.err
			return nil
		}
		s.err, s.loaded = nil, true
		s.forecast, s.bands = m.forecast, m.bands
		s.variants = s.variants[:0]
		for _, b := range m.bands {
			if len(s.variants) == 0 || s.variants[len(s.variants)-1] != b.Variant {
				s.variants = append(s.variants, b.Variant)
			}
		}
		s.variant = min(s.variant, max(len(s.variants)-1, 0))
		s.rebuild()
	case refreshMsg:
		return s.load()
	case tea.KeyPressMsg:
		if s.tbl.handleKey(m) {
			return nil
		}
		switch {
		case key.Matches(m, forecastKeys.refresh):
			return refreshKey()
		case key.Matches(m, forecastKeys.variant) && len(s.variants) > 0:
			step := 1
			if m.String() == "V" {
				step = len(s.variants) - 1
			}
			s.variant = (s.variant + step) % len(s.variants)
			s.rebuild()
		}
	}
	return nil
}

// rebuild fills the table with the chosen variant's periods, and names the
// caveats its report gives it.
func (s *forecastScreen) rebuild() {
	defer s.sizeTable() // for the notes and the periods it ends with
	s.caveats, s.growth, s.trueUp, s.sloAtRisk = "", "", "", false
	if s.forecast != nil {
		s.growth = forecast.StoredGrowth(s.forecast.ReportJSON)
		s.trueUp = forecast.StoredTrueUps(s.forecast.ReportJSON)
	}
	if s.forecast != nil && len(s.variants) > 0 {
		notes := forecast.StoredCaveats(s.forecast.ReportJSON, s.variants[s.variant])
		s.caveats = strings.Join(forecast.StoredCaveatNames(s.forecast.ReportJSON, s.variants[s.variant]), ", ")
		s.sloAtRisk = slices.ContainsFunc(notes, func(n string) bool { return strings.HasPrefix(n, sloAtRisk+": ") })
	}
	s.sizeTable()
	if len(s.variants) == 0 {
		s.tbl.cols = []column{{title: "PERIOD", width: 6, right: true}}
		s.tbl.setRows(nil)
		return
	}
	byPeriod := map[int]map[string]data.ForecastBand{}
	var periods []int
	nonZero, defined := map[string]bool{}, map[string]bool{}
	for _, b := range s.bands {
		if b.Variant != s.variants[s.variant] {
			continue
		}
		if byPeriod[b.Period] == nil {
			byPeriod[b.Period] = map[string]data.ForecastBand{}
			periods = append(periods, b.Period)
		}
		byPeriod[b.Period][b.Metric] = b
		nonZero[b.Metric] = nonZero[b.Metric] || b.P50 != 0
		defined[b.Metric] = defined[b.Metric] || !math.IsNaN(b.P50)
	}
	cols := []column{{title: "PERIOD", width: 6, right: true}}
	rows := make([][]cell, len(periods))
	for i, p := range periods {
		rows[i] = []cell{c(fmt.Sprint(p))}
	}
	for _, fc := range forecastColumns {
		if fc.ifAny && !nonZero[fc.metric] || fc.ifDefined && !defined[fc.metric] {
			continue
		}
		// As wide as the title or the widest value, not a fixed 9: a
		// percentage is 6 cells, and the 3 to 5 cells each of them wasted
		// dropped ABANDON at 120 columns.
		width := len(fc.title)
		for i, p := range periods {
			cl := ct("–", toneMuted)
			if b, ok := byPeriod[p][fc.metric]; ok {
				cl = c(formatBand(fc.metric, b.P50))
			}
			rows[i] = append(rows[i], cl)
			width = max(width, lipgloss.Width(cl.text))
		}
		cols = append(cols, column{title: fc.title, width: width, right: true, prio: s.columnPrio(fc.metric, fc.prio), with: fc.with})
	}
	if s.forecast != nil && s.forecast.Samples <= 1 {
		// One sample has no spread: its P10..P90 read 87.4%..87.4%.
		s.tbl.cols = cols
		s.tbl.setRows(rows)
		return
	}
	width := len("OP % P10..P90")
	for i, p := range periods {
		if om, ok := byPeriod[p]["operating_margin"]; ok {
			rows[i] = append(rows[i], ct(fmtPct(om.P10)+".."+fmtPct(om.P90), toneMuted))
			width = max(width, lipgloss.Width(rows[i][len(rows[i])-1].text))
		}
	}
	cols = append(cols, column{title: "OP % P10..P90", width: width, right: true, prio: 1})
	s.tbl.cols = cols
	s.tbl.setRows(rows)
}

// sloAtRisk is the title of the note a forecast's report gives a variant
// whose busiest slice was overloaded or missed the SLO.
const sloAtRisk = "SLO AT RISK"

// columnPrio is a column's priority (forecastColumns), but where the
// variant is SLO AT RISK, HEADROOM gives way to SLO: at 80 columns, which
// fit one of the two, the table picked whichever fitted first and showed a
// seasonal plan's headroom under the warning, not its 8.9% SLO that the
// warning is about.
func (s *forecastScreen) columnPrio(metric string, prio int) int {
	if s.sloAtRisk && metric == "headroom" {
		return prio + 1
	}
	return prio
}

// growthLines are the growth line wrapped to the screen's width: none
// for a forecast that grows nothing at a rate, or stored before its report
// gave the growth.
func (s *forecastScreen) growthLines() []string {
	if s.growth == "" {
		return nil
	}
	return strings.Split(wrap("growth: "+s.growth, max(s.w, 20)), "\n")
}

// trueUpLines are the true-up line wrapped to the screen's width: none
// for a forecast without a minimum guarantee, or stored before its report
// said how it was trued up.
func (s *forecastScreen) trueUpLines() []string {
	if s.trueUp == "" {
		return nil
	}
	return strings.Split(wrap("true-up: "+s.trueUp, max(s.w, 20)), "\n")
}

// costLegendLines say that the RENT and DEPREC columns shown are part of
// COST, not costs beside it: read left to right, REVENUE, COST, DEPREC
// invited subtracting both, where OP MARGIN is REVENUE − COST (aiecon
// compare --forecast lists the parts without their sum). Over several
// samples that holds per sample, not between the medians shown, as the
// CLI's "lines need not add up" says. None where the table shows neither.
func (s *forecastScreen) costLegendLines() []string {
	idx, _ := s.tbl.layout()
	var parts []string
	for _, i := range idx {
		if t := s.tbl.cols[i].title; t == "RENT" || t == "DEPREC" {
			parts = append(parts, t)
		}
	}
	if len(parts) == 0 {
		return nil
	}
	identity := "OP MARGIN = REVENUE − COST"
	if s.forecast != nil && s.forecast.Samples > 1 {
		// Each column is the median of its own metric over the samples,
		// and a median of differences is no difference of medians: the
		// built-in's Q8 read $8.8k off.
		identity += " in each sample; the columns are medians, which need not add up"
	}
	text := strings.Join(parts, " and ") + " is part of COST, not a cost beside it: " + identity
	if len(parts) > 1 {
		text = strings.Join(parts, " and ") + " are part of COST, not costs beside it: " + identity
	}
	return strings.Split(wrap(text, max(s.w, 20)), "\n")
}

// caveatLines are the caveats' names with the command that prints them,
// wrapped to the width: cut at 80 columns, the line lost the names of the
// last caveats, which is what it is there to give.
func (s *forecastScreen) caveatLines() []string {
	if s.caveats == "" || s.forecast == nil {
		return nil
	}
	text := "caveats: " + s.caveats + " (aiecon compare --forecast " + s.sh.short(s.forecast.ID) + " prints them)"
	return strings.Split(wrap(text, max(s.w, 20)), "\n")
}

// formatBand prints a metric by its unit: fractions as percentages, the
// rest as dollars.
func formatBand(metric string, v float64) string {
	switch metric {
	case "operating_margin", "headroom", "slo_attainment", "session_abandon_rate":
		return fmtPct(v)
	}
	return fmtUSD(v)
}

func (s *forecastScreen) view(w, h int) string {
	st := s.sh.st
	var le *data.LockedError
	switch {
	case !s.loaded && errors.As(s.err, &le):
		// What to do is retry or read a snapshot, as on every screen, not
		// make a forecast.
		return storeProblem(s.sh, s.err, w, h)
	case !s.loaded && s.err != nil:
		// Wrapped, as the runs screen's panels are: the panel cuts a line
		// at its width, and the error's end says what to do.
		return centerPanel(st, w, h, "No forecast to show", wrap(shortErr(s.err)+
			"\n\n`aiecon forecast` runs the built-in trainium-amortization forecast and stores it; `:forecast ID` opens one.",
			min(w-6, 70)))
	case !s.loaded:
		return st.muted.Render("loading forecast…")
	}
	f := s.forecast
	head := st.title.Render(f.Name) + st.muted.Render(fmt.Sprintf(" · %s · %d %s%s · %d sample%s",
		s.sh.short(f.ID), f.Periods, f.PeriodLength, plural(f.Periods), f.Samples, plural(f.Samples)))
	variant := "no periods stored"
	if len(s.variants) > 0 {
		over := "medians over the samples"
		if f.Samples <= 1 {
			over = "one sample: its values, no bands"
		}
		variant = fmt.Sprintf("variant %s (%d of %d, v: next) · %s", s.variants[s.variant], s.variant+1, len(s.variants), over)
	}
	lines := []string{fitWidth(head, w), fitWidth(st.muted.Render(variant), w)}
	// Above the table: a total read without knowing of its caveats is read
	// wrong.
	notes, _, mark := s.layout()
	for _, n := range notes {
		style := st.muted
		if n.warn {
			style = st.warn
		}
		lines = append(lines, fitWidth(style.Render(n.text), w))
	}
	lines = append(lines, s.tbl.view())
	if mark {
		first := min(s.tbl.offset+1, len(s.tbl.rows))
		last := min(s.tbl.offset+s.tbl.bodyHeight(), len(s.tbl.rows))
		lines = append(lines, st.muted.Render(fitWidth(fmt.Sprintf("periods %d–%d of %d · ↑/↓ scroll",
			first, last, len(s.tbl.rows)), w)))
	}
	if s.err != nil {
		lines = append(lines, st.errText.Render("reload failed: "+shortErr(s.err)))
	}
	return fitBlock(strings.Join(lines, "\n"), w, h)
}
