package forecast

import (
	"math"
	"testing"
)

// TestMoney: the report's compact amounts never put a suffix on an
// exponent or an infinity ("2.5e+298B", "+InfB", "1.5e+03B" for 1.5e12),
// and a value that rounds up to the next suffix takes it (1M, not 1e+03k).
func TestMoney(t *testing.T) {
	for _, tt := range []struct {
		x    float64
		want string
	}{
		{0, "0"},
		{7.891, "7.89"},
		{-0.5, "-0.5"},
		{999.4, "999"},
		{999.6, "1k"},
		{45_600, "45.6k"},
		{999_600, "1M"},
		{1_234_000, "1.23M"},
		{-2.5e9, "-2.5B"},
		{999e9, "999B"},
		{999.6e9, "1e+12"},
		{1.5e12, "1.5e+12"},
		{2.5e298, "2.5e+298"},
		{-1e308, "-1e+308"},
		{math.Inf(1), "+Inf"},
		{math.Inf(-1), "-Inf"},
		{math.NaN(), "-"},
	} {
		if got := money(tt.x); got != tt.want {
			t.Errorf("money(%g) = %q, want %q", tt.x, got, tt.want)
		}
	}
}
