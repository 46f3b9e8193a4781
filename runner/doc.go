// Package runner is the one path from a scenario argument to a stored run:
// read a built-in or a file, apply --set overrides, resolve and validate,
// pick the calibration profile, simulate, and stream the records into the
// DuckDB store. The CLI's run and sweep commands and the dashboard's launch
// screen all use it, so a run means the same thing everywhere.
//
// The map of the package:
//
//	load.go        reading a scenario, --set, variants (LoadVariants)
//	overrides.go   the overrides a run applied: stored as params_json, named,
//	               and refused where they would erase a variant's difference
//	traces.go      the traces a scenario names, read at load (errors name the field)
//	steptimes.go   where a run's step-time constants come from and where its
//	               models lie outside the fitted measurements (StepTimesSource,
//	               StoredStepTimesSource for a stored run; MainFleetGaps for
//	               a search's layouts)
//	steptimes_warn.go  the warnings on them that run prints and a forecast
//	               repeats per variant (StepTimesCoverageWarning,
//	               StepTimesExtrapolatedWarning)
//	heads.go       Trainium replicas whose attention heads the TP degree does
//	               not divide: priced padded, noted (HeadsNotes)
//	lengths.go     how far a fleet's prompts and contexts reach: what a run
//	               served, or a bound from the scenario before one
//	estimate.go    EstimateRun and the budget: a run's size before it runs
//	run.go         calibration, simulation and storing one run (a simulator
//	               panic fails that run only); Run is Simulate then Finish,
//	               which a sweep worker keeps apart to overlap them
//	validate.go    predictions against published serving points
//	validate_closed.go  a closed loop's simulated decoding batch; the rows
//	               whose measurement was a transient (Little's law)
//	validate_open.go  open loops (requests at a rate), the statistic a row
//	               names, and the scenario that reproduces a row
package runner
