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
	if w.err != nil || !w.workLeft() {
		return nil
	}
	return w.stuckDrainError()
}

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
		w.inSystem.v, w.activeSessions(), model.Duration(w.eng.Now()/1e6*1e6), why, strings.Join(at, "; "))
}
