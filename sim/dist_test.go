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
	want := all[int(0.99*float64(len(all)-1))]
	if got := big.quantile(0.99); math.Abs(got-want) > 0.0051*want {
		t.Errorf("5,000 samples: p99 %v, want %v within 0.5%%", got, want)
	}
	big.clear()
	big.add(7)
	if got := big.quantile(0.5); got != 7 {
		t.Errorf("after clear: median %v, want 7", got)
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
