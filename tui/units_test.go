package tui

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"aiecon/data"
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
