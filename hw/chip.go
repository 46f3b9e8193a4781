package hw

import (
	"fmt"
	"slices"

	"aiecon/model/llm"
)

// Families of accelerators; serving constants are kept per family.
const (
	FamilyNeuron = "neuron"
	FamilyGPU    = "gpu"
)

// familyScheduler is the serving scheduler an instance of each family runs
// unless the scenario names another (names from package sim's registry):
// Neuron instances serve through the vLLM-Neuron plugin, whose scheduler
// prefills one request per iteration into compiled shape buckets
// (vllm-neuron repository, docs/design/vllm/neuron-scheduler.md); GPUs run
// vLLM's own continuous batching with chunked prefill.
var familyScheduler = map[string]string{FamilyNeuron: "neuron", FamilyGPU: "vllm"}

// DefaultScheduler returns the scheduler an accelerator family serves with
// by default.
func DefaultScheduler(family string) (string, error) {
	if s, ok := familyScheduler[family]; ok {
		return s, nil
	}
	return "", fmt.Errorf("unknown accelerator family %q (known: %s, %s)", family, FamilyNeuron, FamilyGPU)
}

// Chip is one accelerator package as its vendor sells it, with every number sourced.
type Chip struct {
	Name   string `json:"name"`
	Family string `json:"family"` // FamilyNeuron or FamilyGPU
	// CoreKind names what Cores counts: a NeuronCore generation or "SM".
	CoreKind string `json:"core_kind"`
	Cores    Fact   `json:"cores"`
	// DevicesPerChip is the unit a replica's TP degree counts: logical
	// NeuronCores (trn2 with LNC=2: 4 per chip) or 1 for a GPU.
	DevicesPerChip Fact `json:"devices_per_chip"`
	// Peak is the dense peak per dtype for the whole chip.
	Peak Peaks `json:"peak"`
	HBM  Fact  `json:"hbm"`
	// HBMBandwidth is the peak device-memory bandwidth of the whole chip.
	HBMBandwidth Fact `json:"hbm_bandwidth"`
	SRAM         Fact `json:"sram"`
	// Link is the chip-to-chip bandwidth as the source states it.
	Link Fact `json:"link"`
	// CollectiveBandwidth is the per-chip, per-direction bandwidth a ring
	// collective inside one instance sees; derived from Link (or PCIe) and
	// labelled accordingly.
	CollectiveBandwidth Fact `json:"collective_bandwidth"`
	TDP                 Fact `json:"tdp"`
	// TP lists the tensor-parallel degrees (in devices) the software supports.
	TP   TPDegrees `json:"tp"`
	Tile Tile      `json:"tile"`
}

// Peaks holds a dense peak per dtype; FP16 is listed separately from BF16
// because a source may give only one of them.
type Peaks struct {
	FP32 Fact `json:"fp32"`
	BF16 Fact `json:"bf16"`
	FP16 Fact `json:"fp16"`
	FP8  Fact `json:"fp8"`
	INT8 Fact `json:"int8"`
}

// For returns the peak for dt (an unknown Fact for an invalid dtype).
func (p Peaks) For(dt llm.DType) Fact {
	switch dt {
	case llm.FP32:
		return p.FP32
	case llm.BF16:
		return p.BF16
	case llm.FP16:
		return p.FP16
	case llm.FP8:
		return p.FP8
	case llm.INT8:
		return p.INT8
	}
	return Fact{}
}

// TPDegrees are the supported tensor-parallel degrees, in devices.
type TPDegrees struct {
	Degrees []int `json:"degrees"`
	Ref
}

// Tile is the granularity the compute engine works in: each GEMM dimension is
// padded up to a multiple of it. Waves adds GPU wave quantization: output tiles
// are scheduled on Cores SMs in whole waves.
type Tile struct {
	M     int  `json:"m"`
	N     int  `json:"n"`
	K     int  `json:"k"`
	Waves bool `json:"waves"`
	Ref
}

// Devices returns DevicesPerChip as an integer.
func (c *Chip) Devices() int { return int(c.DevicesPerChip.Value) }

// SupportsTP reports whether tp is one of the chip's supported degrees.
func (c *Chip) SupportsTP(tp int) bool { return slices.Contains(c.TP.Degrees, tp) }

// Facts lists every fact of the chip in a fixed order, for display.
func (c *Chip) Facts() []NamedFact {
	return []NamedFact{
		{"cores", c.Cores},
		{"devices_per_chip", c.DevicesPerChip},
		{"peak_fp32", c.Peak.FP32},
		{"peak_bf16", c.Peak.BF16},
		{"peak_fp16", c.Peak.FP16},
		{"peak_fp8", c.Peak.FP8},
		{"peak_int8", c.Peak.INT8},
		{"hbm", c.HBM},
		{"hbm_bandwidth", c.HBMBandwidth},
		{"sram", c.SRAM},
		{"link", c.Link},
		{"collective_bandwidth", c.CollectiveBandwidth},
		{"tdp", c.TDP},
	}
}

func (c *Chip) clone() *Chip {
	cp := *c
	cp.TP.Degrees = slices.Clone(c.TP.Degrees)
	return &cp
}
