package hw

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"aiecon/model/llm"
)

// TestPredictionsGrowWithWork checks the committed constants where no
// measurement can: on configurations outside the training set, more work
// never takes less time. Over a grid of prompt lengths and batch sizes per
// family, TTFT must not fall as the prompt or the batch grows, and TPOT must
// not fall as the batch or the context grows. A fit that memorised its rows
// with a non-physical combination of constants (a negative cost traded
// against a positive one, an efficiency past its peak) would break these
// somewhere between the rows it was fitted to.
func TestPredictionsGrowWithWork(t *testing.T) {
	prof, err := BuiltinProfile()
	if err != nil {
		t.Fatal(err)
	}
	configs := []struct {
		instance, model string
		tp              int
		dt              llm.DType
	}{
		{"inf2.48xlarge", "llama-2-13b", 24, llm.BF16},
		{"trn1.32xlarge", "llama-2-70b", 32, llm.BF16},
		{"trn1.32xlarge", "llama-3-8b", 8, llm.BF16},
		{"trn2.48xlarge", "llama-3.3-70b", 64, llm.BF16},
		{"trn2.48xlarge", "llama-3.1-8b", 8, llm.FP8},
		{"p5.48xlarge", "llama-2-70b", 8, llm.FP8},
		{"p5.48xlarge", "mistral-7b-v0.1", 1, llm.FP16},
		{"p5en.48xlarge", "llama-3-70b", 4, llm.FP16},
		{"p4de.24xlarge", "llama-3-70b", 8, llm.BF16},
		{"p4de.24xlarge", "llama-3-8b", 1, llm.FP16},
	}
	prompts := []int{64, 128, 256, 512, 1000, 1024, 2048, 3000, 4096, 8192}
	batches := []int{1, 2, 3, 4, 8, 16, 32, 64}
	for _, c := range configs {
		t.Run(fmt.Sprintf("%s/%s/tp%d/%s", c.instance, c.model, c.tp, c.dt), func(t *testing.T) {
			perf, arch := propertyPerf(t, prof, c.instance, c.model, c.tp)
			grid := make([][]Prediction, len(batches))
			for i, b := range batches {
				grid[i] = make([]Prediction, len(prompts))
				for j, n := range prompts {
					pt := ServingPoint{Model: c.model, Instance: c.instance, TP: c.tp, Batch: b, SeqLen: 16384,
						InputTokens: n, OutputTokens: 256, WeightDType: c.dt, TTFTMs: 1, TPOTMs: 1}
					pr, err := Predict(pt, arch, perf)
					if err != nil {
						t.Fatalf("%s: %v", pt, err)
					}
					if !(pr.TTFTS > 0 && pr.TPOTS > 0) || math.IsInf(pr.TTFTS+pr.TPOTS, 0) {
						t.Fatalf("%s: TTFT %g s, TPOT %g s: not finite and positive", pt, pr.TTFTS, pr.TPOTS)
					}
					grid[i][j] = pr
				}
			}
			checkGrowth(t, grid, batches, prompts)
		})
	}
}

// propertyPerf builds the committed step-time model of one configuration.
func propertyPerf(t *testing.T, prof *Profile, instance, model string, tp int) (*Perf, llm.Arch) {
	t.Helper()
	inst, err := InstanceByName(instance)
	if err != nil {
		t.Fatal(err)
	}
	chip, err := inst.ChipSpec()
	if err != nil {
		t.Fatal(err)
	}
	s, err := DefaultServing(chip.StepFamily)
	if err != nil {
		t.Fatal(err)
	}
	perf, err := NewPerf(inst, tp, prof.ForChip(chip.Name), s)
	if err != nil {
		t.Fatal(err)
	}
	arch, err := llm.Lookup(model)
	if err != nil {
		t.Fatal(err)
	}
	return perf, arch
}

// checkGrowth fails on any step of the grid (rows: batches, columns:
// prompts) where TTFT or TPOT falls as the work grows. The slack is float
// rounding only: a decode attention kernel too small to fill a GPU's SMs
// used to get up to 0.1% faster as its context grew (paddedVolume charged
// it a whole wave and then divided by an efficiency that rose with N), and
// TestMoreWorkNeverCostsLessOnGPUs holds that fixed.
func checkGrowth(t *testing.T, grid [][]Prediction, batches, prompts []int) {
	t.Helper()
	const slack = 1 + 1e-12
	for i := range grid {
		for j := range grid[i] {
			here := grid[i][j]
			if j > 0 {
				prev := grid[i][j-1]
				if prev.TTFTS > here.TTFTS*slack || prev.TPOTS > here.TPOTS*slack {
					t.Errorf("batch %d: prompt %d -> %d: TTFT %.4g -> %.4g ms, TPOT %.4g -> %.4g ms: more work took less time",
						batches[i], prompts[j-1], prompts[j], 1e3*prev.TTFTS, 1e3*here.TTFTS, 1e3*prev.TPOTS, 1e3*here.TPOTS)
				}
			}
			if i > 0 {
				prev := grid[i-1][j]
				if prev.TTFTS > here.TTFTS*slack || prev.TPOTS > here.TPOTS*slack {
					t.Errorf("prompt %d: batch %d -> %d: TTFT %.4g -> %.4g ms, TPOT %.4g -> %.4g ms: more work took less time",
						prompts[j], batches[i-1], batches[i], 1e3*prev.TTFTS, 1e3*here.TTFTS, 1e3*prev.TPOTS, 1e3*here.TPOTS)
				}
			}
		}
	}
}

// TestNewerChipIsNotSlower compares chip generations on the same
// configuration, where only the chip changes: the newer one, with more
// bandwidth and compute, must not predict a slower prompt or decode step.
// H200 against H100 (same compute, 43% more bandwidth) is checked everywhere
// on the grid. Trainium2 against Trainium1 at the same TP is checked on
// decode only: their constants also describe two serving stacks (vLLM on NxD
// Inference against transformers-neuronx), whose fixed cost of an iteration
// that encodes prompts differs (28 against 14 ms, `prefill_s`), so a short
// prompt compares the stacks, not the chips. H100 against A100 is checked
// at every TP, for 7-13B models too: before the 16-row GPU tiles the two
// GPU families' fixed costs put the H100 behind for those at TP 4 and 8
// (docs/calibration.md, "Beyond the rows"), and these cases keep that fault
// from coming back.
func TestNewerChipIsNotSlower(t *testing.T) {
	prof, err := BuiltinProfile()
	if err != nil {
		t.Fatal(err)
	}
	type side struct {
		instance string
		tp       int
	}
	cases := []struct {
		newer, older side
		model        string
		dt           llm.DType
		decodeOnly   bool
	}{
		{side{"p5en.48xlarge", 1}, side{"p5.48xlarge", 1}, "llama-3-8b", llm.FP16, false},
		{side{"p5en.48xlarge", 8}, side{"p5.48xlarge", 8}, "llama-3-8b", llm.FP8, false},
		{side{"p5en.48xlarge", 4}, side{"p5.48xlarge", 4}, "llama-2-70b", llm.FP16, false},
		{side{"trn2.48xlarge", 8}, side{"trn1.32xlarge", 8}, "llama-3-8b", llm.BF16, true},
		{side{"trn2.48xlarge", 32}, side{"trn1.32xlarge", 32}, "llama-3-70b", llm.BF16, true},
		{side{"p5.48xlarge", 1}, side{"p4de.24xlarge", 1}, "mistral-7b-v0.1", llm.FP16, false},
		{side{"p5.48xlarge", 2}, side{"p4de.24xlarge", 2}, "llama-2-13b", llm.FP16, false},
		{side{"p5.48xlarge", 8}, side{"p4de.24xlarge", 8}, "llama-3-70b", llm.FP16, false},
		{side{"p5.48xlarge", 4}, side{"p4de.24xlarge", 4}, "llama-2-70b", llm.FP16, false},
		{side{"p5.48xlarge", 4}, side{"p4de.24xlarge", 4}, "llama-3-8b", llm.FP16, false},
		{side{"p5.48xlarge", 8}, side{"p4de.24xlarge", 8}, "llama-3-8b", llm.FP16, false},
		{side{"p5.48xlarge", 4}, side{"p4de.24xlarge", 4}, "llama-2-7b", llm.FP16, false},
		{side{"p5.48xlarge", 8}, side{"p4de.24xlarge", 8}, "llama-2-7b", llm.FP16, false},
		{side{"p5.48xlarge", 4}, side{"p4de.24xlarge", 4}, "llama-2-13b", llm.FP16, false},
		{side{"p5.48xlarge", 8}, side{"p4de.24xlarge", 8}, "llama-2-13b", llm.FP16, false},
		{side{"p5.48xlarge", 4}, side{"p4de.24xlarge", 4}, "mistral-7b-v0.1", llm.FP16, false},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%s-tp%d/%s-tp%d/%s", c.newer.instance, c.newer.tp, c.older.instance, c.older.tp, c.model), func(t *testing.T) {
			newer, arch := propertyPerf(t, prof, c.newer.instance, c.model, c.newer.tp)
			older, _ := propertyPerf(t, prof, c.older.instance, c.model, c.older.tp)
			for _, b := range []int{1, 4, 16, 64} {
				for _, n := range []int{128, 1024, 4096, 8192} {
					pt := ServingPoint{Model: c.model, Instance: c.newer.instance, TP: c.newer.tp, Batch: b, SeqLen: 16384,
						InputTokens: n, OutputTokens: 256, WeightDType: c.dt, TTFTMs: 1, TPOTMs: 1}
					pn, errN := Predict(pt, arch, newer)
					pt.Instance, pt.TP = c.older.instance, c.older.tp
					po, errO := Predict(pt, arch, older)
					if errN != nil || errO != nil {
						t.Fatalf("batch %d, prompt %d: %v; %v", b, n, errN, errO)
					}
					if (pn.TTFTS > po.TTFTS && !c.decodeOnly) || pn.TPOTS > po.TPOTS {
						t.Errorf("batch %d, prompt %d: TTFT %.4g vs %.4g ms, TPOT %.4g vs %.4g ms: the newer chip is slower",
							b, n, 1e3*pn.TTFTS, 1e3*po.TTFTS, 1e3*pn.TPOTS, 1e3*po.TPOTS)
					}
				}
			}
		})
	}
}

// TestWeightOnlyFormats: weight-only formats are run where the family runs
// them. On the GPUs a decode step at batch 1 streams its weights, so int4
// (about a quarter of fp16's bytes) beats int8 (half), which beats fp16,
// while the prompt, whose GEMMs compute in bf16 either way, takes the same
// time. Neuron's families do not run int4: Predict says so.
func TestWeightOnlyFormats(t *testing.T) {
	prof, err := BuiltinProfile()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		instance, model string
		tp              int
	}{{"p5.48xlarge", "llama-2-7b", 1}, {"p4de.24xlarge", "llama-2-70b", 4}, {"p5en.48xlarge", "llama-3-70b", 8}} {
		perf, arch := propertyPerf(t, prof, c.instance, c.model, c.tp)
		var prev Prediction
		for i, w := range []llm.DType{llm.FP16, llm.INT8, llm.INT4} {
			pt := ServingPoint{Model: c.model, Instance: c.instance, TP: c.tp, Batch: 1, SeqLen: 4096,
				InputTokens: 1024, OutputTokens: 256, WeightDType: w, TTFTMs: 1, TPOTMs: 1}
			pr, err := Predict(pt, arch, perf)
			if err != nil {
				t.Fatalf("%s: %v", pt, err)
			}
			// 5%: at TP8 the fixed costs per layer outweigh a device's bytes
			if i > 0 && !(pr.TPOTS < 0.95*prev.TPOTS) {
				t.Errorf("%s: TPOT %.3g ms, not 5%% under the wider format's %.3g ms", pt, 1e3*pr.TPOTS, 1e3*prev.TPOTS)
			}
			if i > 0 && math.Abs(pr.TTFTS/prev.TTFTS-1) > 0.02 {
				t.Errorf("%s: TTFT %.4g ms against %.4g: a prompt computes in bf16 whatever the weights", pt, 1e3*pr.TTFTS, 1e3*prev.TTFTS)
			}
			prev = pr
		}
	}
	perf, arch := propertyPerf(t, prof, "inf2.48xlarge", "llama-2-7b", 24)
	pt := ServingPoint{Model: "llama-2-7b", Instance: "inf2.48xlarge", TP: 24, Batch: 1, SeqLen: 4096,
		InputTokens: 1024, OutputTokens: 256, WeightDType: llm.INT4, TTFTMs: 1, TPOTMs: 1}
	var format *WeightFormatError
	if _, err := Predict(pt, arch, perf); !errors.As(err, &format) {
		t.Errorf("int4 on inf2: %v, want a WeightFormatError", err)
	}
	if got := pt.UnmodelledWeights(); !strings.Contains(got, "int4 weights: aiecon models the neuron-v2 family") {
		t.Errorf("UnmodelledWeights = %q", got)
	}
}

// TestMoreWorkNeverCostsLessOnGPUs checks monotonicity where the GPU tile
// and wave model can break it, on every catalog GPU instance: a small dense
// model at TP1, a 70B dense model in fp8 and an MoE, over a grid of batches
// and prompts (the decode context grows with the prompt) and a window of
// prompts one token apart. Two faults broke it: decode attention shorter
// than one wave of SMs charged the whole wave and divided it by an
// efficiency looked up at its own shape, rising with the context (TPOT of
// Llama-3.1-70B fp8 at TP8 on H100 fell 10.976 -> 10.971 ms from 256 to
// 1,024 prompt tokens); and an MoE expert GEMM measured its padding against
// its rows per expert rounded up while its FLOPs counted the true rows
// (Mixtral-8x7B at TP2 on H100: TTFT 25.484 ms at 772 tokens, 25.434 at 773).
func TestMoreWorkNeverCostsLessOnGPUs(t *testing.T) {
	prof, err := BuiltinProfile()
	if err != nil {
		t.Fatal(err)
	}
	models := []struct {
		name string
		dt   llm.DType
		tp   int // 0: the smallest TP degree the weights fit at
	}{
		{"qwen2.5-0.5b", llm.BF16, 1},
		{"llama-3.1-70b", llm.FP8, 0},
		{"mixtral-8x7b", llm.BF16, 0},
	}
	prompts := []int{16, 64, 100, 128, 200, 256, 400, 512, 800, 1024, 1600, 2048, 4096}
	batches := []int{1, 2, 3, 4, 5, 8, 16, 32, 64}
	fine := make([]int, 0, 48)
	for n := 760; n < 808; n++ {
		fine = append(fine, n)
	}
	gpus := 0
	for _, inst := range Instances() {
		chip, err := inst.ChipSpec()
		if err != nil {
			t.Fatal(err)
		}
		if !chip.Tile.Waves {
			continue
		}
		gpus++
		for _, m := range models {
			arch, err := llm.Lookup(m.name)
			if err != nil {
				t.Fatal(err)
			}
			tp := fittingTP(t, inst, chip, arch, m.dt, m.tp)
			if tp == 0 {
				continue
			}
			t.Run(fmt.Sprintf("%s/%s/tp%d/%s", inst.Name, m.name, tp, m.dt), func(t *testing.T) {
				perf, _ := propertyPerf(t, prof, inst.Name, m.name, tp)
				point := func(b, n int) ServingPoint {
					return ServingPoint{Model: m.name, Instance: inst.Name, TP: tp, Batch: b, SeqLen: 8192,
						InputTokens: n, OutputTokens: 16, WeightDType: m.dt, TTFTMs: 1, TPOTMs: 1}
				}
				checkGrowth(t, growthGrid(t, arch, chip, perf, point, batches, prompts), batches, prompts)
				checkGrowth(t, growthGrid(t, arch, chip, perf, point, []int{1, 2}, fine), []int{1, 2}, fine)
			})
		}
	}
	if gpus < 5 {
		t.Fatalf("%d GPU instances in the catalog: the test covers too few", gpus)
	}
}

// fittingTP is tp if the model's weights fit the instance at it, else (tp
// 0) the smallest TP degree of the instance they fit at; 0 if none.
func fittingTP(t *testing.T, inst *Instance, chip *Chip, arch llm.Arch, dt llm.DType, tp int) int {
	t.Helper()
	tps := []int{tp}
	if tp == 0 {
		var err error
		if tps, err = inst.TPDegrees(); err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range tps {
		pt := ServingPoint{Model: arch.Name, Instance: inst.Name, TP: d, Batch: 1, SeqLen: 8192,
			InputTokens: 16, OutputTokens: 16, WeightDType: dt}
		if WeightsDoNotFit(pt, arch, chip) == "" {
			return d
		}
	}
	return 0
}

// growthGrid predicts point(b, n) for every batch b and prompt n; it stops
// a row at the first batch whose KV cache does not fit, keeping the grid
// rectangular by cutting the batches there.
func growthGrid(t *testing.T, arch llm.Arch, chip *Chip, perf *Perf, point func(b, n int) ServingPoint, batches, prompts []int) [][]Prediction {
	t.Helper()
	var grid [][]Prediction
	for _, b := range batches {
		row := make([]Prediction, len(prompts))
		for j, n := range prompts {
			pt := point(b, n)
			if batchDoesNotFit(pt, arch, chip) != "" {
				return grid
			}
			pr, err := Predict(pt, arch, perf)
			if err != nil {
				t.Fatalf("%s: %v", pt, err)
			}
			row[j] = pr
		}
		grid = append(grid, row)
	}
	return grid
}
