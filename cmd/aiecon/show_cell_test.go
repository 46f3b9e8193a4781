package main

import (
	"math"
	"testing"

	"aiecon/model/format"
)

// TestKPICellMoney: show prints a KPI in dollars as run prints money
// (fmtUSD), so that one run's instance cost reads $143.04 in both, where
// show's four significant figures printed 143; other units keep the
// compact figure.
func TestKPICellMoney(t *testing.T) {
	for _, tt := range []struct {
		v    float64
		unit string
		want string
	}{
		{143.0432, format.UnitUSD, "$143.04"},
		{0.445731, format.UnitUSDPerSession, "$0.4457"},
		{35.7608, format.UnitUSDPerHour, "$35.76"},
		{5.19656, format.UnitUSDPerMTok, "$5.20"},
		{3.3364, format.UnitUSDPerMille, "$3.34"},
		{12345.6, format.UnitUSD, "$12,346"},
		{-27.123, format.UnitUSD, "-$27.12"},
		{0, format.UnitUSD, "$0"},
		{math.NaN(), format.UnitUSD, "-"},
		{143.0432, format.UnitCount, "143"},
		{0.77541, format.UnitFraction, "0.7754"},
	} {
		if got := kpiCell(tt.v, tt.unit); got != tt.want {
			t.Errorf("kpiCell(%v, %q) = %q, want %q", tt.v, tt.unit, got, tt.want)
		}
	}
}
