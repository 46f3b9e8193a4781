package chart

import (
	"context"
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg/draw"

	"aiecon/data"
	"aiecon/model/format"
)

// ForecastKind is the kind name of a forecast's fan chart; it takes a
// forecast id (data.Store.ResolveForecast), not runs.
const ForecastKind = "forecast"

// forecastLines are the revenue lines of the lower panel, in legend order.
var forecastLines = []struct{ metric, label string }{
	{"revenue_api_usd", "tokens"},
	{"revenue_agent_fees_usd", "agent fees"},
	{"revenue_commerce_usd", "commerce"},
	{"revenue_ads_usd", "ads"},
}

// RenderForecast draws a stored forecast's fan chart: the operating margin
// of every variant per period (median line, P10-P90 band), and below it the
// revenue by line (median, one colour per line, one dash per variant).
func RenderForecast(ctx context.Context, store *data.Store, id string, opts Options) (*Chart, error) {
	if opts.WidthPx == 0 && opts.HeightPx == 0 {
		opts.WidthPx, opts.HeightPx = DefaultWidthPx, DefaultHeightPx
	}
	if err := CheckSize(opts.WidthPx, opts.HeightPx); err != nil {
		return nil, err
	}
	f, err := store.Forecast(ctx, id)
	if err != nil {
		return nil, err
	}
	metrics := []string{"operating_margin_usd"}
	for _, l := range forecastLines {
		metrics = append(metrics, l.metric)
	}
	bands, err := store.ForecastBands(ctx, id, metrics...)
	if err != nil {
		return nil, err
	}
	if len(bands) == 0 {
		return nil, fmt.Errorf("forecast %s: %w (no periods stored)", id, ErrNoData)
	}
	c := &Chart{Kind: ForecastKind, RunIDs: []string{id}, WidthPx: opts.WidthPx, HeightPx: opts.HeightPx,
		st: newStyle(opts.WidthPx, opts.HeightPx)}
	c.Title = fmt.Sprintf("Forecast %s (%s)", f.Name, id)
	c.Subtitle = fmt.Sprintf("%s, %s; bands P10-P90, lines P50", format.Plural(f.Periods, f.PeriodLength), format.Plural(f.Samples, "Monte Carlo sample"))
	series := map[string]map[string][]data.ForecastBand{} // variant -> metric -> by period
	var variants []string
	for _, b := range bands {
		if series[b.Variant] == nil {
			series[b.Variant] = map[string][]data.ForecastBand{}
			variants = append(variants, b.Variant)
		}
		series[b.Variant][b.Metric] = append(series[b.Variant][b.Metric], b)
	}
	// Each period's value is that period's total, so the unit is USD per
	// period: a quarter's margin is three months of it. The unit goes on a
	// second line: a rotated label longer than its panel is tall squeezes
	// the panel.
	xLabel, perPeriod := f.PeriodLength, "USD per "+orDefault(f.PeriodLength, "period")
	margin := c.st.newPlot(xLabel, "operating margin\n"+perPeriod)
	margin.Y.Tick.Marker = moneyTicks{niceTicks{}}
	mp := &panel{plot: margin}
	for i, v := range variants {
		addFan(margin, mp, series[v]["operating_margin_usd"], c.st.line(i, 0, true), c.st.color(i), v)
	}
	// Commerce can be a hundred times the tokens line: a log axis shows both.
	revenue := c.st.newPlot(xLabel, "revenue by line, P50\n"+perPeriod+", log scale")
	revenue.Y.Scale = plot.LogScale{}
	revenue.Y.Tick.Marker = moneyTicks{logTicks{}}
	rp := &panel{plot: revenue}
	for vi, v := range variants {
		for li, l := range forecastLines {
			pts := medians(series[v][l.metric])
			for i := range pts {
				if pts[i].Y <= 0 {
					pts[i].Y = math.NaN() // no such revenue: a gap, not -Inf
				}
			}
			addSeries(revenue, rp, pts, c.st.line(li, vi, true), plainLabel(l.label+", "+v))
		}
	}
	var ticks []plot.Tick
	for k := 1; k <= f.Periods; k++ {
		ticks = append(ticks, plot.Tick{Value: float64(k), Label: fmt.Sprint(k)})
	}
	for _, p := range []*plot.Plot{margin, revenue} {
		p.X.Min = 0.5
		p.X.Max = float64(f.Periods) + 0.5
		p.X.Tick.Marker = plot.ConstantTicks(ticks)
	}
	c.panels = []*panel{mp, rp}
	return c, nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func medians(bs []data.ForecastBand) plotter.XYs {
	pts := make(plotter.XYs, len(bs))
	for i, b := range bs {
		pts[i] = plotter.XY{X: float64(b.Period), Y: b.P50}
	}
	return pts
}

// addFan draws a P10-P90 band under the median line.
func addFan(p *plot.Plot, pan *panel, bs []data.ForecastBand, ls draw.LineStyle, c color.Color, label string) {
	var poly plotter.XYs
	for _, b := range bs {
		if !math.IsNaN(b.P10) {
			poly = append(poly, plotter.XY{X: float64(b.Period), Y: b.P10})
		}
	}
	for i := len(bs) - 1; i >= 0; i-- {
		if !math.IsNaN(bs[i].P90) {
			poly = append(poly, plotter.XY{X: float64(bs[i].Period), Y: bs[i].P90})
		}
	}
	if len(poly) >= 3 {
		if fill, err := plotter.NewPolygon(poly); err == nil {
			r, g, b, _ := c.RGBA()
			fill.Color = color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: 60}
			fill.LineStyle.Width = 0
			p.Add(fill)
		}
	}
	addSeries(p, pan, medians(bs), ls, plainLabel(label))
}
