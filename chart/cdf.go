package chart

import (
	"context"
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"

	"aiecon/data"
)

// cdfMetric is a latency whose distribution a CDF chart shows.
type cdfMetric struct {
	metric string  // name in data.Quantiles
	label  string  // legend
	what   string  // axis label and messages
	scale  float64 // seconds to the axis unit (linear axes)
	unit   string
}

var (
	ttftMetric  = cdfMetric{"ttft", "TTFT", "time to first token", 1, "s"}
	tpotMetric  = cdfMetric{"tpot", "TPOT", "time per output token", 1000, "ms"}
	e2eMetric   = cdfMetric{"e2e", "E2E", "end-to-end latency", 1, "s"}
	queueMetric = cdfMetric{"queue", "queueing delay", "queueing delay", 1, "s"}
)

// cdfPoints is how many quantiles draw a CDF: DuckDB computes them over the
// stored requests (quantile_cont, linear interpolation), so the chart costs
// one aggregate query per run and metric however many requests there are,
// and 200 points make a curve smooth at any image size up to the maximum.
const cdfPoints = 200

// cdfProbs are the probabilities 0, 1/199, ..., 1: the CDF from the fastest
// request to the slowest.
var cdfProbs = func() []float64 {
	ps := make([]float64, cdfPoints)
	for i := range ps {
		ps[i] = float64(i) / (cdfPoints - 1)
	}
	return ps
}()

func cdfKind(name, title, desc string, logX bool, metrics ...cdfMetric) kind {
	return kind{Kind: Kind{name, desc}, title: title, build: func(ctx context.Context, b *builder) error {
		return buildCDF(ctx, b, logX, metrics)
	}}
}

// buildCDF draws one curve per run and metric. On a log axis all metrics are
// in seconds, which puts TPOT (tens of ms) and end-to-end latency (seconds
// to minutes) on one readable scale, and a queueing delay from microseconds
// to minutes is not squashed against the left edge.
func buildCDF(ctx context.Context, b *builder, logX bool, metrics []cdfMetric) error {
	xLabel := fmt.Sprintf("%s (%s)", metrics[0].what, metrics[0].unit)
	if logX {
		xLabel = "latency (s, log scale)"
		if len(metrics) == 1 {
			xLabel = metrics[0].what + " (s, log scale)"
		}
	}
	p := b.st.newPlot(xLabel, "fraction of completed requests")
	p.Y.Min, p.Y.Max = 0, 1
	if logX {
		p.X.Scale = plot.LogScale{}
		p.X.Tick.Marker = logTicks{}
	} else {
		p.X.Min = 0
	}
	pan := &panel{plot: p}
	for ri, r := range b.runs {
		drawn, allZero := 0, true
		for mi, m := range metrics {
			qs, err := b.store.Quantiles(ctx, r.id, m.metric, cdfProbs)
			if err != nil {
				return err
			}
			pts, atZero := cdfCurve(qs, m, logX)
			allZero = allZero && atZero == 1
			if len(pts) == 0 {
				continue
			}
			l, err := plotter.NewLine(pts)
			if err != nil {
				return fmt.Errorf("run %s %s: %w", r.id, m.what, err)
			}
			l.LineStyle = b.st.line(ri, mi, b.overlay())
			p.Add(l)
			label := cdfLabel(b, r, m, len(metrics) > 1)
			if atZero > 0 {
				// The curve starts at this fraction: the requests at 0 lie
				// off a log axis, to the left.
				label.tail += fmt.Sprintf(" (%s at 0)", pct(atZero))
			}
			pan.addLegend(label, l)
			drawn++
		}
		if drawn == 0 && allZero {
			return fmt.Errorf("run %s: every completed request has a %s of 0, which a log axis cannot show: %w", r.id, metrics[0].what, ErrNoData)
		}
		if drawn == 0 {
			return noLatencies(r, metrics)
		}
	}
	b.addPanel(pan)
	return nil
}

// cdfCurve is a metric's quantiles as (value, probability) points in the
// axis unit, and the fraction of requests at exactly 0 when the axis is
// logarithmic (a log axis cannot show them; a queueing delay is often 0).
func cdfCurve(qs []float64, m cdfMetric, logX bool) (plotter.XYs, float64) {
	scale := m.scale
	if logX {
		scale = 1
	}
	pts := make(plotter.XYs, 0, len(qs))
	atZero, defined := 0.0, false
	for i, v := range qs {
		x := v * scale
		if math.IsNaN(x) || math.IsInf(x, 0) {
			continue
		}
		defined = true
		if logX && x <= 0 {
			atZero = cdfProbs[i]
			continue
		}
		pts = append(pts, plotter.XY{X: x, Y: cdfProbs[i]})
	}
	if !defined {
		return nil, 0
	}
	return pts, atZero
}

func cdfLabel(b *builder, r *run, m cdfMetric, several bool) legendLabel {
	if !b.overlay() {
		return plainLabel(m.label)
	}
	what := ""
	if several {
		what = m.label
	}
	label := r.legend(what)
	if note := r.sampleNote(); note != "" {
		label.tail += " (" + strings.TrimPrefix(note, "requests ") + ")"
	}
	return label
}

func noLatencies(r *run, metrics []cdfMetric) error {
	whats := make([]string, len(metrics))
	for i, m := range metrics {
		whats[i] = m.what
	}
	if r.noneArrived() {
		// The sample rate is beside the point: there was nothing to store.
		return fmt.Errorf("run %s: no request arrived in its %s simulated (requests_arrived 0), so there is no %s to plot (%w)",
			r.id, fmtHorizon(r.simNs, r.horizonNs), strings.Join(whats, " or "), ErrNoRequests)
	}
	if r.stored == 0 && r.status == data.StatusComplete {
		return fmt.Errorf("run %s stored no requests (request sample rate %s): %w; run it again with a larger output.request_sample_rate, or plot latency-time, which uses the per-window percentiles",
			r.id, pct(r.sampleRate), ErrNoRequests)
	}
	return fmt.Errorf("run %s (%s): none of its %d stored requests completed with a %s (%w)",
		r.id, r.status, r.stored, strings.Join(whats, " or "), ErrNoRequests)
}
