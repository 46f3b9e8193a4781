package chart

import (
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// style holds the sizes of one chart. Text and lines are laid out for the
// default 800x500 px image and scale with the image, so a 2400x1500 chart
// looks like the default one, only sharper; the scale is clamped so tiny and
// huge images keep legible text.
type style struct{ scale float64 }

func newStyle(widthPx, heightPx int) style {
	s := math.Min(float64(widthPx)/DefaultWidthPx, float64(heightPx)/DefaultHeightPx)
	return style{scale: math.Max(0.5, math.Min(4, s))}
}

// Font sizes in points at scale 1.
const (
	titlePt    = 13
	subtitlePt = 10
	labelPt    = 10
	tickPt     = 9
	legendPt   = 9
	valuePt    = 8 // numbers printed on bars
	linePt     = 1.6
	padPt      = 6
)

func (s style) pt(v float64) vg.Length { return vg.Points(v * s.scale) }

func (s style) text(sizePt float64) text.Style {
	return text.Style{
		Color:   color.Black,
		Font:    font.From(plot.DefaultFont, s.pt(sizePt)),
		Handler: plot.DefaultTextHandler,
	}
}

// palette is plotutil's dark palette reordered so the first colours (blue,
// orange, green) stay distinct for the common forms of colour blindness.
var palette = []color.Color{
	plotutil.DarkColors[2], // blue
	plotutil.DarkColors[3], // orange
	plotutil.DarkColors[1], // green
	plotutil.DarkColors[0], // red
	plotutil.DarkColors[4], // purple
	plotutil.DarkColors[6], // magenta
	plotutil.DarkColors[5], // dark red
}

// MaxRuns is how many runs one chart overlays: one colour each, beyond which
// colours would repeat and the legend stop telling runs apart.
var MaxRuns = len(palette)

func (s style) color(i int) color.Color { return palette[i%len(palette)] }

// dashPatterns, in points at scale 1: solid first, then patterns whose gaps
// are wide enough to show a line of another colour lying underneath (unlike
// plotutil's, made for thin black lines).
var dashPatterns = [][]float64{{}, {8, 5}, {2.5, 3.5}, {10, 4, 2.5, 4}, {4.5, 4.5}}

// line is the style of series i of run r. Each series has its dash pattern
// (the first is solid); when a chart shows one run each series also has its
// colour, which tells apart series that coincide (replicas serving and paid
// for), and when it overlays runs each run has its colour.
func (s style) line(run, series int, overlay bool) draw.LineStyle {
	ci, di := series, series
	if overlay {
		ci = run
	}
	dashes := dashPatterns[di%len(dashPatterns)]
	scaled := make([]vg.Length, len(dashes))
	for i, d := range dashes {
		scaled[i] = vg.Points(d * s.scale)
	}
	return draw.LineStyle{Color: s.color(ci), Width: s.pt(linePt), Dashes: scaled}
}

// newPlot is a panel with the chart's fonts and a light grid.
func (s style) newPlot(xLabel, yLabel string) *plot.Plot {
	p := plot.New()
	p.X.Label.Text, p.Y.Label.Text = xLabel, yLabel
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		// Only the sizes change: plot.New set the alignments and rotation.
		a.Label.TextStyle.Font.Size = s.pt(labelPt)
		a.Tick.Label.Font.Size = s.pt(tickPt)
		a.LineStyle.Width = s.pt(0.5)
		a.Tick.LineStyle.Width = s.pt(0.5)
		a.Tick.Length = s.pt(5)
		a.Label.Padding = s.pt(3)
		a.Tick.Marker = niceTicks{}
	}
	g := plotter.NewGrid()
	g.Vertical.Color = color.Gray{Y: 225}
	g.Horizontal.Color = color.Gray{Y: 225}
	g.Vertical.Width, g.Horizontal.Width = s.pt(0.5), s.pt(0.5)
	p.Add(g)
	return p
}
