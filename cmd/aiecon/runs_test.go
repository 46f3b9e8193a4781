package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"aiecon/data"
	"aiecon/sim"
)

// cli runs the command line against a store and returns the exit code, stdout and stderr.
func cli(t *testing.T, db, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(append([]string{"--db", db}, args...), strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

// fixtureRun is what a simulator would stream for a tiny run: enough
// records of each kind to check what the commands print and export.
func fixtureRun(sink sim.Sink, revenue float64, withEnd bool) error {
	meta := sim.RunMeta{Scenario: "fixture", Seed: 3, HorizonNs: 60e9, WindowNs: 10e9, RequestSampleRate: 1,
		Workloads: []sim.WorkloadMeta{{Name: "chat", Class: "api"}},
		Replicas:  []sim.ReplicaMeta{{ID: 0, Instance: 0, Type: "trn2.48xlarge", TP: 32}}}
	if err := sink.Begin(meta); err != nil {
		return err
	}
	var reqs []sim.RequestRecord
	for i := int64(0); i < 100; i++ {
		arr := i * 5e8
		reqs = append(reqs, sim.RequestRecord{ID: i, Session: -1, ArrivalNs: arr, StartNs: arr + 1e7,
			FirstTokenNs: arr + (i+1)*1e7, FinishNs: arr + 2e9, PromptTokens: 800, OutputTokens: 100, RevenueUSD: 1e-4})
	}
	if err := sink.Requests(reqs); err != nil {
		return err
	}
	var wins []sim.WindowRecord
	for i := int64(0); i < 6; i++ {
		wins = append(wins, sim.WindowRecord{StartNs: i * 10e9, EndNs: (i + 1) * 10e9, Arrivals: 20, Completions: 20,
			TTFTP99S: 0.9, CostUSD: 0.2, RevenueUSD: 0.3})
	}
	if err := sink.Windows(wins); err != nil {
		return err
	}
	if !withEnd {
		return nil
	}
	return sink.End(sim.Summary{KPIs: []sim.KPI{
		{Name: "throughput_rps", Value: 1.6667, Unit: "1/s"},
		{Name: "ttft_p99_s", Value: 0.99, Unit: "s"},
		{Name: "slo_attainment", Value: 0.95, Unit: "fraction"},
		{Name: "cost_per_mtok_usd", Value: 0.42, Unit: "USD/Mtok"},
		{Name: "revenue_usd", Value: revenue, Unit: "USD"},
		{Name: "margin_usd", Value: revenue - 1.2, Unit: "USD"},
		{Name: "ttft_p99_s", Scope: "chat", Value: 0.99, Unit: "s"},
	}, Replicas: []sim.ReplicaRecord{{ID: 0, Iterations: 900, BusyNs: 30e9, UpNs: 60e9, PrefillTok: 80000, DecodeTok: 10000, Completed: 100}},
		Events: 1234, SimNs: 60e9})
}

// storeFixture makes a store with two complete runs (revenue 2 and 3 USD)
// and a failed one, and returns its path and the ids, oldest first.
// storeFixture copies the fixture store (makeStoreFixture), made once for
// every test, to cli.duckdb in a new folder of t and returns its path and
// its runs' ids: some thirty tests read or change it, and each made it anew.
func storeFixture(t *testing.T) (string, []string) {
	t.Helper()
	sharedFixture.once.Do(func() {
		dir, err := fixtureDir()
		if err != nil {
			t.Fatal(err)
		}
		sharedFixture.path = filepath.Join(dir, "cli.duckdb")
		ids := makeStoreFixture(t, sharedFixture.path)
		if exists(t, sharedFixture.path+".wal") { // a copy of the store alone would lose what its log holds
			t.Fatalf("%s.wal is left beside the closed fixture store", sharedFixture.path)
		}
		sharedFixture.ids = ids
	})
	if len(sharedFixture.ids) == 0 {
		t.Fatal("the fixture store could not be made once for every test (see the first test that asked for it)")
	}
	path := filepath.Join(t.TempDir(), "cli.duckdb")
	if err := copyFile(sharedFixture.path, path); err != nil {
		t.Fatal(err)
	}
	return path, slices.Clone(sharedFixture.ids)
}

var sharedFixture struct {
	once sync.Once
	path string
	ids  []string
}

// makeStoreFixture stores three runs at path, two complete and one failed,
// and returns their ids.
func makeStoreFixture(t *testing.T, path string) []string {
	t.Helper()
	s, err := data.Open(path, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var ids []string
	for i, rev := range []float64{2, 3, math.NaN()} {
		name := []string{"base", "more-traffic", "broken"}[i]
		w, err := s.BeginRun(context.Background(), data.RunInfo{Name: name, ScenarioYAML: "name: " + name + "\n",
			ResolvedYAML: "name: " + name + "\nseed: 3\n", Seed: 3, Version: "test"})
		if err != nil {
			t.Fatal(err)
		}
		if err := fixtureRun(w, rev, i < 2); err != nil {
			t.Fatal(err)
		}
		if i < 2 {
			err = w.Finish(0.25)
		} else {
			err = w.Fail(errors.New("interrupted: context canceled"))
		}
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, w.ID())
	}
	return ids
}

func TestRunsCommand(t *testing.T) {
	t.Parallel()
	db, ids := storeFixture(t)
	code, out, errs := cli(t, db, "", "runs")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 || !strings.Contains(lines[0], "TTFT P99") {
		t.Fatalf("runs printed:\n%s", out)
	}
	// Newest first; a failed run has no KPIs. The start time is local and
	// says its zone, as show's does (JSON and CSV give UTC).
	zone := " " + time.Now().Format("MST") + " "
	for i, want := range [][]string{
		{ids[2], "broken", "failed", "-", zone},
		{ids[1], "more-traffic", "complete", "990 ms", "95.0%", "$0.4200", "$3.00", "$1.80", zone},
		{ids[0], "base", "complete", "$2.00", "$0.80", zone},
	} {
		for _, w := range want {
			if !strings.Contains(lines[i+1], w) {
				t.Errorf("line %d %q lacks %q", i+1, lines[i+1], w)
			}
		}
	}

	code, out, _ = cli(t, db, "", "runs", "--status", "complete", "--format", "json")
	var rows []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &rows) != nil || len(rows) != 2 {
		t.Fatalf("runs --format json: exit %d\n%s", code, out)
	}
	if rows[0]["run_id"] != ids[1] || rows[0]["revenue_usd"] != 3.0 {
		t.Errorf("json row %v", rows[0])
	}
	code, out, _ = cli(t, db, "", "runs", "--name", "BASE", "--format", "csv")
	// horizon_s, seed, sim_s, then the unit costs, each after the columns that were there before it.
	if code != 0 || !strings.HasPrefix(out, "run_id,name,started_at,status,wall_s,throughput_rps,ttft_p99_s,slo_attainment,"+
		"cost_per_mtok_usd,revenue_usd,margin_usd,horizon_s,seed,sim_s,cost_per_request_usd,cost_per_session_usd\n") || strings.Count(out, "\n") != 2 {
		t.Errorf("runs --format csv: exit %d\n%s", code, out)
	}

	for _, args := range [][]string{{"runs", "--status", "done"}, {"runs", "--format", "xml"}, {"runs", "--limit", "-1"}} {
		if code, _, errs := cli(t, db, "", args...); code != 2 || errs == "" {
			t.Errorf("%v: exit %d (%s), want 2", args, code, errs)
		}
	}
	missing := filepath.Join(t.TempDir(), "none.duckdb")
	if code, _, errs := cli(t, missing, "", "runs"); code != 2 || !strings.Contains(errs, "no such store") {
		t.Errorf("runs on a missing store: exit %d, %s", code, errs)
	}
	nodir := filepath.Join(t.TempDir(), "nodir", "s.duckdb")
	if code, _, errs := cli(t, nodir, "", "run", "-q"); code != 2 || !strings.Contains(errs, "no such directory") {
		t.Errorf("run into a missing directory: exit %d, %s", code, errs)
	}
}

func TestShowCommand(t *testing.T) {
	t.Parallel()
	db, ids := storeFixture(t)
	code, out, errs := cli(t, db, "", "show", ids[0][:12])
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	// Spans as a scenario writes them and runs lists them, not Go's 1m0s.
	for _, want := range []string{"run " + ids[0] + "  base  COMPLETE", "seed 3, horizon 1m, windows of 10s", "1m in 1,234 events", "100 requests (all requests)",
		"KPIS", "(run)  revenue_usd", "chat   ttft_p99_s", "REPLICAS", "trn2.48xlarge", "50.0%"} {
		if !strings.Contains(out, want) {
			t.Errorf("show lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = cli(t, db, "", "show", "last")
	if code != 0 || !strings.Contains(out, "FAILED") || !strings.Contains(out, "error: interrupted: context canceled") || !strings.Contains(out, "no KPIs") {
		t.Errorf("show of the failed run:\n%s", out)
	}
	code, out, _ = cli(t, db, "", "show", ids[1], "--yaml", "resolved")
	if code != 0 || out != "name: more-traffic\nseed: 3\n" {
		t.Errorf("show --yaml resolved: %q", out)
	}
	code, out, _ = cli(t, db, "", "show", ids[1], "--json")
	var v map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &v) != nil || v["run_id"] != ids[1] || len(v["kpis"].([]any)) != 7 {
		t.Errorf("show --json:\n%s", out)
	}
	// The horizon in seconds, as run --json, runs and compare give it;
	// horizon_ns stays for the readers that took it.
	code, out, _ = cli(t, db, "", "show", ids[0], "--json")
	if code != 0 || json.Unmarshal([]byte(out), &v) != nil || v["horizon_s"] != 60.0 || v["horizon_ns"] != 60e9 {
		t.Errorf("show --json horizon_s %v, horizon_ns %v, want 60 and 6e10:\n%s", v["horizon_s"], v["horizon_ns"], out)
	}
	for _, args := range [][]string{{"show", "zzzz"}, {"show", ids[0][:3]}, {"show"}, {"show", ids[0], "--yaml", "x"}} {
		if code, _, errs := cli(t, db, "", args...); code != 2 {
			t.Errorf("%v: exit %d (%s), want 2", args, code, errs)
		}
	}
}

func TestCompareCommand(t *testing.T) {
	t.Parallel()
	db, ids := storeFixture(t)
	code, out, errs := cli(t, db, "", "compare", ids[0], ids[1], ids[2])
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var rev string
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "revenue_usd") {
			rev = l
		}
	}
	// Baseline $2, run 2 is $3 (+$1, +50%), run 3 has none.
	if f := strings.Fields(rev); len(f) != 10 || f[3] != "$2.00" || f[4] != "$3.00" || f[5] != "+$1.00" || f[6] != "+50.0%" || f[7] != "-" {
		t.Errorf("revenue row %q in:\n%s", rev, out)
	}
	code, out, _ = cli(t, db, "", "compare", ids[0], ids[1], "--scope", "chat", "--format", "csv")
	if code != 0 || strings.Count(out, "\n") != 2 || !strings.Contains(out, "chat,ttft_p99_s,s,0.99,0.99,0,0") {
		t.Errorf("compare --scope chat --format csv:\n%s", out)
	}
	code, out, _ = cli(t, db, "", "compare", ids[0], ids[1], "--format", "json")
	var v struct {
		KPIs []struct {
			Name     string
			Scope    string
			RelDelta []any `json:"rel_delta"`
		}
	}
	if code != 0 || json.Unmarshal([]byte(out), &v) != nil || len(v.KPIs) != 7 {
		t.Errorf("compare --format json:\n%s", out)
	}
	for _, args := range [][]string{{"compare", ids[0]}, {"compare", ids[0], ids[0]}, {"compare", ids[0], "nope"}} {
		if code, _, errs := cli(t, db, "", args...); code != 2 {
			t.Errorf("%v: exit %d (%s), want 2", args, code, errs)
		}
	}
}

// TestCompareScope: --scope keeps one scope's rows; a scope no run has is
// an input error naming the scopes they have, not an empty table.
func TestCompareScope(t *testing.T) {
	t.Parallel()
	db, ids := storeFixture(t)
	for _, tt := range []struct {
		scope, format string
		code, rows    int    // rows: lines of CSV after the header
		stderr        string // "" = none
	}{
		{"chat", "csv", 0, 1, ""},
		{"run", "csv", 0, 6, ""},
		{"chatt", "csv", 2, 0, `--scope "chatt": no compared run has that scope; they have run, chat`},
		{"chatt", "json", 2, 0, `they have run, chat`},
		{"Chat", "table", 2, 0, `they have run, chat`},
	} {
		code, out, errs := cli(t, db, "", "compare", ids[0], ids[1], "--scope", tt.scope, "--format", tt.format)
		if code != tt.code || !strings.Contains(errs, tt.stderr) || (tt.stderr == "") != (errs == "") {
			t.Errorf("--scope %s --format %s: exit %d, stderr %q; want exit %d, stderr %q", tt.scope, tt.format, code, errs, tt.code, tt.stderr)
		}
		if tt.code != 0 {
			if out != "" {
				t.Errorf("--scope %s --format %s: printed %q on an error", tt.scope, tt.format, out)
			}
			continue
		}
		if n := strings.Count(out, "\n") - 1; n != tt.rows {
			t.Errorf("--scope %s: %d rows, want %d:\n%s", tt.scope, n, tt.rows, out)
		}
	}
}

// TestCompareWarnsOfDifferentHorizons: runs of different lengths are
// compared with a warning that their totals differ by that alone.
func TestCompareWarnsOfDifferentHorizons(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "h.duckdb")
	for _, h := range []string{"2m", "3m"} {
		if code, _, errs := cli(t, db, "", "run", "--horizon", h); code != 0 {
			t.Fatalf("run: %s", errs)
		}
	}
	_, out, _ := cli(t, db, "", "sql", "--format", "csv", "SELECT run_id FROM runs ORDER BY started_at DESC")
	ids := strings.Fields(out)
	if len(ids) != 3 {
		t.Fatalf("runs: %q", out)
	}
	code, _, errs := cli(t, db, "", "compare", ids[1], ids[2])
	if code != 0 || !strings.Contains(errs, "different horizons (3m, 2m)") {
		t.Errorf("compare: exit %d, stderr %q", code, errs)
	}
}

// attainmentSink stores fixtureRun's run with another SLO attainment.
type attainmentSink struct {
	sim.Sink
	attainment float64
}

func (s attainmentSink) End(sum sim.Summary) error {
	for i := range sum.KPIs {
		if sum.KPIs[i].Name == "slo_attainment" {
			sum.KPIs[i].Value = s.attainment
		}
	}
	return s.Sink.End(sum)
}

// TestAttainmentBelowAllMet: a run that missed 6 of 13,056 requests was
// listed, shown and compared as "100.0%", +0.0 pp against one that met
// them all, which a reader takes for all met.
func TestAttainmentBelowAllMet(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "att.duckdb")
	s, err := data.Open(db, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, att := range []float64{13050.0 / 13056, 1} {
		w, err := s.BeginRun(context.Background(), data.RunInfo{Name: "att", ScenarioYAML: "name: att\n", Seed: 3, Version: "test"})
		if err != nil {
			t.Fatal(err)
		}
		if err := fixtureRun(attainmentSink{w, att}, 2, true); err != nil {
			t.Fatal(err)
		}
		if err := w.Finish(0.25); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, w.ID())
	}
	s.Close()
	_, runs, _ := cli(t, db, "", "runs")
	_, cmp, _ := cli(t, db, "", "compare", ids[0], ids[1])
	for _, c := range []struct{ out, want string }{{runs, "99.95%"}, {runs, "100.0%"}, {cmp, "+0.05 pp"}} {
		if !strings.Contains(c.out, c.want) {
			t.Errorf("lacks %q:\n%s", c.want, c.out)
		}
	}
	if strings.Count(runs, "100.0%") != 1 || strings.Contains(cmp, "+0.0 pp") {
		t.Errorf("a run that missed requests printed as all met:\n%s\n%s", runs, cmp)
	}
}

// Revenue and margin are totals over a run's horizon, so runs of a day and
// of half an hour listed side by side differ by that alone: the list says
// each run's horizon (compare warns of it too).
func TestRunsListHorizons(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "h.duckdb")
	for _, h := range []string{"1m", "2m"} {
		if code, _, errs := cli(t, db, "", "run", "inferentia-small", "--horizon", h, "-q"); code != 0 {
			t.Fatalf("run --horizon %s: exit %d: %s", h, code, errs)
		}
	}
	_, out, _ := cli(t, db, "", "runs")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.Contains(lines[0], " HORIZON ") {
		t.Fatalf("runs printed:\n%s", out)
	}
	for i, h := range []string{"2m", "1m"} { // newest first
		if col := strings.Fields(lines[i+1]); !slices.Contains(col, h) {
			t.Errorf("row %d lacks its horizon %s: %q", i+1, h, lines[i+1])
		}
	}
	_, out, _ = cli(t, db, "", "runs", "--format", "json")
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil || len(rows) != 2 || rows[0]["horizon_s"] != 120.0 || rows[1]["horizon_s"] != 60.0 {
		t.Errorf("runs --format json: %v\n%s", err, out)
	}
	if _, out, _ = cli(t, db, "", "runs", "--format", "csv"); !strings.Contains(out, ",margin_usd,horizon_s,seed,sim_s,cost_per_request_usd,cost_per_session_usd\n") ||
		!strings.Contains(out, ",120,1,120,") {
		t.Errorf("runs --format csv:\n%s", out)
	}
}
