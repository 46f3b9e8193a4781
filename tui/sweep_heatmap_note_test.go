package tui

import (
	"fmt"
	"slices"
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
			var kpis runKPIs // goodput's heatmap is a share of the arrivals, which only the store's KPIs give
			if hk.name == kpi.GoodputRPS {
				kpis = runKPIs{}
			}
			for i := range 4 {
				if kpis != nil {
					kpis[fmt.Sprint("r", i)] = map[string]float64{kpi.GoodputRPS: float64(i + 1), kpi.RequestsArrived: 2000}
				}
				r := data.RunSummary{ID: fmt.Sprint("r", i), Status: data.StatusComplete, HorizonS: 300,
					CostPerMTokUSD: float64(i + 1), MarginUSD: float64(i), TTFTP99S: float64(i + 1), SLOAttainment: 0.9,
					RevenueUSD: float64(i + 2), GoodputRPS: float64(i + 1), GrossMargin: 0.5}
				pts = append(pts, data.SweepPoint{Point: i, ParamsJSON: fmt.Sprintf(`{"n": %d, "m": %d}`, i%2, i/2), Runs: []data.RunSummary{r}})
			}
			s.update(sweepsLoadedMsg{addr: addr{s.sid}, id: "sw", sweeps: []data.Sweep{{ID: "sw", Name: "grid", Points: 4, Replications: 1}},
				points: pts, kpis: kpis, overloaded: map[int]int{0: 1}})
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

// TestHeatmapGoodputShareOfOffered: goodput's heatmap ranks each point's
// requests that met their SLO as a share of those offered it, and says
// so: per second, a point offered 10/s that served 5/s on time shaded
// best beside one offered 1/s that served all of it, by the rate offered
// alone. The table keeps goodput per second.
func TestHeatmapGoodputShareOfOffered(t *testing.T) {
	// rate, goodput/s, arrivals over the run's 300 s
	offered := []struct{ rate, good, arrived float64 }{{1, 0.99, 300}, {10, 5, 3000}}
	s := newSweepScreen(testShared(), "sw")
	s.resize(100, 40)
	var pts []data.SweepPoint
	kpis := runKPIs{}
	for i, o := range offered {
		id := fmt.Sprint("r", i)
		r := data.RunSummary{ID: id, Status: data.StatusComplete, HorizonS: 300, GoodputRPS: o.good}
		kpis[id] = map[string]float64{kpi.GoodputRPS: o.good, kpi.RequestsArrived: o.arrived}
		pts = append(pts, data.SweepPoint{Point: i, ParamsJSON: fmt.Sprintf(`{"workloads[chat].arrivals.rate": "%g/s"}`, o.rate),
			Runs: []data.RunSummary{r}})
	}
	s.update(sweepsLoadedMsg{addr: addr{s.sid}, id: "sw", sweeps: []data.Sweep{{ID: "sw", Name: "rates", Points: 2, Replications: 1}},
		points: pts, kpis: kpis})
	s.kpi = slices.IndexFunc(heatKPIs, func(h struct {
		name string
		get  func(r data.RunSummary) float64
		fmt  func(float64) string
	}) bool {
		return h.name == kpi.GoodputRPS
	})
	heat := ansi.Strip(s.heatmap(100))
	for _, want := range []string{"goodput (share of offered)", "█ 99.0%", "░ 50.0%", "not goodput/s", "GOODPUT is per second"} {
		if !strings.Contains(heat, want) {
			t.Errorf("the goodput heatmap lacks %q:\n%s", want, heat)
		}
	}
	if table := ansi.Strip(s.tbl.view()); !strings.Contains(table, "5.00/s") || !strings.Contains(table, "0.990/s") {
		t.Errorf("the table's GOODPUT is not per second:\n%s", table)
	}
}
