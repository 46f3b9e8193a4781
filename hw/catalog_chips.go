package hw

// The chip catalog. Every number is transcribed from the public document its
// source key names (Sources, in fact.go; docs/hardware.md lists them all), in
// the unit stated there; the few those documents do not give are either
// unknown or an AIECON estimate that says so.

const (
	nsdkArch   = "about-neuron/arch/neuron-hardware/"
	nsdkInf2   = nsdkArch + "inferentia2.rst, " + nsdkArch + "inf2-arch.rst"
	nsdkTrn1   = nsdkArch + "trainium.rst, " + nsdkArch + "trainium2.rst (comparison table), " + nsdkArch + "trn1-arch.rst"
	nsdkTrn2   = nsdkArch + "trainium2.rst, " + nsdkArch + "neuron-core-v3.rst, " + nsdkArch + "trn2-arch.rst"
	nsdkTrn3   = nsdkArch + "trainium3.rst, " + nsdkArch + "neuron-core-v4.rst, " + nsdkArch + "trn3-arch.rst"
	nsdkTP     = "libraries/nxd-inference/developer_guides/feature-guide.rst"
	nsdkHBMper = "libraries/nxd-inference/developer_guides/feature-guide.rst: HBM per core"
	noPower    = "the Neuron docs consulted give no chip or instance power figure"
	neuronDir  = "the docs do not say whether the figure is per direction; aiecon takes it as the per-direction bandwidth of a ring"
)

// neuronTile is the NeuronCore tensor engine: a 128 x 128 systolic PE array,
// so the contraction (K) and the stationary free dimension (N) pad to 128.
// The moving dimension (M, the tokens) is not padded: the fit to the public
// measurements chose it (docs/calibration.md, "Neuron's moving dimension is not padded"): padding it to
// 128 made every decode GEMV compute-bound and decode 35-60% too slow.
var neuronTile = Tile{M: 1, N: 128, K: 128, Ref: Ref{Source: "AIECON", Label: Estimate,
	Note: "a 128 x 128 systolic tensor engine: N and K pad to 128; M (the moving rows) is not padded, as the fit to the published measurements chose (docs/calibration.md)"}}

// gpuTile is a 16 x 128 output tile per SM with a K step of 64, in whole
// waves over the SMs. The token dimension (M) pads to 16, the rows of the
// smallest tensor-core matrix multiply (mma.m16n8k16, PTX ISA), not to the
// 128 of a large-GEMM tile: padding it to 128 made every small-batch decode
// GEMM compute-bound, and the fit to the public measurements chose 16
// (docs/calibration.md, "GPU tiles"), as it chose no padding on Neuron.
var gpuTile = Tile{M: 16, N: 128, K: 64, Waves: true, Ref: Ref{Source: "AIECON", Label: Estimate,
	Note: "aiecon's model of tile and wave quantization: 16 x 128 output tiles with a K step of 64, in whole waves over the SMs; M (the tokens) pads to 16, the rows of the smallest tensor-core multiply, as the fit to the published measurements chose over 128 (docs/calibration.md)"}}

func neuronTP(degrees []int, detail string) TPDegrees {
	return TPDegrees{Degrees: degrees, Ref: Ref{Source: "NSDK", Detail: nsdkTP + ": " + detail, Label: Official,
		Note: "the number of attention heads must be divisible by TP"}}
}

// neuronV2TP is the TP list of a NeuronCore-v2 chip: NxD Inference's degrees
// and those transformers-neuronx runs beside them. transformers-neuronx, the
// stack of the Neuron SDK 2.18 measurements the neuron-v2 constants are
// fitted to, pads attention heads up to a multiple of the TP degree (the
// fitted TP24 rows serve models of 32, 40 and 64 heads, which 24 does not
// divide), so the note of the NxD list does not bind it; extra says why
// each added degree is there. The list is labelled an estimate as a whole,
// since the added degrees are not a vendor's list. Instance.TPDegrees still
// drops a degree above an instance's NeuronCores.
func neuronV2TP(degrees []int, nxd, extra string) TPDegrees {
	t := neuronTP(degrees, nxd+"; "+extra)
	t.Label = Estimate
	t.Note = "NxD Inference needs the attention heads divisible by TP; transformers-neuronx pads the heads to any degree; the degrees beyond NxD's list are estimates"
	return t
}

var gpuTP = TPDegrees{Degrees: []int{1, 2, 4, 8}, Ref: Ref{Source: "AIECON", Label: Estimate,
	Note: "powers of two up to the 8 GPUs of the largest instances, the degrees tensor-parallel serving stacks run"}}

var chipCatalog = []*Chip{
	{
		Name: "Inferentia2", Family: FamilyNeuron, StepFamily: StepNeuronV2, CoreKind: "NeuronCore-v2",
		Cores:          off(2, "count", "NSDK", nsdkInf2),
		DevicesPerChip: off(2, "count", "NSDK", nsdkHBMper).withNote("TP counts NeuronCores: 2 per chip, 16 GB of HBM each"),
		Peak: Peaks{
			FP32: off(47.5, "TFLOP/s", "NSDK", nsdkInf2),
			BF16: off(190, "TFLOP/s", "NSDK", nsdkInf2),
			FP16: off(190, "TFLOP/s", "NSDK", nsdkInf2).withNote("stated as TF32 / BF16 / FP16"),
			FP8:  off(190, "TFLOP/s", "NSDK", nsdkInf2).withNote("cFP8; the same 190 covers BF16"),
			INT8: off(380, "TOP/s", "NSDK", nsdkInf2),
		},
		HBM:          off(32, "GiB", "NSDK", nsdkInf2),
		HBMBandwidth: off(820, "GiB/s", "NSDK", nsdkInf2).withNote("≈0.88 TB/s"),
		SRAM: est(48, "MiB", "NSDK", nsdkInf2,
			"not stated; the same NC-v2 core as Trainium1, so probably 48 MiB"),
		Link:                off(192, "GiB/s", "NSDK", nsdkInf2).withNote("NeuronLink-v2, per chip, on inf2.24xlarge/48xlarge"),
		CollectiveBandwidth: est(192, "GiB/s", "NSDK", nsdkInf2, neuronDir),
		TDP:                 unknown("W", "NSDK", Official, noPower),
		TP: neuronV2TP([]int{1, 2, 4, 8, 12, 24}, "Inf2: 1/2/4/8/24",
			"12, every NeuronCore of an inf2.24xlarge (EST: transformers-neuronx pads the heads to its tp_degree, as the SDK 2.18 benchmark rows at TP24 serving 32-, 40- and 64-head models show; no published row at TP12 was at hand)"),
		Tile: neuronTile,
	},
	{
		Name: "Trainium1", Family: FamilyNeuron, StepFamily: StepNeuronV2, CoreKind: "NeuronCore-v2",
		Cores:          off(2, "count", "NSDK", nsdkTrn1),
		DevicesPerChip: off(2, "count", "NSDK", nsdkHBMper).withNote("TP counts NeuronCores (LNC=1): 2 per chip, 16 GB of HBM each"),
		Peak: Peaks{
			FP32: off(47.5, "TFLOP/s", "NSDK", nsdkTrn1).withNote("48 in the trainium2.rst comparison table"),
			BF16: off(190, "TFLOP/s", "NSDK", nsdkTrn1).withNote("191 in the comparison table"),
			FP16: off(190, "TFLOP/s", "NSDK", nsdkTrn1).withNote("stated as TF32 / BF16 / FP16"),
			FP8:  off(190, "TFLOP/s", "NSDK", nsdkTrn1).withNote("cFP8"),
			INT8: off(380, "TOP/s", "NSDK", nsdkTrn1),
		},
		HBM:                 off(32, "GiB", "NSDK", nsdkTrn1),
		HBMBandwidth:        off(820, "GiB/s", "NSDK", nsdkTrn1).withNote("0.8 TB/s in the comparison table"),
		SRAM:                off(48, "MiB", "NSDK", nsdkTrn1).withNote("SBUF"),
		Link:                off(384, "GB/s", "NSDK", nsdkTrn1).withNote("NeuronLink-v2 per chip; 2D torus of 16 chips"),
		CollectiveBandwidth: est(384, "GB/s", "NSDK", nsdkTrn1, neuronDir),
		TDP:                 unknown("W", "NSDK", Official, noPower),
		TP: neuronV2TP([]int{1, 2, 4, 8, 16, 32}, "Trn1: 1/2/8/16/32",
			"4 too, as transformers-neuronx pads the heads to any degree; 12 is not added, for want of a published trn1 example running it"),
		Tile: neuronTile,
	},
	{
		Name: "Trainium2", Family: FamilyNeuron, StepFamily: StepNeuronV3, CoreKind: "NeuronCore-v3",
		Cores: off(8, "count", "NSDK", nsdkTrn2),
		DevicesPerChip: off(4, "count", "NSDK", nsdkTrn2).
			withNote("LNC=2 by default: 4 logical cores of 2 physical cores each, 24 GB of HBM per logical core"),
		Peak: Peaks{
			FP32: off(181, "TFLOP/s", "NSDK", nsdkTrn2),
			BF16: off(667, "TFLOP/s", "NSDK", nsdkTrn2),
			FP16: off(667, "TFLOP/s", "NSDK", nsdkTrn2).withNote("stated as TF32 / BF16 / FP16; 2,563 sparse"),
			FP8:  off(1299, "TFLOP/s", "NSDK", nsdkTrn2),
			INT8: unknown("TOP/s", "NSDK", Official, "not stated"),
		},
		HBM:          off(96, "GiB", "NSDK", nsdkTrn2),
		HBMBandwidth: off(2.9, "TB/s", "NSDK", nsdkTrn2),
		SRAM:         off(224, "MiB", "NSDK", nsdkTrn2).withNote("SBUF, 28 MB per core"),
		Link: off(1.28, "TB/s", "NSDK", nsdkTrn2).
			withNote("NeuronLink-v3 per chip; inside trn2 1,024 GB/s/chip, between instances of an UltraServer 256 GB/s/chip; 4x4 2D torus"),
		CollectiveBandwidth: est(1024, "GB/s", "NSDK", nsdkTrn2, "the inside-one-trn2 figure; "+neuronDir),
		TDP: tp(500, "W", "EPOCH", "Trainium2 (SemiAnalysis Trn2 deep dive, 2024-12-03)").
			withNote("about 500 W per chip; the Neuron docs give no power figure"),
		TP:   neuronTP([]int{1, 2, 4, 8, 16, 32, 64}, "Trn2: 1/2/4/8/16/32/64 (LNC2)"),
		Tile: neuronTile,
	},
	{
		Name: "Trainium3", Family: FamilyNeuron, StepFamily: StepNeuronV3, CoreKind: "NeuronCore-v4",
		Cores: off(8, "count", "NSDK", nsdkTrn3),
		DevicesPerChip: est(4, "count", "AIECON", "",
			"not stated for Trn3; assumed LNC=2 like Trn2 (4 logical cores per chip)"),
		Peak: Peaks{
			FP32: off(183, "TFLOP/s", "NSDK", nsdkTrn3),
			BF16: off(671, "TFLOP/s", "NSDK", nsdkTrn3),
			FP16: off(671, "TFLOP/s", "NSDK", nsdkTrn3).withNote("stated as TF32 / BF16 / FP16"),
			FP8:  off(2517, "TFLOP/s", "NSDK", nsdkTrn3).withNote("MXFP8 / MXFP4"),
			INT8: unknown("TOP/s", "NSDK", Official, "not stated"),
		},
		HBM:          off(144, "GiB", "NSDK", nsdkTrn3),
		HBMBandwidth: off(4.9, "TB/s", "NSDK", nsdkTrn3),
		SRAM:         off(256, "MiB", "NSDK", nsdkTrn3).withNote("32 MiB per core"),
		Link: off(2.56, "TB/s", "NSDK", nsdkTrn3).
			withNote("NeuronLink-v4 per chip (UltraServer table: 2,048 GiB/s/device); switched PCIe Gen6 fabric: 256 GB/s inside a server"),
		CollectiveBandwidth: est(2.56, "TB/s", "NSDK", nsdkTrn3, neuronDir),
		TDP:                 unknown("W", "NSDK", Official, noPower),
		TP: TPDegrees{Degrees: []int{1, 2, 4, 8, 16, 32, 64}, Ref: Ref{Source: "AIECON", Label: Estimate,
			Note: "not stated for Trn3; assumed the Trn2 (LNC2) degrees"}},
		Tile: neuronTile,
	},
	ampere(gpu("A10G", "GPUS",
		est(80, "count", "AIECON", "", "GA102 as configured for the A10G: 80 SMs (the A10 has 72) (recollection, unverified)"),
		Peaks{
			BF16: tp(125, "TFLOP/s", "GPUS", "specs.md, A10 (datasheet values)").withNote("≈125; the A10G is an AWS variant, so it may differ slightly"),
			FP8:  unknown("TFLOP/s", "GPUS", ThirdParty, "no FP8 on Ampere"),
			INT8: tp(250, "TOP/s", "GPUS", "specs.md, A10 (datasheet values)"),
		},
		tp(24, "GB", "GPUS", "specs.md, A10 (datasheet values)").withNote("GDDR6; 22,888 MiB usable per SKY"),
		tp(600, "GB/s", "GPUS", "specs.md, A10 (datasheet values)"),
		unknown("GB/s", "GPUS", ThirdParty, "no NVLink"),
		pcieGen4,
		tp(150, "W", "GPUS", "specs.md, A10 (datasheet values)"),
	)),
	gpu("L4", "GPUS",
		est(58, "count", "AIECON", "", "AD104 as configured for L4: 58 SMs (recollection, unverified)"),
		Peaks{
			BF16: tp(121, "TFLOP/s", "GPUS", "specs.md, L4"),
			FP8:  tp(242, "TFLOP/s", "GPUS", "specs.md, L4").withNote("485 sparse"),
			INT8: unknown("TOP/s", "GPUS", ThirdParty, "not given in the source consulted"),
		},
		tp(24, "GB", "GPUS", "specs.md, L4").withNote("GDDR6"),
		tp(300, "GB/s", "GPUS", "specs.md, L4"),
		unknown("GB/s", "GPUS", ThirdParty, "no NVLink"),
		pcieGen4,
		est(72, "W", "AIECON", "", "the NVIDIA L4 datasheet value, from memory (unverified); the compilation consulted does not give it"),
	),
	fromDatasheet(gpu("L40S", "NV-L40S",
		est(142, "count", "NV-L40S", "L40S datasheet", "AD102 as configured for L40S: 142 SMs (18,176 CUDA cores at 128 per SM); "+fromMemory),
		Peaks{
			BF16: est(362.05, "TFLOP/s", "NV-L40S", "L40S datasheet", "dense (733 sparse); "+fromMemory),
			FP8:  est(733, "TFLOP/s", "NV-L40S", "L40S datasheet", "dense (1,466 sparse); "+fromMemory),
			INT8: est(733, "TOP/s", "NV-L40S", "L40S datasheet", "dense (1,466 sparse); "+fromMemory),
		},
		est(48, "GB", "SKY", "catalogs/v7/aws/vms.csv, g6e.48xlarge", "g6e.48xlarge's 384 GB of GPU memory over its 8 L40S; "+
			"GDDR6, read as GB like the A10G's and L4's GDDR6"),
		est(864, "GB/s", "NV-L40S", "L40S datasheet", fromMemory),
		unknown("GB/s", "NV-L40S", Official, "no NVLink; PCIe Gen4 x16 (64 GB/s bidirectional per the datasheet, from memory)"),
		pcieGen4,
		est(350, "W", "NV-L40S", "L40S datasheet", "maximum power; "+fromMemory),
	)),
	ampere(gpu("A100-80GB", "GPUK",
		est(108, "count", "AIECON", "", "GA100 as configured for A100: 108 SMs (recollection, unverified)"),
		Peaks{
			BF16: tp(312, "TFLOP/s", "GPUK", "A100 80GB SXM"),
			FP8:  unknown("TFLOP/s", "GPUK", ThirdParty, "no FP8 on Ampere"),
			INT8: unknown("TOP/s", "GPUK", ThirdParty, "not given in the source consulted"),
		},
		est(80, "GiB", "GPUK", "A100 80GB SXM", hbmBinary("five 16 GiB HBM2e stacks")),
		tp(2039, "GB/s", "GPUK", "A100 80GB SXM"),
		tp(600, "GB/s", "GPUK", "A100 80GB SXM").withNote("NVLink, bidirectional per GPU"),
		nvlinkHalf(300, "A100 NVLink 600 GB/s"),
		tp(400, "W", "GPUK", "A100 80GB SXM"),
	)),
	ampere(fromDatasheet(gpu("A100-40GB", "NV-A100",
		est(108, "count", "AIECON", "", "the same GA100 configuration as the A100-80GB: 108 SMs (recollection, unverified)"),
		Peaks{
			BF16: est(312, "TFLOP/s", "NV-A100", "A100 SXM 40GB", "dense (624 sparse), the same as the 80GB part's 312 that GPUK gives; "+fromMemory),
			FP8:  unknown("TFLOP/s", "NV-A100", Official, "no FP8 on Ampere"),
			INT8: est(624, "TOP/s", "NV-A100", "A100 SXM 40GB", "dense (1,248 sparse); "+fromMemory),
		},
		est(40, "GiB", "SKY", "catalogs/v7/aws/vms.csv, p4d.24xlarge", "p4d.24xlarge's 320 GB of GPU memory over its 8 A100-40GB, "+
			"read as GiB, as the 80GB part's is (docs/calibration.md): DRAM dies, and so HBM stacks, come in binary sizes "+
			"(five 8 GiB stacks); no published measurement tests this part's"),
		est(1555, "GB/s", "NV-A100", "A100 SXM 40GB", "HBM2; the 80GB part's HBM2e runs at 2,039 GB/s; "+fromMemory),
		est(600, "GB/s", "GPUK", "A100 80GB SXM", "the 80GB part's NVLink, bidirectional per GPU: both SXM4 parts have the same "+
			"12 third-generation NVLinks (NVIDIA's A100 datasheet, from memory, unverified)"),
		nvlinkHalf(300, "A100 NVLink 600 GB/s"),
		est(400, "W", "NV-A100", "A100 SXM 40GB", "the same 400 W as the 80GB SXM part; "+fromMemory),
	))),
	gpu("H100", "GPUK",
		est(132, "count", "AIECON", "", "GH100 as configured for H100 SXM: 132 SMs (recollection, unverified)"),
		Peaks{
			BF16: tp(989, "TFLOP/s", "GPUK", "H100 SXM").withNote("dense; the astroC86 table shows the sparse 1,979 as BF16"),
			FP8:  tp(1979, "TFLOP/s", "GPUK", "H100 SXM"),
			INT8: unknown("TOP/s", "GPUK", ThirdParty, "not given in the source consulted"),
		},
		est(80, "GiB", "GPUK", "H100 SXM", hbmBinary("five 16 GiB HBM3 stacks")),
		tp(3.35, "TB/s", "GPUK", "H100 SXM"),
		tp(900, "GB/s", "GPUK", "H100 SXM").withNote("NVLink, bidirectional per GPU"),
		nvlinkHalf(450, "H100 NVLink 900 GB/s"),
		epochTDP(700, "H100 SXM"),
	),
	gpu("H200", "GPUK",
		est(132, "count", "AIECON", "", "same GH100 die as H100 SXM: 132 SMs (recollection, unverified)"),
		Peaks{
			BF16: tp(989, "TFLOP/s", "GPUK", "H200 SXM"),
			FP8:  tp(1979, "TFLOP/s", "GPUK", "H200 SXM"),
			INT8: unknown("TOP/s", "GPUK", ThirdParty, "not given in the source consulted"),
		},
		est(141, "GiB", "GPUK", "H200 SXM", "the datasheet's GB read as GiB, as for the H100 (141 of six 24 GiB HBM3e stacks usable)"),
		tp(4.8, "TB/s", "GPUK", "H200 SXM"),
		tp(900, "GB/s", "GPUK", "H200 SXM").withNote("NVLink, bidirectional per GPU"),
		nvlinkHalf(450, "H200 NVLink 900 GB/s"),
		epochTDP(700, "H200 SXM"),
	),
	gpu("B200", "GPUK",
		est(148, "count", "AIECON", "", "B200: 148 SMs over two dies (recollection, unverified)"),
		Peaks{
			BF16: tp(2250, "TFLOP/s", "GPUK", "B200 (HGX)"),
			FP8:  tp(4500, "TFLOP/s", "GPUK", "B200 (HGX)").withNote("FP4 9,000"),
			INT8: unknown("TOP/s", "GPUK", ThirdParty, "not given in the source consulted"),
		},
		tp(180, "GB", "GPUK", "B200 (HGX)").withNote("HBM3e (HGX); 192 GB in some datasheets"),
		tp(7.7, "TB/s", "GPUK", "B200 (HGX)").withNote("HGX; 8 TB/s in some datasheets"),
		tp(1.8, "TB/s", "GPUK", "B200 (HGX)").withNote("NVLink, bidirectional per GPU"),
		nvlinkHalf(900, "B200 NVLink 1.8 TB/s"),
		epochTDP(1000, "B200"),
	),
}

// epochTDP is a GPU's board power as Epoch AI's chip dataset records it
// from NVIDIA's datasheets: the public, versioned copy of the figure.
func epochTDP(w float64, part string) Fact {
	return tp(w, "W", "EPOCH", part).withNote("the NVIDIA datasheet value the dataset records")
}

// pcieGen4 is the collective path of GPUs without NVLink: PCIe Gen4 x16.
var pcieGen4 = est(32, "GB/s", "AIECON", "",
	"no NVLink: collectives go over PCIe Gen4 x16, about 32 GB/s per direction (PCI-SIG figure from memory, unverified)")

// hbmBinary is the note of an "80GB" GPU's memory: DRAM dies, and so HBM
// stacks, come in binary sizes, so the figure is GiB. The published
// TensorRT-LLM 0.9 rows agree: on one H100 (and one A100) they ran
// Llama-2-13B in fp16 at batch 16 with 128 + 4,096 tokens, whose weights and
// KV cache alone take 81.4e9 bytes, more than 80e9 (docs/calibration.md).
func hbmBinary(stacks string) string {
	return "the datasheet's GB read as GiB (" + stacks + "); the published TensorRT-LLM 0.9 batches need more than 80e9 bytes on one GPU"
}

// nvlinkHalf derives the per-direction NVLink bandwidth from the bidirectional figure.
func nvlinkHalf(gbps float64, what string) Fact {
	return est(gbps, "GB/s", "GPUK", "", "half of the bidirectional "+what+": a ring sends one way per link")
}

// gpu builds a GPU chip entry; FP16 is taken equal to BF16 and FP32 is unknown
// (the sources consulted give neither for GPUs).
func gpu(name, src string, sms Fact, peak Peaks, mem, memBW, link, coll, tdp Fact) *Chip {
	peak.FP16 = peak.BF16
	peak.FP16.Label = Estimate
	peak.FP16.Note = "not stated; tensor-core FP16 equals BF16 on this generation (AIECON recollection)"
	peak.FP32 = unknown("TFLOP/s", src, ThirdParty, "not given in the source consulted (non-tensor-core FP32)")
	return &Chip{
		Name: name, Family: FamilyGPU, StepFamily: StepGPU, CoreKind: "SM",
		Cores:               sms,
		DevicesPerChip:      est(1, "count", "AIECON", "", "a GPU is one tensor-parallel device"),
		Peak:                peak,
		HBM:                 mem,
		HBMBandwidth:        memBW,
		SRAM:                unknown("MiB", src, ThirdParty, "not given in the source consulted"),
		Link:                link,
		CollectiveBandwidth: coll,
		TDP:                 tdp,
		TP:                  gpuTP,
		Tile:                gpuTile,
	}
}

// fromMemory is the note of a datasheet figure transcribed from memory: the
// datasheet is public and names the figure, but it was not at hand to check.
const fromMemory = "NVIDIA datasheet value from memory (unverified)"

// fromDatasheet fixes the notes gpu() writes for a compilation to say what
// an NVIDIA datasheet, an official source, gives: FP16 equal to BF16, no
// on-chip SRAM figure, and a non-tensor-core FP32, which the model prices no
// work with and so stays unknown as for the other GPUs (fp32 runs are
// refused alike on every GPU).
func fromDatasheet(c *Chip) *Chip {
	c.Peak.FP16.Note = "the datasheet gives tensor-core FP16 equal to BF16; " + fromMemory
	c.Peak.FP32 = unknown("TFLOP/s", c.Peak.FP32.Source, Official,
		"not catalogued: the datasheet's FP32 is non-tensor-core, which the model does not price; unknown as for the other GPUs")
	c.SRAM.Label = Official
	return c
}

// ampere moves a GPU of the Ampere generation to its own step family.
func ampere(c *Chip) *Chip {
	c.StepFamily = StepGPUAmpere
	return c
}
