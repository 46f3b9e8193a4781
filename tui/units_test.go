package tui

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"aiecon/data"
	"aiecon/model/kpi"
	"aiecon/sim"
)

// TestSecondsColumnOneUnit: a column of durations prints in one unit, the
// largest value's, with hours only where every value is an hour or more:
// the fleet-long sweep's TTFT column read "2,242 s" beside "1.31 h".
func TestSecondsColumnOneUnit(t *testing.T) {
	for _, tc := range []struct {
		name string
		vals []float64
		want []string
	}{
		{"seconds beside hours", []float64{86.9, 4699, 2242, 1293, math.NaN()}, []string{"86.9 s", "4,699 s", "2,242 s", "1,293 s", "-"}},
		{"all hours", []float64{3600, 7200}, []string{"1.00 h", "2.00 h"}},
		{"milliseconds beside seconds", []float64{0.723, 38.1}, []string{"0.723 s", "38.1 s"}},
		{"milliseconds", []float64{0.0402, 0.723, 0}, []string{"40.2 ms", "723 ms", "0 ms"}},
		{"none defined", []float64{math.NaN()}, []string{"-"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := secondsColumn(tc.vals)
			var got []string
			for _, v := range tc.vals {
				got = append(got, f(v))
			}
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("%v printed %q, want %q", tc.vals, got, tc.want)
			}
		})
	}
}

// TestLatencyColumnsOneUnit: the runs list's and a sweep's TTFT P99
// columns print seconds down the column where some value is below an
// hour, not "1.31 h" beside "2,242 s".
func TestLatencyColumnsOneUnit(t *testing.T) {
	ttfts := []float64{86.9, 4699, 2242}
	r := newRunsScreen(testShared())
	r.resize(120, 20)
	var runs []data.RunSummary
	var pts []data.SweepPoint
	for i, v := range ttfts {
		run := summary(fmt.Sprintf("1m1q0%daaaaaaaaa", i+1), fmt.Sprint("run", i), 3, 10)
		run.TTFTP99S = v
		runs = append(runs, run)
		pts = append(pts, data.SweepPoint{Point: i, ParamsJSON: fmt.Sprintf(`{"fleet.count": %d}`, i+1), Runs: []data.RunSummary{run}})
	}
	r.update(runsLoadedMsg{addr: addr{r.sid}, runs: runs})
	s := newSweepScreen(testShared(), "sw")
	s.resize(120, 30)
	s.update(sweepsLoadedMsg{addr: addr{s.sid}, id: "sw", sweeps: []data.Sweep{{ID: "sw", Name: "fleet-long", Points: 3, Replications: 1}}, points: pts})
	for name, v := range map[string]string{"runs": ansi.Strip(r.view(120, 20)), "sweep": ansi.Strip(s.view(120, 30))} {
		if strings.Contains(v, " h ") || !strings.Contains(v, "4,699 s") || !strings.Contains(v, "2,242 s") {
			t.Errorf("%s: the TTFT column mixes units or lacks 4,699 s:\n%s", name, v)
		}
	}
}

// TestRunAndCompareLatencyOneUnit: the Run screen's Workloads and MODELS
// tables and the Compare screen keep one unit for a latency, as the Runs
// and Sweep screens do: a workload's TTFT p99 of 372 ms read above
// another's 1.18 s, and run A's beside run B's. Compare lays the runs
// along a row, so the unit holds along it.
func TestRunAndCompareLatencyOneUnit(t *testing.T) {
	setup, err := setupOf(mixYAML, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	big, small := kpi.ModelScope("llama-3.3-70b"), kpi.ModelScope("small")
	d := &data.RunDetail{Run: data.RunRecord{RunSummary: data.RunSummary{ID: "1m1q02zz5b0c7d9", Name: "model-mix", Status: data.StatusComplete},
		HorizonNs: int64(30 * time.Minute)},
		Workloads: []sim.WorkloadMeta{{Name: "chat", Class: "api"}, {Name: "research", Class: "api"}},
		KPIs: []sim.KPI{{Scope: "chat", Name: kpi.TTFTP99S, Value: 0.372}, {Scope: "research", Name: kpi.TTFTP99S, Value: 1.18},
			{Scope: big, Name: kpi.RequestsCompleted, Value: 1895}, {Scope: small, Name: kpi.RequestsCompleted, Value: 4781},
			{Scope: big, Name: kpi.TTFTP99S, Value: 2.5}, {Scope: small, Name: kpi.TTFTP99S, Value: 0.0402}}}
	r := newRunScreen(testShared(), "1m1q02")
	r.resize(120, 40)
	r.update(runLoadedMsg{addr: addr{r.sid}, d: d, setup: setup})
	cmp := compareOf([2]float64{3600, 3600}, map[string][2]float64{kpi.TTFTP99S: {0.372, 1.18}})
	c := newCompareScreen(testShared(), []string{"a", "b"})
	c.resize(120, 30)
	c.update(compareLoadedMsg{addr: addr{c.sid}, cmp: cmp})
	cellsOf := func(rows [][]cell, col int) []string {
		var out []string
		for _, row := range rows {
			out = append(out, row[col].text)
		}
		return out
	}
	for _, tc := range []struct {
		name string
		got  []string
		want string
	}{
		{"workloads' TTFT P99", cellsOf(r.workloads.rows, 4), "0.372 s|1.18 s"},
		{"models' TTFT P99", cellsOf(r.models.rows, 5), "2.50 s|0.0402 s"},
		{"compare's TTFT p99 row", []string{c.tbl.rows[0][1].text, c.tbl.rows[0][2].text}, "0.372 s|1.18 s"},
	} {
		if strings.Join(tc.got, "|") != tc.want {
			t.Errorf("%s: %q, want %s", tc.name, tc.got, tc.want)
		}
	}
}
