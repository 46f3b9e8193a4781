package main

import (
	"fmt"

	"aiecon/hw"
)

// idleWarnings are a single fleet's warnings when few of its batch slots
// held a request (occ, their mean share), with the optimize command that
// would size it: IDLE SLOTS where the neuron scheduler's prefills may bind
// instead (busy, the share of time the replicas iterated), MOSTLY IDLE
// otherwise.
func (r runReport) idleWarnings(occ, busy float64, prefillBound bool) []string {
	f := r.l.Scenario.Fleet
	replicas := fmtNum(r.kpi("replicas_up_avg", ""), 0) + " replicas"
	if replicas == "1 replicas" {
		replicas = "1 replica"
	}
	slots := fmt.Sprintf("on average %s of the batch slots (%s x %d) held a request", fmtPct(occ), replicas, f.Replica.MaxNumSeqs)
	if prefillBound {
		// One prefill per iteration, decoding paused meanwhile: the
		// prefills, not the slots, may be what the fleet runs out of.
		return []string{fmt.Sprintf("IDLE SLOTS: %s, but the replicas iterated %s of the time: with the neuron scheduler each "+
			"prefill runs alone and pauses decoding, so the prefills, not the slots, may bind, and a smaller fleet may wait "+
			"longer for them. Fewer slots (max_num_seqs) would do; check a smaller fleet with optimize before shrinking it.",
			slots, fmtPct(busy)),
			"To size the fleet for this traffic: " + r.optimizeCommand() + r.otherTypes()}
	}
	if r.oneInstance() {
		return r.idleOnOneInstance(slots)
	}
	return []string{fmt.Sprintf("MOSTLY IDLE: %s: a smaller fleet (%s, or a smaller instance type) would serve "+
		"this traffic, and cost per token here is inflated by idle capacity.", slots, r.fewerInstances()),
		"To size the fleet for this traffic: " + r.optimizeCommand() + r.otherTypes()}
}

// oneInstance reports whether the fleet is one instance: one that does
// not scale, or an autoscaled one that sat at its minimum of one
// (atMinimum): the smallest fleet of its type. An autoscaled fleet at
// min 1 that held 1.05 instances on average was told "fewer instances".
func (r runReport) oneInstance() bool {
	f := r.l.Scenario.Fleet
	if as := f.Autoscale; as != nil {
		return as.Min == 1 && r.atMinimum()
	}
	return f.Count == 1
}

// atMinimum reports whether an autoscaled fleet held, on average, within
// half an instance of its fleet.autoscale.min: the autoscaler had it as
// small as it may, and only a lower minimum makes it smaller.
func (r runReport) atMinimum() bool {
	as := r.l.Scenario.Fleet.Autoscale
	avg := r.kpi("instances_avg", "")
	return as != nil && avg >= 0 && avg < float64(as.Min)+0.5 // NaN: not known, not at it
}

// fewerInstances is how MOSTLY IDLE's fleet gets fewer instances: a
// static one, a lower count; an autoscaled one, which picks its own count,
// a lower fleet.autoscale.min where it sat at it, else a higher
// fleet.autoscale.target (it scaled up on slots it did not fill).
func (r runReport) fewerInstances() string {
	as := r.l.Scenario.Fleet.Autoscale
	switch {
	case as == nil:
		return "fewer instances"
	case r.atMinimum():
		return fmt.Sprintf("fewer instances: the autoscaler held it at its minimum, so a lower fleet.autoscale.min than %d", as.Min)
	}
	return "fewer instances: the autoscaler chose the count, so a higher fleet.autoscale.target"
}

// idleOnOneInstance is MOSTLY IDLE for a fleet of one instance, which no
// fewer instances can replace, and an optimize command pinned to its type
// and TP degree would only return: a smaller instance type is the one way
// to a cheaper fleet, so the command searches every type. An owned fleet is
// searched on its own type only, so no command can find it one.
func (r runReport) idleOnOneInstance(slots string) []string {
	f := r.l.Scenario.Fleet
	one := "one " + f.Instance
	if f.Autoscale != nil {
		one = "the autoscaler held it at its minimum, " + one + ", which"
	}
	idle := fmt.Sprintf("MOSTLY IDLE: %s: %s is the smallest fleet of its type, so only a smaller instance type would serve "+
		"this traffic for less, and cost per token here is inflated by idle capacity.", slots, one)
	if f.Pricing == hw.PricingOwned {
		return []string{idle + " An owned fleet is sized on its own instance type only, so optimize cannot find a cheaper one; " +
			"price the fleet on a smaller type you could own instead."}
	}
	return []string{idle, "To find a cheaper fleet for this traffic: " + r.optimizeAnyFleet() + " (it tries every instance type and TP degree)"}
}
