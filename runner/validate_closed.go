package runner

import (
	"errors"
	"fmt"
	"math"

	"aiecon/hw"
	"aiecon/model/format"
	"aiecon/sim"
)

// decodingBatch is the time-averaged number of sequences between their first
// token and their last over [fromNs, toNs): the simulated counterpart of a
// closed loop's output tokens per second times its TPOT
// (hw.ServingPoint.DecodingBatch), which says whether the simulator held the
// batch the engine held.
func decodingBatch(reqs []sim.RequestRecord, fromNs, toNs int64) float64 {
	if toNs <= fromNs {
		return 0
	}
	var seqNs float64
	for _, r := range reqs {
		if r.FirstTokenNs < 0 {
			continue
		}
		end := toNs
		if r.Status == sim.StatusCompleted {
			end = min(r.FinishNs, toNs)
		}
		if start := max(r.FirstTokenNs, fromNs); end > start {
			seqNs += float64(end - start)
		}
	}
	return seqNs / float64(toNs-fromNs)
}

// closedLatencies are a closed loop's TTFTs and TPOTs and its simulated
// decoding batch, over what its protocol measures: the requests that
// arrived after the warm-up of a steady loop, over the rest of its run, or
// those of a cold-window loop that completed within its window, over the
// window (span.windowNs).
func closedLatencies(pt hw.ServingPoint, run simulated, span pointSpan) (ttft, tpot []float64, batch float64, err error) {
	reqs := run.sink.Reqs
	if span.windowNs == 0 {
		ttft, tpot, err = steadyLatencies(reqs, span.warmNs)
		if none := (*noSteadyCompletionError)(nil); errors.As(err, &none) {
			none.runS = float64(run.sink.Meta.HorizonNs) / 1e9
			none.lifeS, _ = closedLoopLifetime(pt)
			if span.cycle > 0 {
				// The file's protocol line says 3 lifetimes of warm-up
				// and 12 measured; this row's run was not that long.
				err = fmt.Errorf("%w; %s", err, cutSpan(pt, span))
			}
		}
		return ttft, tpot, decodingBatch(reqs, span.warmNs, run.sink.Meta.HorizonNs), err
	}
	ttft, tpot, err = windowLatencies(reqs, span.windowNs)
	if empty := (*emptyWindowError)(nil); errors.As(err, &empty) {
		empty.lifeS, _ = closedLoopLifetime(pt)
	}
	return ttft, tpot, decodingBatch(reqs, 0, span.windowNs), err
}

// cutSpan says how a closed loop cut short (closedLoopCycles) was run:
// the lifetimes of warm-up and measured it ran, against the usual, and why.
func cutSpan(pt hw.ServingPoint, span pointSpan) string {
	lifetimes := "lifetimes"
	if span.warm == 1 {
		lifetimes = "lifetime"
	}
	return fmt.Sprintf("the loop was cut to %d request %s of warm-up, then %d measured, not %d then %d (%s clients x %s output tokens passes the %s sequence-steps a row may simulate)",
		span.warm, lifetimes, span.cycle, closedWarmCycles, closedMeasureCycles, format.Thousands(int64(pt.Concurrency)),
		format.Thousands(int64(pt.OutputTokens)), format.Thousands(int64(closedLoopMaxSeqSteps)))
}

// unsteadyBelow is the Little's ratio under which a closed-loop row counts
// as a transient: in gpu-nim-a100.csv the steady rows lie within 0.9-1.0
// and the rest at 0.52-0.89, every one with its decoding batch at a plateau
// (docs/calibration.md, the NIM closed loops).
const unsteadyBelow = 0.9

// Unsteady splits the closed-loop rows whose measurement fails Little's law
// (hw.ServingPoint.LittleRatio below unsteadyBelow) from the others:
// validate simulates a steady state, which such a row did not measure.
// It returns the unsteady rows and the mean absolute TTFT and TPOT errors
// over them and over every other row (NaN where a set is empty).
func (rep *ValidationReport) Unsteady() (rows []ValidationRow, ttft, tpot, restTTFT, restTPOT float64) {
	var in, out [2][]float64
	for _, r := range rep.Rows {
		set := &out
		if l := r.Point.LittleRatio(); l > 0 && l < unsteadyBelow {
			rows = append(rows, r)
			set = &in
		}
		if r.Point.HasTTFT() {
			set[0] = append(set[0], math.Abs(r.TTFTErr))
		}
		if r.Point.HasTPOT() {
			set[1] = append(set[1], math.Abs(r.TPOTErr))
		}
	}
	return rows, mean(in[0]), mean(in[1]), mean(out[0]), mean(out[1])
}
