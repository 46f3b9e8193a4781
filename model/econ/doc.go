// Package econ holds the economics formulas of aiecon as pure functions:
// token pricing, generalized second-price ad auctions, click-through and
// latency penalties, training cost and duration, model freshness, and content
// licensing. The simulator draws the random parts and calls these; the
// forecast adds the multi-period ones: ownership.go (depreciation, power and
// the internal cost of an owned server-hour), demand.go (growth and constant
// price elasticity) and contract.go (flat and minimum-guarantee licensing).
package econ
