package tui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"aiecon/data"
	"aiecon/model/kpi"
)

// TestHeatmapOverloadedNoteFitsKPI: the note under a heatmap with an
// overloaded point says what that point's value of the KPI shown is not,
// whole at 80 columns: "its low cost is no saving" showed under heatmaps
// of margin and goodput, and was cut at 80 columns.
func TestHeatmapOverloadedNoteFitsKPI(t *testing.T) {
	want := map[string]string{
		kpi.CostPerMTokUSD: "; low cost is no saving",
		kpi.MarginUSD:      "; high margin is no gain",
		kpi.GrossMargin:    "; high margin is no gain",
		kpi.RevenueUSD:     "; its revenue is no gain",
		kpi.GoodputRPS:     "; goodput does not last",
		kpi.TTFTP99S:       "; latency keeps growing",
		kpi.SLOAttainment:  "; SLO keeps falling",
	}
	for k, hk := range heatKPIs {
		t.Run(hk.name, func(t *testing.T) {
			s := newSweepScreen(testShared(), "sw")
			s.resize(80, 40)
			var pts []data.SweepPoint
			for i := range 4 {
				r := data.RunSummary{ID: fmt.Sprint("r", i), Status: data.StatusComplete, HorizonS: 300,
					CostPerMTokUSD: float64(i + 1), MarginUSD: float64(i), TTFTP99S: float64(i + 1), SLOAttainment: 0.9,
					RevenueUSD: float64(i + 2), GoodputRPS: float64(i + 1), GrossMargin: 0.5}
				pts = append(pts, data.SweepPoint{Point: i, ParamsJSON: fmt.Sprintf(`{"n": %d, "m": %d}`, i%2, i/2), Runs: []data.RunSummary{r}})
			}
			s.update(sweepsLoadedMsg{addr: addr{s.sid}, id: "sw", sweeps: []data.Sweep{{ID: "sw", Name: "grid", Points: 4, Replications: 1}},
				points: pts, overloaded: map[int]int{0: 1}})
			s.kpi = k
			lines := strings.Split(ansi.Strip(s.heatmap(80)), "\n")
			note := lines[len(lines)-1]
			if !strings.HasPrefix(note, "! OVERLOADED") || !strings.HasSuffix(note, want[hk.name]) {
				t.Errorf("the note %q does not end with %q", note, want[hk.name])
			}
			for other, n := range want {
				if n != want[hk.name] && strings.Contains(note, n) && other != hk.name {
					t.Errorf("the note %q says %q, of %s", note, n, other)
				}
			}
		})
	}
}
