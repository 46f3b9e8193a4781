package kernels

import (
	"context"
	"sync"
	"testing"
	"time"
)

var (
	peakOnce sync.Once
	peakRate map[HostDType]float64
)

// hostPeak probes the peak once per benchmark binary (about a second).
func hostPeak(b *testing.B, dt HostDType) float64 {
	peakOnce.Do(func() {
		peakRate = map[HostDType]float64{}
		ar := NewArena(1)
		for _, d := range HostDTypes {
			p, err := ProbePeak(context.Background(), ar, d, []int{512, 1024}, TimingOptions{Warmup: 1, MinReps: 3, MaxReps: 5, Budget: 500 * time.Millisecond})
			if err != nil {
				b.Fatal(err)
			}
			peakRate[d] = p.FLOPSPerS
		}
	})
	return peakRate[dt]
}

// BenchmarkBatchedGEMM reports GFLOP/s and the fraction of the probed host
// peak for a decode GEMV, a small-batch projection, a prefill GEMM and an
// attention batch, with cold caches as the calibration times them.
//
//	go test -run '^$' -bench BatchedGEMM -benchtime 20x ./kernels/
func BenchmarkBatchedGEMM(b *testing.B) {
	shapes := []struct {
		name string
		s    Shape
	}{
		{"decode_gemv_1x4096x4096", Shape{1, 1, 4096, 4096}},
		{"proj_16x3584x2048", Shape{1, 16, 3584, 2048}},
		{"prefill_512x1280x1280", Shape{1, 512, 1280, 1280}},
		{"attn_64x8x1024x128", Shape{64, 8, 1024, 128}},
	}
	ar := NewArena(1)
	for _, dt := range HostDTypes {
		for _, c := range shapes {
			b.Run(string(dt)+"/"+c.name, func(b *testing.B) {
				peak := hostPeak(b, dt)
				w, err := ar.Workload(c.s, dt, 128<<20)
				if err != nil {
					b.Fatal(err)
				}
				w.Run()
				b.ResetTimer()
				for b.Loop() {
					w.Run()
				}
				rate := c.s.FLOPs() * float64(b.N) / b.Elapsed().Seconds()
				b.ReportMetric(rate/1e9, "GFLOP/s")
				b.ReportMetric(rate/peak, "peak-frac")
			})
		}
	}
}
