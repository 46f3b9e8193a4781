package sim

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/DataDog/sketches-go/ddsketch/mapping"
	"github.com/DataDog/sketches-go/ddsketch/store"

	"aiecon/model/stats"
)

// Pool is a set of runs' latency dists made ready to pool many times with
// different multiplicities, as a bootstrap does (a thousand resamples of
// the same runs per point). Pool.Quantile answers exactly what merging
// afresh answered (PoolQuantile before Pool), to the bit, without redoing
// per call the work that dominated a sweep summary: sorting the
// concatenated exact samples (it sorts them once and counts each as often
// as its run is drawn) and merging the sketches into a fresh one (it finds
// a rank's key by bisecting the runs' cumulative counts, weighted by the
// draws). Counts are whole numbers (each sample adds one), so every sum
// either way is exact and the same; a sketch whose counts are not (none
// this program stores) is merged as before.
type Pool struct {
	ds []*LatencyDist
	// exact are the exact samples of every dist that keeps them, sorted as
	// slices.Sort sorts them, each with the dist it came from.
	exact []pooledSample
	// neg and pos are each dist's stores as cumulative counts (nil where
	// empty), zero its zeros; whole says every count is a whole number.
	neg, pos []*cumBins
	zero     []float64
	whole    bool
	ones     []int // the multiplicities of nil: each once
	m        mapping.IndexMapping
}

type pooledSample struct {
	v   float64
	run int
}

// cumBins is one dist's store: from key min to max, the count of its
// samples at or below each key; cum[max-min] is its total.
type cumBins struct {
	min, max int
	cum      []float64
}

// at is the count at or below key.
func (b *cumBins) at(key int) float64 {
	switch {
	case key < b.min:
		return 0
	case key > b.max:
		return b.cum[len(b.cum)-1]
	}
	return b.cum[key-b.min]
}

// NewPool prepares ds for Pool.Quantile.
func NewPool(ds []*LatencyDist) *Pool {
	p := &Pool{ds: ds, m: newSketch().IndexMapping, whole: true, ones: slices.Repeat([]int{1}, len(ds))}
	var total float64 // every sample, each run drawn as often as there are runs
	for i, d := range ds {
		if d.exact != nil {
			for _, v := range d.exact {
				p.exact = append(p.exact, pooledSample{v: v, run: i})
			}
		}
		neg, nw := cumBinsOf(d.sk.GetNegativeValueStore())
		pos, pw := cumBinsOf(d.sk.GetPositiveValueStore())
		z := d.sk.GetZeroCount()
		p.neg, p.pos, p.zero = append(p.neg, neg), append(p.pos, pos), append(p.zero, z)
		p.whole = p.whole && nw && pw && isWhole(z)
		total += float64(len(ds)) * d.sk.GetCount()
	}
	p.whole = p.whole && total <= 1<<53 // every partial sum exact
	// cmp.Compare orders NaNs first, as slices.Sort does on floats; equal
	// values are the same value whichever run's they are.
	slices.SortFunc(p.exact, func(a, b pooledSample) int { return cmp.Compare(a.v, b.v) })
	return p
}

func isWhole(x float64) bool { return x >= 0 && x == math.Trunc(x) && !math.IsInf(x, 0) }

// cumBinsOf reads a store's bins, cumulated; nil for an empty one, which a
// merge skips. whole says its counts (and total) are whole numbers.
func cumBinsOf(s store.Store) (b *cumBins, whole bool) {
	if s.IsEmpty() {
		return nil, true
	}
	lo, _ := s.MinIndex()
	hi, _ := s.MaxIndex()
	b = &cumBins{min: lo, max: hi, cum: make([]float64, hi-lo+1)}
	whole = true
	s.ForEach(func(index int, count float64) bool {
		b.cum[index-lo] = count
		whole = whole && isWhole(count)
		return false
	})
	for i := 1; i < len(b.cum); i++ {
		b.cum[i] += b.cum[i-1]
	}
	return b, whole && b.cum[len(b.cum)-1] == s.TotalCount()
}

// Quantile is q of the samples of the pool's ds pooled, dist i counted
// mult[i] times (nil: once each), as PoolQuantile says.
func (p *Pool) Quantile(mult []int, q float64) float64 {
	if mult == nil {
		mult = p.ones
	}
	var n int64
	for i, d := range p.ds {
		n += int64(mult[i]) * d.n
	}
	if n == 0 {
		return stats.Quantile(nil, q)
	}
	if n <= exactLimit {
		// Every dist drawn keeps its samples (it has at most n <= exactLimit).
		return stats.QuantileAt(int(n), q, func(r int) float64 { return p.exactAt(mult, int(n), r) })
	}
	if !p.whole {
		return p.merged(mult, q)
	}
	neg, pos := drawnBins{p.neg, mult}, drawnBins{p.pos, mult}
	var zero float64
	for i, z := range p.zero {
		zero += float64(mult[i]) * z
	}
	return rankedSketch{m: p.m, neg: neg, pos: pos, nNeg: neg.total(), nPos: pos.total(), zero: zero}.quantile(q)
}

// exactAt is the sample at rank r (0 the least) of the n exact samples
// pooled, each counted as often as its dist is drawn: the r-th of them
// concatenated and sorted. It counts from the nearer end, so that a high
// percentile reads a few of the largest samples.
func (p *Pool) exactAt(mult []int, n, r int) float64 {
	var c int
	if r < n/2 {
		for _, s := range p.exact {
			if c += mult[s.run]; c > r {
				return s.v
			}
		}
	} else {
		for i := len(p.exact) - 1; i >= 0; i-- {
			s := p.exact[i]
			if c += mult[s.run]; c > n-1-r {
				return s.v
			}
		}
	}
	panic(fmt.Sprintf("sim: rank %d of %d pooled samples not found", r, n)) // unreachable: n counts them
}

// merged is q of the runs' sketches merged into a fresh one, each as often
// as drawn: what Quantile answers, the slow way, for counts that are not
// whole numbers.
func (p *Pool) merged(mult []int, q float64) float64 {
	merged := newSketch()
	for i, d := range p.ds {
		for range mult[i] {
			if err := merged.MergeWith(d.sk); err != nil {
				panic(err) // unreachable: Decode checked the mapping
			}
		}
	}
	return quantile(merged, q)
}

// drawnBins are the runs' stores merged, each counted as often as drawn,
// read as store.DenseStore reads a merged store, without merging them.
type drawnBins struct {
	runs []*cumBins
	mult []int
}

// below is the merged count at or below key: exact, as every count and
// sum is a whole number under 2^53.
func (d drawnBins) below(key int) float64 {
	var c float64
	for i, b := range d.runs {
		if b != nil {
			c += float64(d.mult[i]) * b.at(key)
		}
	}
	return c
}

func (d drawnBins) total() float64 { return d.below(math.MaxInt) }

// KeyAtRank is DenseStore.KeyAtRank of the merged store: the least key
// whose count at or below exceeds rank, found by bisection (the count
// only grows with the key); its greatest key when none does.
func (d drawnBins) KeyAtRank(rank float64) int {
	if rank < 0 {
		rank = 0
	}
	lo, hi := math.MaxInt, math.MinInt32 // as an empty DenseStore's maxIndex
	for i, b := range d.runs {
		if b != nil && d.mult[i] > 0 {
			lo, hi = min(lo, b.min), max(hi, b.max)
		}
	}
	if lo > hi || !(d.below(hi) > rank) {
		return hi
	}
	for lo < hi { // below(hi) > rank throughout
		mid := lo + (hi-lo)/2
		if d.below(mid) > rank {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}
