// Package study runs many scenarios at once to answer "what if" across a
// space: parameter sweeps (lists, ranges, zipped lists, cartesian grids),
// replications with common random numbers, Monte Carlo studies whose
// parameters are drawn from distributions, and the fleet optimizer that
// searches instance type x TP degree x batch limit x count for the cheapest
// (or most profitable) fleet that meets a scenario's SLOs.
//
// A sweep file (spec.go) is parsed strictly, with errors located by line and
// column. It is frozen (freeze.go) into a self-contained specification, the
// base scenario inlined, that is stored with the sweep: every point of a
// sweep, whether run now, resumed later or run as a shard on another
// machine, is derived from those frozen bytes alone, so its identity (index,
// parameters, seed) is the same everywhere. Expansion (plan.go) validates
// every point's scenario before anything runs.
//
// Execution (execute.go) runs the (point, replication) pairs not yet
// complete in the store on a pool of workers through runner.Run; a shard
// takes the points p with p mod n == i. Summaries (summary.go, stats.go)
// read the stored KPIs back: mean and Student-t 95% confidence interval per
// point across replications, or, for Monte Carlo, percentiles and
// threshold probabilities across samples. The optimizer is optimize.go
// (candidates and pruning) and search.go (bisection on instance count).
package study
