package stats

import "math"

// Quantile is the q-quantile of sorted (ascending, no NaN), interpolated
// between order statistics as numpy's percentile, R's default (type 7) and
// DuckDB's quantile_cont do; NaN for an empty slice.
func Quantile(sorted []float64, q float64) float64 {
	return QuantileAt(len(sorted), q, func(i int) float64 { return sorted[i] })
}

// QuantileAt is Quantile of n sorted values that at gives by index (0 the
// least), for a caller that can find the two order statistics it reads
// without sorting all n: the same arithmetic, so the same figure.
func QuantileAt(n int, q float64, at func(i int) float64) float64 {
	if n == 0 {
		return math.NaN()
	}
	h := q * float64(n-1)
	i := int(h)
	if i+1 >= n {
		return at(n - 1)
	}
	lo := at(i)
	return lo + (h-float64(i))*(at(i+1)-lo)
}

// EffectiveEvents is how many independent events of equal value a sum of
// amounts is worth, (sum x)^2 / sum x^2, given the sum and the sum of
// squares: a compound Poisson sum's relative standard error is
// sqrt(sum x^2) / sum x = 1/sqrt(n). Zero when nothing was summed.
func EffectiveEvents(sum, sumSq float64) float64 {
	if !(sumSq > 0) {
		return 0
	}
	return sum * sum / sumSq
}
