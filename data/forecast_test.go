package data

import (
	"context"
	"errors"
	"math"
	"testing"
)

func TestForecastRoundTrip(t *testing.T) {
	ctx := context.Background()
	s, path := openTemp(t)
	var values []ForecastValue
	for sample := range 5 {
		values = append(values,
			ForecastValue{Variant: "rented", Sample: sample, Period: 1, Metric: "revenue_usd", Unit: "USD", Value: float64(sample + 1)},
			ForecastValue{Variant: "rented", Sample: sample, Period: 1, Metric: "gross_margin", Unit: "fraction", Value: math.NaN()},
			ForecastValue{Variant: "owned", Sample: sample, Period: 1, Metric: "revenue_usd", Unit: "USD", Value: 10})
	}
	id, err := s.SaveForecast(ctx, ForecastInfo{Name: "f", SpecYAML: "name: f", PeriodLength: "quarter", Periods: 1,
		Samples: 5, ReportJSON: "{}"}, values, []ForecastRun{{RunID: "r1", Variant: "rented"}})
	if err != nil {
		t.Fatal(err)
	}
	ro := reopenReadOnly(t, s, path)
	if got, err := ro.ResolveForecast(ctx, "last"); err != nil || got != id {
		t.Fatalf("last forecast %q, %v; want %s", got, err, id)
	}
	if _, err := ro.ResolveForecast(ctx, "zzzz"); !errors.Is(err, ErrForecastNotFound) {
		t.Fatalf("unknown forecast: %v", err)
	}
	f, err := ro.Forecast(ctx, id)
	if err != nil || f.Name != "f" || f.Samples != 5 {
		t.Fatalf("forecast %+v, %v", f, err)
	}
	bands, err := ro.ForecastBands(ctx, id, "revenue_usd", "gross_margin")
	if err != nil {
		t.Fatal(err)
	}
	if len(bands) != 3 {
		t.Fatalf("%d bands, want rented gross_margin and revenue_usd, owned revenue_usd: %+v", len(bands), bands)
	}
	// Variants come in stored order; quantiles interpolate (1..5: 1.4, 3, 4.6).
	gm, rev, owned := bands[0], bands[1], bands[2]
	if rev.Variant != "rented" || rev.Metric != "revenue_usd" || !near(rev.P10, 1.4) || rev.P50 != 3 || !near(rev.P90, 4.6) {
		t.Errorf("rented revenue band %+v, want 1.4 / 3 / 4.6", rev)
	}
	if !math.IsNaN(gm.P50) {
		t.Errorf("undefined margins stored as NULL should band to NaN, got %+v", gm)
	}
	if owned.Variant != "owned" || owned.P50 != 10 {
		t.Errorf("owned band %+v", owned)
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestForecastTotals(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	var values []ForecastValue
	// Two samples, two periods: totals 1+2=3 and 10+20=30.
	for sample, vs := range [][]float64{{1, 2}, {10, 20}} {
		for p, v := range vs {
			values = append(values, ForecastValue{Variant: "b", Sample: sample, Period: p + 1, Metric: "cost_usd", Unit: "USD", Value: v},
				ForecastValue{Variant: "a", Sample: sample, Period: p + 1, Metric: "cost_usd", Unit: "USD", Value: 2 * v},
				ForecastValue{Variant: "b", Sample: sample, Period: p + 1, Metric: "headroom", Unit: "fraction", Value: 0.5})
		}
	}
	id, err := s.SaveForecast(ctx, ForecastInfo{Name: "f", SpecYAML: "x", PeriodLength: "month", Periods: 2, Samples: 2, ReportJSON: "{}"}, values, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.ForecastTotals(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Variant != "b" || got[1].Variant != "a" {
		t.Fatalf("totals %+v: want USD metrics only, variants in stored order", got)
	}
	if b := got[0]; !near(b.P10, 5.7) || !near(b.P50, 16.5) || !near(b.P90, 27.3) {
		t.Errorf("variant b totals %+v, want quantiles of {3, 30}: 5.7 / 16.5 / 27.3", b)
	}
}

// TestForecastPairedDeltas: a variant's gap to the base is the median of
// the samples' differences, which share their draws; here the difference
// of the medians is 0 while the paired median is -9.
func TestForecastPairedDeltas(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	var values []ForecastValue
	base, other := []float64{1, 10, 100}, []float64{100, 1, 10}
	for sample := range base {
		values = append(values, ForecastValue{Variant: "b", Sample: sample, Period: 1, Metric: "cost_usd", Unit: "USD", Value: base[sample]},
			ForecastValue{Variant: "a", Sample: sample, Period: 1, Metric: "cost_usd", Unit: "USD", Value: other[sample]})
	}
	id, err := s.SaveForecast(ctx, ForecastInfo{Name: "f", SpecYAML: "x", PeriodLength: "month", Periods: 1, Samples: 3, ReportJSON: "{}"}, values, nil)
	if err != nil {
		t.Fatal(err)
	}
	d, err := s.ForecastPairedDeltas(ctx, id, "b")
	if err != nil {
		t.Fatal(err)
	}
	if got := d["a"]["cost_usd"].P50; got != -9 || d["b"]["cost_usd"].P50 != 0 {
		t.Errorf("deltas %v: want a -9 (median of 99, -9, -90), b 0", d)
	}
}

// TestForecastPairedBands: the paired change's P10, P50 and P90 are
// DuckDB's quantile_cont (linear between the closest ranks, as
// ForecastTotals bands the totals) of the samples' differences of horizon
// totals, each sample's periods summed first; the counts say in how many
// samples the variant's total is above, below or within half a cent of
// the base's. Five samples of two periods, by hand: the base's totals are
// 10, 20, 30, 40, 50, the variant's 15, 18, 30.001, 70, 45, so the
// differences are 5, -2, 0.001, 30, -5, sorted -5, -2, 0.001, 5, 30:
// P10 at rank 0.4 is -5 + 0.4 x 3 = -3.8, P50 is 0.001, P90 at rank 3.6
// is 5 + 0.6 x 25 = 20; 2 above, 2 below, 1 equal.
func TestForecastPairedBands(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	var values []ForecastValue
	base, other := []float64{10, 20, 30, 40, 50}, []float64{15, 18, 30.001, 70, 45}
	for sample := range base {
		for p := 1; p <= 2; p++ { // each period holds half of the total
			values = append(values, ForecastValue{Variant: "b", Sample: sample, Period: p, Metric: "cost_usd", Unit: "USD", Value: base[sample] / 2},
				ForecastValue{Variant: "a", Sample: sample, Period: p, Metric: "cost_usd", Unit: "USD", Value: other[sample] / 2})
		}
	}
	id, err := s.SaveForecast(ctx, ForecastInfo{Name: "f", SpecYAML: "x", PeriodLength: "month", Periods: 2, Samples: 5, ReportJSON: "{}"}, values, nil)
	if err != nil {
		t.Fatal(err)
	}
	d, err := s.ForecastPairedDeltas(ctx, id, "b")
	if err != nil {
		t.Fatal(err)
	}
	got := d["a"]["cost_usd"]
	near := func(x, want float64) bool { return math.Abs(x-want) < 1e-9 }
	if !near(got.P10, -3.8) || !near(got.P50, 0.001) || !near(got.P90, 20) || got.Samples != 5 || got.Above != 2 || got.Below != 2 {
		t.Errorf("a against b: %+v; want P10 -3.8, P50 0.001, P90 20 over 5 samples, 2 above, 2 below (1 equal)", got)
	}
	if b := d["b"]["cost_usd"]; b.P10 != 0 || b.P90 != 0 || b.Samples != 5 || b.Above != 0 || b.Below != 0 {
		t.Errorf("b against itself: %+v; want 0 in all 5 samples", b)
	}
}
