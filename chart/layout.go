package chart

import (
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Chart is a rendered chart, ready to be encoded: a title block, then one or
// more panels stacked top to bottom (sharing the time axis when they have
// one), each with its legend in a column on the right, where it never hides
// data.
type Chart struct {
	Kind   string
	RunIDs []string
	// Title names the chart and the runs; Subtitle the scenarios, horizons
	// and, when requests were sampled, the sample rate.
	Title, Subtitle string
	// Image size in pixels.
	WidthPx, HeightPx int

	panels []*panel
	st     style
}

// panel is one plot and its legend.
type panel struct {
	plot   *plot.Plot
	legend []legendEntry
}

type legendEntry struct {
	label  legendLabel
	thumbs []plot.Thumbnailer
}

// legendLabel is a legend entry's text, head + name + tail. The head (the
// series, then the run's short id) and the tail (notes) tell the entries
// apart; the name is a run's name, which for a sweep point is the sweep's
// name and every parameter, and is what gives way when the legend column is
// too narrow.
type legendLabel struct{ head, name, tail string }

func (l legendLabel) String() string { return l.head + l.name + l.tail }

// plainLabel is a label with nothing to shorten first.
func plainLabel(s string) legendLabel { return legendLabel{head: s} }

func (p *panel) addLegend(label legendLabel, thumbs ...plot.Thumbnailer) {
	p.legend = append(p.legend, legendEntry{label: label, thumbs: thumbs})
}

// maxLegendShare is the largest share of the width the legend column takes;
// longer labels are shortened with an ellipsis (see fitLabel).
const maxLegendShare = 0.4

// Draw draws the chart on dc, filling it.
func (c *Chart) Draw(dc draw.Canvas) {
	st := c.st
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	pad := st.pt(padPt)
	body := dc.Rectangle
	body.Min.X += pad
	body.Max.X -= pad
	body.Min.Y += pad / 2
	body.Max.Y -= pad
	width := body.Size().X

	y := body.Max.Y
	for _, t := range []struct {
		s    string
		size float64
	}{{c.Title, titlePt}, {c.Subtitle, subtitlePt}} {
		if t.s == "" {
			continue
		}
		sty := st.text(t.size)
		sty.XAlign, sty.YAlign = draw.XCenter, draw.YTop
		line := fitText(sty, t.s, width)
		dc.FillText(sty, vg.Point{X: (body.Min.X + body.Max.X) / 2, Y: y}, line)
		y -= sty.Height(line) + pad/2
	}
	body.Max.Y = y - pad/2

	legends := make([]plot.Legend, len(c.panels))
	var legendW vg.Length
	for i, p := range c.panels {
		l := plot.NewLegend()
		l.TextStyle = st.text(legendPt)
		l.Top, l.Left = true, true
		l.ThumbnailWidth = st.pt(24)
		l.Padding = st.pt(3)
		room := vg.Length(maxLegendShare)*width - l.ThumbnailWidth - l.TextStyle.Width(" ")
		for _, e := range p.legend {
			l.Add(fitLabel(l.TextStyle, e.label, room), e.thumbs...)
		}
		legends[i] = l
		if w := l.Rectangle(dc).Size().X; w > legendW {
			legendW = w
		}
	}
	plots := body
	if legendW > 0 {
		plots.Max.X -= legendW + pad
	}

	rows := make([][]*plot.Plot, len(c.panels))
	for i, p := range c.panels {
		widenFlat(&p.plot.X)
		widenFlat(&p.plot.Y)
		rows[i] = []*plot.Plot{p.plot}
	}
	tiles := draw.Tiles{Rows: len(rows), Cols: 1, PadY: 2 * pad}
	canvases := plot.Align(rows, tiles, draw.Canvas{Canvas: dc.Canvas, Rectangle: plots})
	for i, p := range c.panels {
		tile := canvases[i][0]
		p.plot.Draw(tile)
		data := p.plot.DataCanvas(tile)
		legends[i].Draw(draw.Canvas{Canvas: dc.Canvas, Rectangle: vg.Rectangle{
			Min: vg.Point{X: plots.Max.X + pad, Y: data.Min.Y},
			Max: vg.Point{X: body.Max.X, Y: data.Max.Y},
		}})
	}
}

// fitLabel shortens l to at most maxW wide. The middle of its name goes
// first, down to an ellipsis, so that its head and tail survive: cut from
// the end, the labels of one run's TTFT p50 and p99 (or of two sweep points
// whose names differ in the last parameter) came out the same. Only when
// head and tail alone are too wide is the whole label cut from the end.
func fitLabel(sty text.Style, l legendLabel, maxW vg.Length) string {
	if s := l.String(); sty.Width(s) <= maxW {
		return s
	}
	if l.name != "" {
		if name := fitMiddle(sty, l.name, maxW-sty.Width(l.head+l.tail)); name != "" {
			return l.head + name + l.tail
		}
	}
	return fitText(sty, l.String(), maxW)
}

// fitMiddle shortens s to at most maxW wide by replacing its middle with an
// ellipsis, keeping as much of its start and end, or returns "" when not
// even the ellipsis fits.
func fitMiddle(sty text.Style, s string, maxW vg.Length) string {
	if sty.Width(s) <= maxW {
		return s
	}
	r := []rune(s)
	for keep := len(r) - 1; keep >= 0; keep-- {
		head := (keep + 1) / 2
		if t := string(r[:head]) + "…" + string(r[len(r)-(keep-head):]); sty.Width(t) <= maxW {
			return t
		}
	}
	return ""
}

// fitText shortens s with an ellipsis until it is at most maxW wide.
func fitText(sty text.Style, s string, maxW vg.Length) string {
	if sty.Width(s) <= maxW {
		return s
	}
	r := []rune(s)
	for len(r) > 0 {
		r = r[:len(r)-1]
		if t := string(r) + "…"; sty.Width(t) <= maxW {
			return t
		}
	}
	return ""
}

// widenFlat gives an axis whose data is one value, or none, a range to
// draw: gonum widens a flat axis by ±1, which from 1e16 on leaves its ends
// equal (such floats are more than 1 apart), and its ticks then panicked
// with "illegal range" (a forecast whose margin was one amount of 1e22). A
// log axis without a positive value (a revenue panel of zeros) went from
// -1 to 1, and the log scale panicked.
func widenFlat(a *plot.Axis) {
	if _, log := a.Scale.(plot.LogScale); log {
		switch {
		case !(a.Min > 0 && a.Max >= a.Min) || math.IsInf(a.Max, 0): // no data, or none a log scale can place
			a.Min, a.Max = 1, 10
		case a.Min == a.Max:
			a.Min, a.Max = a.Min/2, math.Min(a.Max*2, math.MaxFloat64) // not +Inf, which gonum reads as 0
		}
		return
	}
	if a.Min != a.Max || math.IsInf(a.Min, 0) || math.IsNaN(a.Min) {
		return
	}
	// A millionth of the value: gonum's ±1 below 1e6, enough to tell the
	// ends apart up to the largest float (which rounds to +Inf, and gonum
	// then draws from 0).
	d := math.Max(1, math.Abs(a.Min)*1e-6)
	a.Min, a.Max = a.Min-d, a.Max+d
}
