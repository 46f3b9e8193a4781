package sim

import (
	"math"
	"math/bits"
)

// lengthHist counts token lengths for a pool's PoolLengths. It sits on the
// hot path (two adds per call routed), so it is a fixed array of counters
// rather than a sketch: lengths under 128 tokens are counted exactly, longer
// ones in 64 buckets per power of two, each at most 1/64 (1.6%) of its
// lower edge wide. A percentile answers with its bucket's upper edge, so it
// errs long by at most that: the lengths feed a warning that a fleet runs
// past the lengths its step times were fitted to, where erring long is the
// safe side.
type lengthHist struct {
	n      int
	max    int32 // the longest counted: a percentile in its bucket is at most it
	sum    int64 // of the lengths counted, for their mean
	counts [lengthBuckets]int64
}

// lengthBuckets covers every int32 length: 128 exact counters, then 64
// per power of two from 2^7 to 2^31.
const lengthBuckets = 128 + 24*64

// lengthBucket is the bucket of v tokens (v >= 0).
func lengthBucket(v int32) int {
	if v < 128 {
		return int(v)
	}
	e := bits.Len32(uint32(v)) - 7 // v >> e keeps v's top 7 bits: 64..127
	return 128 + (e-1)*64 + int(v>>e) - 64
}

// bucketTop is the largest length bucket i counts.
func bucketTop(i int) int64 {
	if i < 128 {
		return int64(i)
	}
	e, m := (i-128)/64+1, int64((i-128)%64+64)
	return (m+1)<<e - 1
}

func (h *lengthHist) add(v int32) {
	v = max(v, 0)
	h.n++
	h.max = max(h.max, v)
	h.sum += int64(v)
	h.counts[lengthBucket(v)]++
}

// mean is the mean of the lengths counted; 0 when none were.
func (h *lengthHist) mean() float64 {
	if h.n == 0 {
		return 0
	}
	return float64(h.sum) / float64(h.n)
}

// quantile is the nearest-rank q-quantile of the lengths counted, as its
// bucket's upper edge or the longest length counted, whichever is less (so
// lengths that are all alike read exactly); 0 when none were.
func (h *lengthHist) quantile(q float64) float64 {
	if h.n == 0 {
		return 0
	}
	rank := min(max(int64(math.Ceil(q*float64(h.n))), 1), int64(h.n))
	var seen int64
	for i, c := range h.counts {
		if seen += c; seen >= rank {
			return float64(min(bucketTop(i), int64(h.max)))
		}
	}
	return float64(h.max)
}

// routed counts a call's lengths in the pool it was routed to (r.fp), as
// fitted to that pool's max_model_len: every call the pool was asked to
// serve, not only those it completed, since the longest prompts are the
// ones most likely to be abandoned or dropped.
func (pl *fleetPool) routed(r *request) {
	pl.prompts.add(r.prompt)
	pl.contexts.add(int32(min(int64(r.prompt)+int64(r.output), math.MaxInt32)))
}
