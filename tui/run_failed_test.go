package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"aiecon/data"
	"aiecon/model/kpi"
	"aiecon/sim"
)

// TestOverviewSaysWhichSessionsTheFleetFailed: the SLO card's sessions
// abandoned counts the sessions the fleet failed (a call dropped or timed
// out) with those whose users gave up, so a run where some failed shows
// their share on a line of its own, and one where none did shows none.
func TestOverviewSaysWhichSessionsTheFleetFailed(t *testing.T) {
	kpis := func(failed float64) []sim.KPI {
		return []sim.KPI{{Name: kpi.SessionsStarted, Value: 1000, Unit: "count"},
			{Name: kpi.SessionsCompleted, Value: 543, Unit: "count"},
			{Name: kpi.SessionsAbandoned, Value: 457, Unit: "count"},
			{Name: kpi.SessionAbandonRate, Value: 0.457, Unit: "fraction"},
			{Name: kpi.SessionsFailed, Value: failed, Unit: "count"},
			{Name: kpi.SessionFailRate, Value: failed / 1000, Unit: "fraction"}}
	}
	for _, tt := range []struct {
		name   string
		failed float64
		want   bool
	}{
		{"some failed", 106, true},
		{"none failed", 0, false},
	} {
		for _, w := range []int{80, 160, 320} {
			s := newRunScreen(testShared(), "1m1q01")
			s.resize(w, 40)
			d := &data.RunDetail{Run: data.RunRecord{RunSummary: data.RunSummary{ID: "1m1q01zz5b0c7d9", Name: "x", Status: data.StatusComplete},
				HorizonNs: int64(time.Hour)}, Workloads: []sim.WorkloadMeta{{Name: "shop", Class: "agent"}}, KPIs: kpis(tt.failed)}
			s.update(runLoadedMsg{addr: addr{s.sid}, d: d})
			view := ansi.Strip(s.overview(w, 40))
			has := false
			for _, l := range strings.Split(view, "\n") {
				if strings.Contains(l, "failed") && strings.Contains(l, "10.6%") {
					has = true
				}
			}
			// 10.6% is of the 1,000 ended, not of the 457 abandoned
			// (23.2%): the label must not read as a share of the line above.
			if strings.Contains(view, "of them failed") || (tt.want && w == 320 && !strings.Contains(view, "sessions failed")) {
				t.Errorf("%s, %d columns: the failed share of ended sessions is labelled as a share of the abandoned:\n%s", tt.name, w, view)
			}
			if has != tt.want {
				t.Errorf("%s, %d columns: a failed sessions line %v, want %v:\n%s", tt.name, w, has, tt.want, view)
			}
		}
	}
}
