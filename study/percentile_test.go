package study

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"aiecon/data"
	"aiecon/model/stats"
	"aiecon/sim"
)

// percentileSweep is a one-point sweep whose runs storeFakeRuns writes.
const percentileSweep = `name: pct
base: baseline
parameters:
  fleet.count: [1]
replications: %d
kpis: [ttft_p99_s, margin_usd]
`

// storeFakeRuns registers a one-point sweep and stores one complete run
// per replication: TTFT samples[r] (its ttft_p99_s KPI is their own p99,
// as the simulator's) and, when withSketches[r], their latency sketch; a
// run without is one stored before schema version 11.
func storeFakeRuns(t *testing.T, samples [][]float64, withSketches []bool) (*data.Store, string, *Plan) {
	t.Helper()
	ctx := context.Background()
	p := plan(t, strings.Replace(percentileSweep, "%d", string(rune('0'+len(samples))), 1))
	s := openStore(t)
	id := data.NewID()
	if _, err := Register(ctx, s, p, id); err != nil {
		t.Fatal(err)
	}
	for r, xs := range samples {
		w, err := s.BeginRun(ctx, data.RunInfo{Name: "pct", ScenarioYAML: "name: pct\n", Seed: uint64(r + 1), Version: "test",
			SweepID: id, SweepPoint: 0, Replication: r})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Begin(sim.RunMeta{Scenario: "pct", Seed: uint64(r + 1), HorizonNs: 60e9, WindowNs: 10e9, RequestSampleRate: 1}); err != nil {
			t.Fatal(err)
		}
		ls := sim.SketchOf("", sim.LatencyTTFT, xs)
		d, err := ls.Decode()
		if err != nil {
			t.Fatal(err)
		}
		sum := sim.Summary{KPIs: []sim.KPI{
			{Name: "ttft_p99_s", Value: sim.PoolQuantile([]*sim.LatencyDist{d}, nil, 0.99), Unit: "s"},
			{Name: "margin_usd", Value: float64(r), Unit: "USD"}}}
		if withSketches[r] {
			sum.Latencies = []sim.LatencySketch{ls}
		}
		if err := w.End(sum); err != nil {
			t.Fatal(err)
		}
		if err := w.Finish(0.1); err != nil {
			t.Fatal(err)
		}
	}
	return s, id, p
}

// TestPooledPercentile: a point's p99 is the p99 of its replications'
// requests pooled, within the sketch's relative accuracy of the exact
// quantile of the concatenated samples (between the order statistics
// around rank q(n-1)), exactly that quantile when there are at most
// sim.ExactLimit samples; not the mean of the runs' own p99s, which is
// biased low for short runs.
func TestPooledPercentile(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	exp := func(n int, scale float64) []float64 {
		out := make([]float64, n)
		for i := range out {
			out[i] = scale * rng.ExpFloat64()
		}
		return out
	}
	for _, tc := range []struct {
		name  string
		runs  [][]float64
		exact bool // at most ExactLimit samples in all: interpolated exactly
	}{
		{"two small runs, exact", [][]float64{exp(200, 1), exp(300, 1)}, true},
		{"three short runs past the exact limit", [][]float64{exp(400, 1), exp(500, 1), exp(600, 1)}, false},
		{"two long runs", [][]float64{exp(20000, 1), exp(30000, 1)}, false},
		{"four runs of different scales", [][]float64{exp(3000, 0.5), exp(3000, 1), exp(100, 4), exp(5000, 2)}, false},
		{"five runs", [][]float64{exp(300, 1), exp(300, 1), exp(300, 1), exp(300, 1), exp(300, 1)}, false},
		{"six runs of different scales", [][]float64{exp(3000, 0.5), exp(3000, 1), exp(100, 4), exp(5000, 2), exp(400, 1), exp(900, 3)}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			with := make([]bool, len(tc.runs))
			for i := range with {
				with[i] = true
			}
			s, id, p := storeFakeRuns(t, tc.runs, with)
			sum, err := Summarize(context.Background(), s, id, p, ShardSpec{})
			if err != nil {
				t.Fatal(err)
			}
			if !sum.PooledPercentile[0] || len(sum.MeanPercentiles) != 0 || sum.PooledPercentile[1] {
				t.Fatalf("pooled %v, averaged %v: want ttft_p99_s pooled, margin_usd not", sum.PooledPercentile, sum.MeanPercentiles)
			}
			all := slices.Concat(tc.runs...)
			slices.Sort(all)
			want := stats.Quantile(all, 0.99)
			got := sum.Points[0].KPIs[0]
			h := 0.99 * float64(len(all)-1)
			lo, hi := all[int(math.Floor(h))]*(1-sim.SketchAccuracy), all[int(math.Ceil(h))]*(1+sim.SketchAccuracy)
			switch {
			case tc.exact && got.Mean != want:
				t.Errorf("pooled p99 %v, want exactly %v", got.Mean, want)
			case got.Mean < lo || got.Mean > hi:
				t.Errorf("pooled p99 %v outside [%v, %v] around the exact %v", got.Mean, lo, hi, want)
			}
			switch {
			case got.N != len(tc.runs) || !got.Bootstrap:
				t.Errorf("interval %+v: want N %d, a bootstrap", got, len(tc.runs))
			case got.N < MinBootstrapRuns && !(math.IsNaN(got.Lo) && math.IsNaN(got.Hi) && math.IsNaN(got.HalfWidth)):
				t.Errorf("interval %+v over %d runs: want none, too few to resample", got, got.N)
			case got.N >= MinBootstrapRuns && !(got.Lo <= got.Mean && got.Mean <= got.Hi):
				t.Errorf("interval %+v: want a bootstrap interval about the pooled value", got)
			}
			// Deterministic: the same runs give the same interval (printed,
			// so that NaN ends, too few runs, compare equal).
			again, err := Summarize(context.Background(), s, id, p, ShardSpec{})
			if err != nil || fmt.Sprintf("%+v", again.Points[0].KPIs[0]) != fmt.Sprintf("%+v", got) {
				t.Errorf("again: %+v (%v), first %+v", again.Points[0].KPIs[0], err, got)
			}
			var csv bytes.Buffer
			if err := sum.WriteCSV(&csv); err != nil || !strings.Contains(csv.String(), "ttft_p99_s_pooled,") {
				t.Errorf("CSV header does not name the pooled p99: %q", strings.SplitN(csv.String(), "\n", 2)[0])
			}
		})
	}
}

// TestPercentileFallsBackToMean: a point whose replications lack latency
// sketches (stored before schema version 11), even one of them, averages
// the runs' own percentiles as before, and the summary says so: the CSV
// column is <kpi>_mean and MeanPercentiles names the KPI.
func TestPercentileFallsBackToMean(t *testing.T) {
	runs := [][]float64{{1, 2, 3, 4, 5}, {2, 4, 6, 8, 10, 12}, {3, 3, 3}}
	for _, with := range [][]bool{{false, false, false}, {true, false, true}} {
		s, id, p := storeFakeRuns(t, runs, with)
		sum, err := Summarize(context.Background(), s, id, p, ShardSpec{})
		if err != nil {
			t.Fatal(err)
		}
		var own []float64
		for _, xs := range runs {
			own = append(own, stats.Quantile(xs, 0.99))
		}
		// Its t interval reaches below 0 s, where a latency cannot be: cut
		// there (Interval.ClampTo).
		want := MeanCI(own, ConfidenceLevel).ClampTo(0, math.Inf(1))
		if got := sum.Points[0].KPIs[0]; got != want || !got.Clamped {
			t.Errorf("sketches %v: p99 %+v, want the mean %+v", with, got, want)
		}
		if sum.PooledPercentile[0] || len(sum.MeanPercentiles) != 1 || sum.MeanPercentiles[0].Name != "ttft_p99_s" {
			t.Errorf("sketches %v: pooled %v, averaged %v", with, sum.PooledPercentile, sum.MeanPercentiles)
		}
		var csv bytes.Buffer
		if err := sum.WriteCSV(&csv); err != nil || !strings.Contains(csv.String(), "ttft_p99_s_mean,") {
			t.Errorf("CSV header does not say mean: %q", strings.SplitN(csv.String(), "\n", 2)[0])
		}
	}
}

// TestBootstrapNeverAPoint: a pooled percentile's interval over too few
// runs to resample is none, not a point (two runs whose p99 fell in one
// sketch bucket printed 0.7445 [0.7445, 0.7445]), and one over enough
// runs is never narrower than the sketch's relative accuracy, even where
// every run has the same samples.
func TestBootstrapNeverAPoint(t *testing.T) {
	same := make([]float64, 5000) // past the exact limit: the sketch answers
	for i := range same {
		same[i] = 0.5 + float64(i%100)/400
	}
	dists := func(n int) []*sim.LatencyDist {
		ds := make([]*sim.LatencyDist, n)
		for i := range ds {
			d, err := sim.SketchOf("", sim.LatencyTTFT, same).Decode()
			if err != nil {
				t.Fatal(err)
			}
			ds[i] = d
		}
		return ds
	}
	for _, n := range []int{2, MinBootstrapRuns - 1, MinBootstrapRuns, 8} {
		iv := PooledPercentileCI(dists(n), nil, 0.99, ConfidenceLevel, true)
		if n < MinBootstrapRuns {
			if !math.IsNaN(iv.Lo) || !math.IsNaN(iv.Hi) || !math.IsNaN(iv.HalfWidth) || cellInterval(iv) != cellNum(iv.Mean)+" [-]" {
				t.Errorf("%d runs: interval [%v, %v] (cell %q), want none", n, iv.Lo, iv.Hi, cellInterval(iv))
			}
			continue
		}
		if w := 2 * sim.SketchAccuracy * iv.Mean; !(iv.Hi-iv.Lo >= w*(1-1e-9)) || !(iv.Lo < iv.Mean && iv.Mean < iv.Hi) {
			t.Errorf("%d runs: interval [%v, %v] about %v, want at least %v wide", n, iv.Lo, iv.Hi, iv.Mean, w)
		}
	}
}
