package tui

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"aiecon/data"
	"aiecon/model/kpi"
	"aiecon/sim"
	"aiecon/study"
)

// TestSweepMarksPartialAsCLI: a point's TTFT that rests on some of its
// replications (one completed nothing) is marked " (n=2)" on the sweep
// screen, with aiecon sweep's note, where the screen showed the value
// bare; the samples it marks are those the CLI's Monte Carlo row counts
// as (j partial), and a grid sweep's marks are the CLI's (n=k). The
// margin, which every run defines, is not marked.
func TestSweepMarksPartialAsCLI(t *testing.T) {
	for _, tc := range []struct {
		name, spec string
		monteCarlo bool
	}{
		{"monte carlo", "name: mc\nbase: baseline\nreplications: 3\nkpis: [ttft_p99_s, margin_usd]\nmontecarlo:\n  samples: 2\n" +
			"  parameters:\n    workloads[chat].arrivals.rate: {dist: uniform, min: 1/s, max: 2/s}\n", true},
		{"grid", "name: grid\nbase: baseline\nreplications: 3\nkpis: [ttft_p99_s, margin_usd]\nparameters:\n  fleet.count: [1, 2]\n", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			path, st, p, id := registeredSweep(t, tc.spec)
			// Point 1's replication 0 completed nothing: no TTFT, no sketch.
			for pt := range 2 {
				for rep := range 3 {
					storeRun(t, st, id, pt, rep, pt == 1 && rep == 0)
				}
			}
			want, err := study.Summarize(ctx, st, id, p, study.ShardSpec{})
			if err != nil {
				t.Fatal(err)
			}
			if err := st.Close(); err != nil {
				t.Fatal(err)
			}
			sh := testShared()
			sh.conn = newConn(path, -1)
			defer sh.conn.close()
			s := newSweepScreen(sh, id)
			s.resize(120, 30)
			msgs := msgsOf(s.load())
			if len(msgs) != 1 {
				t.Fatalf("load sent %v", msgs)
			}
			s.update(msgs[0])
			marked := 0
			for i := range s.points {
				ttft, margin := s.tbl.rows[i][len(s.tbl.rows[i])-4].text, s.tbl.rows[i][len(s.tbl.rows[i])-5].text
				cli := want.Points[i].KPIs[0]
				if got := strings.HasSuffix(ttft, study.PartialMark(cli.N, want.Points[i].Runs)); !got ||
					strings.Contains(ttft, "(n=") != study.Partial(cli.N, want.Points[i].Runs) {
					t.Errorf("point %d: TTFT cell %q, the CLI's value rests on %d of %d runs", i, ttft, cli.N, want.Points[i].Runs)
				}
				if strings.Contains(margin, "(n=") {
					t.Errorf("point %d: margin %q marked, every run defines it", i, margin)
				}
				if strings.Contains(ttft, "(n=2)") {
					marked++
				}
			}
			if marked != 1 {
				t.Errorf("%d points marked, want 1", marked)
			}
			if tc.monteCarlo && want.MonteCarlo[0].Partial[0] != marked {
				t.Errorf("the CLI counts %d (j partial) samples, the screen marks %d", want.MonteCarlo[0].Partial[0], marked)
			}
			v := strings.Join(strings.Fields(ansi.Strip(s.view(120, 30))), " ")
			for _, note := range []string{"(n=k) after a value: it rests on k of the point's RUNS, not all;",
				"ttft_p99_s: undefined in the others"} {
				if !strings.Contains(v, note) {
					t.Errorf("the screen lacks the note %q:\n%s", note, v)
				}
			}
			if strings.Contains(v, "(j partial)") != tc.monteCarlo {
				t.Errorf("the note speaks of (j partial) %v, want %v:\n%s", !tc.monteCarlo, tc.monteCarlo, v)
			}
		})
	}
}

// storeRun stores a complete run of the sweep's point and replication,
// whose requests' TTFTs are 0.1 to 0.3 s, or, where none completed, no
// TTFT and no sketch; its margin is $5 either way.
func storeRun(t *testing.T, st *data.Store, id string, pt, rep int, none bool) {
	t.Helper()
	ctx := context.Background()
	seed := uint64(pt*3 + rep + 1)
	w, err := st.BeginRun(ctx, data.RunInfo{Name: "p", ScenarioYAML: "name: p\n", Seed: seed, Version: "test",
		SweepID: id, SweepPoint: pt, Replication: rep})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Begin(sim.RunMeta{Scenario: "p", Seed: seed, HorizonNs: 60e9, WindowNs: 10e9, RequestSampleRate: 1}); err != nil {
		t.Fatal(err)
	}
	sum := sim.Summary{KPIs: []sim.KPI{{Name: kpi.MarginUSD, Value: 5, Unit: "USD"}, {Name: kpi.TTFTP99S, Value: math.NaN(), Unit: "s"}}}
	if !none {
		ls := sim.SketchOf("", sim.LatencyTTFT, []float64{0.1, 0.2, 0.3})
		sum.Latencies = []sim.LatencySketch{ls}
		sum.KPIs[1].Value = 0.3
	}
	if err := w.End(sum); err != nil {
		t.Fatal(err)
	}
	if err := w.Finish(0.1); err != nil {
		t.Fatal(err)
	}
}

// TestSweepKeepsRunsBesideItsMarks: at 80x24 a sweep of two parameters
// keeps its RUNS column where a value is marked (n=k), since the note
// under the table explains the mark by the point's RUNS; with no mark
// RUNS gives way before REVENUE, as before. RUNS went either way, and the
// note pointed at a column the screen did not show.
func TestSweepKeepsRunsBesideItsMarks(t *testing.T) {
	const spec = "name: grid\nbase: baseline\nreplications: 3\nkpis: [ttft_p99_s, margin_usd]\nparameters:\n" +
		"  fleet.count: [1, 2]\n  workloads[chat].arrivals.rate: [1/s, 2/s]\n"
	for _, tc := range []struct {
		name     string
		marked   bool // point 1's first replication completed nothing
		wantRuns bool
	}{
		{"a value marked", true, true},
		{"none marked", false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path, st, _, id := registeredSweep(t, spec)
			for pt := range 4 {
				for rep := range 3 {
					storeRun(t, st, id, pt, rep, tc.marked && pt == 1 && rep == 0)
				}
			}
			if err := st.Close(); err != nil {
				t.Fatal(err)
			}
			sh := testShared()
			sh.conn = newConn(path, -1)
			defer sh.conn.close()
			s := newSweepScreen(sh, id)
			s.resize(80, 22)
			msgs := msgsOf(s.load())
			if len(msgs) != 1 {
				t.Fatalf("load sent %v", msgs)
			}
			s.update(msgs[0])
			v := ansi.Strip(s.view(80, 22))
			if got := s.tbl.showing("RUNS"); got != tc.wantRuns {
				t.Errorf("RUNS shown %v, want %v:\n%s", got, tc.wantRuns, v)
			}
			note := strings.Contains(strings.Join(strings.Fields(v), " "), "rests on k of the point's RUNS")
			if note != tc.marked || tc.marked && !strings.Contains(v, "(n=2)") {
				t.Errorf("the mark and its note shown %v, want %v:\n%s", note, tc.marked, v)
			}
		})
	}
}
