package chart

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"aiecon/sim"
)

func TestFiniteRuns(t *testing.T) {
	nan := math.NaN()
	xy := func(ys ...float64) plotter.XYs {
		pts := make(plotter.XYs, len(ys))
		for i, y := range ys {
			pts[i] = plotter.XY{X: float64(i), Y: y}
		}
		return pts
	}
	for _, tc := range []struct {
		name string
		in   plotter.XYs
		want []int // lengths of the runs
	}{
		{"empty", nil, nil},
		{"all finite", xy(1, 2, 3), []int{3}},
		{"all NaN", xy(nan, nan), nil},
		{"gap in the middle", xy(1, 2, nan, 4, 5, 6), []int{2, 3}},
		{"leading and trailing gaps", xy(nan, 1, 2, nan), []int{2}},
		{"isolated point", xy(nan, 1, nan, 2, 3), []int{1, 2}},
		{"infinity breaks too", xy(1, math.Inf(1), 2), []int{1, 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := finiteRuns(tc.in)
			if len(got) != len(tc.want) {
				t.Fatalf("%d runs %v, want lengths %v", len(got), got, tc.want)
			}
			for i, r := range got {
				if len(r) != tc.want[i] {
					t.Errorf("run %d has %d points, want %d", i, len(r), tc.want[i])
				}
			}
		})
	}
}

func TestShortIDs(t *testing.T) {
	for _, tc := range []struct {
		ids, want []string
	}{
		{[]string{"1m89yqgts12yp42", "1m89yqgxt000000"}, []string{"1m89yqgts", "1m89yqgxt"}},
		// Runs of one sweep started in the same millisecond differ only in
		// their random part.
		{[]string{"1m89yqgts12yp42", "1m89yqgts12yp43"}, []string{"1m89yqgts12yp42", "1m89yqgts12yp43"}},
		{[]string{"1m89yqgts12yp42", "1m89yqgts13yp42"}, []string{"1m89yqgts12", "1m89yqgts13"}},
		{[]string{"1m89yqgts12yp42"}, []string{"1m89yqgts"}},
	} {
		got := shortIDs(tc.ids, minShortID)
		if strings.Join(got, ",") != strings.Join(tc.want, ",") {
			t.Errorf("shortIDs(%v) = %v, want %v", tc.ids, got, tc.want)
		}
	}
}

func TestFormatting(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{fmtHorizon(int64(5*time.Minute), 0), "5m"},
		{fmtHorizon(0, int64(time.Hour)), "1h"},
		{fmtHorizon(int64(90*time.Minute), int64(time.Hour)), "1h30m"},
		{fmtHorizon(int64(90*time.Second), 0), "1m30s"},
		{fmtHorizon(int64(7*24*time.Hour), 0), "7d"},
		{fmtHorizon(int64(25*time.Hour), 0), "25h"},
		{pct(0.5), "50%"},
		{pct(1), "100%"},
		{pct(0.001), "0.1%"},
		{pct(1e-6), "0.0001%"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

func TestTimeAxis(t *testing.T) {
	if a := newTimeAxis(int64(3 * time.Hour)); a.label != "simulated time (min)" || a.perNs*float64(time.Hour) != 60 {
		t.Errorf("3 h: %+v, want minutes", a)
	}
	if a := newTimeAxis(int64(3*time.Hour) + 1); a.label != "simulated time (h)" || a.perNs*float64(time.Hour) != 1 {
		t.Errorf("3 h + 1 ns: %+v, want hours", a)
	}
}

// The windows' abandoned count is of agent sessions, not requests: the
// throughput chart draws it on an axis of its own, which it leaves out for a
// fleet without abandoned sessions, and the kind's description says so.
func TestAbandonedSessionsAxis(t *testing.T) {
	const span = int64(10 * time.Second)
	w := sim.WindowRecord{EndNs: span, Abandoned: 20}
	var drawn []string
	var sessions seriesPanel
	for _, p := range throughputPanels {
		for _, s := range p.series {
			if v := s.value(&w); v != 0 {
				drawn = append(drawn, fmt.Sprintf("%s on %s = %v", s.label, p.yLabel, v))
				sessions = p
			}
		}
	}
	if want := "abandoned sessions on abandoned sessions/s = 2"; len(drawn) != 1 || drawn[0] != want {
		t.Fatalf("20 sessions abandoned in 10 s drawn as %q, want %q", drawn, want)
	}
	for _, k := range Kinds() {
		if k.Name == "throughput" && !strings.Contains(k.Description, "abandoned agent sessions per second") {
			t.Errorf("throughput description %q does not say abandoned counts sessions", k.Description)
		}
	}
	b := &builder{runs: []*run{{id: "x", short: "x"}}, st: newStyle(DefaultWidthPx, DefaultHeightPx)}
	for _, tc := range []struct {
		abandoned int64
		want      bool
	}{{0, false}, {20, true}} {
		ws := [][]sim.WindowRecord{{{EndNs: span, Abandoned: tc.abandoned}}}
		if got := seriesPlot(b, sessions, ws, newTimeAxis(span), span) != nil; got != tc.want {
			t.Errorf("%d sessions abandoned: panel drawn %v, want %v", tc.abandoned, got, tc.want)
		}
	}
}

func TestFitText(t *testing.T) {
	sty := newStyle(DefaultWidthPx, DefaultHeightPx).text(legendPt)
	short := "1m89yqgts base"
	if got := fitText(sty, short, sty.Width(short)); got != short {
		t.Errorf("text that fits changed to %q", got)
	}
	long := strings.Repeat("a very long run name ", 10)
	maxW := sty.Width(long) / 3
	got := fitText(sty, long, maxW)
	if !strings.HasSuffix(got, "…") || sty.Width(got) > maxW || !strings.HasPrefix(long, strings.TrimSuffix(got, "…")) {
		t.Errorf("fitText gave %q (%v wide, max %v)", got, sty.Width(got), maxW)
	}
	if got := fitText(sty, long, 0); got != "" {
		t.Errorf("no room: got %q, want empty", got)
	}
}

func TestFitLabel(t *testing.T) {
	sty := newStyle(DefaultWidthPx, DefaultHeightPx).text(legendPt)
	l := legendLabel{head: "TTFT p99 · 1m93c9g82 ", name: "fleet-size: x1 workloads[chat].arrivals.rate=2/s", tail: " (sampled at 50%)"}
	w := func(s string) vg.Length { return sty.Width(s) }
	for _, tc := range []struct {
		name string
		maxW vg.Length
		want string // "": check the shape only
	}{
		{"fits", w(l.String()), l.String()},
		{"name cut in the middle", w(l.String()) - w("workloads[chat]"), ""},
		{"name down to an ellipsis", w(l.head + "…" + l.tail), l.head + "…" + l.tail},
		{"head and tail too wide: cut from the end", w("TTFT p99 · 1m9…"), "TTFT p99 · 1m9…"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := fitLabel(sty, l, tc.maxW)
			if w(got) > tc.maxW {
				t.Errorf("%q is %v wide, max %v", got, w(got), tc.maxW)
			}
			if tc.want != "" {
				if got != tc.want {
					t.Errorf("got %q, want %q", got, tc.want)
				}
				return
			}
			// The name keeps its start and its end: the parameter value
			// that tells two sweep points apart.
			if !strings.HasPrefix(got, l.head+"fleet-size") || !strings.HasSuffix(got, "rate=2/s"+l.tail) || !strings.Contains(got, "…") {
				t.Errorf("got %q, want the name cut in its middle and head and tail whole", got)
			}
		})
	}
}

func labels(ticks []plot.Tick, min, max float64) []string {
	var out []string
	for _, t := range ticks {
		if t.Label != "" && t.Value >= min*(1-1e-9) && t.Value <= max*(1+1e-9) {
			out = append(out, t.Label)
		}
	}
	return out
}

func TestNiceTicks(t *testing.T) {
	for _, tc := range []struct {
		min, max float64
		want     string
	}{
		{0, 208, "0 50 100 150 200"},  // revenue USD/h: gonum labelled 0 and 200
		{0, 104, "0 20 40 60 80 100"}, // a percentage axis with headroom
		{-35, 60, "-20 0 20 40 60"},   // a negative margin
		{0, 1, "0 0.2 0.4 0.6 0.8 1"}, // a fraction
		{0, 0.27, "0 0.05 0.1 0.15 0.2 0.25"},
		{0, 9.6, "0 2 4 6 8"},
		{0, 11, "0 2 4 6 8 10"},
		{0, 0.012, "0 0.002 0.004 0.006 0.008 0.01 0.012"},
		{0, 23, "0 5 10 15 20"},
		{1000, 1001, "1000 1000.2 1000.4 1000.6 1000.8 1001"},
		{0, 17.5, "0 2.5 5 7.5 10 12.5 15 17.5"},
	} {
		got := labels(niceTicks{}.Ticks(tc.min, tc.max), tc.min, tc.max)
		if strings.Join(got, " ") != tc.want {
			t.Errorf("niceTicks(%v, %v) = %q, want %q", tc.min, tc.max, got, tc.want)
		}
		if len(got) < 3 || len(got) > 8 {
			t.Errorf("niceTicks(%v, %v): %d labels, want 3 to 8", tc.min, tc.max, len(got))
		}
	}
}

// TestNiceTicksDegenerate: no range panics or hangs the ticker. A flat
// range has one tick at its value; one without finite ends, or reversed,
// none; a range wider than the largest float steps as any other. gonum's
// DefaultTicks, the fallback for flat ranges, panicked on them ("illegal
// range", a forecast margin of 1e22), and stepping a width of a few float
// spacings looped.
func TestNiceTicksDegenerate(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	for _, tc := range []struct {
		min, max float64
		want     string // money labels
	}{
		{0, 0, "$0"},
		{7, 7, "$7"},
		{1e16, 1e16, "$1e+16"},
		{1e22, 1e22, "$1e+22"},
		{-1e22, -1e22, "-$1e+22"},
		{1e308, 1e308, "$1e+308"},
		{math.MaxFloat64, math.MaxFloat64, "$1.8e+308"},
		{1e22, math.Nextafter(1e22, inf), "$1e+22"},          // one float spacing apart
		{1e22, 1e22 + 1e9, "$1e+22"},                         // a few hundred spacings
		{-1e308, 1e308, "-$5e+307 $0 $5e+307 $1e+308"},       // a width past the largest float
		{0, math.MaxFloat64, "$0 $5e+307 $1e+308 $1.5e+308"}, // no +Inf tick
		{0, 5e-324, "$0"},                                    // the smallest float
		{1e15, 1e15 + 7, "$1e+15"},                           // a width of 7e-15 of the value: flat
		{nan, 1, ""},
		{1, nan, ""},
		{-inf, inf, ""},
		{0, inf, ""},
		{5, 3, ""},
	} {
		done := make(chan []plot.Tick, 1)
		go func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("niceTicks(%v, %v) panicked: %v", tc.min, tc.max, r)
					done <- nil
				}
			}()
			done <- moneyTicks{niceTicks{}}.Ticks(tc.min, tc.max)
		}()
		var ticks []plot.Tick
		select {
		case ticks = <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("niceTicks(%v, %v) did not return", tc.min, tc.max)
		}
		var got []string
		for _, tk := range ticks {
			// Within float noise of the ends, as labels() allows.
			if lo, hi := tc.min-1e-9*math.Abs(tc.min), tc.max+1e-9*math.Abs(tc.max); math.IsNaN(tk.Value) || math.IsInf(tk.Value, 0) || tk.Value < lo || tk.Value > hi {
				t.Errorf("niceTicks(%v, %v): tick %v outside the range", tc.min, tc.max, tk.Value)
			}
			got = append(got, tk.Label)
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("niceTicks(%v, %v) = %q, want %q", tc.min, tc.max, got, tc.want)
		}
	}
}

func TestLogTicks(t *testing.T) {
	for _, tc := range []struct {
		min, max float64
		want     string
	}{
		{0.001, 30, "0.001 0.01 0.1 1 10"},         // decades: powers of ten only
		{0.02, 0.5, "0.02 0.05 0.1 0.2 0.5"},       // under two decades: 1, 2, 5
		{0.22, 0.9, "0.3 0.4 0.5 0.6 0.7 0.8 0.9"}, // within one 1-2-5 step: every digit
		{3e-5, 2e-4, "0.00005 0.0001 0.0002"},      // no exponent beside plain decimals
		{5e4, 3e6, "100000 1000000"},
	} {
		got := labels(logTicks{}.Ticks(tc.min, tc.max), tc.min, tc.max)
		if strings.Join(got, " ") != tc.want {
			t.Errorf("logTicks(%v, %v) = %q, want %q", tc.min, tc.max, got, tc.want)
		}
	}
}

func TestMoneyTicks(t *testing.T) {
	for _, tc := range []struct {
		ticker   plot.Ticker
		min, max float64
		want     string
	}{
		{niceTicks{}, 0, 2.6e6, "$0 $500k $1M $1.5M $2M $2.5M"}, // a quarter's margin
		{niceTicks{}, -1.1e6, 6e5, "-$1M -$750k -$500k -$250k $0 $250k $500k"},
		{niceTicks{}, 0, 0.6, "$0 $0.1 $0.2 $0.3 $0.4 $0.5 $0.6"},
		{niceTicks{}, 0, 3.5e9, "$0 $500M $1B $1.5B $2B $2.5B $3B $3.5B"},
		{logTicks{}, 5e4, 3e6, "$100k $1M"}, // revenue by line: no 1e+06 beside 100000
		{logTicks{}, 200, 9e3, "$200 $500 $1k $2k $5k"},
		// A flat margin of -6.57e18 as the chart widens it: an exponent
		// with the digits that tell the ticks apart, not -$6.57e+18 x 7.
		{niceTicks{}, -6.57e18 - 6.57e12, -6.57e18 + 6.57e12,
			"-$6.570006e+18 -$6.570004e+18 -$6.570002e+18 -$6.57e+18 -$6.569998e+18 -$6.569996e+18 -$6.569994e+18"},
	} {
		got := labels(moneyTicks{tc.ticker}.Ticks(tc.min, tc.max), tc.min, tc.max)
		if strings.Join(got, " ") != tc.want {
			t.Errorf("moneyTicks{%T}(%v, %v) = %q, want %q", tc.ticker, tc.min, tc.max, got, tc.want)
		}
	}
}

func TestFormatFor(t *testing.T) {
	for _, tc := range []struct {
		path string
		want Format
		err  string
	}{
		{"a.png", PNG, ""},
		{"dir.v2/A.PNG", PNG, ""},
		{"a.svg", SVG, ""},
		{"a.jpg", "", `".jpg"`},
		{"a.pdf", "", `".pdf"`},
		{"plot", "", "no extension"},
	} {
		got, err := FormatFor(tc.path)
		if tc.err == "" {
			if err != nil || got != tc.want {
				t.Errorf("FormatFor(%q) = %q, %v; want %q", tc.path, got, err, tc.want)
			}
			continue
		}
		if !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), tc.err) || !strings.Contains(err.Error(), tc.path) {
			t.Errorf("FormatFor(%q) error %v: want ErrFormat naming %s and the path", tc.path, err, tc.err)
		}
	}
}

func TestCheckSize(t *testing.T) {
	for _, tc := range []struct {
		w, h int
		ok   bool
	}{
		{800, 500, true}, {100, 100, true}, {8000, 8000, true},
		{99, 500, false}, {800, 8001, false}, {0, 500, false}, {-800, 500, false},
	} {
		err := CheckSize(tc.w, tc.h)
		if (err == nil) != tc.ok || (err != nil && !errors.Is(err, ErrBadSize)) {
			t.Errorf("CheckSize(%d, %d) = %v, want ok=%v", tc.w, tc.h, err, tc.ok)
		}
	}
}

func TestSVGSizeInPixels(t *testing.T) {
	in := []byte("<?xml version=\"1.0\"?>\n<svg width=\"600pt\" height=\"375pt\" viewBox=\"0 0 600 375\"\n>")
	out, err := svgSizeInPixels(in, 800, 500)
	if err != nil {
		t.Fatal(err)
	}
	if want := []byte(`<svg width="800px" height="500px" viewBox="0 0 600 375"`); !bytes.Contains(out, want) {
		t.Errorf("got %s, want it to contain %s", out, want)
	}
	if _, err := svgSizeInPixels([]byte("<html/>"), 800, 500); err == nil {
		t.Error("no <svg> header: want an error")
	}
}

// The series of the time-series charts turn window totals into rates.
func TestSeriesValues(t *testing.T) {
	w := &sim.WindowRecord{StartNs: int64(60 * time.Second), EndNs: int64(70 * time.Second), Arrivals: 300, Completions: 50,
		OutputTokens: 12000, BusyFrac: 0.75, RevenueUSD: 0.5, CostUSD: 2, TPOTP99S: 0.042}
	find := func(panels []seriesPanel, label string) series {
		for _, p := range panels {
			for _, s := range p.series {
				if s.label == label {
					return s
				}
			}
		}
		t.Fatalf("no series %q", label)
		return series{}
	}
	for _, tc := range []struct {
		panels []seriesPanel
		label  string
		want   float64
	}{
		{throughputPanels, "arrived", 30},
		{throughputPanels, "completed", 5},
		{throughputPanels, "output (generated)", 1200},
		{utilizationPanels, "busy time (iterating)", 75},
		{revenueTimePanels, "revenue", 180},
		{revenueTimePanels, "fleet cost", 720},
		{revenueTimePanels, "margin", -540},
		{latencyTimePanels, "TPOT p99", 42},
	} {
		if got := find(tc.panels, tc.label).value(w); math.Abs(got-tc.want) > 1e-9*math.Abs(tc.want) {
			t.Errorf("%s = %v, want %v", tc.label, got, tc.want)
		}
	}
	pts := windowPoints([]sim.WindowRecord{*w}, newTimeAxis(int64(time.Hour)), func(*sim.WindowRecord) float64 { return 1 })
	if math.Abs(pts[0].X-65.0/60) > 1e-12 {
		t.Errorf("window [60 s, 70 s) plotted at %v min, want its middle, 65 s", pts[0].X)
	}
}
