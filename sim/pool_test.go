package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"aiecon/model/stats"
)

// mergedQuantile is how PoolQuantile answered before Pool: the pooled
// exact samples concatenated and sorted afresh, or the sketches merged
// into a fresh one, each as often as drawn. Pool must answer as it did,
// to the bit: a sweep summary's printed figures and the golden digests
// rest on it.
func mergedQuantile(ds []*LatencyDist, mult []int, q float64) float64 {
	times := func(i int) int64 {
		if mult == nil {
			return 1
		}
		return int64(mult[i])
	}
	var n int64
	for i, d := range ds {
		n += times(i) * d.n
	}
	if n == 0 {
		return stats.Quantile(nil, q)
	}
	if n <= exactLimit {
		xs := make([]float64, 0, n)
		for i, d := range ds {
			for range times(i) {
				xs = append(xs, d.exact...)
			}
		}
		slices.Sort(xs)
		return stats.Quantile(xs, q)
	}
	merged := newSketch()
	for i, d := range ds {
		for range times(i) {
			if err := merged.MergeWith(d.sk); err != nil {
				panic(err)
			}
		}
	}
	return quantile(merged, q)
}

// poolRuns makes runs of the given sizes whose samples are drawn by draw.
func poolRuns(t testing.TB, rng *rand.Rand, sizes []int, draw func(*rand.Rand) float64) []*LatencyDist {
	t.Helper()
	var ds []*LatencyDist
	for _, n := range sizes {
		d := newDist()
		for range n {
			d.add(draw(rng))
		}
		ld, err := d.sketchOf("chat", LatencyTTFT).Decode()
		if err != nil {
			t.Fatal(err)
		}
		ds = append(ds, ld)
	}
	return ds
}

// A Pool answers every resample exactly as merging afresh did (same bits),
// on the exact path and the sketch's, with ties, zeros (a queue wait of
// none), runs without samples and runs drawn many times.
func TestPoolQuantileMatchesMerging(t *testing.T) {
	draws := map[string]func(*rand.Rand) float64{
		"exp":   func(r *rand.Rand) float64 { return 0.3 * r.ExpFloat64() },
		"ties":  func(r *rand.Rand) float64 { return float64(r.IntN(5)) / 4 }, // zeros among them
		"tail":  func(r *rand.Rand) float64 { return math.Exp(4 * r.NormFloat64()) },
		"zeros": func(*rand.Rand) float64 { return 0 },
	}
	for _, tt := range []struct {
		name  string
		sizes []int
	}{
		{"one small run", []int{37}},
		{"small runs, pooled under the exact limit", []int{10, 0, 25, 60, 3, 1, 40, 12}},
		{"small runs, some resamples past it", []int{90, 120, 300, 150, 40, 200, 110, 75}},
		{"runs at the limit", []int{exactLimit, exactLimit - 1, 1}},
		{"runs past the limit", []int{exactLimit + 1, 2500, 4000}},
		{"mixed", []int{0, 5, exactLimit + 7, 800, 0, 3000}},
	} {
		for dname, draw := range draws {
			t.Run(tt.name+"/"+dname, func(t *testing.T) {
				rng := rand.New(rand.NewPCG(uint64(len(tt.sizes)), uint64(len(dname))))
				ds := poolRuns(t, rng, tt.sizes, draw)
				p := NewPool(ds)
				mults := [][]int{nil, make([]int, len(ds))} // once each; none drawn
				for range 60 {
					m := make([]int, len(ds))
					for range ds {
						m[rng.IntN(len(ds))]++
					}
					mults = append(mults, m)
				}
				for _, m := range mults {
					for _, q := range []float64{0, 0.01, 0.5, 0.9, 0.95, 0.99, 0.999, 1} {
						got, want := p.Quantile(m, q), mergedQuantile(ds, m, q)
						if math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
							t.Fatalf("mult %v q %v: pool %v, merged %v", m, q, got, want)
						}
					}
				}
			})
		}
	}
}

// BenchmarkPoolBootstrap is one point's bootstrap of a pooled percentile
// (a thousand resamples of eight runs, as study.PooledPercentileCI takes),
// on the exact path (runs of 60 requests) and the sketch's (runs of 600):
// "merging" as PoolQuantile did before Pool, "pool" as it does now.
//
//	go test ./sim -run '^$' -bench PoolBootstrap
func BenchmarkPoolBootstrap(b *testing.B) {
	for _, size := range []int{60, 600} {
		rng := rand.New(rand.NewPCG(1, uint64(size)))
		sizes := slices.Repeat([]int{size}, 8)
		ds := poolRuns(b, rng, sizes, func(r *rand.Rand) float64 { return 0.3 * r.ExpFloat64() })
		mults := make([][]int, 1000)
		for k := range mults {
			mults[k] = make([]int, len(ds))
			for range ds {
				mults[k][rng.IntN(len(ds))]++
			}
		}
		b.Run(fmt.Sprintf("runs=8x%d/merging", size), func(b *testing.B) {
			for b.Loop() {
				for _, m := range mults {
					mergedQuantile(ds, m, 0.99)
				}
			}
		})
		b.Run(fmt.Sprintf("runs=8x%d/pool", size), func(b *testing.B) {
			for b.Loop() {
				p := NewPool(ds)
				for _, m := range mults {
					p.Quantile(m, 0.99)
				}
			}
		})
	}
}

// A sketch whose counts are not whole numbers (none this program stores)
// would make the pool's sums inexact; the pool merges it as before.
func TestPoolQuantileFractionalCountsMerge(t *testing.T) {
	var ds []*LatencyDist
	for r := range 3 {
		sk := newSketch()
		for i := range exactLimit + 10 {
			if err := sk.AddWithCount(0.01*float64(i+r), 1.0/3); err != nil {
				t.Fatal(err)
			}
		}
		ds = append(ds, &LatencyDist{n: 3 * (exactLimit + 10), sk: sk})
	}
	p := NewPool(ds)
	if p.whole {
		t.Fatal("counts of a third taken as whole numbers")
	}
	for _, m := range [][]int{nil, {3, 0, 0}, {0, 1, 2}} {
		for _, q := range []float64{0.5, 0.99} {
			if got, want := p.Quantile(m, q), mergedQuantile(ds, m, q); math.Float64bits(got) != math.Float64bits(want) {
				t.Errorf("mult %v q %v: pool %v, merged %v", m, q, got, want)
			}
		}
	}
}
