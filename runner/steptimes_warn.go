package runner

import (
	"fmt"
	"strings"

	"aiecon/hw"
	"aiecon/model"
	"aiecon/model/format"
	"aiecon/sim"
)

// StepTimesCoverageWarning says in plain words when the constants that
// price a run's steps were not fitted to published measurements of its
// chip: fitted to nothing, fitted to other chips of the family (carried
// over by the catalogued peaks and bandwidths), or fitted to too few
// measurements to cross-validate. Constants the scenario sets itself, all
// nine, are the user's and get no warning. aiecon run prints it among its
// warnings, and a forecast under each variant whose runs would, so that
// a verdict resting on those constants says so wherever it is read.
//
// Where the family inherits constants from another's rows, it says which
// and what share of a decode step they price (unpinnedNote), at a full
// batch and the scenario's 99th-percentile context: a search or sweep
// compares fleets before and apart from their runs. RunStepTimesCoverageWarning
// prices the run's own mean step.
func StepTimesCoverageWarning(sc *model.Scenario) string {
	return stepTimesCoverageWarning(sc, nil, false)
}

// RunStepTimesCoverageWarning is StepTimesCoverageWarning for a run whose
// result res is known: the share of a decode step its unpinned constants
// price is at the run's mean batch and context (runDecodeLoad).
func RunStepTimesCoverageWarning(sc *model.Scenario, res *sim.Result) string {
	return stepTimesCoverageWarning(sc, res, false)
}

// StoredStepTimesCoverageWarning is RunStepTimesCoverageWarning for a
// stored run: res holds its KPIs and, where the store kept them, its main
// fleet's call lengths (res.Lengths, from data.RunRecord.Served). A run
// stored before they were kept has none: where run priced the run's own
// mean step (a fleet without pools whose KPIs give a mean batch), the
// warning says that share cannot be recomputed, rather than print another
// step's share as run's (a full batch at the scenario's 99th-percentile
// context read 73% where run had said 53%).
func StoredStepTimesCoverageWarning(sc *model.Scenario, res *sim.Result) string {
	return stepTimesCoverageWarning(sc, res, len(res.Lengths) == 0)
}

func stepTimesCoverageWarning(sc *model.Scenario, res *sim.Result, lengthsLost bool) string {
	if n, of := sc.Hardware.ConstantsSet(); n == of {
		return ""
	}
	s, chip, err := runServing(sc)
	if err != nil {
		return "" // the run itself resolved them; nothing to add here
	}
	w := coverageWords(s, chip)
	if w == "" {
		return ""
	}
	load := runDecodeLoad(sc, res)
	if lengthsLost && len(sc.Pools) == 0 {
		_, load.lost = res.MeanBatch() // without a mean batch run priced the scenario's step, as here
	}
	return w + unpinnedNote(sc, s, chip, load)
}

// coverageWords is the warning's first sentences by the constants'
// coverage of chip.
func coverageWords(s hw.Serving, chip string) string {
	switch s.CoverageOf(chip) {
	case hw.CoverageNone:
		return fmt.Sprintf("STEP TIMES ARE AN ESTIMATE: the %s constants that price every step on %s were not fitted to any published "+
			"measurement, so latency, throughput and cost per token here are rough estimates; check them against a measurement "+
			"before deciding on them (docs/calibration.md).", s.Family, chip)
	case hw.CoverageTransfer:
		return fmt.Sprintf("STEP TIMES BY TRANSFER: no published measurement of %s went into the %s constants (fitted to %s); "+
			"they are carried over through %s's catalogued peaks and bandwidths, so expect larger errors than the "+
			"cross-validated ones (%s).", chip, s.Family, strings.Join(s.FittedChips, " and "), chip, orNone(s.CV))
	case hw.CoverageThin:
		return fmt.Sprintf("STEP TIMES THINLY FITTED: the %s constants were fitted to %d published measurements of %s, too few "+
			"to cross-validate; treat latency and cost per token as estimates.", s.Family, s.FittedRows, chip)
	}
	return ""
}

// StepTimesExtrapolatedWarning is the STEP TIMES EXTRAPOLATED warning: the
// fleets extrapolatedFleets names and what extrapolating costs, for
// the axes their gaps lie on alone; "" when none is named. res is the
// run's result (nil before a run: the lengths are then estimated from the
// scenario).
func StepTimesExtrapolatedWarning(sc *model.Scenario, res *sim.Result) string {
	return extrapolatedWarning(extrapolatedFleets(sc, func(i int) Lengths { return fleetLengths(sc, res, i) }))
}

// StoredStepTimesExtrapolatedWarning is StepTimesExtrapolatedWarning for a
// stored run: res holds, where the store kept them (res.Lengths, from
// data.RunRecord.Served), its main fleet's 99th-percentile prompt and
// context, which give the same length gaps run gave; show repeats it. The
// store keeps no pool's lengths, nor, for a run stored before it kept
// them, the main fleet's (both, or the prompt alone): their length gaps
// are left out, and where the warning is given it says which lengths
// cannot be recomputed (unkeptLengths), rather than estimate them from the
// scenario as run does before a run.
func StoredStepTimesExtrapolatedWarning(sc *model.Scenario, res *sim.Result) string {
	w := extrapolatedWarning(extrapolatedFleets(sc, func(i int) Lengths { return storedLengths(sc, res, i) }))
	if w == "" {
		return ""
	}
	return w + unkeptLengths(sc, res)
}

// storedLengths is fleetLengths of a stored run: the main fleet's kept
// lengths (a length not kept is 0, unknown), the scenario's estimate where
// no call was routed to it (as run read it), none for a pool.
func storedLengths(sc *model.Scenario, res *sim.Result, i int) Lengths {
	if i > 0 || res == nil || len(res.Lengths) == 0 {
		return Lengths{}
	}
	return fleetLengths(sc, res, 0)
}

// unkeptLengths says which of the lengths run compared with the measured
// ones the store did not keep for a stored run: the main fleet's prompt
// and context, or its prompt alone (a run stored between the two
// migrations that kept them), and its pools'; "" where every fleet's were
// kept.
func unkeptLengths(sc *model.Scenario, res *sim.Result) string {
	whose := "the calls'"
	if len(sc.Pools) > 0 {
		whose = "the main fleet's"
	}
	var what []string
	they := "they"
	switch l := storedLengths(sc, res, 0); {
	case res == nil || len(res.Lengths) == 0:
		what = append(what, whose+" prompt and context lengths")
	case l.Prompt == 0 && res.Lengths[0].Calls > 0:
		what, they = append(what, whose+" 99th-percentile prompt"), "it"
	}
	if len(sc.Pools) > 0 {
		what = append(what, "the pools' lengths")
	}
	if len(what) == 0 {
		return ""
	}
	if len(what) > 1 {
		they = "they"
	}
	return " The store did not keep " + format.ListAnd(what) + " for this run, so whether " + they + " lay beyond the measured " +
		"lengths cannot be recomputed; aiecon run judged that when the run ended."
}

// extrapolatedWarning is the STEP TIMES EXTRAPOLATED warning for the fleets
// xs: "" where there is none.
func extrapolatedWarning(xs []extrapolatedFleet) string {
	if len(xs) == 0 {
		return ""
	}
	lines := make([]string, len(xs))
	axes := map[string]bool{}
	for i, x := range xs {
		lines[i] = x.line()
		for _, g := range x.gaps {
			axes[g.Axis] = true
		}
	}
	w := "STEP TIMES EXTRAPOLATED: " + strings.Join(lines, "; ") + "."
	if len(axes) > 1 || !axes[hw.AxisSpec] {
		w += " The per-layer and all-reduce costs and the bytes each " +
			"device streams trade against each other with the model's size per device, and the attention and KV-read constants " +
			"were pinned by the prompt and context lengths and the batches measured on dense models, so away from the measured sizes, TP " +
			"degrees, weight formats, lengths and batches, or on a mixture of experts, the constants can misjudge even which chip is " +
			"faster (docs/calibration.md, \"Beyond the rows\"; docs/model.md, \"Formats\"); treat latency and cost per token as " +
			"estimates."
	}
	if axes[hw.AxisPrompt] || axes[hw.AxisContext] {
		w += lengthsNote
	}
	if axes[hw.AxisSpec] {
		w += speculativeNote
	}
	return w
}

// speculativeNote says, when a fleet named decodes speculatively, what its
// gap (hw.Serving's specGap: no measurement checks how its proposer and
// verification steps are priced) leaves to the model: the constants price
// its proposer's steps and the target's verification chunk as they price
// any other step, at the scenario's acceptance rate, so a TPOT gain from
// speculation is the model's, not a measurement's. The general caveat on
// sizes, TP degrees and lengths is left out where speculation is a
// fleet's only gap: none of it applies.
const speculativeNote = " A speculative fleet's proposer steps and verification chunks are priced by the same constants at the " +
	"scenario's acceptance rate (docs/model.md, \"Speculative decoding\"), so its TPOT and cost per token against plain " +
	"decoding are the model's, not a measurement's."

// lengthsNote says what a fleet's lengths in the extrapolation warning
// are, where one lies beyond the measured prompt or context lengths.
const lengthsNote = " A fleet's prompt and context lengths are the 99th percentiles of the calls routed to it, served or not (prompts with their " +
	"cached tokens, contexts prompt plus output, each cut to max_model_len; estimated from the scenario for a fleet that got none)."

// runServing is the step-time constants a run of sc uses before the
// scenario's overrides (its calibration profile's, else the family
// defaults) and the catalog name of its chip.
func runServing(sc *model.Scenario) (hw.Serving, string, error) {
	inst, err := hw.InstanceByName(sc.Fleet.Instance)
	if err != nil {
		return hw.Serving{}, "", err
	}
	chip, err := inst.ChipSpec()
	if err != nil {
		return hw.Serving{}, "", err
	}
	cal, err := LoadCalibration(sc)
	if err != nil {
		return hw.Serving{}, "", err
	}
	if cal.Serving != nil {
		return *cal.Serving, chip.Name, nil
	}
	s, err := hw.DefaultServing(chip.StepFamily)
	return s, chip.Name, err
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
