package forecast

import (
	"fmt"
	"slices"
	"strings"

	"aiecon/model"
)

// BurstTiming says in which periods an owned fleet's burst instances
// cannot serve in any slice, and the durations that decide it: a slice
// starts cold and never drains, the autoscaler first looks after its
// interval, and an instance it asks for serves provision_delay later, so
// where interval + provision_delay reaches the slice's horizon every
// burst instance is paid from its request to the slice's end and serves
// nothing. The defaults (1m + 10m against day.horizon's usual 10m) do
// that: a 2-month forecast paid $33.9k of rent for burst that never came
// up, while SLO AT RISK advised procurement.burst, already set. The
// durations are the first such period's.
type BurstTiming struct {
	Periods         []int   `json:"periods"`
	IntervalS       float64 `json:"autoscale_interval_s"`
	ProvisionDelayS float64 `json:"provision_delay_s"`
	HorizonS        float64 `json:"slice_horizon_s"`
}

// burstLateShare is the share of a slice past which a burst that first
// serves there is late: from a quarter of the slice on, a burst instance
// is paid for at least a third as long again as it can serve (an
// instance asked for at the first look, provision_delay before it serves)
// and the slice's headroom, SLO attainment and abandonment are the
// servers' alone for that quarter or more.
const burstLateShare = 0.25

// burstCostShare is the share of a period's cost (the median) from which
// a late burst's rent is worth a note: 5%, where the SAMPLING note starts
// to warn of the totals' noise; under it the burst moves COST by less.
const burstCostShare = 0.05

// burstTimings is the periods in which vp's burst cannot serve in any
// slice (never) and those in which it first serves burstLateShare or more
// into the slice (late), nil where there are none: the autoscaler of a
// slice's run, the variant's scenario in the period with the fleet.*
// overrides of its roadmap and the bounds capacitySets pins, with its
// defaults filled in.
func (f *Forecast) burstTimings(vp *VariantPlan) (never, late *BurstTiming) {
	if vp.Owned == nil || vp.Procurement.Burst <= 0 {
		return nil, nil
	}
	horizon := f.Spec.Day.Horizon
	add := func(bt **BurstTiming, a *model.Autoscale, k int) {
		if *bt == nil {
			*bt = &BurstTiming{IntervalS: a.Interval.Seconds(), ProvisionDelayS: a.ProvisionDelay.Seconds(), HorizonS: horizon.Seconds()}
		}
		(*bt).Periods = append((*bt).Periods, k)
	}
	for k := 1; k <= f.Spec.Periods.Count; k++ {
		sc := f.scenarioIn(vp, k, func(set string) bool { return strings.HasPrefix(set, "fleet.") }, f.capacitySets(vp, k, nil, 0)...)
		if sc == nil || sc.Fleet.Autoscale == nil {
			continue
		}
		a := sc.Fleet.Autoscale
		switch up := a.Interval + a.ProvisionDelay; {
		case up >= horizon:
			add(&never, a, k)
		case float64(up) >= burstLateShare*float64(horizon):
			add(&late, a, k)
		}
	}
	return never, late
}

// burstNeverUpNote says when an owned fleet paid for burst instances that
// could not serve: the instance-hours paid above its servers in those
// periods (the medians over the samples), the durations, and the
// remedies. "" where the burst could serve, or none was paid for.
func (r *Report) burstNeverUpNote(variant string) string {
	fe := r.fleet(variant)
	if fe == nil || fe.BurstNeverUp == nil {
		return ""
	}
	bt := fe.BurstNeverUp
	hours := 0.0
	for _, s := range r.Summary {
		if s.Variant != variant || !slices.Contains(bt.Periods, s.Period) || len(s.Periods) == 0 {
			continue
		}
		burst := float64(s.Bands["instances_avg"].P50) - float64(s.Periods[0].OwnedServers)
		if burst > 1e-9 { // not the float residue of a held count
			hours += burst * r.PeriodHours
		}
	}
	if hours <= 0 {
		return ""
	}
	return fmt.Sprintf("BURST PAID, NEVER UP: procurement.burst (%d) rents instances above the servers when the autoscaler asks, but a "+
		"slice starts cold and never drains: the autoscaler first looks after fleet.autoscale.interval (%s) and an instance serves "+
		"fleet.autoscale.provision_delay (%s) after it is asked for, so none can serve before the slice's day.horizon (%s) ends. In %s "+
		"the burst was paid for %s instance-hours (in %s; the medians) that served nothing, and the periods' headroom, SLO "+
		"attainment and abandonment are the servers' alone. Lengthen day.horizon past %s, or shorten fleet.autoscale.provision_delay in the variant's set, for the "+
		"burst to serve; or drop procurement.burst.", fe.Burst, seconds(bt.IntervalS), seconds(bt.ProvisionDelayS), seconds(bt.HorizonS),
		r.periodList(bt.Periods), money(hours), r.words().rent, seconds(bt.IntervalS+bt.ProvisionDelayS))
}

// seconds prints a duration in seconds as a scenario writes it: "10m".
func seconds(s float64) string { return model.Duration(s * float64(model.Second)).String() }

// burstCannotServe says whether an owned fleet's burst could not serve in
// period k, so that no remedy advises it there.
func (fe *FleetEconomy) burstCannotServe(k int) bool {
	return fe.BurstNeverUp != nil && slices.Contains(fe.BurstNeverUp.Periods, k)
}

// burstLateNote says where an owned fleet's burst could serve only late
// in each slice and its rent was a significant part of the period's cost
// (burstCostShare): a slice starts cold, so every burst instance is paid
// from its request and serves provision_delay later, and none before
// interval + provision_delay into the slice. BURST PAID, NEVER UP covers
// the periods where that reaches the horizon; a burst that came up with
// a minute of a 10-minute slice left got no note, though most of what it
// was paid bought instances still provisioning. Each period is named with
// the burst's rent (its instance-hours above the servers, the medians, at
// the rental price in force) and its share of the period's cost (cost_usd, the median).
func (r *Report) burstLateNote(variant string) string {
	fe := r.fleet(variant)
	if fe == nil || fe.BurstLate == nil {
		return ""
	}
	bt := fe.BurstLate
	var parts []string
	for _, s := range r.Summary {
		if s.Variant != variant || !slices.Contains(bt.Periods, s.Period) || len(s.Periods) == 0 {
			continue
		}
		st, ok := stepAt(fe.Rent, s.Period)
		burst := float64(s.Bands["instances_avg"].P50) - float64(s.Periods[0].OwnedServers)
		cost := float64(s.Bands["cost_usd"].P50)
		if !ok || burst <= 1e-9 || cost <= 0 {
			continue
		}
		usd := burst * r.PeriodHours * st.USDPerHour
		if usd >= burstCostShare*cost {
			parts = append(parts, fmt.Sprintf("%s %d $%s (%s of the period's cost)", r.PeriodLen, s.Period, money(usd), pct(usd/cost)))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	up := bt.IntervalS + bt.ProvisionDelayS
	return fmt.Sprintf("BURST UP LATE: procurement.burst (%d) rents instances above the servers when the autoscaler asks, but a slice "+
		"starts cold: the autoscaler first looks after fleet.autoscale.interval (%s) and an instance serves fleet.autoscale.provision_delay "+
		"(%s) after it is asked for, paid from the asking, so no burst instance serves in the first %s of each %s slice (day.horizon; %s "+
		"of it), and each is paid %s or more before it serves. The burst's rent (in %s; its instance-hours above the servers, the "+
		"medians, at the rental price) was %s: partly for instances still provisioning, while the slices' headroom, SLO attainment "+
		"and abandonment were the servers' alone until the burst came up. Lengthen day.horizon, or shorten "+
		"fleet.autoscale.provision_delay in the variant's set; or own the peak (procurement.initial or orders) and lower procurement.burst.",
		fe.Burst, seconds(bt.IntervalS), seconds(bt.ProvisionDelayS), seconds(up), seconds(bt.HorizonS), pct(up/bt.HorizonS),
		seconds(bt.ProvisionDelayS), r.words().rent, strings.Join(parts, ", "))
}
