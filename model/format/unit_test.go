package format

import (
	"math"
	"testing"
)

// TestPctDelta: a relative change keeps its sign and stays a dozen
// characters wide from next to zero (compare's +1e302% printed 300 digits).
func TestPctDelta(t *testing.T) {
	for _, c := range []struct {
		frac     float64
		decimals int
		want     string
	}{
		{0.041, 1, "+4.1%"}, {-0.12, 1, "-12.0%"}, {0, 0, "+0%"}, {0.5, 0, "+50%"},
		{1e300, 1, "+1e+302%"}, {-12345.6, 0, "-1.23M%"}, {math.NaN(), 1, "-"}, {math.Inf(1), 1, "-"},
	} {
		if got := PctDelta(c.frac, c.decimals); got != c.want {
			t.Errorf("PctDelta(%g, %d) = %q, want %q", c.frac, c.decimals, got, c.want)
		}
	}
}
