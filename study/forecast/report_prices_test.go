package forecast

import (
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"
)

// TestTrueUpBookedWhereShort: booked_in_periods lists the periods in
// which a shortfall was booked, and settles_in_periods those that close a
// span; LICENSE splits into the per-use fees, the flat fees and the
// top-up, which add up to it. The example's guarantee, met every year,
// read "booked in_periods": [4, 8], and a $874k top-up appeared in no
// output. Fees as TestGuaranteeTrueUp's: $100k, $200k, $300k, $500k, then
// $100k and $300k against $1M a year; the flat archive fee is $10k a
// quarter from quarter 2.
func TestTrueUpBookedWhereShort(t *testing.T) {
	fees := []float64{100e3, 200e3, 300e3, 500e3, 100e3, 300e3}
	for _, tt := range []struct {
		name, extra     string
		fees            []float64
		settles, booked []int
		line            string
	}{
		{"annual: year 2 short", "", fees, []int{4, 6}, []int{6}, "; a shortfall was booked in quarter 6 (licensing_true_up_usd in --json)"},
		{"every quarter", ", true_up: period", fees, []int{1, 2, 3, 4, 5, 6}, []int{1, 2, 5}, "; a shortfall was booked in quarters 1-2, 5"},
		{"never short", "", []float64{300e3, 300e3, 300e3, 300e3, 600e3, 600e3}, []int{4, 6}, []int{}, "; no shortfall was booked: the fees met the minimum"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := parse(t, seasonal(6, tt.extra))
			periods := Aggregate(f, seasonalRuns(f, tt.fees))
			for _, p := range periods {
				flat := 0.0
				if p.Period >= 2 {
					flat = 10e3
				}
				booked := slices.Contains(tt.booked, p.Period)
				if !near(p.LicensingPerUseUSD, tt.fees[p.Period-1]) || !near(p.LicensingFlatUSD, flat) ||
					(p.LicensingTrueUpUSD > 0) != booked || (p.LicensingTrueUpBy["guarantee"] > 0) != booked ||
					!near(p.LicensingPerUseUSD+p.LicensingFlatUSD+p.LicensingTrueUpUSD, p.CostLicensingUSD) {
					t.Errorf("quarter %d: per use $%.0f, flat $%.0f, top-up $%.0f (%v) of $%.0f; want $%.0f, $%.0f, a top-up %v",
						p.Period, p.LicensingPerUseUSD, p.LicensingFlatUSD, p.LicensingTrueUpUSD, p.LicensingTrueUpBy, p.CostLicensingUSD,
						tt.fees[p.Period-1], flat, booked)
				}
			}
			r := NewReport(f, periods, len(periods))
			if tu := r.TrueUps[0]; !slices.Equal(tu.Settles, tt.settles) || !slices.Equal(tu.Books, tt.booked) {
				t.Errorf("settles %v, booked %v; want %v, %v", tu.Settles, tu.Books, tt.settles, tt.booked)
			}
			body, err := json.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			if got := StoredTrueUps(string(body)); !strings.Contains(got, tt.line) {
				t.Errorf("true-up words %q, want them to hold %q", got, tt.line)
			}
		})
	}
	// A report stored when booked_in_periods held the settling periods
	// reads them as those, and says nothing of what was booked.
	old := `{"name":"old","period_length":"quarter","summary":[{"variant":"v","period":4}],"guarantee_true_ups":[{"contract":"g","workload":"w",` +
		`"annual_usd":50000,"true_up":"annual","from":1,"booked_in_periods":[4,8]}]}`
	if got := StoredTrueUps(old); !strings.Contains(got, "closes the year (4, 8)") || strings.Contains(got, "booked in quarter") ||
		strings.Contains(got, "no shortfall") {
		t.Errorf("a report stored before: %q", got)
	}
}

// TestPricesAndFlatFeesNamed: a price step, the elasticity it meets and
// the volume it makes are named under the header and in each period's
// demand in --json, and a flat contract in a LICENSING line: a 30% cut
// from quarter 3 took revenue from $710k to $552k with nothing naming it,
// and a flat fee's start read as LICENSE jumping for no reason.
func TestPricesAndFlatFeesNamed(t *testing.T) {
	src := strings.Replace(small, "  chat: {growth: 0.5}", "  chat: {growth: 0.5, elasticity: -1.11, prices: [{from: 2, multiplier: 0.7}]}", 1)
	f := parse(t, src)
	runs := []RunResult{{Job: Job{Variant: 1, Period: 1}, SimHours: 0.05, KPIs: map[string]float64{}},
		{Job: Job{Variant: 1, Period: 2}, SimHours: 0.05, KPIs: map[string]float64{}}}
	periods := Aggregate(f, runs)
	for _, p := range periods {
		i := slices.IndexFunc(p.Demand, func(d WorkloadDemand) bool { return d.Workload == "chat" })
		if i < 0 {
			t.Fatalf("quarter %d: no chat in demand %+v", p.Period, p.Demand)
		}
		d := p.Demand[i]
		ratio, growth := 1.0, 1.0
		if p.Period == 2 {
			ratio, growth = 0.7, 1.5
		}
		if !near(d.PriceRatio, ratio) || !near(d.Growth, growth) || d.Elasticity != -1.11 || !near(d.Volume, growth*math.Pow(ratio, -1.11)) {
			t.Errorf("quarter %d: chat's demand %+v, want price ratio %v, growth %v, volume %v", p.Period, d, ratio, growth, growth*math.Pow(ratio, -1.11))
		}
	}
	var b strings.Builder
	if err := NewReport(f, periods, len(runs)).WriteText(&b); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"PRICES (the plan's steps on the base scenario's prices, before growth and the Monte Carlo price draw; each period's price_ratio and " +
			"volume by workload are in --json's demand): chat x0.7 from quarter 2, elasticity -1.11 (workloads.chat.elasticity): volume x1.49\n",
		"LICENSING (in LICENSE, beside the per-use fees and any guarantee's top-up; each period's licensing_per_use_usd, licensing_flat_usd " +
			"and licensing_true_up_usd are in --json): archive flat $40k a year ($10k a quarter) from quarter 2\n",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("no line\n%s\nin\n%s", want, b.String())
		}
	}
}

// TestCumulativeMargin: each period's operating margin summed from period
// 1, per sample, then banded, and a CUM MARGIN line giving its median
// and the period from which it stays positive; a shard without period 1
// has none. The table gave margins per period alone, so when a plan pays
// back its early losses had to be added up by hand.
func TestCumulativeMargin(t *testing.T) {
	period := func(s, k int, margin float64) Period {
		return Period{Variant: "v", Sample: s, Period: k, OperatingMarginUSD: margin}
	}
	for _, tt := range []struct {
		name    string
		periods []Period
		p50     []float64 // by period; NaN: none
		want    string
	}{
		{"turns positive", []Period{period(0, 1, -300e3), period(1, 1, -100e3), period(0, 2, 100e3), period(1, 2, 100e3),
			period(0, 3, 400e3), period(1, 3, 200e3)}, []float64{-200e3, -100e3, 200e3},
			"CUM MARGIN (operating margin summed from quarter 1, the median over the samples of each sample's sum): " +
				"1 -$200k, 2 -$100k, 3 $200k; positive from quarter 3 on"},
		{"never positive", []Period{period(0, 1, -300e3), period(0, 2, 100e3)}, []float64{-300e3, -200e3},
			"CUM MARGIN (operating margin summed from quarter 1): 1 -$300k, 2 -$200k; not positive at quarter 2"},
		{"a shard without period 1", []Period{period(0, 2, 100e3)}, []float64{math.NaN()}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			samples := 0
			for _, p := range tt.periods {
				samples = max(samples, p.Sample+1)
			}
			r := &Report{PeriodLen: "quarter", Samples: samples, Summary: Summarize(tt.periods)}
			for i, s := range r.Summary {
				if want := tt.p50[i]; (s.CumMargin == nil) != math.IsNaN(want) || s.CumMargin != nil && !near(float64(s.CumMargin.P50), want) {
					t.Errorf("period %d: cumulative %+v, want P50 %v", s.Period, s.CumMargin, want)
				}
			}
			if got := r.cumMarginNote("v"); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

// TestBookedTextOverSamples: with several samples, "a shortfall was
// booked in some sample" is right where one sample booked it, but a
// guarantee no sample fell short of read "no shortfall was booked in some
// sample", as if others had: it says "in any sample".
func TestBookedTextOverSamples(t *testing.T) {
	for _, tt := range []struct {
		samples int
		books   []int
		want    string
	}{
		{1, nil, "; no shortfall was booked: the fees met the minimum"},
		{2, nil, "; no shortfall was booked in any sample: the fees met the minimum"},
		{2, []int{4}, "; a shortfall was booked in some sample in quarter 4"},
	} {
		r := &Report{Samples: tt.samples, PeriodLen: "quarter", Summary: []PeriodSummary{{Variant: "v", Period: 4}}}
		got := r.bookedText(TrueUpTerms{Settles: []int{4}, Books: tt.books})
		if !strings.HasPrefix(got, tt.want) {
			t.Errorf("%d samples, booked %v: %q, want it to start %q", tt.samples, tt.books, got, tt.want)
		}
	}
}

// TestRoadmapPriceSetsNamed: a price that a roadmap step's set changes is
// named under the PRICES line with its old and new value, the period, the
// step and the variants it holds in; the runs charged it, but the line
// named only the price steps, so revenue moved for no reason it gave.
func TestRoadmapPriceSetsNamed(t *testing.T) {
	for _, tt := range []struct {
		name, roadmap string
		want          []string
		none          bool
	}{
		{"forecast-wide step", "roadmap:\n  - from: 2\n    set:\n      workloads[chat].price.input_per_mtok: 0.5\n",
			[]string{"price_ratio and volume by workload are in --json's demand): set by the roadmap, in USD per Mtok or per session, " +
				"before any price step's multiplier: chat price.input_per_mtok 0.72 -> 0.5 from quarter 2 " +
				"(roadmap[0].set.workloads[chat].price.input_per_mtok)\n"}, false},
		{"beside a price step", "roadmap:\n  - from: 2\n    set:\n      workloads[chat].price.cached_input_per_mtok: 0.36\n",
			[]string{"chat x0.7 from quarter 2, inelastic: volume x1, so revenue per use moves with the price; set by the roadmap, " +
				"in USD per Mtok or per session, before any price step's multiplier: chat price.cached_input_per_mtok 0.72 -> 0.36 " +
				"from quarter 2 (roadmap[0].set.workloads[chat].price.cached_input_per_mtok)\n"}, false},
		{"one variant's step from period 1", "", []string{"shopping-assistant agent.value.fee 0.002 -> 0.004 from quarter 1 " +
			"(variants[1].roadmap[0].set.workloads[shopping-assistant].agent.value.fee, variant rented)\n"}, false},
		{"a step that sets no price", "roadmap:\n  - from: 2\n    set:\n      workloads[chat].arrivals.rate: 3/s\n", nil, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(small, "variants:\n", tt.roadmap+"variants:\n", 1)
			if strings.HasPrefix(tt.name, "beside") {
				src = strings.Replace(src, "  chat: {growth: 0.5}", "  chat: {growth: 0.5, prices: [{from: 2, multiplier: 0.7}]}", 1)
			}
			if tt.roadmap == "" {
				src = strings.Replace(src, "    procurement: {mode: rented, min: 1, max: 6}\n", "    procurement: {mode: rented, min: 1, max: 6}\n"+
					"    roadmap:\n      - from: 1\n        set:\n          workloads[shopping-assistant].agent.value.fee: 0.004\n", 1)
			}
			f := parse(t, src)
			var b strings.Builder
			if err := NewReport(f, nil, 0).WriteText(&b); err != nil {
				t.Fatal(err)
			}
			if tt.none {
				if strings.Contains(b.String(), "set by the roadmap") || strings.Contains(b.String(), "PRICES") {
					t.Errorf("a step that sets no price named one:\n%s", b.String())
				}
				return
			}
			for _, want := range tt.want {
				if !strings.Contains(b.String(), want) {
					t.Errorf("no\n%s\nin\n%s", want, b.String())
				}
			}
		})
	}
}
