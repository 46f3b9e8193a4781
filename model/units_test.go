package model

import (
	"errors"
	"strings"
	"testing"
)

// TestParseDurationBounds: a duration past a century (MaxDuration) is out
// of range, not wrapped to the most negative one (float64(MaxInt64) is
// 2^63), so that no delay added to the clock can wrap it.
func TestParseDurationBounds(t *testing.T) {
	// Past time.Duration's range too (time.ParseDuration calls 99999999h
	// invalid, which read as a malformed duration, not a long one).
	for _, s := range []string{"9223372036854775807ns", "106752d", "1e300d", "36501d", "9223372000s",
		"99999999h", "-99999999h", "1d99999999h", "10000000000000000000ns", "2562048h1m"} {
		if d, err := ParseDuration(s); !errors.Is(err, ErrDurationRange) || !strings.Contains(err.Error(), "out of range (between -36500d and 36500d)") {
			t.Errorf("%s: %v, %v; want out of range", s, d, err)
		}
	}
	for _, s := range []string{"99999999x", "9999999999999999999", "1h-5m", "h"} {
		if _, err := ParseDuration(s); err == nil || errors.Is(err, ErrDurationRange) {
			t.Errorf("%s: %v; want a malformed duration", s, err)
		}
	}
	if d, err := ParseDuration("36500d"); err != nil || d != MaxDuration {
		t.Errorf("36500d: %v, %v", d, err)
	}
}

// TestParseDurationExact: days and a finer remainder add in whole
// nanoseconds; in float64 366d1ns lost its 1ns past 2^53 ns and passed the
// 366-day horizon bound.
func TestParseDurationExact(t *testing.T) {
	for s, want := range map[string]Duration{"366d1ns": 366*Day + 1, "36499d1ns": 36499*Day + 1, "1.5d1ns": 36*Hour + 1,
		"-1d2h": -22 * Hour, "36500d": MaxDuration} {
		if d, err := ParseDuration(s); err != nil || d != want {
			t.Errorf("%s: %d, %v; want %d", s, int64(d), err, int64(want))
		}
	}
	if d, err := ParseDuration("36500d1ns"); !errors.Is(err, ErrDurationRange) {
		t.Errorf("36500d1ns: %v, %v; want out of range", d, err)
	}
}
