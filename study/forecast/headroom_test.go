package forecast

import (
	"strings"
	"testing"

	kpicat "aiecon/model/kpi"
)

// TestHeadroomCountsTheKVCache: a period's headroom is what its busiest
// slice left of the fuller of its batch slots and its KV cache, so that a
// GPU fleet whose long contexts fill the cache with slots free reads no
// headroom and is flagged SLO AT RISK (it read 1 - batch occupancy: 88%).
// Busy time is not counted: a prefill-bound Neuron fleet that iterates
// 99.6% of the time with 22% of its slots and 2% of its cache held (the
// built-in's owned trn2 in quarter 12, which saturates only at about 2.9
// times that load) keeps 78%, and a continuous-batching GPU fleet busy
// 99.96% at 7% of its slots keeps 93%.
func TestHeadroomCountsTheKVCache(t *testing.T) {
	f := parse(t, small)
	tests := []struct {
		name          string
		busy, occ, kv float64
		headroom      float64
		atRisk        bool
	}{
		{"gpu, cache full", 0.9999, 0.12, 0.97, 0.03, true},
		{"gpu, light", 0.9996, 0.074, 0.007, 0.926, false},
		{"neuron, prefill-bound", 0.996, 0.22, 0.017, 0.78, false},
		{"neuron, slots full", 0.999, 0.978, 0.061, 0.022, true},
	}
	for _, tt := range tests {
		night := RunResult{Job: Job{Variant: 0, Period: 1, Slice: 0}, SimHours: 0.05, KPIs: map[string]float64{
			kpicat.Utilization: 0.8, kpicat.BatchOccupancy: tt.occ / 3, kpicat.KVUtilization: tt.kv / 3, kpicat.SLOAttainment: 1, kpicat.SLORequests: 10}}
		peak := RunResult{Job: Job{Variant: 0, Period: 1, Slice: 1}, SimHours: 0.05, KPIs: map[string]float64{
			kpicat.Utilization: tt.busy, kpicat.BatchOccupancy: tt.occ, kpicat.KVUtilization: tt.kv, kpicat.SLOAttainment: 1, kpicat.SLORequests: 10}}
		p := f.period(0, 0, 1, []RunResult{night, peak}, 0, IdleReservation{})
		if !near(float64(p.Headroom), tt.headroom) {
			t.Errorf("%s: headroom %v, want %v", tt.name, p.Headroom, tt.headroom)
		}
		r := &Report{PeriodLen: "quarter", Periods: 1, Samples: 1, Fleets: []FleetEconomy{{Variant: "owned", Mode: "owned"}},
			Summary: Summarize([]Period{p})}
		note := r.sloRiskNote("owned")
		if tt.atRisk != (note != "") || tt.atRisk && !strings.Contains(note, "of its batch slots or KV cache") {
			t.Errorf("%s: SLO AT RISK note %q, want one: %v", tt.name, note, tt.atRisk)
		}
	}
}
