package sim

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
