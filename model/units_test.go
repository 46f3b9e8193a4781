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
		"-1d2h": -26 * Hour, "+1h30m": 90 * Minute, "1e1d": 10 * Day, "-1.5e1d": -15 * Day, "1d2h3m4s5ms6us7ns": Day + 2*Hour + 3*Minute + 4*Second + 5*Millisecond + 6000 + 7, "36500d": MaxDuration} {
		if d, err := ParseDuration(s); err != nil || d != want {
			t.Errorf("%s: %d, %v; want %d", s, int64(d), err, int64(want))
		}
	}
	if d, err := ParseDuration("36500d1ns"); !errors.Is(err, ErrDurationRange) {
		t.Errorf("36500d1ns: %v, %v; want out of range", d, err)
	}
}

// TestParseDurationGrammar: one sign for the whole duration, units from the
// largest down, each once. 1d-1h read as 23 hours, 1d+1h as 25 and 1h1h
// (a typo of 1h) as two, while 1h-59m was refused; -1d2h read as -22h
// where time.ParseDuration reads -1h2m as -62m.
func TestParseDurationGrammar(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"1d-1h", "a sign may stand only before the first term"},
		{"1d+1h", "a sign may stand only before the first term"},
		{"1h-59m", "a sign may stand only before the first term"},
		{"1h1h", "the unit h is written twice"},
		{"2d3d", "the unit d is written twice"},
		{"1us1µs", "the unit µs is written twice"},
		{"30m1h", "h after a smaller unit"},
		{"1h1d", "d after a smaller unit"},
		{"--1h", "one sign at most"},
		{"-", "bad duration \"-\""},
		{"1e1h", "an exponent is read on days alone"},
		{"1d1e1h", "an exponent is read on days alone"},
		{"infd", "bad duration"},
		{"1h 30m", "bad duration"},
	} {
		if d, err := ParseDuration(tt.in); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, %v; want an error with %q", tt.in, d, err, tt.want)
		}
	}
}
