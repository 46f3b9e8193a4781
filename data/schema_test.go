package data

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"aiecon/sim"
)

func TestMigrationFromOlderVersion(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.duckdb")
	// A file as the first release left it: schema version 1, no views, one run.
	db, err := sql.Open("duckdb", path)
	if err != nil {
		t.Fatal(err)
	}
	if err := migrate(ctx, db, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO runs (run_id, name, status, seed, started_at) VALUES ('0000000000000', 'legacy', 'complete', 7, now());
		INSERT INTO kpis VALUES ('0000000000000', '', 'revenue_usd', 12.5, 'USD')`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	// The example is a command that writes: it named `aiecon runs`, which
	// opens the store read-only and gives this same error again.
	if _, err := Open(path, Options{ReadOnly: true}); err == nil || !strings.Contains(err.Error(), "open it once read-write to migrate it (e.g. `aiecon sql --write 'SELECT 1' --db "+path+"`;") {
		t.Fatalf("read-only open of an old schema: %v, want advice to open it read-write with a command that writes", err)
	}
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("migrating: %v", err)
	}
	defer s.Close()
	v, err := currentVersion(ctx, s.DB())
	if err != nil || v != SchemaVersion() {
		t.Fatalf("version after migrating: %d (%v), want %d", v, err, SchemaVersion())
	}
	runs, err := s.Runs(ctx, RunFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 1 || runs[0].Name != "legacy" || runs[0].RevenueUSD != 12.5 || runs[0].Seed != 7 {
		t.Errorf("legacy run through the new view: %+v", runs)
	}
	var applied int
	if err := s.DB().QueryRow(`SELECT count(*) FROM schema_version`).Scan(&applied); err != nil || applied != SchemaVersion() {
		t.Errorf("schema_version rows: %d (%v), want %d", applied, err, SchemaVersion())
	}
}

func TestNewerSchemaIsRefused(t *testing.T) {
	s, path := openTemp(t)
	if _, err := s.DB().Exec(`INSERT INTO schema_version (version, name) VALUES (?, 'from_the_future')`, SchemaVersion()+1); err != nil {
		t.Fatal(err)
	}
	s.Close()
	for _, ro := range []bool{false, true} {
		if _, err := Open(path, Options{ReadOnly: ro}); err == nil || !strings.Contains(err.Error(), "upgrade aiecon") {
			t.Errorf("Open(ReadOnly=%v) of a newer schema: %v, want advice to upgrade", ro, err)
		}
	}
}

func TestReadOnlyOpen(t *testing.T) {
	dir := t.TempDir()
	if _, err := Open(filepath.Join(dir, "missing.duckdb"), Options{ReadOnly: true}); err == nil || !strings.Contains(err.Error(), "no such store") {
		t.Errorf("read-only open of a missing file: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "missing.duckdb")); !os.IsNotExist(err) {
		t.Errorf("read-only open created the file")
	}
	// Read-write, a missing directory is named (DuckDB says "Cannot open file").
	nodir := filepath.Join(dir, "no", "such", "dir")
	// Read-only too: no store, and no run can make one there until the
	// directory is created.
	if _, err := Open(filepath.Join(nodir, "s.duckdb"), Options{ReadOnly: true}); !errors.Is(err, ErrNoStore) ||
		!errors.Is(err, ErrNoDirectory) || !strings.Contains(err.Error(), nodir) {
		t.Errorf("read-only open in a missing directory: %v, want ErrNoStore and ErrNoDirectory naming %s", err, nodir)
	}
	if _, err := Open(filepath.Join(nodir, "s.duckdb"), Options{}); !errors.Is(err, ErrNoDirectory) || !strings.Contains(err.Error(), nodir) {
		t.Errorf("open in a missing directory: %v, want ErrNoDirectory naming %s", err, nodir)
	}
	path := filepath.Join(dir, "ro.duckdb")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	id := storeRun(t, s, newSynthRun(1, 10), "x")
	s.Close()
	ro, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if _, err := ro.DB().Exec(`DELETE FROM runs`); err == nil {
		t.Error("a read-only store accepted a DELETE")
	}
	if _, err := ro.BeginRun(context.Background(), RunInfo{Name: "x"}); err == nil {
		t.Error("a read-only store began a run")
	}
	if got, err := ro.ResolveRun(context.Background(), id[:10]); err != nil || got != id {
		t.Errorf("ResolveRun on a read-only store: %q %v", got, err)
	}
	// A second read-only Store of the same file in this process.
	ro2, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("second read-only open: %v", err)
	}
	ro2.Close()
	if _, err := Open(path, Options{}); err == nil || !strings.Contains(err.Error(), "read-only in this process") {
		t.Errorf("read-write open while open read-only here: %v", err)
	}
}

func TestSecondOpenInProcessKeepsLiveRuns(t *testing.T) {
	s, path := openTemp(t)
	w, err := s.BeginRun(context.Background(), RunInfo{Name: "live"})
	if err != nil {
		t.Fatal(err)
	}
	s2, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	d, err := s2.Run(context.Background(), w.ID())
	if err != nil {
		t.Fatal(err)
	}
	if d.Run.Status != StatusRunning {
		t.Fatalf("a second Open marked a live run %s", d.Run.Status)
	}
	if err := newSynthRun(1, 10).play(w, 10, true); err != nil {
		t.Fatal(err)
	}
	if err := w.Finish(1); err != nil {
		t.Fatal(err)
	}
}

func TestStatusEnumsMatchTheSimulator(t *testing.T) {
	doc, err := DescribeSchema(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{"request_status": sim.RequestStatusNames(), "session_status": sim.SessionStatusNames()}
	for _, e := range doc.Enums {
		if w, ok := want[e.Name]; ok {
			if !reflect.DeepEqual(e.Values, w) {
				t.Errorf("enum %s is %v but the simulator's statuses are %v: add a migration", e.Name, e.Values, w)
			}
			delete(want, e.Name)
		}
	}
	if len(want) > 0 {
		t.Errorf("enums missing from the schema: %v", want)
	}
}

func TestEveryColumnHasAUnit(t *testing.T) {
	doc, err := DescribeSchema(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, rel := range append(doc.Tables, doc.Views...) {
		if rel.Comment == "" {
			t.Errorf("%s has no comment", rel.Name)
		}
		for _, c := range rel.Columns {
			if c.Unit == "" {
				t.Errorf("%s.%s has no [unit] comment", rel.Name, c.Name)
			}
		}
	}
}

// The reference page is generated from the schema; `go test ./data -update`
// rewrites it after a migration.
func TestSchemaDocIsCurrent(t *testing.T) {
	doc, err := DescribeSchema(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got := doc.Markdown()
	path := filepath.Join("..", "docs", "schema.md")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run `go test ./data -run SchemaDoc -update` to write it)", err)
	}
	if string(want) != got {
		t.Errorf("%s is out of date with the schema: run `go test ./data -run SchemaDoc -update`", path)
	}
}

// TestForecastCostPerMTokMigration: a forecast stored before migration 9
// counted infrastructure alone as cost_per_mtok_usd, which the run KPI of
// that name counts every cost in. The migration moves the old figure to
// cost_per_mtok_infra_usd and rescales cost_per_mtok_usd to all costs.
func TestForecastCostPerMTokMigration(t *testing.T) {
	db, path := emptyStoreAtVersion(t, "old.duckdb", 8)
	// Period 1: $300 of infrastructure and $100 of licensing and training
	// over 100 Mtok; period 2: no cost; period 3: licensing alone.
	s := openWithRows(t, db, path, `INSERT INTO forecasts VALUES ('f', 'x', '', now(), '', 'quarter', 3, 1, '{}', '');
		INSERT INTO forecast_periods VALUES
		('f', 'v', 0, 1, 'cost_rent_usd', 'USD', 200), ('f', 'v', 0, 1, 'cost_power_usd', 'USD', 100),
		('f', 'v', 0, 1, 'cost_usd', 'USD', 400), ('f', 'v', 0, 1, 'cost_per_mtok_usd', 'USD/Mtok', 3),
		('f', 'v', 0, 2, 'cost_rent_usd', 'USD', 0), ('f', 'v', 0, 2, 'cost_usd', 'USD', 0), ('f', 'v', 0, 2, 'cost_per_mtok_usd', 'USD/Mtok', 0),
		('f', 'v', 0, 3, 'cost_rent_usd', 'USD', 0), ('f', 'v', 0, 3, 'cost_usd', 'USD', 5), ('f', 'v', 0, 3, 'cost_per_mtok_usd', 'USD/Mtok', 0)`)
	tests := []struct {
		period int
		metric string
		want   sql.NullFloat64
	}{
		{1, "cost_per_mtok_usd", sql.NullFloat64{Float64: 4, Valid: true}}, // $400 over 100 Mtok
		{1, "cost_per_mtok_infra_usd", sql.NullFloat64{Float64: 3, Valid: true}},
		{2, "cost_per_mtok_usd", sql.NullFloat64{Float64: 0, Valid: true}},
		{3, "cost_per_mtok_usd", sql.NullFloat64{}}, // its tokens are not stored
	}
	for _, tt := range tests {
		var got sql.NullFloat64
		err := s.DB().QueryRow(`SELECT value FROM forecast_periods WHERE period = ? AND metric = ?`, tt.period, tt.metric).Scan(&got)
		if err != nil || got != tt.want {
			t.Errorf("period %d %s: %v (%v), want %v", tt.period, tt.metric, got, err, tt.want)
		}
	}
}

// TestSeedAndScopeComments: the column comments say what the data holds: a
// forecast run's seed counts its sample, day and slice (docs/forecast.md,
// Method), not the day alone, and a KPI's scope may be a model of a mix
// (model:NAME).
func TestSeedAndScopeComments(t *testing.T) {
	s, _ := openTemp(t)
	for _, tt := range []struct{ table, column, want string }{
		{"forecast_runs", "day", "(sample x days + day) x slices + slice"},
		{"kpis", "scope", "model:NAME"},
	} {
		var comment string
		if err := s.DB().QueryRow(`SELECT comment FROM duckdb_columns() WHERE table_name = ? AND column_name = ?`, tt.table, tt.column).Scan(&comment); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(comment, tt.want) {
			t.Errorf("%s.%s: comment %q lacks %q", tt.table, tt.column, comment, tt.want)
		}
	}
}

// TestSameNamedCountsSayWhatTheyCount: columns that share a name, or read
// as the same quantity, with different ones say which they count: the
// KPI's output tokens are completed requests', a window's every token
// generated; the KPI input_tokens_prefilled counts each completed prompt
// once, a replica's prefill_tokens every prefill it ran. run_summary's
// gross_margin is no fraction within 0..1 when cost exceeds revenue, and
// its utilization is busy time, not batch occupancy (it read "KPI
// utilization", taken for how full the fleet is). requests_dropped is a
// full queue only, where windows.dropped counts timed-out requests too
// (0 against 3,035), and the kpis table says what the lost-to-latency KPIs
// count (nothing in the schema mentioned them).
func TestSameNamedCountsSayWhatTheyCount(t *testing.T) {
	comments := schemaComments(t)
	for _, tt := range []struct{ column, want string }{
		{"run_summary.output_tokens_per_s", "completed requests"},
		{"windows_v.output_tokens_per_s", "every token generated"},
		{"windows.output_tokens", "whether or not their request completed"},
		{"replicas.prefill_tokens", "input_tokens_prefilled"},
		{"latency_sketches.samples", "completed requests"},
		{"run_summary", "negative"},
		{"run_summary.utilization", "busy time"},
		{"run_summary.utilization", "'batch_occupancy'"},
		// A timed-out request is dropped in windows, not in the KPI.
		{"run_summary.requests_dropped", "not those that timed out"},
		{"run_summary.requests_dropped", "requests_timed_out"},
		{"windows.dropped", "requests_dropped plus requests_timed_out"},
		// The lost-to-latency KPIs count dropped and timed-out API
		// requests, which requests cannot rebuild.
		{"kpis", "revenue_lost_to_latency_usd"},
		{"kpis", "dropped by a full queue or timed out in it"},
		{"kpis", "cannot be rebuilt from requests"},
	} {
		if got := comments[tt.column]; !strings.Contains(got, tt.want) {
			t.Errorf("%s: %q lacks %q", tt.column, got, tt.want)
		}
	}
}

// TestRatesSayTheyRunOverTheDrain: the run's rates and cost run over its
// simulated time (runs.sim_ns), the drain included where the run drains
// (docs/model.md, "Served interval": a drained p5 run read 932 tok/s,
// 575,732 tokens over 617.56 s, not over its 600 s horizon), but the
// schema said "over the horizon" (review99 F4).
func TestRatesSayTheyRunOverTheDrain(t *testing.T) {
	comments := schemaComments(t)
	for _, column := range []string{"run_summary.throughput_rps", "run_summary.output_tokens_per_s", "run_summary.cost_usd",
		"sweep_results.throughput_rps"} {
		got := comments[column]
		if !strings.Contains(got, "runs.sim_ns") || !strings.Contains(got, "drain: true") || strings.Contains(got, "over the horizon") {
			t.Errorf("%s: %q, want it over runs.sim_ns, the drain included", column, got)
		}
	}
}

// TestViewNamesAreTheSchemasViews: ViewNames, which `aiecon schema --help`
// lists, is every view of the schema (the help named four of five by
// hand, forecast_bands left out).
func TestViewNamesAreTheSchemasViews(t *testing.T) {
	doc, err := DescribeSchema(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, v := range doc.Views {
		want = append(want, v.Name)
	}
	if got := ViewNames(); !slices.Equal(got, want) {
		t.Errorf("ViewNames() = %v, the schema's views are %v", got, want)
	}
}

// TestViewColumnsCommentedInTheCatalog: every column of the analysts'
// views has a comment in the catalog itself, which a client reads
// (duckdb_columns()), not only in schema.md: a pass-through column has its
// base column's, in a new store and in one migrated from version 12 alike.
func TestViewColumnsCommentedInTheCatalog(t *testing.T) {
	ctx := context.Background()
	db, path := emptyStoreAtVersion(t, "v12.duckdb", 12)
	db.Close()
	for _, p := range []string{MemoryPath, path} {
		s, err := Open(p, Options{})
		if err != nil {
			t.Fatal(err)
		}
		var missing []string
		if missing, err = queryStrings(ctx, s.DB(), `SELECT table_name || '.' || column_name FROM duckdb_columns()
			WHERE table_name IN ('requests_v', 'windows_v', 'run_summary', 'sweep_results') AND coalesce(comment, '') = ''
			ORDER BY ALL`); err != nil {
			t.Fatal(err)
		}
		if len(missing) > 0 {
			t.Errorf("%s: view columns without a comment in the catalog: %v", p, missing)
		}
		for _, c := range [][2]string{{"requests_v.request_id", "requests.request_id"}, {"windows_v.cost_usd", "windows.cost_usd"},
			{"run_summary.finished_at", "runs.finished_at"}, {"sweep_results.params_json", "sweep_points.params_json"},
			{"sweep_results.run_id", "runs.run_id"}} {
			var view, base string
			q := `SELECT coalesce(comment, '') FROM duckdb_columns() WHERE table_name || '.' || column_name = ?`
			if err := s.DB().QueryRow(q, c[0]).Scan(&view); err != nil {
				t.Fatal(err)
			}
			if err := s.DB().QueryRow(q, c[1]).Scan(&base); err != nil {
				t.Fatal(err)
			}
			if view != base || view == "" {
				t.Errorf("%s: %s is commented %q, its base %s %q", p, c[0], view, c[1], base)
			}
		}
		s.Close()
	}
}

// TestParamsJSONIdiom: the query runs.params_json's comment gives reads a
// single run's overrides (JSON strings) and a sweep point's typed values
// alike.
func TestParamsJSONIdiom(t *testing.T) {
	s, err := Open(MemoryPath, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var comment string
	if err := s.DB().QueryRow(`SELECT comment FROM duckdb_columns() WHERE table_name = 'runs' AND column_name = 'params_json'`).
		Scan(&comment); err != nil {
		t.Fatal(err)
	}
	const idiom = "(params_json->>'fleet.count')::INT"
	if !strings.Contains(comment, idiom) {
		t.Fatalf("runs.params_json comment %q does not give %s", comment, idiom)
	}
	// A single run writes numbers as a sweep does since version 18; its
	// older rows hold strings, and the comment says which rows those are.
	for _, want := range []string{`{"fleet.count": 2}`, `before this store reached schema version 18`, `{"fleet.count": "2"}`} {
		if !strings.Contains(comment, want) {
			t.Errorf("runs.params_json comment %q lacks %q", comment, want)
		}
	}
	if _, err := s.DB().Exec(`INSERT INTO runs (run_id, name, status, seed, started_at, params_json) VALUES
		('a', 'set', 'complete', 1, now(), '{"fleet.count":"2"}'), ('b', 'point', 'complete', 1, now(), '{"fleet.count":2}'),
		('c', 'other', 'complete', 1, now(), '{"fleet.count":3}'), ('d', 'plain', 'complete', 1, now(), NULL)`); err != nil {
		t.Fatal(err)
	}
	got, err := queryStrings(context.Background(), s.DB(), `SELECT run_id FROM runs WHERE `+idiom+` = 2 ORDER BY run_id`)
	if err != nil || strings.Join(got, ",") != "a,b" {
		t.Errorf("%s = 2 finds %v (%v), want a,b", idiom, got, err)
	}
}

// emptyStoreAtVersion is a new store file named name, migrated to version and
// left open: the file a build of that schema version would have left.
func emptyStoreAtVersion(t *testing.T, name string, version int) (*sql.DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	db, err := sql.Open("duckdb", path)
	if err != nil {
		t.Fatal(err)
	}
	if err := migrate(context.Background(), db, version); err != nil {
		t.Fatal(err)
	}
	return db, path
}

// openWithRows writes rows (SQL) into the old store db at path, closes it
// and opens it as a Store, which migrates it: what a user's first command
// after an upgrade does. The store is closed when the test ends.
func openWithRows(t *testing.T, db *sql.DB, path, rows string) *Store {
	t.Helper()
	if _, err := db.Exec(rows); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// schemaComments is the schema's comment on each table and view, by its
// name, and on each of their columns, by "relation.column".
func schemaComments(t *testing.T) map[string]string {
	t.Helper()
	doc, err := DescribeSchema(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	comments := map[string]string{}
	for _, rel := range append(doc.Tables, doc.Views...) {
		comments[rel.Name] = rel.Comment
		for _, c := range rel.Columns {
			comments[rel.Name+"."+c.Name] = c.Comment
		}
	}
	return comments
}
