package hw

import (
	"math"
	"slices"
	"strings"
	"testing"

	"aiecon/model/llm"
)

func mustPerf(t testing.TB, instance string, tp int, eff Efficiency, s Serving) *Perf {
	t.Helper()
	in, err := InstanceByName(instance)
	if err != nil {
		t.Fatal(err)
	}
	p, err := NewPerf(in, tp, eff, s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// Reference numbers for the hand computations below.
const (
	trn1CorePeak = 190e12 / 2              // Trainium1 bf16 per NeuronCore
	trn1CoreBW   = 820 * (1 << 30) / 2.0   // Trainium1 HBM bandwidth per NeuronCore, B/s
	trn1CoreLink = 384e9 / 2               // Trainium1 chip-to-chip per NeuronCore, B/s
	h100Peak     = 989e12                  // H100 bf16
	trn2CorePeak = 667e12 / 4              // Trainium2 bf16 per logical core (LNC=2)
	testEff      = ConstantEfficiency(0.5) // every GEMM compute bound below divides by 0.5
	testBWFrac   = 0.8
	testKVFrac   = 0.4
	testAttn     = 0.5 // attention compute bounds divide by 0.5 x 0.5
	testColl     = 2e-5
)

// testServing is a full set of constants with easy numbers.
func testServing(family string) Serving {
	return Serving{Family: family, PrefillS: 1e-3, LayerS: 1e-5, CollectiveS: testColl,
		HBMFrac: testBWFrac, KVFrac: testKVFrac, GEMMScale: 1, AttnScale: testAttn, LinkFrac: 1}
}

// TestOpSeconds checks each op kind against a hand computation: padding to
// the tiles, the max of compute and memory, the ring formula, Count, dtypes.
func TestOpSeconds(t *testing.T) {
	gpu := testServing(StepGPU)
	trn1 := mustPerf(t, "trn1.32xlarge", 32, testEff, testServing(StepNeuronV2))
	trn2 := mustPerf(t, "trn2.48xlarge", 4, testEff, testServing(StepNeuronV3))
	p5 := mustPerf(t, "p5.48xlarge", 8, testEff, gpu)
	slowLink := testServing(StepNeuronV2)
	slowLink.LinkFrac = 0.25
	trn1Slow := mustPerf(t, "trn1.32xlarge", 32, testEff, slowLink)
	tests := []struct {
		name string
		p    *Perf
		op   llm.Op
		want float64
	}{
		{"gemm aligned, compute-bound, count 2", trn1,
			llm.Op{Kind: llm.OpGEMM, Count: 2, Batch: 1, M: 1024, N: 1024, K: 1024, DType: llm.BF16, FLOPs: 2 * 1024 * 1024 * 1024, Bytes: 6e6},
			2 * (2 * 1024 * 1024 * 1024) / (trn1CorePeak * 0.5)},
		// The moving dimension M is not padded on Neuron (docs/calibration.md).
		{"gemm padded to N 128, K 256", trn1,
			llm.Op{Kind: llm.OpGEMM, Count: 1, Batch: 1, M: 8, N: 100, K: 200, DType: llm.BF16, FLOPs: 2 * 8 * 100 * 200},
			2 * 8 * 128 * 256 / (trn1CorePeak * 0.5)},
		{"gemm memory-bound", trn1,
			llm.Op{Kind: llm.OpGEMM, Count: 1, Batch: 1, M: 8, N: 4096, K: 4096, DType: llm.BF16, FLOPs: 2 * 8 * 4096 * 4096, Bytes: 100e6},
			100e6 / (trn1CoreBW * testBWFrac)},
		{"attention compute at GEMM efficiency x attn_scale, count 32", trn1,
			llm.Op{Kind: llm.OpAttention, Count: 32, Batch: 8, M: 2, N: 2048, K: 128, DType: llm.BF16, FLOPs: 4 * 2 * 128 * 8 * 2048, Bytes: 1e3},
			32 * (4 * 2 * 128 * 8 * 2048) / (trn1CorePeak * 0.5 * testAttn)},
		{"attention memory-bound at kv_frac", trn1,
			llm.Op{Kind: llm.OpAttention, Count: 1, Batch: 1, M: 128, N: 128, K: 128, DType: llm.BF16, FLOPs: 4 * 128 * 128 * 128, Bytes: 50e6},
			50e6 / (trn1CoreBW * testKVFrac)},
		{"memory pass, count 3", trn1,
			llm.Op{Kind: llm.OpMemory, Count: 3, Bytes: 1e6},
			3 * 1e6 / (trn1CoreBW * testBWFrac)},
		{"all-reduce: latency plus ring over 32, count 2", trn1,
			llm.Op{Kind: llm.OpAllReduce, Count: 2, Bytes: 2e6, Group: 32},
			2 * (testColl + (2*31.0/32)*2e6/trn1CoreLink)},
		{"all-reduce bytes at a quarter of the link rate (link_frac), latency unchanged", trn1Slow,
			llm.Op{Kind: llm.OpAllReduce, Count: 1, Bytes: 2e6, Group: 32},
			testColl + (2*31.0/32)*2e6/(trn1CoreLink*0.25)},
		{"all-reduce over 1 device is free", trn1,
			llm.Op{Kind: llm.OpAllReduce, Count: 1, Bytes: 2e6, Group: 1}, 0},
		{"count 0", trn1,
			llm.Op{Kind: llm.OpMemory, Count: 0, Bytes: 1e6}, 0},
		{"fp8 on Trainium1 runs at the stated cFP8 190 (per core 95)", trn1,
			llm.Op{Kind: llm.OpGEMM, Count: 1, Batch: 1, M: 1024, N: 1024, K: 1024, DType: llm.FP8, FLOPs: 2 * 1024 * 1024 * 1024},
			2 * 1024 * 1024 * 1024 / (190e12 / 2 * 0.5)},
		{"int8 on Trainium2 (not stated) falls back to bf16 per logical core", trn2,
			llm.Op{Kind: llm.OpGEMM, Count: 1, Batch: 1, M: 1024, N: 1024, K: 1024, DType: llm.INT8, FLOPs: 2 * 1024 * 1024 * 1024},
			2 * 1024 * 1024 * 1024 / (trn2CorePeak * 0.5)},
		// 16 x 128 output tiles: 11 x 13 = 143 tiles on 132 SMs: 2 waves,
		// i.e. 264 tiles' time.
		{"gpu wave quantization", p5,
			llm.Op{Kind: llm.OpGEMM, Count: 1, Batch: 1, M: 176, N: 1664, K: 4096, DType: llm.BF16, FLOPs: 2 * 176 * 1664 * 4096},
			2 * 264 * 16 * 128 * 4096 / (h100Peak * 0.5)},
		// M 8 -> 16; 32 tiles split 4 ways along K fill 128 of 132 SMs: one
		// wave of 132 x 16 x 128 x 1024.
		{"gpu split-K for a skinny GEMM", p5,
			llm.Op{Kind: llm.OpGEMM, Count: 1, Batch: 1, M: 8, N: 4096, K: 4096, DType: llm.BF16, FLOPs: 2 * 8 * 4096 * 4096},
			2 * 132 * 16 * 128 * 1024 / (h100Peak * 0.5)},
		{"gpu fp32 is not in the sources: +Inf", p5,
			llm.Op{Kind: llm.OpGEMM, Count: 1, Batch: 1, M: 128, N: 128, K: 128, DType: llm.FP32, FLOPs: 2 * 128 * 128 * 128},
			math.Inf(1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.p.OpSeconds(tt.op)
			if math.IsInf(tt.want, 1) {
				if !math.IsInf(got, 1) {
					t.Errorf("got %g, want +Inf", got)
				}
				return
			}
			if math.Abs(got-tt.want) > 1e-12*math.Max(tt.want, 1e-9) {
				t.Errorf("got %.9g s, want %.9g s", got, tt.want)
			}
		})
	}
}

func TestIterationSecondsAndWork(t *testing.T) {
	p := mustPerf(t, "trn1.32xlarge", 32, testEff, testServing(StepNeuronV2))
	ops := []llm.Op{
		{Kind: llm.OpMemory, Count: 2, Bytes: 1e6},
		{Kind: llm.OpAllReduce, Count: 1, Bytes: 1e6, Group: 32},
		{Kind: llm.OpGEMM, Count: 4, Batch: 1, M: 128, N: 128, K: 128, DType: llm.BF16, FLOPs: 2 * 128 * 128 * 128, Bytes: 10},
	}
	// 40 layers: 40 x 1e-5 per iteration, plus 1e-3 when it encodes prompts.
	want := 40*1e-5 + 2*1e6/(trn1CoreBW*testBWFrac) + testColl + 2*31.0/32*1e6/trn1CoreLink + 4*(2*128*128*128)/(trn1CorePeak*0.5)
	if got := p.IterationSeconds(ops, 40, false); math.Abs(got-want) > 1e-15 {
		t.Errorf("IterationSeconds = %.12g, want %.12g", got, want)
	}
	if got := p.IterationSeconds(ops, 40, true); math.Abs(got-want-1e-3) > 1e-15 {
		t.Errorf("IterationSeconds with a prefill = %.12g, want %.12g", got, want+1e-3)
	}
	if got := p.IterationSeconds(nil, 40, false); math.Abs(got-4e-4) > 1e-18 {
		t.Errorf("empty iteration = %g, want the per-layer cost 4e-4", got)
	}
	// The all-reduce's payload crosses the link, not HBM: no HBM time.
	computeS, hbmS := p.Work(ops)
	if want := 4 * 2 * 128 * 128 * 128 / trn1CorePeak; math.Abs(computeS-want) > 1e-12*want {
		t.Errorf("Work compute = %.12g s, want %.12g", computeS, want)
	}
	if want := (2e6 + 40) / trn1CoreBW; math.Abs(hbmS-want) > 1e-12*want {
		t.Errorf("Work HBM = %.12g s, want %.12g", hbmS, want)
	}
}

// TestOpSecondsDoesNotAllocate: the simulator prices an iteration on every cache miss.
func TestOpSecondsDoesNotAllocate(t *testing.T) {
	arch, err := llm.Lookup("llama-3-8b")
	if err != nil {
		t.Fatal(err)
	}
	p := mustPerf(t, "inf2.48xlarge", 24, AssumedEfficiency, neuronV2Serving)
	it := llm.Iteration{Decode: make([]llm.DecodeSeq, 8), Prefill: []llm.PrefillChunk{{Tokens: 300, Last: true}}}
	ops := arch.IterationOps(nil, llm.Shard{TP: 24, Weights: llm.BF16, Activations: llm.BF16, KV: llm.BF16}, it)
	var sink float64
	if n := testing.AllocsPerRun(100, func() {
		sink += p.IterationSeconds(ops, 32, true)
		f, b := p.Work(ops)
		sink += f + b
	}); n != 0 {
		t.Errorf("IterationSeconds + Work allocate %v times per call", n)
	}
	if !(sink > 0) {
		t.Error("no time computed")
	}
}

func TestNewPerfErrors(t *testing.T) {
	ok := testServing(StepNeuronV2)
	okV3 := testServing(StepNeuronV3)
	bad := func(edit func(*Serving)) Serving { s := testServing(StepNeuronV2); edit(&s); return s }
	tests := []struct {
		instance string
		tp       int
		eff      Efficiency
		s        Serving
		want     string
	}{
		{"trn1.32xlarge", 12, AssumedEfficiency, ok, "tp 12 is not a degree Trainium1 supports"},
		{"inf2.8xlarge", 12, AssumedEfficiency, ok, "exceeds its 2 devices"},
		{"inf2.xlarge", 4, AssumedEfficiency, ok, "exceeds its 2 devices"},
		{"trn2.48xlarge", 128, AssumedEfficiency, okV3, "not a degree"},
		{"p5.48xlarge", 8, AssumedEfficiency, ok, `serving constants are for step family "neuron-v2"`},
		{"trn2.48xlarge", 8, AssumedEfficiency, ok, `the chip Trainium2 is "neuron-v3"`},
		{"trn1.32xlarge", 32, nil, ok, "nil efficiency"},
		{"trn1.32xlarge", 32, AssumedEfficiency, bad(func(s *Serving) { s.HBMFrac = 0 }), "hbm_frac: 0 must be in (0, 1]"},
		{"trn1.32xlarge", 32, AssumedEfficiency, bad(func(s *Serving) { s.LayerS = -1 }), "layer_s: -1 s must be between 0 and 1"},
		{"trn1.32xlarge", 32, AssumedEfficiency, bad(func(s *Serving) { s.AttnScale = math.NaN() }), "attn_scale: NaN must be a finite number"},
	}
	for _, tt := range tests {
		in, err := InstanceByName(tt.instance)
		if err != nil {
			t.Fatal(err)
		}
		_, err = NewPerf(in, tt.tp, tt.eff, tt.s)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), tt.instance) {
			t.Errorf("NewPerf(%s, tp %d) error = %v, want it to name the instance and say %q", tt.instance, tt.tp, err, tt.want)
		}
	}
	if _, err := NewPerf(mustInstance(t, "trn2.48xlarge"), 64, AssumedEfficiency, okV3); err != nil {
		t.Errorf("trn2.48xlarge TP64 (64 logical cores): %v", err)
	}
}

func mustInstance(t *testing.T, name string) *Instance {
	t.Helper()
	in, err := InstanceByName(name)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

func TestMemoryPerReplica(t *testing.T) {
	tests := []struct {
		instance string
		tp       int
		want     float64
		replicas int
	}{
		{"trn2.48xlarge", 32, 32 * 24 * (1 << 30), 2}, // 24 GB (GiB) per logical core
		{"inf2.48xlarge", 24, 24 * 16 * (1 << 30), 1}, // 16 GB per NeuronCore
		{"trn1.32xlarge", 8, 8 * 16 * (1 << 30), 4},
		{"p5.48xlarge", 4, 4 * 80 * (1 << 30), 2}, // 80 GiB per H100
	}
	for _, tt := range tests {
		in := mustInstance(t, tt.instance)
		got, err := MemoryPerReplica(in, tt.tp)
		if err != nil || got != tt.want {
			t.Errorf("MemoryPerReplica(%s, %d) = %g, %v; want %g", tt.instance, tt.tp, got, err, tt.want)
		}
		if n, err := ReplicasPerInstance(in, tt.tp); err != nil || n != tt.replicas {
			t.Errorf("ReplicasPerInstance(%s, %d) = %d, %v; want %d", tt.instance, tt.tp, n, err, tt.replicas)
		}
	}
	if _, err := MemoryPerReplica(mustInstance(t, "inf2.xlarge"), 4); err == nil {
		t.Error("tp beyond the instance: no error")
	}
	p := mustPerf(t, "trn2.48xlarge", 32, AssumedEfficiency, neuronV3Serving)
	if got := p.ReplicaHBMBytes(); got != 32*24*(1<<30) {
		t.Errorf("ReplicaHBMBytes = %g", got)
	}
}

func TestDeviceOf(t *testing.T) {
	c, _ := ChipByName("Trainium2")
	d := DeviceOf(c)
	if d.HBMBytes != 24*(1<<30) || d.HBMBytesPerS != 2.9e12/4 || d.Peak(llm.FP8) != 1299e12/4 || d.LinkBytesPerS != 1024e9/4 || d.SMs != 0 {
		t.Errorf("Trainium2 device = %+v", d)
	}
	g, _ := ChipByName("A10G")
	dg := DeviceOf(g)
	// A10G: no FP8 (runs at bf16), FP16 = BF16, FP32 unknown, 80 SMs, PCIe for collectives.
	if dg.Peak(llm.FP8) != 125e12 || dg.Peak(llm.FP16) != 125e12 || dg.Supports(llm.FP32) || dg.SMs != 80 || dg.LinkBytesPerS != 32e9 {
		t.Errorf("A10G device = %+v", dg)
	}
}

func BenchmarkIterationSeconds(b *testing.B) {
	arch, err := llm.Lookup("llama-3-8b")
	if err != nil {
		b.Fatal(err)
	}
	p := mustPerf(b, "inf2.48xlarge", 24, AssumedEfficiency, neuronV2Serving)
	ops := arch.IterationOps(nil, llm.Shard{TP: 24, Weights: llm.BF16, Activations: llm.BF16, KV: llm.BF16},
		llm.Iteration{Decode: make([]llm.DecodeSeq, 8)})
	b.ReportAllocs()
	for b.Loop() {
		p.IterationSeconds(ops, arch.Layers, false)
	}
}

// TestKVReads: decode attention reads each KV head group^KVGroupExp times
// (the group is its M, query heads per KV head); prefill attention and
// other ops read their bytes once.
func TestKVReads(t *testing.T) {
	arch, err := llm.Lookup("mistral-7b-v0.1") // 32 query heads, 8 KV heads: a group of 4 at TP 1
	if err != nil {
		t.Fatal(err)
	}
	sh := llm.Shard{TP: 1, Weights: llm.BF16, Activations: llm.BF16, KV: llm.BF16}
	dec := arch.DecodeAttentionOps(nil, sh, 8, 8*1000)[0]
	pre := arch.PrefillAttentionOps(nil, sh, []llm.PrefillChunk{{Tokens: 512, Last: true}})[0]
	tests := []struct {
		op   llm.Op
		exp  float64
		want float64
	}{
		{dec, 0, 1}, {dec, 0.5, 2}, {dec, 1, 4},
		{pre, 1, 1}, {llm.Op{Kind: llm.OpGEMM, Name: "qkv", M: 4}, 1, 1},
	}
	for _, tt := range tests {
		if got := kvReads(tt.op, tt.exp); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("%s (M %d) at exponent %g: %g reads, want %g", tt.op.Name, tt.op.M, tt.exp, got, tt.want)
		}
	}
	for _, bad := range []float64{-0.1, 1.5, math.NaN()} {
		s := gpuServing
		s.KVGroupExp = bad
		if err := s.Validate(); err == nil || !strings.Contains(err.Error(), "kv_group_exp") {
			t.Errorf("kv_group_exp %g: Validate() = %v, want an error naming it", bad, err)
		}
	}
	// The decode op's time follows: its memory bound doubles at exponent 0.5.
	inst := mustInstance(t, "p5.48xlarge")
	s := gpuServing
	for _, exp := range []float64{0, 0.5} {
		s.KVGroupExp = exp
		p, err := NewPerf(inst, 1, AssumedEfficiency, s)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := p.OpSeconds(dec), float64(dec.Count)*dec.Bytes*kvReads(dec, exp)/(p.Device.HBMBytesPerS*s.KVFrac); math.Abs(got/want-1) > 1e-9 {
			t.Errorf("exponent %g: decode attention %g s, want its KV bound %g s", exp, got, want)
		}
	}
}

// TestResidentExperts: each family runs an MoE release's experts in their
// own format as it runs weights: fp8 multiplied in fp8 where the matrix
// units can (Hopper, Trainium2), int8 dequantised on NeuronCore-v2, 4-bit
// dequantised to bf16 on Trainium2 and refused on NeuronCore-v2.
func TestResidentExperts(t *testing.T) {
	base := llm.Shard{TP: 1, Weights: llm.BF16, Activations: llm.BF16, KV: llm.BF16}
	for _, c := range []struct {
		family           stepFamily
		experts          llm.DType
		storage, compute llm.DType
		refused          bool
	}{
		{gpuFamily{}, llm.FP8, llm.FP8, llm.FP8, false},
		{gpuFamily{}, llm.INT4, llm.INT4, llm.BF16, false},
		{gpuAmpere{}, llm.FP8, llm.FP8, llm.BF16, false},
		{neuronV3{}, llm.FP8, llm.FP8, llm.FP8, false},
		{neuronV3{}, llm.INT4, llm.BF16, llm.BF16, false},
		{neuronV2{}, llm.INT8, llm.BF16, llm.BF16, false},
		{neuronV2{}, llm.INT4, "", "", true},
	} {
		sh := base
		sh.Experts = c.experts
		r, err := c.family.resident(sh)
		if c.refused {
			if err == nil {
				t.Errorf("%s: %s experts accepted, want refused", c.family.name(), c.experts)
			}
			if slices.Contains(expertFormatsOf(c.family), c.experts) {
				t.Errorf("%s: ExpertWeightFormats lists %s", c.family.name(), c.experts)
			}
			continue
		}
		if err != nil || r.ExpertDType() != c.storage || r.ExpertComputeDType() != c.compute || r.Weights != llm.BF16 || r.ComputeDType() != llm.BF16 {
			t.Errorf("%s: %s experts resident as %s computed in %s (weights %s in %s, %v); want %s in %s",
				c.family.name(), c.experts, r.ExpertDType(), r.ExpertComputeDType(), r.Weights, r.ComputeDType(), err, c.storage, c.compute)
		}
	}
}

// TestAmpereRunsFP8ActivationsInBF16: Ampere has no fp8 arithmetic, so an
// fp8 activation format runs in bf16; Hopper keeps it.
func TestAmpereRunsFP8ActivationsInBF16(t *testing.T) {
	sh := llm.Shard{TP: 1, Weights: llm.BF16, Activations: llm.FP8, KV: llm.FP8}
	if r, _ := (gpuAmpere{}).resident(sh); r.Activations != llm.BF16 || r.ComputeDType() != llm.BF16 || r.KV != llm.FP8 {
		t.Errorf("Ampere: activations %s computed in %s, KV %s; want bf16, bf16, fp8", r.Activations, r.ComputeDType(), r.KV)
	}
	if r, _ := (gpuFamily{}).resident(sh); r.Activations != llm.FP8 {
		t.Errorf("Hopper: activations %s, want fp8", r.Activations)
	}
}

func expertFormatsOf(f stepFamily) []llm.DType {
	for _, c := range Chips() {
		if c.StepFamily == f.name() {
			out, _ := ExpertWeightFormats(c)
			return out
		}
	}
	return nil
}
