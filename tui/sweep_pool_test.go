package tui

import (
	"context"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"

	"aiecon/data"
	"aiecon/model/kpi"
	"aiecon/sim"
	"aiecon/study"
)

// TestSweepPercentilesMatchSummary: the sweep screen's latency percentile
// at a point is what aiecon sweep's summary prints for it: the percentile
// of the replications' requests pooled from their stored sketches, not the
// mean of the runs' own percentiles; and, when a run the sweep counts has
// no sketches (stored before schema version 11), the mean, as the summary
// falls back to. A second run of a replication (a merged store) does not
// count, as in the summary.
func TestSweepPercentilesMatchSummary(t *testing.T) {
	for _, tc := range []struct {
		name     string
		sketches []bool
		pooled   bool
	}{
		{"every run has sketches", []bool{true, true, true}, true},
		{"a run has none", []bool{true, false, true}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			path, st, p, id := registeredSweep(t, "name: pct\nbase: baseline\nparameters:\n  fleet.count: [1]\nreplications: 3\nkpis: [ttft_p99_s, gross_margin]\n")
			rng := rand.New(rand.NewPCG(3, 5))
			// Runs of different lengths and scales: their p99s' mean is far
			// from the pooled p99. The last is a later duplicate of
			// replication 0, which the summary does not count.
			runs := []struct {
				rep, n int
				scale  float64
			}{{0, 300, 1}, {1, 2000, 3}, {2, 800, 0.5}, {0, 500, 10}}
			for i, r := range runs {
				xs := make([]float64, r.n)
				for j := range xs {
					xs[j] = r.scale * rng.ExpFloat64()
				}
				w, err := st.BeginRun(ctx, data.RunInfo{Name: "pct", ScenarioYAML: "name: pct\n", Seed: uint64(i + 1), Version: "test",
					SweepID: id, SweepPoint: 0, Replication: r.rep})
				if err != nil {
					t.Fatal(err)
				}
				if err := w.Begin(sim.RunMeta{Scenario: "pct", Seed: uint64(i + 1), HorizonNs: 60e9, WindowNs: 10e9, RequestSampleRate: 1}); err != nil {
					t.Fatal(err)
				}
				ls := sim.SketchOf("", sim.LatencyTTFT, xs)
				d, err := ls.Decode()
				if err != nil {
					t.Fatal(err)
				}
				sum := sim.Summary{KPIs: []sim.KPI{
					{Name: kpi.TTFTP99S, Value: sim.PoolQuantile([]*sim.LatencyDist{d}, nil, 0.99), Unit: "s"},
					{Name: kpi.GrossMargin, Value: 0.5, Unit: "fraction"}}}
				if i >= len(tc.sketches) || tc.sketches[i] {
					sum.Latencies = []sim.LatencySketch{ls}
				}
				if err := w.End(sum); err != nil {
					t.Fatal(err)
				}
				if err := w.Finish(0.1); err != nil {
					t.Fatal(err)
				}
			}
			want, err := study.Summarize(ctx, st, id, p, study.ShardSpec{})
			if err != nil {
				t.Fatal(err)
			}
			if err := st.Close(); err != nil {
				t.Fatal(err)
			}
			if want.PooledPercentile[0] != tc.pooled || want.Points[0].Runs != 3 {
				t.Fatalf("summary pooled %v over %d runs, want %v over 3", want.PooledPercentile, want.Points[0].Runs, tc.pooled)
			}

			sh := testShared()
			sh.conn = newConn(path, -1)
			defer sh.conn.close()
			s := newSweepScreen(sh, id)
			s.resize(120, 28)
			msgs := msgsOf(s.load())
			if len(msgs) != 1 {
				t.Fatalf("load sent %v", msgs)
			}
			if m := msgs[0].(sweepsLoadedMsg); m.err != nil {
				t.Fatal(m.err)
			}
			s.update(msgs[0])
			if len(s.points) != 1 {
				t.Fatalf("%d points, want 1", len(s.points))
			}
			k := slices.IndexFunc(heatKPIs, func(h struct {
				name string
				get  func(r data.RunSummary) float64
				fmt  func(float64) string
			}) bool {
				return h.name == kpi.TTFTP99S
			})
			got, exp := s.points[0].interval(k).Mean, want.Points[0].KPIs[0].Mean
			if math.Abs(got-exp) > 1e-12 {
				t.Errorf("screen's ttft_p99_s %v, summary's %v", got, exp)
			}
			if s.meanPct == tc.pooled {
				t.Errorf("screen averages percentiles: %v, want %v", s.meanPct, !tc.pooled)
			}
		})
	}
}

// registeredSweep opens a new store and registers in it the sweep that spec
// (a sweep file's YAML) describes, with no run yet; the caller stores its
// runs and closes the store.
func registeredSweep(t testing.TB, spec string) (path string, st *data.Store, p *study.Plan, id string) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "s.duckdb")
	st, err := data.Open(path, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	sp, err := study.ParseSpec("sweep.yaml", []byte(spec), t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if p, err = study.NewPlan(sp); err != nil {
		t.Fatal(err)
	}
	id = data.NewID()
	if _, err := study.Register(context.Background(), st, p, id); err != nil {
		t.Fatal(err)
	}
	return path, st, p, id
}
