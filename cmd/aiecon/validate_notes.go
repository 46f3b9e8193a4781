package main

import (
	"cmp"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"aiecon/hw"
	"aiecon/model/format"
	"aiecon/runner"
)

// groupNotesShown is how many distinct notes of a kind a group prints; rows
// of different lengths each extrapolate by their own figures, and --json
// lists every row's.
const groupNotesShown = 3

// writeGroupNotes prints, under the groups' table, each group whose rows
// lie outside the measurements the step-time constants were fitted to
// (what `aiecon run` prints as STEP TIMES EXTRAPOLATED) or past the
// model's published context: their errors test the constants where
// nothing pinned them.
func writeGroupNotes(out io.Writer, rep *runner.ValidationReport) {
	for _, g := range rep.Groups {
		var rows, pastRows int
		var extra []string
		heads := ""
		var longest *runner.ValidationRow // the row furthest past the context
		for i, r := range rep.Rows {
			if groupOf(r) != groupKey(g) || (r.Extrapolated == "" && r.PastContext == "" && r.Heads == "") {
				continue
			}
			rows++
			extra = addOnce(extra, r.Extrapolated)
			heads = cmp.Or(heads, r.Heads) // one model at one TP: one note
			if r.PastContext != "" {
				pastRows++
				if longest == nil || r.Point.SeqLen > longest.Point.SeqLen {
					longest = &rep.Rows[i]
				}
			}
		}
		if rows == 0 {
			continue
		}
		fmt.Fprintf(out, "note: %s %s TP %d %s (%d of %d rows):\n", g.Instance, g.Model, g.TP, g.WeightDType, rows, g.Rows)
		writeCapped(out, "step times extrapolated: ", extra)
		if heads != "" {
			fmt.Fprintf(out, "  heads: %s\n", heads)
		}
		if longest != nil {
			fmt.Fprintf(out, "  %s (the longest of %d rows past it)\n", longest.PastContext, pastRows)
		}
	}
}

// writeCapped prints the first groupNotesShown notes, each prefixed, and
// how many more there are.
func writeCapped(out io.Writer, prefix string, notes []string) {
	for i, n := range notes {
		if i == groupNotesShown {
			fmt.Fprintf(out, "  and %d more (--json gives each row's)\n", len(notes)-i)
			return
		}
		fmt.Fprintf(out, "  %s%s\n", prefix, n)
	}
}

// addOnce appends s to list unless it is empty or already there.
func addOnce(list []string, s string) []string {
	for _, l := range list {
		if l == s {
			return list
		}
	}
	if s == "" {
		return list
	}
	return append(list, s)
}

func groupKey(g runner.ValidationGroup) string {
	return fmt.Sprintf("%s|%s|%d|%s", g.Instance, g.Model, g.TP, g.WeightDType)
}

// groupOf is the key of the group hw.GroupErrors puts a row in: the model
// as it was read.
func groupOf(r runner.ValidationRow) string {
	p := r.Point
	model := p.Model
	if a, err := p.Arch(); err == nil {
		model = a.Name
	}
	return fmt.Sprintf("%s|%s|%d|%s", p.Instance, model, p.TP, p.WeightDType)
}

// rowNotesCell is a worst row's notes, as a last cell ("" for none).
func rowNotesCell(r runner.ValidationRow) string {
	if len(r.Notes) == 0 {
		return ""
	}
	return "\t" + format.Visible(strings.Join(r.Notes, "; ")) // notes may quote the file's cells
}

// jsonNotes are a row's notes in --json, the context's first.
func jsonNotes(r runner.ValidationRow) []string {
	var out []string
	for _, n := range []string{r.PastContext, r.Heads} {
		if n != "" {
			out = append(out, n)
		}
	}
	if out == nil {
		return r.Notes
	}
	return append(out, r.Notes...)
}

// rowProgress shows on stderr how many rows of a file validate has done,
// and the row it is simulating, once it has run for progressAfter (most
// files take a second or two, and print nothing), every progressEvery after
// that, unless --quiet. A row can take seconds to minutes (a long closed
// loop), so a ticker (watch) shows the line during a row too, not only as
// rows finish. On a terminal the line is rewritten in place and cleared at
// the end.
type rowProgress struct {
	w    io.Writer
	file string
	tty  bool
	now  func() time.Time
	lineThrottle

	mu          sync.Mutex // update and starting (validate) against tick (watch)
	done, total int
	row         string    // the row being simulated ("" between rows)
	rowStart    time.Time // when it started
	stop        chan struct{}
	stopped     sync.WaitGroup
}

const progressAfter, progressEvery = 2 * time.Second, 2 * time.Second

// lineThrottle paces a log's progress lines: none before progressAfter
// from start, then at most one every progressEvery.
type lineThrottle struct {
	start, last time.Time
	shown       bool
}

// due reports whether a line is due at t, and if so counts it shown.
func (th *lineThrottle) due(t time.Time) bool {
	if t.Sub(th.start) < progressAfter || (th.shown && t.Sub(th.last) < progressEvery) {
		return false
	}
	th.last, th.shown = t, true
	return true
}

// newRowProgress counts total rows, known from the start: the line said
// "0 of 0 rows done" while the first row ran, however many the file had.
func newRowProgress(e *env, file string, total int) *rowProgress {
	if e.quiet {
		return &rowProgress{}
	}
	return &rowProgress{w: e.stderr, file: file, tty: stderrIsTerminal(e), now: time.Now, lineThrottle: lineThrottle{start: time.Now()}, total: total}
}

// watch shows the line at each tick until finish; nothing under --quiet.
func (p *rowProgress) watch(ticks <-chan time.Time) {
	if p.w == nil {
		return
	}
	p.stop = make(chan struct{})
	p.stopped.Add(1)
	go func() {
		defer p.stopped.Done()
		for {
			select {
			case t := <-ticks:
				p.tick(t)
			case <-p.stop:
				return
			}
		}
	}()
}

// tick shows the line at t if it is due.
func (p *rowProgress) tick(t time.Time) {
	if p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.show(t)
}

// update is runner.ValidateOptions.Progress: done rows of total.
func (p *rowProgress) update(done, total int) {
	if p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done, p.total, p.row = done, total, ""
	p.show(p.now())
}

// starting is runner.ValidateOptions.Starting: a row's simulation begins.
func (p *rowProgress) starting(pt hw.ServingPoint) {
	if p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.row, p.rowStart = fmt.Sprintf("line %d", pt.Line), p.now()
}

// show prints the line if it is due at t; p.mu is held.
func (p *rowProgress) show(t time.Time) {
	if !p.due(t) {
		return
	}
	end := "\n"
	if p.tty {
		end = "\r"
	}
	running := ""
	if p.row != "" {
		running = fmt.Sprintf("; %s running for %s", p.row, t.Sub(p.rowStart).Round(time.Second))
	}
	fmt.Fprintf(p.w, "validate %s: %d of %d rows done, %s%s%s", p.file, p.done, p.total, t.Sub(p.start).Round(time.Second), running, end)
}

// finish stops watch and clears a terminal's progress line.
func (p *rowProgress) finish() {
	if p.stop != nil {
		close(p.stop)
		p.stopped.Wait()
		p.stop = nil
	}
	if p.w != nil && p.tty && p.shown {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
