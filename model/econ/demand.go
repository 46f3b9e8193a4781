package econ

import "math"

// ElasticVolume is the demand multiplier of a price change under constant
// price elasticity e: (p/p0)^e. e = 0 is inelastic (volume unchanged); e =
// -1.11 is the short-run elasticity measured across providers of one model
// on OpenRouter (NBER working paper "The Emerging Market for Intelligence",
// 2025). priceRatio must be > 0.
func ElasticVolume(priceRatio, elasticity float64) float64 {
	return math.Pow(priceRatio, elasticity)
}

// CompoundGrowth is the volume multiplier after `periods` periods of growth
// at rate per period: (1+rate)^periods.
func CompoundGrowth(rate float64, periods int) float64 {
	return math.Pow(1+rate, float64(periods))
}
