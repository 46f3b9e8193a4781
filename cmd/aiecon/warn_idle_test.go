package main

import (
	"strings"
	"testing"

	"aiecon/hw"
	"aiecon/model"
)

// MOSTLY IDLE on one instance advised "fewer instances", which one
// instance cannot have, and an optimize command pinned to its instance type
// and TP degree, which could only answer the same fleet
// (gpu-vs-trainium's p5: 1 x p5.48xlarge again). On one instance it names
// the one way to a cheaper fleet, a smaller type, and searches every type;
// on an owned one, which optimize searches on its own type only, it gives
// no command. Two instances, or one that autoscales, keep the pinned
// command.
func TestMostlyIdleOnOneInstance(t *testing.T) {
	rate := model.Override{Path: "workloads[chat].arrivals.rate", Value: "20/s"}
	anyType := "To find a cheaper fleet for this traffic: aiecon optimize baseline --set 'workloads[chat].arrivals.rate=20/s' " +
		"(it tries every instance type and TP degree)"
	pinned := "To size the fleet for this traffic: aiecon optimize baseline --set 'workloads[chat].arrivals.rate=20/s' --instances trn2.48xlarge"
	tests := []struct {
		name      string
		count     int
		pricing   string
		autoscale bool
		want, not []string
	}{
		{"one instance", 1, "", false,
			[]string{"MOSTLY IDLE: on average 8.0% of the batch slots (1 replica x 16) held a request: one trn2.48xlarge is the smallest " +
				"fleet of its type, so only a smaller instance type would serve this traffic for less", anyType},
			[]string{"fewer instances", "--instances", "--tp"}},
		{"one owned instance", 1, hw.PricingOwned, false,
			[]string{"one trn2.48xlarge is the smallest fleet of its type", "optimize cannot find a cheaper one"},
			[]string{"fewer instances", "aiecon optimize"}},
		{"two instances", 2, "", false, []string{"fewer instances, or a smaller instance type", pinned}, []string{anyType}},
		{"one instance that autoscales", 1, "", true, []string{"fewer instances, or a smaller instance type", pinned}, []string{anyType}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := fakeReport(map[string]float64{"requests_arrived": 10000, "requests_unfinished": 5, "in_system_avg": 2,
				"batch_occupancy": 0.08, "kv_utilization": 0.05, "replicas_up_avg": 1}, rate)
			f := &r.l.Scenario.Fleet
			f.Count, f.Pricing = tt.count, tt.pricing
			if tt.autoscale {
				f.Autoscale = &model.Autoscale{Min: 1, Max: 4}
			}
			got := strings.Join(r.fleetWarnings(), "\n")
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("lacks %q:\n%s", w, got)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(got, w) {
					t.Errorf("has %q:\n%s", w, got)
				}
			}
		})
	}
}
