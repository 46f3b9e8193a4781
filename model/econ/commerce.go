package econ

import "math"

// CommerceTakeUSD is what one converted order earns the marketplace:
// orderValueUSD x takeRate x incrementalFrac, the share of orders the
// assistant caused (1: every order is credited). A session's expected
// take is its conversion probability times this (the simulator multiplies,
// having drawn the latency and freshness that move the probability).
func CommerceTakeUSD(orderValueUSD, takeRate, incrementalFrac float64) float64 {
	return orderValueUSD * takeRate * incrementalFrac
}

// Freshness is the quality multiplier of a model daysSinceRetrain days after
// its last training run: exponential decay with half-life halfLifeDays
// towards floor (the quality a stale model keeps),
//
//	floor + (1 - floor) x 2^(-days / halfLifeDays)
//
// It is 1 right after retraining and halfway to the floor after one
// half-life. A halfLifeDays <= 0 disables decay (always 1); negative days
// count as 0.
func Freshness(daysSinceRetrain, halfLifeDays, floor float64) float64 {
	if halfLifeDays <= 0 || daysSinceRetrain <= 0 {
		return 1
	}
	return floor + (1-floor)*math.Exp2(-daysSinceRetrain/halfLifeDays)
}
