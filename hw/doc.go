// Package hw is the hardware side of aiecon: a catalog of accelerators and
// instances in which every number carries its source and label (official,
// third-party or estimate), and a performance model that prices an llm.Op on
// a device as a roofline (compute and memory bounds) times an efficiency that
// package kernels calibrates with real batched matmul runs, plus tile
// quantization, collectives and fixed per-iteration overheads.
//
// The map of the package:
//
//	fact.go, chip.go, instance.go      Fact (value, unit, source, label), Chip, Instance,
//	                                   the default scheduler per accelerator family
//	catalog*.go                        the catalog itself and its lookups
//	pricing.go                         cross-instance pricing facts (Savings Plans
//	                                   ceilings); Instance.Price picks a price by
//	                                   pricing model (docs/model.md, Prices)
//	device.go, perf.go, constant.go    Device, Perf (OpSeconds, IterationSeconds, Work), ConstantEfficiency
//	serving*.go                        Serving: the step-time constants of a family, their
//	                                   defaults and how far they cover a chip (CoverageOf)
//	coverage.go                        the TP degrees, model sizes, formats, lengths and
//	                                   batches a fit measured, and how far a replica lies
//	                                   outside them (Gaps; TransferGap, a chip carried over)
//	coverage_loops.go                  the published check of continuous batching
//	                                   (ContinuousBatchingCheck)
//	family*.go                         the step families (Neuron v2, v3, GPU, Ampere):
//	                                   resident formats, compiled shapes, fit plans
//	buckets.go                         Neuron shape buckets
//	points.go, predict.go              published serving points and their closed-form
//	                                   prediction (what the fit evaluates)
//	points_load.go                     the load a row names (static batch, closed or
//	                                   open loop) and the statistic it reports
//	points_limits.go                   bounds on a measurements file and its values;
//	                                   BoundedReader and HeaderIndex, shared with
//	                                   kernels' timing imports
//	fit.go, fitrow.go, crossval.go     the fit of the constants (points compiled to
//	                                   weighted terms) and cross-validation leaving
//	                                   out a model, TP degree or layer shape
//	                                   (docs/calibration.md)
//	profile.go                         Profile: a calibration (host GEMM fits, imported
//	                                   device timings, serving constants), the built-in one
//	profile_json.go                    a profile's JSON errors at their line and column
//	gemm_model.go                      GEMMModel: the host's time and efficiency per GEMM shape
//	imported.go                        ImportedCalibration: interpolation of device timings
//	profile_store.go                   saving and loading profiles in a directory the
//	                                   caller names (ProfileDir); nothing here reads the
//	                                   environment
package hw
