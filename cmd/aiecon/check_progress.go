package main

import (
	"fmt"
	"io"
	"time"
)

// checkProgress shows how many points of a new sweep have been checked
// (Plan.Validate, about 2 ms of CPU a point: a million points take many
// minutes). On a terminal it is a bar; in a log (stderr not a terminal) a
// line once checking has taken progressAfter, then at most every
// progressEvery, as validate's row lines are (a 100 x 100 grid printed one
// line and then nothing for minutes); nothing under --quiet.
type checkProgress struct {
	bar   *countProgress
	w     io.Writer // lines, when not nil
	name  string
	total int
	now   func() time.Time
	lineThrottle
}

func newCheckProgress(e *env, name string, total int) *checkProgress {
	p := &checkProgress{bar: newCountProgressOf(e, total, "checking "+name, "points"), name: name, total: total}
	if p.bar.bar == nil && !e.quiet && total > 0 {
		p.w, p.now = e.stderr, time.Now
		p.start = p.now()
	}
	return p
}

// set is Plan.Validate's progress: done points checked.
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
	fmt.Fprintf(p.w, "sweep %s: %d of %d points checked, %s; ETA %s\n",
		p.name, done, p.total, elapsed.Round(time.Second), eta.Round(time.Second))
}

func (p *checkProgress) finish() { p.bar.finish() }
