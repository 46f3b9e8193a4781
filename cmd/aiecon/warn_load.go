package main

import (
	"fmt"
	"math"

	"aiecon/model"
	"aiecon/model/format"
)

// load is what a set of workloads' requests did: how many arrived and
// completed, how many were still in the system at the end, and how many
// were in the system, waiting and running, on average. A closed loop's
// clients keep as many requests in the system as they are, so the
// fleet-sizing checks read an open-loop workload's load apart from a
// closed loop's rather than the run's, which mixes the two.
type load struct {
	names                          []string // the workloads; none for the whole run
	arrived, completed, unfinished float64
	inSystem, queued, running      float64
}

// loadOf adds up the loads of the workloads ws, each read from its own
// KPIs; the run's when the scenario has one workload or none (its KPIs
// are the run's then).
func (r runReport) loadOf(ws []model.Workload) load {
	if len(r.l.Scenario.Workloads) <= 1 {
		return r.scopeLoad("")
	}
	var sum load
	for _, w := range ws {
		l := r.scopeLoad(w.Name)
		sum.names = append(sum.names, w.Name)
		sum.arrived += l.arrived
		sum.completed += l.completed
		sum.unfinished += l.unfinished
		sum.inSystem += l.inSystem
		sum.queued += l.queued
		sum.running += l.running
	}
	return sum
}

// scopeLoad is the load of one KPI scope: a workload's, or the run's ("").
// An average the run lacks is NaN, so that no check fires on it.
func (r runReport) scopeLoad(scope string) load {
	count := func(name string) float64 {
		if v := r.kpi(name, scope); !math.IsNaN(v) {
			return v
		}
		return 0
	}
	l := load{arrived: count("requests_arrived"), completed: count("requests_completed"), unfinished: count("requests_unfinished"),
		inSystem: r.kpi("in_system_avg", scope), queued: r.kpi("queue_depth_avg", scope), running: r.kpi("running_avg", scope)}
	if scope != "" {
		l.names = []string{scope}
	}
	return l
}

// of names a load's workloads after "requests", as " of chat" or " of
// chat and batch"; "" for the whole run.
func (l load) of() string {
	if len(l.names) == 0 {
		return ""
	}
	return " of " + format.ListAnd(l.names)
}

// growing reports whether a load's queue grew without bound: many more
// requests were still in the system at the end than on average (a queue
// growing linearly from empty ends with twice its average), by more than
// chance explains and with the excess waiting in the queue. A fleet
// warming up ends with more than its average too (its requests take
// longer than a short horizon), but running, not queued.
func (l load) growing() bool {
	excess := l.unfinished - l.inSystem
	return l.unfinished > overloadUnfinished*l.arrived && l.unfinished > overloadGrowth*l.inSystem &&
		excess > overloadSigmas*math.Sqrt(max(l.inSystem, 1)) && l.queued > overloadQueuedShare*excess
}

// openAndClosed splits the scenario's workloads by their arrivals: open
// (every process but closed) and closed loops. A scenario without
// workloads (a report built by a test) counts as one open workload.
func (r runReport) openAndClosed() (open, closed []model.Workload) {
	for _, w := range r.l.Scenario.Workloads {
		if w.Arrivals.Process == "closed" {
			closed = append(closed, w)
		} else {
			open = append(open, w)
		}
	}
	if len(r.l.Scenario.Workloads) == 0 {
		open = []model.Workload{{}}
	}
	return open, closed
}

// growingQueues says when the open-loop workloads' queue grows without
// bound (load.growing): theirs together, else each one's where several
// share the fleet (a low-priority workload can starve while the others
// keep up, and their sum hide it). A closed loop's requests are left
// out: its clients send again only when answered, so its queue ends
// with about its average, and a loop whose clients join over the run
// (ramp) would read as a growing queue. Where the closed loops' own
// queue grew over the run too, the open-loop requests queued behind
// theirs and the run cannot tell the two apart: the warning says so.
// Nil when none grows.
func (r runReport) growingQueues(open, closed []model.Workload) []string {
	if len(open) == 0 {
		return nil
	}
	withLoops := len(closed) > 0 && r.loadOf(closed).growing()
	if l := r.loadOf(open); l.growing() {
		return []string{growingQueue(l, withLoops)}
	}
	var out []string
	if len(open) > 1 {
		for _, w := range open {
			if l := r.loadOf([]model.Workload{w}); l.growing() {
				out = append(out, growingQueue(l, withLoops))
			}
		}
	}
	return out
}

// growingQueue is the warning for a load whose queue grew: without bound,
// or, withLoops, perhaps only behind the closed loops' growing queue.
func growingQueue(l load, withLoops bool) string {
	what := fmt.Sprintf("%s of %s requests%s (%s) were still queued or running at the end, against %s in the system on average "+
		"(%s of them queued)", fmtCount(l.unfinished), fmtCount(l.arrived), l.of(), fmtPct(l.unfinished/l.arrived),
		fmtCount(l.inSystem), fmtCount(l.queued))
	if withLoops {
		return "GROWING QUEUE: " + what + ", but the closed-loop clients' requests in the system grew over the run too (clients " +
			"joining, a ramp), and these waited behind them: the run cannot tell a queue that grows without bound from one that " +
			"grew with the loops; a longer horizon, past the loops' ramp, would."
	}
	return "OVERLOADED: " + what + ": the queue grows without bound at this load, so latency and cost per token " +
		"describe a growing backlog, not a steady state."
}
