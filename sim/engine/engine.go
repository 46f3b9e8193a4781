package engine

import (
	"context"
	"fmt"
	"math"
)

// Forever is a horizon that never ends a run: RunUntil(ctx, Forever) runs until
// the queue drains. An event at Forever (where Later saturates) never fires,
// so a recurring one pushed there stops instead of firing again and again
// at the same instant.
const Forever = math.MaxInt64

// Handler reacts to an event. The event is no longer pending when Handle runs,
// so the handler may schedule it again (the cheapest way to model a recurring
// activity: the engine then replaces the heap top instead of popping and pushing).
type Handler interface {
	Handle(ev *Event)
}

// Event is a schedulable occurrence. Components own their events and reuse
// them, so scheduling allocates nothing; the zero value is ready to use once
// Handler is set. An Event may be pending at most once at a time: scheduling a
// pending event moves it.
type Event struct {
	Handler Handler
	// Arg is free for the owner (an index, an id) so one handler can serve many events.
	Arg int64

	at    int64
	index int32 // position in the heap; notPending or firing otherwise
}

const (
	notPending int32 = -1
	firing     int32 = -2 // its handler is running; physically still the heap top
)

// Pending reports whether the event is scheduled and has not fired yet.
func (ev *Event) Pending() bool { return ev.index >= 0 }

// At is the time the event is (or was last) scheduled for.
func (ev *Event) At() int64 { return ev.at }

// entry is a heap slot. The key (at, seq) is copied next to the pointer so that
// sifting compares without dereferencing events.
type entry struct {
	at  int64
	seq uint64
	ev  *Event
}

func (a *entry) before(b *entry) bool {
	return a.at < b.at || (a.at == b.at && a.seq < b.seq)
}

// Engine is a single-threaded discrete-event engine. Events are ordered by time
// and, at equal times, by the order in which they were (re)scheduled.
type Engine struct {
	now    int64
	heap   []entry // 4-ary min-heap
	seq    uint64
	events uint64
	fired  *Event // the event whose handler is running, while it is not rescheduled
	stop   bool

	progress      func(now int64, events uint64)
	progressEvery uint64
}

// New returns an engine at time 0 with room for capacity pending events.
func New(capacity int) *Engine {
	return &Engine{heap: make([]entry, 0, capacity), progressEvery: 1 << 18}
}

// Now is the current simulated time in nanoseconds.
func (e *Engine) Now() int64 { return e.now }

// Events is the number of events processed so far.
func (e *Engine) Events() uint64 { return e.events }

// Len is the number of pending events.
func (e *Engine) Len() int {
	if e.fired != nil {
		return len(e.heap) - 1
	}
	return len(e.heap)
}

// NewEvent is a convenience for events that are created once and reused.
func NewEvent(h Handler, arg int64) *Event {
	return &Event{Handler: h, Arg: arg, index: notPending}
}

// Init prepares an event embedded in a larger struct (the zero value has index 0,
// which would read as pending).
func (ev *Event) Init(h Handler, arg int64) {
	ev.Handler, ev.Arg, ev.index = h, arg, notPending
}

// OnProgress sets a callback called every `every` events (0 keeps the default
// of 262,144) and once when a run ends. It runs on the engine's goroutine.
func (e *Engine) OnProgress(every uint64, fn func(now int64, events uint64)) {
	if every > 0 {
		e.progressEvery = every
	}
	e.progress = fn
}

// Schedule makes ev fire at time at. A pending event is moved. Scheduling in
// the past is a programming error and panics.
func (e *Engine) Schedule(ev *Event, at int64) {
	if at < e.now {
		panic(fmt.Sprintf("engine: schedule at %d before now %d", at, e.now))
	}
	e.seq++
	ev.at = at
	switch {
	case ev.index == firing:
		// Replace the top in place: one sift instead of a pop and a push.
		ev.index = 0
		e.fired = nil
		e.heap[0].at, e.heap[0].seq = at, e.seq
		e.down(0)
	case ev.index >= 0:
		i := int(ev.index)
		old := e.heap[i]
		e.heap[i].at, e.heap[i].seq = at, e.seq
		if e.heap[i].before(&old) {
			e.up(i)
		} else {
			e.down(i)
		}
	default:
		e.heap = append(e.heap, entry{at: at, seq: e.seq, ev: ev})
		e.up(len(e.heap) - 1)
	}
}

// After schedules ev delay (>= 0) nanoseconds from now, at Later(now, delay).
func (e *Engine) After(ev *Event, delay int64) { e.Schedule(ev, Later(e.now, delay)) }

// Later is delay (>= 0) nanoseconds after t, saturating at Forever: a sum
// past the int64 clock would wrap into the past, where Schedule panics
// with times that do not say why. An event at Forever never fires.
func Later(t, delay int64) int64 {
	if delay > Forever-t {
		return Forever
	}
	return t + delay
}

// Cancel removes a pending event and reports whether it was pending.
func (e *Engine) Cancel(ev *Event) bool {
	if ev.index < 0 {
		return false
	}
	e.removeAt(int(ev.index))
	ev.index = notPending
	return true
}

// Stop makes the current run return after the running handler.
func (e *Engine) Stop() { e.stop = true }

// Step fires the earliest event and reports whether there was one.
func (e *Engine) Step() bool {
	if len(e.heap) == 0 {
		return false
	}
	top := &e.heap[0]
	ev := top.ev
	e.now = top.at
	ev.index = firing
	e.fired = ev
	ev.Handler.Handle(ev)
	if e.fired == ev { // not rescheduled: drop it from the top
		e.fired = nil
		ev.index = notPending
		e.removeAt(0)
	}
	e.events++
	return true
}

// RunUntil fires events up to and including time horizon, then sets the clock
// to the horizon (unless the run was stopped or horizon is Forever). It checks
// ctx every few thousand events and returns ctx.Err() when it is cancelled.
func (e *Engine) RunUntil(ctx context.Context, horizon int64) error {
	if err := e.fire(ctx, horizon); err != nil {
		return err
	}
	if !e.stop && horizon != Forever && e.now < horizon {
		e.now = horizon
	}
	e.report()
	return nil
}

// RunWithin fires events up to and including time limit (or until Stop, or
// ctx is cancelled) and leaves the clock at the last one fired: a bound on
// a run that ends when its work does, not a horizon it runs to.
func (e *Engine) RunWithin(ctx context.Context, limit int64) error {
	if err := e.fire(ctx, limit); err != nil {
		return err
	}
	e.report()
	return nil
}

// fire is the loop of RunUntil and RunWithin: events up to and including
// limit, until Stop or ctx is cancelled (then reported, and ctx.Err()).
func (e *Engine) fire(ctx context.Context, limit int64) error {
	e.stop = false
	done := ctx.Done()
	nextCheck := e.events + 4096
	nextProgress := e.events + e.progressEvery
	limit = min(limit, Forever-1)
	for len(e.heap) > 0 && e.heap[0].at <= limit && !e.stop {
		e.Step()
		if e.events >= nextCheck {
			nextCheck = e.events + 4096
			if done != nil {
				select {
				case <-done:
					e.report()
					return ctx.Err()
				default:
				}
			}
			if e.events >= nextProgress {
				nextProgress = e.events + e.progressEvery
				e.report()
			}
		}
	}
	return nil
}

// Run fires events until the queue drains (or Stop, or ctx is cancelled).
func (e *Engine) Run(ctx context.Context) error { return e.RunWithin(ctx, Forever) }

func (e *Engine) report() {
	if e.progress != nil {
		e.progress(e.now, e.events)
	}
}

func (e *Engine) removeAt(i int) {
	h := e.heap
	last := len(h) - 1
	if i != last {
		h[i] = h[last]
		h[i].ev.index = int32(i)
	}
	h[last] = entry{}
	e.heap = h[:last]
	if i < last {
		if i > 0 && e.heap[i].before(&e.heap[(i-1)/4]) {
			e.up(i)
		} else {
			e.down(i)
		}
	}
}

func (e *Engine) up(i int) {
	h := e.heap
	x := h[i]
	for i > 0 {
		p := (i - 1) / 4
		if !x.before(&h[p]) {
			break
		}
		h[i] = h[p]
		h[i].ev.index = int32(i)
		i = p
	}
	h[i] = x
	x.ev.index = int32(i)
}

func (e *Engine) down(i int) {
	h := e.heap
	n := len(h)
	x := h[i]
	for {
		c := 4*i + 1
		if c >= n {
			break
		}
		m := c
		end := c + 4
		if end > n {
			end = n
		}
		for j := c + 1; j < end; j++ {
			if h[j].before(&h[m]) {
				m = j
			}
		}
		if !h[m].before(&x) {
			break
		}
		h[i] = h[m]
		h[i].ev.index = int32(i)
		i = m
	}
	h[i] = x
	x.ev.index = int32(i)
}
