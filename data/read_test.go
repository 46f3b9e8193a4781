package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"aiecon/model/format"
	"aiecon/sim"
)

func TestIDs(t *testing.T) {
	at := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	idState.Lock()
	saved := idState.ms
	idState.ms = 0 // ids made earlier by other tests would clamp these to their time
	idState.Unlock()
	defer func() { idState.Lock(); idState.ms = max(idState.ms, saved); idState.Unlock() }()
	seen := map[string]bool{}
	prev := ""
	for i := 0; i < 2000; i++ {
		id := newIDAt(at) // same millisecond: the random part counts up
		if len(id) != IDLength || id <= prev || seen[id] {
			t.Fatalf("id %d %q after %q: not %d chars, not increasing or repeated", i, id, prev, IDLength)
		}
		seen[id], prev = true, id
		got, err := IDTime(id)
		if err != nil || !got.Equal(at) && !got.Equal(at.Add(time.Millisecond)) {
			t.Fatalf("IDTime(%q) = %v, %v; want %v", id, got, err, at)
		}
	}
	later := newIDAt(at.Add(time.Hour))
	if later <= prev {
		t.Errorf("an id an hour later %q does not sort after %q", later, prev)
	}
	if strings.ContainsAny(later, "ilou") {
		t.Errorf("id %q uses an ambiguous letter", later)
	}
	if _, err := IDTime("short"); err == nil {
		t.Error("IDTime accepted a short id")
	}
}

func TestResolveRun(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	if _, err := s.ResolveRun(ctx, "last"); !errors.Is(err, ErrRunNotFound) {
		t.Errorf("last in an empty store: %v", err)
	}
	a := storeRun(t, s, newSynthRun(1, 10), "a")
	b := storeRun(t, s, newSynthRun(2, 10), "b")
	common := 0
	for common < len(a) && a[common] == b[common] {
		common++
	}
	tests := []struct {
		ref, want string
		err       error
	}{
		{a, a, nil},
		{strings.ToUpper(b), b, nil},
		{b[:common+1], b, nil},
		{"last", b, nil},
		{a[:common], "", ErrAmbiguousRun},
		{"zzzz", "", ErrRunNotFound},
		{"run-1", "", ErrRunNotFound},
		{"", "", ErrRunNotFound},
	}
	for _, tt := range tests {
		got, err := s.ResolveRun(ctx, tt.ref)
		if got != tt.want || !errors.Is(err, tt.err) {
			t.Errorf("ResolveRun(%q) = %q, %v; want %q, %v", tt.ref, got, err, tt.want, tt.err)
		}
	}
	// A forecast's runs, which `aiecon runs` hides, are not "last" while
	// the store holds another run.
	c := storeRun(t, s, newSynthRun(3, 10), "forecast slice")
	if _, err := s.SaveForecast(ctx, ForecastInfo{Name: "f", SpecYAML: "name: f", PeriodLength: "quarter", Periods: 1,
		Samples: 1, ReportJSON: "{}"}, nil, []ForecastRun{{RunID: c, Variant: "v"}}); err != nil {
		t.Fatal(err)
	}
	if got, err := s.ResolveRun(ctx, "last"); got != b || err != nil {
		t.Errorf("last after a forecast = %q, %v; want the newest other run %s", got, err, b)
	}
}

// TestResolveCutIDs: an id cut in its middle, as the dashboard shows one
// too long for its ID column (1m98h…34s9p8), names the run, sweep or
// forecast it was cut from, typed with the ellipsis or with three dots:
// the dashboard showed such ids and no command took them back.
func TestResolveCutIDs(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	// Twins of one millisecond, alike to their last character, a third
	// sharing their last, and one of another time.
	ids := []string{"1m98hfprk34s9p8", "1m98hfprk34s9p9", "1m98hfprk34s9q8", "1m98hj8nydkzpyj"}
	for i, id := range ids {
		w, err := s.BeginRun(ctx, RunInfo{Name: fmt.Sprint("run ", i)})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Fail(errors.New("a test run")); err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{
			`UPDATE runs SET run_id = ? WHERE run_id = ?`,
			`INSERT INTO sweeps VALUES (?, 's', '', now(), 'name: s', 1, 1)`,
			`INSERT INTO forecasts (forecast_id, name, created_at, spec_yaml, period_length, periods, samples, report_json)
				VALUES (?, 'f', now(), 'name: f', 'quarter', 1, 1, '{}')`,
			// Two runs kept of each as of a stopped forecast: one id to resume.
			`INSERT INTO forecast_checkpoints SELECT ?, 'r' || range, 'v', 0, 1, 0, range, '', '', 1, 1, '', '', '{}' FROM range(2)`,
		} {
			args := []any{id}
			if strings.HasPrefix(q, "UPDATE") {
				args = append(args, w.ID())
			}
			if _, err := s.db.ExecContext(ctx, q, args...); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
	}
	resolvers := []struct {
		kind    string
		resolve func(context.Context, string) (string, error)
	}{
		{"run", s.ResolveRun}, {"sweep", s.ResolveSweep}, {"forecast", s.ResolveForecast},
		{"forecast --resume", s.ResolveForecastCheckpoint},
	}
	tests := []struct {
		ref, want string
		why       string // the error's words, where it fails
	}{
		{"1m98h…34s9p8", ids[0], ""},
		{"1m98h...34s9p9", ids[1], ""},
		{"1M98H…34S9P9", ids[1], ""},
		{" 1m98hf…9q8 ", ids[2], ""},
		{"1m98h…8", "", "ambiguous"},
		{"1m98h…zz", "", "not found"},
		{"1m98hfprk34s9p8…9p8", "", "not found"}, // head and tail overlap: no 18-character id
		{"1m98h…", "", "need their start and their end"},
		{"…34s9p8", "", "need their start and their end"},
		{"1m98h…34…p8", "", "use only"},
	}
	for _, r := range resolvers {
		for _, tt := range tests {
			got, err := r.resolve(ctx, tt.ref)
			switch {
			case tt.why == "" && (got != tt.want || err != nil):
				t.Errorf("%s %q = %q, %v; want %q", r.kind, tt.ref, got, err, tt.want)
			case tt.why != "" && (err == nil || !strings.Contains(strings.NewReplacer("no such", "not found", "no unfinished", "not found").Replace(err.Error()), tt.why)):
				t.Errorf("%s %q = %q, %v; want an error saying %q", r.kind, tt.ref, got, err, tt.why)
			}
		}
	}
}

func TestRunsFilterAndOrder(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	ids := []string{storeRun(t, s, newSynthRun(1, 10), "alpha"), storeRun(t, s, newSynthRun(2, 10), "beta")}
	w, _ := s.BeginRun(ctx, RunInfo{Name: "Alpha-2"})
	_ = w.Fail(errors.New("boom"))
	all, err := s.Runs(ctx, RunFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 3 || all[0].ID != w.ID() || all[2].ID != ids[0] {
		t.Fatalf("Runs: %d runs, want 3 newest first", len(all))
	}
	if !math.IsNaN(all[0].RevenueUSD) || all[1].RevenueUSD != 102 {
		t.Errorf("revenue: failed run %v (want NaN), beta %v (want 102)", all[0].RevenueUSD, all[1].RevenueUSD)
	}
	tests := []struct {
		f    RunFilter
		want []string
	}{
		{RunFilter{Status: StatusComplete, OldestFirst: true}, ids},
		{RunFilter{NameLike: "alpha"}, []string{w.ID(), ids[0]}},
		{RunFilter{Limit: 1}, []string{w.ID()}},
		{RunFilter{Status: StatusFailed}, []string{w.ID()}},
		{RunFilter{Scenario: "Synthetic"}, []string{ids[1], ids[0]}},
		{RunFilter{Scenario: "synth"}, nil},
		{RunFilter{Scenario: "synthetic", NameLike: "beta"}, []string{ids[1]}},
	}
	for _, tt := range tests {
		if got := runIDs(t, s, tt.f); !slices.Equal(got, tt.want) {
			t.Errorf("Runs(%+v) = %v, want %v", tt.f, got, tt.want)
		}
	}
	counts := []struct {
		f            RunFilter
		shown, total int
	}{
		{RunFilter{Limit: 2}, 2, 3},
		{RunFilter{Limit: 3}, 3, 3},
		{RunFilter{Limit: 5}, 3, 3},
		{RunFilter{}, 3, 3},
		{RunFilter{NameLike: "alpha", Limit: 1}, 1, 2},
		{RunFilter{Status: StatusComplete, Limit: 1}, 1, 2},
	}
	for _, tt := range counts {
		got, total, err := s.RunsCounted(ctx, tt.f)
		if err != nil || len(got) != tt.shown || total != tt.total {
			t.Errorf("RunsCounted(%+v) = %d of %d, %v; want %d of %d", tt.f, len(got), total, err, tt.shown, tt.total)
		}
	}
	if names, err := s.RunScenarios(ctx); err != nil || !slices.Equal(names, []string{"synthetic"}) {
		t.Errorf("RunScenarios = %v, %v; want [synthetic]", names, err)
	}
	if _, err := s.Runs(ctx, RunFilter{Status: "done"}); err == nil {
		t.Error("Runs accepted status \"done\"")
	}
}

// quantileRef is the type-7 (linear interpolation) sample quantile, the
// definition DuckDB's quantile_cont uses.
func quantileRef(xs []float64, q float64) float64 {
	sort.Float64s(xs)
	h := q * float64(len(xs)-1)
	lo := math.Floor(h)
	if int(lo)+1 >= len(xs) {
		return xs[len(xs)-1]
	}
	return xs[int(lo)] + (h-lo)*(xs[int(lo)+1]-xs[int(lo)])
}

func TestQuantiles(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	r := newSynthRun(3, 5000)
	id := storeRun(t, s, r, "q")
	metric := map[string]func(q sim.RequestRecord) (float64, bool){
		"ttft":  func(q sim.RequestRecord) (float64, bool) { return float64(q.FirstTokenNs-q.ArrivalNs) / 1e9, true },
		"queue": func(q sim.RequestRecord) (float64, bool) { return float64(q.StartNs-q.ArrivalNs) / 1e9, true },
		"e2e":   func(q sim.RequestRecord) (float64, bool) { return float64(q.FinishNs-q.ArrivalNs) / 1e9, true },
		"tpot": func(q sim.RequestRecord) (float64, bool) {
			return float64(q.FinishNs-q.FirstTokenNs) / 1e9 / float64(q.OutputTokens-1), q.OutputTokens > 1
		},
	}
	qs := []float64{0, 0.5, 0.9, 0.99, 1}
	for _, name := range QuantileMetrics() {
		var xs []float64
		for _, q := range r.Requests {
			if q.Status != sim.StatusCompleted {
				continue
			}
			if v, ok := metric[name](q); ok {
				xs = append(xs, v)
			}
		}
		got, err := s.Quantiles(ctx, id, name, qs)
		if err != nil {
			t.Fatal(err)
		}
		for i, q := range qs {
			want := quantileRef(xs, q)
			if math.Abs(got[i]-want) > 1e-9*math.Max(1, math.Abs(want)) {
				t.Errorf("%s q%.2f = %.12g, want %.12g", name, q, got[i], want)
			}
		}
	}
	if _, err := s.Quantiles(ctx, id, "latency", qs); err == nil {
		t.Error("unknown metric accepted")
	}
	if _, err := s.Quantiles(ctx, id, "ttft", []float64{1.5}); err == nil {
		t.Error("quantile 1.5 accepted")
	}
	got, err := s.Quantiles(ctx, "nosuchrun", "ttft", []float64{0.5})
	if err != nil || !math.IsNaN(got[0]) {
		t.Errorf("quantile of a run without requests: %v, %v; want NaN", got, err)
	}
}

func TestCompare(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	a := storeRun(t, s, newSynthRun(1, 10), "a")
	b := storeRun(t, s, newSynthRun(3, 10), "b")
	c, err := s.Compare(ctx, []string{a, b})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Runs) != 2 || c.Runs[0].ID != a {
		t.Fatalf("runs %+v", c.Runs)
	}
	var rev *CompareRow
	for i := range c.Rows {
		if c.Rows[i].Name == "revenue_usd" && c.Rows[i].Scope == "" {
			rev = &c.Rows[i]
		}
	}
	if rev == nil {
		t.Fatal("no revenue_usd row")
	}
	if rev.Values[0] != 101 || rev.Values[1] != 103 || rev.Delta[1] != 2 || math.Abs(rev.RelDelta[1]-2.0/101) > 1e-15 || rev.Unit != "USD" {
		t.Errorf("revenue row %+v", rev)
	}
	// Two sums of one figure in another order differ by rounding noise,
	// which is no change (compare printed -1.705e-13 and -0.0%).
	if _, err := s.DB().Exec(`UPDATE kpis SET value = CASE run_id WHEN ? THEN 128.3 ELSE 128.3 - 1.705e-13 END
		WHERE name = 'revenue_usd' AND scope = ''`, a); err != nil {
		t.Fatal(err)
	}
	if c, err = s.Compare(ctx, []string{a, b}); err != nil {
		t.Fatal(err)
	}
	for _, r := range c.Rows {
		if r.Name == "revenue_usd" && r.Scope == "" {
			if r.Values[0] == r.Values[1] || r.Delta[1] != 0 || r.RelDelta[1] != 0 {
				t.Errorf("revenue_usd %v: Δ %v (%v), want 0: rounding noise", r.Values, r.Delta[1], r.RelDelta[1])
			}
		}
	}
	// A margin from -$10 to +$85 has no relative change (it printed +950%):
	// NaN, and the reason.
	if _, err := s.DB().Exec(`UPDATE kpis SET value = CASE run_id WHEN ? THEN -10 ELSE 85 END
		WHERE name = 'revenue_usd' AND scope = ''`, a); err != nil {
		t.Fatal(err)
	}
	if c, err = s.Compare(ctx, []string{a, b}); err != nil {
		t.Fatal(err)
	}
	for _, r := range c.Rows {
		if r.Name == "revenue_usd" && r.Scope == "" {
			if r.Delta[1] != 95 || !math.IsNaN(r.RelDelta[1]) || r.RelNote(1) != format.RelSignChange {
				t.Errorf("revenue_usd %v: Δ %v (%v, %q), want 95 (NaN, %q)", r.Values, r.Delta[1], r.RelDelta[1], r.RelNote(1), format.RelSignChange)
			}
		}
	}
	if c.Rows[0].Scope != "" || c.Rows[len(c.Rows)-1].Scope != "shopper" {
		t.Errorf("row order: first scope %q, last %q", c.Rows[0].Scope, c.Rows[len(c.Rows)-1].Scope)
	}
	if _, err := s.Compare(ctx, []string{a}); err == nil {
		t.Error("compare of one run accepted")
	}
	if _, err := s.Compare(ctx, []string{a, "nosuch"}); !errors.Is(err, ErrRunNotFound) {
		t.Errorf("compare with an unknown run: %v", err)
	}
}

func TestExportReadsBack(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	r := newSynthRun(4, 3000)
	id := storeRun(t, s, r, "export")
	storeRun(t, s, newSynthRun(5, 100), "other")
	for _, format := range ExportFormats() {
		dir := filepath.Join(t.TempDir(), format)
		files, err := s.Export(ctx, id, format, dir)
		if err != nil {
			t.Fatal(err)
		}
		if len(files) != len(exportTables) {
			t.Fatalf("%s: %d files, want %d", format, len(files), len(exportTables))
		}
		// Read the files back with DuckDB itself, in a fresh database.
		db, err := sql.Open("duckdb", "")
		if err != nil {
			t.Fatal(err)
		}
		reader := "read_parquet"
		if format == "csv" {
			reader = "read_csv_auto"
		}
		count := func(table string) (n int64, ids int64) {
			q := "SELECT count(*), count(DISTINCT run_id) FROM " + reader + "(" + quoteLiteral(filepath.Join(dir, table+"."+format)) + ")"
			if err := db.QueryRow(q).Scan(&n, &ids); err != nil {
				t.Fatalf("%s %s: %v", format, table, err)
			}
			return n, ids
		}
		for table, want := range map[string]int{"runs": 1, "requests": len(r.Requests), "sessions": len(r.Sessions),
			"auctions": len(r.Auctions), "windows": len(r.Windows), "kpis": len(r.Summary.KPIs), "replicas": 2, "run_workloads": 2} {
			if n, ids := count(table); n != int64(want) || ids != 1 {
				t.Errorf("%s %s: %d rows of %d runs, want %d rows of 1", format, table, n, ids, want)
			}
		}
		var sumPrompt int64
		q := "SELECT sum(prompt_tokens) FROM " + reader + "(" + quoteLiteral(filepath.Join(dir, "requests."+format)) + ")"
		if err := db.QueryRow(q).Scan(&sumPrompt); err != nil {
			t.Fatal(err)
		}
		var want int64
		for _, q := range r.Requests {
			want += int64(q.PromptTokens)
		}
		if sumPrompt != want {
			t.Errorf("%s: sum of prompt tokens %d, want %d", format, sumPrompt, want)
		}
		db.Close()
	}
	if _, err := s.Export(ctx, id, "xlsx", t.TempDir()); err == nil {
		t.Error("export to xlsx accepted")
	}
	if _, err := s.Export(ctx, "nosuch", "csv", t.TempDir()); !errors.Is(err, ErrRunNotFound) {
		t.Errorf("export of an unknown run: %v", err)
	}
}

func TestCalibrationsAndSweeps(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	if _, err := s.SaveCalibration(ctx, "{not json", CalibrationMeta{Device: "trn2"}); err == nil {
		t.Error("invalid JSON accepted")
	}
	id1, err := s.SaveCalibration(ctx, `{"gemm": 0.71}`, CalibrationMeta{Device: "trn2", Host: "h"})
	if err != nil {
		t.Fatal(err)
	}
	id2, _ := s.SaveCalibration(ctx, `{"gemm": 0.5}`, CalibrationMeta{Device: "host-cpu"})
	cs, err := s.Calibrations(ctx, "")
	if err != nil || len(cs) != 2 || cs[0].ID != id2 {
		t.Fatalf("Calibrations: %+v %v", cs, err)
	}
	cs, _ = s.Calibrations(ctx, "trn2")
	if len(cs) != 1 || cs[0].ID != id1 || cs[0].ProfileJSON != `{"gemm": 0.71}` || cs[0].Host != "h" {
		t.Errorf("trn2 calibrations: %+v", cs)
	}

	if _, err := s.CreateSweep(ctx, SweepInfo{Name: "x", Replications: 1}); err == nil {
		t.Error("a sweep without points accepted")
	}
	sw, err := s.CreateSweep(ctx, SweepInfo{Name: "count", Replications: 2, SpecYAML: "vary: fleet.count", Points: []string{`{"count":2}`, `{"count":4}`}})
	if err != nil {
		t.Fatal(err)
	}
	w, err := s.BeginRun(ctx, RunInfo{Name: "count-p1", SweepID: sw, SweepPoint: 1, Replication: 0, ParamsJSON: `{"count":4}`})
	if err != nil {
		t.Fatal(err)
	}
	if err := newSynthRun(1, 10).play(w, 10, true); err != nil {
		t.Fatal(err)
	}
	if err := w.Finish(1); err != nil {
		t.Fatal(err)
	}
	pts, err := s.SweepPoints(ctx, sw)
	if err != nil {
		t.Fatal(err)
	}
	if len(pts) != 2 || len(pts[0].Runs) != 0 || len(pts[1].Runs) != 1 || pts[1].Runs[0].ID != w.ID() || pts[1].ParamsJSON != `{"count":4}` {
		t.Errorf("sweep points %+v", pts)
	}
	var n int
	if err := s.DB().QueryRow(`SELECT count(*) FROM sweep_results WHERE sweep_id = ?`, sw).Scan(&n); err != nil || n != 2 {
		t.Errorf("sweep_results rows %d (%v), want 2 (one run, one point not run)", n, err)
	}
	sws, err := s.Sweeps(ctx)
	if err != nil || len(sws) != 1 || sws[0].Points != 2 || sws[0].Replications != 2 {
		t.Errorf("Sweeps: %+v %v", sws, err)
	}
}

// TestRunsOfAScenarioWithVariants: a scenario's name takes the runs of
// each of its variants (stored as name/variant); name/variant takes one;
// a prefix of the name takes none.
func TestRunsOfAScenarioWithVariants(t *testing.T) {
	s, _ := openTemp(t)
	var ids []string
	for i, sc := range []string{"mix/a", "mix/b", "mixer"} {
		r := newSynthRun(uint64(i+1), 10)
		r.Meta.Scenario = sc
		ids = append(ids, storeRun(t, s, r, sc))
	}
	for _, tt := range []struct {
		scenario string
		want     []string
	}{{"MIX", []string{ids[1], ids[0]}}, {"mix/b", []string{ids[1]}}, {"mixer", []string{ids[2]}}, {"mi", nil}} {
		if got := runIDs(t, s, RunFilter{Scenario: tt.scenario}); !slices.Equal(got, tt.want) {
			t.Errorf("--scenario %s: %v, want %v", tt.scenario, got, tt.want)
		}
	}
}

// runIDs lists the ids of the runs a filter selects, in its order.
func runIDs(t *testing.T, s *Store, f RunFilter) []string {
	t.Helper()
	got, err := s.Runs(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range got {
		ids = append(ids, r.ID)
	}
	return ids
}

// TestExportRenameFailsPartWay: a rename that fails after others succeeded
// leaves the folder a mix of this export and an earlier one; the comment
// said the earlier export stayed as it was, and the error named neither.
// The error says which files were replaced and which were not, and the
// files returned are those written.
func TestExportRenameFailsPartWay(t *testing.T) {
	s, _ := openTemp(t)
	id := storeRun(t, s, newSynthRun(4, 50), "export")
	tests := []struct {
		blocked string // a target made a non-empty folder, so its rename fails
		written int
		want    string
	}{
		{"runs", 0, "no file of it was moved in place, and runs.csv, run_workloads.csv"},
		{"kpis", 3, "runs.csv, run_workloads.csv, replicas.csv of this export replaced any earlier ones, and kpis.csv, windows.csv"},
	}
	for _, tt := range tests {
		t.Run(tt.blocked, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.MkdirAll(filepath.Join(dir, tt.blocked+".csv", "x"), 0o755); err != nil {
				t.Fatal(err)
			}
			files, err := s.Export(context.Background(), id, "csv", dir)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want %q", err, tt.want)
			}
			if len(files) != tt.written {
				t.Errorf("%d files returned, want %d: %v", len(files), tt.written, files)
			}
		})
	}
}
