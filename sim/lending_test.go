package sim

import (
	"testing"

	"aiecon/model"
)

// TestLendOnlyIdleCapacity: the lender lends a replica only while no
// request waits and the serving replicas left a whole replica's worth of
// time idle, whatever the batch occupancy says: a Neuron replica runs a
// third full while each prefill pauses the decodes beside it.
func TestLendOnlyIdleCapacity(t *testing.T) {
	w := gangWorld(t)
	l := w.lender
	l.lendBelow, l.reclaimAbove = 0.3, 0.6
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
