package kernels

import (
	"context"
	"fmt"
	"runtime"
)

// DefaultPeakSizes are the square GEMM sizes ProbePeak tries: large enough that
// edge effects vanish, small enough to time in seconds on a laptop.
var DefaultPeakSizes = []int{512, 1024, 1536}

// PeakResult is the best FLOP rate over the square sizes tried.
type PeakResult struct {
	FLOPSPerS float64 `json:"flops_per_s"`
	Size      int     `json:"size"` // the square size that achieved it
	Timing    Timing  `json:"timing"`
}

// ProbePeak measures the host's attainable GEMM rate in dt: square products of
// each size, with warm caches (this is the compute ceiling, so memory traffic
// should not limit it), keeping the best rate. The rate is that of the
// fastest sample, not the median: a ceiling is what the machine reaches when
// nothing else runs, and on a shared host the median is often slowed. The rate is the BLAS's, not the
// CPU's theoretical peak: efficiencies are relative to what the BLAS can reach
// at its best, which is what carries over to a vendor library on an accelerator.
func ProbePeak(ctx context.Context, ar *Arena, dt HostDType, sizes []int, opt TimingOptions) (PeakResult, error) {
	if len(sizes) == 0 {
		sizes = DefaultPeakSizes
	}
	var best PeakResult
	for _, n := range sizes {
		s := Shape{Batch: 1, M: n, N: n, K: n}
		w, err := ar.Workload(s, dt, 0)
		if err != nil {
			return PeakResult{}, fmt.Errorf("peak probe %s: %w", dt, err)
		}
		t, err := Measure(ctx, w.Run, opt)
		if err != nil {
			return PeakResult{}, fmt.Errorf("peak probe %s at %d^3: %w", dt, n, err)
		}
		if r := s.FLOPs() / t.MinS; r > best.FLOPSPerS {
			best = PeakResult{FLOPSPerS: r, Size: n, Timing: t}
		}
	}
	return best, nil
}

// DefaultTriadBytes is the size of each of the three triad arrays (64 MiB), so
// that together they exceed a 32 MiB L3 six times over and the probe measures
// DRAM, not cache. Calibrate sizes them from the detected L3 instead (its
// Options.TriadBytes), with this as the least.
const DefaultTriadBytes = 64 << 20

// BandwidthResult is the STREAM-style triad bandwidth.
type BandwidthResult struct {
	BytesPerS  float64 `json:"bytes_per_s"`
	ArrayBytes int64   `json:"array_bytes"`
	Timing     Timing  `json:"timing"`
}

// ProbeBandwidth measures memory bandwidth with a STREAM triad
// a[i] = b[i] + q*c[i] over three arrays of arrayBytes each, split over
// GOMAXPROCS goroutines. Bytes are counted as STREAM does: two reads and one
// write per element, no write-allocate traffic.
func ProbeBandwidth(ctx context.Context, dt HostDType, arrayBytes int64, opt TimingOptions) (BandwidthResult, error) {
	if arrayBytes <= 0 {
		arrayBytes = DefaultTriadBytes
	}
	n := int(arrayBytes / int64(dt.Bytes()))
	if n < 1 {
		return BandwidthResult{}, fmt.Errorf("bandwidth probe %s: array of %d bytes holds no element", dt, arrayBytes)
	}
	var run func()
	switch dt {
	case Float32:
		run = triad(make([]float32, n), filled[float32](n, 1), filled[float32](n, 2))
	case Float64:
		run = triad(make([]float64, n), filled[float64](n, 1), filled[float64](n, 2))
	default:
		return BandwidthResult{}, fmt.Errorf("bandwidth probe: unknown host dtype %q", dt)
	}
	t, err := Measure(ctx, run, opt)
	if err != nil {
		return BandwidthResult{}, fmt.Errorf("bandwidth probe %s: %w", dt, err)
	}
	bytes := 3 * float64(n) * dt.Bytes()
	// The fastest sample, as for the peak: this is a ceiling.
	return BandwidthResult{BytesPerS: bytes / t.MinS, ArrayBytes: int64(n) * int64(dt.Bytes()), Timing: t}, nil
}

func filled[T float32 | float64](n int, v T) []T {
	xs := make([]T, n)
	for i := range xs {
		xs[i] = v
	}
	return xs
}

func triad[T float32 | float64](a, b, c []T) func() {
	const q = 3
	workers := runtime.GOMAXPROCS(0)
	n := len(a)
	return func() {
		forEach(workers, func(w int) {
			lo, hi := w*n/workers, (w+1)*n/workers
			aa, bb, cc := a[lo:hi], b[lo:hi], c[lo:hi]
			for i := range aa {
				aa[i] = bb[i] + q*cc[i]
			}
		})
	}
}
