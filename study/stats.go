package study

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Interval is a sample mean and its two-sided Student-t confidence interval.
type Interval struct {
	N         int     // defined values (NaN values, e.g. a latency with no completed request, are left out)
	Mean      float64 // NaN when N = 0
	SD        float64 // sample standard deviation (n-1); NaN when N < 2
	HalfWidth float64 // t(1-(1-level)/2, N-1) x SD / sqrt(N); NaN when N < 2
}

// Low and High are the interval's ends.
func (iv Interval) Low() float64  { return iv.Mean - iv.HalfWidth }
func (iv Interval) High() float64 { return iv.Mean + iv.HalfWidth }

// ConfidenceLevel is the level of the intervals summaries report.
const ConfidenceLevel = 0.95

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
// linearly interpolated between order statistics (gonum's stat.LinInterp):
// with x(1) <= ... <= x(n) and k = ceil(np), the p-quantile is
// x(k-1) + (np-k+1)(x(k) - x(k-1)), and x(1) when k <= 1.
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
	s.P5 = stat.Quantile(0.05, stat.LinInterp, v, nil)
	s.P50 = stat.Quantile(0.5, stat.LinInterp, v, nil)
	s.P95 = stat.Quantile(0.95, stat.LinInterp, v, nil)
	return s
}

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
