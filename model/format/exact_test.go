package format

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

// TestExact: Exact is the shortest text that reads back as the number, and
// ExactPer the shortest in another unit that divides back to it, round
// numbers as they are written (40, not 40.00000000000001 or 4e+01).
func TestExact(t *testing.T) {
	for _, c := range []struct {
		v, per float64
		want   string
	}{
		{40, 1, "40"}, {40.0 / 60, 60, "40"}, {0.5, 60, "30"}, {5.0 / 3600, 3600, "5"},
		{11.250413596244188, 1, "11.250413596244188"}, {1e6, 1, "1e+06"}, {0.1, 1, "0.1"}, {0, 60, "0"},
	} {
		if got, ok := ExactPer(c.v, c.per); !ok || got != c.want {
			t.Errorf("ExactPer(%v, %v) = %q, %v; want %q", c.v, c.per, got, ok, c.want)
		}
	}
	rng := rand.New(rand.NewPCG(1, 1))
	for range 20000 {
		v := math.Exp(rng.Float64()*40 - 20)
		if back, err := strconv.ParseFloat(Exact(v), 64); err != nil || back != v {
			t.Fatalf("Exact(%.17g) = %s", v, Exact(v))
		}
		for _, per := range []float64{60, 3600} {
			s, ok := ExactPer(v, per)
			if !ok {
				continue // the caller writes Exact(v) in v's own unit
			}
			if back, err := strconv.ParseFloat(s, 64); err != nil || back/per != v {
				t.Fatalf("ExactPer(%.17g, %v) = %s, which does not divide back", v, per, s)
			}
			if plain, _ := strconv.ParseFloat(Exact(v*per), 64); plain/per == v && len(s) > len(Exact(v*per)) {
				t.Fatalf("ExactPer(%.17g, %v) = %s, longer than %s", v, per, s, Exact(v*per))
			}
		}
	}
}
