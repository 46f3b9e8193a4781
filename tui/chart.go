package tui

import (
	"image/color"
	"math"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/NimbleMarkets/ntcharts/v2/linechart/timeserieslinechart"
	"github.com/NimbleMarkets/ntcharts/v2/sparkline"

	"aiecon/sim"
)

// series is one line of a chart: a value per window.
type series struct {
	name  string
	ys    []float64
	color color.Color
}

// chartSpec is a chart over simulated time built from a run's windows.
type chartSpec struct {
	title string
	unit  func(float64) string // y axis labels
	lines func(ws []sim.WindowRecord) []series
}

// windowRate turns a per-window total into a per-second rate.
func windowRate(w sim.WindowRecord, v float64) float64 {
	width := float64(w.EndNs-w.StartNs) / 1e9
	if width <= 0 {
		return math.NaN()
	}
	return v / width
}

func perWindow(ws []sim.WindowRecord, f func(sim.WindowRecord) float64) []float64 {
	out := make([]float64, len(ws))
	for i, w := range ws {
		out[i] = f(w)
	}
	return out
}

// runCharts are the charts of the Run screen, over simulated time.
var runCharts = []chartSpec{
	{"Throughput", func(v float64) string { return fmtSig(v) + "/s" }, func(ws []sim.WindowRecord) []series {
		return []series{
			{"completed/s", perWindow(ws, func(w sim.WindowRecord) float64 { return windowRate(w, float64(w.Completions)) }), colSeries[0]},
			{"arrivals/s", perWindow(ws, func(w sim.WindowRecord) float64 { return windowRate(w, float64(w.Arrivals)) }), colSeries[1]},
		}
	}},
	{"Queue depth", fmtRequests, func(ws []sim.WindowRecord) []series {
		return []series{
			{"waiting", perWindow(ws, func(w sim.WindowRecord) float64 { return w.QueueDepthAvg }), colSeries[1]},
			{"running", perWindow(ws, func(w sim.WindowRecord) float64 { return w.RunningAvg }), colSeries[0]},
		}
	}},
	{"Latency", fmtSeconds, func(ws []sim.WindowRecord) []series {
		return []series{
			{"TTFT p50", perWindow(ws, func(w sim.WindowRecord) float64 { return w.TTFTP50S }), colSeries[0]},
			{"TTFT p99", perWindow(ws, func(w sim.WindowRecord) float64 { return w.TTFTP99S }), colSeries[1]},
			{"E2E p99", perWindow(ws, func(w sim.WindowRecord) float64 { return w.E2EP99S }), colSeries[3]},
		}
	}},
	{"Revenue and cost", func(v float64) string { return "$" + fmtSig(v) + "/h" }, func(ws []sim.WindowRecord) []series {
		return []series{
			{"revenue $/h", perWindow(ws, func(w sim.WindowRecord) float64 { return windowRate(w, w.RevenueUSD) * 3600 }), colGood},
			{windowCostLabel(ws), perWindow(ws, func(w sim.WindowRecord) float64 { return windowRate(w, w.CostUSD) * 3600 }), colBad},
		}
	}},
}

// windowCostLabel names the windows' cost as aiecon plot's revenue-time
// does: the fleet's instances and licensing, and a dedicated training
// cluster's share. Training on idle serving replicas is charged to the run
// as a whole (its dedicated top-up), not to windows, so a run that trains
// so says: its line sits below the Margin card's cost/h ($150/h against
// $228.70 read as a mistake).
func windowCostLabel(ws []sim.WindowRecord) string {
	for _, w := range ws {
		if w.TrainingFrac > 0 {
			return "fleet cost $/h (no idle-replica training)"
		}
	}
	return "fleet cost $/h"
}

// renderChart draws a titled line chart of w×h cells: a title line with
// the legend, then the plot with time (simulated, from the run start) on
// the x axis. Undefined values (a window with no completed request) leave
// a gap in the data rather than a fake zero.
func renderChart(st *styles, spec chartSpec, ws []sim.WindowRecord, w, h int) string {
	ss := spec.lines(ws)
	legend := []string{st.title.Render(spec.title)}
	for _, s := range ss {
		legend = append(legend, lipgloss.NewStyle().Foreground(s.color).Render("━ "+s.name))
	}
	head := fitWidth(strings.Join(legend, "  "), w)
	if h < 4 || w < 20 || len(ws) == 0 {
		return head + "\n" + st.muted.Render("no windows yet")
	}
	maxY, any := 0.0, false
	for _, s := range ss {
		for _, y := range s.ys {
			if !undefined(y) {
				maxY, any = math.Max(maxY, y), true
			}
		}
	}
	if !any {
		return head + "\n" + st.muted.Render("no data in any window")
	}
	if maxY <= 0 {
		maxY = 1
	}
	maxY *= 1.05
	t0 := time.Unix(0, 0)
	tEnd := time.Unix(0, ws[len(ws)-1].EndNs)
	if !tEnd.After(t0.Add(time.Second)) {
		tEnd = t0.Add(time.Second)
	}
	chart := timeserieslinechart.New(w, h-1,
		timeserieslinechart.WithTimeRange(t0, tEnd),
		timeserieslinechart.WithYRange(0, maxY),
		timeserieslinechart.WithYLabelFormatter(func(_ int, v float64) string { return spec.unit(v) }),
		timeserieslinechart.WithAxesStyles(st.muted, st.muted),
		// The formatter sees every column and labels only those at round times.
		timeserieslinechart.WithXYSteps(1, 2),
	)
	ticks := newTimeTicks(float64(tEnd.UnixNano())/1e9, chart.GraphWidth())
	chart.XLabelFormatter = ticks.label
	// Datasets draw in name order; prefix the index so the legend order
	// is also the drawing order (the last one drawn stays on top).
	for i, s := range ss {
		name := string(rune('a'+i)) + s.name
		chart.SetDataSetStyle(name, lipgloss.NewStyle().Foreground(s.color))
		for k, y := range s.ys {
			if undefined(y) {
				continue
			}
			mid := ws[k].StartNs + (ws[k].EndNs-ws[k].StartNs)/2
			chart.PushDataSet(name, timeserieslinechart.TimePoint{Time: time.Unix(0, mid), Value: y})
		}
	}
	chart.DrawBrailleAll()
	return head + "\n" + chart.View()
}

// timeTicks puts the x-axis labels at round simulated times (0 10m 20m
// 30m): the chart library asks for a label at every column, and only the
// column nearest each multiple of a "nice" step gets one.
type timeTicks struct {
	step   float64 // seconds between labels
	perCol float64 // seconds per column
}

// minTickCols is the least room a label gets: the longest (1h30m, 12d)
// and a gap.
const minTickCols = 8

func newTimeTicks(spanS float64, cols int) timeTicks {
	cols = max(cols, 1)
	return timeTicks{step: niceTimeStep(spanS, max(cols/minTickCols, 1)), perCol: spanS / float64(cols)}
}

func (t timeTicks) label(col int, v float64) string {
	if t.perCol <= 0 {
		return ""
	}
	k := math.Round(v / t.step)
	if int(math.Round(k*t.step/t.perCol)) != col {
		return ""
	}
	return fmtClock(k * t.step)
}

// niceTimeSteps are the steps a time axis uses: multiples people count in
// (seconds, minutes, hours, days), so that labels read 0 10m 20m.
var niceTimeSteps = []float64{1, 2, 5, 10, 15, 30, 60, 2 * 60, 5 * 60, 10 * 60, 15 * 60, 30 * 60,
	3600, 2 * 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86400, 2 * 86400, 7 * 86400, 14 * 86400, 30 * 86400, 90 * 86400, 365 * 86400}

// niceTimeStep is the smallest nice step that puts at most maxTicks
// intervals in span seconds.
func niceTimeStep(spanS float64, maxTicks int) float64 {
	for _, step := range niceTimeSteps {
		if spanS/step <= float64(maxTicks) {
			return step
		}
	}
	last := niceTimeSteps[len(niceTimeSteps)-1]
	return last * math.Ceil(spanS/last/float64(maxTicks))
}

// fmtRequests prints a number of requests, such as a queue's depth
// averaged over a window: a bare 32.0 on an axis, or a queue of 0.0835,
// could as well be seconds (the queue p99 card is a time).
func fmtRequests(v float64) string { return fmtSig(v) + " req" }

// sparkRow is one line: a label, a sparkline of the run and the value of
// its last window. The value says it is the last window's: beside a run's
// totals (revenue $596) a bare $10.68/h read as the run's rate.
func sparkRow(st *styles, label string, ys []float64, last string, c color.Color, w int) string {
	const labelW, lastW = 12, 23
	last = "last window " + last
	sw := w - labelW - lastW - 2
	if sw < 8 {
		return fitWidth(st.muted.Render(pad(label, labelW, false))+" "+last, w)
	}
	sl := sparkline.New(sw, 1, sparkline.WithStyle(lipgloss.NewStyle().Foreground(c)))
	sl.PushAll(resample(ys, sw))
	sl.Draw()
	return st.muted.Render(pad(label, labelW, false)) + " " + sl.View() + " " + pad(last, lastW, true)
}

// resample fits a series to n bars: it averages buckets when there are
// more values than bars and repeats values when there are fewer, treating
// undefined values as zero.
func resample(ys []float64, n int) []float64 {
	clean := make([]float64, len(ys))
	for i, y := range ys {
		if !undefined(y) {
			clean[i] = y
		}
	}
	out := make([]float64, n)
	if len(clean) == 0 {
		return out
	}
	for b := 0; b < n; b++ {
		lo, hi := b*len(clean)/n, (b+1)*len(clean)/n
		if hi <= lo {
			out[b] = clean[lo]
			continue
		}
		sum := 0.0
		for _, y := range clean[lo:hi] {
			sum += y
		}
		out[b] = sum / float64(hi-lo)
	}
	return out
}
