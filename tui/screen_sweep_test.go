package tui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"aiecon/data"
)

func TestRepresentative(t *testing.T) {
	run := func(id string, rep int, status string) data.RunSummary {
		return data.RunSummary{ID: id, Replication: rep, Status: status}
	}
	ok, failed := data.StatusComplete, data.StatusFailed
	for _, tc := range []struct {
		name string
		runs []data.RunSummary
		want string
	}{
		{"replication 1 started first", []data.RunSummary{run("r1", 1, ok), run("r0", 0, ok)}, "r0"},
		{"a complete run beats a failed lower replication", []data.RunSummary{run("f0", 0, failed), run("r1", 1, ok)}, "r1"},
		{"the oldest of a resumed replication", []data.RunSummary{run("f0", 0, failed), run("r0", 0, ok), run("r0b", 0, ok)}, "r0"},
		{"only failed runs", []data.RunSummary{run("f1", 1, failed), run("f0", 0, failed)}, "f0"},
		{"no runs", nil, ""},
	} {
		got, found := representative(data.SweepPoint{Runs: tc.runs})
		if got.ID != tc.want || found != (tc.want != "") {
			t.Errorf("%s: got %q (%v), want %q", tc.name, got.ID, found, tc.want)
		}
	}
}

// The heatmap's shades must keep orders of magnitude apart: with a TTFT
// p99 range reaching 457 s, a linear scale shaded 34.7 s like 0.7 s.
func TestSweepHeatmapScale(t *testing.T) {
	for _, tc := range []struct {
		name  string
		kpi   int // index into heatKPIs
		vals  []float64
		want  []string
		scale string
	}{
		{"wide positive range: log", 2, []float64{457, 34.7, 0.708, 0.701},
			[]string{"░ 457 s", "▒ 34.7 s", "█ 708 ms", "█ 701 ms"}, "log scale"},
		{"narrow range: linear", 0, []float64{1, 2, 3, 3},
			[]string{"█ $1.00", "▓ $2.00", "░ $3.00"}, "linear scale"},
		{"negative values: linear", 1, []float64{-50, 1, 400, 400},
			[]string{"░ -$50.00", "░ $1.00", "█ $400.00"}, "linear scale"},
		// A fraction stays linear however wide: on a log scale 50% and
		// 100% SLO attainment would shade alike.
		{"a fraction: linear", 3, []float64{0.0085, 0.5, 1, 1},
			[]string{"░ 0.9%", "▒ 50.0%", "█ 100%"}, "linear scale"},
	} {
		s := newSweepScreen(testShared(), "sw")
		s.resize(100, 28)
		var pts []data.SweepPoint
		for i, v := range tc.vals {
			r := data.RunSummary{Status: data.StatusComplete}
			switch tc.kpi {
			case 0:
				r.CostPerMTokUSD = v
			case 1:
				r.MarginUSD = v
			case 2:
				r.TTFTP99S = v
			case 3:
				r.SLOAttainment = v
			}
			pts = append(pts, data.SweepPoint{Point: i, ParamsJSON: fmt.Sprintf(`{"n": %d}`, i+1), Runs: []data.RunSummary{r}})
		}
		s.update(sweepsLoadedMsg{addr: addr{s.sid}, sweeps: []data.Sweep{{ID: "sw", Name: "grid", Points: len(pts), Replications: 1}}, points: pts})
		s.kpi = tc.kpi
		hm := ansi.Strip(s.heatmap(100))
		for _, want := range append(tc.want, tc.scale) {
			if !strings.Contains(hm, want) {
				t.Errorf("%s: heatmap lacks %q:\n%s", tc.name, want, hm)
			}
		}
	}
}
