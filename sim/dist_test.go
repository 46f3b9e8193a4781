package sim

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"aiecon/model"
)

// Up to exactLimit samples a quantile interpolates between order
// statistics (numpy's default, DuckDB's quantile_cont); past it the sketch
// answers to its 0.5%.
func TestDistQuantile(t *testing.T) {
	d := newDist()
	for _, v := range rand.New(rand.NewPCG(1, 2)).Perm(48) {
		d.add(float64(v + 1)) // 1..48, shuffled
	}
	for _, tt := range []struct{ q, want float64 }{
		{0, 1}, {0.5, 24.5}, {0.9, 43.3}, {0.99, 47.53}, {1, 48},
	} {
		if got := d.quantile(tt.q); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("q %v of 1..48: %v, want %v", tt.q, got, tt.want)
		}
	}
	if got := (&dist{sk: newSketch()}).quantile(0.5); !math.IsNaN(got) {
		t.Errorf("empty: %v, want NaN", got)
	}
	one := newDist()
	one.add(3)
	if got := one.quantile(0.99); got != 3 {
		t.Errorf("one sample 3: p99 %v", got)
	}
	big := newDist()
	var all []float64
	r := rand.New(rand.NewPCG(3, 4))
	for range 5 * exactLimit {
		v := r.ExpFloat64()
		big.add(v)
		all = append(all, v)
	}
	slices.Sort(all)
	want := type7(all, 0.99)
	if got := big.quantile(0.99); math.Abs(got-want) > 0.0051*want {
		t.Errorf("5,000 samples: p99 %v, want %v within 0.5%%", got, want)
	}
	big.clear()
	big.add(7)
	if got := big.quantile(0.5); got != 7 {
		t.Errorf("after clear: median %v, want 7", got)
	}
}

// type7 is quantile_cont (numpy's default) of sorted samples, written out
// here rather than taken from the code under test.
func type7(sorted []float64, q float64) float64 {
	r := q * float64(len(sorted)-1)
	lo := int(math.Floor(r))
	if lo+1 >= len(sorted) {
		return sorted[len(sorted)-1]
	}
	return sorted[lo] + (r-float64(lo))*(sorted[lo+1]-sorted[lo])
}

// sparseTail is n samples whose top 15 lie 25% apart, over a bulk of
// values in [0.01, 0.02) of which a share are zeros (a queue wait's
// admitted-at-once requests), shuffled.
func sparseTail(n int, zeros float64, seed uint64) []float64 {
	rng := rand.New(rand.NewPCG(seed, 7))
	xs := make([]float64, 0, n)
	for i := range n - 15 {
		if float64(i) < zeros*float64(n-15) {
			xs = append(xs, 0)
		} else {
			xs = append(xs, 0.01+0.01*rng.Float64())
		}
	}
	for i := range 15 {
		xs = append(xs, math.Pow(1.25, float64(i)))
	}
	rng.Shuffle(len(xs), func(i, j int) { xs[i], xs[j] = xs[j], xs[i] })
	return xs
}

// Past exactLimit samples a percentile is still quantile_cont's,
// interpolated between ranks, to the sketch's accuracy: not the lower
// rank's value, which in a sparse tail is far under it (a p99 over 1,105
// queue waits was 17.7% under quantile_cont). Up to exactLimit it is
// quantile_cont exactly.
func TestDistQuantileInterpolatesPastExactLimit(t *testing.T) {
	for _, tt := range []struct {
		name   string
		xs     []float64
		q      float64
		sparse bool // the lower rank is more than 5% under quantile_cont
	}{
		{"queue-like p99, n=1105", sparseTail(1105, 0.6, 1), 0.99, true},
		{"e2e-like p99, n=1319", sparseTail(1319, 0, 2), 0.99, true},
		{"p99, n=1002", sparseTail(1002, 0, 3), 0.99, true},
		{"p90 of the bulk, n=1105", sparseTail(1105, 0, 4), 0.9, false},
		{"p50 among zeros, n=1105", sparseTail(1105, 0.6, 5), 0.5, false},
		{"whole rank, n=1001", sparseTail(1001, 0, 6), 0.99, false},
		{"max, n=1319", sparseTail(1319, 0, 7), 1, false},
		{"min, n=1319", sparseTail(1319, 0.6, 8), 0, false},
		{"exact p99, n=950", sparseTail(950, 0, 9), 0.99, true},
		{"exact p90, n=1000", sparseTail(1000, 0.6, 10), 0.9, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := newDist()
			for _, v := range tt.xs {
				d.add(v)
			}
			sorted := slices.Sorted(slices.Values(tt.xs))
			want := type7(sorted, tt.q)
			lower := sorted[int(math.Floor(tt.q*float64(len(sorted)-1)))]
			if tt.sparse && !(lower < 0.95*want) {
				t.Fatalf("lower rank %v, quantile_cont %v: the case does not tell them apart", lower, want)
			}
			got := d.quantile(tt.q)
			tol := (sketchAccuracy + 1e-9) * want
			if len(tt.xs) <= exactLimit {
				tol = 1e-12 * want
			}
			if math.Abs(got-want) > tol {
				t.Errorf("q %v of %d samples: %v, quantile_cont %v (%+.2f%%; lower rank %v)",
					tt.q, len(tt.xs), got, want, 100*(got/want-1), lower)
			}
		})
	}
}

// A short run's percentiles are the stored requests' own, interpolated: at
// 48 requests a p99 was the second largest TTFT.
func TestFewRequestsPercentiles(t *testing.T) {
	sc := scenario(t, oneChat("llama-3.1-8b", "weights: bf16", "instance: p5.48xlarge, replica: {tp: 1, per_instance: 1, scheduler: vllm}"))
	sc.Horizon = 30 * model.Second
	res, sink := run(t, sc)
	var ttft []float64
	for _, r := range sink.Reqs {
		if r.Status == StatusCompleted {
			ttft = append(ttft, float64(r.FirstTokenNs-r.ArrivalNs)/1e9)
		}
	}
	if len(ttft) < 10 || len(ttft) > 1000 {
		t.Fatalf("%d completed requests: want a few dozen", len(ttft))
	}
	slices.Sort(ttft)
	pos := 0.99 * float64(len(ttft)-1)
	lo := int(pos)
	want := ttft[lo] + (pos-float64(lo))*(ttft[lo+1]-ttft[lo])
	if got := kpi(t, res, "ttft_p99_s", ""); math.Abs(got-want) > 1e-9 {
		t.Errorf("TTFT p99 %v over %d requests, want %v (interpolated)", got, len(ttft), want)
	}
}
