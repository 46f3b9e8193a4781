package kernels

import (
	"fmt"
	"runtime"
	"sync"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
)

// Shape is a batched GEMM: Batch independent products of an (M x K) matrix by
// a (K x N) matrix, as LLM serving runs them (M = tokens in the batch, N and K
// the projection or MLP sizes of one tensor-parallel shard, Batch = heads or
// experts).
type Shape struct {
	Batch int `json:"batch"`
	M     int `json:"m"`
	N     int `json:"n"`
	K     int `json:"k"`
}

func (s Shape) String() string { return fmt.Sprintf("%dx(%dx%dx%d)", s.Batch, s.M, s.N, s.K) }

// Validate reports a shape with a non-positive dimension.
func (s Shape) Validate() error {
	if s.Batch < 1 || s.M < 1 || s.N < 1 || s.K < 1 {
		return fmt.Errorf("shape %v: batch, m, n and k must all be >= 1", s)
	}
	return nil
}

// FLOPs is the floating-point work of the whole batch (2 per multiply-add).
func (s Shape) FLOPs() float64 {
	return 2 * float64(s.Batch) * float64(s.M) * float64(s.N) * float64(s.K)
}

// Bytes is the compulsory memory traffic of the whole batch for elements of
// elemBytes bytes: read A and B once, write C once.
func (s Shape) Bytes(elemBytes float64) float64 {
	m, n, k := float64(s.M), float64(s.N), float64(s.K)
	return float64(s.Batch) * elemBytes * (m*k + k*n + m*n)
}

// sizes returns the element counts of one A, B and C of the batch.
func (s Shape) sizes() (a, b, c int) { return s.M * s.K, s.K * s.N, s.M * s.N }

// checkLens verifies that the flat batch buffers hold the shape.
func (s Shape) checkLens(la, lb, lc int) error {
	if err := s.Validate(); err != nil {
		return err
	}
	a, b, c := s.sizes()
	if la < s.Batch*a || lb < s.Batch*b || lc < s.Batch*c {
		return fmt.Errorf("shape %v: buffers too short (a %d < %d, b %d < %d or c %d < %d)",
			s, la, s.Batch*a, lb, s.Batch*b, lc, s.Batch*c)
	}
	return nil
}

// GEMM32 computes C[i] = A[i] B[i] for every i in [0, s.Batch) in float32 with
// gonum's BLAS. The batch is stored contiguously and row-major: A[i] starts at
// a[i*M*K], B[i] at b[i*K*N], C[i] at c[i*M*N].
func GEMM32(s Shape, a, b, c []float32) error {
	if err := s.checkLens(len(a), len(b), len(c)); err != nil {
		return err
	}
	sa, sb, sc := s.sizes()
	forEach(s.Batch, func(i int) {
		blas32.Gemm(blas.NoTrans, blas.NoTrans, 1,
			blas32.General{Rows: s.M, Cols: s.K, Stride: s.K, Data: a[i*sa : (i+1)*sa]},
			blas32.General{Rows: s.K, Cols: s.N, Stride: s.N, Data: b[i*sb : (i+1)*sb]},
			0,
			blas32.General{Rows: s.M, Cols: s.N, Stride: s.N, Data: c[i*sc : (i+1)*sc]})
	})
	return nil
}

// GEMM64 is GEMM32 in float64.
func GEMM64(s Shape, a, b, c []float64) error {
	if err := s.checkLens(len(a), len(b), len(c)); err != nil {
		return err
	}
	sa, sb, sc := s.sizes()
	forEach(s.Batch, func(i int) {
		blas64.Gemm(blas.NoTrans, blas.NoTrans, 1,
			blas64.General{Rows: s.M, Cols: s.K, Stride: s.K, Data: a[i*sa : (i+1)*sa]},
			blas64.General{Rows: s.K, Cols: s.N, Stride: s.N, Data: b[i*sb : (i+1)*sb]},
			0,
			blas64.General{Rows: s.M, Cols: s.N, Stride: s.N, Data: c[i*sc : (i+1)*sc]})
	})
	return nil
}

// forEach runs f(0..n-1) spread over GOMAXPROCS workers, each taking a
// contiguous run of indices. With a single product the work runs on the
// calling goroutine: gonum's Gemm already splits a large product into 64x64
// blocks over GOMAXPROCS goroutines, and a second layer of goroutines would
// only add scheduling cost.
func forEach(n int, f func(i int)) {
	workers := min(n, runtime.GOMAXPROCS(0))
	if workers <= 1 {
		for i := range n {
			f(i)
		}
		return
	}
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*n/workers, (w+1)*n/workers
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := lo; i < hi; i++ {
				f(i)
			}
		}()
	}
	wg.Wait()
}
