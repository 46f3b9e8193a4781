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
	if r.oneInstance() && busy > steppingBusy {
		return r.slotsAboveTraffic(slots, busy)
	}
	if r.oneInstance() {
		return r.idleOnOneInstance(slots)
	}
	return []string{fmt.Sprintf("MOSTLY IDLE: %s: a smaller fleet (%s, or a smaller instance type) would serve "+
		"this traffic, and cost per token here is inflated by idle capacity.", slots, r.fewerInstances()),
		"To size the fleet for this traffic: " + r.optimizeCommand() + r.otherTypes()}
}

// steppingBusy is the share of time above which the replicas of a fleet of
// one instance count as stepping through the run: its empty batch slots are
// then a max_num_seqs above the concurrency the traffic brings, not
// hardware idle in time. gpu-vs-trainium's p5 at max_num_seqs 64, 128 and
// 512 ran the same requests, latencies and costs, busy 99.999% of the time
// in each, yet filled 27%, 14% and 3% of its slots, and was called MOSTLY
// IDLE, its cost "inflated by idle capacity", at 128 and 512 only. On more
// than one instance busy time says nothing of spare capacity (the router
// gives each replica requests, and a replica steps whenever it holds one:
// the same p5 fleet at 4 instances is busy 99.7%), so the slots judge there.
const steppingBusy = 0.8

// slotsAboveTraffic is IDLE SLOTS for a fleet of one instance whose
// replicas stepped through the run (busy, over steppingBusy): the slots
// the traffic leaves empty are a setting, so fewer give the same run, and
// no fewer instances of the type exist; only another type or TP degree may
// serve the traffic for less, which the every-type optimize command tries
// (none for an owned fleet, searched on its own type only).
func (r runReport) slotsAboveTraffic(slots string, busy float64) []string {
	f := r.l.Scenario.Fleet
	one := "one " + f.Instance
	if f.Autoscale != nil {
		one = "the autoscaler held it at its minimum, " + one + ", which"
	}
	replicas := "replicas"
	if r.kpi("replicas_up_avg", "") == 1 {
		replicas = "replica"
	}
	idle := fmt.Sprintf("IDLE SLOTS: %s, but the %s iterated %s of the time: %s is the smallest fleet of its type and "+
		"it stepped through the run, so its capacity is not idle in time; the empty slots are a max_num_seqs above the "+
		"requests the traffic keeps in flight, and fewer, down to those, would give the same run. More traffic would fill "+
		"them at little more cost a step.", slots, replicas, fmtPct(busy), one)
	if f.Pricing == hw.PricingOwned {
		return []string{idle}
	}
	return []string{idle, "Whether a smaller instance type or TP degree serves this traffic for less: " + r.optimizeAnyFleet() +
		" (it tries every instance type and TP degree)"}
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
