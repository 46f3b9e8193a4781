package sim

import (
	"testing"

	"aiecon/model"
)

// TestLendOnlyIdleCapacity: the lender lends a replica only while no
// request waits and the serving replicas left a whole replica's worth of
// time idle, whatever the batch occupancy says, where a prefill stops the
// batch: a Neuron replica runs a third full while each prefill pauses the
// decodes beside it.
func TestLendOnlyIdleCapacity(t *testing.T) {
	w := gangWorld(t)
	l := w.lender
	l.lendBelow, l.reclaimAbove = 0.3, 0.6
	l.joins = false // as under the neuron scheduler
	serving := len(w.pools[0].serving)
	cases := []struct {
		name string
		s    lendSignals
		want bool
	}{
		{"idle, nothing waits", lendSignals{demand: 0.1, idle: 3, waiting: 0}, true},
		{"exactly a replica idle", lendSignals{demand: 0.1, idle: 1, waiting: 0}, true},
		{"a request waits", lendSignals{demand: 0.1, idle: 3, waiting: 1}, false},
		{"requests wait, batch nearly empty", lendSignals{demand: 0.01, idle: 5, waiting: 4}, false},
		{"busy all the time with few sequences", lendSignals{demand: 0.1, idle: 0, waiting: 0}, false},
		{"less than a replica idle", lendSignals{demand: 0.1, idle: 0.99, waiting: 0}, false},
		{"demand above lend_below", lendSignals{demand: 0.35, idle: 3, waiting: 0}, false},
	}
	for _, c := range cases {
		if got := l.mayLend(c.s, serving); got != c.want {
			t.Errorf("%s (%+v): lend %v, want %v", c.name, c.s, got, c.want)
		}
	}
	if l.mayLend(lendSignals{demand: 0.1, idle: 3}, l.minServing) {
		t.Errorf("lent the last of min_serving replicas")
	}
}

// TestLendingOnABusyNeuronFleet: on retrain-weekly's monthly cadence the
// Neuron fleet runs a third full yet iterates all the time; lending it on
// batch occupancy cost more margin than a dedicated cluster (-$415) and
// four points more abandoned sessions. Lending only idle capacity costs
// no more than the dedicated cluster, and the time requests waited while
// replicas were lent is reported, within all their waiting.
func TestLendingOnABusyNeuronFleet(t *testing.T) {
	kpis := map[string]*Result{}
	for _, where := range []string{"fleet-idle", "dedicated"} {
		sc := builtinScenario(t, "retrain-weekly", model.Day, 4)
		sc.Training.Every = 30 * model.Day
		sc.Training.Where = where
		res, _ := run(t, sc)
		kpis[where] = res
	}
	margin := func(w string) float64 { return kpi(t, kpis[w], "margin_usd", "") }
	abandoned := func(w string) float64 {
		r := kpis[w]
		return kpi(t, r, "sessions_abandoned", "") / (kpi(t, r, "sessions_abandoned", "") + kpi(t, r, "sessions_completed", ""))
	}
	t.Logf("margin $%.0f lending, $%.0f dedicated; abandoned %.3f, %.3f", margin("fleet-idle"), margin("dedicated"), abandoned("fleet-idle"), abandoned("dedicated"))
	if margin("fleet-idle") < margin("dedicated") {
		t.Errorf("lending idle capacity earned $%.0f, a dedicated cluster $%.0f", margin("fleet-idle"), margin("dedicated"))
	}
	if abandoned("fleet-idle") > abandoned("dedicated")+0.01 {
		t.Errorf("lending: %.1f%% of sessions abandoned, dedicated %.1f%%", 100*abandoned("fleet-idle"), 100*abandoned("dedicated"))
	}
	r := kpis["fleet-idle"]
	lentWaitH := kpi(t, r, "training_lent_wait_hours", "")
	allWaitH := kpi(t, r, "queue_depth_avg", "") * float64(r.SimNs) / 3600e9
	if kpi(t, r, "training_lends", "") == 0 || !(lentWaitH > 0 && lentWaitH <= allWaitH) {
		t.Errorf("%v lends; waited %v request-h while lent of %v in all", kpi(t, r, "training_lends", ""), lentWaitH, allWaitH)
	}
}

// TestLendSpareSlotsUnderContinuousBatching: a replica whose new requests
// join its running batch (vLLM) iterates whenever one request is in
// flight, so its spare capacity is its free batch slots and KV blocks:
// it is lent while demand, spread over one replica fewer, stays below
// lend_below, however little time it spends not iterating. A replica
// whose prefill stops the batch (neuron) still needs a replica's worth
// of idle time.
func TestLendSpareSlotsUnderContinuousBatching(t *testing.T) {
	w := gangWorld(t)
	l := w.lender
	l.lendBelow, l.reclaimAbove = 0.3, 0.6
	serving := len(w.pools[0].serving)
	if serving < 2 {
		t.Fatalf("%d serving replicas, want at least 2", serving)
	}
	spread := float64(serving-1) / float64(serving) // demand that reaches lend_below once spread
	cases := []struct {
		name      string
		s         lendSignals
		joins, pp bool // joins: the scheduler's joinsRunningBatch; pp: lend?
	}{
		{"continuous, few sequences, never idle", lendSignals{demand: 0.016, kv: 0.001, idle: 0.17}, true, true},
		{"prefill stops the batch, few sequences, never idle", lendSignals{demand: 0.016, kv: 0.001, idle: 0.17}, false, false},
		{"continuous, saturated", lendSignals{demand: 0.9, kv: 0.5, idle: 0}, true, false},
		{"continuous, just below lend_below, over it spread", lendSignals{demand: 0.3*spread + 0.01, idle: 0}, true, false},
		{"continuous, below lend_below once spread", lendSignals{demand: 0.3*spread - 0.01, idle: 0}, true, true},
		{"continuous, KV full of long contexts", lendSignals{demand: 0.05, kv: 0.5, idle: 0}, true, false},
		{"continuous, a request waits", lendSignals{demand: 0.05, kv: 0.01, waiting: 1}, true, false},
	}
	for _, c := range cases {
		l.joins = c.joins
		if got := l.mayLend(c.s, serving); got != c.pp {
			t.Errorf("%s (%+v): lend %v, want %v", c.name, c.s, got, c.pp)
		}
	}
}

// TestGPUFleetLendsAtLowOccupancy: a vLLM fleet whose every replica
// always runs a few sequences (it is never a whole replica idle) lends to
// training while its batches are nearly empty, and lends nothing once its
// batches are full; a run that lent nothing counts why.
func TestGPUFleetLendsAtLowOccupancy(t *testing.T) {
	fleet := func(rate string) *model.Scenario {
		sc := scenario(t, smallL4+`
    arrivals: {process: poisson, rate: `+rate+`}
fleet:
  instance: g6.xlarge
  count: 4
  replica: {tp: 1, scheduler: vllm, max_num_seqs: 64, max_model_len: 8192}
training: {tokens: 1e8, kind: lora, where: fleet-idle, interval: 1m, switch_time: 30s}
`)
		sc.Horizon = 30 * model.Minute
		return sc
	}
	low, _ := run(t, fleet("0.6/s"))
	idle := (kpi(t, low, "replicas_up_avg", "") * (1 - kpi(t, low, "utilization", "")))
	t.Logf("low: occupancy %.3f, busy %.3f, lends %v", kpi(t, low, "batch_occupancy", ""), kpi(t, low, "utilization", ""), kpi(t, low, "training_lends", ""))
	if idle >= 1 {
		t.Fatalf("the low-load fleet left %.2f replicas idle: the test needs one never a whole replica idle", idle)
	}
	if kpi(t, low, "batch_occupancy", "") >= 0.3 || kpi(t, low, "training_lends", "") == 0 {
		t.Errorf("at %.1f%% of its batch slots the fleet lent %v replicas, want some",
			100*kpi(t, low, "batch_occupancy", ""), kpi(t, low, "training_lends", ""))
	}
	full, _ := run(t, fleet("40/s"))
	t.Logf("full: occupancy %.3f, lends %v, held by demand %v", kpi(t, full, "batch_occupancy", ""), kpi(t, full, "training_lends", ""), kpi(t, full, "training_held_demand", ""))
	if kpi(t, full, "training_lends", "") != 0 || kpi(t, full, "training_held_demand", "") == 0 {
		t.Errorf("at %.1f%% of its batch slots the fleet lent %v replicas (held by demand %v), want none and the decisions counted",
			100*kpi(t, full, "batch_occupancy", ""), kpi(t, full, "training_lends", ""), kpi(t, full, "training_held_demand", ""))
	}
}
