package data

import (
	"context"
	"database/sql"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestRunSummaryTimedOutMigration: run_summary gives requests_timed_out,
// which runs recorded as a KPI while the view left it out (a run whose
// lost requests all timed out read requests_dropped 0 and nothing beside
// it). A store written by schema version 16 migrates: its rows are read
// through the new column, the columns it had keep their order and their
// comments (CREATE OR REPLACE VIEW drops them), and sweep_results, which
// reads run_summary, still reads it.
func TestRunSummaryTimedOutMigration(t *testing.T) {
	ctx := context.Background()
	db, path := emptyStoreAtVersion(t, "v16.duckdb", 16)
	oldCols, oldComments := runSummaryComments(t, db)
	oldView := viewComment(t, db, "run_summary")
	s := openWithRows(t, db, path, `INSERT INTO runs (run_id, name, status, seed, started_at, horizon_ns, sweep_id, sweep_point, replication) VALUES
		('a', 'timed-out', 'complete', 1, now(), 120000000000, 'sw', 0, 0), ('b', 'failed', 'failed', 1, now(), 60000000000, NULL, NULL, NULL);
		INSERT INTO kpis (run_id, scope, name, value, unit) VALUES
		('a', '', 'requests_completed', 244, 'count'), ('a', '', 'requests_dropped', 0, 'count'),
		('a', '', 'requests_timed_out', 96, 'count'), ('a', 'chat', 'requests_timed_out', 74, 'count'),
		('a', '', 'throughput_rps', 2.03, '1/s');
		INSERT INTO sweeps VALUES ('sw', 'q', '', now(), '', 1, 1);
		INSERT INTO sweep_points VALUES ('sw', 0, '{"fleet.count":1}')`)

	newCols, newComments := runSummaryComments(t, s.DB())
	// 0029 appends the unit costs after it.
	if want := append(slices.Clone(oldCols), "requests_timed_out", "cost_per_request_usd", "cost_per_session_usd"); !slices.Equal(newCols, want) {
		t.Fatalf("run_summary columns after migrating:\n%v\nwant the old ones in their order, then requests_timed_out:\n%v", newCols, want)
	}
	later := recommentedAfter(17)
	// Reworded in this migration after it shipped: they said "over the
	// horizon", where the KPIs run over runs.sim_ns, the drain included
	// (TestRatesSayTheyRunOverTheDrain).
	overDrain := map[string]bool{"throughput_rps": true, "output_tokens_per_s": true, "cost_usd": true}
	for _, c := range oldCols {
		if c == "requests_dropped" || later["run_summary."+c] || overDrain[c] { // now names the column beside it; reworded since
			continue
		}
		if newComments[c] != oldComments[c] {
			t.Errorf("run_summary.%s comment changed by the migration:\n%q\nwas\n%q", c, newComments[c], oldComments[c])
		}
	}
	if got := viewComment(t, s.DB(), "run_summary"); got != oldView && !later["run_summary"] {
		t.Errorf("run_summary's comment changed by the migration: %q, was %q", got, oldView)
	}
	if c := newComments["requests_timed_out"]; !strings.HasPrefix(c, "[count] KPI requests_timed_out") || !strings.Contains(c, "requests_dropped") {
		t.Errorf("run_summary.requests_timed_out comment %q", c)
	}
	if c := newComments["requests_dropped"]; !strings.Contains(c, "not those that timed out") || !strings.Contains(c, "requests_timed_out") {
		t.Errorf("run_summary.requests_dropped comment %q", c)
	}

	for _, tt := range []struct {
		run               string
		timedOut, dropped sql.NullFloat64
	}{
		{"a", sql.NullFloat64{Float64: 96, Valid: true}, sql.NullFloat64{Float64: 0, Valid: true}}, // the run's, not chat's 74
		{"b", sql.NullFloat64{}, sql.NullFloat64{}},                                                // no KPIs: NULL as in every KPI column
	} {
		var timedOut, dropped sql.NullFloat64
		err := s.DB().QueryRowContext(ctx, `SELECT requests_timed_out, requests_dropped FROM run_summary WHERE run_id = ?`, tt.run).
			Scan(&timedOut, &dropped)
		if err != nil || timedOut != tt.timedOut || dropped != tt.dropped {
			t.Errorf("run %s: requests_timed_out %v, requests_dropped %v (%v), want %v and %v", tt.run, timedOut, dropped, err, tt.timedOut, tt.dropped)
		}
	}
	var runID string
	var rps float64
	if err := s.DB().QueryRowContext(ctx, `SELECT run_id, throughput_rps FROM sweep_results WHERE sweep_id = 'sw'`).Scan(&runID, &rps); err != nil ||
		runID != "a" || rps != 2.03 {
		t.Errorf("sweep_results after migrating: run %q, throughput %v (%v), want a and 2.03", runID, rps, err)
	}
	if runs, err := s.Runs(ctx, RunFilter{}); err != nil || len(runs) != 2 {
		t.Errorf("Runs after migrating: %d (%v), want 2", len(runs), err)
	}
	// The migrated view is the one a new store has: opening it again warns
	// of no view redefined.
	s.Close()
	var warned []error
	r, err := Open(path, Options{ReadOnly: true, OnWarning: func(err error) { warned = append(warned, err) }})
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	if len(warned) > 0 {
		t.Errorf("reopening the migrated store warned: %v", warned)
	}
}

// runSummaryComments are run_summary's columns in order and their catalog
// comments.
func runSummaryComments(t *testing.T, db *sql.DB) ([]string, map[string]string) {
	t.Helper()
	rows, err := db.Query(`SELECT column_name, coalesce(comment, '') FROM duckdb_columns()
		WHERE table_name = 'run_summary' ORDER BY column_index`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var cols []string
	comments := map[string]string{}
	for rows.Next() {
		var c, comment string
		if err := rows.Scan(&c, &comment); err != nil {
			t.Fatal(err)
		}
		cols = append(cols, c)
		comments[c] = comment
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return cols, comments
}

// viewComment is a view's own comment in the catalog.
func viewComment(t *testing.T, db *sql.DB, view string) string {
	t.Helper()
	var c sql.NullString
	if err := db.QueryRow(`SELECT comment FROM duckdb_views() WHERE view_name = ?`, view).Scan(&c); err != nil {
		t.Fatal(err)
	}
	return c.String
}

// recommentedAfter is the relations ("view") and columns ("view.column")
// that a migration above version comments again in other words: a test of
// what that version's migration kept reads them as a later one rewrote
// them (0019 says gross_margin is before training). A migration that
// replaces a view gives back every comment it drops in the words it had
// (0029); those are no rewording, so the test still checks them.
func recommentedAfter(version int) map[string]bool {
	out := map[string]bool{}
	words := map[string]string{}
	comment := regexp.MustCompile(`(?i)COMMENT\s+ON\s+(?:COLUMN\s+(\w+)\.(\w+)|VIEW\s+(\w+))\s+IS\s+'((?:[^']|'')*)'`)
	for _, m := range migrations() {
		for _, g := range comment.FindAllStringSubmatch(m.SQL, -1) {
			key := strings.ToLower(g[3])
			if g[1] != "" {
				key = strings.ToLower(g[1] + "." + g[2])
			}
			if m.Version > version && words[key] != g[4] {
				out[key] = true
			}
			words[key] = g[4]
		}
	}
	return out
}
