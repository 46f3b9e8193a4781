package data

import (
	"context"
	"database/sql"
	"math"
	"strings"
	"testing"
)

// TestLicensingSplitMigration: a forecast stored before migration 33 gets
// the three parts of LICENSE as rows with a NULL value, one each per
// variant, sample and period it stored, and ForecastTotals and
// ForecastPairedDeltas give them no total (a sum of nothing read $0),
// while its other lines keep theirs. A forecast stored after keeps its
// own rows, which sum as any metric's: $30 + $50 of flat fees over two
// quarters is $80.
func TestLicensingSplitMigration(t *testing.T) {
	db, path := emptyStoreAtVersion(t, "v30.duckdb", 30)
	s := openWithRows(t, db, path, `INSERT INTO forecasts VALUES
		('old', 'old', '', now(), 'name: old', 'quarter', 2, 1, '{}', 'v30');
		INSERT INTO forecast_periods VALUES
		('old', 'a', 0, 1, 'cost_licensing_usd', 'USD', 10), ('old', 'a', 0, 2, 'cost_licensing_usd', 'USD', 20),
		('old', 'b', 0, 1, 'cost_licensing_usd', 'USD', 12), ('old', 'b', 0, 2, 'cost_licensing_usd', 'USD', 22)`)
	ctx := context.Background()
	var rows, nulls int
	if err := s.DB().QueryRow(`SELECT count(*), count(*) FILTER (WHERE value IS NULL) FROM forecast_periods
		WHERE forecast_id = 'old' AND metric IN ('licensing_per_use_usd', 'licensing_flat_usd', 'licensing_true_up_usd')`).Scan(&rows, &nulls); err != nil {
		t.Fatal(err)
	}
	if rows != 12 || nulls != 12 {
		t.Errorf("old forecast: %d licensing split rows, %d NULL; want 12, all NULL (3 metrics x 2 variants x 2 periods)", rows, nulls)
	}
	if _, err := s.SaveForecast(ctx, ForecastInfo{ID: "", Name: "new", SpecYAML: "name: new", PeriodLength: "quarter", Periods: 2, Samples: 1,
		ReportJSON: "{}"}, []ForecastValue{
		{"a", 0, 1, "cost_licensing_usd", "USD", 30}, {"a", 0, 2, "cost_licensing_usd", "USD", 50},
		{"a", 0, 1, "licensing_flat_usd", "USD", 30}, {"a", 0, 2, "licensing_flat_usd", "USD", 50},
	}, nil); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		id     string
		totals map[string]float64 // by variant + metric; absent: no total
	}{
		{"old", map[string]float64{"a cost_licensing_usd": 30, "b cost_licensing_usd": 34}},
		{"new", map[string]float64{"a cost_licensing_usd": 80, "a licensing_flat_usd": 80}},
	} {
		id := tt.id
		if id == "new" {
			if err := s.DB().QueryRow(`SELECT forecast_id FROM forecasts WHERE name = 'new'`).Scan(&id); err != nil {
				t.Fatal(err)
			}
		}
		totals, err := s.ForecastTotals(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]float64{}
		for _, tot := range totals {
			got[tot.Variant+" "+tot.Metric] = tot.P50
		}
		if len(got) != len(tt.totals) {
			t.Errorf("forecast %s totals %v, want %v", tt.id, got, tt.totals)
		}
		for k, want := range tt.totals {
			if v, ok := got[k]; !ok || math.Abs(v-want) > 1e-9 {
				t.Errorf("forecast %s %s total %v (%v), want %v", tt.id, k, v, ok, want)
			}
		}
	}
	deltas, err := s.ForecastPairedDeltas(ctx, "old", "a")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := deltas["b"]["licensing_flat_usd"]; ok || deltas["b"]["cost_licensing_usd"].P50 != 4 {
		t.Errorf("old forecast's deltas of b against a: %+v; want cost_licensing_usd +4 and no licensing split", deltas["b"])
	}
	var comment sql.NullString
	if err := s.DB().QueryRow(`SELECT comment FROM duckdb_columns() WHERE table_name = 'forecast_periods' AND column_name = 'metric'`).Scan(&comment); err != nil ||
		!comment.Valid || !strings.Contains(comment.String, "licensing_flat_usd") {
		t.Errorf("forecast_periods.metric comment %q (%v), want it to name the licensing split", comment.String, err)
	}
}
