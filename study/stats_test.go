package study

import (
	"math"
	"strings"
	"testing"
)

// Reference values from R: t.test(c(1,2,3,4,5)) gives the 95% interval
// [1.036757, 4.963243]; qt(0.975, 2) = 4.302653.
func TestMeanCI(t *testing.T) {
	const tol = 1e-6
	iv := MeanCI([]float64{1, 2, 3, 4, 5}, 0.95)
	if iv.N != 5 || iv.Mean != 3 || math.Abs(iv.SD-1.5811388300841898) > 1e-12 || math.Abs(iv.Low()-1.036757) > tol || math.Abs(iv.High()-4.963243) > tol {
		t.Errorf("MeanCI(1..5) = %+v [%v, %v]", iv, iv.Low(), iv.High())
	}
	// Three values: half-width = qt(0.975, 2) x sd / sqrt(3); sd of {2, 4, 9} = 3.605551.
	iv = MeanCI([]float64{2, 4, 9}, 0.95)
	if want := 4.302653 * 3.605551 / math.Sqrt(3); math.Abs(iv.HalfWidth-want) > 1e-5 {
		t.Errorf("half-width %v, want %v", iv.HalfWidth, want)
	}
	// NaN values (undefined KPIs) are left out; one value has no interval.
	iv = MeanCI([]float64{math.NaN(), 7}, 0.95)
	if iv.N != 1 || iv.Mean != 7 || !math.IsNaN(iv.HalfWidth) {
		t.Errorf("MeanCI(NaN, 7) = %+v", iv)
	}
	if iv = MeanCI(nil, 0.95); iv.N != 0 || !math.IsNaN(iv.Mean) {
		t.Errorf("MeanCI(nil) = %+v", iv)
	}
	// A constant KPI recomputed per run (cost per hour from each run's
	// cost over its own simulated time) differs in its last bits: it printed
	// 55.04 ± 4.514e-14. Its spread is rounding, and reads 0; a spread of a
	// billionth of the mean is a spread.
	up := math.Nextafter(55.04, 100)
	if iv = MeanCI([]float64{55.04, up, math.Nextafter(up, 100)}, 0.95); iv.SD != 0 || iv.HalfWidth != 0 {
		t.Errorf("MeanCI of 55.04 and its next floats = %+v, want SD and half-width 0", iv)
	}
	if iv = MeanCI([]float64{55.04, 55.04 * (1 + 1e-9)}, 0.95); !(iv.HalfWidth > 0) {
		t.Errorf("MeanCI of values a billionth apart = %+v, want a half-width", iv)
	}
}

func TestDescribeAndProbability(t *testing.T) {
	xs := []float64{10, 9, 8, 7, 6, 5, 4, 3, 2, 1, math.NaN()}
	s := Describe(xs)
	// numpy.percentile([1..10], [5, 50, 95]) = 1.45, 5.5, 9.55: h = p x 9.
	want := Spread{N: 10, Mean: 5.5, SD: 3.0276503540974917, Min: 1, P5: 1.45, P50: 5.5, P95: 9.55, Max: 10}
	if math.Abs(s.SD-want.SD) > 1e-12 || math.Abs(s.P5-want.P5) > 1e-12 || math.Abs(s.P95-want.P95) > 1e-12 {
		t.Errorf("SD, P5, P95 %v %v %v, want %v %v %v", s.SD, s.P5, s.P95, want.SD, want.P5, want.P95)
	}
	s.SD, s.P5, s.P95 = want.SD, want.P5, want.P95
	if s != want {
		t.Errorf("Describe = %+v, want %+v", s, want)
	}
	p, n := Probability(xs, func(x float64) bool { return x < 3 })
	if p != 0.2 || n != 10 {
		t.Errorf("P(x < 3) = %v over %d, want 0.2 over 10", p, n)
	}
	if p, n := Probability([]float64{math.NaN()}, func(float64) bool { return true }); !math.IsNaN(p) || n != 0 {
		t.Errorf("P over no defined values = %v, %d", p, n)
	}
}

func TestThreshold(t *testing.T) {
	for _, tt := range []struct {
		s    string
		x    float64
		want bool
	}{
		{"margin_usd < 0", -1, true}, {"margin_usd < 0", 0, false}, {"margin_usd <= 0", 0, true},
		{"slo_attainment[chat] >= 0.99", 0.99, true}, {"x > 1", math.NaN(), false},
	} {
		th, err := ParseThreshold(tt.s)
		if err != nil {
			t.Fatalf("%s: %v", tt.s, err)
		}
		if got := th.Holds(tt.x); got != tt.want {
			t.Errorf("%s at %v = %v", tt.s, tt.x, got)
		}
		if again, err := ParseThreshold(th.String()); err != nil || again != th {
			t.Errorf("%s does not round-trip: %v %v", tt.s, again, err)
		}
	}
}

// TestThresholdErrors: a number past float64's range is out of range, not
// "not a number" (1e400 is one); what is not one says so.
func TestThresholdErrors(t *testing.T) {
	for _, tt := range []struct{ s, want string }{
		{"margin_usd < 1e400", `threshold "margin_usd < 1e400": 1e400 is out of range (at most 1.7976931348623157e+308 in magnitude)`},
		{"margin_usd > -1e400", `threshold "margin_usd > -1e400": -1e400 is out of range`},
		{"margin_usd < abc", `threshold "margin_usd < abc": "abc" is not a number`},
		{"margin_usd < nan", `threshold "margin_usd < nan": "nan" is not a number`},
	} {
		if _, err := ParseThreshold(tt.s); err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.s, err, tt.want)
		}
	}
}
