package main

import (
	"fmt"

	"aiecon/model"
	"aiecon/model/format"
	"aiecon/model/kpi"
)

// scaleUpsNeverUp says, for each autoscaled fleet whose additions could
// not serve before the horizon, what they cost: the autoscaler first
// looks one fleet.autoscale.interval into the run, and an instance serves
// provision_delay after it is asked for, so where the two reach the
// horizon every instance added was paid and served nothing. The default
// delay (10m) on a 10m horizon cost $69.63 against $42.20 for the same
// traffic served, and the run said nothing. The amount is the fleet's
// instance cost above its fleet.count (instances_avg over it), as the
// forecast's BURST PAID, NEVER UP counts the burst above the servers. A
// drained run is not judged: its additions may come up in the drain.
func (r runReport) scaleUpsNeverUp() []string {
	sc := r.l.Scenario
	if sc.Drain {
		return nil
	}
	var out []string
	for _, p := range sc.ServingPools() {
		as := p.Fleet.Autoscale
		if as == nil || as.Interval+as.ProvisionDelay < sc.Horizon {
			continue
		}
		scope, label := "", ""
		if len(sc.Pools) > 0 {
			scope, label = kpi.ModelScope(p.Name), "model "+p.Name+": "
		}
		ups, avg, usd := r.kpi(kpi.ScaleUps, scope), r.kpi(kpi.InstancesAvg, scope), r.kpi(kpi.CostInstancesUSD, scope)
		above := avg - float64(p.Fleet.Count)
		if !(ups > 0) || !(above > 1e-9) || !format.Defined(usd) || !(avg > 0) {
			continue
		}
		out = append(out, neverUpWarning(label, as, sc.Horizon, p.Fleet.Count, ups, above, usd*above/avg))
	}
	return out
}

// neverUpWarning is SCALE-UPS PAID, NEVER UP for one fleet.
func neverUpWarning(label string, as *model.Autoscale, horizon model.Duration, count int, ups, above, usd float64) string {
	return fmt.Sprintf("SCALE-UPS PAID, NEVER UP: %sthe autoscaler first looks after fleet.autoscale.interval (%s) and an instance "+
		"serves fleet.autoscale.provision_delay (%s) after it is asked for, so none it adds can serve before the horizon (%s) ends. "+
		"Its %s paid %s for instances that served nothing (%.1f instances on average above fleet.count, %d), and the run's latency, "+
		"SLO attainment and throughput are those of its fleet.count alone. Lengthen the horizon past %s, or shorten "+
		"fleet.autoscale.provision_delay, for the scale-ups to serve; or drop fleet.autoscale.",
		label, as.Interval, as.ProvisionDelay, horizon, plural(int(ups), "scale-up"), fmtUSD(usd), above, count, as.Interval+as.ProvisionDelay)
}
