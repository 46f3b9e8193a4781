package chart

import (
	"context"
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"aiecon/model/format"
	"aiecon/model/kpi"
)

// bars draws one bar per category with its value printed past its end.
// Positions and thickness are in data units (category i is centred on i), so
// a group of runs shares each category's slot whatever the image size.
type bars struct {
	values     []float64 // by category; NaN draws no bar
	offset     float64   // bar centre = category + offset
	thickness  float64   // in categories
	color      color.Color
	horizontal bool // bars grow along x; categories on y
	labels     []string
	textStyle  text.Style
	gap        vg.Length // between a bar's end and its label
}

func (b *bars) span(i int) (lo, hi float64) {
	c := float64(i) + b.offset
	return c - b.thickness/2, c + b.thickness/2
}

// Plot implements plot.Plotter.
func (b *bars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for i, v := range b.values {
		if !format.Defined(v) {
			// NaN is no bar; an infinite one, which buildKPIBars refuses,
			// had a corner at infinity that the rasteriser never finished
			// filling.
			continue
		}
		lo, hi := b.span(i)
		var r vg.Rectangle
		if b.horizontal {
			r = vg.Rectangle{Min: vg.Point{X: trX(math.Min(0, v)), Y: trY(lo)}, Max: vg.Point{X: trX(math.Max(0, v)), Y: trY(hi)}}
		} else {
			r = vg.Rectangle{Min: vg.Point{X: trX(lo), Y: trY(math.Min(0, v))}, Max: vg.Point{X: trX(hi), Y: trY(math.Max(0, v))}}
		}
		poly := []vg.Point{r.Min, {X: r.Max.X, Y: r.Min.Y}, r.Max, {X: r.Min.X, Y: r.Max.Y}}
		c.FillPolygon(b.color, c.ClipPolygonXY(poly))
		if b.labels == nil {
			continue
		}
		sty, at := b.labelAt(v, (lo+hi)/2, trX, trY)
		c.FillText(sty, at, b.labels[i])
	}
}

// labelAt places a value past the end of its bar: right of (or above) a
// positive bar, left of (or below) a negative one.
func (b *bars) labelAt(v, mid float64, trX, trY func(float64) vg.Length) (text.Style, vg.Point) {
	sty := b.textStyle
	if b.horizontal {
		sty.YAlign = draw.YCenter
		if v >= 0 {
			sty.XAlign = draw.XLeft
			return sty, vg.Point{X: trX(v) + b.gap, Y: trY(mid)}
		}
		sty.XAlign = draw.XRight
		return sty, vg.Point{X: trX(v) - b.gap, Y: trY(mid)}
	}
	sty.XAlign = draw.XCenter
	if v >= 0 {
		sty.YAlign = draw.YBottom
		return sty, vg.Point{X: trX(mid), Y: trY(v) + b.gap}
	}
	sty.YAlign = draw.YTop
	return sty, vg.Point{X: trX(mid), Y: trY(v) - b.gap}
}

// DataRange implements plot.DataRanger: every category's slot and zero.
func (b *bars) DataRange() (xmin, xmax, ymin, ymax float64) {
	vmin, vmax := 0.0, 0.0
	for _, v := range b.values {
		if format.Defined(v) {
			vmin, vmax = math.Min(vmin, v), math.Max(vmax, v)
		}
	}
	cmin, cmax := -0.5, float64(len(b.values))-0.5
	if b.horizontal {
		return vmin, vmax, cmin, cmax
	}
	return cmin, cmax, vmin, vmax
}

// GlyphBoxes implements plot.GlyphBoxer so the axes leave room for the labels.
func (b *bars) GlyphBoxes(p *plot.Plot) []plot.GlyphBox {
	var out []plot.GlyphBox
	for i, v := range b.values {
		if !format.Defined(v) || b.labels == nil {
			continue
		}
		lo, hi := b.span(i)
		mid := (lo + hi) / 2
		w, h := b.textStyle.Width(b.labels[i]), b.textStyle.Height(b.labels[i])
		var box plot.GlyphBox
		if b.horizontal {
			box.X, box.Y = p.X.Norm(v), p.Y.Norm(mid)
			box.Rectangle = vg.Rectangle{Min: vg.Point{X: b.gap, Y: -h / 2}, Max: vg.Point{X: b.gap + w, Y: h / 2}}
			if v < 0 {
				box.Rectangle = vg.Rectangle{Min: vg.Point{X: -b.gap - w, Y: -h / 2}, Max: vg.Point{X: -b.gap, Y: h / 2}}
			}
		} else {
			box.X, box.Y = p.X.Norm(mid), p.Y.Norm(v)
			box.Rectangle = vg.Rectangle{Min: vg.Point{X: -w / 2, Y: b.gap}, Max: vg.Point{X: w / 2, Y: b.gap + h}}
			if v < 0 {
				box.Rectangle = vg.Rectangle{Min: vg.Point{X: -w / 2, Y: -b.gap - h}, Max: vg.Point{X: w / 2, Y: -b.gap}}
			}
		}
		out = append(out, box)
	}
	return out
}

// Thumbnail implements plot.Thumbnailer: a filled square.
func (b *bars) Thumbnail(c *draw.Canvas) {
	r := c.Rectangle
	side := math.Min(float64(r.Size().X), float64(r.Size().Y))
	mid := vg.Point{X: (r.Min.X + r.Max.X) / 2, Y: (r.Min.Y + r.Max.Y) / 2}
	h := vg.Length(side) / 2
	c.FillPolygon(b.color, []vg.Point{{X: mid.X - h, Y: mid.Y - h}, {X: mid.X + h, Y: mid.Y - h}, {X: mid.X + h, Y: mid.Y + h}, {X: mid.X - h, Y: mid.Y + h}})
}

// category is a bar of a KPI bar chart.
type category struct {
	name  string // axis label
	kpi   string
	group int // colour group of a one-run chart (index into the groups' names)
}

// revenueCostCategories, top to bottom.
var revenueCostCategories = []category{
	{"instances", kpi.CostInstancesUSD, 0},
	{"training", kpi.CostTrainingUSD, 0},
	{"content licensing", kpi.CostLicensingUSD, 0},
	{"total cost", kpi.CostUSD, 0},
	{"tokens", kpi.RevenueAPIUSD, 1},
	{"agent fees", kpi.RevenueAgentFeesUSD, 1},
	{"commerce", kpi.RevenueCommerceUSD, 1},
	{"ads", kpi.RevenueAdsUSD, 1},
	{"total revenue", kpi.RevenueUSD, 1},
	{"margin", kpi.MarginUSD, 2},
}

var costPerMTokCategories = []category{
	// All three on the instances' cost: the input/output split divides
	// that cost by prefill and decode time; training and licensing have no
	// such split (cost_per_mtok_usd, with them, is in run's report).
	{"blended", kpi.CostPerMTokInstancesUSD, 0},
	{"input (prefill)", kpi.CostPerMTokInputUSD, 0},
	{"output (decode)", kpi.CostPerMTokOutputUSD, 0},
}

func buildRevenueCost(_ context.Context, b *builder) error {
	return buildKPIBars(b, kpiBars{
		categories: revenueCostCategories, groups: []string{"cost", "revenue", "margin"},
		groupColors: []int{3, 2, 0}, horizontal: true, axis: "USD per simulated hour",
		value: func(r *run, v float64) float64 { return v / hours(r) },
		label: format.USDCompact,
	})
}

func buildCostPerMTok(_ context.Context, b *builder) error {
	for _, r := range b.runs {
		if err := noCostPerMTok(r); err != nil {
			return err
		}
	}
	return buildKPIBars(b, kpiBars{
		categories: costPerMTokCategories, groups: []string{""}, groupColors: []int{0},
		axis:  "instance cost, USD per million tokens",
		value: func(_ *run, v float64) float64 { return v },
		label: format.USDCompact,
	})
}

// noCostPerMTok refuses a run whose cost per million tokens is undefined
// in every category, as run's report prints "-": a run in which no request
// arrived, or none was billed, drew three empty bars on a $0 axis, which
// read as $0/Mtok. A run without KPIs is left to buildKPIBars to refuse.
func noCostPerMTok(r *run) error {
	if len(r.kpis) == 0 {
		return nil
	}
	for _, c := range costPerMTokCategories {
		if format.Defined(r.kpi(c.kpi)) {
			return nil
		}
	}
	if r.noneArrived() {
		return fmt.Errorf("run %s: no request arrived in its %s simulated (requests_arrived 0), so it has no cost per million tokens to plot: %w",
			r.id, fmtHorizon(r.simNs, r.horizonNs), ErrNoData)
	}
	return fmt.Errorf("run %s billed no token (%s requests arrived, %s completed), so its cost per million tokens is undefined: %w",
		r.id, format.Count(r.kpi(kpi.RequestsArrived)), format.Count(r.kpi(kpi.RequestsCompleted)), ErrNoData)
}

// infiniteBar refuses a run one of whose bars would be infinite: no run
// computes such a KPI (prices and counts are capped), but a store edited
// with sql --write can hold one, and its bar, with a corner at infinity,
// kept the rasteriser busy forever. A bar left out would read as a KPI the
// run does not have, so the chart is refused, naming the KPI.
func infiniteBar(r *run, kb kpiBars) error {
	for _, c := range kb.categories {
		raw := r.kpi(c.kpi)
		if v := kb.value(r, raw); math.IsInf(v, 0) {
			return fmt.Errorf("run %s: its KPI %s is %v (%v as plotted), not a finite number, so its bar cannot be drawn: %w "+
				"(no run computes one: was the store edited? aiecon sql shows it: SELECT * FROM kpis WHERE run_id = '%s' AND name = '%s')",
				r.id, c.kpi, raw, v, ErrNoData, r.id, c.kpi)
		}
	}
	return nil
}

// hours is the simulated time of a run in hours: KPI totals are divided by
// it so runs of different horizons compare.
func hours(r *run) float64 {
	ns := r.simNs
	if ns <= 0 {
		ns = r.horizonNs
	}
	return float64(ns) / 3.6e12
}

type kpiBars struct {
	categories  []category
	groups      []string // legend of a one-run chart; "" = the run's label
	groupColors []int    // palette index of each group
	horizontal  bool
	axis        string
	value       func(r *run, kpi float64) float64
	label       func(float64) string
}

// slotShare is the share of a category's slot the bars fill.
const slotShare = 0.8

// checkBarRuns refuses a run with no KPIs (one that did not complete) or
// with a bar no chart can draw (infiniteBar).
func checkBarRuns(runs []*run, kb kpiBars) error {
	for _, r := range runs {
		if len(r.kpis) == 0 {
			return fmt.Errorf("run %s is %s and has no KPIs: %w (KPIs are stored when a run completes)", r.id, r.status, ErrNoData)
		}
		if err := infiniteBar(r, kb); err != nil {
			return err
		}
	}
	return nil
}

func buildKPIBars(b *builder, kb kpiBars) error {
	if err := checkBarRuns(b.runs, kb); err != nil {
		return err
	}
	n := len(kb.categories)
	names := make([]string, n)
	// Category i sits at axis position pos(i); horizontal charts list the
	// first category at the top, where reading starts.
	pos := func(i int) int { return i }
	if kb.horizontal {
		pos = func(i int) int { return n - 1 - i }
	}
	for i, c := range kb.categories {
		names[pos(i)] = c.name
	}
	var p *plot.Plot
	if kb.horizontal {
		p = b.st.newPlot(kb.axis, "")
		p.NominalY(names...)
	} else {
		p = b.st.newPlot("", kb.axis)
		p.NominalX(names...)
	}
	pan := &panel{plot: p}
	newBars := func(values []float64, offset, thickness float64, clr color.Color) *bars {
		labels := make([]string, len(values))
		for i, v := range values {
			if format.Defined(v) { // NaN: no bar in this group, so no label
				labels[i] = kb.label(v)
			}
		}
		return &bars{values: values, offset: offset, thickness: thickness, color: clr, horizontal: kb.horizontal,
			labels: labels, textStyle: b.st.text(valuePt), gap: b.st.pt(2)}
	}
	values := func(r *run, group int) []float64 {
		vs := make([]float64, n)
		for i, c := range kb.categories {
			vs[pos(i)] = math.NaN()
			if group < 0 || c.group == group {
				vs[pos(i)] = kb.value(r, r.kpi(c.kpi))
			}
		}
		return vs
	}
	if !b.overlay() {
		r := b.runs[0]
		for g, name := range kb.groups {
			bs := newBars(values(r, g), 0, slotShare, b.st.color(kb.groupColors[g]))
			p.Add(bs)
			label := plainLabel(name)
			if name == "" {
				label = r.legend("")
			}
			pan.addLegend(label, bs)
		}
	} else {
		k := float64(len(b.runs))
		for ri, r := range b.runs {
			offset := -slotShare/2 + (float64(ri)+0.5)*slotShare/k
			if kb.horizontal { // the first run on top, as in the legend
				offset = -offset
			}
			bs := newBars(values(r, -1), offset, slotShare/k*0.9, b.st.color(ri))
			p.Add(bs)
			pan.addLegend(r.legend(""), bs)
		}
	}
	// A zero line, so that a negative margin reads as one.
	zero := plotter.XYs{{X: 0, Y: -0.5}, {X: 0, Y: float64(n) - 0.5}}
	if !kb.horizontal {
		zero = plotter.XYs{{X: -0.5, Y: 0}, {X: float64(n) - 0.5, Y: 0}}
	}
	p.Add(&plotter.Line{XYs: zero, LineStyle: draw.LineStyle{Color: color.Gray{Y: 60}, Width: b.st.pt(0.6)}})
	b.addPanel(pan)
	return nil
}
