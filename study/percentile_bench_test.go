package study

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"aiecon/sim"
)

// BenchmarkPooledPercentileCI is one point's pooled p99 with its bootstrap
// interval (bootstrapResamples resamples) over eight replications, as a
// sweep summary takes it for every point and percentile KPI: runs of 60
// requests (every resample pooled exactly) and of 600 (past
// sim.ExactLimit, pooled by the sketches).
//
//	go test ./study -run '^$' -bench PooledPercentileCI
func BenchmarkPooledPercentileCI(b *testing.B) {
	for _, size := range []int{60, 600} {
		rng := rand.New(rand.NewPCG(3, uint64(size)))
		var ds []*sim.LatencyDist
		for range 8 {
			xs := make([]float64, size)
			for i := range xs {
				xs[i] = 0.3 * rng.ExpFloat64()
			}
			d, err := sim.SketchOf("chat", sim.LatencyTTFT, xs).Decode()
			if err != nil {
				b.Fatal(err)
			}
			ds = append(ds, d)
		}
		b.Run(fmt.Sprintf("runs=8x%d", size), func(b *testing.B) {
			for b.Loop() {
				PooledPercentileCI(ds, nil, 0.99, ConfidenceLevel, true)
			}
		})
	}
}
