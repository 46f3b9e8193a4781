// Package hw is the hardware side of aiecon: a catalog of accelerators and
// instances in which every number carries its source and label (official,
// third-party or estimate), and a performance model that prices an llm.Op on
// a device as a roofline (compute and memory bounds) times an efficiency that
// package kernels calibrates with real batched matmul runs, plus tile
// quantization, collectives and fixed per-iteration overheads.
package hw
