package main

import (
	"math"
	"strings"
	"testing"
	"text/tabwriter"

	"aiecon/data"
	"aiecon/model/kpi"
	"aiecon/sim"
)

// TestUnitCostLines: run's ECONOMICS gives the cost per completed request
// and, for a run with agents, per completed session, with what they are
// over; where nothing completed, a dash with the reason, never an
// infinity or a bare dash; a run without the KPI (no agent: no cost per
// session) prints no line for it. show's KPIS says the reason in the unit
// column, the table's last, so no other cell moves.
func TestUnitCostLines(t *testing.T) {
	counts := []sim.KPI{{Name: kpi.RequestsCompleted, Value: 13128}, {Name: kpi.SessionsCompleted, Value: 955}, {Name: kpi.SessionsAbandoned, Value: 499}}
	with := func(ks ...sim.KPI) []sim.KPI { return append(append([]sim.KPI(nil), counts...), ks...) }
	request := func(v float64) sim.KPI { return sim.KPI{Name: kpi.CostPerRequestUSD, Value: v, Unit: "USD/request"} }
	session := func(v float64) sim.KPI { return sim.KPI{Name: kpi.CostPerSessionUSD, Value: v, Unit: "USD/session"} }
	nan := math.NaN()
	for _, tt := range []struct {
		name string
		kpis []sim.KPI
		want []string
	}{
		{"both defined", with(request(0.01126), session(0.03234)), []string{
			"  cost/request  $0.0113 all costs over the 13,128 requests completed; each model call of an agent is one",
			"  cost/session  $0.0323 the agents' share of all costs over the 955 sessions completed; the 499 abandoned and any unfinished not counted"}},
		{"no session completed", with(request(0.0055), session(nan)), []string{
			"  cost/request  $0.0055 all costs over the 13,128 requests completed; each model call of an agent is one",
			"  cost/session  - (no session completed)"}},
		{"nothing completed", with(request(nan), session(nan)), []string{
			"  cost/request  - (no request completed)",
			"  cost/session  - (no session completed)"}},
		// No agent: no call of an agent to count (the clause was printed
		// for inferentia-small and model-mix).
		{"no agent", with(request(0.08)), []string{
			"  cost/request  $0.0800 all costs over the 13,128 requests completed"}},
		{"stored without them", counts, nil},
	} {
		var b strings.Builder
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		runReport{res: &sim.Result{KPIs: tt.kpis}}.printUnitCosts(tw)
		if err := tw.Flush(); err != nil {
			t.Fatal(err)
		}
		got := strings.TrimRight(b.String(), "\n")
		if want := strings.Join(tt.want, "\n"); got != want {
			t.Errorf("%s: printed\n%s\nwant\n%s", tt.name, got, want)
		}
		if strings.Contains(got, "Inf") || strings.Contains(got, "NaN") {
			t.Errorf("%s: %q prints an infinity or a NaN", tt.name, got)
		}
	}
	var b strings.Builder
	d := &data.RunDetail{KPIs: []sim.KPI{request(0.05), session(nan)}}
	if err := printRunKPIs(&b, d); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "USD/session (undefined: no session completed)\n") || strings.Contains(b.String(), "USD/request (") {
		t.Errorf("show's KPIS:\n%s\nwant the undefined cost per session's reason beside its unit, none beside the defined cost per request", b.String())
	}
}
