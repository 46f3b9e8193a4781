package econ

import "math"

// ExpectedCommerceTakeUSD is what a marketplace expects to earn from one
// shopping session or ad click: conversion x orderValueUSD x takeRate.
func ExpectedCommerceTakeUSD(conversion, orderValueUSD, takeRate float64) float64 {
	return conversion * orderValueUSD * takeRate
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
