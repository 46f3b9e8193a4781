// Package econ holds the economics formulas of aiecon as pure functions,
// so that each is written once and tested where it is written. Who calls
// what:
//
//   - The simulator (sim) draws the random parts and calls the rest: token
//     prices and bills (TokenPrices, PerTokenUSD, DiscountedUSD), the
//     generalized second-price ad auction and what its slots earn (GSP,
//     CTR, LatencyPenalty, ExpectedCPCRevenueUSD, CPMRevenueUSD),
//     model freshness (Freshness), training cost and duration
//     (TrainingFLOPs, LoRATrainingFLOPs, TrainingDurationS, HourlyCostUSD),
//     content licensing (LicensingFeeUSD, RevenueShareUSD) and its KPIs'
//     ratios (CostPerMTokUSD, GrossMarginFrac). It multiplies a session's
//     conversion probability by the take of an order itself.
//   - The scenario (package model) takes its defaults from here and an
//     order's commerce take from CommerceTakeUSD (model.Value.CommerceUSD).
//   - The multi-period forecast (study/forecast) adds ownership.go
//     (depreciation, power and the internal cost of an owned server-hour),
//     demand.go (growth and constant price elasticity) and contract.go
//     (flat and minimum-guarantee licensing, GuaranteeShortfallUSD), and
//     uses CostPerMTokUSD and GrossMarginFrac too.
//   - The CLI's run warnings read the published list prices
//     (LookupListPrice, ListPricesAt).
//
// Tests alone call ExpectedGSPRevenueUSD, the closed form of an auction's
// expected revenue that sim's tests check the simulated ad revenue against,
// and the PenaltyExponential curve, which no scenario field selects yet.
package econ
