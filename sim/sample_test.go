package sim

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestDrawCountStaysInTokens: a count draw is a whole number between its
// floor and math.MaxInt32. A draw past 2^63 became MinInt64 and then the
// floor (1 token), and one past 2^31 wrapped negative in the int32 an
// agent's plan keeps.
func TestDrawCountStaysInTokens(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, tt := range []struct {
		x    float64
		lo   int
		want int
	}{
		{12.6, 1, 13},
		{0.4, 1, 1},
		{0, 0, 0},
		{3e9, 1, math.MaxInt32},
		{1e20, 1, math.MaxInt32},
		{math.Inf(1), 0, math.MaxInt32},
	} {
		s := sampler{kind: "fixed", a: tt.x}
		if got := s.drawCount(r, tt.lo); got != tt.want {
			t.Errorf("drawCount of %g (floor %d) = %d, want %d", tt.x, tt.lo, got, tt.want)
		}
	}
}
