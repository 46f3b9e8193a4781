// Package runner is the one path from a scenario argument to a stored run:
// read a built-in or a file, apply --set overrides, resolve and validate,
// pick the calibration profile, simulate, and stream the records into the
// DuckDB store. The CLI's run and sweep commands and the dashboard's launch
// screen all use it, so a run means the same thing everywhere.
//
// Files:
//
//	load.go      Load, LoadSource, LoadVariants: a scenario argument to a Loaded scenario
//	traces.go    the traces a scenario names, read at load (errors name the field)
//	estimate.go  EstimateRun and the budget: a run's size before it runs
//	run.go       Run: simulate into the store (a simulator panic fails that run only)
//	validate.go  Validate: published serving points against the simulator
package runner
