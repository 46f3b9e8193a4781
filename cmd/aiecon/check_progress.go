package main

import (
	"fmt"
	"io"
	"time"
)

// checkProgress shows how many points of a new sweep have been checked
// (Plan.Validate, about 2 ms of CPU a point: a million points take many
// minutes), or how many groups' scenarios a forecast has loaded before its
// first run (about 30 ms each: --samples 1000 loads 36,000). On a terminal it is a bar; in a log (stderr not a terminal) a
// line once checking has taken progressAfter, then at most every
// progressEvery, as validate's row lines are (a 100 x 100 grid printed one
// line and then nothing for minutes); nothing under --quiet.
type checkProgress struct {
	bar   *countProgress
	w     io.Writer // lines, when not nil
	what  string    // "sweep NAME", "forecast NAME"
	units string    // what is counted: "points", "groups"
	total int
	now   func() time.Time
	lineThrottle
}

// newCheckProgress counts total units of the kind ("sweep", "forecast")
// name.
func newCheckProgress(e *env, kind, name, units string, total int) *checkProgress {
	p := &checkProgress{bar: newCountProgressOf(e, total, "checking "+name, units), what: kind + " " + name, units: units, total: total}
	if p.bar.bar == nil && !e.quiet && total > 0 {
		p.w, p.now = e.stderr, time.Now
		p.start = p.now()
	}
	return p
}

// set is the progress: done units checked.
func (p *checkProgress) set(done int) {
	p.bar.set(done, p.total)
	if p.w == nil {
		return
	}
	t := p.now()
	if !p.due(t) {
		return
	}
	elapsed := t.Sub(p.start)
	eta := time.Duration(float64(elapsed) / float64(done) * float64(p.total-done))
	fmt.Fprintf(p.w, "%s: %d of %d %s checked, %s; ETA %s\n",
		p.what, done, p.total, p.units, elapsed.Round(time.Second), eta.Round(time.Second))
}

func (p *checkProgress) finish() { p.bar.finish() }
