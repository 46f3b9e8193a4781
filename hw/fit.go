package hw

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/optimize"

	"aiecon/model/llm"
)

// FitRow compares one point with the fitted prediction.
type FitRow struct {
	Point      ServingPoint `json:"point"`
	TTFTMs     float64      `json:"predicted_ttft_ms"`
	TPOTMs     float64      `json:"predicted_tpot_ms"`
	TTFTRelErr float64      `json:"ttft_rel_err"` // predicted/measured - 1
	TPOTRelErr float64      `json:"tpot_rel_err"`
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
	// AtBound names the constants the fit pushed to a bound ("overhead_s" at 0).
	AtBound []string `json:"at_bound,omitempty"`
}

// overheadFloorS is where a fitted overhead counts as its bound 0: the
// optimiser approaches 0 only to within its tolerance (about 1e-16 s), and a
// nanosecond is far below anything an iteration's fixed cost can be.
const overheadFloorS = 1e-9

// fitCase is a point with everything needed to predict it.
type fitCase struct {
	pt   ServingPoint
	arch llm.Arch
	inst *Instance
}

// FitServing fits the serving constants (OverheadS, BWFrac) of one
// accelerator family to measured serving points, given the GEMM efficiency:
// it minimises the sum over points of squared log errors of TTFT and TPOT as
// predicted by PredictStatic, with gonum's Nelder-Mead. The bounds come from
// the parametrisation: OverheadS = (x0 ms)^2 >= 0, which, unlike exp, lets the
// fit reach 0 at a finite x0; BWFrac = logistic(x1) in (0, 1).
//
// Every point must name a catalogued model and instance of the same family.
func FitServing(points []ServingPoint, eff Efficiency) (Serving, FitReport, error) {
	var rep FitReport
	if len(points) == 0 {
		return Serving{}, rep, errors.New("FitServing: no serving points")
	}
	if eff == nil {
		return Serving{}, rep, errors.New("FitServing: nil efficiency")
	}
	cases := make([]fitCase, len(points))
	for i, pt := range points {
		if err := pt.Validate(); err != nil {
			return Serving{}, rep, fmt.Errorf("FitServing: %w", err)
		}
		arch, err := llm.Lookup(pt.Model)
		if err != nil {
			return Serving{}, rep, fmt.Errorf("FitServing: serving point %s: %w", pt.where(), err)
		}
		inst, err := InstanceByName(pt.Instance)
		if err != nil {
			return Serving{}, rep, fmt.Errorf("FitServing: serving point %s: %w", pt.where(), err)
		}
		chip, err := inst.ChipSpec()
		if err != nil {
			return Serving{}, rep, err
		}
		if i == 0 {
			rep.Family = chip.Family
		} else if chip.Family != rep.Family {
			return Serving{}, rep, fmt.Errorf("FitServing: serving point %s is on a %s chip, the first on %s: fit one family at a time",
				pt.where(), chip.Family, rep.Family)
		}
		cases[i] = fitCase{pt, arch, inst}
	}
	rep.Efficiency = fmt.Sprintf("%v", eff)

	decode := func(x []float64) Serving {
		return Serving{Family: rep.Family, OverheadS: x[0] * x[0] * 1e-3, BWFrac: 1 / (1 + math.Exp(-x[1]))}
	}
	var predErr error
	loss := func(x []float64) float64 {
		s := decode(x)
		if !(s.BWFrac > 0) { // logistic underflow far out: treat as a wall
			return math.Inf(1)
		}
		var sum float64
		for _, c := range cases {
			pr, err := predict(c, eff, s)
			if err != nil {
				predErr = err
				return math.Inf(1)
			}
			sum += sq(math.Log(pr.TTFTS*1e3/c.pt.TTFTMs)) + sq(math.Log(pr.TPOTS*1e3/c.pt.TPOTMs))
		}
		return sum
	}
	// Start from 1 ms of overhead and half the bandwidth.
	res, err := optimize.Minimize(optimize.Problem{Func: loss}, []float64{1, 0},
		&optimize.Settings{
			Converger:       &optimize.FunctionConverge{Absolute: 1e-14, Iterations: 200},
			MajorIterations: 5000,
			FuncEvaluations: 20000,
		}, &optimize.NelderMead{})
	if predErr != nil {
		return Serving{}, rep, fmt.Errorf("FitServing: %w", predErr)
	}
	if err != nil && res == nil {
		return Serving{}, rep, fmt.Errorf("FitServing: Nelder-Mead: %w", err)
	}
	s := decode(res.X)
	if s.OverheadS < overheadFloorS {
		s.OverheadS = 0
		rep.AtBound = append(rep.AtBound, "overhead_s")
	}
	rep.Evaluations = res.Stats.FuncEvaluations
	rep.Status = res.Status.String()
	if err != nil {
		rep.Status += ": " + err.Error()
	}
	var sumSq float64
	for _, c := range cases {
		pr, err := predict(c, eff, s)
		if err != nil {
			return Serving{}, rep, fmt.Errorf("FitServing: %w", err)
		}
		row := FitRow{Point: c.pt, TTFTMs: pr.TTFTS * 1e3, TPOTMs: pr.TPOTS * 1e3}
		row.TTFTRelErr = row.TTFTMs/c.pt.TTFTMs - 1
		row.TPOTRelErr = row.TPOTMs/c.pt.TPOTMs - 1
		sumSq += sq(math.Log1p(row.TTFTRelErr)) + sq(math.Log1p(row.TPOTRelErr))
		rep.Rows = append(rep.Rows, row)
	}
	rep.RMSLogErr = math.Sqrt(sumSq / float64(2*len(cases)))
	s.Label = Estimate
	s.Source = fmt.Sprintf("FitServing to %d published %s serving point(s) with efficiency %s (Nelder-Mead on squared log errors of TTFT and TPOT; RMS log error %.3f)",
		len(cases), rep.Family, rep.Efficiency, rep.RMSLogErr)
	return s, rep, nil
}

func predict(c fitCase, eff Efficiency, s Serving) (StaticPrediction, error) {
	perf, err := NewPerf(c.inst, c.pt.TP, eff, s)
	if err != nil {
		return StaticPrediction{}, fmt.Errorf("serving point %s: %w", c.pt.where(), err)
	}
	return PredictStatic(c.pt, c.arch, c.pt.Shard(), perf)
}

func sq(x float64) float64 { return x * x }
