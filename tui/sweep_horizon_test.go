package tui

import (
	"math"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"aiecon/data"
)

// TestSweepHeaderSaysHorizon: the sweep's header says what simulated time
// its totals (margin, revenue) cover, at 80 columns too, as aiecon sweep's
// "each run simulated 5m" line does.
func TestSweepHeaderSaysHorizon(t *testing.T) {
	for _, tc := range []struct {
		name     string
		horizons []float64
		simS     float64 // 0: each run simulated its horizon
		want     string  // "" : no horizon said
	}{
		{"one horizon", []float64{300, 300}, 0, "totals over each run's 5m ·"},
		{"a sweep over the horizon", []float64{7200, 300}, 0, "totals over each run's 5m or 2h ·"},
		{"drained", []float64{300, 300}, 310, "totals over each run's 5m + drain ·"},
		{"unknown", []float64{math.NaN()}, 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSweepScreen(testShared(), "sw")
			s.resize(80, 24)
			var pts []data.SweepPoint
			for i, h := range tc.horizons {
				r := data.RunSummary{ID: "r" + string(rune('a'+i)), Status: data.StatusComplete, HorizonS: h, SimS: h, MarginUSD: 37.64}
				if tc.simS > 0 {
					r.SimS = tc.simS
				}
				pts = append(pts, data.SweepPoint{Point: i, ParamsJSON: `{"fleet.count": 2}`, Runs: []data.RunSummary{r}})
			}
			s.update(sweepsLoadedMsg{addr: addr{s.sid}, id: "sw",
				sweeps: []data.Sweep{{ID: "sw", Name: "fleet-size", Points: len(pts), Replications: 1}}, points: pts})
			head := strings.Split(ansi.Strip(s.view(80, 24)), "\n")[0]
			switch {
			case tc.want == "" && strings.Contains(head, "totals over"):
				t.Errorf("header %q names a horizon the runs lack", head)
			case tc.want != "" && !strings.Contains(head, tc.want):
				t.Errorf("header %q lacks %q", head, tc.want)
			}
		})
	}
}
