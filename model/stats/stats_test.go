package stats

import (
	"math"
	"testing"
)

// Reference values: numpy.percentile(range(1, 49), q) for the quantiles;
// (1+2+3)^2 / (1+4+9) for the effective events.
func TestQuantileAndEffectiveEvents(t *testing.T) {
	var v []float64
	for i := 1; i <= 48; i++ {
		v = append(v, float64(i))
	}
	for _, tt := range []struct{ q, want float64 }{{0, 1}, {0.5, 24.5}, {0.9, 43.3}, {0.99, 47.53}, {1, 48}} {
		if got := Quantile(v, tt.q); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("q %v of 1..48: %v, want %v", tt.q, got, tt.want)
		}
	}
	if !math.IsNaN(Quantile(nil, 0.5)) {
		t.Error("empty: want NaN")
	}
	if got := EffectiveEvents(6, 14); math.Abs(got-36.0/14) > 1e-12 {
		t.Errorf("effective events %v, want 36/14", got)
	}
	if got := EffectiveEvents(0, 0); got != 0 {
		t.Errorf("nothing summed: %v, want 0", got)
	}
}
