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
