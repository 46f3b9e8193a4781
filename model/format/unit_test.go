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

// TestPctGiven: a target prints as it was given (--slo-target 0.9985 read
// ">= 99.9%", so a fleet at 99.86% seemed to meet another target).
func TestPctGiven(t *testing.T) {
	for _, c := range []struct {
		frac float64
		want string
	}{
		{0.9985, "99.85%"}, {0.99, "99.0%"}, {0.999, "99.9%"}, {0.99995, "99.995%"}, {0.5, "50.0%"}, {0, "0.0%"},
		{0.0525, "5.25%"}, {1, "100.0%"}, {1.0 / 3, "33.333333%"}, {math.NaN(), "-"},
	} {
		if got := PctGiven(c.frac); got != c.want {
			t.Errorf("PctGiven(%g) = %q, want %q", c.frac, got, c.want)
		}
	}
}

// TestPctNearTheBounds: a fraction that is not 0 or 1 never prints as 0% or
// 100% (an SLO attainment of 13,050 requests met of 13,056 printed "100.0%",
// all met), nor a change that is not zero as none; everywhere else the
// decimals stay as they were.
func TestPctNearTheBounds(t *testing.T) {
	for _, c := range []struct {
		name, got, want string
	}{
		{"attainment 13050/13056", Pct(13050.0 / 13056), "99.95%"},
		{"attainment 99.9%", Pct(0.999), "99.9%"},
		{"all met", Pct(1), "100.0%"},
		{"one miss in a million", Pct(1 - 1e-6), "99.9999%"},
		{"one miss in a hundred million", Pct(1 - 1e-8), "99.9999%"},
		{"above one", Pct(1.0003), "100.03%"},
		{"abandonment 1/5000", Pct(0.0002), "0.02%"},
		{"abandonment 1/4000", Pct(0.00025), "0.03%"},
		{"tiny", Pct(1e-8), "0.0001%"},
		{"rounding noise at zero", Pct(1e-17), "0.0%"},
		{"rounding noise at one", Pct(1 - 1e-16), "100.0%"},
		{"compact rounding noise at one", PctCompact(1 - 1e-16), "100%"},
		{"tiny negative", Pct(-3e-4), "-0.03%"},
		{"zero", Pct(0), "0.0%"},
		{"rounds as before", Pct(0.12345), "12.3%"},
		{"compact attainment", PctCompact(13050.0 / 13056), "99.95%"},
		{"compact all met", PctCompact(1), "100%"},
		{"compact just above one", PctCompact(1.003), "100.3%"},
		{"compact above one", PctCompact(1.006), "101%"},
		{"compact small", PctCompact(0.0004), "0.04%"},
		{"compact zero", PctCompact(0), "0%"},
		{"compact as before", PctCompact(0.999), "99.9%"},
		{"delta pp", PctDelta(0.00046, 1), "+0.05%"},
		{"delta negative", PctDelta(-0.00046, 1), "-0.05%"},
		{"delta whole", PctDelta(0.003, 0), "+0.3%"},
		{"delta zero", PctDelta(0, 1), "+0.0%"},
		{"delta as before", PctDelta(0.041, 1), "+4.1%"},
	} {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, c.got, c.want)
		}
	}
}

// TestNoNegativeZero: a percentage that prints as zero has no sign: a
// fraction within rounding noise below 0, or -0, printed -0.0% (and
// compare -0.0 pp, though it says a zero change prints +0.0).
func TestNoNegativeZero(t *testing.T) {
	negZero := math.Copysign(0, -1)
	for _, c := range []struct {
		name, got, want string
	}{
		{"PctDelta(-1e-12, 1)", PctDelta(-1e-12, 1), "+0.0%"},
		{"PctDelta(-0, 1)", PctDelta(negZero, 1), "+0.0%"},
		{"PctDelta(-0, 0)", PctDelta(negZero, 0), "+0%"},
		{"Pct(-1e-12)", Pct(-1e-12), "0.0%"},
		{"Pct(-0)", Pct(negZero), "0.0%"},
		{"PctCompact(-1e-12)", PctCompact(-1e-12), "0.0%"},
		{"PctCompact(-0)", PctCompact(negZero), "0%"},
		// A change that is not noise keeps its sign.
		{"PctDelta(-1e-5, 1)", PctDelta(-1e-5, 1), "-0.001%"},
		{"Pct(-1e-5)", Pct(-1e-5), "-0.001%"},
	} {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
}

// TestPctAgainstTarget: a measured fraction compared with a target never
// prints as the target when it is not it, and takes at least the
// target's decimals, so that a miss never reads as a pass: 0.98992 under
// ">= 99.0%" printed 99.0%.
func TestPctAgainstTarget(t *testing.T) {
	for _, c := range []struct {
		name, got, want string
	}{
		{"miss by a hair", PctAgainst(0.98992, 0.99), "98.99%"},
		{"miss closer", PctAgainst(0.989996, 0.99), "98.9996%"},
		{"pass by a hair", PctAgainst(0.99004, 0.99), "99.004%"},
		{"at the target", PctAgainst(0.99, 0.99), "99.0%"},
		{"far from it", PctAgainst(0.9887, 0.99), "98.9%"},
		{"target's decimals", PctAgainst(0.99064, 0.9907), "99.06%"},
		{"target's decimals pass", PctAgainst(0.9908, 0.9907), "99.08%"},
		{"target's decimals pass by a hair", PctAgainst(0.99074, 0.9907), "99.074%"},
		{"target's decimals miss", PctAgainst(0.990696, 0.9907), "99.0696%"},
		{"still off 100", PctAgainst(13050.0/13056, 0.99), "99.95%"},
		{"no target", PctAgainst(0.98992, 0), "99.0%"},
		{"undefined", PctAgainst(math.NaN(), 0.99), "-"},
		{"abandonment at a limit", PctAgainst(0.2499, 0.25), "24.99%"},
		{"compact miss", PctCompactAgainst(0.98992, 0.99), "98.99%"},
		{"compact all met", PctCompactAgainst(1, 0.99), "100%"},
		{"compact none", PctCompactAgainst(0, 0.99), "0%"},
		{"compact as before", PctCompactAgainst(0.5, 0.99), "50.0%"},
		{"sig4 miss", Sig4Against(0.98996, 0.99), "0.98996"},
		{"sig4 pass", Sig4Against(0.990004, 0.99), "0.990004"},
		{"sig4 as before", Sig4Against(0.9887, 0.99), "0.9887"},
		{"sig4 at the target", Sig4Against(0.99, 0.99), "0.99"},
		{"sig4 past eight digits", Sig4Against(0.99-2e-9, 0.99), "0.989999998"},
		{"sig4 rounding noise", Sig4Against(0.99-1e-12, 0.99), "0.99"},
	} {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, c.got, c.want)
		}
	}
}
