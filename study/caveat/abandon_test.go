package caveat

import (
	"strings"
	"testing"

	"aiecon/model"
	"aiecon/model/kpi"
	"aiecon/sim"
)

// TestSessionsAbandonedFailed: where the fleet failed some of the
// abandoned sessions (a call dropped or timed out: sessions_failed),
// SESSIONS ABANDONED says how many, as OVERLOADED does, and no longer says
// attainment leaves out "the users who gave up", which those users did
// not (baseline on one instance with queue_limit 30 abandons 1,362
// sessions, 262 of them the fleet's), nor that "who abandons" rests on
// the patience assumed, which decides none of the failed. With none
// failed, or on a run stored before the KPI (absent), the words are those
// docs quote.
func TestSessionsAbandonedFailed(t *testing.T) {
	const gaveUp = "SLO attainment counts the calls served within their targets, not the users who gave up before an answer"
	// Patience decides who abandons only where the fleet failed none: a
	// failed session's call was dropped or timed out, whatever the patience.
	const whoAbandons = "Who abandons rests on aiecon's assumptions, not measurements (docs/model.md, \"Agents\"): workloads[shop].agent.patience"
	tests := []struct {
		name   string
		failed float64 // < 0: no sessions_failed KPI
		want   []string
		absent []string
	}{
		{"some failed", 262, []string{
			"shop abandons 36.3% of its agent sessions (1,362 of 3,750 ended, 262 of the 1,362 failed by the fleet: a call dropped or timed out) " +
				"while its SLO is met on 95.0% of its calls: SLO attainment counts the calls served within their targets (a call the fleet " +
				"dropped or timed out as one missed), not the sessions left without an answer, whether their users gave up or the fleet failed them.",
			"Who gives up (the abandoned less those the fleet failed) rests on aiecon's assumptions, not measurements (docs/model.md, \"Agents\"), " +
				"while the sessions the fleet failed rest on its queue_limit, queue_timeout and size: workloads[shop].agent.patience"},
			[]string{"users who gave up before", "Who abandons rests"}},
		{"none failed", 0, []string{"(1,362 of 3,750 ended) while its SLO is met on 95.0% of its calls: " + gaveUp, whoAbandons},
			[]string{"failed"}},
		{"stored before the KPI", -1, []string{"(1,362 of 3,750 ended) while its SLO is met on 95.0% of its calls: " + gaveUp, whoAbandons},
			[]string{"failed"}},
	}
	sc := &model.Scenario{Workloads: []model.Workload{{Name: "shop", Class: model.ClassAgent, Agent: &model.Agent{}}}}
	for _, tt := range tests {
		kpis := []sim.KPI{{Name: kpi.SessionAbandonRate, Scope: "shop", Value: 1362.0 / 3750},
			{Name: kpi.SessionsAbandoned, Scope: "shop", Value: 1362}, {Name: kpi.SessionsCompleted, Scope: "shop", Value: 2388},
			{Name: kpi.SLOAttainment, Scope: "shop", Value: 0.95}}
		if tt.failed >= 0 {
			kpis = append(kpis, sim.KPI{Name: kpi.SessionsFailed, Scope: "shop", Value: tt.failed})
		}
		got := SessionsAbandoned(sc, RunAbandonFigures(kpis), 0)
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: lacks %q:\n%s", tt.name, w, got)
			}
		}
		for _, w := range tt.absent {
			if strings.Contains(got, w) {
				t.Errorf("%s: says %q:\n%s", tt.name, w, got)
			}
		}
	}
}
