package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"aiecon/data"
	"aiecon/model/kpi"
	"aiecon/sim"
	"aiecon/study/caveat"
)

// TestOverviewSaysWhatAbandonedCallsStreamed: the run Overview prints run's
// abandoned calls line from the stored KPIs, under the cards and in run's
// words (study/caveat), wrapped within the width; the screen, the one a
// launched run ends on too, never said what calls abandoned mid-answer had
// streamed, nor that the token revenue left it out. A run whose abandoned
// calls streamed nothing priced says nothing.
func TestOverviewSaysWhatAbandonedCallsStreamed(t *testing.T) {
	ws := []sim.WorkloadMeta{{Name: "chat", Class: "api"}, {Name: "shopping-assistant", Class: "agent"}}
	streams := func(usd, billed float64) []sim.KPI {
		return []sim.KPI{{Name: kpi.RevenueUSD, Value: 80, Unit: "USD"},
			{Name: kpi.AbandonedStreamedCalls, Scope: "shopping-assistant", Value: 73, Unit: "count"},
			{Name: kpi.AbandonedStreamedOutputTokens, Scope: "shopping-assistant", Value: 10658, Unit: "tok"},
			{Name: kpi.AbandonedStreamedUSD, Scope: "shopping-assistant", Value: usd, Unit: "USD"},
			{Name: kpi.AbandonedStreamedBilledUSD, Scope: "shopping-assistant", Value: billed, Unit: "USD"}}
	}
	for _, tt := range []struct {
		name string
		kpis []sim.KPI
		want string // "": no line
	}{
		{"not billed", streams(0.3863, 0), "shopping-assistant: 73 calls abandoned after their first token had generated 10,658 output tokens, " +
			"$0.3863 with their prompts at its token prices; not billed (price.bill_abandoned: nothing, the default"},
		{"billed", streams(0.3863, 0.3863), "$0.3863 with their prompts at its token prices; billed, in the token revenue (price.bill_abandoned: streamed)"},
		{"no token price", streams(0, 0), ""},
	} {
		for _, w := range []int{80, 240} {
			s := newRunScreen(testShared(), "1m1q01")
			s.resize(w, 40)
			d := &data.RunDetail{Run: data.RunRecord{RunSummary: data.RunSummary{ID: "1m1q01zz5b0c7d9", Name: "x", Status: data.StatusComplete},
				HorizonNs: int64(time.Hour)}, Workloads: ws, KPIs: tt.kpis}
			s.update(runLoadedMsg{addr: addr{s.sid}, d: d})
			view := ansi.Strip(s.overview(w, 40))
			for _, l := range strings.Split(view, "\n") {
				if ansi.StringWidth(l) > w {
					t.Errorf("%s, %d columns: line wider than the screen: %q", tt.name, w, l)
				}
			}
			text := strings.Join(strings.Fields(view), " ")
			has := strings.Contains(text, caveat.AbandonedCallsLabel+" · shopping-assistant:")
			switch {
			case tt.want == "" && has:
				t.Errorf("%s, %d columns: an abandoned calls line:\n%s", tt.name, w, view)
			case tt.want != "" && (!has || !strings.Contains(text, tt.want)):
				t.Errorf("%s, %d columns: no abandoned calls line with %q:\n%s", tt.name, w, tt.want, view)
			}
		}
	}
}
