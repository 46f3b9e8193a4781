package sim

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestLengthBuckets: buckets are contiguous, each length falls in the
// bucket whose edges hold it, and no bucket is wider than 1/64 of its
// lower edge, up to the largest int32.
func TestLengthBuckets(t *testing.T) {
	for i := 1; i < lengthBuckets; i++ {
		lo, hi := bucketTop(i-1)+1, bucketTop(i)
		if got := lengthBucket(int32(lo)); got != i {
			t.Fatalf("length %d is in bucket %d, want %d", lo, got, i)
		}
		if got := lengthBucket(int32(hi)); got != i {
			t.Fatalf("length %d is in bucket %d, want %d", hi, got, i)
		}
		if float64(hi-lo+1) > math.Max(1, float64(lo)/64) {
			t.Fatalf("bucket %d spans %d..%d, wider than 1/64", i, lo, hi)
		}
	}
	if top := bucketTop(lengthBuckets - 1); top != math.MaxInt32 {
		t.Errorf("the last bucket ends at %d, want %d", top, math.MaxInt32)
	}
}

// TestLengthQuantile: the 99th percentile is the nearest-rank one to the
// bucket's width, never short of it, exact below 128 tokens.
func TestLengthQuantile(t *testing.T) {
	var h lengthHist
	if h.quantile(0.99) != 0 {
		t.Errorf("an empty histogram's quantile is %v, want 0", h.quantile(0.99))
	}
	for v := int32(1); v <= 100; v++ {
		h.add(v)
	}
	if got := h.quantile(0.99); got != 99 {
		t.Errorf("p99 of 1..100 = %v, want 99 (nearest rank)", got)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var g lengthHist
	xs := make([]float64, 5000)
	for i := range xs {
		v := int32(math.Exp(6 + 2*rng.NormFloat64()))
		g.add(v)
		xs[i] = float64(v)
	}
	slices.Sort(xs)
	want := xs[int(math.Ceil(0.99*float64(len(xs))))-1]
	if got := g.quantile(0.99); got < want || got > want*(1+1.0/64) {
		t.Errorf("p99 %v, want %v to 1/64 above", got, want)
	}
}

// TestLengthMean: the mean is exact, whatever the buckets' widths (the
// STEP TIMES THINLY FITTED warning prices a decode step at it), and 0
// for no lengths; a negative length counts as 0, as add stores it.
func TestLengthMean(t *testing.T) {
	tests := []struct {
		lengths []int32
		want    float64
	}{
		{nil, 0},
		{[]int32{100}, 100},
		{[]int32{1000, 3001, 5000}, 3000.333333333333},
		{[]int32{-5, 10}, 5},
		{[]int32{math.MaxInt32, math.MaxInt32}, math.MaxInt32},
	}
	for _, tt := range tests {
		var h lengthHist
		for _, v := range tt.lengths {
			h.add(v)
		}
		if got := h.mean(); math.Abs(got-tt.want) > 1e-9*max(1, tt.want) {
			t.Errorf("mean of %v = %v, want %v", tt.lengths, got, tt.want)
		}
	}
}
