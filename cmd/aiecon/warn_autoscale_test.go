package main

import (
	"strings"
	"testing"

	"aiecon/model"
	"aiecon/model/kpi"
)

// TestScaleUpsNeverUp: an autoscaled fleet whose first scale-up (one
// interval in) comes up only at or past the horizon (the default 10m
// provision_delay on a 10m horizon) is warned of, naming what its
// additions cost and served nothing, the delay and the horizon: the run
// cost $69.63 against $42.20 for the same service and said nothing. One
// whose scale-ups can come up, one that added nothing and a drained run
// (its additions may serve in the drain) are not.
func TestScaleUpsNeverUp(t *testing.T) {
	paid := map[string]float64{kpi.ScaleUps: 2, kpi.InstancesAvg: 6.6, kpi.CostInstancesUSD: 69.63}
	const want = "SCALE-UPS PAID, NEVER UP: the autoscaler first looks after fleet.autoscale.interval (1m) and an instance serves " +
		"fleet.autoscale.provision_delay (10m) after it is asked for, so none it adds can serve before the horizon (10m) ends. " +
		"Its 2 scale-ups paid $27.43 for instances that served nothing (2.6 instances on average above fleet.count, 4)"
	for _, tt := range []struct {
		name    string
		kpis    map[string]float64
		horizon model.Duration
		delay   model.Duration
		drain   bool
		want    string // "" = no warning
	}{
		{"the default delay on a 10m horizon", paid, 10 * model.Minute, 10 * model.Minute, false, want},
		{"up a minute before the horizon", paid, 10 * model.Minute, 8 * model.Minute, false, ""},
		{"up in time", paid, model.Hour, 10 * model.Minute, false, ""},
		{"no scale-up", map[string]float64{kpi.ScaleUps: 0, kpi.InstancesAvg: 4, kpi.CostInstancesUSD: 42.2}, 10 * model.Minute, 10 * model.Minute, false, ""},
		{"drained", paid, 10 * model.Minute, 10 * model.Minute, true, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := fakeReport(tt.kpis)
			sc := r.l.Scenario
			sc.Horizon, sc.Drain, sc.Fleet.Count = tt.horizon, tt.drain, 4
			sc.Fleet.Autoscale = &model.Autoscale{Min: 1, Max: 8, Interval: model.Minute, ProvisionDelay: tt.delay}
			got := strings.Join(r.scenarioChecks(), "\n")
			if tt.want == "" && strings.Contains(got, "NEVER UP") || tt.want != "" && !strings.Contains(got, tt.want) {
				t.Errorf("warnings:\n%s\nwant %q", got, tt.want)
			}
		})
	}
}
