// Package model holds what a scenario says: the scenario schema, its strict
// YAML decoding and validation (errors name file, line and field), the
// embedded built-in scenarios, and the units (durations, rates, money) they use.
//
// Sub-packages hold the arithmetic a scenario needs: llm (architectures and the
// operations one scheduler iteration runs) and econ (prices, auctions,
// conversion, training and licensing formulas). Nothing here knows about the
// simulator, the database or the screen.
//
// Files:
//
//	scenario.go           the schema: Scenario, Fleet, Workload, Agent, Ads, Training, ...
//	pools.go              model mix: Pool, Routing, ServingPools; each pool resolved as a fleet
//	routing.go            validation of the model routing against pools and workloads
//	dist.go               Dist: distributions in YAML, and their expected values
//	dist_words.go         Dist.Words: a distribution in a few words, for assumption lines
//	units.go              Duration, Rate: values with units
//	yamlread.go           ParseYAML: the one YAML reader (BOM, text, depth and alias bounds)
//	load.go               Parse and Load: strict decoding, located FieldErrors
//	yamlnum.go            DecodeStrict: whole numbers and tags checked before go-yaml decodes
//	yamltag.go            misplaced YAML tags (one where a list belongs crashed go-yaml)
//	zeros.go              explicit zeros refused where zero means the default; walkFields
//	defaults.go           constructors holding the defaults whose zero is meaningful
//	resolve.go            Resolve: lookups, then the defaults pass, then validation (fleet, replica)
//	resolve_defaults.go   the defaults pass
//	resolve_workloads.go  validation of workloads, agents, ads, training and distributions
//	resolve_training.go   the training job's memory: it must fit the lendable replicas or the cluster
//	domain.go             finite and bounded numbers, distribution shape bounds
//	names.go              names: visible characters only, bounded length
//	override.go           --set: paths, values, ApplyOverrides
//	paths.go              Paths and KnownKeys: the schema's dotted paths
//	builtin.go            the embedded built-in scenarios
//	models_file.go        ReadModels: a models file, architectures the catalog lacks
package model
