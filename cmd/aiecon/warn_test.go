package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"aiecon/hw"
	"aiecon/model"
	"aiecon/runner"
	"aiecon/sim"
	"aiecon/study/optimize"
)

// fakeReport is a run report with the given KPIs (unscoped).
func fakeReport(kpis map[string]float64, overrides ...model.Override) runReport {
	res := &sim.Result{}
	for n, v := range kpis {
		res.KPIs = append(res.KPIs, sim.KPI{Name: n, Value: v})
	}
	sc := &model.Scenario{}
	sc.Fleet.Instance, sc.Fleet.Replica.MaxNumSeqs = "trn2.48xlarge", 16
	return runReport{l: &runner.Loaded{Name: "baseline", Scenario: sc, Overrides: overrides}, res: res}
}

// TestFleetWarnings: the checks compare the run with itself (arrivals
// against what finished, slots filled against slots held), so they hold
// whatever the step times are.
func TestFleetWarnings(t *testing.T) {
	steady := map[string]float64{"requests_arrived": 10000, "requests_unfinished": 50, "in_system_avg": 44, "batch_occupancy": 0.55,
		"kv_utilization": 0.05, "replicas_up_avg": 8, "queue_p90_s": 0.1}
	with := func(kv ...any) map[string]float64 {
		m := map[string]float64{}
		for k, v := range steady {
			m[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1].(float64)
		}
		return m
	}
	rate := model.Override{Path: "workloads[chat].arrivals.rate", Value: "20/s"}
	tests := []struct {
		name string
		kpis map[string]float64
		want []string // "" = no warning
	}{
		{"steady", steady, nil},
		{"short run, in flight at the end", with("requests_arrived", 300.0, "requests_unfinished", 44.0), nil},
		{"growing queue", with("requests_unfinished", 3000.0, "in_system_avg", 1600.0, "queue_depth_avg", 1400.0),
			[]string{"OVERLOADED: 3,000 of 10,000 requests (30.0%) were still queued", "1,600 in the system on average (1,400 of them queued)", "grows without bound",
				"aiecon optimize baseline --set 'workloads[chat].arrivals.rate=20/s' --instances trn2.48xlarge"}},
		// A short run on a 3%-busy fleet ended with 3 requests in flight
		// against 2 on average: chance, not a growing queue.
		{"short run, idle, a few over its average", with("requests_arrived", 17.0, "requests_unfinished", 3.0, "in_system_avg", 1.9,
			"queue_depth_avg", 0.04, "batch_occupancy", 0.029), []string{"MOSTLY IDLE: on average 2.9%"}},
		// A run shorter than its requests' time in the system ends with
		// about twice its average, all running: warming up, not overloaded.
		{"shorter than its requests, none queued", with("requests_arrived", 260.0, "requests_unfinished", 180.0, "in_system_avg", 90.0,
			"queue_depth_avg", 0.3, "batch_occupancy", 0.7), nil},
		// Queued, but 6 against 3 on average is within chance (3 sd of a
		// Poisson count of 3 is 5.2).
		{"a few queued, within chance", with("requests_arrived", 60.0, "requests_unfinished", 6.0, "in_system_avg", 3.0,
			"queue_depth_avg", 2.0), nil},
		{"drops", with("requests_dropped", 500.0), []string{"500 requests (5.0% of arrivals) were dropped by a full queue"}},
		{"saturated", with("batch_occupancy", 0.99), []string{"99.0% of the batch slots were filled on average, so requests wait for a slot (queue wait p90 100 ms)."}},
		{"mostly idle", with("batch_occupancy", 0.08), []string{"MOSTLY IDLE: on average 8.0% of the batch slots (8 replicas x 16)",
			"To size the fleet for this traffic: aiecon optimize baseline --set 'workloads[chat].arrivals.rate=20/s' --instances trn2.48xlarge " +
				"(without --instances and --tp it tries every instance type and TP degree)"}},
		{"few slots filled but KV cache full", with("batch_occupancy", 0.08, "kv_utilization", 0.9), nil},
	}
	// An owned fleet is searched on its own type only: the hint to drop
	// --instances to try every type was false for it.
	owned := fakeReport(with("batch_occupancy", 0.08), rate)
	owned.l.Scenario.Fleet.Pricing = hw.PricingOwned
	if got := strings.Join(owned.fleetWarnings(), "\n"); strings.Contains(got, "every instance type") ||
		!strings.Contains(got, "--instances trn2.48xlarge (without --tp it tries every TP degree; an owned fleet is searched on its own instance type only)") {
		t.Errorf("owned and mostly idle:\n%s", got)
	}
	for _, tt := range tests {
		got := strings.Join(fakeReport(tt.kpis, rate).fleetWarnings(), "\n")
		if tt.want == nil && got != "" {
			t.Errorf("%s: warned %q", tt.name, got)
		}
		checkWarnings(t, tt.name, got, tt.want, nil)
	}
}

// TestSaturatedClosedLoop: a closed loop's clients send again only when
// answered, so it ends with about its average in the system however
// overloaded, and the growing-queue test never fires on it; its fleet is
// called saturated when more requests wait in the queue than are served,
// and its idle or merely busy fleets are not.
func TestSaturatedClosedLoop(t *testing.T) {
	closed := func(kpis map[string]float64) runReport {
		r := fakeReport(kpis)
		r.l.Scenario.Workloads = []model.Workload{{Name: "chat", Arrivals: model.Arrivals{Process: "closed", Clients: 100000}}}
		return r
	}
	// 2 x inf2.48xlarge, 100,000 clients thinking 1 s, 10 s horizon.
	flooded := map[string]float64{"requests_arrived": 100027, "requests_completed": 35, "requests_unfinished": 99992, "in_system_avg": 89997,
		"queue_depth_avg": 89948, "running_avg": 49, "batch_occupancy": 0.761, "kv_utilization": 0.02, "replicas_up_avg": 2, "queue_p90_s": 2.69}
	got := strings.Join(closed(flooded).fleetWarnings(), "\n")
	for _, w := range []string{"SATURATED: on average 89,948 requests waited in the queue against 49 being served (the 100,000 clients spent 89.9% of their time queued), with 76.1% of the batch slots",
		"count the 35 requests completed, not the 99,992 still queued", "aiecon optimize baseline"} {
		if !strings.Contains(got, w) {
			t.Errorf("flooded closed loop: warnings lack %q:\n%s", w, got)
		}
	}
	// Its batch slots full too: one warning says it, not two.
	flooded["batch_occupancy"] = 0.98
	if got := strings.Join(closed(flooded).fleetWarnings(), "\n"); strings.Count(got, "SATURATED") != 1 || strings.Contains(got, "OVERLOADED") {
		t.Errorf("flooded closed loop, slots full:\n%s", got)
	}
	// The same run with open arrivals is not called saturated.
	if got := strings.Join(fakeReport(flooded).fleetWarnings(), "\n"); strings.Contains(got, "SATURATED") {
		t.Errorf("open loop called saturated:\n%s", got)
	}
	busy := map[string]float64{"requests_arrived": 5000, "requests_completed": 4950, "requests_unfinished": 50, "in_system_avg": 50,
		"queue_depth_avg": 8, "running_avg": 42, "batch_occupancy": 0.6, "kv_utilization": 0.05, "replicas_up_avg": 2, "queue_p90_s": 0.2}
	if got := strings.Join(closed(busy).fleetWarnings(), "\n"); got != "" {
		t.Errorf("busy closed loop, a short queue: warned %q", got)
	}
	// Not saturated, but losing requests with its slots full: the slots
	// warning stays (only a SATURATED one says it), and the KV cache is not
	// blamed at 98% of the slots filled.
	full := map[string]float64{"requests_timed_out": 2000, "batch_occupancy": 0.98, "kv_utilization": 0.95}
	for k, v := range busy {
		if _, ok := full[k]; !ok {
			full[k] = v
		}
	}
	got = strings.Join(closed(full).fleetWarnings(), "\n")
	if !strings.Contains(got, "timed out") || !strings.Contains(got, "98.0% of the batch slots were filled on average") ||
		strings.Contains(got, "the KV cache, not the slots") || strings.Contains(got, "SATURATED") {
		t.Errorf("closed loop losing requests, slots full:\n%s", got)
	}
}

// withScope adds KPIs of one scope (a workload's) to a run report.
func withScope(r runReport, scope string, kpis map[string]float64) runReport {
	for n, v := range kpis {
		r.res.KPIs = append(r.res.KPIs, sim.KPI{Name: n, Scope: scope, Value: v})
	}
	return r
}

// TestGrowingQueueBesideAClosedLoop: the growing-queue and saturation
// tests read each workload's own requests, not the run's, which mix an
// open-loop workload's with a closed loop's. The figures are those of
// runs of one inf2.48xlarge (llama-3.1-8b, TP 8), 1,500 closed-loop
// clients thinking 1 s beside an open chat, over 10 minutes: at 22/s the
// chat's backlog grew to 6,119 but the run's totals (7,619 unfinished
// against 5,225 on average) hid it behind the loop's 1,500; at 6/s it kept
// up; with 3,000 clients joining over a 10-minute ramp and chat at 1/s,
// the loop's own growing queue was blamed on the run as a whole.
func TestGrowingQueueBesideAClosedLoop(t *testing.T) {
	type wl struct {
		name, process                                             string
		clients                                                   int
		arrived, completed, unfinished, inSystem, queued, running float64
	}
	tests := []struct {
		name      string
		wls       []wl
		run       map[string]float64
		want, not []string
	}{
		{"open loop overloaded beside a saturated loop",
			[]wl{{"loop", "closed", 1500, 6483, 4983, 1500, 1489, 1471, 18}, {"chat", "poisson", 0, 13184, 7065, 6119, 3736, 3710, 26}},
			map[string]float64{"requests_arrived": 19667, "requests_completed": 12048, "requests_unfinished": 7619, "in_system_avg": 5225,
				"queue_depth_avg": 5181, "running_avg": 44, "batch_occupancy": 0.909},
			[]string{"SATURATED: on average 1,471 requests of loop waited in the queue against 18 being served (the 1,500 clients spent 98.1% of their time queued)",
				"count the 4,983 requests of loop completed, not the 1,500 still queued",
				"OVERLOADED: 6,119 of 13,184 requests of chat (46.4%) were still queued or running at the end, against 3,736 in the system on average (3,710 of them queued): the queue grows without bound"},
			[]string{"GROWING QUEUE"}},
		{"open loop keeping up beside a saturated loop",
			[]wl{{"loop", "closed", 1500, 10528, 9061, 1467, 1482, 1453, 30}, {"chat", "poisson", 0, 3624, 2987, 637, 555, 545, 10}},
			map[string]float64{"requests_arrived": 14152, "requests_completed": 12048, "requests_unfinished": 2104, "in_system_avg": 2037,
				"queue_depth_avg": 1998, "running_avg": 39, "batch_occupancy": 0.822},
			[]string{"SATURATED: on average 1,453 requests of loop waited"}, []string{"OVERLOADED", "GROWING QUEUE"}},
		{"a loop ramping in beside a light open loop",
			[]wl{{"loop", "closed", 3000, 14439, 11459, 2980, 1476, 1431, 45}, {"chat", "poisson", 0, 595, 475, 120, 59, 57, 2}},
			map[string]float64{"requests_arrived": 15034, "requests_completed": 11934, "requests_unfinished": 3100, "in_system_avg": 1535,
				"queue_depth_avg": 1488, "running_avg": 47, "batch_occupancy": 0.94},
			[]string{"SATURATED: on average 1,431 requests of loop waited in the queue against 45 being served (the 3,000 clients spent 47.7%", "GROWING QUEUE: 120 of 595 requests of chat (20.2%)",
				"grew with the loops"},
			[]string{"OVERLOADED", "3,100 of 15,034"}},
		// A low-priority workload starves while the other keeps up: their
		// sum (700 unfinished against 550 on average) hides it.
		{"a starved open workload beside another",
			[]wl{{"chat", "poisson", 0, 10000, 9600, 400, 400, 50, 350}, {"batch", "poisson", 0, 1000, 700, 300, 150, 140, 10}},
			map[string]float64{"requests_arrived": 11000, "requests_completed": 10300, "requests_unfinished": 700, "in_system_avg": 550,
				"queue_depth_avg": 190, "running_avg": 360, "batch_occupancy": 0.6},
			[]string{"OVERLOADED: 300 of 1,000 requests of batch (30.0%)"}, []string{"of chat", "SATURATED"}},
	}
	for _, tt := range tests {
		tt.run["kv_utilization"], tt.run["replicas_up_avg"], tt.run["queue_p90_s"] = 0.05, 3, 100
		r := fakeReport(tt.run)
		for _, w := range tt.wls {
			r.l.Scenario.Workloads = append(r.l.Scenario.Workloads, model.Workload{Name: w.name,
				Arrivals: model.Arrivals{Process: w.process, Clients: w.clients}})
			r = withScope(r, w.name, map[string]float64{"requests_arrived": w.arrived, "requests_completed": w.completed,
				"requests_unfinished": w.unfinished, "in_system_avg": w.inSystem, "queue_depth_avg": w.queued, "running_avg": w.running})
		}
		got := strings.Join(r.fleetWarnings(), "\n")
		checkWarnings(t, tt.name, got, tt.want, tt.not)
	}
}

// TestIdleSlotsOfABusyNeuronFleet: with the neuron scheduler, a fleet whose
// slots are mostly empty but whose replicas iterate most of the time is
// not called idle: its prefills, each alone, may be what binds.
func TestIdleSlotsOfABusyNeuronFleet(t *testing.T) {
	kpis := map[string]float64{"requests_arrived": 10000, "requests_unfinished": 50, "in_system_avg": 44, "batch_occupancy": 0.15,
		"kv_utilization": 0.05, "replicas_up_avg": 8, "queue_p90_s": 0.1, "utilization": 0.93}
	for _, tt := range []struct{ scheduler, want, not string }{
		{"neuron", "IDLE SLOTS: on average 15.0% of the batch slots (8 replicas x 16) held a request, but the replicas iterated 93.0%", "a smaller fleet (fewer"},
		{"vllm", "MOSTLY IDLE: on average 15.0%", "IDLE SLOTS"},
	} {
		r := fakeReport(kpis)
		r.l.Scenario.Fleet.Replica.Scheduler = tt.scheduler
		got := strings.Join(r.fleetWarnings(), "\n")
		if !strings.Contains(got, tt.want) || strings.Contains(got, tt.not) || !strings.Contains(got, "aiecon optimize baseline") {
			t.Errorf("%s: %s", tt.scheduler, got)
		}
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{"baseline": "baseline", "fleet.count=3": "fleet.count=3",
		"workloads[chat].arrivals.rate=2/s": "'workloads[chat].arrivals.rate=2/s'", "my file.yaml": "'my file.yaml'", "it's": `'it'\''s'`} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}

// TestStepTimeWarning: a run warns, in plain words, when the step-time
// constants were not fitted to measurements of its chip, and only then.
func TestStepTimeWarning(t *testing.T) {
	zero := 0.0
	ownConstants := model.HardwareOverrides{PrefillS: 0.01, LayerS: 1e-5, CollectiveS: 1e-5, HBMFrac: 0.7, KVFrac: 0.5, GEMMScale: 0.5, AttnScale: 0.5, LinkFrac: 0.5, KVGroupExp: &zero}
	eightOfNine := ownConstants
	eightOfNine.KVGroupExp = nil
	tests := []struct {
		instance string
		hardware model.HardwareOverrides
		want     string // "" = no warning
	}{
		{"p5.48xlarge", model.HardwareOverrides{}, ""},   // H100: fitted and cross-validated
		{"trn1.32xlarge", model.HardwareOverrides{}, ""}, // Trainium1: fitted and cross-validated
		{"p4de.24xlarge", model.HardwareOverrides{}, ""}, // A100: its own family, fitted
		{"p6-b200.48xlarge", model.HardwareOverrides{}, "STEP TIMES BY TRANSFER: no published measurement of B200 went into the gpu constants (fitted to H100 and H200)"},
		{"g6.xlarge", model.HardwareOverrides{}, "STEP TIMES BY TRANSFER: no published measurement of L4"},
		{"g5.xlarge", model.HardwareOverrides{}, "no published measurement of A10G went into the gpu-ampere constants (fitted to A100-80GB)"},
		{"g5.48xlarge", model.HardwareOverrides{}, "no published measurement of A10G went into the gpu-ampere constants (fitted to A100-80GB)"},
		{"p4d.24xlarge", model.HardwareOverrides{}, "STEP TIMES BY TRANSFER: no published measurement of A100-40GB went into the gpu-ampere constants (fitted to A100-80GB)"},
		{"g6.48xlarge", model.HardwareOverrides{}, "STEP TIMES BY TRANSFER: no published measurement of L4 went into the gpu constants (fitted to H100 and H200)"},
		{"g6e.48xlarge", model.HardwareOverrides{}, "STEP TIMES BY TRANSFER: no published measurement of L40S went into the gpu constants (fitted to H100 and H200)"},
		{"trn2.48xlarge", model.HardwareOverrides{}, "STEP TIMES THINLY FITTED: the neuron-v3 constants were fitted to 2 published measurements of Trainium2"},
		{"trn2.48xlarge", model.HardwareOverrides{HBMFrac: 0.6}, "STEP TIMES THINLY FITTED"}, // one override leaves six unfitted
		{"trn2.48xlarge", eightOfNine, "STEP TIMES THINLY FITTED"},                           // kv_group_exp still the fitted one
		{"trn2.48xlarge", ownConstants, ""}, // the user's own constants, all nine
	}
	for _, tt := range tests {
		sc := &model.Scenario{}
		sc.Fleet.Instance, sc.Hardware = tt.instance, tt.hardware
		got := runner.StepTimesCoverageWarning(sc)
		if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
			t.Errorf("%s %+v: warning %q, want one containing %q", tt.instance, tt.hardware, got, tt.want)
		}
	}
	r := fakeReport(map[string]float64{"requests_arrived": 10, "batch_occupancy": 0.5})
	if ws := r.warnings(); len(ws) != 1 || !strings.Contains(ws[0], "THINLY FITTED") {
		t.Errorf("a trn2 run's warnings = %q, want the step-time one", ws)
	}
}

// TestRunOnEightGPUInstances: `aiecon run` with --set fleet.instance= runs a
// small model on each 8-GPU instance of the catalog, prices it at the
// instance's list price and warns that the step-time constants were
// carried over from the chips they were fitted to.
func TestRunOnEightGPUInstances(t *testing.T) {
	tests := []struct{ instance, perHour, warning string }{
		{"p4d.24xlarge", "$43.92/h", "no published measurement of A100-40GB went into the gpu-ampere constants (fitted to A100-80GB)"},
		{"g5.48xlarge", "$32.58/h", "no published measurement of A10G went into the gpu-ampere constants (fitted to A100-80GB)"},
		{"g6.48xlarge", "$26.70/h", "no published measurement of L4 went into the gpu constants (fitted to H100 and H200)"},
		{"g6e.48xlarge", "$60.26/h", "no published measurement of L40S went into the gpu constants (fitted to H100 and H200)"},
	}
	for _, tt := range tests {
		code, out, errs := hwRun(t, "", "run", "inferentia-small", "--no-store", "--horizon", "2m", "--width", "0",
			"--set", "fleet.instance="+tt.instance, "--set", "fleet.replica.scheduler=vllm", "--set", "fleet.replica.tp=8")
		if code != 0 {
			t.Errorf("%s: exit %d: %s", tt.instance, code, errs)
			continue
		}
		// Two instances at the list price: 2 x 21.957642 for p4d.
		for _, w := range []string{tt.perHour, "STEP TIMES BY TRANSFER: " + tt.warning} {
			if !strings.Contains(out, w) {
				t.Errorf("%s: the run's report lacks %q:\n%s", tt.instance, w, out)
			}
		}
	}
}

// TestUnusedDevices: a fleet whose instances hold fewer replicas than fit
// is told which devices it pays for and leaves idle; a full one is not.
func TestUnusedDevices(t *testing.T) {
	sc := &model.Scenario{}
	sc.Fleet.Instance, sc.Fleet.Replica.TP, sc.Fleet.Replica.PerInstance = "p5.48xlarge", 2, 2
	got := strings.Join(unusedDevices(sc), "\n")
	if !strings.Contains(got, "UNUSED DEVICES: each p5.48xlarge holds 2 replica(s) of tp 2 on 4 of its 8 devices") || !strings.Contains(got, "per_instance 4 fits") {
		t.Errorf("half the GPUs idle: %q", got)
	}
	sc.Fleet.Replica.PerInstance = 4
	if got := unusedDevices(sc); len(got) != 0 {
		t.Errorf("a full instance: %q", got)
	}
	sc.Fleet.Replica.TP, sc.Fleet.Replica.PerInstance = 3, 2 // 6 of 8: no third replica fits
	if got := unusedDevices(sc); len(got) != 0 {
		t.Errorf("no room for another replica: %q", got)
	}
}

// TestAutoscaledBlocks: an autoscaled fleet on Capacity Blocks is told its
// releases are billed as if reserved capacity could be handed back.
func TestAutoscaledBlocks(t *testing.T) {
	sc := &model.Scenario{}
	sc.Fleet.Pricing = "capacity-block"
	if got := autoscaledBlocks(sc); len(got) != 0 {
		t.Errorf("a fixed fleet: %q", got)
	}
	sc.Fleet.Autoscale = &model.Autoscale{Min: 1, Max: 6}
	if got := strings.Join(autoscaledBlocks(sc), ""); !strings.Contains(got, "CAPACITY BLOCKS AUTOSCALED") {
		t.Errorf("an autoscaled one: %q", got)
	}
	sc.Fleet.Pricing = "on-demand"
	if got := autoscaledBlocks(sc); len(got) != 0 {
		t.Errorf("on demand: %q", got)
	}
	// Owned servers cost the same idle or busy; a forecast's owned slice
	// (min = max) cannot change size and is not warned of.
	sc.Fleet.Pricing, sc.Fleet.PriceUSDPerHour = "owned", model.USD(10)
	if got := strings.Join(autoscaledBlocks(sc), ""); !strings.Contains(got, "OWNED FLEET AUTOSCALED") {
		t.Errorf("an autoscaled owned fleet: %q", got)
	}
	sc.Fleet.Autoscale.Min = 6
	if got := autoscaledBlocks(sc); len(got) != 0 {
		t.Errorf("an owned fleet held at 6: %q", got)
	}
	// A reservation is paid for its whole term: an autoscaled fleet at
	// the reserved rate is warned of, with or without a price of its own.
	for _, usd := range []*float64{nil, model.USD(5)} {
		sc.Fleet.Pricing, sc.Fleet.PriceUSDPerHour, sc.Fleet.Autoscale.Min = "reserved", usd, 1
		if got := strings.Join(autoscaledBlocks(sc), ""); !strings.Contains(got, "RESERVED FLEET AUTOSCALED") {
			t.Errorf("an autoscaled reserved fleet at price %v: %q", usd, got)
		}
	}
	sc.Fleet.Autoscale.Min = 6
	if got := autoscaledBlocks(sc); len(got) != 0 {
		t.Errorf("a reserved fleet held at 6: %q", got)
	}
}

// TestNoiseNote: a best that meets the SLO target by a hair on one
// replication, or inside its interval over several, is flagged; one with
// room, or whose interval clears the target, is not.
func TestNoiseNote(t *testing.T) {
	res := &optimize.Result{SLOTarget: 0.99, Replications: 1, Horizon: 10 * model.Minute,
		Best: &optimize.Eval{Count: 7, Layout: optimize.Layout{Instance: "g5.xlarge", TP: 1, MaxNumSeqs: 128}, Attainment: 0.9904}}
	if got := noiseNote(res); !strings.Contains(got, "NEAR THE TARGET: 7 x g5.xlarge") || !strings.Contains(got, "by 0.04 points on 1 replication") {
		t.Errorf("a hair over: %q", got)
	}
	res.Best.Attainment = 0.997
	if got := noiseNote(res); got != "" {
		t.Errorf("room to spare: %q", got)
	}
	res.Best.Attainment, res.Replications, res.Best.AttainmentLow, res.Best.AttainmentHigh = 0.9904, 5, 0.9903, 0.9905
	if got := noiseNote(res); got != "" {
		t.Errorf("five replications, interval ±0.01 points: %q", got)
	}
	// Three replications at 99.05% ± 0.47 points: the interval reaches
	// below 99%, though the attainment has a tenth of its room to spare.
	res.Best.Attainment, res.Replications, res.Best.AttainmentLow, res.Best.AttainmentHigh = 0.9905, 3, 0.9858, 0.9952
	if got := noiseNote(res); !strings.Contains(got, "by 0.05 points on 3 replications of 10m, inside its 95% interval (98.58% to 99.52%)") {
		t.Errorf("three replications, interval ±0.47 points: %q", got)
	}
}

// TestTargetAsGiven: the SLO target and the abandonment limit print with
// the decimals they were given: --slo-target 0.9985 read ">= 99.9%" and
// "meets 99.9%", another target, which a fleet at 99.86% seemed to meet.
func TestTargetAsGiven(t *testing.T) {
	limit := 0.0525
	res := &optimize.Result{Objective: optimize.ObjectiveCost, SLOTarget: 0.9985, SLOs: []string{"chat"}, Agents: []string{"shop"},
		MaxSessionAbandon: &limit, Replications: 2, Horizon: 2 * model.Minute,
		Best: &optimize.Eval{Count: 8, Layout: optimize.Layout{Instance: "g5.xlarge", TP: 1, MaxNumSeqs: 128}, Attainment: 0.99853,
			AttainmentLow: 0.7933, AttainmentHigh: 1}}
	if got := optimizeGoal(res); !strings.Contains(got, "SLO attainment >= 99.85% for chat") || !strings.Contains(got, "session abandonment <= 5.25% for shop") {
		t.Errorf("goal %q", got)
	}
	if got := noiseNote(res); !strings.Contains(got, "meets 99.85% by 0.00 points") {
		t.Errorf("noise note %q", got)
	}
}

// TestMarginNote: under the margin objective a fleet of another price
// whose gap to the best is within the noise is named: on one replication
// (no noise is measured) when the gap is under a twentieth of the revenue,
// over replications when its interval paired by seed reaches zero; a gap
// that clears it says nothing.
func TestMarginNote(t *testing.T) {
	trn2 := func(count, seqs int, margin float64) *optimize.Eval {
		return &optimize.Eval{Count: count, Layout: optimize.Layout{Instance: "trn2.48xlarge", TP: 32, MaxNumSeqs: seqs},
			FleetPerHourUSD: 35.76 * float64(count), MarginUSD: margin, RevenueUSD: 500, Feasible: true}
	}
	best, second := trn2(3, 16, 100), trn2(4, 16, 97.4)
	// The same fleet with a larger batch limit is the same purchase, not a
	// runner-up.
	res := &optimize.Result{Objective: optimize.ObjectiveMargin, Replications: 1, Horizon: 10 * model.Minute,
		Evals: []*optimize.Eval{trn2(6, 16, 50), best, trn2(3, 32, 100), second}, Best: best}
	if got := marginNote(res); !strings.Contains(got, "ONE SEED'S MARGIN: 4 x trn2.48xlarge tp 32 max_num_seqs 16, at $143.04/h, earns $2.60 less") {
		t.Errorf("one replication: %q", got)
	}
	// A gap of a tenth of the revenue is more than a seed moves.
	second.MarginUSD = 50
	if got := marginNote(res); got != "" {
		t.Errorf("one replication, $50 behind on $500 of revenue: %q", got)
	}
	// Three replications on shared seeds: the margins move together, so
	// the paired gap's interval is far narrower than the means' would be.
	res.Replications = 3
	best.Margins, second.Margins = []float64{91.85, 87.79, 74.23}, []float64{90.35, 88.79, 73.53} // behind by 1.5, -1.0, 0.7
	best.MarginUSD, second.MarginUSD = 84.62, 84.22
	if got := marginNote(res); !strings.Contains(got, "CLOSE MARGINS: 4 x trn2.48xlarge tp 32 max_num_seqs 16, at $143.04/h, earns $0.4000 less") || !strings.Contains(got, "paired by seed (±$3.17)") {
		t.Errorf("a gap of $0.40 that changes sign with the seed: %q", got)
	}
	second.Margins = []float64{88.59, 84.53, 70.97} // $3.26 behind on every seed
	if got := marginNote(res); got != "" {
		t.Errorf("a gap of $3.26 on every seed: %q", got)
	}
	res.Objective = optimize.ObjectiveCost
	if got := marginNote(res); got != "" {
		t.Errorf("cost objective: %q", got)
	}
}

// TestMarginNoteEveryFleet: the best is compared with every feasible fleet,
// not only the runner-up by mean. baseline's 2 x p5.48xlarge led 3 x by
// one instance's cost on every seed, a gap that clears zero, while 1 x, at
// half its price, was within the noise and ahead on one seed (margins of
// sweep 1m96dbmfqf3d7n7, 3 replications of 2m), and the note said nothing.
func TestMarginNoteEveryFleet(t *testing.T) {
	p5 := func(count, seqs int, margins ...float64) *optimize.Eval {
		e := &optimize.Eval{Count: count, Layout: optimize.Layout{Instance: "p5.48xlarge", TP: 8, MaxNumSeqs: seqs},
			FleetPerHourUSD: 39.33 * float64(count), RevenueUSD: 200, Feasible: true, Margins: margins}
		e.MarginUSD = (margins[0] + margins[1] + margins[2]) / 3
		return e
	}
	best := p5(2, 128, 25, 27, 24)
	three := p5(3, 128, 25-1.311, 27-0.634, 24-1.314) // the runner-up by mean
	one := p5(1, 128, 25+0.630, 27-2.094, 24-2.072)
	oneWider := p5(1, 256, 25+0.5, 27-2.2, 24-2.2) // the same purchase, earning less
	res := &optimize.Result{Objective: optimize.ObjectiveMargin, Replications: 3, Horizon: 2 * model.Minute,
		Evals: []*optimize.Eval{one, oneWider, best, three}, Best: best}
	got := marginNote(res)
	if !strings.Contains(got, "CLOSE MARGINS: a cheaper fleet, 1 x p5.48xlarge tp 8 max_num_seqs 128, at $39.33/h against the best's $78.66/h, earns $1.18 less over 2m") ||
		!strings.Contains(got, "(±$3.89)") || strings.Contains(got, "3 x") || strings.Contains(got, "max_num_seqs 256") {
		t.Errorf("1 x p5 tied at half the price, 3 x behind on every seed: %q", got)
	}
	// Several cheaper fleets tied: cheapest first, the others listed.
	half := &optimize.Eval{Count: 1, Layout: optimize.Layout{Instance: "g6e.48xlarge", TP: 8, MaxNumSeqs: 128},
		FleetPerHourUSD: 30.13, RevenueUSD: 200, Feasible: true, Margins: []float64{26, 25, 24.5}, MarginUSD: 25.17}
	res.Evals = append(res.Evals, half)
	got = marginNote(res)
	if !strings.Contains(got, "a cheaper fleet, 1 x g6e.48xlarge tp 8 max_num_seqs 128, at $30.13/h") ||
		!strings.Contains(got, "; so do 1 x p5.48xlarge tp 8 max_num_seqs 128 at $39.33/h ($1.18 less, ±$3.89)") {
		t.Errorf("two cheaper fleets tied: %q", got)
	}
	// One infeasible is no candidate, however close.
	half.Feasible, one.Feasible, oneWider.Feasible = false, false, false
	if got := marginNote(res); got != "" {
		t.Errorf("no feasible fleet tied: %q", got)
	}
}

// TestBestMarkedOffTheFrontier: the margin objective's best may cost more
// than a fleet with higher attainment; it is listed and marked all the same.
func TestBestMarkedOffTheFrontier(t *testing.T) {
	lay := optimize.Layout{Instance: "trn2.48xlarge", TP: 32, MaxNumSeqs: 32}
	cheap := &optimize.Eval{Count: 1, Layout: lay, Runs: 1, FleetPerHourUSD: 36, CostPerHourUSD: 40, Attainment: 1, Feasible: true, MarginUSD: 10}
	best := &optimize.Eval{Count: 2, Layout: lay, Runs: 1, FleetPerHourUSD: 72, CostPerHourUSD: 75, Attainment: 0.999, Feasible: true, MarginUSD: 90, Point: 1}
	res := &optimize.Result{Objective: optimize.ObjectiveMargin, SLOTarget: 0.99, Replications: 5, Horizon: 10 * model.Minute,
		Evals: []*optimize.Eval{cheap, best}, Best: best, Candidates: []*optimize.Candidate{{Layout: lay}}}
	var b strings.Builder
	if err := printOptimize(&b, res, "x.duckdb", 0); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "* 2  ") {
		t.Errorf("the best is not marked:\n%s", b.String())
	}
}

// TestRetrainsOverlap: a retrain longer than its cadence is said to need
// several clusters at once and to serve old models; one that fits its
// cadence, or a run without training, says nothing.
func TestRetrainsOverlap(t *testing.T) {
	report := func(hours float64, every model.Duration, where string) runReport {
		r := fakeReport(map[string]float64{"training_retrain_hours": hours})
		r.l.Scenario.Training = &model.Training{Every: every, Where: where, Instances: 16, Instance: "trn1.32xlarge"}
		return r
	}
	tests := []struct {
		r    runReport
		want string
	}{
		{report(40.3, model.Day, "dedicated"), "one retrain takes 40.3 h on the dedicated cluster (16 x trn1.32xlarge), longer than its 1d cadence, so keeping the cadence takes about 2 such clusters"},
		{report(40.3, model.Day, "fleet-idle"), "the fresher cadence's revenue is overstated"},
		{report(40.3, 7*model.Day, "dedicated"), ""},
		{fakeReport(nil), ""},
	}
	for _, tt := range tests {
		got := tt.r.retrainsOverlap()
		if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}

// TestZeroRelevanceWarns: a relevance that is 0 in more than
// model.ZeroRelevanceWarnShare of its draws loads (it ran before load
// refused any 0), and run says what share of the bids it leaves out; one
// that is 0 rarely, or floored by a min above 0, is not warned of.
func TestZeroRelevanceWarns(t *testing.T) {
	for _, tt := range []struct {
		rel  model.Dist
		want string
	}{
		{model.Dist{Kind: "empirical", Values: []float64{1, 0, 2, 3}}, "ADS.RELEVANCE DRAWS 0: ads.relevance (dist empirical) draws 0 or less with chance 0.25 per draw"},
		{model.Dist{Kind: "normal", Mean: 1, Std: 0.5}, "dist normal) draws 0 or less with chance 0.0228 per draw"},
		{model.Dist{Kind: "fixed", Value: 0}, "chance 1 per draw"},
		{model.Dist{Kind: "normal", Mean: 1, Std: 0.3}, ""}, // 4e-4
		{model.Dist{Kind: "normal", Mean: 1, Std: 0.5, Min: 0.1}, ""},
		{model.Dist{Kind: "fixed", Value: 1}, ""},
	} {
		r := fakeReport(nil)
		r.l.Scenario.Ads = &model.Ads{Relevance: tt.rel}
		got := strings.Join(r.warnings(), "\n")
		if tt.want == "" && strings.Contains(got, "RELEVANCE") || tt.want != "" && !strings.Contains(got, tt.want) {
			t.Errorf("relevance %+v: warnings %q, want %q", tt.rel, got, tt.want)
		}
	}
}

// TestAbandonPerAdWarns: ads.abandon_per_ad cannot act (the only ads of a
// session show as it ends), so a run that sets it is told so.
func TestAbandonPerAdWarns(t *testing.T) {
	r := fakeReport(nil)
	r.l.Scenario.Ads = &model.Ads{AbandonPerAd: 0.02}
	if got := strings.Join(r.warnings(), "\n"); !strings.Contains(got, "ADS.ABANDON_PER_AD HAS NO EFFECT: 0.02 is set") {
		t.Errorf("warnings %q", got)
	}
	r.l.Scenario.Ads.AbandonPerAd = 0
	if got := strings.Join(r.warnings(), "\n"); strings.Contains(got, "ABANDON_PER_AD") {
		t.Errorf("warned without the field: %q", got)
	}
}

// TestPaidCPCDroppedWarns: where resolving drops the default ads.paid_cpc
// (one bidder, who pays the reserve whatever it bids, or a reserve above
// it), run says so once, with the reason, in its warnings (the WARNING
// section and --json's warnings alike); not where the scenario gives paid_cpc: 0 or the target is
// reached. The drop was silent: a user read the bids as written for a
// market priced at the default.
func TestPaidCPCDroppedWarns(t *testing.T) {
	const warning = "ADS.PAID_CPC DEFAULT DROPPED: the bids are used as written, not scaled to a paid CPC (ad_paid_cpc_target_usd 0), since the default ads.paid_cpc 0.98 is "
	tests := []struct {
		name, ads string
		sets      []string
		want      string // after the warning's start; "" for no warning
	}{
		{"one bidder", "ads: {bidders: 1}", nil,
			"above the reserve 0.2, and with bidders: 1 the lone winner has no next bid to pay, so it pays the reserve whatever it bids; raise ads.bidders, or give paid_cpc: 0 to use the bids as written."},
		{"one bidder by --set", "ads: {bidders: 4}", []string{"ads.bidders=1"}, "above the reserve 0.2, and with bidders: 1"},
		{"reserve above it", "ads: {bidders: 4, reserve: 2}", nil, "below the reserve 2, which every winner pays at least"},
		{"paid_cpc 0 given", "ads: {bidders: 1, paid_cpc: 0}", nil, ""},
		{"several bidders", "ads: {bidders: 4}", nil, ""},
	}
	for _, tt := range tests {
		l, err := runner.LoadSource("ads.yaml", []byte(agentScenario+tt.ads+"\n"), "", tt.sets)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		r := fakeReport(nil)
		r.l = l
		var n int
		for _, w := range r.warnings() {
			if strings.Contains(w, "PAID_CPC") {
				n++
				if tt.want == "" || !strings.HasPrefix(w, warning+tt.want) {
					t.Errorf("%s: warned %q, want %q", tt.name, w, warning+tt.want)
				}
			}
		}
		if want := map[bool]int{true: 0, false: 1}[tt.want == ""]; n != want {
			t.Errorf("%s: %d warnings on paid_cpc, want %d", tt.name, n, want)
		}
		var b strings.Builder
		if err := r.printWarnings(&b); err != nil || tt.want != "" && !strings.Contains(b.String(), "\n  "+warning+tt.want) {
			t.Errorf("%s: WARNING lacks it: %q (%v)", tt.name, b.String(), err)
		}
	}
}

// TestAmpereFP8: fp8 activations on an Ampere fleet are said to run in
// bf16; on Hopper, or in bf16, nothing is said.
func TestAmpereFP8(t *testing.T) {
	sc := &model.Scenario{}
	sc.Fleet.Instance, sc.Precision.Activations = "g5.48xlarge", "fp8"
	if got := strings.Join(ampereFP8(sc), "\n"); !strings.Contains(got, "FP8 ACTIVATIONS RUN IN BF16: g5.48xlarge has A10G GPUs") {
		t.Errorf("g5: %q", got)
	}
	sc.Fleet.Instance = "p5.48xlarge"
	if got := ampereFP8(sc); len(got) != 0 {
		t.Errorf("p5: %q", got)
	}
	sc.Fleet.Instance, sc.Precision.Activations = "g5.48xlarge", "bf16"
	if got := ampereFP8(sc); len(got) != 0 {
		t.Errorf("bf16: %q", got)
	}
}

// TestGrossCommerceWarns: a shopping agent whose commerce line credits
// every order of its converted sessions is told so, with the share of
// revenue at stake; setting value.incremental, or earning no commerce,
// silences it.
func TestGrossCommerceWarns(t *testing.T) {
	r := fakeReport(map[string]float64{"revenue_commerce_usd": 585, "revenue_usd": 596.34})
	r.l.Scenario.Workloads = []model.Workload{{Name: "shop", Class: "agent",
		Agent: &model.Agent{Value: model.Value{Conversion: 0.03, OrderValue: 150, TakeRate: 0.15}}}}
	if got := strings.Join(r.warnings(), "\n"); !strings.Contains(got, "COMMERCE COUNTED GROSS: the commerce line (98% of revenue)") ||
		!strings.Contains(got, "workloads[shop].agent.value.incremental") {
		t.Errorf("warnings %q", got)
	}
	share := 0.2
	r.l.Scenario.Workloads[0].Agent.Value.Incremental = &share
	if got := strings.Join(r.warnings(), "\n"); strings.Contains(got, "COMMERCE") {
		t.Errorf("warned with incremental set: %q", got)
	}
	r = fakeReport(map[string]float64{"revenue_commerce_usd": 0, "revenue_usd": 11})
	r.l.Scenario.Workloads = []model.Workload{{Name: "shop", Class: "agent",
		Agent: &model.Agent{Value: model.Value{Conversion: 0.03, OrderValue: 150, TakeRate: 0.15}}}}
	if got := strings.Join(r.warnings(), "\n"); strings.Contains(got, "COMMERCE") {
		t.Errorf("warned without commerce revenue: %q", got)
	}
}

// TestDrainedBacklog: a drained run ends with nothing unfinished, so its
// overload shows in the drain: long against the horizon, spent on requests
// that mostly waited in the queue.
func TestDrainedBacklog(t *testing.T) {
	// The drained llama-3.1-8b run of 30 requests/s on one replica whose
	// KV cache holds about ten: 8,980 arrived in 5m, served by 43m24s.
	backlog := map[string]float64{"requests_arrived": 8980, "requests_completed": 8980, "requests_unfinished": 0,
		"in_system_avg": 3966, "batch_occupancy": 0.039, "kv_utilization": 0.95, "replicas_up_avg": 1,
		"queue_p50_s": 1147, "e2e_p50_s": 1147.2, "queue_p90_s": 2069}
	// The same fleet at 4 requests/s, about 15% over what it serves.
	slower := map[string]float64{"requests_arrived": 1171, "requests_completed": 1171, "requests_unfinished": 0,
		"in_system_avg": 74, "batch_occupancy": 0.039, "kv_utilization": 0.95, "replicas_up_avg": 1,
		"queue_p50_s": 17.2, "e2e_p50_s": 20.2, "queue_p90_s": 31}
	// A stable fleet on a short horizon with minute-long answers: the
	// drain is long against the horizon, but nobody queued.
	longAnswers := map[string]float64{"requests_arrived": 300, "requests_completed": 300, "requests_unfinished": 0,
		"in_system_avg": 150, "batch_occupancy": 0.6, "kv_utilization": 0.3, "replicas_up_avg": 1,
		"queue_p50_s": 0.05, "e2e_p50_s": 30, "queue_p90_s": 0.2}
	for _, tt := range []struct {
		name             string
		kpis             map[string]float64
		drain            bool
		horizonS, totalS int64
		want             string // "" = no OVERLOADED warning
	}{
		{"drained backlog", backlog, true, 300, 2604, "OVERLOADED: draining took 38m24s after the 5m horizon: the fleet served 3.45 " +
			"requests/s against 29.93/s arriving"},
		{"drained quickly", backlog, true, 300, 320, ""},
		{"long answers, no queue", longAnswers, true, 60, 120, ""},
		{"15% over capacity", slower, true, 300, 342, "draining took 42s after the 5m horizon"},
		{"not drained", backlog, false, 300, 300, ""},
	} {
		r := fakeReport(tt.kpis)
		r.l.Scenario.Drain = tt.drain
		r.res.Meta.HorizonNs, r.res.SimNs = tt.horizonS*1e9, tt.totalS*1e9
		got := strings.Join(r.fleetWarnings(), "\n")
		if tt.want == "" {
			if strings.Contains(got, "OVERLOADED") {
				t.Errorf("%s: warned %q", tt.name, got)
			}
			continue
		}
		if !strings.Contains(got, tt.want) || !strings.Contains(got, "To size the fleet for this traffic: aiecon optimize baseline --instances") {
			t.Errorf("%s: warnings lack %q and the optimize command:\n%s", tt.name, tt.want, got)
		}
	}
}

// TestKVBoundAndQueueBound: when the KV cache, not the slots, is full and
// users abandon, the warning names the cache; a saturated fleet's warning
// says what bounds its queue by what the scenario has (no "impatient
// users" without agents, whose patience is the only one).
func TestKVBoundAndQueueBound(t *testing.T) {
	// The agent run of 3 sessions/s on one llama-3.1-8b replica whose KV
	// cache holds a handful of sessions: 2.6% of its slots filled.
	kvFull := map[string]float64{"requests_arrived": 7670, "requests_completed": 5161, "requests_abandoned": 2478,
		"requests_unfinished": 31, "in_system_avg": 25, "sessions_completed": 898, "sessions_abandoned": 2659,
		"batch_occupancy": 0.026, "kv_utilization": 0.93, "preemptions": 439, "replicas_up_avg": 1, "queue_p90_s": 4.46}
	with := func(m map[string]float64, kv ...any) map[string]float64 {
		out := map[string]float64{}
		for k, v := range m {
			out[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			out[kv[i].(string)] = kv[i+1].(float64)
		}
		return out
	}
	agent := []model.Workload{{Name: "shop", Class: model.ClassAgent}}
	api := []model.Workload{{Name: "chat", Class: model.ClassAPI}}
	tests := []struct {
		name      string
		kpis      map[string]float64
		workloads []model.Workload
		timeout   model.Duration
		want, not []string
	}{
		{"KV full, users leave", kvFull, agent, 0, []string{"OVERLOADED: 74.8% of the sessions that ended (2,659 of 3,557) were " +
			"abandoned while the KV cache was 93.0% full on average and 439 requests were preempted for cache space, with 2.6% of " +
			"the batch slots filled: the KV cache, not the slots, limits this fleet", "(queue wait p90 4.46 s) and impatient users leave.",
			"To size the fleet for this traffic: aiecon optimize baseline --instances trn2.48xlarge"}, nil},
		{"preempted, cache not full on average", with(kvFull, "kv_utilization", 0.6), agent, 0,
			[]string{"abandoned while 439 requests were preempted for cache space"}, []string{"full on average"}},
		{"abandoned to service time, cache empty", with(kvFull, "kv_utilization", 0.015, "preemptions", 0.0, "sessions_abandoned", 505.0,
			"sessions_completed", 949.0), agent, 0, nil, []string{"OVERLOADED", "KV cache"}},
		{"KV full, few leave", with(kvFull, "sessions_abandoned", 50.0), agent, 0, nil, []string{"OVERLOADED"}},
		// One instance of baseline at max_num_seqs 32 (5m): slots 92.3%
		// filled, under saturated, and 87 of 106 sessions abandoned, its
		// SLO met on 20% of calls; impatient users kept the queue from
		// growing, and it warned of nothing.
		{"slots nearly full, users leave", with(kvFull, "kv_utilization", 0.3, "preemptions", 0.0, "batch_occupancy", 0.923,
			"sessions_abandoned", 87.0, "sessions_completed", 19.0, "queue_p90_s", 16.61), agent, 0,
			[]string{"OVERLOADED: 82.1% of the sessions that ended (87 of 106) were abandoned while 92.3% of the batch slots were " +
				"filled: the fleet serves at about its capacity, so requests wait for a slot (queue wait p90 16.61 s) and impatient users leave"},
			[]string{"KV cache, not the slots"}},
		// Sessions the fleet failed (a call dropped or timed out) are
		// sessions it lost as well: counted in the share, and said.
		{"slots nearly full, some failed", with(kvFull, "kv_utilization", 0.3, "preemptions", 0.0, "batch_occupancy", 0.923,
			"sessions_abandoned", 87.0, "sessions_failed", 30.0, "sessions_completed", 19.0, "queue_p90_s", 16.61), agent, 0,
			[]string{"OVERLOADED: 82.1% of the sessions that ended (87 of 106) were abandoned (30 of them failed by the fleet: " +
				"a call dropped or timed out) while 92.3% of the batch slots were filled"}, nil},
		{"slots nearly full, few leave", with(kvFull, "kv_utilization", 0.3, "preemptions", 0.0, "batch_occupancy", 0.923,
			"sessions_abandoned", 20.0, "sessions_completed", 86.0), agent, 0, nil, []string{"OVERLOADED"}},
		{"slots under 90%, users leave", with(kvFull, "kv_utilization", 0.3, "preemptions", 0.0, "batch_occupancy", 0.85,
			"sessions_abandoned", 87.0, "sessions_completed", 19.0), agent, 0, nil, []string{"OVERLOADED"}},
		// API requests give up by timing out: the KV-bound check counts
		// them (requests_abandoned counts only agent calls).
		{"KV full, API requests time out", with(kvFull, "sessions_completed", 0.0, "sessions_abandoned", 0.0, "requests_abandoned", 0.0,
			"requests_timed_out", 3000.0), api, model.Duration(5e9),
			[]string{"OVERLOADED: 36.8% of the requests that ended (3,000 of 8,161) timed out in the queue while the KV cache was 93.0% full"}, nil},
		{"saturated API", with(kvFull, "batch_occupancy", 0.99), api, 0,
			[]string{"99.0% of the batch slots were filled on average, so requests wait for a slot (queue wait p90 4.46 s)."},
			[]string{"impatient", "KV cache, not the slots"}},
		{"saturated API with a queue timeout", with(kvFull, "batch_occupancy", 0.99), api, model.Duration(30e9),
			[]string{"(queue wait p90 4.46 s) and those waiting past queue_timeout are dropped."}, []string{"impatient"}},
		{"saturated agents", with(kvFull, "batch_occupancy", 0.99), agent, 0,
			[]string{"(queue wait p90 4.46 s) and impatient users leave."}, nil},
		// With a queue timeout, some of the sessions the agents lost
		// were the fleet's (timed out), not their users' patience.
		{"saturated agents with a queue timeout", with(kvFull, "batch_occupancy", 0.99, "sessions_failed", 40.0), agent, model.Duration(30e9),
			[]string{"(queue wait p90 4.46 s) and impatient users leave, and those waiting past queue_timeout are dropped."}, nil},
	}
	for _, tt := range tests {
		r := fakeReport(tt.kpis)
		r.l.Scenario.Workloads = tt.workloads
		r.l.Scenario.Fleet.Replica.QueueTimeout = tt.timeout
		got := strings.Join(r.fleetWarnings(), "\n")
		checkWarnings(t, tt.name, got, tt.want, tt.not)
	}
}

// TestRunWarnsLengthExtrapolation: a run whose prompts reach past twice
// the longest its family's constants were fitted to (8,192 tokens on
// Inferentia2) is warned, naming the lengths it served and the fitted
// maximum; the built-in scenario as it is, within them, is not warned of
// its lengths. Its TP 8 is warned of: the constants were fitted at TP 24
// and 32, all-reduces across 12 and 16 chips, and TP 24 is not.
func TestRunWarnsLengthExtrapolation(t *testing.T) {
	const tp8 = "STEP TIMES EXTRAPOLATED: llama-3.1-8b at TP 8 on inf2.48xlarge (neuron-v2 constants): TP 8, while the measurements " +
		"they were fitted to ran at TP 24 to 32"
	tests := []struct {
		name string
		sets []string
		want string // "" = no length warning
	}{
		{"as built in", nil, ""},
		{"32k-token prompts", []string{"fleet.replica.max_model_len=40000", "workloads[chat].prompt_tokens=32768", "workloads[chat].output_tokens=200",
			"workloads[chat].arrivals.rate=0.2/s"},
			"prompts to 32,768 tokens, while the " +
				"measurements they were fitted to reached 8,192; contexts (prompt plus output) to 32,968 tokens, while the measurements " +
				"they were fitted to reached 16,384."},
	}
	for _, tt := range tests {
		args := []string{"run", "inferentia-small", "--no-store", "--horizon", "2m", "--width", "0"}
		for _, s := range tt.sets {
			args = append(args, "--set", s)
		}
		code, out, errs := hwRun(t, "", args...)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", tt.name, code, errs)
		}
		switch {
		case !strings.Contains(out, tp8):
			t.Errorf("%s: the report does not warn of TP 8:\n%s", tt.name, out)
		case tt.want == "" && strings.Contains(out, "prompts to"):
			t.Errorf("%s: the report warns of the lengths:\n%s", tt.name, out)
		case tt.want != "" && (!strings.Contains(out, tt.want) || !strings.Contains(out, "99th percentiles of the calls routed to it, served or not")):
			t.Errorf("%s: the report lacks %q and what the lengths are:\n%s", tt.name, tt.want, out)
		case tt.want != "" && !strings.Contains(out, "prompts to 32,768 tokens"):
			t.Errorf("%s: the step times line does not say so:\n%s", tt.name, out)
		}
	}
}

// TestOptimizeCommandSizesTheFleet: the suggested optimize command keeps to
// the run's instance type and TP degree (a --set fleet.instance alone
// searched every catalog instance and answered another), and says each
// --set once: a variant's fleet.pricing=on-demand beside the user's
// fleet.pricing=spot read as a contradiction.
func TestOptimizeCommandSizesTheFleet(t *testing.T) {
	r := fakeReport(nil, model.Override{Path: "fleet.instance", Value: "p5en.48xlarge"}, model.Override{Path: "fleet.pricing", Value: "on-demand"},
		model.Override{Path: "fleet.count", Value: "2"}, model.Override{Path: "fleet.replica.tp", Value: "8"},
		model.Override{Path: "fleet.pricing", Value: "spot"})
	r.l.Scenario.Fleet.Instance, r.l.Scenario.Fleet.Replica.TP = "p5en.48xlarge", 8
	line := r.optimizeCommand()
	args, ok := strings.CutPrefix(line, "aiecon optimize ")
	if !ok {
		t.Fatalf("not an optimize command: %s", line)
	}
	cmd := newOptimizeCmd(&env{})
	if err := cmd.ParseFlags(strings.Fields(args)); err != nil {
		t.Fatalf("%s: %v", line, err)
	}
	fl := cmd.Flags()
	instances, _ := fl.GetStringSlice("instances")
	tp, _ := fl.GetIntSlice("tp")
	sets := fl.Lookup("set").Value.String()
	if strings.Join(instances, ",") != "p5en.48xlarge" || len(tp) != 1 || tp[0] != 8 ||
		sets != "[fleet.instance=p5en.48xlarge,fleet.replica.tp=8,fleet.pricing=spot]" || cmd.Flags().Arg(0) != "baseline" {
		t.Errorf("%s: instances %v, tp %v, sets %s", line, instances, tp, sets)
	}
}

// TestSuggestedOptimizeCommandRuns: the optimize command a run suggests
// runs, pasted, whatever the run set of its autoscaler. optimize refuses a
// --set of an autoscaler field (it sizes a static fleet), and the run with
// --set fleet.autoscale.max=8 was told to paste one. The fleet-sizing
// command is executed (cut to a 10 s horizon and one instance); the
// every-type one, a search of every catalog instance, is parsed and its
// sets put through what optimize checks before it searches. The removal
// (fleet.autoscale=null) is kept: optimize takes it.
func TestSuggestedOptimizeCommandRuns(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "s.yaml")
	const src = "name: s\nhorizon: 1m\nmodel: llama-3.1-8b\nfleet: {instance: p5.48xlarge, count: 1, replica: {tp: 8, max_num_seqs: 16}}\n" +
		"workloads:\n  - {name: chat, class: api, arrivals: {process: poisson, rate: 1/s}, prompt_tokens: 100, output_tokens: 10, slo: {ttft: 1s}}\n"
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		sets []model.Override
		keep string // a set the command keeps; "" = none of the autoscaler's
	}{
		{"a field", []model.Override{{Path: "fleet.autoscale.max", Value: "8"}, {Path: "horizon", Value: "10m"}}, ""},
		{"the block", []model.Override{{Path: "fleet.autoscale", Value: "{min: 1, max: 4}"}, {Path: "fleet.autoscale.provision_delay", Value: "1m"}}, ""},
		{"its removal", []model.Override{{Path: "fleet.autoscale", Value: "null"}}, "fleet.autoscale=null"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := fakeReport(nil, tt.sets...)
			r.l.Name = file
			r.l.Scenario.Fleet.Instance, r.l.Scenario.Fleet.Replica.TP = "p5.48xlarge", 8
			for _, line := range []string{r.optimizeCommand(), r.optimizeAnyFleet()} {
				args := shellWords(line)[1:]
				cmd := newOptimizeCmd(&env{})
				if err := cmd.ParseFlags(args[1:]); err != nil {
					t.Fatalf("%s: %v", line, err)
				}
				sets := *cmd.Flags().Lookup("set").Value.(setsFlag).sets // GetStringArray splits a value at its commas
				if err := optimize.RefuseIneffectiveSets(sets); err != nil {
					t.Errorf("%s: optimize refuses it: %v", line, err)
				}
				if got := strings.Join(sets, " "); got != tt.keep {
					t.Errorf("%s: sets %q, want %q", line, got, tt.keep)
				}
				if _, err := runner.Load(cmd.Flags().Arg(0), sets); err != nil {
					t.Errorf("%s: the scenario does not load: %v", line, err)
				}
			}
			args := append(shellWords(r.optimizeCommand())[1:], "--horizon", "10s", "--max-count", "1", "--db", filepath.Join(t.TempDir(), "o.duckdb"))
			if code, _, errs := hwRun(t, "", args...); code != 0 {
				t.Errorf("%v: exit %d: %s", args, code, errs)
			}
		})
	}
}

// TestRunWarnsPaddedHeads: a Trainium2 fleet whose attention heads its TP
// degree does not divide runs, priced padded, and is warned of (NxD
// Inference requires them divisible); one whose heads divide is not.
func TestRunWarnsPaddedHeads(t *testing.T) {
	for _, tt := range []struct {
		tp   string
		want bool
	}{{"64", true}, {"32", false}} {
		code, out, errs := hwRun(t, "", "run", "baseline", "--no-store", "--horizon", "1m", "--width", "0", "--set", "model=llama-3.1-8b",
			"--set", "fleet.replica.tp="+tt.tp)
		if code != 0 {
			t.Fatalf("TP %s: exit %d: %s", tt.tp, code, errs)
		}
		const w = "HEADS NOT DIVISIBLE BY TP: llama-3.1-8b at TP 64 on trn2.48xlarge: 32 attention heads, not divisible by TP 64; NxD Inference"
		if strings.Contains(out, "HEADS NOT DIVISIBLE") != tt.want || tt.want && !strings.Contains(out, w) {
			t.Errorf("TP %s: want the warning %v:\n%s", tt.tp, tt.want, out)
		}
	}
}

// checkWarnings fails the test when the joined warnings got lack any of
// want or say any of not.
func checkWarnings(t *testing.T, name, got string, want, not []string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("%s: warnings lack %q:\n%s", name, w, got)
		}
	}
	for _, w := range not {
		if strings.Contains(got, w) {
			t.Errorf("%s: warnings say %q:\n%s", name, w, got)
		}
	}
}

// TestUnpricedWorkloads: an api or batch workload whose scenario gives no
// token price earns $0 for its tokens, the price's default; the run said
// nothing, so a forgotten price block read as a loss of the fleet's. A
// price given, even 0 (given away on purpose), by the file, a variant or
// --set, is not warned of; an agent earns from its value block.
func TestUnpricedWorkloads(t *testing.T) {
	const src = `name: p
horizon: 1m
model: llama-3.1-8b
fleet: {instance: p5.48xlarge, count: 1, replica: {tp: 8}}
workloads:
  - name: free
    class: api
    arrivals: {process: poisson, rate: 1/s}
    prompt_tokens: 100
    output_tokens: 10
  - name: batch
    class: batch
    arrivals: {process: poisson, rate: 1/s}
    prompt_tokens: 100
    output_tokens: 10
  - name: paid
    class: api
    arrivals: {process: poisson, rate: 1/s}
    prompt_tokens: 100
    output_tokens: 10
    price: {input_per_mtok: 0, output_per_mtok: 0}
variants:
  - {name: priced, set: {"workloads[free].price.input_per_mtok": 1}}
`
	tests := []struct {
		name    string
		variant string
		sets    []string
		want    []string // workloads named; nil: no warning
	}{
		{"none given", "", nil, []string{"workloads[free]", "workloads[batch]"}},
		{"--set gives one", "", []string{"workloads[batch].price.output_per_mtok=0.5"}, []string{"workloads[free]"}},
		{"a variant gives one", "priced", []string{"workloads[batch].price.input_per_mtok=0"}, nil},
	}
	path := filepath.Join(t.TempDir(), "p.yaml")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		var l *runner.Loaded
		if tt.variant == "" {
			var err error
			if l, err = runner.LoadSource("p.yaml", []byte(src[:strings.Index(src, "variants:")]), "", tt.sets); err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
		} else {
			ls, err := runner.LoadVariants(path, tt.sets, tt.variant)
			if err != nil || len(ls) != 1 {
				t.Fatalf("%s: %d loaded, %v", tt.name, len(ls), err)
			}
			l = ls[0]
		}
		got := strings.Join(unpricedWorkloads(l), "")
		if tt.want == nil {
			if got != "" {
				t.Errorf("%s: %q", tt.name, got)
			}
			continue
		}
		if !strings.Contains(got, "NO TOKEN PRICE") || strings.Contains(got, "workloads[paid]") {
			t.Errorf("%s: %q", tt.name, got)
		}
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: %q does not name %s", tt.name, got, w)
			}
		}
		if len(tt.want) == 1 && strings.Contains(got, " and ") {
			t.Errorf("%s: %q names more than %s", tt.name, got, tt.want[0])
		}
	}
}

// TestUnpricedWorkloadsAfterAStop: a stop signal that ends the warning's
// parse of the scenario gives no warning. The parse's error was swallowed
// (model.Locate), no field read as given, and a SIGTERM while a run's
// report printed warned NO TOKEN PRICE of a workload with its price.
// Not parallel: the stop ends every parse in the process.
func TestUnpricedWorkloadsAfterAStop(t *testing.T) {
	const src = `name: p
model: llama-3.1-8b
fleet: {instance: p5.48xlarge, count: 1, replica: {tp: 8}}
workloads:
  - {name: paid, class: api, arrivals: {rate: 1/s}, prompt_tokens: 100, output_tokens: 10, price: {input_per_mtok: 1}}
`
	l, err := runner.LoadSource("p.yaml", []byte(src), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := unpricedWorkloads(l); got != nil {
		t.Fatalf("a priced workload warned of: %q", got)
	}
	stopped := make(chan struct{})
	close(stopped)
	release := model.StopOn(stopped)
	defer release()
	if got := unpricedWorkloads(l); got != nil {
		t.Errorf("after a stop signal, a priced workload warned of: %q", got)
	}
}
