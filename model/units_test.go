package model

import (
	"strings"
	"testing"
)

// TestParseDurationBounds: a duration one past the int64 clock is out of
// range, not wrapped to the most negative one (float64(MaxInt64) is 2^63);
// days too many for it likewise.
func TestParseDurationBounds(t *testing.T) {
	for _, s := range []string{"9223372036854775807ns", "106752d", "1e300d"} {
		if d, err := ParseDuration(s); err == nil || !strings.Contains(err.Error(), "out of range") {
			t.Errorf("%s: %v, %v; want out of range", s, d, err)
		}
	}
	if d, err := ParseDuration("366d"); err != nil || d != 366*Day {
		t.Errorf("366d: %v, %v", d, err)
	}
}
