package hw

import (
	"encoding/json"
	"errors"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"aiecon/model/llm"
)

// syntheticPoints are points of every shape feature the constants hinge on
// (model size, TP degree, batch, prompt and output length), with TTFT and
// TPOT filled in by Predict with the constants s: what a fit must recover.
func syntheticPoints(t *testing.T, s Serving, instances []string) []ServingPoint {
	t.Helper()
	var pts []ServingPoint
	for _, in := range instances {
		inst := mustInstance(t, in)
		chip, _ := inst.ChipSpec()
		for _, model := range []string{"llama-3-8b", "llama-2-13b", "llama-3-70b"} {
			arch, _ := llm.Lookup(model)
			for _, tp := range chip.TP.Degrees {
				if arch.WeightBytes(llm.BF16)/float64(tp) > 0.8*DeviceOf(chip).HBMBytes {
					continue
				}
				for _, shape := range []struct{ batch, in, out int }{{1, 128, 256}, {1, 2048, 512}, {4, 1024, 1024}, {8, 4096, 64}, {64, 3000, 1000}} {
					pt := ServingPoint{Model: model, Instance: in, TP: tp, Batch: shape.batch, SeqLen: 8192,
						InputTokens: shape.in, OutputTokens: shape.out, WeightDType: llm.BF16, TTFTMs: 1, TPOTMs: 1}
					if batchDoesNotFit(pt, arch, chip) != "" || StaticKVDoesNotFit(pt, arch, chip) != "" {
						continue // a batch no device holds: the fit skips or refuses it
					}
					perf, err := NewPerf(inst, tp, AssumedEfficiency, s)
					if err != nil {
						t.Fatal(err)
					}
					pr, err := Predict(pt, arch, perf)
					if err != nil {
						t.Fatal(err)
					}
					pt.TTFTMs, pt.TPOTMs = 1e3*pr.TTFTS, 1e3*pr.TPOTS
					pts = append(pts, pt)
				}
			}
		}
	}
	return pts
}

// TestFitRecoversKnownConstants: points predicted from known constants are
// fitted back to them. Every constant is pinned by these shapes (TP 1 to 8
// separates the collective latency from the per-layer cost), so the fit must
// land within 2% of each.
func TestFitRecoversKnownConstants(t *testing.T) {
	truth := Serving{Family: StepGPU, PrefillS: 8e-3, LayerS: 20e-6, CollectiveS: 50e-6,
		HBMFrac: 0.6, KVFrac: 0.45, GEMMScale: 0.4, AttnScale: 0.8, KVGroupExp: 0.5, LinkFrac: 0.5}
	pts := syntheticPoints(t, truth, []string{"p5.48xlarge"})
	if len(pts) < 20 {
		t.Fatalf("only %d synthetic points", len(pts))
	}
	got, rep, err := FitFamily(pts, Uniform{AssumedEfficiency})
	if err != nil {
		t.Fatal(err)
	}
	if rep.RMSLogErr > 1e-3 {
		t.Errorf("RMS log error %.2g on exact points", rep.RMSLogErr)
	}
	want := truth.Values()
	for i, v := range got.Values() {
		if rel := math.Abs(v-want[i]) / want[i]; rel > 0.02 {
			t.Errorf("%s = %.4g, want %.4g (off by %.1f%%)", ConstantNames[i].Name, v, want[i], 100*rel)
		}
	}
}

// TestFitWithOneMetricRows: rows that publish only TTFT or only TPOT still
// pin the constants; the missing metric adds nothing to the loss.
func TestFitWithOneMetricRows(t *testing.T) {
	truth := Serving{Family: StepGPU, PrefillS: 8e-3, LayerS: 20e-6, CollectiveS: 50e-6,
		HBMFrac: 0.6, KVFrac: 0.45, GEMMScale: 0.4, AttnScale: 0.8, KVGroupExp: 0.5, LinkFrac: 0.5}
	pts := syntheticPoints(t, truth, []string{"p5.48xlarge"})
	for i := range pts {
		if i%3 == 1 {
			pts[i].TPOTMs = 0
		} else if i%3 == 2 {
			pts[i].TTFTMs = 0
		}
	}
	set, _, err := compilePoints(pts, Uniform{AssumedEfficiency})
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range set.points {
		if want := []int{2, 1, 1}[i%3]; len(p.published()) != want {
			t.Errorf("point %d publishes %d metrics to the loss and cross-validation, want %d", i, len(p.published()), want)
		}
	}
	got, rep, err := FitFamily(pts, Uniform{AssumedEfficiency})
	if err != nil {
		t.Fatal(err)
	}
	if rep.RMSLogErr > 1e-3 || math.IsNaN(rep.RMSLogErr) {
		t.Errorf("RMS log error %.2g on exact points", rep.RMSLogErr)
	}
	want := truth.Values()
	for i, v := range got.Values() {
		if rel := math.Abs(v-want[i]) / want[i]; rel > 0.05 {
			t.Errorf("%s = %.4g, want %.4g (off by %.1f%%)", ConstantNames[i].Name, v, want[i], 100*rel)
		}
	}
}

// TestCompiledMatchesPredict: the fit's compiled terms price a point exactly
// as Predict does, for any constants.
func TestCompiledMatchesPredict(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pts := []ServingPoint{
		{Model: "llama-2-70b", Instance: "trn1.32xlarge", TP: 32, Batch: 4, SeqLen: 4096, InputTokens: 2048, OutputTokens: 2048, WeightDType: llm.BF16, TTFTMs: 1, TPOTMs: 1},
		{Model: "llama-3-8b", Instance: "inf2.48xlarge", TP: 24, Batch: 8, SeqLen: 4096, InputTokens: 128, OutputTokens: 3968, WeightDType: llm.INT8, TTFTMs: 1, TPOTMs: 1},
		{Model: "llama-2-7b", Instance: "p5.48xlarge", TP: 2, Batch: 64, SeqLen: 2176, InputTokens: 2048, OutputTokens: 128, WeightDType: llm.FP8, TTFTMs: 1, TPOTMs: 1},
		{Model: "llama-3.1-8b", Instance: "trn2.48xlarge", TP: 8, Batch: 2, Concurrency: 2, SeqLen: 2048, InputTokens: 512, OutputTokens: 128, WeightDType: llm.BF16, TTFTMs: 1, TPOTMs: 1},
		{Model: "gpt-oss-120b", Instance: "trn2.48xlarge", TP: 16, Batch: 1, Concurrency: 1, SeqLen: 768, InputTokens: 512, OutputTokens: 128, WeightDType: llm.BF16, TTFTMs: 1, TPOTMs: 1},
	}
	prof, err := BuiltinProfile()
	if err != nil {
		t.Fatal(err)
	}
	for _, pt := range pts {
		arch, _ := llm.Lookup(pt.Model)
		inst := mustInstance(t, pt.Instance)
		chip, _ := inst.ChipSpec()
		for trial := range 5 {
			s, _ := DefaultServing(chip.StepFamily)
			v := s.Values()
			for i := range v {
				v[i] *= 0.5 + rng.Float64()
			}
			s = s.withValues(v)
			s.HBMFrac, s.KVFrac, s.LinkFrac = min(s.HBMFrac, 1), min(s.KVFrac, 1), min(s.LinkFrac, 1)
			perf, err := NewPerf(inst, pt.TP, prof.ForChip(chip.Name), s)
			if err != nil {
				t.Fatal(err)
			}
			pr, err := Predict(pt, arch, perf)
			if err != nil {
				t.Fatal(err)
			}
			cp, err := compilePoint(pt, arch, perf)
			if err != nil {
				t.Fatal(err)
			}
			tt, tp := cp.ttft.eval(&s, cp.hbm), cp.tpot.eval(&s, cp.hbm)
			if math.Abs(tt-pr.TTFTS) > 1e-9*pr.TTFTS || math.Abs(tp-pr.TPOTS) > 1e-9*pr.TPOTS {
				t.Errorf("%s trial %d: compiled TTFT %.9g TPOT %.9g, Predict %.9g %.9g", pt, trial, tt, tp, pr.TTFTS, pr.TPOTS)
			}
		}
	}
}

// TestFittedDefaultsUpToDate refits every family from the public training
// set and fails when a committed constant drifts by more than 2% (or, for a
// constant at its bound, by more than 1 us).
func TestFittedDefaultsUpToDate(t *testing.T) {
	if testing.Short() {
		t.Skip("refits every family")
	}
	prof, err := BuiltinProfile()
	if err != nil {
		t.Fatal(err)
	}
	type refit struct {
		fam string
		as  stepFamily // nil: as fam structures its graphs
	}
	var fits []refit
	for _, fam := range StepFamilies() {
		fits = append(fits, refit{fam, nil})
	}
	for k := range inheritedFits { // what a family inherits, fitted as it structures its graphs
		as, err := stepFamilyByName(k[1])
		if err != nil {
			t.Fatal(err)
		}
		fits = append(fits, refit{k[0], as})
	}
	for _, f := range fits {
		name, fam := f.fam, f.fam
		if f.as != nil {
			name += " as " + f.as.name()
		}
		t.Run(name, func(t *testing.T) {
			pts := trainingPoints(t, fam)
			got, _, err := fitFamilyAs(pts, prof, f.as)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := DefaultServing(fam)
			if f.as != nil {
				want = *inheritedFits[[2]string{fam, f.as.name()}]
			}
			w := want.Values()
			for i, v := range got.Values() {
				if math.Abs(v-w[i]) > max(0.02*w[i], 1e-6) {
					t.Errorf("%s: refit %.4g, committed %.4g: update serving_defaults.go and docs/calibration.md", ConstantNames[i].Name, v, w[i])
				}
			}
			if got.FittedRows != want.FittedRows {
				// run's step-times line says "fitted to N ...", and the CV
				// record's "N fitted" (TestCommittedCVUpToDate) rests on it.
				t.Errorf("fitted to %d rows, committed %d: update serving_defaults.go and docs/calibration.md", got.FittedRows, want.FittedRows)
			}
			if !sameShapes(got.FittedShapes, want.FittedShapes) {
				t.Errorf("fitted shapes %v, committed %v: update serving_defaults.go", got.FittedShapes, want.FittedShapes)
			}
			if !slices.Equal(got.FittedWeights, want.FittedWeights) {
				t.Errorf("fitted weight formats %v, committed %v: update serving_defaults.go", got.FittedWeights, want.FittedWeights)
			}
			if got.FittedMaxPrompt != want.FittedMaxPrompt || got.FittedMaxContext != want.FittedMaxContext || got.FittedMoE != want.FittedMoE {
				t.Errorf("fitted longest prompt %d, context %d, MoE %v; committed %d, %d, %v: update serving_defaults.go",
					got.FittedMaxPrompt, got.FittedMaxContext, got.FittedMoE, want.FittedMaxPrompt, want.FittedMaxContext, want.FittedMoE)
			}
			if got.FittedMinBatch != want.FittedMinBatch || got.FittedMaxBatch != want.FittedMaxBatch || got.FittedLoops != want.FittedLoops ||
				!slices.Equal(got.FittedStacks, want.FittedStacks) {
				t.Errorf("fitted batches %d-%d, %d loops, stacks %q; committed %d-%d, %d, %q: update serving_defaults.go",
					got.FittedMinBatch, got.FittedMaxBatch, got.FittedLoops, got.FittedStacks,
					want.FittedMinBatch, want.FittedMaxBatch, want.FittedLoops, want.FittedStacks)
			}
		})
	}
}

// TestCrossValidateHidesTheHeldOutModel: a fold never sees the rows it
// predicts. Doubling one model's measured latencies must leave that model's
// cross-validated predictions as they were (its fold is fitted on the other
// models' rows alone), while it moves the full fit and the other models'
// predictions (their folds learn from it). On exact synthetic points a fold
// fitted to every row also predicts without error, so the error alone
// cannot tell a leaking cross-validation from an honest one.
func TestCrossValidateHidesTheHeldOutModel(t *testing.T) {
	truth := Serving{Family: StepNeuronV2, PrefillS: 8e-3, LayerS: 20e-6, CollectiveS: 50e-6,
		HBMFrac: 0.6, KVFrac: 0.45, GEMMScale: 0.4, AttnScale: 0.2, KVGroupExp: 0.5, LinkFrac: 0.5}
	pts := syntheticPoints(t, truth, []string{"inf2.48xlarge"})
	const moved = "llama-2-13b"
	perturbed := slices.Clone(pts)
	for i := range perturbed {
		if perturbed[i].Model == moved {
			perturbed[i].TTFTMs *= 2
			perturbed[i].TPOTMs *= 2
		}
	}
	eff := Uniform{AssumedEfficiency}
	before, err := CrossValidate(pts, eff)
	if err != nil {
		t.Fatal(err)
	}
	after, err := CrossValidate(perturbed, eff)
	if err != nil {
		t.Fatal(err)
	}
	if len(before.Rows) != len(after.Rows) {
		t.Fatalf("%d rows cross-validated, then %d", len(before.Rows), len(after.Rows))
	}
	// The largest relative change of a prediction, for the moved model's
	// rows and for the others'.
	var own, others float64
	for i, b := range before.Rows {
		a := after.Rows[i]
		if a.Point.Model != b.Point.Model {
			t.Fatalf("row %d: %s, then %s", i, b.Point.Model, a.Point.Model)
		}
		d := max(math.Abs(a.TTFTMs/b.TTFTMs-1), math.Abs(a.TPOTMs/b.TPOTMs-1))
		if b.Point.Model == moved {
			own = max(own, d)
		} else {
			others = max(others, d)
		}
	}
	if own > 1e-9 {
		t.Errorf("doubling %s's latencies moved its own cross-validated predictions by up to %.3g%%: its fold saw its rows", moved, 100*own)
	}
	if others < 0.01 {
		t.Errorf("doubling %s's latencies moved the other models' predictions by at most %.3g%%: their folds do not learn from it", moved, 100*others)
	}
	full, _, err := FitFamily(pts, eff)
	if err != nil {
		t.Fatal(err)
	}
	fullMoved, _, err := FitFamily(perturbed, eff)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Equal(full.Values(), fullMoved.Values()) {
		t.Errorf("doubling %s's latencies left the full fit at %v: the check above would pass whatever the folds saw", moved, full.Values())
	}
}

// TestLayerShape: models whose blocks are the same, differing only in
// their vocabulary, names and sources, are one layer shape; a model given
// inline with the defaults spelt out is its catalog twin's shape.
func TestLayerShape(t *testing.T) {
	arch := func(name string) llm.Arch {
		a, err := llm.Lookup(name)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	spelt := arch("llama-3-8b")
	spelt.Name, spelt.HeadDim, spelt.MLP, spelt.Source = "my-8b", spelt.Hidden/spelt.Heads, "gated", ""
	wider := arch("llama-3-8b")
	wider.FFN++
	tests := []struct {
		a, b llm.Arch
		same bool
	}{
		{arch("llama-2-70b"), arch("llama-3-70b"), true},
		{arch("mistral-7b-instruct-v0.2"), arch("llama-3-8b"), true},
		{arch("codellama-13b"), arch("llama-2-13b"), true},
		{spelt, arch("llama-3-8b"), true},
		{arch("llama-2-7b"), arch("llama-2-13b"), false},
		{arch("llama-2-7b"), arch("llama-3-8b"), false}, // multi-head against grouped-query
		{wider, arch("llama-3-8b"), false},
	}
	for _, tt := range tests {
		if got := layerShape(tt.a) == layerShape(tt.b); got != tt.same {
			t.Errorf("%s and %s: one layer shape %v, want %v", tt.a.Name, tt.b.Name, got, tt.same)
		}
	}
}

// TestCrossValidateByShapeHidesTwins: leaving one layer shape out predicts
// a model without its twin of the same blocks, which leaving one model out
// keeps. Doubling CodeLlama-13B's latencies moves Llama-2-13B's
// leave-one-model-out predictions (its fold learns from the twin), and
// must leave its leave-one-layer-shape-out ones as they were.
func TestCrossValidateByShapeHidesTwins(t *testing.T) {
	truth := Serving{Family: StepNeuronV2, PrefillS: 8e-3, LayerS: 0, CollectiveS: 50e-6,
		HBMFrac: 0.6, KVFrac: 0.45, GEMMScale: 0.4, AttnScale: 0.2, KVGroupExp: 0.5, LinkFrac: 0.5}
	pts := syntheticPoints(t, truth, []string{"inf2.48xlarge"})
	for _, p := range pts {
		if p.Model == "llama-2-13b" {
			p.Model = "codellama-13b"
			pts = append(pts, p)
		}
	}
	perturbed := slices.Clone(pts)
	for i := range perturbed {
		if perturbed[i].Model == "codellama-13b" {
			perturbed[i].TTFTMs *= 2
			perturbed[i].TPOTMs *= 2
		}
	}
	eff := Uniform{AssumedEfficiency}
	moved := func(by CVBy) float64 {
		before, err := CrossValidateBy(pts, eff, by)
		if err != nil {
			t.Fatal(err)
		}
		after, err := CrossValidateBy(perturbed, eff, by)
		if err != nil {
			t.Fatal(err)
		}
		var most float64
		for i, b := range before.Rows {
			if b.Point.Model == "llama-2-13b" {
				a := after.Rows[i]
				most = max(most, math.Abs(a.TTFTMs/b.TTFTMs-1), math.Abs(a.TPOTMs/b.TPOTMs-1))
			}
		}
		return most
	}
	if d := moved(ByModel); d < 0.01 {
		t.Errorf("leave-one-model-out: doubling codellama-13b moved llama-2-13b's predictions by %.3g%%: its fold should learn from the twin", 100*d)
	}
	if d := moved(ByShape); d > 1e-9 {
		t.Errorf("leave-one-layer-shape-out: doubling codellama-13b moved llama-2-13b's predictions by %.3g%%: its fold saw its twin", 100*d)
	}
	cv, err := CrossValidateBy(pts, eff, ByShape)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"codellama-13b+llama-2-13b", "llama-3-70b", "llama-3-8b"}; !slices.Equal(slices.Sorted(maps.Keys(cv.Folds)), want) {
		t.Errorf("folds %v, want %v", slices.Sorted(maps.Keys(cv.Folds)), want)
	}
}

// TestFitsStartFromThePrior: neither a fit nor a cross-validation fold
// starts from the committed constants. They were fitted to every row, a
// fold's held-out rows included, and the loss has local minima, so a fold
// started there is steered by the rows it leaves out. With the committed
// neuron-v2 constants replaced, every fold and the fit must land on the
// very same constants.
func TestFitsStartFromThePrior(t *testing.T) {
	truth := Serving{Family: StepNeuronV2, PrefillS: 8e-3, LayerS: 0, CollectiveS: 50e-6,
		HBMFrac: 0.6, KVFrac: 0.45, GEMMScale: 0.4, AttnScale: 0.2, KVGroupExp: 0.5, LinkFrac: 0.5}
	pts := syntheticPoints(t, truth, []string{"inf2.48xlarge"})
	eff := Uniform{AssumedEfficiency}
	run := func() (*CVReport, Serving) {
		cv, err := CrossValidate(pts, eff)
		if err != nil {
			t.Fatal(err)
		}
		s, _, err := FitFamily(pts, eff)
		if err != nil {
			t.Fatal(err)
		}
		return cv, s
	}
	cv, fit := run()
	committed := neuronV2Serving
	t.Cleanup(func() { neuronV2Serving = committed })
	v := committed.Values()
	for i := range v {
		if i != cLayer { // held by the fit plan at its committed 0
			v[i] *= 0.6
		}
	}
	neuronV2Serving = committed.withValues(v)
	cv2, fit2 := run()
	for fold, s := range cv.Folds {
		sameConstants(t, "the fold without "+fold, s, cv2.Folds[fold])
	}
	sameConstants(t, "the fit", fit, fit2)
}

// TestMinimiseFromKeepsTheLowest: a fit run from several starts keeps the
// one that ends lowest. On the Neuron v2 training set the loss has local
// minima: without Llama-3-70B, the prior's start ends with kv_group_exp at
// the edge of its range, where its logistic is flat, and the others do not.
// Every fold must end at least as low as the best of its starts alone.
func TestMinimiseFromKeepsTheLowest(t *testing.T) {
	if testing.Short() {
		t.Skip("fits each Neuron v2 fold four times")
	}
	prof, err := BuiltinProfile()
	if err != nil {
		t.Fatal(err)
	}
	set, _, err := compilePoints(trainingPoints(t, StepNeuronV2), prof)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := set.plan()
	if err != nil {
		t.Fatal(err)
	}
	starts := set.starts(plan)
	for _, fold := range set.folds(ByModel) {
		var train []int
		for i, p := range set.points {
			if p.model != fold {
				train = append(train, i)
			}
		}
		train = set.learnable(train)
		best := math.Inf(1)
		for _, st := range starts {
			s, _, _, err := set.minimise(st, train)
			if err != nil {
				t.Fatal(err)
			}
			best = min(best, set.loss(&s, train))
		}
		s, _, _, err := set.minimiseFrom(starts, train)
		if err != nil {
			t.Fatal(err)
		}
		if l := set.loss(&s, train); l > best {
			t.Errorf("without %s: the loss ends at %.6f from %d starts, at %.6f from the best of them alone", fold, l, len(starts), best)
		}
	}
}

// sameConstants fails on the first constant that differs between a and b.
func sameConstants(t *testing.T, what string, a, b Serving) {
	t.Helper()
	x, y := a.Values(), b.Values()
	for i := range x {
		if x[i] != y[i] {
			t.Errorf("%s: %s %.17g, and %.17g with other committed constants", what, ConstantNames[i].Name, x[i], y[i])
			return
		}
	}
}

func TestCrossValidateLeavesEachModelOut(t *testing.T) {
	truth := Serving{Family: StepNeuronV2, PrefillS: 8e-3, LayerS: 20e-6, CollectiveS: 50e-6,
		HBMFrac: 0.6, KVFrac: 0.45, GEMMScale: 0.4, AttnScale: 0.2, KVGroupExp: 0.5, LinkFrac: 0.5}
	pts := syntheticPoints(t, truth, []string{"inf2.48xlarge"})
	cv, err := CrossValidate(pts, Uniform{AssumedEfficiency})
	if err != nil {
		t.Fatal(err)
	}
	if len(cv.Folds) != 3 || len(cv.Rows) != len(pts) {
		t.Fatalf("%d folds, %d rows; want 3 folds and %d rows", len(cv.Folds), len(cv.Rows), len(pts))
	}
	// Exact synthetic points: every held-out model is predicted exactly.
	if cv.TTFTMAPE > 0.01 || cv.TPOTMAPE > 0.01 {
		t.Errorf("cross-validated MAPE TTFT %.2g, TPOT %.2g on exact points", cv.TTFTMAPE, cv.TPOTMAPE)
	}
	if w := cv.Worst(2); len(w) != 2 {
		t.Errorf("Worst(2) = %d rows", len(w))
	}
	// Every fold recovers the same constants, so they hardly spread (layer_s,
	// held by the neuron-v2 fit plan, not at all).
	for name, rel := range cv.Spread(truth) {
		if rel > 0.02 {
			t.Errorf("%s spreads %.1f%% over folds of exact points", name, 100*rel)
		}
	}
	if _, err := CrossValidate(pts[:1], Uniform{AssumedEfficiency}); err == nil || !strings.Contains(err.Error(), "two models") {
		t.Errorf("one model: %v", err)
	}
	// A model named two ways (catalog name, Hugging Face id) is one fold:
	// holding out one spelling must not leave the other in training.
	renamed := slices.Clone(pts)
	for i := range renamed {
		if renamed[i].Model == "llama-2-13b" && i%2 == 0 {
			renamed[i].Model = "meta-llama/Llama-2-13b-chat-hf"
		}
	}
	cv2, err := CrossValidate(renamed, Uniform{AssumedEfficiency})
	if err != nil || len(cv2.Folds) != 3 {
		t.Errorf("renamed: %d folds, %v; want 3", len(cv2.Folds), err)
	}
}

func TestFitSkipsWhatItCannotExpress(t *testing.T) {
	pts := []ServingPoint{
		{Model: "llama-3.1-8b", Instance: "trn2.48xlarge", TP: 8, Batch: 2, SeqLen: 2048, InputTokens: 512, OutputTokens: 128,
			WeightDType: llm.BF16, TTFTMs: 63, TPOTMs: 6.4, SpecDecode: "EAGLE3"},
		{Model: "gpt-oss-120b", Instance: "trn2.48xlarge", TP: 16, Batch: 1, SeqLen: 768, InputTokens: 512, OutputTokens: 128,
			WeightDType: llm.BF16, TTFTMs: 252, TPOTMs: 7},
		// Under its Hugging Face id it is the same model, skipped alike.
		{Model: "openai/gpt-oss-120b", Instance: "trn2.48xlarge", TP: 16, Batch: 1, SeqLen: 768, InputTokens: 512, OutputTokens: 128,
			WeightDType: llm.BF16, TTFTMs: 252, TPOTMs: 7},
	}
	_, rep, err := FitFamily(pts, Uniform{AssumedEfficiency})
	if !errors.Is(err, ErrNothingToFit) || !strings.Contains(err.Error(), "every point was skipped") || len(rep.Skipped) != 3 {
		t.Fatalf("err %v, skipped %+v", err, rep.Skipped)
	}
	mixed := append(syntheticPoints(t, neuronV2Serving, []string{"inf2.48xlarge"})[:2],
		ServingPoint{Model: "llama-2-7b", Instance: "p5.48xlarge", TP: 1, Batch: 1, SeqLen: 256, InputTokens: 128, OutputTokens: 128, WeightDType: llm.BF16, TTFTMs: 9, TPOTMs: 6.8})
	if _, _, err := FitFamily(mixed, Uniform{AssumedEfficiency}); err == nil || !strings.Contains(err.Error(), "one step family at a time") {
		t.Errorf("mixed families: %v", err)
	}
}

// TestCoverageOf: how far constants speak for a chip follows from the
// chips and rows they were fitted to.
func TestCoverageOf(t *testing.T) {
	fitted := Serving{FittedChips: []string{"H100", "H200"}, FittedRows: 708}
	tests := []struct {
		s    Serving
		chip string
		want Coverage
	}{
		{Serving{}, "H100", CoverageNone},
		{fitted, "H100", CoverageFitted},
		{fitted, "B200", CoverageTransfer},
		{Serving{FittedChips: []string{"Trainium2"}, FittedRows: 2}, "Trainium2", CoverageThin},
		{Serving{FittedChips: []string{"Trainium2"}, FittedRows: ThinFitRows}, "Trainium2", CoverageFitted},
		// The committed Ampere constants were fitted on the A100-80GB
		// (p4de) alone: the 40GB part of p4d, the same die with HBM2,
		// gets them by transfer, as the A10G does.
		{gpuAmpereServing, "A100-80GB", CoverageFitted},
		{gpuAmpereServing, "A100-40GB", CoverageTransfer},
		{gpuAmpereServing, "A10G", CoverageTransfer},
		{gpuServing, "L40S", CoverageTransfer},
	}
	for _, tt := range tests {
		if got := tt.s.CoverageOf(tt.chip); got != tt.want {
			t.Errorf("%v on %s: coverage %d, want %d", tt.s.FittedChips, tt.chip, got, tt.want)
		}
	}
}

// TestDefaultsNameTheirChips: every family's committed constants name the
// chips they were fitted to, each a catalogued chip of that family, and a
// fit records its points' chips and count.
func TestDefaultsNameTheirChips(t *testing.T) {
	for _, fam := range StepFamilies() {
		s, _ := DefaultServing(fam)
		if len(s.FittedChips) == 0 || s.FittedRows == 0 {
			t.Errorf("%s: defaults name no fitted chips or rows", fam)
		}
		for _, name := range s.FittedChips {
			c, err := ChipByName(name)
			if err != nil || c.StepFamily != fam {
				t.Errorf("%s: fitted chip %q is not a %s chip of the catalog (%v)", fam, name, fam, err)
			}
		}
	}
	truth := Serving{Family: StepGPU, PrefillS: 8e-3, LayerS: 20e-6, CollectiveS: 50e-6, HBMFrac: 0.6, KVFrac: 0.45, GEMMScale: 0.4, AttnScale: 0.8, LinkFrac: 0.7}
	pts := syntheticPoints(t, truth, []string{"p5.48xlarge", "p5en.48xlarge"})
	got, _, err := FitFamily(pts, Uniform{AssumedEfficiency})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got.FittedChips, ",") != "H100,H200" || got.FittedRows != len(pts) {
		t.Errorf("fit records chips %v and %d rows, want H100,H200 and %d", got.FittedChips, got.FittedRows, len(pts))
	}
}

// TestJackknifeSE: the jackknife standard error, checked by hand, exactly 0
// for folds that agree (7 folds of a value a running mean would round), and
// unknown (NaN) under 3 folds.
func TestJackknifeSE(t *testing.T) {
	tests := []struct {
		name string
		vals []float64
		want float64
	}{
		{"three folds", []float64{1e-3, 2e-3, 3e-3}, math.Sqrt(2.0 / 3 * 2e-6)},
		{"seven equal folds", []float64{0.4893, 0.4893, 0.4893, 0.4893, 0.4893, 0.4893, 0.4893}, 0},
		{"two folds", []float64{1, 2}, math.NaN()},
	}
	for _, tt := range tests {
		got := jackknifeSE(tt.vals)
		if math.IsNaN(tt.want) != math.IsNaN(got) || (!math.IsNaN(got) && math.Abs(got-tt.want) > 1e-15) {
			t.Errorf("%s: %g, want %g", tt.name, got, tt.want)
		}
	}
	r := &CVReport{StdErr: []float64{1e-3, 0, 0, math.NaN(), 0, 0, 0, 0, 0.1}, Held: []string{"layer_s"}}
	spread := r.Spread(Serving{PrefillS: 2e-3, LayerS: 1e-5, HBMFrac: 0.5, LinkFrac: 0.5})
	want := map[string]float64{"prefill_s": 0.5, "link_frac": 0.2}
	if len(spread) != len(want) || spread["prefill_s"] != 0.5 || math.Abs(spread["link_frac"]-0.2) > 1e-15 {
		t.Errorf("Spread = %v, want %v (held, unknown and zero constants left out)", spread, want)
	}
	// JSON has no NaN: an unknown error is null, by constant name.
	js, err := json.Marshal(r.StdErr)
	if err != nil || !strings.Contains(string(js), `"hbm_frac":null`) || !strings.Contains(string(js), `"prefill_s":0.001`) {
		t.Errorf("StdErr as JSON: %s, %v", js, err)
	}
}

// TestCrossValidateUnseen: when only one model runs above TP1, the fold
// without it has no all-reduce, so collective_s and link_frac are unseen
// there and their error rests on the other folds (too few here: NaN).
func TestCrossValidateUnseen(t *testing.T) {
	truth := Serving{Family: StepGPU, PrefillS: 8e-3, LayerS: 20e-6, CollectiveS: 50e-6,
		HBMFrac: 0.6, KVFrac: 0.45, GEMMScale: 0.4, AttnScale: 0.8, KVGroupExp: 0.5, LinkFrac: 0.5}
	var pts []ServingPoint
	for _, pt := range syntheticPoints(t, truth, []string{"p5.48xlarge"}) {
		if pt.TP == 1 || pt.Model == "llama-3-70b" {
			pts = append(pts, pt)
		}
	}
	cv, err := CrossValidate(pts, Uniform{AssumedEfficiency})
	if err != nil {
		t.Fatal(err)
	}
	if got := cv.Unseen["llama-3-70b"]; !slices.Equal(got, []string{"collective_s", "link_frac"}) {
		t.Errorf("unseen without llama-3-70b: %v, want collective_s and link_frac", got)
	}
	if len(cv.Unseen) != 1 || len(cv.Held) != 0 {
		t.Errorf("unseen %v, held %v: want only the 70B fold, nothing held", cv.Unseen, cv.Held)
	}
	if !math.IsNaN(cv.StdErr[cLink]) || math.IsNaN(cv.StdErr[cPrefill]) {
		t.Errorf("standard errors %v: link_frac (2 folds see it) must be unknown, prefill_s known", cv.StdErr)
	}
}

// TestCrossValidateByTP: leaving one TP degree out makes one fold per degree,
// in increasing order, each predicting exact points exactly; an unknown fold
// kind is an error.
func TestCrossValidateByTP(t *testing.T) {
	truth := Serving{Family: StepGPU, PrefillS: 8e-3, LayerS: 20e-6, CollectiveS: 50e-6,
		HBMFrac: 0.6, KVFrac: 0.45, GEMMScale: 0.4, AttnScale: 0.8, KVGroupExp: 0.5, LinkFrac: 0.5}
	pts := syntheticPoints(t, truth, []string{"p5.48xlarge"})
	cv, err := CrossValidateBy(pts, Uniform{AssumedEfficiency}, ByTP)
	if err != nil {
		t.Fatal(err)
	}
	if got := slices.Sorted(maps.Keys(cv.Folds)); !slices.Equal(got, []string{"TP1", "TP2", "TP4", "TP8"}) || cv.By != ByTP {
		t.Errorf("folds %v by %q, want TP1, TP2, TP4, TP8 by tp", got, cv.By)
	}
	if cv.TTFTMAPE > 0.01 || cv.TPOTMAPE > 0.01 {
		t.Errorf("leave-one-TP-degree-out MAPE TTFT %.2g, TPOT %.2g on exact points", cv.TTFTMAPE, cv.TPOTMAPE)
	}
	if _, err := CrossValidateBy(pts, Uniform{AssumedEfficiency}, "chip"); err == nil {
		t.Error("an unknown fold kind was accepted")
	}
}

// sameShapes compares fitted shapes to the four digits the defaults keep.
func sameShapes(a, b []FittedShape) bool {
	return slices.EqualFunc(a, b, func(x, y FittedShape) bool {
		return x.TP == y.TP && math.Abs(x.MinParamsB/y.MinParamsB-1) < 1e-3 && math.Abs(x.MaxParamsB/y.MaxParamsB-1) < 1e-3
	})
}

// TestFitRefusesWhatValidateRefuses: a row whose weights take more than a
// device is an error, as in validate, and a static batch no device holds is
// skipped with the reason; both used to be fitted and moved every constant.
func TestFitRefusesWhatValidateRefuses(t *testing.T) {
	truth, _ := DefaultServing(StepGPU)
	good := syntheticPoints(t, truth, []string{"p5.48xlarge"})
	huge := ServingPoint{Model: "llama-3.1-405b", Instance: "p5.48xlarge", TP: 1, Batch: 8, SeqLen: 2048, InputTokens: 512, OutputTokens: 256,
		WeightDType: llm.BF16, TTFTMs: 120, TPOTMs: 9.5, Line: 99, File: "mine.csv"}
	if _, _, err := FitFamily(append(good, huge), Uniform{AssumedEfficiency}); err == nil || !strings.Contains(err.Error(), "weights take") ||
		!strings.Contains(err.Error(), "mine.csv:99") {
		t.Errorf("405B on one H100: %v", err)
	}
	big := ServingPoint{Model: "llama-3.1-8b", Instance: "p5.48xlarge", TP: 1, Batch: 512, SeqLen: 4096, InputTokens: 2048, OutputTokens: 2048,
		WeightDType: llm.BF16, TTFTMs: 100, TPOTMs: 10, Line: 7, File: "mine.csv"}
	_, rep, err := FitFamily(append(good, big), Uniform{AssumedEfficiency})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, s := range rep.Skipped {
		found = found || (s.Point.Line == 7 && strings.Contains(s.Reason, "the batch of 512 needs"))
	}
	if !found {
		t.Errorf("a batch of 512 x 4096 tokens of 8B on one H100 was not skipped: %+v", rep.Skipped)
	}
}

// TestGroupsByTheModelAsRead: a Hugging Face id and the catalog name of
// one release are one group, as they are one cross-validation fold.
func TestGroupsByTheModelAsRead(t *testing.T) {
	row := func(model string, ttft float64) FitRow {
		return FitRow{Point: ServingPoint{Model: model, Instance: "p5.48xlarge", TP: 1, Batch: 1, InputTokens: 128, OutputTokens: 128,
			WeightDType: llm.BF16, TTFTMs: 10, TPOTMs: 5}, TTFTRelErr: ttft, TPOTRelErr: 0.1}
	}
	groups, _, _ := GroupErrors([]FitRow{row("llama-3.1-8b", 0.1), row("meta-llama/Llama-3.1-8B-Instruct", -0.1)})
	if len(groups) != 1 || groups[0].Model != "llama-3.1-8b" || groups[0].Rows != 2 {
		t.Errorf("groups %+v, want one llama-3.1-8b group of 2 rows", groups)
	}
}

// TestBatchFitCountsTheWindow: on a GPU server, which frees a sliding-window
// layer's blocks past its window, a long batch of Mistral-7B fits where one
// of a model without a window does not; each layer counts its own context.
func TestBatchFitCountsTheWindow(t *testing.T) {
	chip, err := mustInstance(t, "p5.48xlarge").ChipSpec()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		model     string
		tp, batch int
		in, out   int
		fits      bool
	}{
		{"mistral-7b-v0.1", 1, 64, 30000, 2768, true},
		{"llama-3.1-8b", 1, 64, 30000, 2768, false},
		// Half of GPT-OSS-120B's layers are windowed: the other half hold
		// the whole context (the window was applied to every layer).
		{"gpt-oss-120b", 8, 128, 120000, 11072, false},
	} {
		arch, err := llm.Lookup(tt.model)
		if err != nil {
			t.Fatal(err)
		}
		pt := ServingPoint{Model: tt.model, Instance: "p5.48xlarge", TP: tt.tp, Batch: tt.batch, SeqLen: tt.in + tt.out, InputTokens: tt.in,
			OutputTokens: tt.out, WeightDType: llm.BF16, TTFTMs: 1, TPOTMs: 1}
		if reason := batchDoesNotFit(pt, arch, chip); (reason == "") != tt.fits {
			t.Errorf("%s: %q, want fits %v", tt.model, reason, tt.fits)
		}
	}
}

// TestFitHoldsUnexercisedConstants: a constant no fitted row exercises (no
// row gives ttft_ms, so none pays prefill_s; none runs above TP1, so none
// pays an all-reduce; none gives tpot_ms, so no decode reads a shared KV
// head) is not fitted: it stays at the family's committed value, exactly,
// and the report names it instead of presenting the prior's value as fitted.
func TestFitHoldsUnexercisedConstants(t *testing.T) {
	truth := Serving{Family: StepGPU, PrefillS: 8e-3, LayerS: 20e-6, CollectiveS: 50e-6,
		HBMFrac: 0.6, KVFrac: 0.45, GEMMScale: 0.4, AttnScale: 0.8, KVGroupExp: 0.5, LinkFrac: 0.5}
	all := syntheticPoints(t, truth, []string{"p5.48xlarge"})
	var unexercisable []string // every constant some case leaves unexercised
	for _, tt := range []struct {
		name string
		keep func(*ServingPoint) bool // false: the row is left out
		edit func(*ServingPoint)
		want []string
	}{
		{"every metric at every TP", nil, nil, nil},
		{"no ttft_ms", nil, func(p *ServingPoint) { p.TTFTMs = 0 }, []string{"prefill_s"}},
		{"no tpot_ms", nil, func(p *ServingPoint) { p.TPOTMs = 0 }, []string{"kv_group_exp"}},
		{"TP1 only", func(p *ServingPoint) bool { return p.TP == 1 }, nil, []string{"collective_s", "link_frac"}},
	} {
		unexercisable = append(unexercisable, tt.want...)
		t.Run(tt.name, func(t *testing.T) {
			var pts []ServingPoint
			for _, p := range all {
				if tt.keep == nil || tt.keep(&p) {
					if tt.edit != nil {
						tt.edit(&p)
					}
					pts = append(pts, p)
				}
			}
			got, rep, err := FitFamily(pts, Uniform{AssumedEfficiency})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(rep.Unexercised, tt.want) {
				t.Errorf("unexercised %v, want %v", rep.Unexercised, tt.want)
			}
			if rep.Free != len(ConstantNames)-len(tt.want) {
				t.Errorf("%d free constants, want %d", rep.Free, len(ConstantNames)-len(tt.want))
			}
			v, committed := got.Values(), gpuServing.Values()
			for i, c := range ConstantNames {
				if slices.Contains(tt.want, c.Name) && v[i] != committed[i] {
					t.Errorf("%s = %.6g, want the committed %.6g: no row exercises it", c.Name, v[i], committed[i])
				}
			}
			if slices.ContainsFunc(rep.AtBound, func(n string) bool { return slices.Contains(tt.want, n) }) {
				t.Errorf("at bound %v lists a constant the fit held", rep.AtBound)
			}
			if held := strings.Contains(got.Source, "not fitted"); held != (len(tt.want) > 0) {
				t.Errorf("source %q: says not fitted %v, want %v", got.Source, held, len(tt.want) > 0)
			}
		})
	}
	// ExercisedBy, which hw fit's help and --save quote, lists exactly the
	// constants some rows leave unexercised: kv_group_exp was held without
	// the help naming it.
	var listed []string
	for _, c := range ExercisedBy {
		listed = append(listed, c.Name)
	}
	slices.Sort(unexercisable)
	slices.Sort(listed)
	if unexercisable = slices.Compact(unexercisable); !slices.Equal(listed, unexercisable) {
		t.Errorf("ExercisedBy lists %v; the cases leave %v unexercised", listed, unexercisable)
	}
}

// TestFitReportsContradictedRowsWhenNothingIsLeft: when every row's
// throughput contradicts its latencies, the report still lists them, with
// the reason, beside ErrNothingToFit (the command prints them).
func TestFitReportsContradictedRowsWhenNothingIsLeft(t *testing.T) {
	pt := ServingPoint{Model: "llama-2-7b", Instance: "inf2.48xlarge", TP: 24, Batch: 1, SeqLen: 4096, InputTokens: 128, OutputTokens: 3968,
		WeightDType: llm.BF16, TTFTMs: 27.6, TPOTMs: 1.5, OutputTokS: 156.1, File: "x.csv", Line: 2}
	_, rep, err := FitFamily([]ServingPoint{pt}, Uniform{AssumedEfficiency})
	if !errors.Is(err, ErrNothingToFit) || !strings.Contains(err.Error(), "throughput contradicts its latencies") {
		t.Errorf("err %v, want ErrNothingToFit for contradicting throughput", err)
	}
	if len(rep.Unfitted) != 1 || !strings.Contains(rep.Unfitted[0].Reason, "published throughput 156.1 tok/s") ||
		rep.Unfitted[0].Point.Where() != "x.csv:2 ("+pt.String()+")" || len(rep.Skipped) != 0 {
		t.Errorf("unfitted %+v, skipped %+v: want the row, named by file:line, with its reason", rep.Unfitted, rep.Skipped)
	}
}

// TestThinCrossValidation: a cross-validation carries an error figure from
// ThinFitRows rows and MinCVFolds folds; below either, its summary gives
// none and says why.
func TestThinCrossValidation(t *testing.T) {
	for _, tt := range []struct {
		rows, folds int
		thin        bool
	}{{2, 2, true}, {ThinFitRows - 1, 7, true}, {708, MinCVFolds - 1, true}, {ThinFitRows, MinCVFolds, false}, {65, 7, false}} {
		r := &CVReport{By: ByModel, Rows: make([]FitRow, tt.rows), Folds: map[string]Serving{}, TTFTMAPE: 0.276, TPOTMAPE: 0.066}
		for i := range tt.folds {
			r.Folds[string(rune('a'+i))] = Serving{}
		}
		r.Thin = thinCV(tt.rows, tt.folds, ByModel)
		got := r.Summary(tt.rows)
		if (r.Thin != "") != tt.thin || strings.Contains(got, "MAPE") == tt.thin || tt.thin != strings.HasPrefix(got, "too few to cross-validate: ") {
			t.Errorf("%d rows of %d models: thin %q, summary %q; want thin %v", tt.rows, tt.folds, r.Thin, got, tt.thin)
		}
	}
}
