package tui

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"aiecon/data"
	"aiecon/model/format"
)

func TestForecastScreen(t *testing.T) {
	s := newForecastScreen(testShared(), "")
	if s.ref != "last" {
		t.Fatalf("ref %q, want last", s.ref)
	}
	s.resize(140, 20)
	if v := s.view(140, 20); !strings.Contains(v, "loading forecast") {
		t.Fatalf("before loading:\n%s", v)
	}
	var bands []data.ForecastBand
	for _, v := range []string{"owned-trn2", "rented-p5en"} {
		for p := 1; p <= 2; p++ {
			x := 1000.0 * float64(p)
			if v == "rented-p5en" {
				x *= 3
			}
			bands = append(bands,
				data.ForecastBand{Variant: v, Period: p, Metric: "revenue_usd", Unit: "USD", P10: x, P50: x, P90: x},
				data.ForecastBand{Variant: v, Period: p, Metric: "operating_margin", Unit: "fraction", P10: 0.1, P50: 0.2, P90: 0.3})
		}
	}
	f := &data.Forecast{ID: "1m90abcdefghjkm", Name: "plan", PeriodLength: "quarter", Periods: 2, Samples: 3}
	s.update(forecastLoadedMsg{addr: addr{s.sid}, forecast: f, bands: bands})
	v := s.view(140, 20)
	for _, want := range []string{"plan", "2 quarters · 3 samples", "variant owned-trn2 (1 of 2", "$2,000", "20.0%", "10.0%..30.0%"} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q:\n%s", want, v)
		}
	}
	s.update(keyMsg("v"))
	if v := s.view(140, 20); !strings.Contains(v, "variant rented-p5en (2 of 2") || !strings.Contains(v, "$6,000") {
		t.Errorf("after v:\n%s", v)
	}
	// At 100 columns a rented fleet shows its rent and an owned one its
	// depreciation (not the other's column of $0); from 80, the margin's
	// band.
	var withCosts []data.ForecastBand
	for _, v := range []string{"owned-trn2", "rented-p5en"} {
		rent, deprec := 0.0, 500.0
		if v == "rented-p5en" {
			rent, deprec = 700, 0
		}
		withCosts = append(withCosts,
			data.ForecastBand{Variant: v, Period: 1, Metric: "revenue_usd", Unit: "USD", P10: 9000, P50: 9000, P90: 9000},
			data.ForecastBand{Variant: v, Period: 1, Metric: "cost_rent_usd", Unit: "USD", P50: rent},
			data.ForecastBand{Variant: v, Period: 1, Metric: "cost_depreciation_usd", Unit: "USD", P50: deprec},
			data.ForecastBand{Variant: v, Period: 1, Metric: "operating_margin", Unit: "fraction", P10: 0.1, P50: 0.2, P90: 0.3},
			data.ForecastBand{Variant: v, Period: 1, Metric: "headroom", Unit: "fraction", P50: 0.5})
	}
	n := newForecastScreen(testShared(), "")
	n.resize(100, 20)
	n.update(forecastLoadedMsg{addr: addr{n.sid}, forecast: f, bands: withCosts})
	for _, tt := range []struct{ want, not string }{{"DEPREC", "RENT"}, {"RENT", "DEPREC"}} {
		v := n.view(100, 20)
		if !strings.Contains(v, tt.want) || strings.Contains(v, tt.not) || !strings.Contains(v, "10.0%..30.0%") {
			t.Errorf("100 columns: want %s and the margin's band, not %s:\n%s", tt.want, tt.not, v)
		}
		n.update(keyMsg("v"))
	}
	n.resize(80, 20)
	if v := n.view(80, 20); !strings.Contains(v, "10.0%..30.0%") {
		t.Errorf("80 columns: the operating margin's band is dropped:\n%s", v)
	}
	// A store without forecasts says how to make one.
	e := newForecastScreen(testShared(), "zz")
	e.update(forecastLoadedMsg{addr: addr{e.sid}, err: errors.New(`forecast "zz": no such forecast`)})
	if v := e.view(100, 20); !strings.Contains(v, "aiecon forecast") {
		t.Errorf("error view:\n%s", v)
	}
}

// TestForecastOneSample: a forecast of one sample says so and shows no
// P10..P90 band (it said "medians over the samples" and 87.4%..87.4%).
func TestForecastOneSample(t *testing.T) {
	s := newForecastScreen(testShared(), "")
	s.resize(140, 20)
	bands := []data.ForecastBand{
		{Variant: "owned-trn2", Period: 1, Metric: "revenue_usd", Unit: "USD", P10: 9000, P50: 9000, P90: 9000},
		{Variant: "owned-trn2", Period: 1, Metric: "operating_margin", Unit: "fraction", P10: 0.874, P50: 0.874, P90: 0.874}}
	f := &data.Forecast{ID: "1m90abcdefghjkm", Name: "plan", PeriodLength: "quarter", Periods: 1, Samples: 1}
	s.update(forecastLoadedMsg{addr: addr{s.sid}, forecast: f, bands: bands})
	v := s.view(140, 20)
	if !strings.Contains(v, "one sample") || strings.Contains(v, "medians over the samples") ||
		strings.Contains(v, "87.4%..87.4%") || strings.Contains(v, "P10..P90") || !strings.Contains(v, "87.4%") {
		t.Errorf("one sample:\n%s", v)
	}
}

// TestForecastScreenNamesCaveats: a forecast whose report carries notes on
// biased totals (commerce counted gross; a variant's idle-capacity
// training) or on totals known only roughly (a line worth few simulated
// sessions, SAMPLING, which it left out) names them under the table, with
// the command that prints them; the totals were shown with no word of them.
// UNFINISHED SESSIONS and RESERVED INSTANCES IDLE carry their size, the
// share of revenue and the idle rent the notes state: named alone, 40% of
// a forecast's revenue read as a footnote.
func TestForecastScreenNamesCaveats(t *testing.T) {
	report := `{"gross_commerce_workloads": ["shop"], "summary": [{"variant": "owned", "period": 1, "periods": [{"variant": "owned", "period": 1}]}]}`
	few := `{"summary": [{"variant": "owned", "period": 1, "samples_detail": [{"variant": "owned", "period": 1, "revenue_usd": 1000, ` +
		`"revenue_commerce_usd": 900, "commerce_effective_events": 25, "headroom": 0.5, "slo_attainment": 1}]}]}`
	// Revenue counted for agent sessions still running at a slice's end
	// (UNFINISHED SESSIONS), which the forecast's text report prints.
	cut := `{"summary": [{"variant": "owned", "period": 1, "samples_detail": [{"variant": "owned", "period": 1, "revenue_usd": 1000, ` +
		`"revenue_unfinished_counted_usd": 50, "revenue_unfinished_usd": 60, "headroom": 0.5, "slo_attainment": 1}, ` +
		`{"variant": "owned", "period": 1, "sample": 2, "revenue_usd": 1000, "revenue_unfinished_counted_usd": 80, "headroom": 0.5, "slo_attainment": 1}]}]}`
	// Reserved instances held and not run, in RENT (the P50 over samples
	// of each period, summed: $50k + $58k).
	idle := `{"period_length": "quarter", "summary": [` +
		`{"variant": "owned", "period": 2, "samples_detail": [{"variant": "owned", "period": 2, "reserved_idle_instances": 3, "reserved_idle_usd": 50000, "headroom": 0.5, "slo_attainment": 1}]}, ` +
		`{"variant": "owned", "period": 3, "samples_detail": [{"variant": "owned", "period": 3, "reserved_idle_instances": 3, "reserved_idle_usd": 58000, "headroom": 0.5, "slo_attainment": 1}]}]}`
	bands := []data.ForecastBand{{Variant: "owned", Period: 1, Metric: "revenue_usd", Unit: "USD", P10: 1, P50: 1, P90: 1}}
	for _, tt := range []struct{ report, want string }{
		{report, "caveats: COMMERCE COUNTED GROSS (aiecon compare --forecast"},
		{few, "caveats: SAMPLING (aiecon compare --forecast"},
		{cut, "caveats: UNFINISHED SESSIONS 5.0% to 8.0% of revenue (aiecon compare --forecast"},
		{idle, "caveats: RESERVED INSTANCES IDLE $108k (aiecon compare --forecast"},
		{"{}", ""},
	} {
		s := newForecastScreen(testShared(), "")
		s.resize(140, 20)
		f := &data.Forecast{ID: "1m90abcdefghjkm", Name: "plan", PeriodLength: "quarter", Periods: 1, Samples: 2, ReportJSON: tt.report}
		s.update(forecastLoadedMsg{addr: addr{s.sid}, forecast: f, bands: bands})
		v := s.view(140, 20)
		if (tt.want == "") == strings.Contains(v, "caveats:") || !strings.Contains(v, tt.want) {
			t.Errorf("report %s: want %q:\n%s", tt.report, tt.want, v)
		}
	}
}

// TestForecastScreenAbandonment: the agent sessions' abandonment each
// period stores (session_abandon_rate, aiecon forecast's ABANDON) has its
// column, as a percentage; a forecast without agent sessions, where the
// rate is undefined in every period, shows none rather than a column of
// dashes.
func TestForecastScreenAbandonment(t *testing.T) {
	f := &data.Forecast{ID: "1m90abcdefghjkm", Name: "plan", PeriodLength: "quarter", Periods: 2, Samples: 3}
	for _, tt := range []struct {
		rate []float64 // per period
		want []string
		not  string
	}{
		{[]float64{0.125, math.NaN()}, []string{"ABANDON", "12.5%"}, ""},
		{[]float64{math.NaN(), math.NaN()}, nil, "ABANDON"},
	} {
		var bands []data.ForecastBand
		for i, r := range tt.rate {
			bands = append(bands,
				data.ForecastBand{Variant: "owned", Period: i + 1, Metric: "revenue_usd", Unit: "USD", P10: 1, P50: 1, P90: 1},
				data.ForecastBand{Variant: "owned", Period: i + 1, Metric: "session_abandon_rate", Unit: "fraction", P10: r, P50: r, P90: r})
		}
		s := newForecastScreen(testShared(), "")
		s.resize(140, 20)
		s.update(forecastLoadedMsg{addr: addr{s.sid}, forecast: f, bands: bands})
		v := s.view(140, 20)
		for _, w := range tt.want {
			if !strings.Contains(v, w) {
				t.Errorf("rates %v: view lacks %q:\n%s", tt.rate, w, v)
			}
		}
		if tt.not != "" && strings.Contains(v, tt.not) {
			t.Errorf("rates %v: view shows %q:\n%s", tt.rate, tt.not, v)
		}
	}
}

// TestForecastAbandonmentKeptBesideSLO: at 120 columns a forecast with
// agent sessions shows ABANDON beside SLO (it was dropped while HEADROOM
// and an SLO of 100% stayed, until 200 columns), and where columns must
// go, HEADROOM goes before ABANDON.
func TestForecastAbandonmentKeptBesideSLO(t *testing.T) {
	f, bands := agentForecast()
	for _, tt := range []struct {
		w         int
		want, not []string
	}{
		{120, []string{"ABANDON", "30.0%", "SLO", "HEADROOM", "RENT", "P10..P90"}, nil},
		{85, []string{"ABANDON", "30.0%", "RENT", "P10..P90"}, []string{"HEADROOM"}},
	} {
		s := newForecastScreen(testShared(), "")
		s.resize(tt.w, 20)
		s.update(forecastLoadedMsg{addr: addr{s.sid}, forecast: f, bands: bands})
		v := s.view(tt.w, 20)
		for _, w := range tt.want {
			if !strings.Contains(v, w) {
				t.Errorf("%d columns: view lacks %q:\n%s", tt.w, w, v)
			}
		}
		for _, n := range tt.not {
			if strings.Contains(v, n) {
				t.Errorf("%d columns: view shows %q:\n%s", tt.w, n, v)
			}
		}
	}
}

// TestForecastSLONeverWithoutAbandon: an SLO attainment of 100% read
// without the sessions that gave up reads as a fleet that keeps up, so at
// no width does SLO show while ABANDON is dropped (at 81-84 columns SLO
// fitted where ABANDON did not; at 50 SLO showed alone).
func TestForecastSLONeverWithoutAbandon(t *testing.T) {
	f, bands := agentForecast()
	for w := 40; w <= 140; w++ {
		s := newForecastScreen(testShared(), "")
		s.resize(w, 20)
		s.update(forecastLoadedMsg{addr: addr{s.sid}, forecast: f, bands: bands})
		v := ansi.Strip(s.view(w, 20))
		if strings.Contains(v, "SLO") && !strings.Contains(v, "ABANDON") {
			t.Errorf("%d columns: SLO without ABANDON:\n%s", w, v)
		}
	}
}

// TestForecastErrorWraps: on a store without forecasts the panel's message
// wraps in the box rather than being cut (no such store (no runs st…).
func TestForecastErrorWraps(t *testing.T) {
	s := newForecastScreen(testShared(), "")
	why := `open /home/someone/projects/q3/aiecon.duckdb: no such store (no runs stored yet: aiecon run or aiecon forecast makes one)`
	s.update(forecastLoadedMsg{addr: addr{s.sid}, err: errors.New(why)})
	for _, w := range []int{80, 50} {
		v := ansi.Strip(s.view(w, 22))
		flat := strings.Join(strings.Fields(strings.NewReplacer("│", " ", "╭", " ", "╰", " ", "─", " ", "╮", " ", "╯", " ").Replace(v)), " ")
		if !strings.Contains(flat, why) || !strings.Contains(flat, ":forecast ID` opens one.") || strings.Contains(v, "…") {
			t.Errorf("%d columns: the message is cut:\n%s", w, v)
		}
	}
}

// TestForecastLockedStore: while another process writes the store the
// screen says so and offers R and S, as the other screens do, not the
// advice to run `aiecon forecast`; the breadcrumb names the forecast by
// its short id, as runs are.
func TestForecastLockedStore(t *testing.T) {
	sh := testShared()
	s := newForecastScreen(sh, "1m94hk3cjpcn4d2")
	le := &data.LockedError{Path: "x.duckdb", PID: 42, Program: "/usr/bin/aiecon"}
	s.update(forecastLoadedMsg{addr: addr{s.sid}, err: fmt.Errorf("reading: %w", le)})
	v := ansi.Strip(s.view(80, 22))
	flat := strings.Join(strings.Fields(strings.NewReplacer("│", " ").Replace(v)), " ")
	for _, want := range []string{"The store is in use", "R retry now", "S open a snapshot"} {
		if !strings.Contains(flat, want) {
			t.Errorf("the view lacks %q:\n%s", want, v)
		}
	}
	if strings.Contains(v, "aiecon forecast`") {
		t.Errorf("the view advises running a forecast:\n%s", v)
	}
	if got, want := s.title(), "Forecast "+sh.short("1m94hk3cjpcn4d2"); got != want || len(sh.short("1m94hk3cjpcn4d2")) >= 15 {
		t.Errorf("title %q, want %q", got, want)
	}
}

// agentForecast is a two-quarter forecast of one rented variant whose
// sessions abandon 30% while its SLO attainment is 100%.
func agentForecast() (*data.Forecast, []data.ForecastBand) {
	f := &data.Forecast{ID: "1m90abcdefghjkm", Name: "plan", PeriodLength: "quarter", Periods: 2, Samples: 3}
	vals := map[string]float64{"revenue_usd": 12.3e6, "cost_usd": 9.87e6, "cost_rent_usd": 4.56e6,
		"operating_margin_usd": 2.43e6, "operating_margin": 0.197, "cost_per_mtok_usd": 1.23,
		"headroom": 0.412, "slo_attainment": 1, "session_abandon_rate": 0.3}
	var bands []data.ForecastBand
	for p := 1; p <= 2; p++ {
		for m, v := range vals {
			bands = append(bands, data.ForecastBand{Variant: "rented", Period: p, Metric: m, P10: v * 0.9, P50: v, P90: v * 1.1})
		}
	}
	return f, bands
}

// TestForecastScreenShowsGrowth: the screen states the growth the
// forecast's periods compound, with its unit, in the words of aiecon
// forecast's GROWTH line (forecast.StoredGrowth); it stated none, so a
// quarter-on-quarter rise could not be told from the plan. At 80 columns
// the line wraps and the table keeps its rows; a report stored before
// growth was reported shows no line.
func TestForecastScreenShowsGrowth(t *testing.T) {
	report := `{"period_length": "quarter", "demand_growth": [` +
		`{"workload": "chat", "growth": "0.12/quarter", "rate": 0.12, "per": "quarter", "unit_given": true, "per_period": 0.12},` +
		`{"workload": "shopping-assistant", "growth": "0.3/year", "rate": 0.3, "per": "year", "unit_given": true, "per_period": 0.0678}]}`
	bands := []data.ForecastBand{
		{Variant: "owned", Period: 1, Metric: "revenue_usd", Unit: "USD", P10: 1000, P50: 1000, P90: 1000},
		{Variant: "owned", Period: 2, Metric: "revenue_usd", Unit: "USD", P10: 1120, P50: 1120, P90: 1120},
	}
	for _, tt := range []struct {
		report string
		w, h   int
		want   []string
	}{
		{report, 120, 40, []string{"growth: chat +12% a quarter (0.12/quarter); shopping-assistant +30% a year (0.3/year), +6.78% a quarter"}},
		{report, 80, 24, []string{"growth: chat +12% a quarter (0.12/quarter);", "shopping-assistant +30% a year", "$1,120"}},
		{"{}", 80, 24, nil},
	} {
		s := newForecastScreen(testShared(), "")
		s.resize(tt.w, tt.h)
		f := &data.Forecast{ID: "1m90abcdefghjkm", Name: "plan", PeriodLength: "quarter", Periods: 2, Samples: 1, ReportJSON: tt.report}
		s.update(forecastLoadedMsg{addr: addr{s.sid}, forecast: f, bands: bands})
		v := ansi.Strip(s.view(tt.w, tt.h))
		if (tt.want == nil) != !strings.Contains(v, "growth:") {
			t.Errorf("%dx%d, report %s: a growth line is owed exactly where the report states growth:\n%s", tt.w, tt.h, tt.report, v)
		}
		for _, want := range tt.want {
			if !strings.Contains(v, want) {
				t.Errorf("%dx%d: view lacks %q:\n%s", tt.w, tt.h, want, v)
			}
		}
		for i, l := range strings.Split(v, "\n") {
			if w := ansi.StringWidth(l); w > tt.w {
				t.Errorf("%dx%d: line %d is %d cells wide: %q", tt.w, tt.h, i+1, w, l)
			}
		}
	}
}

// TestForecastScreenWrapsCaveats: the caveats' line wraps where the width
// cannot hold it, as the growth line does, rather than lose its end (the
// last caveats' names, the command that prints them); and a forecast of
// one period says "1 quarter".
func TestForecastScreenWrapsCaveats(t *testing.T) {
	report := `{"gross_commerce_workloads": ["shop"], "summary": [{"variant": "owned", "period": 1, "periods": [{"variant": "owned", "period": 1}]}]}`
	bands := []data.ForecastBand{{Variant: "owned", Period: 1, Metric: "revenue_usd", Unit: "USD", P10: 1, P50: 1, P90: 1}}
	s := newForecastScreen(testShared(), "")
	s.resize(50, 20)
	f := &data.Forecast{ID: "1m90abcdefghjkm", Name: "plan", PeriodLength: "quarter", Periods: 1, Samples: 1, ReportJSON: report}
	s.update(forecastLoadedMsg{addr: addr{s.sid}, forecast: f, bands: bands})
	v := s.view(50, 20)
	words := strings.Join(strings.Fields(ansi.Strip(v)), " ")
	for _, want := range []string{"caveats: COMMERCE COUNTED GROSS (aiecon compare --forecast 1m90abcd prints them)", "1 quarter ·", "REVENUE"} {
		if !strings.Contains(words, want) {
			t.Errorf("at 50 columns the view lacks %q:\n%s", want, v)
		}
	}
	fitsIn(t, v, 50, 20)
}

// TestForecastScreenShowsTrueUp: the screen says how each minimum
// guarantee was trued up, in the words of aiecon forecast's TRUE-UP line
// (forecast.StoredTrueUps): annually, the LICENSE of a seasonal workload's
// low quarters holds no top-up and the quarter closing the year holds the
// year's, which a reader who assumed a quarterly true-up reads wrong. At
// 80 columns it wraps and the table keeps its rows; a report stored
// before it said (or without a guarantee) shows no line.
func TestForecastScreenShowsTrueUp(t *testing.T) {
	report := `{"period_length": "quarter", "period_hours": 2190, "guarantee_true_ups": [` +
		`{"contract": "retail-catalog", "workload": "shopping-assistant", "annual_usd": 40000, "true_up": "annual", "from": 1, ` +
		`"booked_in_periods": [4, 6], "partial_year_periods": 2}]}`
	bands := []data.ForecastBand{
		{Variant: "owned", Period: 1, Metric: "revenue_usd", Unit: "USD", P10: 1000, P50: 1000, P90: 1000},
		{Variant: "owned", Period: 2, Metric: "revenue_usd", Unit: "USD", P10: 1120, P50: 1120, P90: 1120},
	}
	for _, tt := range []struct {
		report string
		w, h   int
		want   []string
	}{
		{report, 300, 40, []string{"true-up: retail-catalog (shopping-assistant's minimum of $40k a year) trued up annually from quarter 1: " +
			"each contract year's shortfall below it is booked in the quarter that closes the year (4; 6 pro-rated)", "settled in quarter 6 against the guarantee pro-rated to them ($20k)"}},
		{report, 80, 24, []string{"true-up: retail-catalog", "$1,120"}},
		{"{}", 80, 24, nil},
	} {
		s := newForecastScreen(testShared(), "")
		s.resize(tt.w, tt.h)
		f := &data.Forecast{ID: "1m90abcdefghjkm", Name: "plan", PeriodLength: "quarter", Periods: 2, Samples: 1, ReportJSON: tt.report}
		s.update(forecastLoadedMsg{addr: addr{s.sid}, forecast: f, bands: bands})
		v := ansi.Strip(s.view(tt.w, tt.h))
		if (tt.want == nil) != !strings.Contains(v, "true-up:") {
			t.Errorf("%dx%d, report %s: a true-up line is owed exactly where the report states one:\n%s", tt.w, tt.h, tt.report, v)
		}
		for _, want := range tt.want {
			if !strings.Contains(v, want) {
				t.Errorf("%dx%d: view lacks %q:\n%s", tt.w, tt.h, want, v)
			}
		}
		for i, l := range strings.Split(v, "\n") {
			if w := ansi.StringWidth(l); w > tt.w {
				t.Errorf("%dx%d: line %d is %d cells wide: %q", tt.w, tt.h, i+1, w, l)
			}
		}
	}
}

// TestForecastSLOShownWhenAtRisk: at 80 columns the table fits only one of
// HEADROOM and SLO beside a fleet's P&L. Where the variant's report
// warns SLO AT RISK, the column it warns about is the one kept (a seasonal
// plan with 8.9% of its requests in the SLO showed HEADROOM and not SLO);
// without the warning HEADROOM still comes first.
func TestForecastSLOShownWhenAtRisk(t *testing.T) {
	atRisk := `{"period_length": "quarter", "samples": 3, "summary": [{"variant": "rented", "period": 1, "samples_detail": [` +
		`{"variant": "rented", "period": 1, "revenue_usd": 1000, "headroom": 0.412, "slo_attainment": 0.089}]}]}`
	f := &data.Forecast{ID: "1m90abcdefghjkm", Name: "plan", PeriodLength: "quarter", Periods: 2, Samples: 3}
	vals := map[string]float64{"revenue_usd": 12.3e6, "cost_usd": 9.87e6, "operating_margin_usd": 2.43e6,
		"operating_margin": 0.197, "cost_per_mtok_usd": 123.4, "headroom": 0.412, "slo_attainment": 0.089}
	var bands []data.ForecastBand
	for p := 1; p <= 2; p++ {
		for m, v := range vals {
			bands = append(bands, data.ForecastBand{Variant: "rented", Period: p, Metric: m, P10: v * 0.9, P50: v, P90: v * 1.1})
		}
	}
	for _, tt := range []struct {
		report, want, not string
	}{
		{atRisk, "SLO", "HEADROOM"},
		{"{}", "HEADROOM", "SLO"},
	} {
		s := newForecastScreen(testShared(), "")
		s.resize(80, 24)
		g := *f
		g.ReportJSON = tt.report
		s.update(forecastLoadedMsg{addr: addr{s.sid}, forecast: &g, bands: bands})
		v := ansi.Strip(s.view(80, 24))
		header := ""
		for _, line := range strings.Split(v, "\n") {
			if strings.Contains(line, "PERIOD") {
				header = line
			}
		}
		if !strings.Contains(header, tt.want) || strings.Contains(header, tt.not) {
			t.Errorf("report %s: want %s and not %s in the header %q:\n%s", tt.report, tt.want, tt.not, header, v)
		}
	}
}

// TestForecastShortScreenKeepsPeriods: on a short screen the notes above
// the table give way before its periods: folded to a line each, cut
// between caveats (never inside one, which read "UNFINISHED SESSIONS
// 10.6%" for "10.6% to 10.8% of revenue") with how many more, then the
// growth and true-up dropped; where the periods still do not all fit, a
// line under the table says which show. At 60x12 the notes took all but
// two rows, and the table showed one of two periods with nothing to say so.
func TestForecastShortScreenKeepsPeriods(t *testing.T) {
	caveats := []string{"COMMERCE COUNTED GROSS", "CAPACITY BLOCKS SIZED BY SLICE", "WHOLE INSTANCES", "SAMPLING",
		"UNFINISHED SESSIONS 10.6% to 10.8% of revenue"}
	for _, tt := range []struct {
		w, h, periods int
		mark          string // "": every period shows, and no mark
	}{
		{60, 12, 2, ""},
		{60, 13, 2, ""},
		{80, 14, 2, ""},
		{120, 40, 2, ""},
		{60, 12, 12, "periods 1–7 of 12"},
	} {
		var bands []data.ForecastBand
		for p := 1; p <= tt.periods; p++ {
			bands = append(bands, data.ForecastBand{Variant: "rented", Period: p, Metric: "revenue_usd", Unit: "USD", P10: 1000, P50: float64(1000 + p), P90: 1000})
		}
		s := newForecastScreen(testShared(), "")
		s.resize(tt.w, tt.h)
		f := &data.Forecast{ID: "1m90abcdefghjkm", Name: "plan", PeriodLength: "quarter", Periods: tt.periods, Samples: 1, ReportJSON: "{}"}
		s.update(forecastLoadedMsg{addr: addr{s.sid}, forecast: f, bands: bands})
		s.caveats = strings.Join(caveats, ", ")
		s.growth = "chat +12% a quarter (0.12/quarter); shopping-assistant +30% a year (0.3/year), +6.78% a quarter"
		s.trueUp = "retail-catalog (shopping-assistant's minimum of $40k a year) trued up annually from quarter 1"
		s.sizeTable()
		raw := s.view(tt.w, tt.h)
		fitsIn(t, raw, tt.w, tt.h)
		v := ansi.Strip(raw)
		shown := tt.periods
		if tt.mark != "" {
			shown = 7
			if !strings.Contains(v, tt.mark) {
				t.Errorf("%dx%d: no line says %q:\n%s", tt.w, tt.h, tt.mark, v)
			}
		} else if strings.Contains(v, "periods ") {
			t.Errorf("%dx%d: a mark where every period shows:\n%s", tt.w, tt.h, v)
		}
		for p := 1; p <= shown; p++ {
			if want := fmt.Sprintf("$%s", format.Thousands(int64(1000+p))); !strings.Contains(v, want) {
				t.Errorf("%dx%d: period %d (%s) does not show:\n%s", tt.w, tt.h, p, want, v)
			}
		}
		words := strings.Join(strings.Fields(v), " ")
		if !strings.Contains(words, "caveats: ") {
			t.Errorf("%dx%d: the caveats line is gone:\n%s", tt.w, tt.h, v)
		}
		if strings.Contains(words, "UNFINISHED SESSIONS") && !strings.Contains(words, caveats[4]) {
			t.Errorf("%dx%d: a caveat is cut inside:\n%s", tt.w, tt.h, v)
		}
	}
}

// TestForecastCostLegend: RENT and DEPREC sit beside COST, which already
// holds them, so a line says they are part of it (a reader added them
// to COST); none where the table shows neither.
func TestForecastCostLegend(t *testing.T) {
	for _, tc := range []struct {
		name         string
		samples      int
		rent, deprec float64
		want, not    string
	}{
		{"owned", 1, 0, 92593, "DEPREC is part of COST, not a cost beside it: OP MARGIN = REVENUE − COST", "median"},
		{"rented", 1, 231030, 0, "RENT is part of COST, not a cost beside it", ""},
		{"both", 1, 1000, 2000, "RENT and DEPREC are part of COST, not costs beside it", ""},
		{"neither", 1, 0, 0, "", ""},
		// Medians of separate metrics need not add up: rented-trn2's Q8
		// read $8.8k off the identity the line stated for them.
		{"medians", 20, 231030, 0, "OP MARGIN = REVENUE − COST in each sample; the columns are medians, which need not add up", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := &data.Forecast{ID: "1m90abcdefghjkm", Name: "plan", PeriodLength: "quarter", Periods: 1, Samples: tc.samples}
			bands := []data.ForecastBand{
				{Variant: "v", Period: 1, Metric: "revenue_usd", Unit: "USD", P50: 1.48e6},
				{Variant: "v", Period: 1, Metric: "cost_usd", Unit: "USD", P50: 183198},
				{Variant: "v", Period: 1, Metric: "cost_rent_usd", Unit: "USD", P50: tc.rent},
				{Variant: "v", Period: 1, Metric: "cost_depreciation_usd", Unit: "USD", P50: tc.deprec},
				{Variant: "v", Period: 1, Metric: "operating_margin_usd", Unit: "USD", P50: 1.29e6},
			}
			s := newForecastScreen(testShared(), "")
			s.resize(80, 24)
			s.update(forecastLoadedMsg{addr: addr{s.sid}, forecast: f, bands: bands})
			v := ansi.Strip(s.view(80, 24))
			words := strings.Join(strings.Fields(v), " ")
			switch {
			case tc.want == "" && strings.Contains(v, "part of COST"):
				t.Errorf("a legend with no RENT or DEPREC shown:\n%s", v)
			case tc.want != "" && !strings.Contains(words, tc.want):
				t.Errorf("view lacks %q:\n%s", tc.want, v)
			case tc.not != "" && strings.Contains(words, tc.not):
				t.Errorf("one sample's view speaks of %q:\n%s", tc.not, v)
			}
		})
	}
}

// TestForecastNotesUseTheRowsLeft: where the notes do not all fit wrapped,
// only those that must fold onto a line, last first: at 80x24 a 12-quarter
// forecast with many caveats cut its growth and true-up lines with "…"
// while rows under the table stayed blank; now they show whole and the
// caveats alone fold (80x21 here: 6 rows for 9 lines of notes).
func TestForecastNotesUseTheRowsLeft(t *testing.T) {
	const periods = 12
	caveats := []string{"COMMERCE COUNTED GROSS", "CAPACITY BLOCKS SIZED BY SLICE", "WHOLE INSTANCES", "SAMPLING",
		"UNFINISHED SESSIONS 10.6% to 10.8% of revenue", "SESSIONS ABANDONED", "FRESHNESS MODELLED IN PART",
		"PRICE FROM A MIRROR", "EXTRAPOLATED STEP TIMES", "SPOT INTERRUPTIONS", "RESERVED TERMS", "UTILISATION"}
	var bands []data.ForecastBand
	for p := 1; p <= periods; p++ {
		bands = append(bands, data.ForecastBand{Variant: "rented", Period: p, Metric: "revenue_usd", Unit: "USD", P10: 1000, P50: float64(1000 + p), P90: 1000})
	}
	for _, tt := range []struct {
		w, h int
		want []string // whole in the screen's words
	}{
		{80, 21, []string{"shopping-assistant +30% a year (0.3/year), +6.78% a quarter", "trued up annually from quarter 1", "caveats: COMMERCE COUNTED GROSS", "… 10 more"}},
		{120, 40, []string{"shopping-assistant +30% a year (0.3/year), +6.78% a quarter", "trued up annually from quarter 1", caveats[len(caveats)-1]}},
	} {
		s := newForecastScreen(testShared(), "")
		s.resize(tt.w, tt.h)
		f := &data.Forecast{ID: "1m90abcdefghjkm", Name: "plan", PeriodLength: "quarter", Periods: periods, Samples: 1, ReportJSON: "{}"}
		s.update(forecastLoadedMsg{addr: addr{s.sid}, forecast: f, bands: bands})
		s.caveats = strings.Join(caveats, ", ")
		s.growth = "chat +12% a quarter (0.12/quarter); shopping-assistant +30% a year (0.3/year), +6.78% a quarter"
		s.trueUp = "retail-catalog (shopping-assistant's minimum of $40k a year) trued up annually from quarter 1"
		s.sizeTable()
		raw := s.view(tt.w, tt.h)
		fitsIn(t, raw, tt.w, tt.h)
		v := ansi.Strip(raw)
		words := strings.Join(strings.Fields(v), " ")
		for _, want := range tt.want {
			if !strings.Contains(words, want) {
				t.Errorf("%dx%d: %q does not show whole:\n%s", tt.w, tt.h, want, v)
			}
		}
		for p := 1; p <= periods; p++ {
			if want := fmt.Sprintf("$%s", format.Thousands(int64(1000+p))); !strings.Contains(v, want) {
				t.Errorf("%dx%d: period %d (%s) does not show:\n%s", tt.w, tt.h, p, want, v)
			}
		}
	}
}
