package forecast

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"aiecon/data"
	"aiecon/runner"
	"aiecon/study"
)

// resumable is small with two Monte Carlo samples, so that a resumed
// forecast must also give each sample its own seeds and draws again.
const resumable = small + "monte_carlo: {samples: 2, growth: {dist: uniform, min: 0.8, max: 1.2}}\n"

// TestResumeEqualsWhole: a forecast stopped after k runs keeps them, and
// resumed it runs only the others and stores row for row what the forecast
// run whole stores (period rows, run links, report), then keeps nothing
// for a resume. Before, a stopped forecast kept nothing and a rerun ran
// every run again.
func TestResumeEqualsWhole(t *testing.T) {
	f := parse(t, resumable)
	total := len(f.Jobs())
	dir := t.TempDir()
	whole := filepath.Join(dir, "whole.duckdb")
	wantPeriods, wantLinks := forecastRows(t, whole, storeForecast(t, f, study.ShardSpec{}, whole))
	wantReport := reportJSON(t, whole)
	for _, k := range []int{1, total / 2, total - 1} {
		path := filepath.Join(dir, "resumed-"+string(rune('a'+k))+".duckdb")
		id := stopAfter(t, f, path, k)
		st, err := data.Open(path, data.Options{})
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		reuse, err := Resumed(ctx, st, f, id, study.ShardSpec{}, "test")
		if err != nil {
			t.Fatal(err)
		}
		if len(reuse) != k {
			t.Fatalf("stopped after %d runs: %d kept, want %d", k, len(reuse), k)
		}
		var ran atomic.Int64
		runs, err := Execute(ctx, f, Options{Workers: 2, Store: st, Version: "test", ID: id, Reuse: reuse,
			Progress: func(p Progress) {
				ran.Add(1)
				if p.Reused != len(reuse) || p.Total != total-len(reuse) {
					t.Errorf("progress: %d reused of %d to run, want %d and %d", p.Reused, p.Total, len(reuse), total-len(reuse))
				}
			}})
		if err != nil {
			t.Fatal(err)
		}
		if int(ran.Load()) != total-len(reuse) {
			t.Errorf("resumed after %d kept: ran %d runs, want %d", len(reuse), ran.Load(), total-len(reuse))
		}
		r := NewReport(f, Aggregate(f, runs), len(runs))
		if got, err := Save(ctx, st, f, id, r, runs, "test"); err != nil || got != id {
			t.Fatalf("saved as %q (%v), want %s", got, err, id)
		}
		if left, err := st.ForecastCheckpoints(ctx, id); err != nil || len(left) != 0 {
			t.Errorf("stored whole, it still keeps %d runs for a resume (%v)", len(left), err)
		}
		if err := st.Close(); err != nil {
			t.Fatal(err)
		}
		periods, links := forecastRows(t, path, id)
		if !slices.Equal(periods, wantPeriods) || !slices.Equal(links, wantLinks) {
			t.Errorf("resumed after %d runs: %d period rows, %d links differ from the whole forecast's %d and %d",
				k, len(periods), len(links), len(wantPeriods), len(wantLinks))
		}
		if got := reportJSON(t, path); got != wantReport {
			t.Errorf("resumed after %d runs: its stored report differs from the whole forecast's:\n%s\nwant\n%s", k, got, wantReport)
		}
	}
}

// stopAfter runs f into a new store at path under a fresh id on one
// worker, cancelling it once k runs have finished, as Ctrl-C does (so
// exactly k finish); it returns the id.
func stopAfter(t *testing.T, f *Forecast, path string, k int) string {
	t.Helper()
	st, err := data.Open(path, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	id := data.NewID()
	_, err = Execute(ctx, f, Options{Workers: 1, Store: st, Version: "test", ID: id, Progress: func(p Progress) {
		if p.Done >= k {
			cancel()
		}
	}})
	if err == nil { // the run in flight fails (interrupted, or the store's write cancelled)
		t.Fatalf("stopped after %d runs: no error, want it stopped", k)
	}
	return id
}

// runIDs are the run ids of a report's samples_detail, which differ
// between two stores.
var runIDs = regexp.MustCompile(`"run_ids":\[[^]]*\]`)

// reportJSON is the one forecast's stored report in the store at path,
// its run ids left out.
func reportJSON(t *testing.T, path string) string {
	t.Helper()
	st, err := data.Open(path, data.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var body string
	if err := st.DB().QueryRow(`SELECT report_json FROM forecasts`).Scan(&body); err != nil {
		t.Fatal(err)
	}
	return runIDs.ReplaceAllString(body, `"run_ids":[...]`)
}

// TestResumeRefusesAChangedForecast: a resume of a forecast whose file,
// samples, periods, shard or build changed is refused as the user's to
// mend (exit code 2), naming what changed: the runs it kept are another
// forecast's.
func TestResumeRefusesAChangedForecast(t *testing.T) {
	f := parse(t, resumable)
	path := filepath.Join(t.TempDir(), "stopped.duckdb")
	id := stopAfter(t, f, path, 1)
	st, err := data.Open(path, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, tt := range []struct {
		name    string
		f       func() *Forecast
		shard   study.ShardSpec
		version string
		want    string
	}{
		{"file", func() *Forecast { return parse(t, strings.Replace(resumable, "growth: 0.5", "growth: 0.6", 1)) }, study.ShardSpec{}, "test",
			"the forecast file changed since it started (SHA-256 "},
		{"samples", func() *Forecast {
			g := parse(t, resumable)
			if err := g.SetSamples(3); err != nil {
				t.Fatal(err)
			}
			return g
		}, study.ShardSpec{}, "test", "it runs 2 samples, this command 3 (--samples)"},
		{"periods", func() *Forecast {
			g := parse(t, resumable)
			if err := g.Truncate(1); err != nil {
				t.Fatal(err)
			}
			return g
		}, study.ShardSpec{}, "test", "it runs 2 periods, this command 1 (--periods)"},
		{"shard", func() *Forecast { return parse(t, resumable) }, study.ShardSpec{Index: 0, Count: 2}, "test",
			"it runs the whole forecast, this command shard 0/2 (--shard)"},
		{"build", func() *Forecast { return parse(t, resumable) }, study.ShardSpec{}, "other",
			"its runs were made by aiecon test, this is other"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Resumed(context.Background(), st, tt.f(), id, tt.shard, tt.version)
			var ie *runner.InputError
			if !errors.As(err, &ie) || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "forecast "+id+" cannot be resumed so") {
				t.Errorf("got %v, want an input error naming %q", err, tt.want)
			}
		})
	}
	if _, err := Resumed(context.Background(), st, f, id, study.ShardSpec{}, "test"); err != nil {
		t.Errorf("the same forecast: %v", err)
	}
}

// TestExactCarriesEveryFloat: what a run keeps for a resume reads back bit
// for bit, NaN and the infinities included (JSON numbers hold neither).
func TestExactCarriesEveryFloat(t *testing.T) {
	fresh := 0.1 + 0.2
	r := &RunResult{RunID: "r", KPIs: map[string]float64{"nan": math.NaN(), "inf": math.Inf(1), "ninf": math.Inf(-1), "tiny": 5e-324,
		"third": 1.0 / 3, "neg0": math.Copysign(0, -1)}, Licensing: map[string]float64{}, SimHours: 0.05, Freshness: &fresh, FreshnessInert: true,
		Unfinished: Unfinished{Lines: [numLines]float64{1.5, math.NaN()}, ValueUSD: 2e300}}
	body, err := json.Marshal(keptOf(r))
	if err != nil {
		t.Fatal(err)
	}
	var back keptResult
	if err := json.Unmarshal(body, &back); err != nil {
		t.Fatal(err)
	}
	got := back.result(Job{}, "r")
	for name, v := range r.KPIs {
		if math.Float64bits(got.KPIs[name]) != math.Float64bits(v) {
			t.Errorf("%s: %v read back as %v (%s)", name, v, got.KPIs[name], body)
		}
	}
	if got.Licensing == nil || got.Unfinished.Licensing != nil || *got.Freshness != fresh || !got.FreshnessInert || got.Unfinished.ValueUSD != 2e300 ||
		!math.IsNaN(got.Unfinished.Lines[1]) || got.Unfinished.Lines[0] != 1.5 || got.SimHours != 0.05 {
		t.Errorf("read back as %+v from %s", got, body)
	}
}
