package data

import (
	"context"
	"testing"
)

// Merge copies forecasts with their periods and run links, once.
func TestMergeForecasts(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	in, err := Open(dir+"/in.duckdb", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := in.SaveForecast(ctx, ForecastInfo{Name: "f", SpecYAML: "x", PeriodLength: "month", Periods: 1, Samples: 1, ReportJSON: "{}"},
		[]ForecastValue{{Variant: "v", Period: 1, Metric: "cost_usd", Unit: "USD", Value: 1}}, []ForecastRun{{RunID: "r", Variant: "v", Period: 1}}); err != nil {
		t.Fatal(err)
	}
	if err := in.Close(); err != nil {
		t.Fatal(err)
	}
	out, _ := openTemp(t)
	for i, want := range []int{1, 0} {
		st, err := out.Merge(ctx, dir+"/in.duckdb")
		if err != nil || st.Forecasts != want {
			t.Fatalf("merge %d: %d forecasts copied, %v; want %d", i, st.Forecasts, err, want)
		}
	}
	var periods, runs int
	if err := out.DB().QueryRowContext(ctx, `SELECT (SELECT count(*) FROM forecast_periods), (SELECT count(*) FROM forecast_runs)`).Scan(&periods, &runs); err != nil || periods != 1 || runs != 1 {
		t.Fatalf("after merging twice: %d periods, %d run links, %v; want 1 and 1", periods, runs, err)
	}
}
