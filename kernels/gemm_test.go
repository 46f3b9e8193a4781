package kernels

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
)

// naive is the textbook triple loop in float64, the reference for both formats.
func naive[T float32 | float64](s Shape, a, b []T) []float64 {
	sa, sb, sc := s.sizes()
	c := make([]float64, s.Batch*sc)
	for p := range s.Batch {
		for i := range s.M {
			for j := range s.N {
				var sum float64
				for l := range s.K {
					sum += float64(a[p*sa+i*s.K+l]) * float64(b[p*sb+l*s.N+j])
				}
				c[p*sc+i*s.N+j] = sum
			}
		}
	}
	return c
}

func randSlice[T float32 | float64](rng *rand.Rand, n int) []T {
	xs := make([]T, n)
	for i := range xs {
		xs[i] = T(2*rng.Float64() - 1)
	}
	return xs
}

// TestGEMMMatchesNaive checks both formats against the naive product on odd
// shapes, a single product and batches larger than the core count, with
// GOMAXPROCS forced to 2 so the batch is split even on a 1-core runner.
// Tolerance: relative to sqrt(K) (the growth of rounding error in a sum of K
// products of values in [-1, 1]) times the format's epsilon, with a factor
// of 4 headroom.
func TestGEMMMatchesNaive(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	shapes := []Shape{
		{1, 1, 1, 1},
		{1, 3, 5, 7},
		{1, 65, 67, 129}, // crosses gonum's 64-wide blocks: the parallel path
		{1, 130, 70, 3},
		{3, 17, 1, 33},
		{5, 9, 31, 2},   // batch > cores
		{7, 1, 129, 65}, // GEMV-like batch
	}
	rng := rand.New(rand.NewPCG(7, 7))
	for _, s := range shapes {
		sa, sb, sc := s.sizes()
		a64, b64 := randSlice[float64](rng, s.Batch*sa), randSlice[float64](rng, s.Batch*sb)
		want := naive(s, a64, b64)

		c64 := make([]float64, s.Batch*sc)
		if err := GEMM64(s, a64, b64, c64); err != nil {
			t.Fatalf("GEMM64 %v: %v", s, err)
		}
		tol64 := 4 * math.Sqrt(float64(s.K)) * 0x1p-52
		checkClose(t, "float64", s, c64, want, tol64)

		a32, b32 := make([]float32, len(a64)), make([]float32, len(b64))
		for i := range a64 {
			a32[i] = float32(a64[i])
		}
		for i := range b64 {
			b32[i] = float32(b64[i])
		}
		want32 := naive(s, a32, b32) // the same rounded inputs
		c32 := make([]float32, s.Batch*sc)
		if err := GEMM32(s, a32, b32, c32); err != nil {
			t.Fatalf("GEMM32 %v: %v", s, err)
		}
		tol32 := 4 * math.Sqrt(float64(s.K)) * 0x1p-23
		checkClose(t, "float32", s, c32, want32, tol32)
	}
}

func checkClose[T float32 | float64](t *testing.T, name string, s Shape, got []T, want []float64, tol float64) {
	t.Helper()
	for i := range want {
		// Absolute error scaled by the magnitude of the terms (values in [-1, 1], so at most K).
		if d := math.Abs(float64(got[i]) - want[i]); d > tol*math.Max(1, math.Abs(want[i])) {
			t.Fatalf("%s %v: element %d = %g, naive %g (|diff| %g > tol %g)", name, s, i, got[i], want[i], d, tol)
		}
	}
}

func TestGEMMRejectsBadInput(t *testing.T) {
	cases := []struct {
		name    string
		s       Shape
		a, b, c int
	}{
		{"zero m", Shape{1, 0, 2, 2}, 4, 4, 4},
		{"negative batch", Shape{-1, 2, 2, 2}, 4, 4, 4},
		{"short a", Shape{2, 2, 2, 2}, 7, 8, 8},
		{"short b", Shape{2, 2, 2, 2}, 8, 7, 8},
		{"short c", Shape{2, 2, 2, 2}, 8, 8, 7},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := GEMM32(c.s, make([]float32, c.a), make([]float32, c.b), make([]float32, c.c)); err == nil {
				t.Errorf("GEMM32 accepted %v with buffers %d/%d/%d", c.s, c.a, c.b, c.c)
			}
			if err := GEMM64(c.s, make([]float64, c.a), make([]float64, c.b), make([]float64, c.c)); err == nil {
				t.Errorf("GEMM64 accepted %v with buffers %d/%d/%d", c.s, c.a, c.b, c.c)
			}
		})
	}
}

func TestShapeWork(t *testing.T) {
	s := Shape{Batch: 2, M: 3, N: 5, K: 7}
	if got, want := s.FLOPs(), 2.0*2*3*5*7; got != want {
		t.Errorf("FLOPs = %g, want %g", got, want)
	}
	if got, want := s.Bytes(4), 2.0*4*(3*7+7*5+3*5); got != want {
		t.Errorf("Bytes(4) = %g, want %g", got, want)
	}
}

// TestWorkloadCyclesCopies checks that a cold workload holds enough copies,
// that each call computes the right product, and that it moves to the next copy.
func TestWorkloadCyclesCopies(t *testing.T) {
	ar := NewArena(3)
	s := Shape{Batch: 2, M: 3, N: 4, K: 5}
	w, err := ar.Workload(s, Float64, 10*int64(s.Batch*(15+20)*8))
	if err != nil {
		t.Fatal(err)
	}
	if w.Copies() != 10 {
		t.Fatalf("copies = %d, want 10", w.Copies())
	}
	sa, sb, sc := s.sizes()
	for call := range 12 {
		i := call % w.Copies()
		w.Run()
		in := i * s.Batch * (sa + sb)
		want := naive(s, w.in64[in:in+s.Batch*sa], w.in64[in+s.Batch*sa:in+s.Batch*(sa+sb)])
		checkClose(t, "workload", s, w.c64[i*s.Batch*sc:(i+1)*s.Batch*sc], want, 1e-12)
	}
	for _, v := range w.in64 {
		if a := math.Abs(v); a < 0.5 || a >= 1.5 {
			t.Fatalf("input value %g outside ±[0.5, 1.5)", v)
		}
	}
	if _, err := ar.Workload(s, HostDType("float16"), 0); err == nil {
		t.Error("Workload accepted an unknown dtype")
	}
}

func TestParseHostDType(t *testing.T) {
	for in, want := range map[string]HostDType{"float32": Float32, "fp32": Float32, "f64": Float64, "float64": Float64} {
		if got, err := ParseHostDType(in); err != nil || got != want {
			t.Errorf("ParseHostDType(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParseHostDType("bf16"); err == nil {
		t.Error("ParseHostDType accepted bf16, which the host BLAS does not run")
	}
}
