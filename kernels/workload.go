package kernels

import (
	"fmt"
	"math/rand/v2"
)

// HostDType is a floating-point format the host BLAS runs.
type HostDType string

// The host formats. Float32 is the stand-in for the accelerators' bf16, fp16
// and fp8 matmuls (docs/calibration.md says why); float64 is measured as a
// second data point on how much the shape efficiency depends on the format.
const (
	Float32 HostDType = "float32"
	Float64 HostDType = "float64"
)

// HostDTypes lists the host formats in a stable order.
var HostDTypes = []HostDType{Float32, Float64}

// ParseHostDType accepts "float32" (or "fp32", "f32") and "float64" (or "fp64", "f64").
func ParseHostDType(s string) (HostDType, error) {
	switch s {
	case "float32", "fp32", "f32":
		return Float32, nil
	case "float64", "fp64", "f64":
		return Float64, nil
	}
	return "", fmt.Errorf("unknown host dtype %q (allowed: float32, float64)", s)
}

// Bytes is the width of one element.
func (d HostDType) Bytes() float64 {
	switch d {
	case Float32:
		return 4
	case Float64:
		return 8
	}
	return 0
}

// Workload is a batched GEMM ready to run repeatedly with cold caches: it
// cycles through enough independent copies of the batch's operands that
// consecutive calls do not find their inputs in the CPU caches, as an
// accelerator streams a layer's weights from HBM on every iteration.
type Workload struct {
	shape  Shape
	dt     HostDType
	copies int
	next   int
	in32   []float32 // copies x (A then B) of the whole batch
	c32    []float32
	in64   []float64
	c64    []float64
}

// Arena holds one pool of random input values per format that workloads take
// their operands from, so that a calibration grid fills memory once rather
// than once per shape. The values are uniform on [0.5, 1.5) with random
// signs: never zero, because gonum skips zero multipliers, and never
// subnormal, which would slow the arithmetic. An Arena is not safe for
// concurrent use.
type Arena struct {
	rng  *rand.Rand
	in32 []float32
	in64 []float64
}

// NewArena returns an empty arena whose values come from a generator seeded with seed.
func NewArena(seed uint64) *Arena {
	return &Arena{rng: rand.New(rand.NewPCG(seed, 0x6b65726e656c73))} // "kernels"
}

// Workload returns a workload for s in dt whose inputs together span at least
// coldBytes (always at least one copy; coldBytes <= 0 means one copy, i.e.
// warm caches). Workloads from one arena share their read-only inputs.
func (ar *Arena) Workload(s Shape, dt HostDType, coldBytes int64) (*Workload, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if dt.Bytes() == 0 {
		return nil, fmt.Errorf("workload %v: unknown host dtype %q", s, dt)
	}
	sa, sb, sc := s.sizes()
	perCopy := s.Batch * (sa + sb)
	copies := 1
	if perCopyBytes := int64(perCopy) * int64(dt.Bytes()); coldBytes > perCopyBytes {
		copies = int((coldBytes + perCopyBytes - 1) / perCopyBytes)
	}
	w := &Workload{shape: s, dt: dt, copies: copies}
	need, nc := copies*perCopy, copies*s.Batch*sc
	switch dt {
	case Float32:
		if len(ar.in32) < need {
			ar.in32 = growFilled(ar.rng, ar.in32, need)
		}
		w.in32, w.c32 = ar.in32[:need], make([]float32, nc)
	case Float64:
		if len(ar.in64) < need {
			ar.in64 = growFilled(ar.rng, ar.in64, need)
		}
		w.in64, w.c64 = ar.in64[:need], make([]float64, nc)
	}
	return w, nil
}

// growFilled returns xs extended to n elements, the new ones random.
func growFilled[T float32 | float64](rng *rand.Rand, xs []T, n int) []T {
	old := len(xs)
	xs = append(xs, make([]T, n-old)...)
	for i := old; i < n; i++ {
		v := 0.5 + rng.Float64()
		if rng.Uint64()&1 == 1 {
			v = -v
		}
		xs[i] = T(v)
	}
	return xs
}

// Run computes one batched GEMM on the next copy of the operands.
func (w *Workload) Run() {
	sa, sb, sc := w.shape.sizes()
	bt := w.shape.Batch
	i := w.next
	w.next = (w.next + 1) % w.copies
	in := i * bt * (sa + sb)
	mid := in + bt*sa
	end := mid + bt*sb
	c0, c1 := i*bt*sc, (i+1)*bt*sc
	var err error
	switch w.dt {
	case Float32:
		err = GEMM32(w.shape, w.in32[in:mid], w.in32[mid:end], w.c32[c0:c1])
	case Float64:
		err = GEMM64(w.shape, w.in64[in:mid], w.in64[mid:end], w.c64[c0:c1])
	}
	if err != nil {
		// Arena.Workload sized every buffer for the shape; a failure here is a bug.
		panic(fmt.Sprintf("kernels: workload %v: %v", w.shape, err))
	}
}
