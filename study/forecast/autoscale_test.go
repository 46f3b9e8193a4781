package forecast

import (
	"strings"
	"testing"
)

// autoscaleForecast is a forecast on the baseline (no autoscaler) whose
// forecast-wide set is %[1]s and whose rented and owned variants set %[2]s;
// the rented one's roadmap sets %[3]s from period 2.
const autoscaleForecast = `name: as
base: baseline
set:
  workloads[chat].arrivals.diurnal: default
%[1]speriods: {count: 2, length: quarter}
day: {slices: 2, horizon: 3m}
variants:
  - name: rented
    set: {%[2]s}
    procurement: {mode: rented, min: 1, max: 6}
    roadmap: [{from: 2, set: {%[3]s}}]
  - name: owned
    set: {%[2]s}
    procurement: {mode: owned, initial: 2}
    ownership: {server_usd: 200000, facility_usd_per_kw_month: 100, ops_usd_per_year: 10000}
`

// TestAutoscalerIsTheVariants: the autoscaler of a variant's runs is its
// scenario's in the period, pinned to the slice's fleet: one a variant or
// a roadmap step adds holds the rented fleet at the slice's count and the
// owned fleet at its servers (no burst), and one a variant removes with
// fleet.autoscale: null stays removed. capacitySets read the base's: an
// added autoscaler kept its own bounds (a rented fleet sized at 4 ran at
// 2.8 instances on average, an owned one without burst rented instances
// above its servers), and a removed one was put back.
func TestAutoscalerIsTheVariants(t *testing.T) {
	const withAutoscaler = "  fleet.autoscale.max: 8\n"
	tests := []struct {
		name                   string
		forecastSet, set, step string
		rented                 [2]bool // an autoscaler in periods 1 and 2
		owned                  bool    // one in every period (the roadmap is the rented fleet's)
	}{
		{"variant adds", "", "fleet.autoscale.max: 8", "fleet.replica.max_num_seqs: 16", [2]bool{true, true}, true},
		{"roadmap adds", "", "", "fleet.autoscale.max: 8", [2]bool{false, true}, false},
		{"variant removes", withAutoscaler, "fleet.autoscale: null", "fleet.replica.max_num_seqs: 16", [2]bool{false, false}, false},
		{"base keeps", withAutoscaler, "", "fleet.replica.max_num_seqs: 16", [2]bool{true, true}, true},
	}
	for _, tt := range tests {
		f := parse(t, strings.ReplaceAll(strings.ReplaceAll(strings.ReplaceAll(autoscaleForecast,
			"%[1]s", tt.forecastSet), "%[2]s", tt.set), "%[3]s", tt.step))
		for _, j := range f.Jobs() {
			vp := f.Variants[j.Variant]
			want := tt.rented[j.Period-1]
			if vp.Procurement.Mode == Owned {
				want = tt.owned
			}
			l, err := f.loadJob(j)
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			fl := l.Scenario.Fleet
			switch a := fl.Autoscale; {
			case (a != nil) != want:
				t.Errorf("%s: %s period %d: autoscaler %+v, want one: %v", tt.name, vp.Name, j.Period, a, want)
			case a != nil && (a.Min != fl.Count || a.Max != fl.Count):
				t.Errorf("%s: %s period %d slice %d: autoscaler %d..%d around a fleet of %d: want it pinned",
					tt.name, vp.Name, j.Period, j.Slice, a.Min, a.Max, fl.Count)
			}
		}
	}
}
