package study

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"aiecon/data"
)

// TestSummaryGivesTheHorizon: a sweep's summary says what simulated time
// its totals cover: one horizon for all its runs, or each of a horizon
// varied by point (qt-sweep's 20m revenue and margin read as per nothing).
func TestSummaryGivesTheHorizon(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name, spec string
		horizons   []float64
		horizon    any // JSON horizon_s
		line       string
		byPoint    []string // each CSV row's horizon_s, its last column
	}{
		{"one horizon", "name: h\nbase: baseline\nset: {horizon: 1m}\nparameters:\n  fleet.count: [1, 2]\nkpis: [revenue_usd]\n",
			[]float64{60}, 60.0,
			"each run simulated 1m: totals such as revenue_usd, margin_usd and the counts are over that horizon, not per hour",
			[]string{"60", "60"}},
		{"varied horizon", "name: h\nbase: baseline\nparameters:\n  horizon: [2m, 1m]\nkpis: [revenue_usd]\n",
			[]float64{60, 120}, nil,
			"the runs simulated different horizons (1m, 2m, by point): totals such as revenue_usd, margin_usd and the counts are over each run's, not per hour",
			[]string{"120", "60"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := plan(t, tt.spec)
			s := openStore(t)
			id := data.NewID()
			if _, err := Register(ctx, s, p, id); err != nil {
				t.Fatal(err)
			}
			if _, err := Execute(ctx, p, Options{Store: s, SweepID: id, Workers: 2}); err != nil {
				t.Fatal(err)
			}
			sum, err := Summarize(ctx, s, id, p, ShardSpec{})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(sum.HorizonsS, tt.horizons) {
				t.Errorf("horizons %v, want %v", sum.HorizonsS, tt.horizons)
			}
			if got := sum.HorizonLine(); got != tt.line {
				t.Errorf("horizon line %q, want %q", got, tt.line)
			}
			b, err := json.Marshal(sum.JSONView())
			if err != nil {
				t.Fatal(err)
			}
			var v map[string]any
			if err := json.Unmarshal(b, &v); err != nil {
				t.Fatal(err)
			}
			if h, ok := v["horizon_s"]; !ok || h != tt.horizon {
				t.Errorf("JSON horizon_s %v (present %v), want %v", h, ok, tt.horizon)
			}
			if _, several := v["horizons_s"]; several != (len(tt.horizons) > 1) {
				t.Errorf("JSON horizons_s present %v with horizons %v", several, tt.horizons)
			}
			// Each point's horizon, by row: where the sweep varies it the
			// summary's one horizon_s is null.
			var out strings.Builder
			if err := sum.WriteCSV(&out); err != nil {
				t.Fatal(err)
			}
			recs, err := csv.NewReader(strings.NewReader(out.String())).ReadAll()
			if n := len(recs[0]); err != nil || len(recs) != 1+len(tt.byPoint) || recs[0][n-2] != "horizon_s" || recs[0][n-1] != "sim_s" {
				t.Fatalf("CSV (%v) does not end each row in horizon_s and sim_s:\n%s", err, out.String())
			}
			// Without a drain each run simulated its horizon: sim_s is it.
			for i, want := range tt.byPoint {
				rec := recs[i+1]
				if got, sim := rec[len(rec)-2], rec[len(rec)-1]; got != want || sim != want {
					t.Errorf("CSV point %d horizon_s %q, sim_s %q, want %q", i, got, sim, want)
				}
				pt := v["points"].([]any)[i].(map[string]any)
				if got, sim := fmt.Sprint(pt["horizon_s"]), fmt.Sprint(pt["sim_s"]); got != want || sim != want {
					t.Errorf("JSON point %d horizon_s %s, sim_s %s, want %s", i, got, sim, want)
				}
			}
		})
	}
	// No run counts: nothing to say.
	var empty Summary
	if empty.HorizonLine() != "" || !math.IsNaN(empty.Horizon()) {
		t.Errorf("an empty summary: %q, %v", empty.HorizonLine(), empty.Horizon())
	}
}

// TestSummaryGivesTheDrain: with drain: true each run simulates its horizon
// plus a drain of its own, and the summary says so, with the range of the
// times simulated, where it said "each run simulated 1m" of runs that
// simulated more (and, the drains differing, unequal times); the store's
// comparison of two such runs warns of it.
func TestSummaryGivesTheDrain(t *testing.T) {
	ctx := context.Background()
	p := plan(t, "name: h\nbase: baseline\nset: {horizon: 1m, drain: true}\nparameters:\n  fleet.count: [1, 3]\nkpis: [revenue_usd]\n")
	s := openStore(t)
	id := data.NewID()
	if _, err := Register(ctx, s, p, id); err != nil {
		t.Fatal(err)
	}
	if _, err := Execute(ctx, p, Options{Store: s, SweepID: id, Workers: 2}); err != nil {
		t.Fatal(err)
	}
	sum, err := Summarize(ctx, s, id, p, ShardSpec{})
	if err != nil {
		t.Fatal(err)
	}
	runs, err := s.Runs(ctx, data.RunFilter{SweepID: id})
	if err != nil || len(runs) != 2 {
		t.Fatalf("%d runs (%v)", len(runs), err)
	}
	lo, hi := min(runs[0].SimS, runs[1].SimS), max(runs[0].SimS, runs[1].SimS)
	if !(lo > 60 && hi > lo*(1+data.DrainTolerance)) {
		t.Fatalf("the runs simulated %v and %v: want both past the 1m horizon, and unequal", lo, hi)
	}
	want := "each run simulated its 1m horizon + a drain until its last request ended, " + data.TenthsText(lo) + " to " + data.TenthsText(hi) + ":"
	if line := sum.HorizonLine(); !strings.HasPrefix(line, want) || !strings.Contains(line, "runs that drained longer count more of it") {
		t.Errorf("horizon line %q, want it to start %q and say the drains differ", line, want)
	}
	checkDrainedSim(t, sum, runs)
	c, err := s.Compare(ctx, []string{runs[0].ID, runs[1].ID})
	if err != nil {
		t.Fatal(err)
	}
	if w := c.HorizonWarning(); !strings.Contains(w, "the runs simulated different times") {
		t.Errorf("comparing runs that simulated %v and %v: horizon warning %q", lo, hi, w)
	}
}

// checkDrainedSim: a drained sweep's CSV and JSON give each point's
// simulated time, sim_s, its run's horizon + drain (runs.sim_ns), beside
// horizon_s, the horizon alone: they gave horizon_s only, so a script read
// 60 s for runs that simulated 166 s and 170 s.
func checkDrainedSim(t *testing.T, sum *Summary, runs []data.RunSummary) {
	t.Helper()
	want := map[string]string{} // by point, one run each
	for _, r := range runs {
		want[fmt.Sprint(r.SweepPoint)] = strconv.FormatFloat(r.SimS, 'g', -1, 64)
	}
	var out strings.Builder
	if err := sum.WriteCSV(&out); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(out.String())).ReadAll()
	if err != nil || len(recs) != 3 || recs[0][len(recs[0])-1] != "sim_s" {
		t.Fatalf("CSV (%v) does not end in sim_s:\n%s", err, out.String())
	}
	for _, rec := range recs[1:] {
		if got, h := rec[len(rec)-1], rec[len(rec)-2]; got != want[rec[0]] || h != "60" {
			t.Errorf("CSV point %s: sim_s %q, horizon_s %q, want %s and 60", rec[0], got, h, want[rec[0]])
		}
	}
	b, err := json.Marshal(sum.JSONView())
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Points []struct {
			Point    int      `json:"point"`
			HorizonS float64  `json:"horizon_s"`
			SimS     *float64 `json:"sim_s"`
		} `json:"points"`
	}
	if err := json.Unmarshal(b, &v); err != nil || len(v.Points) != 2 {
		t.Fatalf("JSON (%v): %s", err, b)
	}
	for _, pt := range v.Points {
		got := "null"
		if pt.SimS != nil {
			got = strconv.FormatFloat(*pt.SimS, 'g', -1, 64)
		}
		if got != want[fmt.Sprint(pt.Point)] || pt.HorizonS != 60 {
			t.Errorf("JSON point %d: sim_s %s, horizon_s %v, want %s and 60", pt.Point, got, pt.HorizonS, want[fmt.Sprint(pt.Point)])
		}
	}
}

// TestMonteCarloRowsGiveTheirHorizon: a Monte Carlo study's CSV and JSON
// give each grid row's horizon, that of its samples' runs, then (last in
// the CSV) the time they simulated, sim_s, that horizon without a drain; a row whose samples' horizons differ gives none (commonHorizon).
func TestMonteCarloRowsGiveTheirHorizon(t *testing.T) {
	ctx := context.Background()
	p := plan(t, "name: h\nbase: baseline\nparameters:\n  horizon: [1m, 2m]\nkpis: [revenue_usd]\n"+
		"montecarlo:\n  samples: 2\n  parameters:\n    fleet.price_usd_per_hour: {dist: uniform, min: 10, max: 20}\n")
	s := openStore(t)
	id := data.NewID()
	if _, err := Register(ctx, s, p, id); err != nil {
		t.Fatal(err)
	}
	if _, err := Execute(ctx, p, Options{Store: s, SweepID: id, Workers: 2}); err != nil {
		t.Fatal(err)
	}
	sum, err := Summarize(ctx, s, id, p, ShardSpec{})
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	if err := sum.WriteCSV(&out); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(out.String())).ReadAll()
	if n := len(recs[0]); err != nil || len(recs) < 3 || recs[0][n-2] != "horizon_s" || recs[0][n-1] != "sim_s" {
		t.Fatalf("CSV (%v) does not end in horizon_s and sim_s:\n%s", err, out.String())
	}
	want := map[string]string{"0": "60", "1": "120"} // by grid row, horizon_s and sim_s (no drain)
	for _, rec := range recs[1:] {
		if got, sim := rec[len(rec)-2], rec[len(rec)-1]; got != want[rec[0]] || sim != want[rec[0]] {
			t.Errorf("row %s horizon_s %q, sim_s %q, want %q", rec[0], got, sim, want[rec[0]])
		}
	}
	for i, g := range sum.MonteCarlo {
		if fmt.Sprint(g.HorizonS) != want[fmt.Sprint(i)] || fmt.Sprint(g.SimS) != want[fmt.Sprint(i)] {
			t.Errorf("row %d HorizonS %v, SimS %v, want %s", i, g.HorizonS, g.SimS, want[fmt.Sprint(i)])
		}
	}
	for _, tt := range []struct {
		hs   []float64
		want float64
	}{{[]float64{60, 60}, 60}, {[]float64{60, 120}, math.NaN()}, {nil, math.NaN()}, {[]float64{math.NaN(), 60}, math.NaN()}} {
		if got := commonHorizon(tt.hs); got != tt.want && !(math.IsNaN(got) && math.IsNaN(tt.want)) {
			t.Errorf("commonHorizon(%v) = %v, want %v", tt.hs, got, tt.want)
		}
	}
}
