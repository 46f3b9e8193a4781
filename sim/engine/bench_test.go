package engine_test

import (
	"context"
	"math/rand/v2"
	"testing"

	"aiecon/sim/engine"
)

// holdHandler implements the classic hold model: each fired event is
// rescheduled at now + Exp(mean), keeping the number of pending events constant.
type holdHandler struct {
	e    *engine.Engine
	rng  *rand.Rand
	mean float64
}

func (h *holdHandler) Handle(ev *engine.Event) {
	h.e.After(ev, int64(h.rng.ExpFloat64()*h.mean)+1)
}

func benchmarkHold(b *testing.B, pending int) {
	e := engine.New(pending)
	rng := rand.New(rand.NewPCG(1, 2))
	h := &holdHandler{e: e, rng: rng, mean: 1e6}
	for i := 0; i < pending; i++ {
		e.Schedule(engine.NewEvent(h, int64(i)), int64(rng.ExpFloat64()*1e6))
	}
	for i := 0; i < 4*pending; i++ { // reach the steady-state time distribution
		e.Step()
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		e.Step()
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "holds/s")
}

// BenchmarkHold is the hold model at 1,000 and 100,000 pending events.
// Target: at least 8 million holds per second at 1,000 pending.
func BenchmarkHold(b *testing.B) {
	b.Run("pending=1000", func(b *testing.B) { benchmarkHold(b, 1000) })
	b.Run("pending=100000", func(b *testing.B) { benchmarkHold(b, 100_000) })
}

// BenchmarkMMc runs an M/M/8 queue at rho=0.9 through the engine's public API
// and reports events (arrivals plus departures) per second. Target: 10 million.
func BenchmarkMMc(b *testing.B) {
	q := newMGC(1, 7.2, 8, expService(1))
	q.limit = -1 // never stop on a count
	q.e.Schedule(q.arrival, 0)
	for i := 0; i < 100_000; i++ {
		q.e.Step()
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		q.e.Step()
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
	_ = context.Background
}
