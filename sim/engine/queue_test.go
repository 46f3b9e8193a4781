package engine_test

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"aiecon/sim/engine"
)

// mgc is a FIFO M/G/c queue built only on the engine's public API: one
// reusable arrival event, one reusable departure event per server, and a ring
// buffer of waiting customers' arrival times. Time unit: 1 ms = 1e6 ns, so
// rounding draws to whole nanoseconds is negligible (relative 5e-7).
type mgc struct {
	e        *engine.Engine
	rng      *rand.Rand
	meanIANs float64 // mean inter-arrival time
	service  func() int64
	arrival  *engine.Event
	free     []*engine.Event // idle servers' departure events
	waiting  []int64         // ring buffer of arrival times
	head, n  int

	warmup, served int // customers to discard; customers counted so far
	sumWaitNs      float64
	limit          int // stop after this many counted customers
}

const msNs = 1e6

func newMGC(seed uint64, lambdaPerMs float64, c int, service func(*rand.Rand) int64) *mgc {
	e := engine.New(c + 1)
	rng := rand.New(rand.NewPCG(seed, 0xA11CE))
	q := &mgc{e: e, rng: rng, meanIANs: msNs / lambdaPerMs, waiting: make([]int64, 1024)}
	q.service = func() int64 { return service(rng) }
	q.arrival = engine.NewEvent(arrivalHandler{q}, 0)
	for i := 0; i < c; i++ {
		q.free = append(q.free, engine.NewEvent(departureHandler{q}, int64(i)))
	}
	return q
}

type arrivalHandler struct{ q *mgc }

func (h arrivalHandler) Handle(ev *engine.Event) {
	q := h.q
	now := q.e.Now()
	if len(q.free) > 0 {
		q.start(now, now)
	} else {
		q.push(now)
	}
	q.e.After(ev, int64(q.rng.ExpFloat64()*q.meanIANs))
}

type departureHandler struct{ q *mgc }

func (h departureHandler) Handle(ev *engine.Event) {
	q := h.q
	q.free = append(q.free, ev)
	if q.n > 0 {
		q.start(q.pop(), q.e.Now())
	}
}

func (q *mgc) start(arrivedNs, now int64) {
	ev := q.free[len(q.free)-1]
	q.free = q.free[:len(q.free)-1]
	if q.warmup > 0 {
		q.warmup--
	} else {
		q.sumWaitNs += float64(now - arrivedNs)
		q.served++
		if q.served == q.limit {
			q.e.Stop()
		}
	}
	q.e.After(ev, q.service())
}

func (q *mgc) push(t int64) {
	if q.n == len(q.waiting) {
		grown := make([]int64, 2*len(q.waiting))
		for i := 0; i < q.n; i++ {
			grown[i] = q.waiting[(q.head+i)%len(q.waiting)]
		}
		q.waiting, q.head = grown, 0
	}
	q.waiting[(q.head+q.n)%len(q.waiting)] = t
	q.n++
}

func (q *mgc) pop() int64 {
	t := q.waiting[q.head]
	q.head = (q.head + 1) % len(q.waiting)
	q.n--
	return t
}

// meanWaitMs runs one replication and returns the mean wait in the queue (ms)
// of `customers` customers after discarding `warmup` (the queue starts empty,
// which biases early waits low).
func (q *mgc) meanWaitMs(warmup, customers int) float64 {
	q.warmup, q.limit = warmup, customers
	q.e.Schedule(q.arrival, 0)
	if err := q.e.Run(context.Background()); err != nil {
		panic(err)
	}
	return q.sumWaitNs / float64(q.served) / msNs
}

func expService(meanMs float64) func(*rand.Rand) int64 {
	return func(r *rand.Rand) int64 { return int64(r.ExpFloat64() * meanMs * msNs) }
}

func detService(ms float64) func(*rand.Rand) int64 {
	return func(*rand.Rand) int64 { return int64(ms * msNs) }
}

// erlangC is the probability of waiting in M/M/c with offered load a = lambda/mu.
func erlangC(c int, a float64) float64 {
	sum, term := 0.0, 1.0 // term = a^k / k!
	for k := 0; k < c; k++ {
		sum += term
		term *= a / float64(k+1)
	}
	tail := term * float64(c) / (float64(c) - a)
	return tail / (sum + tail)
}

// TestQueueingTheory checks mean waits against closed forms. Each case runs R
// independent replications; the grand mean must lie within tol of theory. The
// test also asserts that the replications' standard error is at most tol/4, so
// a pass is meaningful: a correct engine fails with probability below 1e-4
// (4 standard errors), while a bias larger than tol cannot pass. Replication
// counts and lengths were chosen so each case takes about a second.
func TestQueueingTheory(t *testing.T) {
	cases := []struct {
		name      string
		lambda    float64 // per ms
		c         int
		service   func(*rand.Rand) int64
		theoryMs  float64
		reps      int
		warmup, n int
		tol       float64 // relative
	}{
		{
			name: "M/M/1 rho=0.8", lambda: 0.8, c: 1, service: expService(1),
			theoryMs: 0.8 / (1 - 0.8), // rho/(mu-lambda)
			reps:     30, warmup: 20_000, n: 500_000, tol: 0.02,
		},
		{
			name: "M/M/8 rho=0.9", lambda: 7.2, c: 8, service: expService(1),
			theoryMs: erlangC(8, 7.2) / (8 - 7.2), // C(c,a)/(c mu - lambda)
			reps:     40, warmup: 50_000, n: 1_000_000, tol: 0.02,
		},
		{
			name: "M/D/1 rho=0.8", lambda: 0.8, c: 1, service: detService(1),
			theoryMs: 0.8 / (2 * (1 - 0.8)), // Pollaczek-Khinchine: rho/(2 mu (1-rho))
			reps:     20, warmup: 20_000, n: 300_000, tol: 0.02,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if testing.Short() && tc.c > 1 {
				t.Skip("long replication study; run without -short")
			}
			means := make([]float64, tc.reps)
			for r := range means {
				q := newMGC(uint64(1000+r), tc.lambda, tc.c, tc.service)
				means[r] = q.meanWaitMs(tc.warmup, tc.n)
			}
			mean, se := meanSE(means)
			rel := (mean - tc.theoryMs) / tc.theoryMs
			t.Logf("mean wait %.4f ms, theory %.4f ms, error %+.2f%%, standard error %.2f%%",
				mean, tc.theoryMs, 100*rel, 100*se/tc.theoryMs)
			if se/tc.theoryMs > tc.tol/4 {
				t.Errorf("standard error %.2f%% too large for a %.0f%% test: add replications", 100*se/tc.theoryMs, 100*tc.tol)
			}
			if math.Abs(rel) > tc.tol {
				t.Errorf("mean wait %.4f ms is %+.2f%% from theory %.4f ms (tolerance %.0f%%)", mean, 100*rel, tc.theoryMs, 100*tc.tol)
			}
		})
	}
}

func meanSE(xs []float64) (mean, se float64) {
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	var ss float64
	for _, x := range xs {
		ss += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(ss / float64(len(xs)-1) / float64(len(xs)))
}
