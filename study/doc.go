// Package study runs many scenarios at once to answer "what if" across a
// space: parameter sweeps (lists, ranges, zipped lists, cartesian grids),
// replications with common random numbers and Monte Carlo studies whose
// parameters are drawn from distributions. It is the shared machinery of
// every study: a specification frozen into a plan, its execution on a pool
// of workers into the store, and summaries of the stored KPIs. Studies that
// search or project build on it in their own sub-packages: study/optimize
// (the fleet optimizer); a multi-period forecast belongs beside it, not in
// here. docs/sweeps.md is the user's reference, docs/scale-out.md the guide
// to shards.
//
// A sweep file is parsed strictly, every error located by line and column
// (spec.go; yamlnode.go reads the syntax tree, quantity.go the values and
// ranges with their units, montecarlo.go the distributions). It is frozen
// into a self-contained specification, the base scenario's text included,
// that is stored with the sweep (plan.go): every point of a sweep, whether
// run now, resumed later or run as a shard on another machine, is derived
// from those bytes alone, so its index, parameters and seeds are the same
// everywhere, and shards derive the same sweep id from them. Every point's
// scenario is validated before anything runs, and the first point is probed
// for the KPIs the sweep reports (probe.go).
//
// Execution (execute.go) runs the (point, replication) pairs of a shard that
// are not complete in the store on a pool of workers; each worker commits
// a run (runner.Simulated.Finish) while it simulates the next
// (runner.Simulate), so the simulator and DuckDB's commit overlap. A
// cancelled context stops it cleanly and a later Execute runs exactly the
// rest. Summaries (summary.go, stats.go, report.go) read the stored KPIs
// back: mean and Student-t confidence interval per point across
// replications, or, for Monte Carlo, percentiles and threshold
// probabilities across samples.
//
// A point's runs are named by what it varies (Plan.RunName, Point.Label:
// "optimize-baseline: trn2.48xlarge tp32 x3"), so run lists read without
// looking the point up.
package study
