package hw

import "aiecon/model/llm"

// Device is one tensor-parallel device (a logical NeuronCore or a GPU): the
// chip's numbers divided by DevicesPerChip, in SI units.
type Device struct {
	Chip   string
	Family string
	// PeakFLOPS is the dense peak per dtype (index: FP32, BF16, FP16, FP8,
	// INT8, INT4). A dtype the chip's sources do not give falls back as
	// documented at DeviceOf; 0 means the device cannot run it (INT4, a
	// weight format that no GEMM computes in).
	PeakFLOPS [llm.NumDTypes]float64
	// HBMBytes and HBMBytesPerS are the device's share of the chip's memory
	// and peak memory bandwidth.
	HBMBytes     float64
	HBMBytesPerS float64
	// LinkBytesPerS is the device's share of the chip's per-direction
	// collective bandwidth.
	LinkBytesPerS float64
	// Tile is the compute granularity; SMs is the wave size for GPUs (0 otherwise).
	Tile Tile
	SMs  int
}

// DeviceOf divides a chip into its TP devices.
//
// Peaks the sources do not give are filled so that an op in any dtype can be
// priced where the hardware can run it: FP16 runs at the BF16 rate (and vice
// versa); FP8 and INT8 without a stated peak run at the BF16 rate, which is
// what dequantise-then-multiply does on an engine with no native path. FP32
// without a stated peak is left at 0 (GPU FP32 outside the tensor cores is an
// order of magnitude slower and no source here gives it): OpSeconds returns
// +Inf for it, and Supports reports false.
func DeviceOf(c *Chip) Device {
	n := float64(c.Devices())
	d := Device{
		Chip:          c.Name,
		Family:        c.Family,
		HBMBytes:      c.HBM.SI() / n,
		HBMBytesPerS:  c.HBMBandwidth.SI() / n,
		LinkBytesPerS: c.CollectiveBandwidth.SI() / n,
		Tile:          c.Tile,
	}
	if c.Tile.Waves {
		d.SMs = int(c.Cores.Value) / c.Devices()
	}
	for _, dt := range llm.DTypes {
		d.PeakFLOPS[dt.Index()] = c.Peak.For(dt).SI() / n
	}
	bf16, fp16 := &d.PeakFLOPS[llm.BF16.Index()], &d.PeakFLOPS[llm.FP16.Index()]
	if *bf16 == 0 {
		*bf16 = *fp16
	}
	if *fp16 == 0 {
		*fp16 = *bf16
	}
	for _, dt := range []llm.DType{llm.FP8, llm.INT8} {
		if p := &d.PeakFLOPS[dt.Index()]; *p == 0 {
			*p = *bf16
		}
	}
	return d
}

// Peak returns the device's dense peak for dt in FLOP/s (0 if it cannot run dt).
func (d *Device) Peak(dt llm.DType) float64 {
	i := dt.Index()
	if i < 0 {
		return 0
	}
	return d.PeakFLOPS[i]
}

// Supports reports whether the device has a peak for dt.
func (d *Device) Supports(dt llm.DType) bool { return d.Peak(dt) > 0 }

// paddedVolume returns the work batch x m x n x k occupies once padded to the
// device's tiles, and the shape the efficiency is looked up at.
//
// Neuron: each dimension rounds up to its tile multiple (the 128 x 128 PE array),
// and the efficiency is looked up at the padded shape.
// GPU: the output is cut into Tile.M x Tile.N tiles (per batch entry) with K
// rounded up to Tile.K; the tiles run in whole waves of SMs. When there are
// fewer tiles than SMs, K is split across the idle SMs (split-K, as cuBLAS does
// for skinny GEMMs) as far as K has Tile.K steps to split, and the wave
// quantization applies to the split tiles. The volume charged is then whole
// waves, the idle SMs included, and the efficiency is looked up at the shape
// of that charge: the padded shape with N widened until it fills the waves.
// Looked up at the padded shape itself, a GEMM too small to fill a wave paid
// for its idle SMs twice, once in the wave and again in the low efficiency
// the calibration gives a shape too small to spread over the host's cores;
// and as that efficiency rose with N inside one wave, more work cost less (a
// decode step over a longer context was faster).
func (d *Device) paddedVolume(batch, m, n, k int) (vol float64, pm, pn, pk int) {
	if batch <= 0 || m <= 0 || n <= 0 || k <= 0 {
		return 0, m, n, k
	}
	t := d.Tile
	pm, pn, pk = roundUp(m, t.M), roundUp(n, t.N), roundUp(k, t.K)
	if !t.Waves || d.SMs <= 0 {
		return float64(batch) * float64(pm) * float64(pn) * float64(pk), pm, pn, pk
	}
	tiles := batch * (pm / t.M) * (pn / t.N)
	split := 1
	if tiles < d.SMs {
		split = min(d.SMs/tiles, pk/t.K)
	}
	work := tiles * split
	waves := (work + d.SMs - 1) / d.SMs
	// Each split tile covers pk/split of K (rounded up to whole K steps).
	kPerSplit := roundUp((pk+split-1)/split, t.K)
	charged := int64(waves) * int64(d.SMs) * int64(t.M) * int64(t.N) * int64(kPerSplit)
	// charged >= batch x pm x pn x pk (split x kPerSplit >= pk, whole
	// waves >= tiles), so the lookup N is never below pn.
	across := int64(batch) * int64(pm) * int64(pk)
	return float64(charged), pm, int((charged + across - 1) / across), pk
}

func roundUp(x, m int) int {
	if m <= 1 {
		return x
	}
	return (x + m - 1) / m * m
}
