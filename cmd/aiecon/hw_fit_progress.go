package main

import (
	"fmt"
	"io"
	"time"
)

// fitProgress shows on stderr that hw fit is still fitting: the fit's cost
// grows with its rows (about 15 ms a row on a loaded 2-core machine: the
// 10,000 rows a points file may have take minutes, and --cv refits once
// per fold), and nothing was printed until it ended. A line names the
// family, its rows and the time so far, once the fit has run
// progressAfter, then at most every progressEvery; on a terminal it is
// rewritten in place and cleared at the end. Nothing under --quiet. The
// fit has no count of its own to show (Nelder-Mead stops when it
// converges), so the line says it is working, not how far it has got.
type fitProgress struct {
	w    io.Writer
	tty  bool
	what string // the fit running
	lineThrottle
}

func newFitProgress(e *env, start time.Time) *fitProgress {
	if e.quiet {
		return &fitProgress{}
	}
	return &fitProgress{w: e.stderr, tty: stderrIsTerminal(e), lineThrottle: lineThrottle{start: start}}
}

// begin names the fit now running: a family's rows, and whether it is
// cross-validated.
func (p *fitProgress) begin(family string, rows int, cv bool) {
	p.what = fmt.Sprintf("fitting %s to %s", family, plural(rows, "row"))
	if cv {
		p.what += " and cross-validating it (one refit per fold)"
	}
}

// tick shows the line at t if it is due.
func (p *fitProgress) tick(t time.Time) {
	if p.w == nil || !p.due(t) {
		return
	}
	// On a terminal the line is cleared before it is written and left
	// standing, so that it stays readable until the next one replaces it.
	start, end := "", "\n"
	if p.tty {
		start, end = "\r\033[K", ""
	}
	fmt.Fprintf(p.w, "%shw fit: %s, %s so far (an interrupt stops it; nothing is written until it ends)%s", start, p.what, t.Sub(p.start).Round(time.Second), end)
}

// finish clears a terminal's line.
func (p *fitProgress) finish() {
	if p.w != nil && p.tty && p.shown {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
