package forecast

import (
	"math/rand/v2"
	"testing"
	"time"
)

// TestTruncatedNormalTerminates: a normal whose std is far wider than its
// [min, max] redrew until a value landed inside, for ever at std 1e12 on
// [0.5, 1.5]; it now returns a value inside the bounds at once.
func TestTruncatedNormalTerminates(t *testing.T) {
	lo, hi := 0.5, 1.5
	d := Draw{Dist: "normal", Mean: 1, Std: 1e12, Min: &lo, Max: &hi}
	r := rand.New(rand.NewPCG(1, 2))
	done := make(chan []float64, 1)
	go func() {
		var xs []float64
		for range 50 {
			xs = append(xs, d.sample(r))
		}
		done <- xs
	}()
	select {
	case xs := <-done:
		for _, x := range xs {
			if x < lo || x > hi {
				t.Fatalf("drew %g, outside [%g, %g]", x, lo, hi)
			}
		}
	case <-time.After(10 * time.Second):
		t.Fatal("50 draws of a normal with std 1e12 on [0.5, 1.5] did not finish in 10 s")
	}
	// A narrow normal keeps its redrawn values: the same stream, the same draws.
	n := Draw{Dist: "normal", Mean: 1, Std: 0.1, Min: &lo, Max: &hi}
	a, b := rand.New(rand.NewPCG(3, 4)), rand.New(rand.NewPCG(3, 4))
	for range 100 {
		want := 0.0
		for {
			if x := 1 + 0.1*b.NormFloat64(); x >= lo && x <= hi {
				want = x
				break
			}
		}
		if got := n.sample(a); got != want {
			t.Fatalf("drew %g, want the redrawn %g", got, want)
		}
	}
}
