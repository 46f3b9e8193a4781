package hw

// NeuronServing are the default serving constants of the Neuron family: the
// FitServing result on PublishedServingPoints with DefaultEfficiency, rounded
// to four significant digits (docs/calibration.md, "Serving constants").
// TestServingDefaultsUpToDate refits and fails when these drift by more than 2%.
//
// The fit puts OverheadS at its bound, 0: the two published points differ
// only in TP (24 on inf2, 32 on trn1, the same NeuronCore-v2), and their TPOT
// ratio (1.366) exceeds their per-device weight ratio (1.333), which leaves no
// room for any cost that does not shrink with TP. BWFrac then carries the
// whole gap between the roofline and the measurements, so it is the achieved
// bandwidth fraction at these small per-device shapes, not a hardware limit.
var NeuronServing = Serving{
	Family:    FamilyNeuron,
	OverheadS: 0,
	BWFrac:    0.1717,
	Label:     Estimate,
	Source: "FitServing to the 2 published Neuron serving points (llama-3-8b on inf2.48xlarge TP24 and trn1.32xlarge TP32, " +
		"NSDK throughput_data_decoder.csv, Neuron 2.18.1) with efficiency constant 0.7 (assumed, not calibrated); " +
		"RMS log error 0.095; overhead at its bound 0 (see docs/calibration.md)",
}

// GPUServing are the default serving constants of the GPU family: an
// estimate, not a fit, because the reference material holds no GPU serving
// measurement. Memory-bound decode kernels on HBM GPUs are commonly reported
// to reach 70-80% of peak bandwidth, and a CUDA-graph serving loop (vLLM-like)
// spends on the order of a millisecond per step outside the kernels; override
// both in a scenario when you have measurements.
var GPUServing = Serving{
	Family:    FamilyGPU,
	OverheadS: 1.5e-3,
	BWFrac:    0.75,
	Label:     Estimate,
	Source: "AIECON estimate, not fitted (no GPU serving points in the reference material): " +
		"75% of peak HBM bandwidth on memory-bound work, 1.5 ms per scheduler iteration",
}
