package engine_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"testing"

	"aiecon/sim/engine"
)

// recorder logs the Arg of each event it handles, with the time.
type recorder struct {
	e   *engine.Engine
	log []fired
}

type fired struct {
	at  int64
	arg int64
}

func (r *recorder) Handle(ev *engine.Event) { r.log = append(r.log, fired{r.e.Now(), ev.Arg}) }

func TestEqualTimesFireInInsertionOrder(t *testing.T) {
	e := engine.New(0)
	r := &recorder{e: e}
	evs := make([]*engine.Event, 10)
	for i := range evs {
		evs[i] = engine.NewEvent(r, int64(i))
		e.Schedule(evs[i], 5)
	}
	// Rescheduling to the same time moves an event to the back of its time.
	e.Schedule(evs[3], 5)
	if err := e.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := []int64{0, 1, 2, 4, 5, 6, 7, 8, 9, 3}
	for i, f := range r.log {
		if f.arg != want[i] || f.at != 5 {
			t.Fatalf("fire %d = %+v, want arg %d at 5", i, f, want[i])
		}
	}
}

// TestAgainstReference drives the engine with random schedules, reschedules and
// cancels and checks the firing order against a sorted-slice reference model.
func TestAgainstReference(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		rng := rand.New(rand.NewPCG(seed, 7))
		e := engine.New(4)
		r := &recorder{e: e}
		const n = 300
		evs := make([]*engine.Event, n)
		type ref struct {
			at  int64
			seq int
		}
		pending := map[int64]ref{}
		seq := 0
		for i := range evs {
			evs[i] = engine.NewEvent(r, int64(i))
		}
		for op := 0; op < 2000; op++ {
			i := rng.IntN(n)
			switch rng.IntN(3) {
			case 0, 1:
				at := rng.Int64N(50)
				e.Schedule(evs[i], at)
				seq++
				pending[int64(i)] = ref{at, seq}
			case 2:
				got := e.Cancel(evs[i])
				_, want := pending[int64(i)]
				if got != want {
					t.Fatalf("seed %d: Cancel(%d) = %v, want %v", seed, i, got, want)
				}
				delete(pending, int64(i))
			}
			if e.Len() != len(pending) {
				t.Fatalf("seed %d: Len = %d, want %d", seed, e.Len(), len(pending))
			}
		}
		var want []fired
		keys := make([]int64, 0, len(pending))
		for k := range pending {
			keys = append(keys, k)
		}
		slices.SortFunc(keys, func(a, b int64) int {
			pa, pb := pending[a], pending[b]
			if pa.at != pb.at {
				return int(pa.at - pb.at)
			}
			return pa.seq - pb.seq
		})
		for _, k := range keys {
			want = append(want, fired{pending[k].at, k})
		}
		if err := e.Run(context.Background()); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(r.log, want) {
			t.Fatalf("seed %d: fired %v\nwant %v", seed, r.log, want)
		}
		for i, ev := range evs {
			if ev.Pending() {
				t.Fatalf("seed %d: event %d still pending after drain", seed, i)
			}
		}
	}
}

// selfRescheduler fires every period until limit, rescheduling itself from its
// own handler (the replace-top path), and cancels a victim halfway.
type selfRescheduler struct {
	e      *engine.Engine
	period int64
	limit  int64
	count  int
	victim *engine.Event
}

func (s *selfRescheduler) Handle(ev *engine.Event) {
	s.count++
	if ev.Pending() {
		panic("event reports pending inside its own handler")
	}
	if s.e.Now() == s.limit/2 && s.victim != nil {
		s.e.Cancel(s.victim)
	}
	if s.e.Now()+s.period <= s.limit {
		s.e.After(ev, s.period)
	}
}

func TestRescheduleFromOwnHandler(t *testing.T) {
	e := engine.New(0)
	r := &recorder{e: e}
	victim := engine.NewEvent(r, 99)
	s := &selfRescheduler{e: e, period: 10, limit: 1000, victim: victim}
	e.Schedule(engine.NewEvent(s, 0), 0)
	e.Schedule(victim, 900)
	late := engine.NewEvent(r, 1)
	e.Schedule(late, 2000)
	if err := e.RunUntil(context.Background(), 1500); err != nil {
		t.Fatal(err)
	}
	if s.count != 101 {
		t.Fatalf("fired %d times, want 101", s.count)
	}
	if len(r.log) != 0 {
		t.Fatalf("victim or late event fired: %v", r.log)
	}
	if e.Now() != 1500 {
		t.Fatalf("Now = %d, want the horizon 1500", e.Now())
	}
	if !late.Pending() || e.Len() != 1 {
		t.Fatalf("event beyond the horizon should stay pending (Len %d)", e.Len())
	}
	if err := e.Run(context.Background()); err != nil || len(r.log) != 1 || r.log[0].at != 2000 {
		t.Fatalf("resume: err %v log %v", err, r.log)
	}
}

type forever struct{ e *engine.Engine }

func (f forever) Handle(ev *engine.Event) { f.e.After(ev, 1) }

func TestContextCancelStopsRun(t *testing.T) {
	e := engine.New(0)
	e.Schedule(engine.NewEvent(forever{e}, 0), 0)
	ctx, cancel := context.WithCancel(context.Background())
	var reports int
	var cancelledAt uint64
	e.OnProgress(10_000, func(now int64, events uint64) {
		reports++
		if events >= 50_000 && cancelledAt == 0 {
			cancelledAt = events
			cancel()
		}
	})
	err := e.Run(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	// The context is polled every 4,096 events.
	if e.Events() < cancelledAt || e.Events() > cancelledAt+4096 {
		t.Fatalf("stopped after %d events, cancelled at %d", e.Events(), cancelledAt)
	}
	if reports < 5 {
		t.Fatalf("progress called %d times", reports)
	}
}

type stopper struct {
	e *engine.Engine
	n int
}

func (s *stopper) Handle(ev *engine.Event) {
	s.n++
	if s.n == 3 {
		s.e.Stop()
	}
	s.e.After(ev, 1)
}

func TestStopFromHandler(t *testing.T) {
	e := engine.New(0)
	s := &stopper{e: e}
	e.Schedule(engine.NewEvent(s, 0), 0)
	if err := e.RunUntil(context.Background(), 100); err != nil {
		t.Fatal(err)
	}
	if s.n != 3 || e.Now() != 2 {
		t.Fatalf("n = %d, now = %d; want 3 events and the clock left at 2", s.n, e.Now())
	}
}

func TestScheduleInPastPanics(t *testing.T) {
	e := engine.New(0)
	r := &recorder{e: e}
	e.Schedule(engine.NewEvent(r, 0), 10)
	e.Run(context.Background())
	defer func() {
		if recover() == nil {
			t.Fatal("scheduling before now did not panic")
		}
	}()
	e.Schedule(engine.NewEvent(r, 1), 5)
}

// stepper reschedules itself step nanoseconds later, forever.
type stepper struct {
	e    *engine.Engine
	step int64
	n    int
}

func (s *stepper) Handle(ev *engine.Event) {
	s.n++
	s.e.After(ev, s.step)
}

// TestDelaysPastTheClockSaturate: a recurring event whose next time would
// pass the int64 clock wrapped into the past, and Schedule panicked with a
// negative time. After saturates at Forever, where the event never fires,
// and the run ends.
func TestDelaysPastTheClockSaturate(t *testing.T) {
	e := engine.New(0)
	s := &stepper{e: e, step: 1 << 62}
	e.Schedule(engine.NewEvent(s, 0), 0)
	if err := e.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if s.n != 2 || e.Now() != 1<<62 || e.Len() != 1 {
		t.Fatalf("%d firings, clock at %d, %d pending; want 2 (at 0 and 2^62), the clock at 2^62 and the third pending at Forever", s.n, e.Now(), e.Len())
	}
	for _, c := range []struct{ t, d, want int64 }{
		{0, 5, 5},
		{engine.Forever - 5, 5, engine.Forever},
		{engine.Forever - 5, 6, engine.Forever},
		{1 << 62, 1 << 62, engine.Forever},
	} {
		if got := engine.Later(c.t, c.d); got != c.want {
			t.Errorf("Later(%d, %d) = %d, want %d", c.t, c.d, got, c.want)
		}
	}
}

// TestRunWithinLeavesTheClock: RunWithin stops at its limit with the clock
// at the last event fired, where RunUntil moves it to the horizon.
func TestRunWithinLeavesTheClock(t *testing.T) {
	for _, c := range []struct {
		name string
		run  func(*engine.Engine) error
		now  int64
	}{
		{"RunWithin", func(e *engine.Engine) error { return e.RunWithin(context.Background(), 25) }, 20},
		{"RunUntil", func(e *engine.Engine) error { return e.RunUntil(context.Background(), 25) }, 25},
	} {
		e := engine.New(0)
		s := &stepper{e: e, step: 10}
		e.Schedule(engine.NewEvent(s, 0), 0)
		if err := c.run(e); err != nil {
			t.Fatal(err)
		}
		if s.n != 3 || e.Now() != c.now {
			t.Errorf("%s: %d firings, clock at %d; want 3 (0, 10, 20) and %d", c.name, s.n, e.Now(), c.now)
		}
	}
}

func TestZeroAllocationsPerEvent(t *testing.T) {
	e := engine.New(1024)
	rng := rand.New(rand.NewPCG(1, 2))
	h := &holdHandler{e: e, rng: rng, mean: 1000}
	for i := 0; i < 1000; i++ {
		e.Schedule(engine.NewEvent(h, 0), rng.Int64N(1000))
	}
	allocs := testing.AllocsPerRun(10, func() {
		for i := 0; i < 1000; i++ {
			e.Step()
		}
	})
	if allocs != 0 {
		t.Fatalf("%v allocations per 1000 events, want 0", allocs)
	}
}

func TestStreamsAreIndependentAndReproducible(t *testing.T) {
	s := engine.NewStreams(42)
	a1, a2, b := s.Get("arrivals"), s.Get("arrivals"), s.Get("lengths")
	same, diff := 0, 0
	for i := 0; i < 1000; i++ {
		x, y, z := a1.Uint64(), a2.Uint64(), b.Uint64()
		if x == y {
			same++
		}
		if x == z {
			diff++
		}
	}
	if same != 1000 || diff != 0 {
		t.Fatalf("same-name draws equal %d/1000, cross-name equal %d/1000", same, diff)
	}
	if engine.NewStreams(43).Get("arrivals").Uint64() == engine.NewStreams(42).Get("arrivals").Uint64() {
		t.Fatal("different seeds gave the same first draw")
	}
}
