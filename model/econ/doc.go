// Package econ holds the economics formulas of aiecon as pure functions:
// token pricing, generalized second-price ad auctions, click-through and
// latency penalties, training cost and duration, model freshness, and content
// licensing. The simulator draws the random parts and calls these.
package econ
