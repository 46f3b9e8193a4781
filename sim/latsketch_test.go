package sim

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"aiecon/model/stats"
)

// A run's pooled quantile, alone, is its own KPI: exact up to exactLimit
// samples, the sketch's past it; and the encoding survives a round trip.
func TestPoolQuantileOfOneRunIsItsOwn(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 48, exactLimit, exactLimit + 1, 20000} {
		d := newDist()
		for range n {
			d.add(rng.ExpFloat64())
		}
		want := d.quantile(0.99)
		ld, err := d.sketchOf("chat", LatencyTTFT).Decode()
		if err != nil {
			t.Fatal(err)
		}
		got := PoolQuantile([]*LatencyDist{ld}, nil, 0.99)
		if !(got == want || math.IsNaN(got) && math.IsNaN(want)) {
			t.Errorf("n=%d: pooled %v, the run's own %v", n, got, want)
		}
	}
}

// Two small runs pool exactly: the interpolated quantile of their samples.
func TestPoolQuantileSmallIsExact(t *testing.T) {
	var a, b []float64
	da, db := newDist(), newDist()
	for i := range 300 {
		a = append(a, float64(i))
		da.add(float64(i))
		b = append(b, float64(1000+i))
		db.add(float64(1000 + i))
	}
	la, _ := da.sketchOf("", LatencyE2E).Decode()
	lb, _ := db.sketchOf("", LatencyE2E).Decode()
	all := slices.Concat(a, b, b)
	slices.Sort(all)
	if got, want := PoolQuantile([]*LatencyDist{la, lb}, []int{1, 2}, 0.9), stats.Quantile(all, 0.9); got != want {
		t.Errorf("pooled p90 %v, want %v", got, want)
	}
}

// Runs pooled past exactLimit samples answer as one run with all of them
// would: quantile_cont of the pooled samples, to the sketch's accuracy.
func TestPoolQuantileLargeInterpolates(t *testing.T) {
	a, b := sparseTail(600, 0.6, 11), sparseTail(505, 0.6, 12)
	da, db := newDist(), newDist()
	for _, v := range a {
		da.add(v)
	}
	for _, v := range b {
		db.add(v)
	}
	la, _ := da.sketchOf("", LatencyQueue).Decode()
	lb, _ := db.sketchOf("", LatencyQueue).Decode()
	for _, tt := range []struct {
		mult []int
		all  []float64
	}{
		{nil, slices.Concat(a, b)},
		{[]int{2, 1}, slices.Concat(a, a, b)},
	} {
		slices.Sort(tt.all)
		want := type7(tt.all, 0.99)
		if got := PoolQuantile([]*LatencyDist{la, lb}, tt.mult, 0.99); math.Abs(got-want) > (sketchAccuracy+1e-9)*want {
			t.Errorf("mult %v: pooled p99 %v of %d samples, quantile_cont %v (%+.2f%%)",
				tt.mult, got, len(tt.all), want, 100*(got/want-1))
		}
	}
}

func TestLatencyOfKPI(t *testing.T) {
	if l, q, ok := LatencyOfKPI("ttft_p99_s"); l != LatencyTTFT || q != 0.99 || !ok {
		t.Errorf("ttft_p99_s: %q %v %v", l, q, ok)
	}
	if _, _, ok := LatencyOfKPI("e2e_mean_s"); ok {
		t.Error("e2e_mean_s is no percentile")
	}
}
