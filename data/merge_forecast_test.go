package data

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
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
		if err != nil || st.Forecasts != want || st.ForecastsPresent != 1-want || st.ForecastPeriods != want {
			t.Fatalf("merge %d: %d forecasts copied, %d already there, %d periods, %v; want %d, %d and %d", i, st.Forecasts, st.ForecastsPresent, st.ForecastPeriods, err, want, 1-want, want)
		}
	}
	var periods, runs int
	if err := out.DB().QueryRowContext(ctx, `SELECT (SELECT count(*) FROM forecast_periods), (SELECT count(*) FROM forecast_runs)`).Scan(&periods, &runs); err != nil || periods != 1 || runs != 1 {
		t.Fatalf("after merging twice: %d periods, %d run links, %v; want 1 and 1", periods, runs, err)
	}
}

// Shards store one forecast id with their own periods: a merge adds the
// periods and run links the output lacks, and refuses a shard whose file or
// period values differ from what the output holds under that id.
func TestMergeForecastShards(t *testing.T) {
	ctx := context.Background()
	id := DerivedID([]byte("split"))
	info := ForecastInfo{ID: id, Name: "f", SpecYAML: "x", PeriodLength: "month", Periods: 2, Samples: 1, ReportJSON: "{}"}
	value := func(period int, v float64) []ForecastValue {
		return []ForecastValue{{Variant: "v", Period: period, Metric: "cost_usd", Unit: "USD", Value: v}}
	}
	link := func(run string, period int) []ForecastRun {
		return []ForecastRun{{RunID: run, Variant: "v", Period: period}}
	}
	out, _ := openTemp(t)
	if _, err := out.SaveForecast(ctx, info, value(1, 1), link("r1", 1)); err != nil {
		t.Fatal(err)
	}
	if _, err := out.SaveForecast(ctx, info, value(1, 1), nil); err == nil || !strings.Contains(err.Error(), "already holds forecast") {
		t.Fatalf("storing a shard twice in one store: %v", err)
	}
	other := info
	other.SpecYAML = "y"
	// A period's metrics are one period of the forecast: two rows, one
	// period copied (the merge's summary counts them so).
	twoMetrics := append(value(2, 2), ForecastValue{Variant: "v", Period: 2, Metric: "revenue_usd", Unit: "USD", Value: 4})
	for _, c := range []struct {
		name     string
		info     ForecastInfo
		values   []ForecastValue
		conflict bool
		periods  int // copied, where no conflict
	}{
		{"the other shard's period", info, twoMetrics, false, 1},
		{"the same period again", info, twoMetrics, false, 0},
		{"another value for a period", info, value(2, 3), true, 0},
		{"another file under the id", other, value(3, 3), true, 0},
	} {
		in := filepath.Join(t.TempDir(), "in.duckdb")
		s, err := Open(in, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.SaveForecast(ctx, c.info, c.values, link("r2", 2)); err != nil {
			t.Fatal(err)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		st, err := out.Merge(ctx, in)
		if errors.Is(err, ErrMergeConflict) != c.conflict {
			t.Fatalf("%s: merge %v, want conflict %v", c.name, err, c.conflict)
		}
		if err == nil && (st.Forecasts != 0 || st.ForecastsPresent != 1 || st.ForecastPeriods != c.periods) {
			t.Errorf("%s: %d forecasts new, %d already there, %d periods copied; want 0, 1, %d", c.name, st.Forecasts, st.ForecastsPresent, st.ForecastPeriods, c.periods)
		}
	}
	var periods, runs int
	if err := out.DB().QueryRowContext(ctx, `SELECT (SELECT count(*) FROM forecast_periods), (SELECT count(*) FROM forecast_runs)`).Scan(&periods, &runs); err != nil || periods != 3 || runs != 2 {
		t.Fatalf("after the shards: %d period rows, %d run links, %v; want 3 and 2", periods, runs, err)
	}
}
