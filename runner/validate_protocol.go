package runner

import (
	"cmp"
	"errors"
	"fmt"

	"aiecon/hw"
	"aiecon/model/format"
	"aiecon/sim"
)

// The protocols a closed loop is measured by (ClosedLoopProtocol.Name).
//
// ProtocolSteady, the default, warms the loop up for closedWarmCycles
// request lifetimes and scores the requests that arrive over the next
// closedMeasureCycles: the loop's steady state, which the rows that pass
// Little's law measured.
//
// ProtocolColdWindow is how benchmark tools such as GenAI-Perf and
// perf_analyzer measure: every client sends its first request at 0, with no
// warm-up, and the statistic is over the requests that complete (their last
// token) by the end of a fixed window of T seconds, wherever they started
// in it. The first waves, which wait behind the other clients' prefills
// and reservations for less than a steady loop's requests do, are then
// part of the figure.
const (
	ProtocolSteady     = "steady"
	ProtocolColdWindow = "cold-window"
)

// Protocols lists the protocol names, for messages and help.
var Protocols = []string{ProtocolSteady, ProtocolColdWindow}

// ClosedLoopProtocol is how validate measures the closed-loop rows
// (ValidateOptions.Protocol). A row's own window_s (hw.ServingPoint.WindowS)
// says its benchmark measured a cold window of that length: it is run so
// unless Name is ProtocolSteady, which runs every loop steady.
type ClosedLoopProtocol struct {
	// Name is ProtocolSteady, ProtocolColdWindow, or "" (the default: a
	// cold window for the rows that state their window_s, the steady state
	// for the rest).
	Name string
	// WindowS is the cold window in seconds for the rows that state none
	// (their window_s is theirs); only with ProtocolColdWindow.
	WindowS float64
}

// Check refuses a protocol that cannot be run, in the terms of validate's
// flags: an unknown name, a window out of range, or a window without the
// protocol that uses it (it would be ignored without a word).
func (p ClosedLoopProtocol) Check() error {
	switch {
	case p.Name != "" && p.Name != ProtocolSteady && p.Name != ProtocolColdWindow:
		return &InputError{Err: fmt.Errorf("--protocol %q: want %s or %s", p.Name, ProtocolSteady, ProtocolColdWindow)}
	case p.WindowS != 0 && p.Name != ProtocolColdWindow:
		return &InputError{Err: fmt.Errorf("--window is the measurement window of --protocol %s, which it needs (the protocol is %s): give --protocol %s with it, or leave --window out",
			ProtocolColdWindow, cmp.Or(p.Name, "not given: steady, or cold-window for a row that states its window_s"), ProtocolColdWindow)}
	case p.WindowS != 0 && (p.WindowS < hw.MinWindowS || p.WindowS > hw.MaxWindowS):
		return &InputError{Err: fmt.Errorf("--window %gs is out of range (allowed: %s)", p.WindowS, hw.WindowAllowed)}
	}
	return nil
}

// CheckPoints refuses a cold-window protocol with no --window when a
// closed-loop row of points states no window_s of its own: nothing would
// say how long to measure it. It names the first such row.
func (p ClosedLoopProtocol) CheckPoints(points []hw.ServingPoint) error {
	if p.Name != ProtocolColdWindow || p.WindowS > 0 {
		return nil
	}
	for _, pt := range points {
		if pt.ClosedLoop() && pt.WindowS == 0 {
			return &InputError{Err: fmt.Errorf("--protocol %s needs --window (such as --window 500s), or a window_s column stating every closed loop's: %s states none",
				ProtocolColdWindow, pointWhere(pt))}
		}
	}
	return nil
}

// WindowFor is the cold window in seconds pt is measured over, or 0 where
// it is measured in its steady state (not a closed loop, or no window).
func (p ClosedLoopProtocol) WindowFor(pt hw.ServingPoint) float64 {
	switch {
	case !pt.ClosedLoop() || p.Name == ProtocolSteady:
		return 0
	case pt.WindowS > 0:
		return pt.WindowS
	case p.Name == ProtocolColdWindow:
		return p.WindowS
	}
	return 0
}

// windowLatencies are the TTFT and TPOT of the requests of a cold-window
// closed loop that completed by windowNs (every client sent its first
// request at 0, so there is no warm-up to leave out). None is an
// emptyWindowError: the window holds nothing to score.
func windowLatencies(reqs []sim.RequestRecord, windowNs int64) (ttft, tpot []float64, err error) {
	for _, r := range reqs {
		if r.Status != sim.StatusCompleted || r.FinishNs > windowNs {
			continue
		}
		ttft, tpot = appendLatencies(ttft, tpot, &r)
	}
	if len(ttft) == 0 {
		return nil, nil, &emptyWindowError{windowS: float64(windowNs) / 1e9}
	}
	return ttft, tpot, nil
}

// emptyWindowError is a cold window that ends before any request of the
// loop completes: the row is skipped, with the lifetime the closed form
// predicts beside the window.
type emptyWindowError struct{ windowS, lifeS float64 }

func (e *emptyWindowError) Error() string {
	msg := fmt.Sprintf("no request of the closed loop completed within its %gs cold window, so it has nothing to score", e.windowS)
	if e.lifeS > 0 {
		msg += fmt.Sprintf(" (a request's lifetime alone is about %.1f s, as the closed form predicts it)", e.lifeS)
	}
	return msg
}

// coldWindowTooLong says why a cold-window loop is skipped ("" if it is
// run): the window holds more request lifetimes than loopSkipSeqSteps
// allows (pastLoopBound). A cold window is not cut, as a steady loop is (closedLoopCycles):
// a shorter one would measure something else.
func coldWindowTooLong(pt hw.ServingPoint, windowS float64) string {
	life, err := closedLoopLifetime(pt)
	if err != nil || life <= 0 {
		return "" // the run names the error
	}
	steps := closedLoopLifeSteps(pt) * windowS / life
	return pastLoopBound(pt, steps, fmt.Sprintf("its %gs cold window holds about %.0f request lifetimes of %s clients x %s output tokens, which",
		windowS, windowS/life, format.Thousands(int64(pt.Concurrency)), format.Thousands(int64(pt.OutputTokens))))
}

// ClosedLoops says how the report's closed-loop rows were measured: how
// many in a cold window and how many in their steady state, and the window
// in seconds where every cold one had the same (else 0).
func (rep *ValidationReport) ClosedLoops() (cold, steady int, windowS float64) {
	same := true
	for _, r := range rep.Rows {
		switch {
		case !r.Point.ClosedLoop():
		case r.WindowS == 0:
			steady++
		default:
			if cold > 0 && r.WindowS != windowS {
				same = false
			}
			cold++
			windowS = r.WindowS
		}
	}
	if !same {
		windowS = 0
	}
	return cold, steady, windowS
}

// isSkippedWindow reports whether err skips a cold-window row rather than
// failing the validation.
func isSkippedWindow(err error) bool {
	var empty *emptyWindowError
	return errors.As(err, &empty)
}
