package data

import (
	"database/sql"
	"math"
	"slices"
	"strings"
	"testing"
)

// TestUnitCostMigration: a run stored before migration 29 gets its cost per
// completed request and per completed session from its stored KPIs, as the
// simulator computes them, and run_summary shows the run's. Run a: $10 over
// 200 completed requests; chat attributed $2.40 per Mtok over 1,000 tokens
// a second for 100 s ($0.24 over 60 requests), shop $1 per Mtok over 500
// tokens a second ($0.05 over 140 requests and 10 sessions, 4 abandoned).
// Run b completed nothing and no session. Run c was stored before the
// attributed cost: only the run's figure per request.
func TestUnitCostMigration(t *testing.T) {
	db, path := emptyStoreAtVersion(t, "v28.duckdb", 28)
	oldCols, oldComments := runSummaryComments(t, db)
	oldView := viewComment(t, db, "run_summary")
	s := openWithRows(t, db, path, `INSERT INTO runs (run_id, name, status, seed, started_at, sim_ns) VALUES
		('a', 'mixed', 'complete', 1, now(), 100e9), ('b', 'idle', 'complete', 1, now(), 100e9), ('c', 'old', 'complete', 1, now(), 100e9);
		INSERT INTO kpis (run_id, scope, name, value, unit) VALUES
		('a', '', 'cost_usd', 10, 'USD'), ('a', '', 'requests_completed', 200, 'count'), ('a', '', 'sessions_completed', 10, 'count'),
		('a', 'chat', 'requests_completed', 60, 'count'), ('a', 'chat', 'cost_per_mtok_attributed_usd', 2.4, 'USD/Mtok'),
		('a', 'chat', 'input_tokens_per_s', 800, 'tok/s'), ('a', 'chat', 'output_tokens_per_s', 200, 'tok/s'),
		('a', 'shop', 'requests_completed', 140, 'count'), ('a', 'shop', 'sessions_completed', 10, 'count'),
		('a', 'shop', 'sessions_abandoned', 4, 'count'), ('a', 'shop', 'cost_per_mtok_attributed_usd', 1, 'USD/Mtok'),
		('a', 'shop', 'input_tokens_per_s', 300, 'tok/s'), ('a', 'shop', 'output_tokens_per_s', 200, 'tok/s'),
		('b', '', 'cost_usd', 10, 'USD'), ('b', '', 'requests_completed', 0, 'count'), ('b', '', 'sessions_completed', 0, 'count'),
		('b', 'shop', 'requests_completed', 0, 'count'), ('b', 'shop', 'sessions_completed', 0, 'count'),
		('b', 'shop', 'cost_per_mtok_attributed_usd', NULL, 'USD/Mtok'),
		('b', 'shop', 'input_tokens_per_s', 0, 'tok/s'), ('b', 'shop', 'output_tokens_per_s', 0, 'tok/s'),
		('c', '', 'cost_usd', 3, 'USD'), ('c', '', 'requests_completed', 30, 'count'), ('c', '', 'sessions_completed', 5, 'count'),
		('c', 'shop', 'requests_completed', 30, 'count'), ('c', 'shop', 'sessions_completed', 5, 'count')`)
	nan := math.NaN() // stored NULL: undefined
	for _, tt := range []struct {
		run, scope, name string
		want             float64
	}{
		{"a", "", "cost_per_request_usd", 0.05},           // 10 / 200
		{"a", "chat", "cost_per_request_usd", 0.004},      // 2.4 x 1,000 x 100 / 1e6 = 0.24, over 60
		{"a", "shop", "cost_per_request_usd", 0.05 / 140}, // 1 x 500 x 100 / 1e6 = 0.05, over 140
		{"a", "shop", "cost_per_session_usd", 0.005},      // 0.05 over 10 completed, the 4 abandoned not counted
		{"a", "", "cost_per_session_usd", 0.005},          // the agents' cost alone, not chat's
		{"b", "", "cost_per_request_usd", nan},
		{"b", "shop", "cost_per_request_usd", nan},
		{"b", "shop", "cost_per_session_usd", nan},
		{"b", "", "cost_per_session_usd", nan},
		{"c", "", "cost_per_request_usd", 0.1},
	} {
		var got sql.NullFloat64
		err := s.DB().QueryRow(`SELECT value FROM kpis WHERE run_id = ? AND scope = ? AND name = ?`, tt.run, tt.scope, tt.name).Scan(&got)
		switch {
		case err != nil:
			t.Errorf("run %s %s[%s]: %v", tt.run, tt.name, tt.scope, err)
		case math.IsNaN(tt.want) && got.Valid:
			t.Errorf("run %s %s[%s] = %v, want NULL", tt.run, tt.name, tt.scope, got.Float64)
		case !math.IsNaN(tt.want) && (!got.Valid || math.Abs(got.Float64-tt.want) > 1e-12):
			t.Errorf("run %s %s[%s] = %v, want %v", tt.run, tt.name, tt.scope, got, tt.want)
		}
	}
	// Run c has no attributed cost: no figure per workload, none per session.
	var n int
	if err := s.DB().QueryRow(`SELECT count(*) FROM kpis WHERE run_id = 'c' AND name IN ('cost_per_session_usd', 'cost_per_request_usd') AND scope <> ''`).Scan(&n); err != nil || n != 0 {
		t.Errorf("run c: %d workload or session rows (%v), want none: nothing to attribute", n, err)
	}
	if err := s.DB().QueryRow(`SELECT count(*) FROM kpis WHERE run_id = 'c' AND name = 'cost_per_session_usd'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("run c: %d cost_per_session_usd rows (%v), want none", n, err)
	}
	// run_summary keeps its columns in their order and their comments
	// (CREATE OR REPLACE VIEW drops them; the migration gives them back),
	// and appends the run's two figures.
	newCols, newComments := runSummaryComments(t, s.DB())
	if want := append(slices.Clone(oldCols), "cost_per_request_usd", "cost_per_session_usd"); !slices.Equal(newCols, want) {
		t.Fatalf("run_summary columns after migrating:\n%v\nwant the old ones in their order, then the unit costs:\n%v", newCols, want)
	}
	later := recommentedAfter(29)
	for _, c := range oldCols {
		if newComments[c] != oldComments[c] && !later["run_summary."+c] {
			t.Errorf("run_summary.%s comment changed by the migration:\n%q\nwas\n%q", c, newComments[c], oldComments[c])
		}
	}
	if got := viewComment(t, s.DB(), "run_summary"); got != oldView && !later["run_summary"] {
		t.Errorf("run_summary's comment changed by the migration: %q, was %q", got, oldView)
	}
	for c, unit := range map[string]string{"cost_per_request_usd": "[USD/request]", "cost_per_session_usd": "[USD/session]"} {
		if !strings.HasPrefix(newComments[c], unit+" KPI "+c) {
			t.Errorf("run_summary.%s comment %q, want it to start %q", c, newComments[c], unit+" KPI "+c)
		}
	}
	var perRequest, perSession sql.NullFloat64
	if err := s.DB().QueryRow(`SELECT cost_per_request_usd, cost_per_session_usd FROM run_summary WHERE run_id = 'a'`).Scan(&perRequest, &perSession); err != nil {
		t.Fatal(err)
	}
	if perRequest.Float64 != 0.05 || math.Abs(perSession.Float64-0.005) > 1e-12 {
		t.Errorf("run_summary of run a: %v per request, %v per session, want 0.05 and 0.005", perRequest, perSession)
	}
}
