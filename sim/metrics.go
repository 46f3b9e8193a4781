package sim

import (
	"math"
	"math/bits"

	"github.com/DataDog/sketches-go/ddsketch"
	"github.com/DataDog/sketches-go/ddsketch/mapping"

	"aiecon/model"
)

// sketchAccuracy is the relative accuracy of latency percentiles past
// exactLimit samples (dist.go): a reported p99 is within 0.5% of the true
// p99 of the simulated requests (DDSketch's guarantee), with memory
// independent of the number of requests.
const sketchAccuracy = 0.005

func newSketch() *ddsketch.DDSketch {
	s, err := ddsketch.LogUnboundedDenseDDSketch(sketchAccuracy)
	if err != nil {
		panic(err) // only for an invalid accuracy constant
	}
	return s
}

// quantile returns q of a sketch, or NaN when it is empty. It interpolates
// between ranks as DuckDB's quantile_cont (type 7) does: with n samples,
// r = q(n-1) and lo = floor(r), it is v(lo) + (r-lo)(v(lo+1)-v(lo)), where
// v(k) is the sketch's value at rank k, within sketchAccuracy of the k-th
// smallest sample; so the result is within sketchAccuracy of quantile_cont
// over the samples. (GetValueAtQuantile answers v(lo) alone, which in a
// sparse tail is far under the interpolated figure.)
func quantile(s *ddsketch.DDSketch, q float64) float64 {
	neg, pos := s.GetNegativeValueStore(), s.GetPositiveValueStore()
	return rankedSketch{m: s.IndexMapping, neg: neg, pos: pos,
		nNeg: neg.TotalCount(), nPos: pos.TotalCount(), zero: s.GetZeroCount()}.quantile(q)
}

// rankedSketch is what a quantile reads of a sketch: its index mapping,
// its stores' keys at a rank and their counts, and its zeros. A Pool
// gives the same of the sketches it merges, without merging them, so
// that both take a quantile with the very same arithmetic.
type rankedSketch struct {
	m                mapping.IndexMapping
	neg, pos         keyAtRanker
	nNeg, nPos, zero float64
}

// keyAtRanker is the part of a sketch's store a quantile reads.
type keyAtRanker interface{ KeyAtRank(rank float64) int }

func (s rankedSketch) quantile(q float64) float64 {
	n := s.zero + s.nPos + s.nNeg // as DDSketch.GetCount adds them
	if n == 0 || !(q >= 0 && q <= 1) {
		return math.NaN()
	}
	r := float64(q * (n - 1)) // explicit conversion: no fused multiply-add
	lo := math.Floor(r)
	v := s.valueAtRank(lo)
	if f := r - lo; f > 0 && lo+1 < n {
		v += f * (s.valueAtRank(lo+1) - v)
	}
	return v
}

// valueAtRank is the sketch's value at the whole rank k (0 for the
// smallest sample), as GetValueAtQuantile finds the value at its rank: the
// negative samples, the zeros, then the positive ones, in increasing order.
func (s rankedSketch) valueAtRank(k float64) float64 {
	switch {
	case k < s.nNeg:
		return -s.m.Value(s.neg.KeyAtRank(s.nNeg - 1 - k))
	case k < s.nNeg+s.zero:
		return 0
	}
	return s.m.Value(s.pos.KeyAtRank(k - s.zero - s.nNeg))
}

// gauge integrates a piecewise-constant quantity over simulated time, for
// time-weighted averages (queue depth, running batch, KV use, busy replicas).
type gauge struct {
	v    float64
	last int64
	area float64 // integral of v over [0, last], in value x ns
}

func (g *gauge) set(now int64, v float64) {
	g.area += g.v * float64(now-g.last)
	g.last = now
	g.v = v
}

func (g *gauge) add(now int64, dv float64) { g.set(now, g.v+dv) }

// areaAt is the integral up to now.
func (g *gauge) areaAt(now int64) float64 { return g.area + g.v*float64(now-g.last) }

// latencySample is what one call took, in seconds: TPOT is NaN for a
// one-token output.
type latencySample struct{ ttft, tpot, e2e, queue float64 }

// latencyOf measures a call that arrived at from, was first admitted at
// start and finished at end.
func latencyOf(r *request, from, start, end int64) latencySample {
	l := latencySample{ttft: float64(r.firstTok-from) / 1e9, e2e: float64(end-from) / 1e9,
		queue: float64(start-from) / 1e9, tpot: math.NaN()}
	if r.output > 1 {
		l.tpot = float64(end-r.firstTok) / 1e9 / float64(r.output-1)
	}
	return l
}

// meets reports whether a call met an SLO: TTFT and TPOT both within target.
func (l latencySample) meets(slo model.SLO) bool {
	return (slo.TTFT == 0 || l.ttft <= slo.TTFT.Seconds()) && (slo.TPOT == 0 || math.IsNaN(l.tpot) || l.tpot <= slo.TPOT.Seconds())
}

// record adds a call's latencies to the sketches.
func (l *latencyStats) record(c latencySample) {
	l.ttft.add(c.ttft)
	l.e2e.add(c.e2e)
	l.queue.add(c.queue)
	l.sumE2ES += c.e2e
	if !math.IsNaN(c.tpot) {
		l.tpot.add(c.tpot)
	}
}

// latencyStats accumulates request latencies of one workload (or the fleet).
type latencyStats struct {
	ttft, tpot, e2e, queue dist
	sumE2ES                float64
}

func newLatencyStats() latencyStats {
	return latencyStats{ttft: newDist(), tpot: newDist(), e2e: newDist(), queue: newDist()}
}

func (l *latencyStats) clear() {
	l.ttft.clear()
	l.tpot.clear()
	l.e2e.clear()
	l.queue.clear()
	l.sumE2ES = 0
}

// workloadStats are the run totals of one workload.
type workloadStats struct {
	arrivals, completed, queueFull, timedOut, abandoned, unfinished, truncated int64
	sloMet                                                                     int64
	// unfinishedLate are the unfinished requests that had already waited
	// past their TTFT SLO at the horizon: known misses (kpi.go, sloEvents).
	unfinishedLate int64
	// noSLO are the requests counted in sloEvents whose workload sets no
	// SLO, noSLOMet those of them completed (each counted in sloMet, which
	// goodput counts): SLO attainment leaves both out.
	noSLO, noSLOMet                int64
	inputTok, cachedTok, outputTok int64 // completed requests
	tokenRevenueUSD                float64
	// ceilingUSD is the most the arrivals could earn (revenue_ceiling_usd):
	// each request's drawn tokens at its prices, each session's
	// sessionCeiling.
	ceilingUSD float64
	// unfinishedUSD is what the requests and sessions still running at the
	// end would earn (revenue_unfinished_usd): a request's tokens at its
	// prices, a session's ceiling less what it had earned.
	unfinishedUSD float64
	// droppedUSD is what the API and batch requests dropped (full queue, no
	// replica up) or timed out would have billed (requestGone).
	droppedUSD float64
	// abandonedStreamed, abandonedTok and abandonedUSD are the calls
	// abandoned after their first token, the output they had generated
	// and its value with their prompts at the workload's prices, billed
	// or not, and abandonedBilledUSD what of it was billed
	// (abandonedStreamed; the abandoned_streamed_* KPIs).
	abandonedStreamed, abandonedTok  int64
	abandonedUSD, abandonedBilledUSD float64
	lat                              latencyStats

	// agent sessions
	sessStarted, sessCompleted, sessAbandoned, sessUnfinished int64
	sessConverted                                             int64 // completed sessions whose conversion draw came up (commerce counts the expected)
	sessFailed                                                int64 // of sessAbandoned, those the fleet failed (a call dropped or timed out)
	feeUSD, commerceUSD, adUSD, licensingUSD                  float64
	money                                                     [numWorlds]moneyByLine // ended sessions, by world (counterfactual.go)
	adImpressions, adClicks, auctions                         int64
	// Expected counts and the sums of squares of the sessions' commerce
	// and ad revenue, which say how many independent events the lines
	// are worth (kpi.go, effectiveEvents).
	convExpected, adExpClicks, commerceSq, adSq float64
	ec                                          econStats // see kpiecon.go
}

// window accumulates one time-series window.
type window struct {
	start                          int64
	arrivals, completions, dropped int64
	abandoned                      int64
	inputTok, outputTok            int64
	revenueUSD                     float64
	lat                            latencyStats
	queueArea, runArea, kvArea     float64 // gauge areas at window start
	busyArea, upArea, paidArea     float64
	activeArea                     float64
	trainArea, costArea            float64
}

// blockGauge integrates a count of KV blocks over time exactly, in 128-bit
// block-nanoseconds, so the order of additions (a decode leap records its
// allocations after the fact) cannot change the result.
type blockGauge struct {
	v      int64
	last   int64
	hi, lo uint64
}

func (g *blockGauge) addArea(v, dt int64) {
	if v <= 0 || dt <= 0 {
		return
	}
	h, l := bits.Mul64(uint64(v), uint64(dt))
	var c uint64
	g.lo, c = bits.Add64(g.lo, l, 0)
	g.hi += h + c
}

// add changes the count by dv at now.
func (g *blockGauge) add(now, dv int64) {
	g.addArea(g.v, now-g.last)
	g.last = now
	g.v += dv
}

// addSince records dv blocks held since an earlier time (not before the
// last window boundary).
func (g *blockGauge) addSince(now, dv, since int64) {
	g.add(now, 0)
	g.addArea(dv, now-since)
	g.v += dv
}

// areaAt is the integral up to now in block-nanoseconds, integrated exactly
// before the one rounding to float64 (so it does not depend on when the
// gauge was last changed).
func (g blockGauge) areaAt(now int64) float64 {
	g.addArea(g.v, now-g.last)
	return float64(g.hi)*0x1p64 + float64(g.lo)
}
