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

// TestForecastTotalsPartlyNull: a forecast merged from shards of an older
// and a newer build has NULL licensing parts in some periods, or some
// samples, alone. Their sums over the rest did not add up to
// cost_licensing_usd; a metric with a NULL anywhere in a variant has no
// total and no delta, while a metric kept whole keeps its own.
func TestForecastTotalsPartlyNull(t *testing.T) {
	for _, tt := range []struct {
		name, rows string
	}{
		{"a period NULL", `('f', 'a', 0, 1, 'licensing_flat_usd', 'USD', 10), ('f', 'a', 0, 2, 'licensing_flat_usd', 'USD', NULL),
			('f', 'a', 1, 1, 'licensing_flat_usd', 'USD', 10), ('f', 'a', 1, 2, 'licensing_flat_usd', 'USD', 10)`},
		{"a sample NULL", `('f', 'a', 0, 1, 'licensing_flat_usd', 'USD', 10), ('f', 'a', 0, 2, 'licensing_flat_usd', 'USD', 10),
			('f', 'a', 1, 1, 'licensing_flat_usd', 'USD', NULL), ('f', 'a', 1, 2, 'licensing_flat_usd', 'USD', NULL)`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			db, path := emptyStoreAtVersion(t, "f.duckdb", 33)
			s := openWithRows(t, db, path, `INSERT INTO forecasts VALUES
				('f', 'f', '', now(), 'name: f', 'quarter', 2, 2, '{}', 'v33');
				INSERT INTO forecast_periods VALUES `+tt.rows+`,
				('f', 'a', 0, 1, 'cost_licensing_usd', 'USD', 10), ('f', 'a', 0, 2, 'cost_licensing_usd', 'USD', 10),
				('f', 'a', 1, 1, 'cost_licensing_usd', 'USD', 10), ('f', 'a', 1, 2, 'cost_licensing_usd', 'USD', 10),
				('f', 'b', 0, 1, 'licensing_flat_usd', 'USD', 12), ('f', 'b', 0, 2, 'licensing_flat_usd', 'USD', 12),
				('f', 'b', 1, 1, 'licensing_flat_usd', 'USD', 12), ('f', 'b', 1, 2, 'licensing_flat_usd', 'USD', 12),
				('f', 'b', 0, 1, 'cost_licensing_usd', 'USD', 12), ('f', 'b', 0, 2, 'cost_licensing_usd', 'USD', 12),
				('f', 'b', 1, 1, 'cost_licensing_usd', 'USD', 12), ('f', 'b', 1, 2, 'cost_licensing_usd', 'USD', 12)`)
			ctx := context.Background()
			totals, err := s.ForecastTotals(ctx, "f")
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]float64{}
			for _, tot := range totals {
				got[tot.Variant+" "+tot.Metric] = tot.P50
			}
			want := map[string]float64{"a cost_licensing_usd": 20, "b cost_licensing_usd": 24, "b licensing_flat_usd": 24}
			if len(got) != len(want) {
				t.Errorf("totals %v, want %v (a's licensing_flat_usd has none)", got, want)
			}
			for k, w := range want {
				if v, ok := got[k]; !ok || v != w {
					t.Errorf("%s total %v (%v), want %v", k, v, ok, w)
				}
			}
			deltas, err := s.ForecastPairedDeltas(ctx, "f", "b")
			if err != nil {
				t.Fatal(err)
			}
			if d, ok := deltas["a"]["licensing_flat_usd"]; ok {
				t.Errorf("a's licensing_flat_usd delta against b %+v, want none", d)
			}
			if d := deltas["a"]["cost_licensing_usd"]; d.P50 != -4 || d.Samples != 2 {
				t.Errorf("a's cost_licensing_usd delta against b %+v, want -4 over 2 samples", d)
			}
		})
	}
}
