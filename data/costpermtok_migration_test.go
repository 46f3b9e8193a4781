package data

import (
	"math"
	"strings"
	"testing"
)

// TestRunCostPerMTokMigration: a run stored before migration 15 counted its
// cost per Mtok over the tokens computed (cached prompt apart). The
// migration keeps that figure as cost_per_mtok_computed_usd and rescales the
// per-Mtok figures to the tokens billed, from the scope's own token rates
// and prefix cache hit rate; a run without cached tokens keeps its figures.
func TestRunCostPerMTokMigration(t *testing.T) {
	db, path := emptyStoreAtVersion(t, "v14.duckdb", 14)
	// Run a: 300 prompt tokens a second, 200 of them cached, and 100 output:
	// 200 computed, 400 billed. Its model small: 100 prompt (half cached)
	// and 100 output: 150 computed, 200 billed. Run b: nothing cached.
	s := openWithRows(t, db, path, `INSERT INTO runs (run_id, name, status, seed, started_at) VALUES
		('a', 'cached', 'complete', 1, now()), ('b', 'plain', 'complete', 1, now());
		INSERT INTO kpis (run_id, scope, name, value, unit) VALUES
		('a', '', 'input_tokens_per_s', 300, 'tok/s'), ('a', '', 'output_tokens_per_s', 100, 'tok/s'),
		('a', '', 'prefix_cache_hit_rate', 2.0/3, 'fraction'), ('a', '', 'cost_per_mtok_usd', 8, 'USD/Mtok'),
		('a', '', 'cost_per_mtok_instances_usd', 6, 'USD/Mtok'), ('a', '', 'cost_per_mtok_input_usd', 9, 'USD/Mtok'),
		('a', '', 'cost_per_mtok_output_usd', 5, 'USD/Mtok'),
		('a', 'model:small', 'input_tokens_per_s', 100, 'tok/s'), ('a', 'model:small', 'output_tokens_per_s', 100, 'tok/s'),
		('a', 'model:small', 'prefix_cache_hit_rate', 0.5, 'fraction'), ('a', 'model:small', 'cost_per_mtok_instances_usd', 4, 'USD/Mtok'),
		('b', '', 'input_tokens_per_s', 300, 'tok/s'), ('b', '', 'output_tokens_per_s', 100, 'tok/s'),
		('b', '', 'prefix_cache_hit_rate', 0, 'fraction'), ('b', '', 'cost_per_mtok_usd', 8, 'USD/Mtok'),
		('b', '', 'cost_per_mtok_instances_usd', 6, 'USD/Mtok'), ('b', '', 'cost_per_mtok_input_usd', 9, 'USD/Mtok')`)
	for _, tt := range []struct {
		run, scope, name string
		want             float64
	}{
		{"a", "", "cost_per_mtok_usd", 4}, // 8 x 200 computed / 400 billed
		{"a", "", "cost_per_mtok_computed_usd", 8},
		{"a", "", "cost_per_mtok_instances_usd", 3},
		{"a", "", "cost_per_mtok_input_usd", 3}, // 9 x 100 prefilled / 300 prompt
		{"a", "", "cost_per_mtok_output_usd", 5},
		{"a", "model:small", "cost_per_mtok_instances_usd", 3}, // 4 x 150 / 200
		{"b", "", "cost_per_mtok_usd", 8},
		{"b", "", "cost_per_mtok_computed_usd", 8},
		{"b", "", "cost_per_mtok_instances_usd", 6},
		{"b", "", "cost_per_mtok_input_usd", 9},
	} {
		var got float64
		err := s.DB().QueryRow(`SELECT value FROM kpis WHERE run_id = ? AND scope = ? AND name = ?`, tt.run, tt.scope, tt.name).Scan(&got)
		if err != nil || math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("run %s %s[%s] = %v (%v), want %v", tt.run, tt.name, tt.scope, got, err, tt.want)
		}
	}
	var comment string
	if err := s.DB().QueryRow(`SELECT comment FROM duckdb_columns() WHERE table_name = 'run_summary' AND column_name = 'cost_per_mtok_usd'`).
		Scan(&comment); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(comment, "tokens billed") || !strings.Contains(comment, "cost_per_mtok_computed_usd") {
		t.Errorf("run_summary.cost_per_mtok_usd comment %q does not say it is over the tokens billed, nor where the figure computed is", comment)
	}
}

// TestForecastCostPerMTokMigrationToBilled: migration 15 rescales a stored
// forecast's per-Mtok figures to the tokens billed from its runs' token
// counts (forecast_runs), as the forecast now sums them; a period with
// nothing cached, or whose runs lack the counts, keeps its figures.
func TestForecastCostPerMTokMigrationToBilled(t *testing.T) {
	db, path := emptyStoreAtVersion(t, "v14f.duckdb", 14)
	// Period 1, run a: 200 prompt tokens prefilled, 100 cached, 10 output
	// tokens a second over 10 s: 300 computed, 400 billed. Period 2, run b:
	// nothing cached. Period 3, run c: no token counts.
	s := openWithRows(t, db, path, `INSERT INTO runs (run_id, name, status, seed, started_at, horizon_ns) VALUES
		('a', 'p1', 'complete', 1, now(), 10e9), ('b', 'p2', 'complete', 1, now(), 10e9), ('c', 'p3', 'complete', 1, now(), 10e9);
		INSERT INTO kpis (run_id, scope, name, value, unit) VALUES
		('a', '', 'input_tokens_prefilled', 200, 'tok'), ('a', '', 'input_tokens_cached', 100, 'tok'), ('a', '', 'output_tokens_per_s', 10, 'tok/s'),
		('b', '', 'input_tokens_prefilled', 300, 'tok'), ('b', '', 'input_tokens_cached', 0, 'tok'), ('b', '', 'output_tokens_per_s', 10, 'tok/s');
		INSERT INTO forecast_runs VALUES ('f', 'a', 'v', 0, 1, 0, 0), ('f', 'b', 'v', 0, 2, 0, 0), ('f', 'c', 'v', 0, 3, 0, 0);
		INSERT INTO forecast_periods VALUES
		('f', 'v', 0, 1, 'cost_per_mtok_usd', 'USD/Mtok', 8), ('f', 'v', 0, 1, 'cost_per_mtok_infra_usd', 'USD/Mtok', 4),
		('f', 'v', 0, 1, 'cost_usd', 'USD', 100),
		('f', 'v', 0, 2, 'cost_per_mtok_usd', 'USD/Mtok', 8), ('f', 'v', 0, 3, 'cost_per_mtok_usd', 'USD/Mtok', 8)`)
	for _, tt := range []struct {
		period int
		metric string
		want   float64
	}{
		{1, "cost_per_mtok_usd", 6}, // 8 x 300 computed / 400 billed
		{1, "cost_per_mtok_infra_usd", 3},
		{1, "cost_usd", 100},
		{2, "cost_per_mtok_usd", 8},
		{3, "cost_per_mtok_usd", 8},
	} {
		var got float64
		err := s.DB().QueryRow(`SELECT value FROM forecast_periods WHERE forecast_id = 'f' AND period = ? AND metric = ?`, tt.period, tt.metric).Scan(&got)
		if err != nil || math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("period %d %s = %v (%v), want %v", tt.period, tt.metric, got, err, tt.want)
		}
	}
}
