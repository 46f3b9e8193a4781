package tui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"aiecon/data"
	"aiecon/model/kpi"
)

// TestSweepScopedColumnsAt80: at 80 columns, with a workload of a long
// name as the scope (shopping-assistant), the sweep's table kept TTFT P99
// with its title cut and dropped SLO, the figure w chooses the scope of;
// the titles were sized in bytes, and the "…" of a cut workload name is
// three. Both columns show whole, as they do for chat.
func TestSweepScopedColumnsAt80(t *testing.T) {
	for _, wl := range []string{"chat", "shopping-assistant"} {
		t.Run(wl, func(t *testing.T) {
			s := newSweepScreen(testShared(), "sw")
			s.resize(80, 24)
			var pts []data.SweepPoint
			kpis := runKPIs{}
			for i := range 9 {
				id := fmt.Sprint("r", i)
				pts = append(pts, data.SweepPoint{Point: i, Runs: []data.RunSummary{{ID: id, Status: data.StatusComplete, CostPerMTokUSD: 3.3}},
					ParamsJSON: fmt.Sprintf(`{"fleet.count": %d, "workloads[chat].arrivals.rate": "%d/s"}`, 1+i/3, 2<<(i%3))})
				kpis[id] = map[string]float64{kpiKey(kpi.SLOAttainment, wl): 0.9, kpiKey(kpi.TTFTP99S, wl): 1.5,
					kpiKey(kpi.SLOAttainment, "other"): 0.8, kpiKey(kpi.TTFTP99S, "other"): 2}
			}
			s.update(sweepsLoadedMsg{addr: addr{s.sid}, sweeps: []data.Sweep{{ID: "sw", Name: "fleet-size", Points: 9, Replications: 1}},
				points: pts, kpis: kpis, overloaded: map[int]int{0: 1}})
			for s.scopeName() != wl {
				s.update(keyMsg("w"))
			}
			v := ansi.Strip(s.view(80, 24))
			var head string
			for _, l := range strings.Split(v, "\n") {
				if strings.Contains(l, "$/MTOK") {
					head = l
				}
			}
			tag := scopeTag(wl)
			for _, title := range []string{"OVERLOADED", "TTFT P99 " + tag, "SLO " + tag} {
				if !strings.Contains(head, title) {
					t.Errorf("scope %s at 80 columns: the header %q lacks %q:\n%s", wl, head, title, v)
				}
			}
		})
	}
}
