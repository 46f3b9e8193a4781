package forecast

import (
	"testing"

	"aiecon/model"
	kpicat "aiecon/model/kpi"
	"aiecon/sim"
)

// A run's result keeps its whole-run KPIs, the agent workloads' requests
// arrived (the denominator of licensing per request: the chat's requests
// retrieve nothing, and an agent's call is licensed as it is sent, served
// or not) and what the API and batch workloads lost to latency
// (which the abandonment note leaves out: no patience decides it), and a
// period's lost to latency is the sessions' part.
func TestRunResultScopedKPIs(t *testing.T) {
	sc := &model.Scenario{Workloads: []model.Workload{{Name: "chat", Class: model.ClassAPI},
		{Name: "offline", Class: model.ClassBatch}, {Name: "shop", Class: model.ClassAgent}}}
	r := RunResult{KPIs: map[string]float64{}}
	r.addScoped(sc, []sim.KPI{
		{Name: kpicat.RequestsCompleted, Value: 100}, {Name: kpicat.RevenueLostToLatencyUSD, Value: 9},
		{Name: kpicat.RequestsCompleted, Scope: "chat", Value: 70}, {Name: kpicat.RevenueLostToLatencyUSD, Scope: "chat", Value: 2},
		{Name: kpicat.RequestsCompleted, Scope: "offline", Value: 10}, {Name: kpicat.RevenueLostToLatencyUSD, Scope: "offline", Value: 1},
		{Name: kpicat.RequestsCompleted, Scope: "shop", Value: 20}, {Name: kpicat.RevenueLostToLatencyUSD, Scope: "shop", Value: 6},
		{Name: kpicat.RequestsArrived, Scope: "shop", Value: 25}, {Name: kpicat.RequestsArrived, Scope: "chat", Value: 80},
		{Name: kpicat.RequestsCompleted, Scope: "model:small", Value: 100}, {Name: kpicat.RevenueLostToLatencyUSD, Scope: "model:small", Value: 9},
	})
	if r.KPIs[kpicat.RequestsCompleted] != 100 || r.AgentRequestsArrived != 25 || r.RequestsLostUSD != 3 {
		t.Fatalf("requests %v, agent requests arrived %v, requests lost $%v; want 100, 25, $3", r.KPIs[kpicat.RequestsCompleted], r.AgentRequestsArrived, r.RequestsLostUSD)
	}
	f := parse(t, small)
	r.Job = Job{Variant: 1, Period: 1}
	r.SimHours = f.Spec.Day.Horizon.Seconds() / 3600
	r.KPIs[kpicat.SessionsCompleted], r.KPIs[kpicat.SessionsAbandoned] = 4, 1
	p := f.period(1, 0, 1, []RunResult{r}, 0, IdleReservation{})
	if !near(p.SessionsLostToLatencyUSD, 6*f.Scale()) {
		t.Errorf("lost to latency %v, want the sessions' $6 x %v", p.SessionsLostToLatencyUSD, f.Scale())
	}
	// The SAMPLING note's counts, unscaled: the fees' sessions completed;
	// the tokens' requests completed less the agent calls arrived (100 -
	// 25), plus the sessions ended, whose calls arrive together.
	if p.AgentFeeEvents != 4 || p.TokenEvents != 80 {
		t.Errorf("agent fee events %v, token events %v; want 4 and 75 + 5", p.AgentFeeEvents, p.TokenEvents)
	}
}
