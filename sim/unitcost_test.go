package sim

import (
	"math"
	"strings"
	"testing"

	kpicat "aiecon/model/kpi"
)

// unitCosts calls unitCostKPIs on a world of src whose workloads completed
// the given requests and sessions (by workload, in the scenario's order)
// and were attributed costs, and returns what it adds, by "name|scope".
func unitCosts(t *testing.T, src string, costUSD float64, costs []float64, requests, sessions []int64) map[string]float64 {
	t.Helper()
	w, err := New(Config{Scenario: scenario(t, src), Sink: &MemorySink{}})
	if err != nil {
		t.Fatal(err)
	}
	for i := range w.workloads {
		w.workloads[i].stats.completed = requests[i]
		w.workloads[i].stats.sessCompleted = sessions[i]
	}
	got := map[string]float64{}
	w.unitCostKPIs(func(name, scope string, v float64) { got[name+"|"+scope] = v }, costUSD, costs)
	return got
}

// The cost per completed request and per completed session, computed by
// hand: chat (an API) and shop (an agent) on one fleet, $5 of cost of
// which $3 is attributed to chat and $2 to shop. The run's figure per
// request is all its cost over every completed request, the agent's calls
// included; per session only the agent's cost counts, over the sessions
// that completed (abandoned ones are no denominator); where nothing
// completed the figure is NaN, never an infinity; a run with no agent has
// no cost per session at all.
func TestUnitCosts(t *testing.T) {
	nan := math.NaN()
	chatOnly := small8b
	for _, tt := range []struct {
		name               string
		src                string
		cost               float64
		costs              []float64
		requests, sessions []int64
		want               map[string]float64
	}{
		{"chat and an agent", agentsAds, 5, []float64{3, 2}, []int64{100, 40}, []int64{0, 8}, map[string]float64{
			"cost_per_request_usd|": 5.0 / 140, "cost_per_request_usd|chat": 0.03, "cost_per_request_usd|shop": 0.05,
			"cost_per_session_usd|shop": 0.25, "cost_per_session_usd|": 0.25}},
		{"no session completed", agentsAds, 5, []float64{3, 2}, []int64{100, 40}, []int64{0, 0}, map[string]float64{
			"cost_per_request_usd|": 5.0 / 140, "cost_per_request_usd|chat": 0.03, "cost_per_request_usd|shop": 0.05,
			"cost_per_session_usd|shop": nan, "cost_per_session_usd|": nan}},
		{"nothing completed", agentsAds, 5, []float64{3, 2}, []int64{0, 0}, []int64{0, 0}, map[string]float64{
			"cost_per_request_usd|": nan, "cost_per_request_usd|chat": nan, "cost_per_request_usd|shop": nan,
			"cost_per_session_usd|shop": nan, "cost_per_session_usd|": nan}},
		{"no agent", chatOnly, 4, []float64{4}, []int64{50}, []int64{0}, map[string]float64{
			"cost_per_request_usd|": 0.08, "cost_per_request_usd|chat": 0.08}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := unitCosts(t, tt.src, tt.cost, tt.costs, tt.requests, tt.sessions)
			if len(got) != len(tt.want) {
				t.Errorf("added %v, want %v", got, tt.want)
			}
			for k, want := range tt.want {
				v, ok := got[k]
				switch {
				case !ok:
					t.Errorf("%s not added", k)
				case math.IsNaN(want) != math.IsNaN(v) || math.IsInf(v, 0):
					t.Errorf("%s = %v, want %v", k, v, want)
				case !math.IsNaN(want) && math.Abs(v-want) > 1e-12*want:
					t.Errorf("%s = %v, want %v", k, v, want)
				}
			}
		})
	}
}

// In a run, the figures are the run's cost over its requests completed and
// the agent's attributed cost (its cost per Mtok attributed times its
// tokens billed) over its requests and sessions completed: the numerators
// are the ones cost per Mtok uses, all costs, training and licensing too.
func TestUnitCostsOfARun(t *testing.T) {
	sc := scenario(t, strings.Replace(agentsAds, "horizon: 10m", "horizon: 2m", 1)+"training: {tokens: 1e9, where: dedicated}\n")
	res, _ := run(t, sc)
	shop := attributedUSD(t, res, "shop")
	if !(kpi(t, res, kpicat.CostTrainingUSD, "") > 0 && kpi(t, res, kpicat.CostLicensingUSD, "") > 0 && kpi(t, res, kpicat.SessionsCompleted, "shop") > 0) {
		t.Fatal("the run has no training, no licensing or no session completed: the test checks nothing of them")
	}
	for _, tt := range []struct {
		name, scope string
		want        float64
	}{
		{kpicat.CostPerRequestUSD, "", kpi(t, res, kpicat.CostUSD, "") / kpi(t, res, kpicat.RequestsCompleted, "")},
		{kpicat.CostPerRequestUSD, "chat", attributedUSD(t, res, "chat") / kpi(t, res, kpicat.RequestsCompleted, "chat")},
		{kpicat.CostPerRequestUSD, "shop", shop / kpi(t, res, kpicat.RequestsCompleted, "shop")},
		{kpicat.CostPerSessionUSD, "shop", shop / kpi(t, res, kpicat.SessionsCompleted, "shop")},
		{kpicat.CostPerSessionUSD, "", shop / kpi(t, res, kpicat.SessionsCompleted, "")},
	} {
		if got := kpi(t, res, tt.name, tt.scope); math.Abs(got-tt.want) > 1e-9*tt.want {
			t.Errorf("%s[%s] = %v, want %v", tt.name, tt.scope, got, tt.want)
		}
	}
}
