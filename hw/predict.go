package hw

import (
	"fmt"
	"math"

	"aiecon/model/llm"
)

// Prediction is a serving point's predicted median (or mean) time to first
// token and time per output token.
type Prediction struct {
	TTFTS, TPOTS float64
}

// Predict predicts a serving point from the model's operations priced by
// perf, the way validate's simulation runs it (docs/calibration.md, "How a
// measurement is predicted"):
//
//   - a static batch on Neuron (transformers-neuronx, NxD Inference): the
//     batch's prompts are encoded together in one context-encoding pass,
//     padded to the context bucket; decoding runs the batch padded to a power
//     of two, each sequence attending over the compiled sequence bucket;
//   - a static batch on a GPU (TensorRT-LLM): one context pass of the whole
//     batch, then lock-step decoding over the live context;
//   - a closed loop of N clients: see planPoint.
//
// It is what FitFamily fits; validate runs the simulator instead, and
// TestPredictMatchesSimulator checks the two agree on static batches.
func Predict(pt ServingPoint, arch llm.Arch, perf *Perf) (Prediction, error) {
	if !pt.WeightDType.Valid() {
		return Prediction{}, fmt.Errorf("serving point %s: %s", pt.Where(), pt.UnmodelledWeights())
	}
	sh, err := perf.ResidentShard(pt.Shard())
	if err != nil {
		return Prediction{}, fmt.Errorf("serving point %s: %w", pt.Where(), err)
	}
	if pt.TP != perf.TP {
		return Prediction{}, fmt.Errorf("serving point %s: tp %d and perf tp %d must agree", pt.Where(), pt.TP, perf.TP)
	}
	return evalPlan(pt, arch, sh, perf)
}

// iterSpec is one kind of iteration of a point's timeline and how much it
// weighs in the predicted TTFT and TPOT: a context pass of prefillBatch
// prompts of prefillTokens tokens, or a decode step of decodeBatch sequences
// each attending over decodeCtx cached tokens.
type iterSpec struct {
	prefillBatch, prefillTokens int
	decodeBatch, decodeCtx      int
	wTTFT, wTPOT                float64
}

func (it iterSpec) iteration() llm.Iteration {
	var out llm.Iteration
	for range it.prefillBatch {
		out.Prefill = append(out.Prefill, llm.PrefillChunk{Tokens: it.prefillTokens, Last: true})
	}
	for range it.decodeBatch {
		out.Decode = append(out.Decode, llm.DecodeSeq{Context: it.decodeCtx})
	}
	return out
}

// planPoint lays out a point's timeline as weighted iterations. A static
// batch is one joint context pass (TTFT) and its decode steps (TPOT).
// A closed loop approximates the steady state of N clients, each sending its
// next request as soon as the previous completes, on a scheduler that
// admits one prefill per iteration and pauses decoding meanwhile (the vLLM
// Neuron plugin; in-flight batching on a GPU is close to it at these loads):
// a request's prefill P runs alone; the other N-1 requests decode in lock
// step (batch N). Over one request's life of O-1 decode steps D, the N-1
// others each start once, so TPOT = (sum of D + (N-1) P) / (O-1), and a new
// request waits on average half a decode step before its prefill:
// TTFT = P + D/2 (for N > 1). validate simulates the loop itself.
func planPoint(pt ServingPoint, neuron bool) ([]iterSpec, error) {
	tokens := pt.InputTokens
	if neuron {
		b, err := Bucket(pt.InputTokens, pt.SeqLen)
		if err != nil {
			return nil, fmt.Errorf("serving point %s: prompt: %w", pt.Where(), err)
		}
		tokens = b
	}
	batch := pt.Batch
	if pt.ClosedLoop() {
		batch = pt.Concurrency
	}
	decodeBatch := batch
	if neuron {
		decodeBatch = llm.PadBatch(batch)
	}
	steps, err := decodeSteps(pt, neuron)
	if err != nil {
		return nil, err
	}
	var plan []iterSpec
	prefill := iterSpec{prefillBatch: batch, prefillTokens: tokens, wTTFT: 1}
	n := float64(pt.OutputTokens - 1)
	if pt.ClosedLoop() {
		// See predictClosed: TTFT = P + D/2, TPOT = (sum D + (N-1) P) / (O-1).
		prefill.prefillBatch = 1
		if n > 0 {
			prefill.wTPOT = float64(batch-1) / n
		}
	}
	plan = append(plan, prefill)
	for _, st := range steps {
		spec := iterSpec{decodeBatch: decodeBatch, decodeCtx: st.ctx, wTPOT: st.weight / n}
		if pt.ClosedLoop() && batch > 1 {
			spec.wTTFT = st.weight / n / 2
		}
		plan = append(plan, spec)
	}
	return plan, nil
}

// decodeStep is a decode context and how many of the O-1 steps after the
// first token it stands for.
type decodeStep struct {
	ctx    int
	weight float64
}

// decodeSteps lists the decode steps after the first token: on Neuron one
// entry per compiled sequence bucket (attention over bucket-1 cached tokens
// plus the new one), with the number of steps in it; on a GPU the live
// context, every step when there are few, else 17 evenly spaced steps with
// trapezoid weights (exact where a step's time is linear in its context).
func decodeSteps(pt ServingPoint, neuron bool) ([]decodeStep, error) {
	n := pt.OutputTokens - 1
	if n <= 0 {
		return nil, nil
	}
	if neuron {
		var out []decodeStep
		for j := 1; j <= n; {
			b, err := Bucket(pt.InputTokens+j, pt.SeqLen)
			if err != nil {
				return nil, fmt.Errorf("serving point %s: decode step %d: %w", pt.Where(), j, err)
			}
			last := min(n, b-pt.InputTokens) // the steps whose context fits this bucket
			out = append(out, decodeStep{ctx: b - 1, weight: float64(last - j + 1)})
			j = last + 1
		}
		return out, nil
	}
	ctx := func(j int) int { return pt.InputTokens + j - 1 }
	if n <= 32 {
		out := make([]decodeStep, n)
		for j := 1; j <= n; j++ {
			out[j-1] = decodeStep{ctx: ctx(j), weight: 1}
		}
		return out, nil
	}
	const k = 17
	out := make([]decodeStep, k)
	h := float64(n-1) / (k - 1)
	for i := range k {
		j := 1 + int(math.Round(float64(i)*h))
		w := h
		if i == 0 || i == k-1 {
			w = h / 2
		}
		out[i] = decodeStep{ctx: ctx(j), weight: w}
	}
	// The trapezoid covers n-1 step intervals; scale its weights to n steps.
	for i := range out {
		out[i].weight *= float64(n) / float64(n-1)
	}
	return out, nil
}

// evalPlan prices the point's plan (planPoint) with perf.
func evalPlan(pt ServingPoint, arch llm.Arch, sh llm.Shard, perf *Perf) (Prediction, error) {
	plan, err := planPoint(pt, perf.family.compiled())
	if err != nil {
		return Prediction{}, err
	}
	var pr Prediction
	ops := make([]llm.Op, 0, 32)
	for _, it := range plan {
		ops = arch.IterationOps(ops[:0], sh, it.iteration())
		t := perf.IterationSeconds(ops, arch.Layers, it.prefillBatch > 0)
		pr.TTFTS += it.wTTFT * t
		pr.TPOTS += it.wTPOT * t
	}
	return pr, nil
}

// compilePoint records a point's plan as weighted terms (see fitrow.go).
func compilePoint(pt ServingPoint, arch llm.Arch, perf *Perf) (compiledPoint, error) {
	sh, err := perf.ResidentShard(pt.Shard())
	if err != nil {
		return compiledPoint{}, fmt.Errorf("serving point %s: %w", pt.Where(), err)
	}
	plan, err := planPoint(pt, perf.family.compiled())
	if err != nil {
		return compiledPoint{}, err
	}
	cp := compiledPoint{pt: pt, model: arch.Name, shape: layerShape(arch), hbm: perf.Device.HBMBytesPerS}
	rec := recorder{perf: perf, layers: arch.Layers}
	ops := make([]llm.Op, 0, 32)
	for _, it := range plan {
		ops = arch.IterationOps(ops[:0], sh, it.iteration())
		for _, dst := range []struct {
			c *combo
			w float64
		}{{&cp.ttft, it.wTTFT}, {&cp.tpot, it.wTPOT}} {
			if dst.w != 0 {
				rec.cur, rec.weight = dst.c, dst.w
				rec.add(ops, it.prefillBatch > 0)
			}
		}
	}
	return cp, nil
}
