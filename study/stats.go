package study

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"

	"aiecon/model/stats"
)

// Interval is a sample mean and its two-sided Student-t confidence interval.
type Interval struct {
	N         int     // defined values (NaN values, e.g. a latency with no completed request, are left out)
	Mean      float64 // NaN when N = 0
	SD        float64 // sample standard deviation (n-1); NaN when N < 2
	HalfWidth float64 // t(1-(1-level)/2, N-1) x SD / sqrt(N); NaN when N < 2
	// Bootstrap is set for a pooled percentile (PooledPercentileCI): its
	// interval is [Lo, Hi], which need not be symmetric about Mean, and
	// HalfWidth is half its width.
	Bootstrap bool
	// Bounded is set for a proportion's interval (ProportionCI), which is
	// not symmetric about Mean either: its ends are Lo and Hi, and
	// HalfWidth is half its width.
	Bounded bool
	// Clamped is set for a t interval whose ends fell past its KPI's
	// natural bounds (kpi.Bounds: a busy time to 1.03, a latency from
	// -0.2s): its ends are Lo and Hi, cut at the bounds, and HalfWidth is
	// the t interval's. Cutting off values the KPI cannot take drops no
	// coverage, so the interval is still at least as likely to hold the
	// mean (ClampTo).
	Clamped bool
	Lo, Hi  float64
}

// ownEnds says whether the interval's ends are Lo and Hi rather than
// Mean ± HalfWidth.
func (iv Interval) ownEnds() bool { return iv.Bootstrap || iv.Bounded || iv.Clamped }

// Low is the interval's lower end: Lo where the interval has its own ends
// (a bootstrap, proportion or clamped interval), else Mean - HalfWidth.
func (iv Interval) Low() float64 {
	if iv.ownEnds() {
		return iv.Lo
	}
	return iv.Mean - iv.HalfWidth
}

// High is the interval's upper end: Hi where the interval has its own
// ends, else Mean + HalfWidth.
func (iv Interval) High() float64 {
	if iv.ownEnds() {
		return iv.Hi
	}
	return iv.Mean + iv.HalfWidth
}

// ClampTo cuts a t interval's ends at the bounds [lo, hi] of the values
// its KPI can take (kpi.Bounds). The true mean lies within them, so every
// interval that held it still does once cut: coverage is unchanged and the
// interval stays conservative. An interval with ends of its own (a
// proportion's, a bootstrap's: already inside), none (one run), or a mean
// outside the bounds (a store of another definition) is left as it is.
func (iv Interval) ClampTo(lo, hi float64) Interval {
	if iv.ownEnds() || math.IsNaN(iv.HalfWidth) || !(iv.Mean >= lo && iv.Mean <= hi) {
		return iv
	}
	l, h := iv.Mean-iv.HalfWidth, iv.Mean+iv.HalfWidth
	if l >= lo && h <= hi {
		return iv
	}
	iv.Clamped, iv.Lo, iv.Hi = true, max(l, lo), min(h, hi)
	return iv
}

// ConfidenceLevel is the level of the intervals summaries report.
const ConfidenceLevel = 0.95

// roundingSpread is the standard deviation, relative to the mean, at or
// below which values differ by floating-point rounding alone: a float64
// carries about 16 significant digits, and a KPI recomputed through a few
// operations keeps 12 of them.
const roundingSpread = 1e-12

// MeanCI returns the mean of xs and its confidence interval at level
// (e.g. 0.95) with N-1 degrees of freedom.
func MeanCI(xs []float64, level float64) Interval {
	v := defined(xs)
	iv := Interval{N: len(v), Mean: math.NaN(), SD: math.NaN(), HalfWidth: math.NaN()}
	if iv.N == 0 {
		return iv
	}
	iv.Mean = stat.Mean(v, nil)
	if iv.N < 2 {
		return iv
	}
	iv.SD = stat.StdDev(v, nil)
	if iv.SD <= roundingSpread*math.Abs(iv.Mean) {
		// Values that differ in their last bits only (a cost per hour
		// recomputed from a cost over each run's own simulated time)
		// printed 55.04 ± 4.514e-14 where a constant prints ± 0.
		iv.SD = 0
	}
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(iv.N - 1)}.Quantile(1 - (1-level)/2)
	iv.HalfWidth = t * iv.SD / math.Sqrt(float64(iv.N))
	return iv
}

// Spread describes a sample's distribution (a Monte Carlo KPI).
type Spread struct {
	N                      int
	Mean, SD               float64
	Min, P5, P50, P95, Max float64
}

// Describe returns the spread of the defined values of xs. Percentiles are
// linearly interpolated between order statistics as numpy's percentile and
// R's default (type 7) do, as the forecast's and DuckDB's quantile_cont do:
// with x(0) <= ... <= x(n-1) and h = p(n-1), the p-quantile is
// x(floor h) + (h - floor h)(x(floor h + 1) - x(floor h)), so the P50 of an
// even count is the mean of the middle two.
func Describe(xs []float64) Spread {
	v := defined(xs)
	nan := math.NaN()
	s := Spread{N: len(v), Mean: nan, SD: nan, Min: nan, P5: nan, P50: nan, P95: nan, Max: nan}
	if s.N == 0 {
		return s
	}
	slices.Sort(v)
	s.Mean = stat.Mean(v, nil)
	if s.N > 1 {
		s.SD = stat.StdDev(v, nil)
	}
	s.Min, s.Max = v[0], v[len(v)-1]
	s.P5, s.P50, s.P95 = Quantile(v, 0.05), Quantile(v, 0.5), Quantile(v, 0.95)
	return s
}

// Quantile is the q-quantile of sorted (ascending, no NaN), interpolated
// as Describe says (stats.Quantile, which the simulator's percentiles use
// too); NaN for an empty slice.
func Quantile(sorted []float64, q float64) float64 { return stats.Quantile(sorted, q) }

// Probability is the share of defined values for which holds is true, and
// the count it is taken over.
func Probability(xs []float64, holds func(float64) bool) (p float64, n int) {
	v := defined(xs)
	if len(v) == 0 {
		return math.NaN(), 0
	}
	k := 0
	for _, x := range v {
		if holds(x) {
			k++
		}
	}
	return float64(k) / float64(len(v)), len(v)
}

func defined(xs []float64) []float64 {
	out := make([]float64, 0, len(xs))
	for _, x := range xs {
		if !math.IsNaN(x) {
			out = append(out, x)
		}
	}
	return out
}
