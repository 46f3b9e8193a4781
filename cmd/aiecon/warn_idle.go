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
	return []string{fmt.Sprintf("MOSTLY IDLE: %s: a smaller fleet (fewer instances, or a smaller instance type) would serve "+
		"this traffic, and cost per token here is inflated by idle capacity.", slots),
		"To size the fleet for this traffic: " + r.optimizeCommand() + r.otherTypes()}
}

// oneInstance reports whether the fleet is one instance that does not
// scale: the smallest fleet of its type.
func (r runReport) oneInstance() bool {
	f := r.l.Scenario.Fleet
	return f.Count == 1 && f.Autoscale == nil
}

// idleOnOneInstance is MOSTLY IDLE for a fleet of one instance, which no
// fewer instances can replace, and an optimize command pinned to its type
// and TP degree would only return: a smaller instance type is the one way
// to a cheaper fleet, so the command searches every type. An owned fleet is
// searched on its own type only, so no command can find it one.
func (r runReport) idleOnOneInstance(slots string) []string {
	f := r.l.Scenario.Fleet
	idle := fmt.Sprintf("MOSTLY IDLE: %s: one %s is the smallest fleet of its type, so only a smaller instance type would serve "+
		"this traffic for less, and cost per token here is inflated by idle capacity.", slots, f.Instance)
	if f.Pricing == hw.PricingOwned {
		return []string{idle + " An owned fleet is sized on its own instance type only, so optimize cannot find a cheaper one; " +
			"price the fleet on a smaller type you could own instead."}
	}
	return []string{idle, "To find a cheaper fleet for this traffic: " + r.optimizeAnyFleet() + " (it tries every instance type and TP degree)"}
}
