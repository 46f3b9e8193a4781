package kernels

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/optimize"

	"aiecon/hw"
)

// The efficiency model is hw.GEMMModel, an additive roofline whose compute
// efficiency falls off smoothly as M, N or K shrink. It was chosen over
// interpolation in log-shape space and over a polynomial regression because:
//
//   - it extrapolates sanely: accelerator shapes go past the host grid
//     (N, K up to 28672/TP, M up to a few thousand tokens after padding),
//     where the model tends to its asymptotes (ComputeEff of peak, MemEff
//     of bandwidth) instead of a polynomial's blow-up or a nearest
//     neighbour's flat copy;
//   - it averages measurement noise instead of reproducing it: on a shared
//     2-core host, two passes over the same grid differ by 5% (median) to
//     12% (mean), and an interpolant would carry that noise into every
//     prediction;
//   - its 11 parameters mean something (overheads, asymptotic efficiencies,
//     the size at which each dimension costs half the rate), so a profile can
//     be read and compared across machines.
//
// The fit minimises a Huber loss (quadratic within 10%, linear beyond) of
// the log ratio of model to measured time with gonum's Nelder-Mead: log
// ratios weigh a 10 us GEMV and a 100 ms GEMM alike, and the Huber tail keeps
// a sample slowed by another process from dragging the curve.

// huberDelta is where the loss turns from quadratic to linear, in log-time units.
const huberDelta = 0.1

// FitResult describes a fit.
type FitResult struct {
	Model       hw.GEMMModel `json:"model"`
	Loss        float64      `json:"loss"`
	Evaluations int          `json:"evaluations"`
	Status      string       `json:"status"`
}

// FitGEMMModel fits the model to measurements of a device with the given
// peak, bandwidth and element width. It needs at least as many measurements
// as the model has parameters.
func FitGEMMModel(ms []hw.Measurement, peakFLOPSPerS, bytesPerS, elemBytes float64) (FitResult, error) {
	if len(ms) < nParams {
		return FitResult{}, fmt.Errorf("fit: %d measurements, need at least %d (one per model parameter)", len(ms), nParams)
	}
	if !(peakFLOPSPerS > 0) || !(bytesPerS > 0) || !(elemBytes > 0) {
		return FitResult{}, fmt.Errorf("fit: peak %g FLOP/s, bandwidth %g B/s and element width %g B must be positive", peakFLOPSPerS, bytesPerS, elemBytes)
	}
	for i, m := range ms {
		if m.Batch < 1 || m.M < 1 || m.N < 1 || m.K < 1 || !(m.Seconds > 0) || math.IsInf(m.Seconds, 0) {
			return FitResult{}, fmt.Errorf("fit: measurement %d (%dx%dx%dx%d, %g s) has a non-positive dimension or time", i, m.Batch, m.M, m.N, m.K, m.Seconds)
		}
	}
	loss := func(x []float64) float64 {
		g := decodeParams(x)
		var sum float64
		for _, m := range ms {
			r := math.Log(g.TimeS(m.Batch, m.M, m.N, m.K, peakFLOPSPerS, bytesPerS, elemBytes) / m.Seconds)
			if math.IsNaN(r) || math.IsInf(r, 0) {
				return math.Inf(1)
			}
			if a := math.Abs(r); a <= huberDelta {
				sum += r * r / 2
			} else {
				sum += huberDelta * (a - huberDelta/2)
			}
		}
		return sum
	}
	x := initialParams()
	var res *optimize.Result
	evals := 0
	// Nelder-Mead's simplex collapses in 11 dimensions before it has found the
	// valley floor; restarting from the best point with a fresh simplex fixes
	// that, and stops paying once a restart no longer improves the loss.
	prev := math.Inf(1)
	for range 8 {
		r, err := optimize.Minimize(optimize.Problem{Func: loss}, x,
			&optimize.Settings{
				Converger:       &optimize.FunctionConverge{Absolute: 1e-9, Relative: 1e-9, Iterations: 300},
				MajorIterations: 20000,
				FuncEvaluations: 40000,
			}, &optimize.NelderMead{})
		if r == nil {
			return FitResult{}, fmt.Errorf("fit: Nelder-Mead: %w", err)
		}
		res, x = r, r.X
		evals += r.Stats.FuncEvaluations
		if prev-r.F <= 1e-6*max(1, math.Abs(prev)) {
			break
		}
		prev = r.F
	}
	g := decodeParams(res.X)
	if err := g.Validate(); err != nil {
		return FitResult{}, fmt.Errorf("fit: %w", err)
	}
	return FitResult{Model: g, Loss: res.F, Evaluations: evals, Status: res.Status.String()}, nil
}

// nParams is the number of GEMMModel parameters.
const nParams = 11

// initialParams is a neutral start: 5 us per call, 1 us per extra product,
// 90% of peak at large sizes, rate halved at M = 8 and N = K = 64, half the
// triad bandwidth, a blend of 2.
func initialParams() []float64 {
	return []float64{
		belowInv(5e-6, 1e-6, hw.GEMMMaxTimeS), belowInv(1e-6, 1e-6, hw.GEMMMaxTimeS), logit(0.9),
		belowInv(8, 1, hw.GEMMMaxScale), expInv(1), belowInv(64, 1, hw.GEMMMaxScale), expInv(1),
		belowInv(64, 1, hw.GEMMMaxScale), expInv(1),
		math.Log(0.5), math.Log(1),
	}
}

// decodeParams maps the unconstrained optimiser coordinates to a model whose
// parameters are in the ranges hw.GEMMModel.Validate allows, so that any
// point the optimiser reaches is a valid profile: times and scales through
// below (exp of the coordinate until near the bound, never past it: on
// noisy samples the fit wandered to m0 = 1.7e6 and n0 = 5e9, and
// calibration failed), efficiencies through the logistic, exponents into
// [0.05, 8.05], the blend into [1, 65]. An efficiency whose coordinate
// underflows keeps the smallest positive value, as Validate wants.
func decodeParams(x []float64) hw.GEMMModel {
	return hw.GEMMModel{
		OverheadS:   below(x[0], 1e-6, hw.GEMMMaxTimeS),
		PerProductS: below(x[1], 1e-6, hw.GEMMMaxTimeS),
		ComputeEff:  max(logistic(x[2]), math.SmallestNonzeroFloat64),
		M0:          below(x[3], 1, hw.GEMMMaxScale),
		MExp:        expo(x[4]),
		N0:          below(x[5], 1, hw.GEMMMaxScale),
		NExp:        expo(x[6]),
		K0:          below(x[7], 1, hw.GEMMMaxScale),
		KExp:        expo(x[8]),
		MemEff:      min(max(math.Exp(x[9]), math.SmallestNonzeroFloat64), hw.GEMMMaxMemEff),
		Blend:       1 + min(math.Exp(x[10]), hw.GEMMMaxBlend-1),
	}
}

// below maps x to [0, hi]: unit*exp(x) while that is well under hi (within
// a fraction unit*exp(x)/hi of it), bending smoothly to hi past it.
func below(x, unit, hi float64) float64 { return hi * logistic(x-math.Log(hi/unit)) }

// belowInv is the coordinate at which below gives v, for 0 < v < hi.
func belowInv(v, unit, hi float64) float64 { return logit(v/hi) + math.Log(hi/unit) }

func logistic(x float64) float64 { return 1 / (1 + math.Exp(-x)) }
func logit(p float64) float64    { return math.Log(p / (1 - p)) }
func expo(x float64) float64     { return 0.05 + (hw.GEMMMaxExp-0.05)*logistic(x) }
func expInv(e float64) float64   { return logit((e - 0.05) / (hw.GEMMMaxExp - 0.05)) }

// MAPE is the mean absolute percentage error, as a fraction, of the model's
// time against measured time over ms.
func MAPE(g hw.GEMMModel, ms []hw.Measurement, peakFLOPSPerS, bytesPerS, elemBytes float64) float64 {
	if len(ms) == 0 {
		return math.NaN()
	}
	var sum float64
	for _, m := range ms {
		sum += math.Abs(g.TimeS(m.Batch, m.M, m.N, m.K, peakFLOPSPerS, bytesPerS, elemBytes)-m.Seconds) / m.Seconds
	}
	return sum / float64(len(ms))
}

// HoldOut returns a seeded random choice of round(frac * n) indices out of n
// (at least one when n >= 2 and frac > 0), as a mask.
func HoldOut(n int, frac float64, seed uint64) []bool {
	mask := make([]bool, n)
	k := int(math.Round(frac * float64(n)))
	if frac > 0 && n >= 2 {
		k = max(k, 1)
	}
	k = min(k, n-1)
	rng := rand.New(rand.NewPCG(seed, 0x686f6c646f7574)) // "holdout"
	for _, i := range rng.Perm(n)[:max(k, 0)] {
		mask[i] = true
	}
	return mask
}

// FitHost marks a seeded random fraction of h's measurements as held out,
// fits the model to the rest, and records the model and its train and
// held-out MAPE in h.
func FitHost(h *hw.HostCalibration, holdOutFrac float64, seed uint64) (FitResult, error) {
	if h.ElemBytes() == 0 {
		return FitResult{}, fmt.Errorf("fit host %q: unknown host dtype", h.DType)
	}
	mask := HoldOut(len(h.Measurements), holdOutFrac, seed)
	var train, test []hw.Measurement
	for i := range h.Measurements {
		h.Measurements[i].HeldOut = mask[i]
		if mask[i] {
			test = append(test, h.Measurements[i])
		} else {
			train = append(train, h.Measurements[i])
		}
	}
	if len(test) == 0 {
		return FitResult{}, errors.New("fit host " + h.DType + ": no shape held out (grid too small or hold-out fraction 0)")
	}
	res, err := FitGEMMModel(train, h.PeakFLOPSPerS, h.BytesPerS, h.ElemBytes())
	if err != nil {
		return FitResult{}, fmt.Errorf("fit host %s: %w", h.DType, err)
	}
	h.Model = res.Model
	h.TrainMAPE = MAPE(res.Model, train, h.PeakFLOPSPerS, h.BytesPerS, h.ElemBytes())
	h.HeldOutMAPE = MAPE(res.Model, test, h.PeakFLOPSPerS, h.BytesPerS, h.ElemBytes())
	return res, nil
}
