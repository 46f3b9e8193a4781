package stats

import "math"

// Quantile is the q-quantile of sorted (ascending, no NaN), interpolated
// between order statistics as numpy's percentile, R's default (type 7) and
// DuckDB's quantile_cont do; NaN for an empty slice.
func Quantile(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return math.NaN()
	}
	h := q * float64(len(sorted)-1)
	i := int(h)
	if i+1 >= len(sorted) {
		return sorted[len(sorted)-1]
	}
	return sorted[i] + (h-float64(i))*(sorted[i+1]-sorted[i])
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
