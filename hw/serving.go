package hw

// Serving holds the per-family serving constants that the roofline alone does
// not capture. They are fitted to published serving measurements (see
// FitServing and docs/calibration.md) and may be overridden in a scenario.
type Serving struct {
	Family string `json:"family"` // "neuron" or "gpu"
	// OverheadS is the fixed cost of one scheduler iteration (kernel launches,
	// host-device synchronisation, sampling), in seconds.
	OverheadS float64 `json:"overhead_s"`
	// BWFrac is the achieved fraction of peak HBM bandwidth on memory-bound work.
	BWFrac float64 `json:"bw_frac"`
	// Source says where the values come from (a fit and its inputs, or an estimate).
	Source string `json:"source"`
}
