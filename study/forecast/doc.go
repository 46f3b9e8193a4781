// Package forecast is `aiecon forecast`: a strategy over months or quarters
// built on the request-level simulator. A forecast file names a base
// scenario, periods, how each workload's demand and price move (growth,
// constant price elasticity), a roadmap of scenario changes, licensing
// contracts, and fleet variants that are owned (servers bought with a lead
// time, depreciated, powered and housed) or rented. Every period is
// simulated as representative days, each a few slices spread over the
// diurnal curve, through runner like any run, and scaled to the period;
// Monte Carlo samples of the uncertain inputs give P10/P50/P90 bands. It
// never reaches into the simulator: everything comes from --set overrides,
// the run's KPIs and its session records.
//
// Files:
//   - spec.go: the forecast file's schema (docs/forecast.md documents it)
//   - parse.go: strict decoding with line and column in every error
//   - resolve.go: Load, Parse, the base scenario, calendar and workload checks
//   - variants.go: owned and rented procurement, contract and Monte Carlo checks
//   - ownership.go: owned-server defaults with their public sources
//   - draw.go: uncertain inputs and the samples drawn from them
//   - plan.go: the jobs (one run per variant, sample, period, day and slice) and their overrides
//   - execute.go: running the jobs in parallel; the licensing sink
//   - aggregate.go: scaling runs to periods, owned costs, flat fees
//   - trueup.go: minimum guarantees trued up per contract year or period, the TRUE-UP line
//   - summary.go: the metrics and their P10/P50/P90 bands
//   - report.go: the text and JSON report, fleet economics
//   - burst.go: an owned fleet's burst that no slice can bring up, or brings up late
//   - report_rounding.go: a rented fleet's whole instances against its demand
//   - store.go: saving to DuckDB; --samples and --periods
//   - builtin.go, builtin/: the embedded forecasts (trainium-amortization)
package forecast
