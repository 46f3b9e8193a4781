package model

import (
	"math"
	"testing"
)

// TestDiurnalMean: the mean of the piecewise-linear day over a whole day is
// 1; over part of it, the trapezoids of its hours, checked against a fine
// midpoint sum; wrapping past midnight as the day does.
func TestDiurnalMean(t *testing.T) {
	d := Diurnal{Name: "default"}
	if m := d.Mean(0, 24); math.Abs(m-1) > 1e-12 {
		t.Errorf("mean over the day %v, want 1", m)
	}
	if m := d.Mean(-7, 17); math.Abs(m-1) > 1e-12 {
		t.Errorf("mean over a day from 17:00 the day before %v, want 1", m)
	}
	fine := func(from, to float64) float64 {
		const n = 200000
		s := 0.0
		for i := range n {
			s += d.Multiplier(math.Mod(from+(to-from)*(float64(i)+0.5)/n+48, 24))
		}
		return s / n
	}
	for _, c := range [][2]float64{{3.9, 4.1}, {4, 4 + 10.0/60}, {11.25, 17.75}, {21, 27}, {23.5, 24.5}, {-1, 5}} {
		if got, want := d.Mean(c[0], c[1]), fine(c[0], c[1]); math.Abs(got-want) > 1e-6 {
			t.Errorf("mean over %v: %v, want %v", c, got, want)
		}
	}
	if m := (Diurnal{Name: "flat"}).Mean(2, 9); m != 1 {
		t.Errorf("flat: %v", m)
	}
}
