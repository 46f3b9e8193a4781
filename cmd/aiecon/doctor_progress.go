package main

import (
	"fmt"
	"io"
	"time"
)

// doctorProgress shows on stderr that doctor is still reading: checking a
// store reads every row of it, and salvaging one copies it run by run
// (about 30 ms of CPU a run: minutes for thousands), and doctor printed
// nothing until it ended. A line says how far it has got, once doctor has
// run progressAfter, then at most every progressEvery; on a terminal it is
// rewritten in place and cleared at the end; in a log each is a line of
// its own. Nothing under --quiet.
type doctorProgress struct {
	w   io.Writer
	tty bool
	now func() time.Time
	lineThrottle
}

func newDoctorProgress(e *env) *doctorProgress {
	if e.quiet {
		return &doctorProgress{}
	}
	return &doctorProgress{w: e.stderr, tty: stderrIsTerminal(e), now: time.Now, lineThrottle: lineThrottle{start: time.Now()}}
}

// checked is data.CheckComplete's progress: its steps (a table read, a
// record count compared for every run) done of total.
func (p *doctorProgress) checked(done, total int) {
	p.line(func(elapsed time.Duration) string {
		return fmt.Sprintf("doctor: reading every run back, %d of %d steps done, %s so far", done, total, elapsed.Round(time.Second))
	})
}

// copied is data.SalvageProgress's: the complete runs copied (or found
// damaged) of total.
func (p *doctorProgress) copied(done, total int) {
	p.line(func(elapsed time.Duration) string {
		s := fmt.Sprintf("doctor: copying the complete runs, %d of %d done, %s so far", done, total, elapsed.Round(time.Second))
		if done > 0 && done < total {
			eta := time.Duration(float64(elapsed) / float64(done) * float64(total-done))
			s += "; ETA " + eta.Round(time.Second).String()
		}
		return s
	})
}

// line shows the line msg makes of the time so far, if one is due.
func (p *doctorProgress) line(msg func(elapsed time.Duration) string) {
	if p.w == nil {
		return
	}
	t := p.now()
	if !p.due(t) {
		return
	}
	if p.tty {
		// Cleared first, then written: the line stays up until the next.
		fmt.Fprint(p.w, "\r\033[K"+msg(t.Sub(p.start)))
		return
	}
	fmt.Fprintln(p.w, msg(t.Sub(p.start)))
}

// finish clears a terminal's line.
func (p *doctorProgress) finish() {
	if p.w != nil && p.tty && p.shown {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
