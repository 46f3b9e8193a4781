package runner

import (
	"cmp"
	"fmt"
	"math"
	"os"
	"strconv"

	"aiecon/hw"
	"aiecon/model/format"
)

// EnvMaxValidateSteps overrides validateFileMaxSeqSteps, the work a
// serving-point file may ask of validate.
const EnvMaxValidateSteps = "AIECON_MAX_VALIDATE_STEPS"

// validateFileMaxSeqSteps bounds a file's simulated work, the sum of its
// rows' sequence-steps (rowSeqSteps). The per-row bound (loopSkipSeqSteps)
// alone let 10,000 legal rows, each cut to about 200M steps and taking
// 3-10 s, run for a day from a 1.5 MB file. Measured, a million steps costs
// 20-75 ms (10 loops of 64 clients x 1M tokens, 1.9G steps, 43 s; the
// closedLoopMaxSeqSteps figures), so 3G is one to four minutes. The
// largest published file, gpu-nim-a100.csv, is about 310M steps, ten times
// under it; the other three are under 130M.
const validateFileMaxSeqSteps = 3e9

// rowSeqSteps is the sequence-steps of decoding a row's simulation runs:
// a steady closed loop its lifetimes as cut (closedLoopCycles), a cold one
// the lifetimes in its window, an open loop every request of each draw
// (openLoopWork), a static batch its batch once. A row loopTooLong skips
// runs nothing.
func rowSeqSteps(pt hw.ServingPoint, windowS float64) float64 {
	if loopTooLong(pt, windowS) != "" {
		return 0
	}
	switch {
	case pt.ClosedLoop() && windowS > 0:
		life, err := closedLoopLifetime(pt)
		if err != nil || life <= 0 {
			return 0 // the run names the error
		}
		return closedLoopLifeSteps(pt) * windowS / life
	case pt.ClosedLoop():
		warm, measure := closedLoopCycles(pt)
		return closedLoopLifeSteps(pt) * float64(warm+measure)
	case pt.OpenLoop():
		steps, _ := openLoopWork(pt)
		return steps
	}
	return float64(max(pt.Batch, 1)) * float64(max(pt.OutputTokens, 1))
}

// CheckWork refuses a file whose rows would simulate more than the
// budget's sequence-steps (validateFileMaxSeqSteps, or
// AIECON_MAX_VALIDATE_STEPS), before any row runs, naming the file, the
// estimate and the row that weighs most.
func (p ClosedLoopProtocol) CheckWork(points []hw.ServingPoint) error {
	if len(points) == 0 {
		return nil
	}
	budget, err := validateBudget()
	if err != nil {
		return &InputError{Err: err}
	}
	var total, most float64
	heaviest := points[0]
	for _, pt := range points {
		w := rowSeqSteps(pt, p.WindowFor(pt))
		total += w
		if w > most {
			most, heaviest = w, pt
		}
	}
	if total <= budget {
		return nil
	}
	file := cmp.Or(points[0].File, "the file")
	return &InputError{Err: fmt.Errorf("%s: its %d rows would simulate about %s sequence-steps of decoding, past the %s a file may "+
		"(about %s of CPU at 20-75 ms a million; the most, %s sequence-steps, from %s); validate fewer rows at a time, "+
		"run one row with aiecon validate %s --scenario LINE, or raise the budget with %s",
		file, len(points), format.Thousands(int64(total)), format.Thousands(int64(budget)),
		cpuTime(total*0.02e-6)+" to "+cpuTime(total*0.075e-6), format.Thousands(int64(most)), pointWhere(heaviest), file, EnvMaxValidateSteps)}
}

// validateBudget is validateFileMaxSeqSteps, or the environment's.
func validateBudget() (float64, error) {
	s := os.Getenv(EnvMaxValidateSteps)
	if s == "" {
		return validateFileMaxSeqSteps, nil
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || !(x >= 1) || math.IsInf(x, 0) {
		return 0, fmt.Errorf("%s=%q: want a number of sequence-steps of at least 1", EnvMaxValidateSteps, s)
	}
	return x, nil
}

// cpuTime writes seconds roughly, in the unit that reads best.
func cpuTime(s float64) string {
	switch {
	case s < 120:
		return fmt.Sprintf("%.0f s", s)
	case s < 2*3600:
		return fmt.Sprintf("%.0f min", s/60)
	}
	return fmt.Sprintf("%.0f h", s/3600)
}
