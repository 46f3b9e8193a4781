package main

import (
	"math"
	"strings"
	"testing"

	"aiecon/model"
	"aiecon/sim"
)

// TestSessionsAbandoned: run warns SESSIONS ABANDONED when an agent
// workload abandons more than a tenth of its ended sessions, beside its
// SLO attainment and what who abandons rests on: the baseline printed "SLO
// met 100.0%" while a third of its shopping sessions were abandoned, with
// no warning. Under the threshold, or for a workload with no patience (an
// API's abandon_rate counts none), it says nothing; nor where the
// workload's SLO is missed (below 90%), which the SLO column shows, and
// OVERLOADED explains, already: the overloaded chat run read "while its SLO
// is met on 0.0% of its calls". Without an SLO it warns, with no SLO clause.
func TestSessionsAbandoned(t *testing.T) {
	tests := []struct {
		name                 string
		class                string
		abandoned, completed float64
		slo                  float64
		want                 []string // nil: no warning
	}{
		{"a third abandoned at 100% SLO", model.ClassAgent, 503, 951, 1, []string{
			"SESSIONS ABANDONED: shop abandons 34.6% of its agent sessions (503 of 1,454 ended) while its SLO is met on 100.0% of its calls",
			"not the users who gave up before an answer, and the run lost $340.44 of revenue to latency",
			"Who abandons rests on aiecon's assumptions, not measurements (docs/model.md, \"Agents\"): workloads[shop].agent.patience ("}},
		{"just above a tenth", model.ClassAgent, 11, 89, 0.95, []string{"shop abandons 11.0% of its agent sessions (11 of 100 ended)"}},
		{"SLO met at 90%", model.ClassAgent, 30, 70, 0.9, []string{"shop abandons 30.0% of its agent sessions (30 of 100 ended) while its SLO is met on 90.0%"}},
		{"SLO missed, overloaded", model.ClassAgent, 9998, 2, 0, nil},
		{"SLO missed at 89%", model.ClassAgent, 30, 70, 0.89, nil},
		{"no SLO", model.ClassAgent, 30, 70, math.NaN(), []string{"shop abandons 30.0% of its agent sessions (30 of 100 ended): SLO attainment counts"}},
		{"a tenth", model.ClassAgent, 10, 90, 1, nil},
		{"a few", model.ClassAgent, 3, 97, 1, nil},
		{"not an agent", model.ClassAPI, 503, 951, 1, nil},
	}
	for _, tt := range tests {
		r := fakeReport(map[string]float64{"revenue_lost_to_latency_usd": 340.44})
		r.l.Scenario.Workloads = []model.Workload{{Name: "shop", Class: tt.class, Agent: &model.Agent{}}}
		for _, k := range []sim.KPI{{Name: "session_abandon_rate", Value: tt.abandoned / (tt.abandoned + tt.completed)},
			{Name: "sessions_abandoned", Value: tt.abandoned}, {Name: "sessions_completed", Value: tt.completed}, {Name: "slo_attainment", Value: tt.slo}} {
			if math.IsNaN(k.Value) {
				continue // no SLO: no attainment KPI
			}
			k.Scope = "shop"
			r.res.KPIs = append(r.res.KPIs, k)
		}
		got := strings.Join(r.warnings(), "\n")
		if tt.want == nil && strings.Contains(got, "ABANDONED") {
			t.Errorf("%s: warned:\n%s", tt.name, got)
		}
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: lacks %q:\n%s", tt.name, w, got)
			}
		}
	}
}
