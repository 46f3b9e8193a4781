package tui

import (
	"math"
	"strings"

	"aiecon/model/format"
	"aiecon/model/kpi"
)

// heatCell is a heatmap cell: the mean of the KPI over its points, NaN
// when none defines it; how many points it holds; and whether a run of
// one of them is overloaded, which ranks it nowhere.
type heatCell struct {
	v    float64
	n    int
	over bool
}

// heatValues averages the KPI over the points of each heatmap cell (x
// value, y value) in the combination of the other parameters the heatmap
// shows (inPin). lo and hi are the range of the defined cells with no
// overloaded point: a fleet that fell behind its traffic reads cheap per
// Mtok, and would otherwise rank best.
func (s *sweepScreen) heatValues(xs, ys []param, k int, combos [][]param) (cells [][]heatCell, lo, hi float64) {
	cells = make([][]heatCell, len(ys))
	any := false
	for yi, y := range ys {
		cells[yi] = make([]heatCell, len(xs))
		for xi, x := range xs {
			sum, n, over := 0.0, 0, false
			for i := range s.points {
				p := &s.points[i]
				if p.params[s.xParam()].value != x.value || (s.yParam() != "" && p.params[s.yParam()].value != y.value) || !s.inPin(p, combos) {
					continue
				}
				if v := s.heatValue(p, k); !undefined(v) {
					sum += v
					n++
					over = over || p.overloaded > 0
				}
			}
			c := heatCell{v: nan(), n: n, over: over}
			if n > 0 {
				c.v = sum / float64(n)
			}
			if n > 0 && !over {
				if !any {
					lo, hi, any = c.v, c.v, true
				}
				lo, hi = min(lo, c.v), max(hi, c.v)
			}
			cells[yi][xi] = c
		}
	}
	return cells, lo, hi
}

// heatmap draws the chosen KPI over the x and y parameters: a cell per
// (x, y) with the mean over the matching points (sliceLine says over
// which), shaded from worst to best (by the KPI's direction) in colour
// and with a glyph (░▒▓█) that survives NO_COLOR. A cell with an
// overloaded run is marked ! and not shaded: it is ranked nowhere.
func (s *sweepScreen) heatmap(w int) string {
	st := s.sh.st
	hk := heatKPIs[s.kpi]
	if len(s.keys_) == 0 {
		return st.muted.Render("heatmap: the sweep's points have no parameters")
	}
	xs, ys := s.axisValues(s.xParam()), s.axisValues(s.yParam())
	combos := s.otherCombos()
	cells, lo, hi := s.heatValues(xs, ys, s.kpi, combos)
	logScale := !heatShare(hk.name) && kpi.Get(hk.name).Unit != format.UnitFraction && useLogScale(lo, hi)
	ylabel := shortKey(s.yParam())
	yw := len(ylabel)
	for _, y := range ys {
		yw = max(yw, len(y.shown()))
	}
	cw := 10
	for _, x := range xs {
		cw = max(cw, len(x.shown())+2)
	}
	lines := []string{fitWidth(st.title.Render(s.heatTitle())+st.muted.Render("  (m KPI · x/y parameters)"), w)}
	if l := s.sliceLine(cells, combos); l != "" {
		lines = append(lines, st.muted.Render(fitWidth(l, w)))
	}
	corner := ylabel
	if ylabel != "" {
		corner += ` \ `
	}
	corner += shortKey(s.xParam())
	yw = max(yw, len(corner))
	hdr := pad(corner, yw, false) + " "
	for _, x := range xs {
		hdr += pad(x.shown(), cw, true)
	}
	lines = append(lines, st.muted.Render(fitWidth(hdr, w)))
	over := false
	for yi, y := range ys {
		line := st.muted.Render(pad(y.shown(), yw, false)) + " "
		for _, c := range cells[yi] {
			line += s.heatCellText(c, lo, hi, logScale, cw)
			over = over || (c.over && c.n > 0)
		}
		lines = append(lines, fitWidth(line, w))
	}
	for _, l := range heatLegend(hk.name, logScale, over) {
		lines = append(lines, st.muted.Render(fitWidth(l, w)))
	}
	return strings.Join(lines, "\n")
}

// heatTitle names the heatmap's KPI, in the screen's scope where it has
// one, and its axes.
func (s *sweepScreen) heatTitle() string {
	hk := heatKPIs[s.kpi]
	title := "Heatmap: " + kpi.Label(hk.name)
	if heatShare(hk.name) {
		title += " (share of offered)"
	}
	if scopedKPI(hk.name) {
		title += " (" + scopeWords(s.scopeName()) + ")"
	}
	title += " over " + shortKey(s.xParam())
	if s.yParam() != "" {
		title += " × " + shortKey(s.yParam())
	}
	return title
}

// heatCellText draws a cell cw wide: a dash without a value; ! and the
// value, unshaded, where a run is overloaded; else the shade of the
// value's place between lo and hi, by the KPI's direction.
func (s *sweepScreen) heatCellText(c heatCell, lo, hi float64, logScale bool, cw int) string {
	st, hk := s.sh.st, heatKPIs[s.kpi]
	switch {
	case undefined(c.v):
		return pad(dash, cw, true)
	case c.over:
		return " " + st.errText.Render(pad("! "+heatFmt(hk.name, c.v), cw-1, true))
	}
	glyphs := []string{"░", "▒", "▓", "█"}
	dir := kpi.Better(hk.name)
	t := heatPosition(c.v, lo, hi, logScale)
	if dir == kpi.LowerBetter {
		t = 1 - t
	}
	b := min(int(t*float64(len(glyphs))), len(glyphs)-1)
	cellSt := st.bold
	if dir != kpi.Neutral {
		cellSt = cellSt.Foreground(colBarFG).Background(heatScale[min(int(t*float64(len(heatScale))), len(heatScale)-1)])
	}
	return " " + cellSt.Render(pad(glyphs[b]+" "+heatFmt(hk.name, c.v), cw-1, true))
}

// overloadedNote is what an overloaded point's value of each heat KPI
// is not, after the words of aiecon run's warning: "its low cost is no
// saving" was shown under heatmaps of margin and goodput too, where it
// says nothing of the figure shown. Each line fits 80 columns.
var overloadedNote = map[string]string{
	kpi.CostPerMTokUSD: "low cost is no saving",
	kpi.MarginUSD:      "high margin is no gain",
	kpi.GrossMargin:    "high margin is no gain",
	kpi.RevenueUSD:     "its revenue is no gain",
	kpi.GoodputRPS:     "goodput does not last",
	kpi.TTFTP99S:       "latency keeps growing",
	kpi.SLOAttainment:  "SLO keeps falling",
}

// heatLegend explains the shades by the KPI's direction, the scale and,
// where a cell is marked (over), the ! of an overloaded run, in the words
// of aiecon sweep's OVERLOADED legend, with what the KPI's value there
// is not (overloadedNote).
func heatLegend(name string, logScale, over bool) []string {
	legend := "░ worst … █ best"
	switch kpi.Better(name) {
	case kpi.LowerBetter:
		legend += " (lower is better)"
	case kpi.HigherBetter:
		legend += " (higher is better)"
	default:
		legend = "░ lowest … █ highest"
	}
	if logScale {
		legend += " · log scale"
	} else {
		legend += " · linear scale"
	}
	lines := []string{legend}
	if heatShare(name) { // two lines that fit 80 columns
		lines = append(lines, "a cell: its requests that met their SLO ÷ those that arrived, not goodput/s,",
			"which grows with the rate a point is offered; the table's GOODPUT is per second")
	}
	if !over {
		return lines
	}
	note := "! OVERLOADED, as aiecon run warns: a backlog, not ranked"
	if n := overloadedNote[name]; n != "" {
		note += "; " + n
	}
	return append(lines, note)
}

// heatShare says whether the heatmap shows KPI name as a share of the
// requests offered (sweepPoint.goodShare) rather than as the table has
// it: goodput, whose requests per second grow with the rate a point is
// offered, so that per second a point offered 10/s serving 5/s on time
// outranked one offered 1/s serving all of it. Which of the two fleets
// keeps its users is what a strategist ranks by; a sweep of rates shows
// the per-second figures in its table.
func heatShare(name string) bool { return name == kpi.GoodputRPS }

// heatValue is heat KPI k at point p as the heatmap ranks it: a share of
// the requests offered where heatShare, else the table's value.
func (s *sweepScreen) heatValue(p *sweepPoint, k int) float64 {
	if heatShare(heatKPIs[k].name) {
		return p.goodShare
	}
	return s.valueOf(p, k)
}

// heatFmt prints a heatmap cell's value of KPI name.
func heatFmt(name string, v float64) string {
	if heatShare(name) {
		return fmtPct(v)
	}
	for _, h := range heatKPIs {
		if h.name == name {
			return h.fmt(v)
		}
	}
	return fmtSig(v)
}

// useLogScale says whether heatmap shades should follow the logarithm of
// the values: when they are all positive and span more than an order of
// magnitude, a linear scale lets one outlier (a 457 s TTFT) squeeze every
// other value into the same shade, so 34.7 s would look like 0.7 s. Not for
// a fraction (the heatmap asks only of the others): a log scale crowds
// 95-100% SLO attainment, the end that matters, into one shade.
func useLogScale(lo, hi float64) bool {
	return lo > 0 && hi/lo > 10
}

// heatPosition places v in [lo, hi] on a 0 (lo) … 1 (hi) scale, linear or
// logarithmic; a range of one value sits in the middle.
func heatPosition(v, lo, hi float64, logScale bool) float64 {
	if !(hi > lo) {
		return 0.5
	}
	if logScale {
		return math.Log(v/lo) / math.Log(hi/lo)
	}
	return (v - lo) / (hi - lo)
}
