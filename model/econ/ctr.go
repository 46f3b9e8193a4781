package econ

import "math"

// Ad defaults from public Amazon Sponsored Products benchmarks
// (third-party figures, so scenarios may override them; docs/hardware.md).
const (
	// DefaultCPCUSD is the median Sponsored Products cost per click, ≈ $0.98
	// [3P: atom11.co benchmarks 2024/25; site only, no page URL found].
	DefaultCPCUSD = 0.98
	// DefaultCTR is the seed click-through rate of a sponsored impression, 0.4%,
	// inside the 0.3-0.7% category range
	// [3P: edata4you.com; onlyeguide.com; sites only, no page URL found].
	DefaultCTR = 0.004
	// DefaultAdConversion is the fraction of ad clicks that buy, ≈ 10%
	// [3P: onlyeguide.com; sponsoredprofit.com; sites only, no page URL found].
	DefaultAdConversion = 0.10
)

// CTR is the click-through probability of an ad in slot `position`
// (0 = top) shown next to an agent answer:
//
//	base x positionDecay^position x relevance x latencyMult x freshness
//
// clamped to [0, 1]. base is the top-slot rate of a relevant ad (e.g.
// DefaultCTR), positionDecay in (0, 1] the ratio between consecutive slots,
// relevance the ad's match to the intent, latencyMult a LatencyPenalty and
// freshness a Freshness multiplier.
func CTR(base float64, position int, positionDecay, relevance, latencyMult, freshness float64) float64 {
	p := base * math.Pow(positionDecay, float64(position)) * relevance * latencyMult * freshness
	return min(max(p, 0), 1)
}

// PenaltyShape selects how engagement falls once latency passes its threshold.
type PenaltyShape uint8

const (
	// PenaltyLinear loses lossPer100ms of the full value for every 100 ms over
	// the threshold: 1 - lossPer100ms x (latency - threshold) / 0.1 s.
	PenaltyLinear PenaltyShape = iota
	// PenaltyExponential loses lossPer100ms of what remains for every 100 ms:
	// (1 - lossPer100ms)^((latency - threshold) / 0.1 s). It matches the linear
	// curve over the first 100 ms and falls more slowly after.
	PenaltyExponential
)

// Latency-penalty defaults.
const (
	// DefaultLatencyThresholdS is the latency up to which users do not react,
	// 300 ms: the latency SLA Amazon states for Rufus (AWS ML blog "How Rufus
	// doubled their inference speed", 2025) [OFF blog via 3P reposts].
	DefaultLatencyThresholdS = 0.3
	// DefaultLatencyLossPer100ms is 1% of engagement lost per extra 100 ms: the
	// widely repeated Amazon finding that 100 ms of latency cost 1% of sales
	// (Greg Linden, 2006) [3P, folklore, unverified].
	DefaultLatencyLossPer100ms = 0.01
)

// Penalty is the engagement multiplier at latencyS: 1 up to thresholdS, then
// falling by lossPer100ms per 100 ms as the shape says, never below floor
// (the value users keep however slow the answer is; floor in [0, 1]).
func (s PenaltyShape) Penalty(latencyS, thresholdS, lossPer100ms, floor float64) float64 {
	if latencyS <= thresholdS {
		return 1
	}
	steps := (latencyS - thresholdS) / 0.1
	var m float64
	if s == PenaltyExponential {
		m = math.Pow(max(1-lossPer100ms, 0), steps)
	} else {
		m = 1 - lossPer100ms*steps
	}
	return min(max(m, floor), 1)
}

// LatencyPenalty is the linear curve: PenaltyLinear.Penalty.
func LatencyPenalty(latencyS, thresholdS, lossPer100ms, floor float64) float64 {
	return PenaltyLinear.Penalty(latencyS, thresholdS, lossPer100ms, floor)
}
