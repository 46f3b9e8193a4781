package hw

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"

	"aiecon/model/llm"

	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/optimize"
)

// FitRow compares one point with the fitted prediction.
type FitRow struct {
	Point      ServingPoint `json:"point"`
	TTFTMs     float64      `json:"predicted_ttft_ms"`
	TPOTMs     float64      `json:"predicted_tpot_ms"`
	TTFTRelErr float64      `json:"ttft_rel_err"` // predicted/measured - 1; 0 where the point publishes none (null in JSON)
	TPOTRelErr float64      `json:"tpot_rel_err"`
}

// MarshalJSON writes the error of a metric the point does not publish as
// null, not as a 0 that reads as an exact prediction.
func (r FitRow) MarshalJSON() ([]byte, error) {
	type plain FitRow
	return json.Marshal(struct {
		plain
		TTFTRelErr *float64 `json:"ttft_rel_err"`
		TPOTRelErr *float64 `json:"tpot_rel_err"`
	}{plain(r), NullUnless(r.TTFTRelErr, r.Point.HasTTFT()), NullUnless(r.TPOTRelErr, r.Point.HasTPOT())})
}

// NullUnless is &v, or nil (JSON null) where ok is false: a number that
// does not exist, such as the error of a metric a row does not publish.
func NullUnless(v float64, ok bool) *float64 {
	if !ok {
		return nil
	}
	return &v
}

// FitReport says how well the fitted constants reproduce the points.
type FitReport struct {
	Family     string   `json:"family"`
	Efficiency string   `json:"efficiency"` // the Efficiency used, as %v prints it
	Rows       []FitRow `json:"rows"`
	// RMSLogErr is the root mean square of the log errors over every TTFT and TPOT.
	RMSLogErr   float64 `json:"rms_log_err"`
	Evaluations int     `json:"evaluations"`
	Status      string  `json:"status"`
	// AtBound names the constants the fit pushed to a bound (a time at 0).
	AtBound []string `json:"at_bound,omitempty"`
	// Free is how many constants the fit set (the family's fit plan holds
	// the others).
	Free int `json:"free_constants"`
	// Skipped lists points the family's model cannot express, with the reason.
	Skipped []SkippedPoint `json:"skipped,omitempty"`
	// Unfitted lists points predicted (in Rows, and in a cross-validation)
	// that the fit does not learn from, with the reason: a static batch whose
	// published throughput contradicts its own latencies.
	Unfitted []SkippedPoint `json:"unfitted,omitempty"`
	// Unexercised names the constants the fit plan frees that no fitted
	// row exercises (exercised: rows that all leave ttft_ms empty never
	// pay prefill_s). The loss does not depend on them, so a fit would
	// only report its prior; they are held at the family's committed
	// values instead, are not counted in Free, and --save refuses them.
	Unexercised []string `json:"unexercised,omitempty"`
	// PricedAs is the family whose graph structure the rows were priced
	// with (FitFamilyAs), "" where it is their own.
	PricedAs string `json:"priced_as,omitempty"`
}

// SkippedPoint is a point left out of a fit or a validation, and why.
type SkippedPoint struct {
	Point  ServingPoint `json:"point"`
	Reason string       `json:"reason"`
}

// timeScales are the units of the fitted times in the search space (s = x^2
// x scale), by constant: about their expected size, so the simplex moves
// every coordinate alike.
var timeScales = map[int]float64{cPrefill: 1e-2, cLayer: 1e-5, cCollective: 1e-5}

// decodeConstants maps an unconstrained point to constants, by unit: times
// are squares (>= 0, reaching 0 at a finite x), fractions and exponents
// logistic in (0, 1), factors 4 x logistic in (0, 4).
func decodeConstants(base Serving, x []float64) Serving {
	v := make([]float64, len(ConstantNames))
	for i, c := range ConstantNames {
		switch c.Unit {
		case "s":
			v[i] = x[i] * x[i] * timeScales[i]
		case "factor":
			v[i] = 4 * logistic(x[i])
		default:
			v[i] = logistic(x[i])
		}
	}
	return base.withValues(v)
}

// encodeConstants is decodeConstants' inverse.
func encodeConstants(s Serving) []float64 {
	v := s.Values()
	x := make([]float64, len(v))
	for i, c := range ConstantNames {
		switch c.Unit {
		case "s":
			x[i] = math.Sqrt(max(v[i], 0) / timeScales[i])
		case "factor":
			x[i] = logit(v[i] / 4)
		default:
			x[i] = logit(v[i])
		}
	}
	return x
}

func logistic(x float64) float64 { return 1 / (1 + math.Exp(-x)) }
func logit(p float64) float64 {
	p = min(max(p, 1e-9), 1-1e-9)
	return math.Log(p / (1 - p))
}

// ChipEfficiencies gives the GEMM efficiency to use on a chip: a calibration
// profile (Profile.ForChip), or, in the tests, one efficiency for every
// chip (Uniform).
type ChipEfficiencies interface {
	ForChip(chip string) Efficiency
}

// fitSet is the compiled points of one family.
type fitSet struct {
	family  string
	as      stepFamily // nil, or the family whose graph structure the points are priced with (pricedAs)
	points  []compiledPoint
	eff     string
	free    []int         // the constants fitted (indices into ConstantNames); nil: all
	chips   []string      // the chips the points were measured on, sorted
	shapes  []FittedShape // the TP degrees and model sizes of the points
	weights []llm.DType   // the weight formats of the points, sorted
	// maxPrompt and maxContext are the longest prompt and the longest
	// prompt plus output of the points, in tokens; moe says some point
	// served a mixture of experts.
	maxPrompt, maxContext int
	moe                   bool
	unfitted              []SkippedPoint // points predicted but not fitted (compiledPoint.unfitted)
	// minBatch and maxBatch are the fewest and most sequences a point ran
	// at once (pointSeqs), loops the points that served a loop of
	// clients, and stacks their serving stacks (FitStack), sorted.
	minBatch, maxBatch, loops int
	stacks                    []string
}

// compilePoints compiles every point the family's model can express; the
// others are returned as skipped with the reason. Every point must be of
// the same step family.
func compilePoints(points []ServingPoint, effs ChipEfficiencies) (*fitSet, []SkippedPoint, error) {
	return compilePointsAs(points, effs, nil)
}

// compilePointsAs is compilePoints with the points priced as family as
// structures its graphs (pricedAs); as nil: as their own family does.
func compilePointsAs(points []ServingPoint, effs ChipEfficiencies, as stepFamily) (*fitSet, []SkippedPoint, error) {
	set := &fitSet{eff: fmt.Sprintf("%v", effs), as: as}
	var skipped []SkippedPoint
	for _, pt := range points {
		if err := pt.Validate(); err != nil {
			return nil, nil, err
		}
		arch, err := pt.Arch()
		if err != nil {
			return nil, nil, fmt.Errorf("serving point %s: %w", pt.Where(), err)
		}
		if reason := unsupported(pt, arch.Name); reason != "" {
			skipped = append(skipped, SkippedPoint{pt, reason})
			continue
		}
		inst, err := InstanceByName(pt.Instance)
		if err != nil {
			return nil, nil, fmt.Errorf("serving point %s: %w", pt.Where(), err)
		}
		chip, err := inst.ChipSpec()
		if err != nil {
			return nil, nil, err
		}
		if set.family == "" {
			set.family = chip.StepFamily
		} else if chip.StepFamily != set.family {
			return nil, nil, fmt.Errorf("serving point %s is on a %s chip, the first on %s: fit one step family at a time",
				pt.Where(), chip.StepFamily, set.family)
		}
		def, _ := DefaultServing(chip.StepFamily)
		perf, err := NewPerf(inst, pt.TP, effs.ForChip(chip.Name), def)
		if err != nil {
			return nil, nil, fmt.Errorf("serving point %s: %w", pt.Where(), err)
		}
		if as != nil {
			perf.family = pricedAs{perf.family, as}
		}
		// What validate refuses (weights past a device, a compiled static
		// KV cache past what they leave) or skips (a batch the simulator
		// would split), the fit does too: an impossible row would move
		// every constant.
		if reason := WeightsDoNotFit(pt, arch, chip); reason != "" {
			return nil, nil, fmt.Errorf("serving point %s: %s", pt.Where(), reason)
		}
		if reason := StaticKVDoesNotFit(pt, arch, chip); reason != "" {
			return nil, nil, fmt.Errorf("serving point %s: %s", pt.Where(), reason)
		}
		if reason := batchDoesNotFit(pt, arch, chip); reason != "" {
			skipped = append(skipped, SkippedPoint{pt, reason})
			continue
		}
		cp, err := compilePoint(pt, arch, perf)
		if err != nil {
			return nil, nil, err
		}
		if pt.ThroughputContradicts() {
			cp.unfitted = true
			set.unfitted = append(set.unfitted, SkippedPoint{pt, contradictionReason(pt)})
		}
		set.points = append(set.points, cp)
		_, active := arch.Params()
		set.shapes = addFittedShape(set.shapes, pt.TP, active/1e9)
		set.maxPrompt = max(set.maxPrompt, pt.InputTokens)
		set.maxContext = max(set.maxContext, pt.InputTokens+pt.OutputTokens)
		set.moe = set.moe || arch.IsMoE()
		set.recordLoad(pt)
		if !slices.Contains(set.weights, pt.WeightDType) {
			set.weights = append(set.weights, pt.WeightDType)
			slices.Sort(set.weights)
		}
		if !slices.Contains(set.chips, chip.Name) {
			set.chips = append(set.chips, chip.Name)
			slices.Sort(set.chips)
		}
	}
	return set, skipped, nil
}

// recordLoad records how a fitted point applied its load: how many
// sequences ran at once, whether it was a loop, and its serving stack.
func (f *fitSet) recordLoad(pt ServingPoint) {
	n := pointSeqs(pt)
	if f.minBatch == 0 || n < f.minBatch {
		f.minBatch = n
	}
	f.maxBatch = max(f.maxBatch, n)
	if pt.ClosedLoop() || pt.OpenLoop() {
		f.loops++
	}
	if st := FitStack(pt.Framework); st != "" && !slices.Contains(f.stacks, st) {
		f.stacks = append(f.stacks, st)
		slices.Sort(f.stacks)
	}
}

// pointSeqs is the most sequences a point ran at once, as far as its row
// says: a closed loop's clients, else its batch (an open loop's batch
// column is what it states).
func pointSeqs(pt ServingPoint) int {
	if pt.Concurrency > 0 {
		return pt.Concurrency
	}
	return pt.Batch
}

// FitStack is the serving stack a framework column names: its text before
// the first comma or parenthesis ("TensorRT-LLM 0.9.0 (gptSessionBenchmark,
// fake weights)" is TensorRT-LLM 0.9.0, "transformers-neuronx, Neuron SDK
// 2.18" transformers-neuronx), "" for an empty column.
func FitStack(framework string) string {
	if i := strings.IndexAny(framework, ",("); i >= 0 {
		framework = framework[:i]
	}
	return strings.TrimSpace(framework)
}

// unsupported says why the fit leaves a point out ("" if it does not):
// speculative decoding is not fitted (its acceptance rate is not published,
// so validate skips it too), and TensorRT-LLM's Mixtral rows ran with fake weights that
// route every token to the same experts.
// model is the catalog name the point's model was read as.
func unsupported(pt ServingPoint, model string) string {
	if reason := pt.UnmodelledWeights(); reason != "" {
		return reason
	}
	if pt.Speculative() {
		return "speculative decoding (" + pt.SpecDecode + "): not fitted, and not validated either: the rows publish no acceptance rate to simulate it with"
	}
	if pt.UnknownLoad != "" {
		return fmt.Sprintf("metric_kind %q: not a load aiecon simulates", pt.UnknownLoad)
	}
	if pt.OpenLoop() {
		return "open loop (requests at a rate): validated by simulation, not fitted (the fit's closed form covers static batches and closed loops)"
	}
	if model == "gpt-oss-120b" {
		return "MXFP4 experts dequantised at load and attention sinks: validated by simulation, not fitted"
	}
	if model == "mixtral-8x7b" && isTRTLLMFakeWeights(pt) {
		return "fake weights route every token to the same experts: not a mixture-of-experts measurement"
	}
	return ""
}

func isTRTLLMFakeWeights(pt ServingPoint) bool {
	return contains(pt.Framework, "fake weights") || contains(pt.Source, "trt_llm_0_9_0")
}

// physicsPrior is where a constant rests when the points say nothing about
// it (a fold of a cross-validation that leaves out the only model run with
// tensor parallelism cannot see the collective latency, for one): the order
// of magnitude of each quantity on current hardware, the same for every
// family, not fitted to anything. priorWidth is its spread in the search
// coordinates, wide enough that a single row outweighs it: it only holds
// the constants the points leave free.
var physicsPrior = Serving{PrefillS: 1e-3, LayerS: 1e-5, CollectiveS: 1e-5, HBMFrac: 0.7, KVFrac: 0.5, GEMMScale: 1, AttnScale: 1, KVGroupExp: 0.5, LinkFrac: 0.8}

const priorWidth = 100

// prior is the penalty of the constants' distance from physicsPrior.
func prior(s *Serving) float64 {
	x, p := encodeConstants(*s), encodeConstants(physicsPrior)
	var sum float64
	for i := range x {
		sum += sq((x[i] - p[i]) / priorWidth)
	}
	return sum
}

// loss is the sum over points of squared log errors of TTFT and TPOT, plus
// the prior's penalty (see physicsPrior).
func (f *fitSet) loss(s *Serving, subset []int) float64 {
	sum := prior(s)
	for _, i := range subset {
		p := &f.points[i]
		if p.pt.HasTTFT() {
			sum += sq(math.Log(p.ttft.eval(s, p.hbm) * 1e3 / p.pt.TTFTMs))
		}
		if p.pt.HasTPOT() {
			sum += sq(math.Log(p.tpot.eval(s, p.hbm) * 1e3 / p.pt.TPOTMs))
		}
	}
	return sum
}

// maxRestarts bounds the Nelder-Mead restarts of one fit.
const maxRestarts = 40

// minimise fits the constants on the points in subset with Nelder-Mead from
// start, restarting from the result until the loss stops improving (the
// simplex shrinks too early on ridges).
func (f *fitSet) minimise(start Serving, subset []int) (Serving, int, string, error) {
	full := encodeConstants(start)
	free := f.free
	if len(free) == 0 {
		free = make([]int, len(full))
		for i := range free {
			free[i] = i
		}
	}
	expand := func(x []float64) []float64 {
		y := append([]float64(nil), full...)
		for i, j := range free {
			y[j] = x[i]
		}
		return y
	}
	x := make([]float64, len(free))
	for i, j := range free {
		x[i] = full[j]
	}
	loss := func(x []float64) float64 {
		s := decodeConstants(start, expand(x))
		return f.loss(&s, subset)
	}
	evals, status := 0, ""
	best := math.Inf(1)
	for round := 0; round < maxRestarts; round++ {
		res, err := optimize.Minimize(optimize.Problem{Func: loss}, x,
			&optimize.Settings{
				Converger:       &optimize.FunctionConverge{Absolute: 1e-12, Relative: 1e-12, Iterations: 400},
				MajorIterations: 20000, FuncEvaluations: 40000,
			}, &optimize.NelderMead{})
		if res == nil {
			return Serving{}, evals, "", fmt.Errorf("Nelder-Mead: %w", err)
		}
		evals += res.Stats.FuncEvaluations
		status = res.Status.String()
		x = res.X
		// Polish with BFGS on a finite-difference gradient: Nelder-Mead
		// stalls in the narrow valleys of this loss.
		if pol, err := optimize.Minimize(optimize.Problem{Func: loss, Grad: func(g, x []float64) {
			fd.Gradient(g, loss, x, &fd.Settings{Formula: fd.Central})
		}}, x, &optimize.Settings{Converger: &optimize.FunctionConverge{Absolute: 1e-12, Relative: 1e-12, Iterations: 50},
			MajorIterations: 2000}, &optimize.BFGS{}); pol != nil && pol.F < res.F {
			x, res.F = pol.X, pol.F
			evals += pol.Stats.FuncEvaluations
			_ = err
		}
		improved := best - res.F
		best = min(best, res.F)
		if improved < 1e-10*max(1, best) {
			break
		}
	}
	return decodeConstants(start, expand(x)), evals, status, nil
}

// starts are where a fit, and each cross-validation fold, begins: plan's
// constants with the free ones at physicsPrior, and at the prior moved one
// unit down and one up in every free search coordinate (encodeConstants).
// The loss has local minima (a fraction or exponent that drifts to the edge
// of its range, where its logistic is flat, stays there), so a fit runs from
// each and keeps the lowest (minimiseFrom). None of them depends on the
// rows: the committed constants, which fits once started from, were fitted
// to every row, so a fold started there was steered by the rows it leaves
// out (on Neuron v2 it stopped where starts that had not seen them did not).
// Held constants keep plan's values (neuron-v2's layer_s, neuron-v3's
// constants taken from neuron-v2, FitFamily's unexercised ones).
func (f *fitSet) starts(plan Serving) []Serving {
	x, p := encodeConstants(plan), encodeConstants(physicsPrior)
	fitted := f.fitted()
	var out []Serving
	for _, shift := range []float64{0, -1, 1} {
		y := slices.Clone(x)
		for i, free := range fitted {
			if free {
				y[i] = p[i] + shift
			}
		}
		out = append(out, plan.withValues(keepHeld(decodeConstants(plan, y).Values(), plan.Values(), fitted)))
	}
	return out
}

// keepHeld returns v with the constants that are not fitted set to their
// values in plan (exactly: the search coordinates round them).
func keepHeld(v, plan []float64, fitted []bool) []float64 {
	for i, free := range fitted {
		if !free {
			v[i] = plan[i]
		}
	}
	return v
}

// minimiseFrom runs minimise from each start on the points in subset and
// keeps the constants of the lowest loss (the earliest start's on a tie),
// with the evaluations of every run. The runs are independent, so they run
// at once.
func (f *fitSet) minimiseFrom(starts []Serving, subset []int) (Serving, int, string, error) {
	type run struct {
		s      Serving
		evals  int
		status string
		err    error
	}
	runs := make([]run, len(starts))
	var wg sync.WaitGroup
	for i, st := range starts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := &runs[i]
			r.s, r.evals, r.status, r.err = f.minimise(st, subset)
		}()
	}
	wg.Wait()
	best, evals := -1, 0
	var bestLoss float64
	for i := range runs {
		r := &runs[i]
		if r.err != nil {
			return Serving{}, 0, "", fmt.Errorf("from start %d of %d: %w", i+1, len(runs), r.err)
		}
		evals += r.evals
		if l := f.loss(&r.s, subset); best < 0 || l < bestLoss {
			best, bestLoss = i, l
		}
	}
	return runs[best].s, evals, runs[best].status, nil
}

// ErrNothingToFit is FitFamily's error when no point is left to learn
// from: every point was skipped, or its throughput contradicts its
// latencies (the report lists them in Skipped and Unfitted, with the
// reasons).
var ErrNothingToFit = errors.New("nothing to fit")

// FitFamily fits a step family's constants (Serving) to measured serving
// points, given the GEMM efficiency: it minimises the sum over points of
// squared log errors of TTFT and TPOT as Predict computes them. Points the
// model cannot express are skipped and listed in the report.
func FitFamily(points []ServingPoint, eff ChipEfficiencies) (Serving, FitReport, error) {
	return fitFamilyAs(points, eff, nil)
}

// FitFamilyAs is FitFamily with the points priced as family as structures
// its graphs ("": as their own family does), which CheckPricedAs must
// allow: the fit that family as inherits (hw fit --priced-as).
func FitFamilyAs(points []ServingPoint, eff ChipEfficiencies, as string) (Serving, FitReport, error) {
	if as == "" {
		return FitFamily(points, eff)
	}
	f, err := stepFamilyByName(as)
	if err != nil {
		return Serving{}, FitReport{}, fmt.Errorf("fitting the step-time constants: priced as: %w", err)
	}
	return fitFamilyAs(points, eff, f)
}

// fitFamilyAs is FitFamily with the points priced as family as structures
// its graphs (pricedAs; nil: as their own family does), starting from and
// holding what no point exercises at the committed fit so priced
// (inheritedFits): how the constants one family inherits from another's
// measurements are fitted.
func fitFamilyAs(points []ServingPoint, eff ChipEfficiencies, as stepFamily) (Serving, FitReport, error) {
	var rep FitReport
	if len(points) == 0 {
		return Serving{}, rep, errors.New("fitting the step-time constants: no serving points")
	}
	if eff == nil {
		return Serving{}, rep, errors.New("fitting the step-time constants: nil efficiency")
	}
	set, skipped, err := compilePointsAs(points, eff, as)
	if err != nil {
		return Serving{}, rep, fmt.Errorf("fitting the step-time constants: %w", err)
	}
	rep.Skipped, rep.Efficiency, rep.Family = skipped, set.eff, set.family
	rep.Unfitted = set.unfitted
	if len(set.points) == 0 {
		return Serving{}, rep, fmt.Errorf("fitting the step-time constants: %w: every point was skipped", ErrNothingToFit)
	}
	if as != nil {
		if err := CheckPricedAs(set.family, as.name()); err != nil {
			return Serving{}, rep, fmt.Errorf("fitting the step-time constants: %w", err)
		}
		rep.PricedAs = as.name()
	}
	start, err := set.plan()
	if err != nil {
		return Serving{}, rep, fmt.Errorf("fitting the step-time constants: %w", err)
	}
	fit := set.learnable(set.all())
	if len(fit) == 0 {
		return Serving{}, rep, fmt.Errorf("fitting the step-time constants: %w: every point's throughput contradicts its latencies", ErrNothingToFit)
	}
	if start, rep.Unexercised, err = set.holdUnexercised(start, fit); err != nil {
		return Serving{}, rep, fmt.Errorf("fitting the step-time constants: %w", err)
	}
	s, evals, status, err := set.minimiseFrom(set.starts(start), fit)
	if err != nil {
		return Serving{}, rep, fmt.Errorf("fitting the step-time constants: %w", err)
	}
	s = keep(s, start, rep.Unexercised) // exactly: the search coordinates round them
	rep.Evaluations, rep.Status = evals, status
	fitted := set.fitted()
	for _, f := range fitted {
		if f {
			rep.Free++
		}
	}
	for i, v := range s.Values() {
		if fitted[i] && ConstantNames[i].Unit == "s" && v < 1e-9 {
			rep.AtBound = append(rep.AtBound, ConstantNames[i].Name)
		}
	}
	rep.Rows, _ = set.rows(&s, set.all())
	_, rep.RMSLogErr = set.rows(&s, fit)
	s.Label = Estimate
	s.Spread, s.CV = nil, ""
	s.FittedChips, s.FittedRows, s.FittedShapes = slices.Clone(set.chips), len(fit), slices.Clone(set.shapes)
	s.FittedWeights = slices.Clone(set.weights)
	s.FittedMaxPrompt, s.FittedMaxContext, s.FittedMoE = set.maxPrompt, set.maxContext, set.moe
	s.FittedMinBatch, s.FittedMaxBatch, s.FittedLoops = set.minBatch, set.maxBatch, set.loops
	s.FittedStacks = slices.Clone(set.stacks)
	s.Source = fmt.Sprintf("FitFamily to %d published %s serving points%s with efficiency %s (Nelder-Mead on squared log errors of TTFT and TPOT; RMS log error %.3f)",
		len(fit), set.family, set.pricedAsNote(), set.eff, rep.RMSLogErr)
	if len(rep.Unexercised) > 0 {
		s.Source += fmt.Sprintf("; not fitted, as no point exercises them, and held at the committed values: %s", strings.Join(rep.Unexercised, ", "))
	}
	return s, rep, nil
}

// holdUnexercised takes the constants that no point in subset exercises
// out of the fit (f.free) and returns start with them set to the family's
// committed values, and their names. The loss does not depend on them, so
// the fit would leave them wherever its prior pulls them and present that
// as fitted. (A cross-validation fold keeps the prior's value instead: the
// committed one was fitted to the rows the fold leaves out.)
func (f *fitSet) holdUnexercised(start Serving, subset []int) (Serving, []string, error) {
	committed, err := f.committed()
	if err != nil {
		return Serving{}, nil, err
	}
	fitted, seen := f.fitted(), f.exercised(subset)
	vals, def := start.Values(), committed.Values()
	var free []int
	var held []string
	for i, c := range ConstantNames {
		switch {
		case !fitted[i]:
		case seen[i]:
			free = append(free, i)
		default:
			held = append(held, c.Name)
			vals[i] = def[i]
		}
	}
	if len(held) == 0 {
		return start, nil, nil
	}
	if len(free) == 0 {
		return Serving{}, nil, fmt.Errorf("no point exercises any constant the fit frees (%s)", strings.Join(held, ", "))
	}
	f.free = free
	return start.withValues(vals), held, nil
}

// keep returns s with the named constants set to their values in from.
func keep(s, from Serving, names []string) Serving {
	v, w := s.Values(), from.Values()
	for i, c := range ConstantNames {
		if slices.Contains(names, c.Name) {
			v[i] = w[i]
		}
	}
	return s.withValues(v)
}

// committed is the family's committed constants; for points priced as
// another family structures its graphs (f.as), the committed fit of them
// so priced, which that family inherits (inheritedServing).
func (f *fitSet) committed() (Serving, error) {
	if f.as == nil {
		return DefaultServing(f.family)
	}
	return inheritedServing(f.family, f.as.name())
}

// pricedAsNote says, for a report, how the points were priced where it is
// not as their own family prices them ("" where it is).
func (f *fitSet) pricedAsNote() string {
	if f.as == nil {
		return ""
	}
	return " priced as " + f.as.name() + " structures its graphs"
}

// plan sets the free constants from the family's fit plan and returns the
// starting constants.
func (f *fitSet) plan() (Serving, error) {
	fam, err := stepFamilyByName(f.family)
	if err != nil {
		return Serving{}, err
	}
	start, err := f.committed()
	if err != nil {
		return Serving{}, err
	}
	base, free := fam.fitPlan()
	if base != "" {
		b, err := inheritedServing(base, f.family)
		if err != nil {
			return Serving{}, err
		}
		start = b.withValues(b.Values())
		start.Family = f.family
	}
	f.free = nil
	for _, name := range free {
		i := slices.IndexFunc(ConstantNames, func(c struct{ Name, Unit string }) bool { return c.Name == name })
		if i < 0 {
			return Serving{}, fmt.Errorf("family %s: fit plan names unknown constant %q", f.family, name)
		}
		f.free = append(f.free, i)
	}
	return start, nil
}

// learnable is subset without the points no fit learns from
// (compiledPoint.unfitted).
func (f *fitSet) learnable(subset []int) []int {
	var out []int
	for _, i := range subset {
		if !f.points[i].unfitted {
			out = append(out, i)
		}
	}
	return out
}

// contradictionReason says why a point is predicted but not fitted.
func contradictionReason(pt ServingPoint) string {
	e2e := pt.TTFTMs + float64(pt.OutputTokens-1)*pt.TPOTMs
	return fmt.Sprintf("published throughput %.1f tok/s is %.2f of the %.1f tok/s its latencies imply "+
		"(batch %d x %d output tokens in TTFT + %d x TPOT = %.1f s): they do not describe one run, so it is predicted but not fitted",
		pt.OutputTokS, pt.ThroughputRatio(), float64(pt.Batch*pt.OutputTokens)/(e2e/1e3), pt.Batch, pt.OutputTokens, pt.OutputTokens-1, e2e/1e3)
}

func (f *fitSet) all() []int {
	out := make([]int, len(f.points))
	for i := range out {
		out[i] = i
	}
	return out
}

// rows predicts the points in subset with s.
func (f *fitSet) rows(s *Serving, subset []int) ([]FitRow, float64) {
	var rows []FitRow
	var sumSq float64
	var n int // the metrics compared
	for _, i := range subset {
		p := &f.points[i]
		row := FitRow{Point: p.pt, TTFTMs: 1e3 * p.ttft.eval(s, p.hbm), TPOTMs: 1e3 * p.tpot.eval(s, p.hbm)}
		if p.pt.HasTTFT() {
			row.TTFTRelErr = row.TTFTMs/p.pt.TTFTMs - 1
			sumSq += sq(math.Log1p(row.TTFTRelErr))
			n++
		}
		if p.pt.HasTPOT() {
			row.TPOTRelErr = row.TPOTMs/p.pt.TPOTMs - 1
			sumSq += sq(math.Log1p(row.TPOTRelErr))
			n++
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		return nil, 0
	}
	return rows, math.Sqrt(sumSq / float64(n))
}

func sq(x float64) float64 { return x * x }

func contains(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}
