package caveat

import (
	"reflect"
	"testing"

	"aiecon/model/kpi"
	"aiecon/sim"
)

// TestAbandonedStreamsFromKPIs: the abandoned calls line reads a run's
// abandoned_streamed_* KPIs, per workload in the order given (the run's,
// not the KPIs'), says billed only where the run billed them, and is left
// out where the calls streamed nothing priced or the run has no such KPIs
// (stored before them, or an API workload).
func TestAbandonedStreamsFromKPIs(t *testing.T) {
	streams := func(scope string, calls, tok, usd, billed float64) []sim.KPI {
		return []sim.KPI{{Name: kpi.AbandonedStreamedCalls, Scope: scope, Value: calls},
			{Name: kpi.AbandonedStreamedOutputTokens, Scope: scope, Value: tok},
			{Name: kpi.AbandonedStreamedUSD, Scope: scope, Value: usd}, {Name: kpi.AbandonedStreamedBilledUSD, Scope: scope, Value: billed}}
	}
	ws := []sim.WorkloadMeta{{Name: "research", Class: "agent"}, {Name: "chat", Class: "api"}, {Name: "shop", Class: "agent"}}
	notBilled := "not billed (price.bill_abandoned: nothing, the default, as no provider's rule for a cancelled stream is assumed; streamed bills them)"
	for _, tt := range []struct {
		name string
		kpis []sim.KPI
		want []string
	}{
		{"not billed", streams("research", 15, 3483, 0.10379, 0), []string{
			"research: 15 calls abandoned after their first token had generated 3,483 output tokens, $0.1038 with their prompts at its token prices; " + notBilled}},
		{"billed", streams("research", 15, 3483, 0.10379, 0.10379), []string{
			"research: 15 calls abandoned after their first token had generated 3,483 output tokens, $0.1038 with their prompts at its token prices; " +
				"billed, in the token revenue (price.bill_abandoned: streamed)"}},
		{"in the run's order", append(streams("shop", 2, 40, 0.5, 0), append(streams("", 17, 3523, 0.60379, 0), streams("research", 15, 3483, 0.10379, 0)...)...), []string{
			"research: 15 calls abandoned after their first token had generated 3,483 output tokens, $0.1038 with their prompts at its token prices; " + notBilled,
			"shop: 2 calls abandoned after their first token had generated 40 output tokens, $0.5000 with their prompts at its token prices; " + notBilled}},
		{"no token price", streams("research", 15, 3483, 0, 0), nil},
		{"stored before the KPIs", []sim.KPI{{Name: kpi.RevenueUSD, Scope: "research", Value: 3}}, nil},
	} {
		var got []string
		for _, a := range AbandonedStreams(tt.kpis, ws) {
			got = append(got, a.Text())
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: got\n%q\nwant\n%q", tt.name, got, tt.want)
		}
	}
}
