package main

import (
	"slices"
	"strings"
	"testing"

	"aiecon/hw"
	"aiecon/model"
	"aiecon/runner"
	"aiecon/study/optimize"
)

// MOSTLY IDLE on one instance advised "fewer instances", which one
// instance cannot have, and an optimize command pinned to its instance type
// and TP degree, which could only answer the same fleet
// (gpu-vs-trainium's p5: 1 x p5.48xlarge again). On one instance it names
// the one way to a cheaper fleet, a smaller type, and searches every type;
// on an owned one, which optimize searches on its own type only, it gives
// no command. Two instances keep the pinned command. An autoscaled fleet
// that sat at its minimum of one (1.05 instances on average) is one
// instance too: it was told "fewer instances"; one that sat at a higher
// minimum is told to lower it, and one the autoscaler grew past its
// minimum, to raise its target.
func TestMostlyIdleOnOneInstance(t *testing.T) {
	rate := model.Override{Path: "workloads[chat].arrivals.rate", Value: "20/s"}
	anyType := "To find a cheaper fleet for this traffic: aiecon optimize baseline --set 'workloads[chat].arrivals.rate=20/s' " +
		"(it tries every instance type and TP degree)"
	pinned := "To size the fleet for this traffic: aiecon optimize baseline --set 'workloads[chat].arrivals.rate=20/s' --instances trn2.48xlarge"
	tests := []struct {
		name      string
		count     int
		pricing   string
		autoscale int     // fleet.autoscale.min, 0 = none
		avg       float64 // instances_avg
		want, not []string
		busy      float64 // utilization, 0 = not given
	}{
		{"one instance", 1, "", 0, 1,
			[]string{"MOSTLY IDLE: on average 8.0% of the batch slots (1 replica x 16) held a request: one trn2.48xlarge is the smallest " +
				"fleet of its type, so only a smaller instance type would serve this traffic for less", anyType},
			[]string{"fewer instances", "--instances", "--tp"}, 0},
		// A replica that stepped through the run is not idle capacity: its
		// empty slots are a max_num_seqs above the traffic (gpu-vs-trainium's
		// p5, busy 99.999%, was MOSTLY IDLE at 128 slots and not at 64).
		{"one instance stepping through the run", 1, "", 0, 1,
			[]string{"IDLE SLOTS: on average 8.0% of the batch slots (1 replica x 16) held a request, but the replica iterated " +
				"99.999% of the time: one trn2.48xlarge is the smallest fleet of its type and it stepped through the run, so its " +
				"capacity is not idle in time", "Whether a smaller instance type or TP degree serves this traffic for less: aiecon optimize baseline"},
			[]string{"MOSTLY IDLE", "inflated by idle capacity"}, 0.99999},
		{"one owned instance stepping through the run", 1, hw.PricingOwned, 0, 1,
			[]string{"IDLE SLOTS: on average 8.0%"}, []string{"MOSTLY IDLE", "aiecon optimize"}, 0.99999},
		// On more instances busy time says nothing of spare capacity.
		{"two instances stepping through the run", 2, "", 0, 2,
			[]string{"MOSTLY IDLE: on average 8.0%", "fewer instances, or a smaller instance type", pinned}, []string{"IDLE SLOTS"}, 0.997},
		{"one owned instance", 1, hw.PricingOwned, 0, 1,
			[]string{"one trn2.48xlarge is the smallest fleet of its type", "optimize cannot find a cheaper one"},
			[]string{"fewer instances", "aiecon optimize"}, 0},
		{"two instances", 2, "", 0, 2, []string{"fewer instances, or a smaller instance type", pinned}, []string{anyType}, 0},
		{"autoscaled, at its minimum of one", 2, "", 1, 1.05,
			[]string{"the autoscaler held it at its minimum, one trn2.48xlarge, which is the smallest fleet of its type", anyType},
			[]string{"fewer instances", "--instances"}, 0},
		{"autoscaled, at its minimum of two", 2, "", 2, 2.1,
			[]string{"fewer instances: the autoscaler held it at its minimum, so a lower fleet.autoscale.min than 2, or a smaller instance type", pinned},
			[]string{anyType}, 0},
		{"autoscaled past its minimum of one", 1, "", 1, 3,
			[]string{"fewer instances: the autoscaler chose the count, so a higher fleet.autoscale.target, or a smaller instance type", pinned},
			[]string{anyType, "smallest fleet"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kpis := map[string]float64{"requests_arrived": 10000, "requests_unfinished": 5, "in_system_avg": 2,
				"batch_occupancy": 0.08, "kv_utilization": 0.05, "replicas_up_avg": 1, "instances_avg": tt.avg}
			if tt.busy > 0 {
				kpis["utilization"] = tt.busy
			}
			r := fakeReport(kpis, rate)
			f := &r.l.Scenario.Fleet
			f.Count, f.Pricing = tt.count, tt.pricing
			if tt.autoscale > 0 {
				f.Autoscale = &model.Autoscale{Min: tt.autoscale, Max: 4}
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

// TestAnyTypeCommandDrawsNoNote: the every-type optimize command MOSTLY IDLE
// gives runs without optimize's note on a set the search replaces, and its
// scenario still loads. gpu-vs-trainium's p5 variant sets fleet.replica.tp=8
// (trn2's TP 32 exceeds a p5's 8 GPUs); written back as a set, optimize
// noted that every candidate sets its own TP degree: the tool's own advice
// drew its caution. Reset to the default (all devices), the set loads on
// any instance and asks for no degree.
func TestAnyTypeCommandDrawsNoNote(t *testing.T) {
	p5 := []model.Override{{Path: "fleet.instance", Value: "p5.48xlarge"}, {Path: "fleet.pricing", Value: "on-demand"},
		{Path: "fleet.replica.tp", Value: "8"}, {Path: "fleet.replica.per_instance", Value: "1"},
		{Path: "fleet.replica.scheduler", Value: "vllm"}, {Path: "fleet.replica.max_num_seqs", Value: "128"}}
	r := fakeReport(nil, p5...)
	r.l.Name = "gpu-vs-trainium"
	line := r.optimizeAnyFleet()
	args, ok := strings.CutPrefix(line, "aiecon optimize ")
	if !ok {
		t.Fatalf("not an optimize command: %s", line)
	}
	cmd := newOptimizeCmd(&env{})
	if err := cmd.ParseFlags(strings.Fields(args)); err != nil {
		t.Fatalf("%s: %v", line, err)
	}
	sets, err := cmd.Flags().GetStringArray("set")
	if err != nil {
		t.Fatal(err)
	}
	if notes := optimize.ReplacedSets(sets, nil, nil); len(notes) > 0 {
		t.Errorf("%s: optimize notes %q", line, notes)
	}
	if !slices.Contains(sets, "fleet.instance=p5.48xlarge") || !slices.Contains(sets, "fleet.pricing=on-demand") {
		t.Errorf("%s: the run's instance type or pricing is lost", line)
	}
	if _, err := runner.Load(cmd.Flags().Arg(0), sets); err != nil {
		t.Errorf("%s: the scenario does not load: %v", line, err)
	}
}
