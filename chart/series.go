package chart

import (
	"context"
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg/draw"

	"aiecon/sim"
)

// A time-series chart draws values of the windows table (one row per window
// of simulated time) at the middle of each window, one or more panels
// stacked on a shared time axis.

// series is one line of a panel.
type series struct {
	label string
	// overlay: also drawn when runs are overlaid (each series of an
	// overlay multiplies the lines by the number of runs).
	overlay bool
	// optional: left out when it is zero or undefined in every window of
	// every run (e.g. the training share of a fleet that does not train).
	optional bool
	value    func(w *sim.WindowRecord) float64
}

type seriesPanel struct {
	yLabel string
	minMax float64 // the y axis reaches at least this (100 for percentages); 0: data only
	series []series
}

// headroom is the share of the y range added above the highest value.
const headroom = 0.04

func widthS(w *sim.WindowRecord) float64 { return float64(w.EndNs-w.StartNs) / 1e9 }

func perS(n func(w *sim.WindowRecord) int64) func(w *sim.WindowRecord) float64 {
	return func(w *sim.WindowRecord) float64 { return float64(n(w)) / widthS(w) }
}

func perHour(usd func(w *sim.WindowRecord) float64) func(w *sim.WindowRecord) float64 {
	return func(w *sim.WindowRecord) float64 { return usd(w) / widthS(w) * 3600 }
}

func percent(f func(w *sim.WindowRecord) float64) func(w *sim.WindowRecord) float64 {
	return func(w *sim.WindowRecord) float64 { return 100 * f(w) }
}

var throughputPanels = []seriesPanel{
	{yLabel: "requests/s", series: []series{
		{label: "arrived", value: perS(func(w *sim.WindowRecord) int64 { return w.Arrivals })},
		{label: "completed", overlay: true, value: perS(func(w *sim.WindowRecord) int64 { return w.Completions })},
		{label: "dropped or timed out", value: perS(func(w *sim.WindowRecord) int64 { return w.Dropped })},
	}},
	// The windows count abandoned agent sessions, not requests (a session is
	// several requests and tool calls), so they get an axis of their own.
	// Optional: a fleet without agent sessions has none.
	{yLabel: "abandoned sessions/s", series: []series{
		{label: "abandoned sessions", overlay: true, optional: true, value: perS(func(w *sim.WindowRecord) int64 { return w.Abandoned })},
	}},
	{yLabel: "tokens/s", series: []series{
		{label: "input (prompts completed)", overlay: true, value: perS(func(w *sim.WindowRecord) int64 { return w.InputTokens })},
		{label: "output (generated)", overlay: true, value: perS(func(w *sim.WindowRecord) int64 { return w.OutputTokens })},
	}},
}

var queuePanels = []seriesPanel{
	{yLabel: "waiting requests", series: []series{
		{label: "queue depth (avg)", overlay: true, value: func(w *sim.WindowRecord) float64 { return w.QueueDepthAvg }},
	}},
	{yLabel: "running sequences", series: []series{
		{label: "running batch (avg)", overlay: true, value: func(w *sim.WindowRecord) float64 { return w.RunningAvg }},
	}},
}

var utilizationPanels = []seriesPanel{
	{yLabel: "% of capacity", minMax: 100, series: []series{
		{label: "busy time (iterating)", overlay: true, value: percent(func(w *sim.WindowRecord) float64 { return w.BusyFrac })},
		{label: "FLOP/s of peak", overlay: true, value: percent(func(w *sim.WindowRecord) float64 { return w.FLOPsFrac })},
		{label: "HBM bandwidth of peak", overlay: true, value: percent(func(w *sim.WindowRecord) float64 { return w.BandwidthFrac })},
		{label: "KV cache in use", overlay: true, value: percent(func(w *sim.WindowRecord) float64 { return w.KVUtilAvg })},
		{label: "given to training", overlay: true, optional: true, value: percent(func(w *sim.WindowRecord) float64 { return w.TrainingFrac })},
	}},
}

var latencyTimePanels = []seriesPanel{
	{yLabel: "TTFT (s)", series: []series{
		{label: "TTFT p50", overlay: true, value: func(w *sim.WindowRecord) float64 { return w.TTFTP50S }},
		{label: "TTFT p99", overlay: true, value: func(w *sim.WindowRecord) float64 { return w.TTFTP99S }},
	}},
	{yLabel: "TPOT (ms)", series: []series{
		{label: "TPOT p50", overlay: true, value: func(w *sim.WindowRecord) float64 { return 1000 * w.TPOTP50S }},
		{label: "TPOT p99", overlay: true, value: func(w *sim.WindowRecord) float64 { return 1000 * w.TPOTP99S }},
	}},
	{yLabel: "E2E p99 (s)", series: []series{
		{label: "E2E p99", overlay: true, value: func(w *sim.WindowRecord) float64 { return w.E2EP99S }},
	}},
}

var revenueTimePanels = []seriesPanel{
	{yLabel: "USD per hour", series: []series{
		{label: "revenue", overlay: true, value: perHour(func(w *sim.WindowRecord) float64 { return w.RevenueUSD })},
		{label: "fleet cost", overlay: true, value: perHour(func(w *sim.WindowRecord) float64 { return w.CostUSD })},
		{label: "margin", value: perHour(func(w *sim.WindowRecord) float64 { return w.RevenueUSD - w.CostUSD })},
	}},
}

var replicaPanels = []seriesPanel{
	{yLabel: "replicas", series: []series{
		{label: "serving", overlay: true, value: func(w *sim.WindowRecord) float64 { return w.ReplicasUp }},
		{label: "paid for", overlay: true, value: func(w *sim.WindowRecord) float64 { return w.ReplicasPaid }},
	}},
}

func seriesKind(name, title, desc string, panels []seriesPanel) kind {
	return kind{Kind: Kind{name, desc}, title: title, build: func(ctx context.Context, b *builder) error {
		return buildSeries(ctx, b, panels)
	}}
}

func buildSeries(ctx context.Context, b *builder, panels []seriesPanel) error {
	windows := make([][]sim.WindowRecord, len(b.runs))
	var spanNs int64
	for i, r := range b.runs {
		ws, err := b.store.Windows(ctx, r.id)
		if err != nil {
			return err
		}
		if len(ws) == 0 {
			return fmt.Errorf("run %s (%s): %w: it stored no time-series windows", r.id, r.status, ErrNoData)
		}
		windows[i] = ws
		spanNs = max(spanNs, ws[len(ws)-1].EndNs)
	}
	if err := noValues(b.runs, panels, windows); err != nil {
		return err
	}
	ta := newTimeAxis(spanNs)
	var last *panel
	for _, sp := range panels {
		if pan := seriesPlot(b, sp, windows, ta, spanNs); pan != nil {
			b.addPanel(pan)
			last = pan
		}
	}
	if last != nil { // the panels share the time axis: label it once, at the bottom
		last.plot.X.Label.Text = ta.label
	}
	return nil
}

// noValues refuses a chart none of whose series has a value in any window
// of any run: latency over time of a run in which no request arrived drew
// empty panels, as the CDFs and cost per million tokens refuse to. A run
// among others that has none is drawn, its legend saying "(no data)".
func noValues(runs []*run, panels []seriesPanel, windows [][]sim.WindowRecord) error {
	for _, sp := range panels {
		for _, s := range sp.series {
			for _, ws := range windows {
				for i := range ws {
					if v := s.value(&ws[i]); !math.IsNaN(v) && !math.IsInf(v, 0) {
						return nil
					}
				}
			}
		}
	}
	r := runs[0]
	if len(runs) == 1 && r.noneArrived() {
		return fmt.Errorf("run %s: no request arrived in its %s simulated (requests_arrived 0), so no window has a value to plot: %w",
			r.id, fmtHorizon(r.simNs, r.horizonNs), ErrNoData)
	}
	ids := make([]string, len(runs))
	for i, r := range runs {
		ids[i] = r.id
	}
	which := "run " + ids[0]
	if len(ids) > 1 {
		which = "runs " + strings.Join(ids, ", ")
	}
	return fmt.Errorf("%s: no window has a value to plot (a latency needs a request completed in the window): %w", which, ErrNoData)
}

// seriesPlot draws one panel's series for every run, or returns nil when it
// has none to show (a panel of optional series that are zero throughout).
func seriesPlot(b *builder, sp seriesPanel, windows [][]sim.WindowRecord, ta timeAxis, spanNs int64) *panel {
	p := b.st.newPlot("", sp.yLabel)
	p.Y.Min = 0 // rates and counts read from zero; a negative margin still shows
	pan := &panel{plot: p}
	shown := 0
	for _, s := range sp.series {
		if (b.overlay() && !s.overlay) || (s.optional && allZero(windows, s.value)) {
			continue
		}
		for ri, r := range b.runs {
			label := plainLabel(s.label)
			if b.overlay() {
				what := s.label
				if len(sp.series) == 1 {
					what = ""
				}
				label = r.legend(what)
			}
			addSeries(p, pan, windowPoints(windows[ri], ta, s.value), b.st.line(ri, shown, b.overlay()), label)
		}
		shown++
	}
	if shown == 0 {
		return nil
	}
	p.X.Min, p.X.Max = 0, float64(spanNs)*ta.perNs
	if math.IsInf(p.Y.Max, 0) || p.Y.Max < sp.minMax {
		p.Y.Max = max(sp.minMax, p.Y.Min+1)
	}
	// Headroom, so a line at the maximum does not run along the frame.
	p.Y.Max += headroom * (p.Y.Max - p.Y.Min)
	return pan
}

func allZero(windows [][]sim.WindowRecord, value func(*sim.WindowRecord) float64) bool {
	for _, ws := range windows {
		for i := range ws {
			if v := value(&ws[i]); v != 0 && !math.IsNaN(v) {
				return false
			}
		}
	}
	return true
}

// windowPoints places each window's value at the window's middle; undefined
// values (a percentile of a window where nothing completed) stay NaN.
func windowPoints(ws []sim.WindowRecord, ta timeAxis, value func(*sim.WindowRecord) float64) plotter.XYs {
	pts := make(plotter.XYs, len(ws))
	for i := range ws {
		w := &ws[i]
		pts[i] = plotter.XY{X: float64(w.StartNs+w.EndNs) / 2 * ta.perNs, Y: value(w)}
	}
	return pts
}

// addSeries draws pts as lines broken where values are undefined, a dot for
// a defined value between two undefined ones, and adds the legend entry.
func addSeries(p *plot.Plot, pan *panel, pts plotter.XYs, ls draw.LineStyle, label legendLabel) {
	segs := finiteRuns(pts)
	for _, seg := range segs {
		if len(seg) == 1 {
			sc := &plotter.Scatter{XYs: seg, GlyphStyle: draw.GlyphStyle{Color: ls.Color, Radius: ls.Width * 1.5, Shape: draw.CircleGlyph{}}}
			p.Add(sc)
			continue
		}
		p.Add(&plotter.Line{XYs: seg, LineStyle: ls})
	}
	if len(segs) == 0 {
		label.tail += " (no data)"
	}
	pan.addLegend(label, &plotter.Line{LineStyle: ls})
}

// finiteRuns splits pts into maximal runs of finite points.
func finiteRuns(pts plotter.XYs) []plotter.XYs {
	var out []plotter.XYs
	start := -1
	for i, pt := range pts {
		ok := !math.IsNaN(pt.Y) && !math.IsInf(pt.Y, 0) && !math.IsNaN(pt.X) && !math.IsInf(pt.X, 0)
		switch {
		case ok && start < 0:
			start = i
		case !ok && start >= 0:
			out = append(out, pts[start:i])
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, pts[start:])
	}
	return out
}
