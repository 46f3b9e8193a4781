package forecast

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// TestRentedCountIsTheSizedCountRoundedUp: each slice of a rented fleet
// rents its demand's count rounded up to whole instances, and its job
// keeps the count before rounding, which the period averages over its
// slices (InstancesSized).
func TestRentedCountIsTheSizedCountRoundedUp(t *testing.T) {
	f := parse(t, small)
	var runs []RunResult
	seen := 0
	for _, j := range f.Jobs() {
		if f.Variants[j.Variant].Name != "rented" {
			if j.RentedSized != 0 {
				t.Errorf("%s: an owned fleet's job sized %v", f.jobName(j), j.RentedSized)
			}
			continue
		}
		want := fmt.Sprintf("fleet.count=%d", int(math.Ceil(j.RentedSized-1e-9)))
		if j.RentedSized < 1 || !strings.Contains(strings.Join(j.Sets, " "), want) {
			t.Errorf("%s: sized %v, sets %v: want %s", f.jobName(j), j.RentedSized, j.Sets, want)
		}
		seen++
		runs = append(runs, RunResult{Job: j, SimHours: 0.05, KPIs: map[string]float64{}})
	}
	if seen == 0 {
		t.Fatal("no rented job: the test tests nothing")
	}
	for _, p := range Aggregate(f, runs) {
		var sum float64
		n := 0
		for _, r := range runs {
			if r.Period == p.Period && r.Sample == p.Sample {
				sum, n = sum+r.RentedSized, n+1
			}
		}
		if math.Abs(p.InstancesSized-sum/float64(n)) > 1e-12 {
			t.Errorf("period %d: instances_sized %v, want the slices' mean %v", p.Period, p.InstancesSized, sum/float64(n))
		}
	}
}

// TestWholeInstancesNote: a rented fleet's count is fleet.count x demand
// rounded up, so a monthly forecast rented 5 instances for 4.16 (+25%
// RENT and +18% USD/Mtok for +4% demand) with no note (review99 F3). The
// report says so where INST exceeds the unrounded count by over a tenth,
// naming the periods and the largest share; not at or under a tenth, not
// for an owned fleet, and not for a report stored without the count.
func TestWholeInstancesNote(t *testing.T) {
	period := func(k int, avg, sized float64) Period {
		return Period{Variant: "v", Period: k, InstancesAvg: avg, InstancesSized: sized}
	}
	rented := &RentedSizing{BaseCount: 4, Min: 1, Max: 16}
	for _, tt := range []struct {
		name    string
		sizing  *RentedSizing
		periods []Period
		want    []string // "" for no note
	}{
		{"rounded up by a fifth and a quarter", rented, []Period{period(1, 4, 4), period(2, 5, 4.16), period(3, 5, 4.6), period(4, 6, 4.8)},
			[]string{"WHOLE INSTANCES: each slice rents fleet.count (4) x the slice's demand rounded up to whole instances, so in months 2, 4",
				"over 10% more instances than its demand asked, up to 25% (month 4: 6.00 on average for 4.80): RENT and USD/Mtok step",
				"instances_sized"}},
		{"a tenth at most", rented, []Period{period(1, 5, 4.6), period(2, 11, 10.0001)}, []string{""}},
		{"an owned fleet", nil, []Period{period(1, 5, 4.16)}, []string{""}},
		{"stored without the count", rented, []Period{{Variant: "v", Period: 1, InstancesAvg: 5}}, []string{""}},
	} {
		r := &Report{PeriodLen: "month", Summary: Summarize(tt.periods), Fleets: []FleetEconomy{{Variant: "v", Mode: "rented", Rented: tt.sizing}}}
		note := r.wholeInstancesNote("v")
		if !checkNote(t, tt.name, note, tt.want) {
			continue
		}
		if note != "" && !strings.Contains(strings.Join(r.Caveats("v"), "\n"), note) {
			t.Errorf("%s: the caveats leave out %q", tt.name, note)
		}
	}
}
