package hw

import (
	"slices"
	"strings"
	"testing"

	"aiecon/model/llm"
)

// TestExtrapolation: a replica counts as covered when its model's size per
// device is within a factor of 2 of the fitted sizes per device and, above
// TP 1, some fitted measurement ran with tensor parallelism; otherwise the
// message says which of the two it is, with the numbers.
func TestExtrapolation(t *testing.T) {
	gpu := Serving{FittedShapes: llama2GPUShapes(68.977)} // 6.7-69B per device
	tp1 := Serving{FittedShapes: []FittedShape{{TP: 1, MinParamsB: 7, MaxParamsB: 13}}}
	// NeuronCore-v2's rows: TP 24 and 32, 6.7-71B (0.2-3.0B per device).
	neuron := Serving{FittedShapes: []FittedShape{{TP: 24, MinParamsB: 6.7, MaxParamsB: 71}, {TP: 32, MinParamsB: 6.7, MaxParamsB: 71}}}
	tests := []struct {
		name    string
		s       Serving
		tp      int
		paramsB float64
		want    string // "" = covered
	}{
		{"70B at TP8, as measured", gpu, 8, 70, ""},
		{"8B at TP2: 4B per device, within 2x of 6.7B", gpu, 2, 8, ""},
		{"8B at TP8: 1B per device", gpu, 8, 8, "1.0B active parameters per device (8.0B at TP 8), while the measurements they were fitted to ran 6.7-69B per device"},
		{"405B at TP1: far above", gpu, 1, 405, "405B active parameters per device"},
		{"TP4 where every row ran on one device", tp1, 4, 30, "TP 4, while every measurement they were fitted to ran on one device"},
		{"TP1 within the one-device rows", tp1, 1, 20, ""},
		{"no shapes recorded: nothing to say", Serving{}, 8, 8, ""},
		// The degree counts apart from the size: an 8B model at TP 8 streams
		// 1B per device, as measured, but its all-reduces are not the ones
		// across 12 and 16 chips the rows measured.
		{"8B at TP8 on Neuron: sizes covered, degree not", neuron, 8, 8, "TP 8, while the measurements they were fitted to ran at TP 24 to 32"},
		{"70B at TP12: within 2x of TP 24", neuron, 12, 70, ""},
		{"140B at TP64: within 2x of TP 32", neuron, 64, 140, ""},
		{"280B at TP128: past it", neuron, 128, 280, "TP 128, while"},
	}
	for _, tt := range tests {
		got := tt.s.Extrapolation(tt.tp, tt.paramsB)
		if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestFitRecordsShapes: a fit records each TP degree of its points with the
// smallest and largest model measured there, their weight formats, their
// longest prompt and context, and that none was a mixture of experts.
func TestFitRecordsShapes(t *testing.T) {
	truth := testServing(StepGPU)
	truth.KVGroupExp = 0.5
	pts := syntheticPoints(t, truth, []string{"p5.48xlarge"})
	var keep []ServingPoint
	for _, p := range pts {
		if (p.TP == 1 && p.Model != "llama-3-70b") || (p.TP == 8 && p.Model == "llama-3-70b") {
			if p.TP == 8 {
				p.WeightDType = llm.FP8 // a second format, to be recorded beside bf16
			}
			keep = append(keep, p)
		}
	}
	s, _, err := FitFamily(keep, Uniform{AssumedEfficiency})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.FittedShapes) != 2 || s.FittedShapes[0].TP != 1 || s.FittedShapes[1].TP != 8 {
		t.Fatalf("shapes %+v, want TP 1 and TP 8", s.FittedShapes)
	}
	if f := s.FittedShapes[0]; f.MinParamsB < 7 || f.MinParamsB > 8.1 || f.MaxParamsB < 13 || f.MaxParamsB > 13.1 {
		t.Errorf("TP1 shape %+v, want Llama-3-8B to Llama-2-13B (about 8.0 to 13.0B)", f)
	}
	if f := s.FittedShapes[1]; f.MinParamsB != f.MaxParamsB || f.MinParamsB < 70 || f.MinParamsB > 71 {
		t.Errorf("TP8 shape %+v, want Llama-3-70B alone", f)
	}
	if want := []llm.DType{llm.BF16, llm.FP8}; !slices.Equal(s.FittedWeights, want) {
		t.Errorf("weight formats %v, want the points' %v", s.FittedWeights, want)
	}
	maxPrompt, maxContext := 0, 0
	for _, p := range keep {
		maxPrompt, maxContext = max(maxPrompt, p.InputTokens), max(maxContext, p.InputTokens+p.OutputTokens)
	}
	if s.FittedMaxPrompt != maxPrompt || s.FittedMaxContext != maxContext || s.FittedMoE {
		t.Errorf("longest prompt %d, context %d, MoE %v; want the points' %d, %d and no MoE",
			s.FittedMaxPrompt, s.FittedMaxContext, s.FittedMoE, maxPrompt, maxContext)
	}

	// One measured mixture of experts (not TensorRT-LLM's fake-weight
	// Mixtral rows, which the fit skips) and the fit says so.
	arch, _ := llm.Lookup("mixtral-8x7b")
	moe := ServingPoint{Model: "mixtral-8x7b", Instance: "p5.48xlarge", TP: 8, Batch: 1, SeqLen: 8192,
		InputTokens: 512, OutputTokens: 128, WeightDType: llm.BF16, TTFTMs: 1, TPOTMs: 1}
	perf, err := NewPerf(mustInstance(t, "p5.48xlarge"), 8, AssumedEfficiency, truth)
	if err != nil {
		t.Fatal(err)
	}
	pr, err := Predict(moe, arch, perf)
	if err != nil {
		t.Fatal(err)
	}
	moe.TTFTMs, moe.TPOTMs = 1e3*pr.TTFTS, 1e3*pr.TPOTS
	if s, _, err := FitFamily(append(keep, moe), Uniform{AssumedEfficiency}); err != nil || !s.FittedMoE {
		t.Errorf("a fit with a Mixtral point: MoE %v (%v), want true", s.FittedMoE, err)
	}
}

// TestUnfittedWeights: a weight format none of the fitted measurements
// stored is named, with the ones they did; bf16 and fp16 count as one.
func TestUnfittedWeights(t *testing.T) {
	gpu := Serving{FittedWeights: []llm.DType{llm.FP16, llm.FP8}}
	tests := []struct {
		s    Serving
		w    llm.DType
		want string // "" = covered
	}{
		{gpu, llm.FP16, ""},
		{gpu, llm.BF16, ""},
		{gpu, llm.FP8, ""},
		{gpu, llm.INT8, "int8 weights, while the measurements they were fitted to stored fp16 or fp8"},
		{gpu, llm.FP32, "fp32 weights"},
		{Serving{FittedWeights: []llm.DType{llm.BF16, llm.INT8}}, llm.FP16, ""},
		{Serving{FittedWeights: []llm.DType{llm.BF16}}, llm.FP8, "fp8 weights, while the measurements they were fitted to stored bf16"},
		{Serving{}, llm.INT8, ""}, // no formats recorded: nothing to say
	}
	for _, tt := range tests {
		got := tt.s.UnfittedWeights(tt.w)
		if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
			t.Errorf("%v with %s: %q, want %q", tt.s.FittedWeights, tt.w, got, tt.want)
		}
	}
}

// TestLengthExtrapolation: prompts longer than the longest fitted prompt
// (the attention core grows with the prompt squared: a 16,384-token prompt
// on Inferentia2 is priced at 22x its FLOP floor), or contexts more than
// twice the longest fitted context, are named with the fitted maximum;
// within those, or with no lengths recorded (or an unknown figure),
// nothing is said.
func TestLengthExtrapolation(t *testing.T) {
	v2 := Serving{FittedMaxPrompt: 8192, FittedMaxContext: 16384}
	tests := []struct {
		name            string
		s               Serving
		prompt, context int
		want            []string // nil = covered
	}{
		{"as measured", v2, 8192, 16384, nil},
		{"one token past the longest prompt", v2, 8193, 8257, []string{"prompts to 8,193 tokens, while the measurements they were fitted to reached 8,192"}},
		{"16k prompts on inf2: twice the longest prompt, contexts within", neuronV2Serving, 16384, 16448,
			[]string{"prompts to 16,384 tokens, while the measurements they were fitted to reached 8,192"}},
		{"twice the longest context, at the edge", v2, 4096, 32768, nil},
		{"32k prompts", v2, 32768, 33000, []string{"prompts to 32,768 tokens, while the measurements they were fitted to reached 8,192",
			"; contexts (prompt plus output) to 33,000 tokens"}},
		{"long decode, short prompts", v2, 4000, 40960, []string{"contexts (prompt plus output) to 40,960 tokens, while the measurements they were fitted to reached 16,384"}},
		{"both", v2, 20000, 40000, []string{"prompts to 20,000 tokens", "; contexts (prompt plus output) to 40,000 tokens"}},
		{"unknown figures", v2, 0, 0, nil},
		{"no lengths recorded", Serving{FittedShapes: llama2GPUShapes(68.977)}, 1 << 20, 1 << 21, nil},
		{"GPU rows stop at 2,048-token prompts", gpuServing, 6000, 7200, []string{"prompts to 6,000 tokens, while the measurements they were fitted to reached 2,048"}},
	}
	for _, tt := range tests {
		got := tt.s.LengthExtrapolation(tt.prompt, tt.context)
		if tt.want == nil && got != "" {
			t.Errorf("%s: %q, want nothing", tt.name, got)
		}
		if ctx := strings.Contains(strings.Join(tt.want, ""), "contexts"); ctx != strings.Contains(got, "contexts") {
			t.Errorf("%s: %q, want contexts named: %v", tt.name, got, ctx)
		}
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: %q, want %q in it", tt.name, got, w)
			}
		}
	}
}

// TestUnfittedMoE: a mixture of experts on constants fitted to dense rows
// only is named; a dense model, constants fitted to an MoE row too, and
// constants that record no lengths (so no MoE flag either) are not.
func TestUnfittedMoE(t *testing.T) {
	dense := Serving{FittedMaxPrompt: 10000, FittedMaxContext: 11500}
	tests := []struct {
		name string
		s    Serving
		moe  bool
		want string // "" = covered
	}{
		{"MoE on dense rows", dense, true, "a mixture of experts, while every measurement they were fitted to served a dense model"},
		{"dense on dense rows", dense, false, ""},
		{"MoE on rows with an MoE", Serving{FittedMaxPrompt: 512, FittedMaxContext: 640, FittedMoE: true}, true, ""},
		{"saved before lengths were recorded", Serving{FittedShapes: llama2GPUShapes(68.977)}, true, ""},
		{"the committed Trainium2 constants", neuronV3Serving, true, "a mixture of experts, while every measurement they were fitted to served a dense model"},
	}
	for _, tt := range tests {
		if got := tt.s.UnfittedMoE(tt.moe); (tt.want == "") != (got == "") || got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestBatchExtrapolation: a replica that runs more than twice the largest
// batch the constants were fitted to (or fewer than half the smallest) is
// called extrapolated, with the fitted range; within it, or where the
// constants record no batches, it is not.
func TestBatchExtrapolation(t *testing.T) {
	trn2 := Serving{FittedMinBatch: 1, FittedMaxBatch: 2}
	big := Serving{FittedMinBatch: 64, FittedMaxBatch: 64}
	tests := []struct {
		name  string
		s     Serving
		batch int
		want  string // "" = covered
	}{
		{"trn2 at 4: within 2x of 2", trn2, 4, ""},
		{"trn2 at 256", trn2, 256, "batches of up to 256 sequences, while the measurements they were fitted to ran 1 to 2 at once"},
		{"trn2 at 5", trn2, 5, "batches of up to 5 sequences"},
		{"only large batches measured, batch 8", big, 8, "batches of up to 8 sequences, while the measurements they were fitted to ran 64 at once"},
		{"only large batches measured, batch 32", big, 32, ""},
		{"unknown batch", trn2, 0, ""},
		{"no batches recorded", Serving{}, 4096, ""},
	}
	for _, tt := range tests {
		got := tt.s.BatchExtrapolation(tt.batch)
		if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestGaps: every gap of a use is listed once, in a fixed order, each with
// a brief name for the step-times line and the detail of its own check.
func TestGaps(t *testing.T) {
	gpu := gpuServing
	u := Use{TP: 8, ActiveParamsB: 5.1, Weights: llm.INT8, Experts: llm.INT4, MoE: true, Prompt: 9000, Context: 9500, Batch: 4096,
		Speculative: "eagle"}
	gaps := gpu.Gaps(u)
	var briefs []string
	for _, g := range gaps {
		briefs = append(briefs, g.Brief)
	}
	want := []string{"0.6B per device", "int8 weights", "int4 experts", "MoE", "prompts to 9,000 tokens", "contexts to 9,500 tokens", "batches to 4,096",
		"speculative decoding"}
	if !slices.Equal(briefs, want) {
		t.Fatalf("briefs %q, want %q", briefs, want)
	}
	var axes []string
	for _, g := range gaps {
		axes = append(axes, g.Axis)
	}
	if want := []string{AxisSize, AxisWeights, AxisExperts, AxisMoE, AxisPrompt, AxisContext, AxisBatch, AxisSpec}; !slices.Equal(axes, want) {
		t.Errorf("axes %q, want %q", axes, want)
	}
	if g := gpu.Gaps(Use{TP: 64, ActiveParamsB: 70}); len(g) != 1 || g[0].Axis != AxisTP {
		t.Errorf("TP 64 on the GPU constants: %+v, want one gap on %s", g, AxisTP)
	}
	if g := gaps[2]; g.Detail != "the routed experts' "+gpu.UnfittedWeights(llm.INT4) {
		t.Errorf("experts' detail %q", g.Detail)
	}
	if g := gaps[6]; g.Detail != gpu.BatchExtrapolation(4096) {
		t.Errorf("batch detail %q", g.Detail)
	}
	if g := gaps[7]; !strings.Contains(g.Detail, "the eagle proposer") || !strings.Contains(g.Detail, "no acceptance rate") {
		t.Errorf("speculative detail %q", g.Detail)
	}
	covered := Use{TP: 1, ActiveParamsB: 8, Weights: llm.BF16, Prompt: 2000, Context: 4000, Batch: 256}
	if gaps := gpu.Gaps(covered); len(gaps) != 0 {
		t.Errorf("8B at TP1, bf16, 2,000-token prompts, batch 256 on H100: %+v, want none", gaps)
	}
	// Constants fitted to nothing are an estimate as a whole (STEP TIMES
	// ARE AN ESTIMATE); speculation is not singled out on them.
	covered.Speculative = "eagle"
	if gaps := (Serving{}).Gaps(covered); len(gaps) != 0 {
		t.Errorf("speculative decoding on constants fitted to nothing: %+v, want none", gaps)
	}
}

// TestFitRecordsLoads: a fit records the fewest and most sequences its
// points ran at once (a loop's clients, else the batch), how many were
// loops of clients, and their serving stacks as their framework column
// names them.
func TestFitRecordsLoads(t *testing.T) {
	truth := testServing(StepGPU)
	truth.KVGroupExp = 0.5
	pts := syntheticPoints(t, truth, []string{"p5.48xlarge"})
	for i := range pts {
		pts[i].Framework = []string{"TensorRT-LLM 0.9.0 (gptSessionBenchmark)", "vLLM 0.10, vllm bench serve"}[i%2]
	}
	pts[0].Concurrency, pts[0].Batch = 100, 100 // a closed loop of 100 clients
	s, _, err := FitFamily(pts, Uniform{AssumedEfficiency})
	if err != nil {
		t.Fatal(err)
	}
	if s.FittedMinBatch != 1 || s.FittedMaxBatch != 100 || s.FittedLoops != 1 {
		t.Errorf("batches %d-%d, %d loops; want 1-100 and 1", s.FittedMinBatch, s.FittedMaxBatch, s.FittedLoops)
	}
	if want := []string{"TensorRT-LLM 0.9.0", "vLLM 0.10"}; !slices.Equal(s.FittedStacks, want) {
		t.Errorf("stacks %q, want %q", s.FittedStacks, want)
	}
}

// TestTransferGap: constants carried over to a chip no measurement of
// which they were fitted to, or fitted to none, are a gap on the chip
// axis; a fitted chip, however thinly, is not.
func TestTransferGap(t *testing.T) {
	tests := []struct {
		name, chip  string
		s           Serving
		brief, want string // "" = covered
	}{
		{"fitted chip", "H100", gpuServing, "", ""},
		{"thinly fitted chip", "Trainium2", Serving{FittedChips: []string{"Trainium2"}, FittedRows: 2}, "", ""},
		{"carried over", "B200", gpuServing, "carried over to B200", "constants carried over to B200 from measurements of H100 and H200"},
		{"no measurement", "H100", Serving{}, "fitted to no measurement", "fitted to no published measurement"},
	}
	for _, tt := range tests {
		g := tt.s.TransferGap(tt.chip)
		if g.Brief != tt.brief || !strings.Contains(g.Detail, tt.want) || (tt.want == "") != (g.Detail == "") ||
			(tt.want == "") != (g.Axis == "") || g.Axis != "" && g.Axis != AxisChip {
			t.Errorf("%s: %+v, want brief %q and detail %q on %s", tt.name, g, tt.brief, tt.want, AxisChip)
		}
	}
}

// TestGapsNameInheritedConstants: where a Trainium2 fleet's contexts or
// batches pass what Trainium2's own two rows measured, the gaps say, once,
// that kv_frac and kv_group_exp, which price the KV those axes grow, are
// not pinned by those rows but inherited from neuron-v2's
// (neuronV3.fitPlan), with what those rows measured; its prompts
// (attn_scale, refitted to Trainium2's rows) and a family that inherits
// nothing get no such note.
func TestGapsNameInheritedConstants(t *testing.T) {
	const inherited = "; kv_frac and kv_group_exp, which price the KV a decode step reads, are inherited from neuron-v2, fitted to " +
		"59 transformers-neuronx rows on Inferentia2 and Trainium1 (contexts to 16,384 tokens, batches of 1 to 8): no Trainium2 row refits them"
	tests := []struct {
		name  string
		s     Serving
		u     Use
		axes  []string // the gaps
		named bool     // the inherited constants named, once
	}{
		{"trn2, long prompts and contexts, batch 8", neuronV3Serving, Use{TP: 8, ActiveParamsB: 8, Weights: llm.BF16, Prompt: 32768, Context: 33024, Batch: 8},
			[]string{AxisPrompt, AxisContext, AxisBatch}, true},
		{"trn2, long decode alone", neuronV3Serving, Use{TP: 8, ActiveParamsB: 8, Weights: llm.BF16, Prompt: 4096, Context: 30000, Batch: 2},
			[]string{AxisContext}, true},
		{"trn2, batch 64 alone", neuronV3Serving, Use{TP: 8, ActiveParamsB: 8, Weights: llm.BF16, Prompt: 1024, Context: 2048, Batch: 64},
			[]string{AxisBatch}, true},
		{"trn2, long prompts alone: attn_scale is its own", neuronV3Serving, Use{TP: 8, ActiveParamsB: 8, Weights: llm.BF16, Prompt: 12000, Context: 12500, Batch: 2},
			[]string{AxisPrompt}, false},
		{"inf2: its own constants", neuronV2Serving, Use{TP: 24, ActiveParamsB: 8, Weights: llm.BF16, Prompt: 1024, Context: 40000, Batch: 64},
			[]string{AxisContext, AxisBatch}, false},
	}
	for _, tt := range tests {
		gaps := tt.s.Gaps(tt.u)
		var axes []string
		for _, g := range gaps {
			axes = append(axes, g.Axis)
			if strings.Contains(g.Brief, "neuron-v2") {
				t.Errorf("%s: brief %q names the inheritance, which the detail says", tt.name, g.Brief)
			}
		}
		joined := details(gaps)
		if n := strings.Count(joined, inherited); !slices.Equal(axes, tt.axes) || n != map[bool]int{true: 1}[tt.named] || strings.Contains(joined, "inherited") != tt.named {
			t.Errorf("%s: gaps on %q, the inherited constants named %d times: %q", tt.name, axes, n, joined)
		}
	}
	// Each check alone says it too, for the gap it finds.
	if got := neuronV3Serving.LengthExtrapolation(4096, 30000); !strings.HasSuffix(got, inherited) {
		t.Errorf("Trainium2 contexts to 30,000 alone: %q", got)
	}
	if got := neuronV3Serving.BatchExtrapolation(64); !strings.HasSuffix(got, inherited) {
		t.Errorf("Trainium2 batches to 64 alone: %q", got)
	}
}

// TestInheritedNoteLeavesOutScenarioSet: a constant the scenario sets
// itself (ScenarioSet, from hardware.kv_frac or kv_group_exp) is the run's,
// not neuron-v2's, so the note leaves it out and says the scenario set it;
// with both set there is nothing inherited left to name.
func TestInheritedNoteLeavesOutScenarioSet(t *testing.T) {
	const rows = "fitted to 59 transformers-neuronx rows on Inferentia2 and Trainium1 (contexts to 16,384 tokens, batches of 1 to 8)"
	tests := []struct {
		set  []string
		want string // the note's end; "" for none
	}{
		{nil, "; kv_frac and kv_group_exp, which price the KV a decode step reads, are inherited from neuron-v2, " + rows + ": no Trainium2 row refits them"},
		{[]string{"kv_group_exp"}, "; kv_frac, which prices the KV a decode step reads, is inherited from neuron-v2, " + rows +
			": no Trainium2 row refits it (kv_group_exp is set by the scenario)"},
		{[]string{"kv_frac", "gemm_scale"}, "; kv_group_exp, which prices the KV a decode step reads, is inherited from neuron-v2, " + rows +
			": no Trainium2 row refits it (kv_frac is set by the scenario)"},
		{[]string{"kv_frac", "kv_group_exp"}, ""},
	}
	u := Use{TP: 8, ActiveParamsB: 8, Weights: llm.BF16, Prompt: 4096, Context: 30000, Batch: 64}
	for _, tt := range tests {
		s := neuronV3Serving
		s.ScenarioSet = tt.set
		gaps := s.Gaps(u)
		joined := details(gaps)
		if len(gaps) != 2 || (tt.want == "") == strings.Contains(joined, "inherited") || !strings.HasSuffix(joined, tt.want) ||
			strings.Count(joined, "inherited") > 1 {
			t.Errorf("scenario sets %q: %q, want it to end %q", tt.set, joined, tt.want)
		}
		if got := s.BatchExtrapolation(64); !strings.HasSuffix(got, tt.want) || (tt.want == "") == strings.Contains(got, "inherited") {
			t.Errorf("scenario sets %q, batch 64 alone: %q, want it to end %q", tt.set, got, tt.want)
		}
	}
}
