package sim

import (
	"context"
	"fmt"
	"strings"

	"aiecon/model"
	"aiecon/sim/engine"
)

// A drained run ends when its last piece of work does: the engine stops at
// that instant, so the run's duration, what its instances are billed for and
// every per-second rate use the interval actually served. Letting the engine
// run on would end it at the next window tick and bill the fleet for up to a
// window of nothing.

// workLeft reports requests queued or running, or agent sessions between calls.
func (w *World) workLeft() bool { return w.inSystem.v > 0 || w.activeSessions() > 0 }

// stopIfDrained ends a drain-mode run once the horizon has passed and no work
// is left; it is called wherever work leaves the system.
func (w *World) stopIfDrained() {
	if w.sc.Drain && w.eng.Now() >= w.horizon && !w.workLeft() {
		w.eng.Stop()
	}
}

// drainLimitNs is the latest instant a drained run may reach. Every delay
// the simulator adds to the clock is at most maxDelayNs (delayNs saturates
// there; a scenario's durations, at most model.MaxDuration, are less), so
// below it now + delay cannot pass the int64 clock. A drain still holding
// work there is stuck: it used to run on, window after window, until the
// clock wrapped and the engine panicked with times that did not say why.
const drainLimitNs = engine.Forever - maxDelayNs

// drain runs a drained run past its horizon until its last work leaves
// (stopIfDrained), and fails, naming what is left, if it has not by
// drainLimitNs or the events run out first.
func (w *World) drain(ctx context.Context) error {
	if err := w.eng.RunWithin(ctx, drainLimitNs); err != nil {
		return err
	}
	if w.err != nil {
		return w.err
	}
	if !w.workLeft() {
		return nil
	}
	return w.stuckDrainError()
}

// stallNs is how long a drained run past its horizon may go with work left
// and nothing moving (no iteration on any replica, no request entering or
// leaving, no agent session ending) before it stops as stalled: far longer
// than any wait a run holds work through (a tool call, a spot recovery, a
// provisioning delay, a training switch), far shorter than the drain's
// limit (drainLimitNs, 146 years of window ticks). aiecon's choice.
const stallNs = int64(30 * model.Day)

// progressMark is what moves when a run makes progress; two equal marks a
// window apart mean nothing moved in between.
type progressMark struct {
	iterations, requests, sessions int64
	inSystem                       float64
}

// stallWatch follows a drained run past its horizon, window by window.
type stallWatch struct {
	mark  progressMark
	since int64 // when mark was last seen to move (-1 before the first look)
	on    bool
}

func (w *World) progressMark() progressMark {
	m := progressMark{requests: w.nextReqID, sessions: int64(w.activeSessions()), inSystem: w.inSystem.v}
	for _, p := range w.replicas {
		m.iterations += p.iterations
	}
	return m
}

// watchStall is a window's end in a drained run past its horizon with work
// left: it stops the run, naming the cause, the pool and the simulated
// time, once a whole window passed with nothing moving and a replica holds
// requests that nothing will move (stalledReplica), or once nothing moved
// for stallNs. Without it such a run went on, window after window, to the
// drain's limit, 146 years of simulated time.
func (w *World) watchStall(now int64) {
	m := w.progressMark()
	if !w.stall.on || m != w.stall.mark {
		w.stall = stallWatch{mark: m, since: now, on: true}
		return
	}
	if err := w.stalledReplica(now); err != nil {
		w.failRun(err)
		return
	}
	if now-w.stall.since >= stallNs {
		w.failRun(w.stalledError(now))
	}
}

// stalledReplica names the first replica holding requests that nothing
// will move: busy with no iteration scheduled, idle although it is serving
// (its scheduler plans nothing and no event will ask it again), or not
// serving at all. nil when there is none.
func (w *World) stalledReplica(now int64) error {
	for _, p := range w.replicas {
		var cause string
		switch {
		case p.outstanding() == 0:
			continue
		case p.busy && !p.iterDone.Pending():
			cause = "is busy with no iteration scheduled"
		case p.busy:
			continue
		case p.up || p.draining:
			cause = "is idle although it serves: its scheduler plans no iteration and no event will ask it again" + p.headDetail()
		default:
			cause = "does not serve (down, lent or stopped) yet holds them"
		}
		return fmt.Errorf("sim: stalled: replica %d (pool %s, instance %d) %s, with %d requests waiting and %d running, at %v of simulated time (nothing moved since %v); they would never end (a bug: please report it with the scenario)",
			p.id, p.inst.pool.name, p.inst.id, cause, p.waiting, len(p.running), simTime(now), simTime(w.stall.since))
	}
	return nil
}

// headDetail says what the first waiting request needs of the replica.
func (p *replica) headDetail() string {
	r := p.peekWaiting()
	if r == nil {
		return ""
	}
	return fmt.Sprintf(" (the first waiting, request %d, takes %d of the %d KV blocks, %d free, with %d of max_num_seqs %d running)",
		r.id, p.blocksFor(r, r.peakTokens()), p.kvTotal, p.kvFree, len(p.running), p.env.maxNumSeqs)
}

// stalledError names the work a drained run left unmoved for stallNs, pool
// by pool.
func (w *World) stalledError(now int64) error {
	var at []string
	for _, pl := range w.pools {
		var waiting, running, up int
		for _, p := range w.replicas {
			if p.inst.pool == pl {
				waiting, running = waiting+p.waiting, running+len(p.running)
				if p.up {
					up++
				}
			}
		}
		at = append(at, fmt.Sprintf("pool %s: %d waiting, %d running, %d replicas up", pl.name, waiting, running, up))
	}
	return fmt.Errorf("sim: stalled: %.0f requests and %d agent sessions in the system, and nothing moved (no iteration, no request in or out, no session ending) from %v to %v of simulated time (%s); they would never end (a bug: please report it with the scenario)",
		w.inSystem.v, w.activeSessions(), simTime(w.stall.since), simTime(now), strings.Join(at, "; "))
}

// simTime prints a simulated time to the millisecond.
func simTime(ns int64) model.Duration { return model.Duration(ns / 1e6 * 1e6) }

// stuckDrainError names the work a drained run could not finish: the
// sessions between calls and, replica by replica, the requests waiting and
// running (the first few replicas).
func (w *World) stuckDrainError() error {
	var at []string
	for _, p := range w.replicas {
		if p.outstanding() == 0 {
			continue
		}
		if len(at) == 4 {
			at = append(at, "...")
			break
		}
		at = append(at, fmt.Sprintf("replica %d (up %v, busy %v): %d waiting, %d running", p.id, p.up, p.busy, p.waiting, len(p.running)))
	}
	why := "no event was left to move them"
	if w.eng.Len() > 0 {
		why = "the latest a drained run may reach"
	}
	return fmt.Errorf("sim: drain: %.0f requests and %d agent sessions still in the system at %v of simulated time, %s (%s); they would never end (a bug: please report it with the scenario)",
		w.inSystem.v, w.activeSessions(), simTime(w.eng.Now()), why, strings.Join(at, "; "))
}
