package main

import (
	"math"
	"testing"

	"aiecon/model/format"
)

// A variant comparison changes a fraction in percentage points, as compare
// does, and anything else relative to the first variant: an SLO attainment
// from 84.1% to 67.7% printed as -19% read as 19 points.
func TestVariantDelta(t *testing.T) {
	tests := []struct {
		unit    string
		v, base float64
		want    string
	}{
		{format.UnitFraction, 0.677, 0.841, "-16.4 pp"},
		{format.UnitFraction, 0.5, 0, "+50.0 pp"},
		{format.UnitUSD, 1.05, 1, "+5%"},
		// A relative change across zero or from zero means nothing: the
		// change in its unit and why (a margin from -$10 to +$85 was +950%).
		{format.UnitUSD, 1, 0, "+$1.00, from zero"},
		{format.UnitUSD, 85, -10, "+$95.00, sign change"},
		{format.UnitUSD, 0, 0, ""},
		{format.UnitUSD, math.NaN(), 1, ""},
		{format.UnitFraction, 0.5, math.NaN(), ""},
		// Rounding noise is no change: it printed (-0%) and -0.0 pp.
		{format.UnitUSD, 128.3 - 1.705e-13, 128.3, "+0%"},
		{format.UnitFraction, 0.9 - 1e-16, 0.9, "+0.0 pp"},
		// 6 of 13,056 requests missed is a change, not +0.0 pp.
		{format.UnitFraction, 1, 13050.0 / 13056, "+0.05 pp"},
	}
	for _, tt := range tests {
		if got := variantDelta(tt.unit, tt.v, tt.base); got != tt.want {
			t.Errorf("variantDelta(%s, %v, %v) = %q, want %q", tt.unit, tt.v, tt.base, got, tt.want)
		}
	}
}
