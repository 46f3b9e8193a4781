package study

import (
	"math"
	"strings"
	"testing"
)

// A t interval near a KPI's bound reached values the KPI cannot take: a
// busy time up to 1.02, a latency from below zero. Its ends are cut at
// the bounds and printed as [low, high]; a margin, which can be negative,
// keeps its symmetric interval.
func TestPointIntervalClampedToBounds(t *testing.T) {
	tests := []struct {
		name     string
		xs       []float64
		lo, hi   float64 // want: NaN where the end is the t interval's own
		clamped  bool
		cellPart string
	}{
		{"utilization", []float64{0.99, 1.0, 0.97}, math.NaN(), 1, true, ", 1]"},
		{"ttft_p99_s", []float64{0.01, 0.2, 0.02}, 0, math.NaN(), true, "[0, "},
		{"margin_usd", []float64{-5, 10, 1}, math.NaN(), math.NaN(), false, " ± "},
		{"utilization", []float64{0.5, 0.6, 0.55}, math.NaN(), math.NaN(), false, " ± "},
	}
	for _, tt := range tests {
		reps := make([][]float64, len(tt.xs))
		for i, x := range tt.xs {
			reps[i] = []float64{x}
		}
		iv := pointInterval(tt.name, reps, nil, 0)
		raw := MeanCI(tt.xs, ConfidenceLevel)
		wantLo, wantHi := tt.lo, tt.hi
		if math.IsNaN(wantLo) {
			wantLo = raw.Mean - raw.HalfWidth
		}
		if math.IsNaN(wantHi) {
			wantHi = raw.Mean + raw.HalfWidth
		}
		if iv.Clamped != tt.clamped || math.Abs(iv.Low()-wantLo) > 1e-12 || math.Abs(iv.High()-wantHi) > 1e-12 || iv.Mean != raw.Mean {
			t.Errorf("%s %v: [%v, %v] clamped %v (mean %v), want [%v, %v] clamped %v", tt.name, tt.xs, iv.Low(), iv.High(), iv.Clamped, iv.Mean, wantLo, wantHi, tt.clamped)
		}
		if cell := cellInterval(iv); !strings.Contains(cell, tt.cellPart) {
			t.Errorf("%s %v: cell %q, want it to hold %q", tt.name, tt.xs, cell, tt.cellPart)
		}
	}
}

// ClampTo leaves alone an interval with no width (one run), one with ends
// of its own (a proportion's) and one whose mean is outside the bounds.
func TestClampToLeavesAlone(t *testing.T) {
	one := MeanCI([]float64{1.2}, ConfidenceLevel)
	if got := one.ClampTo(0, 1); got.Clamped {
		t.Errorf("one run: %+v clamped", got)
	}
	out := MeanCI([]float64{1.2, 1.3, 1.1}, ConfidenceLevel)
	if got := out.ClampTo(0, 1); got.Clamped || got.High() != out.High() {
		t.Errorf("mean past the bound: %+v clamped", got)
	}
	own := Interval{N: 3, Mean: 0.9, HalfWidth: 0.2, Bounded: true, Lo: 0.7, Hi: 1}
	if got := own.ClampTo(0, 0.95); got.Clamped || got.High() != 1 {
		t.Errorf("own ends: %+v changed", got)
	}
}
