package study

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
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
			if err != nil || len(recs) != 1+len(tt.byPoint) || recs[0][len(recs[0])-1] != "horizon_s" {
				t.Fatalf("CSV (%v) does not end each row in horizon_s:\n%s", err, out.String())
			}
			for i, want := range tt.byPoint {
				if got := recs[i+1][len(recs[i+1])-1]; got != want {
					t.Errorf("CSV point %d horizon_s %q, want %q", i, got, want)
				}
				pt := v["points"].([]any)[i].(map[string]any)
				if got := fmt.Sprint(pt["horizon_s"]); got != want {
					t.Errorf("JSON point %d horizon_s %s, want %s", i, got, want)
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
	c, err := s.Compare(ctx, []string{runs[0].ID, runs[1].ID})
	if err != nil {
		t.Fatal(err)
	}
	if w := c.HorizonWarning(); !strings.Contains(w, "the runs simulated different times") {
		t.Errorf("comparing runs that simulated %v and %v: horizon warning %q", lo, hi, w)
	}
}

// TestMonteCarloRowsGiveTheirHorizon: a Monte Carlo study's CSV and JSON
// give each grid row's horizon, that of its samples' runs, last in the
// CSV; a row whose samples' horizons differ gives none (commonHorizon).
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
	if err != nil || len(recs) < 3 || recs[0][len(recs[0])-1] != "horizon_s" {
		t.Fatalf("CSV (%v) does not end in horizon_s:\n%s", err, out.String())
	}
	want := map[string]string{"0": "60", "1": "120"} // by grid row
	for _, rec := range recs[1:] {
		if got := rec[len(rec)-1]; got != want[rec[0]] {
			t.Errorf("row %s horizon_s %q, want %q", rec[0], got, want[rec[0]])
		}
	}
	for i, g := range sum.MonteCarlo {
		if fmt.Sprint(g.HorizonS) != want[fmt.Sprint(i)] {
			t.Errorf("row %d HorizonS %v, want %s", i, g.HorizonS, want[fmt.Sprint(i)])
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
