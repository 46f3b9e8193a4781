package runner

import (
	"fmt"
	"strings"

	"aiecon/hw"
	"aiecon/model"
	"aiecon/model/llm"
	"aiecon/sim"
)

// StepTimesSource says where a run's step-time constants come from: the
// instance's step family, what they were fitted to (how many measurements
// of which serving stack, static batches or loops of clients, on which
// chips, and whether the fleet's chip is one of them or gets them carried
// over), how well they cross-validate on those measurements, what checks
// continuous batching where the fleet batches continuously and the fit did
// not, whether the main fleet lies outside the measurements (briefly: the
// STEP TIMES EXTRAPOLATED warning has the figures), and whether the
// scenario overrides some (docs/calibration.md). Its phrases are joined
// with "; ". The run report prints it, and the dashboard
// StoredStepTimesSource. res is the run's result, whose lengths are
// checked (fleetLengths); nil before a run, when the scenario estimates
// them.
func StepTimesSource(sc *model.Scenario, res *sim.Result) string {
	return stepTimesSource(sc, fleetLengths(sc, res, 0))
}

// StoredStepTimesSource is StepTimesSource for a stored run: res holds the
// main fleet's lengths where the store kept them (storedLengths); a length
// not kept is left out of the EXTRAPOLATED part, as
// StoredStepTimesExtrapolatedWarning leaves it out of the warning. The
// dashboard read the scenario's estimate ("prompts to 6,000 tokens")
// beside the 6,143 the run had printed, with no warning under it.
func StoredStepTimesSource(sc *model.Scenario, res *sim.Result) string {
	return stepTimesSource(sc, storedLengths(sc, res, 0))
}

// stepTimesSource is StepTimesSource with the main fleet's lengths given.
func stepTimesSource(sc *model.Scenario, lengths Lengths) string {
	_, chip, s, err := hw.InstanceDefaults(sc.Fleet.Instance)
	if err != nil {
		return "-"
	}
	what := chip.StepFamily + " constants, " + string(s.Label)
	own := false
	var unread error // the profile named, no longer readable (a stored run shown later)
	if path := sc.Hardware.Calibration; path != "" {
		if p, err := hw.LoadProfile(path); err != nil {
			unread = err
		} else if ps, ok := p.ServingFor(chip.StepFamily); ok {
			s, own = ps, true
			what = chip.StepFamily + " constants of this run's calibration profile (aiecon hw fit --save, with its GEMM efficiency)"
		}
	}
	parts := []string{what + ", " + fittedTo(s, chip.Name)}
	if cv := cvQuoted(s); cv != "" {
		parts = append(parts, cv)
	}
	if gaps := fleetGaps(s, sc, sc.Model, sc.Fleet, lengths); len(gaps) > 0 {
		parts = append(parts, "EXTRAPOLATED: "+briefs(gaps))
	}
	if x := loopsChecked(s, sc.Fleet.Replica.Scheduler, own); x != "" {
		parts = append(parts, x)
	}
	switch {
	case unread != nil:
		parts = append(parts, fmt.Sprintf("the run's calibration profile cannot be read now (%v), so whether it carried constants of its own is unknown", unread))
	case sc.Hardware.Calibration != "" && !own:
		// The constants and their error were fitted under the built-in
		// profile's efficiency; another profile's (imported device timings)
		// runs under the same constants, not refitted to it.
		parts = append(parts, "fitted under the built-in profile, not this run's, whose GEMM efficiency runs under them")
	}
	if n, _ := sc.Hardware.ConstantsSet(); n > 0 {
		parts = append(parts, "some overridden by the scenario's hardware section")
	}
	return strings.Join(parts, "; ")
}

// cvQuoted is the constants' cross-validated error as the step-times line
// quotes it (Serving.CV, "(708 rows)" left out where it repeats the count
// fittedTo gives), "" where they record none. Constants fitted to fewer
// than hw.ThinFitRows rows get no figure, whatever their record says: a
// profile saved before hw fit recorded a thin cross-validation as such
// kept its MAPE ("TTFT 37.4%, TPOT 4.4% (2 rows)", two predictions), which
// read here as a validated error.
func cvQuoted(s hw.Serving) string {
	if s.CV == "" {
		return ""
	}
	if s.FittedRows > 0 && s.FittedRows < hw.ThinFitRows && strings.Contains(s.CV, "MAPE") {
		return fmt.Sprintf("too few to cross-validate: %d %s", s.FittedRows, plural(s.FittedRows, "row", "rows"))
	}
	return strings.TrimSuffix(s.CV, fmt.Sprintf(" (%d rows)", s.FittedRows))
}

// fittedTo says what the constants were fitted to, for a fleet on chip:
// "fitted to 708 static batches of TensorRT-LLM 0.9.0 on H100, H200", with
// ", carried over to B200" where chip is not among them (its catalogued
// peaks and bandwidths carry them), or "fitted to no recorded measurement".
func fittedTo(s hw.Serving, chip string) string {
	if s.FittedRows == 0 || len(s.FittedChips) == 0 {
		return "fitted to no recorded measurement"
	}
	var rows string
	switch static := s.FittedRows - s.FittedLoops; {
	case s.FittedLoops == 0:
		rows = fmt.Sprintf("%d static %s", s.FittedRows, plural(s.FittedRows, "batch", "batches"))
	case static == 0:
		rows = fmt.Sprintf("%d %s of clients", s.FittedRows, plural(s.FittedRows, "loop", "loops"))
	default:
		rows = fmt.Sprintf("%d rows (%d static %s, %d %s of clients)", s.FittedRows,
			static, plural(static, "batch", "batches"), s.FittedLoops, plural(s.FittedLoops, "loop", "loops"))
	}
	if len(s.FittedStacks) > 0 {
		rows += " of " + strings.Join(s.FittedStacks, " and ")
	}
	out := "fitted to " + rows + " on " + strings.Join(s.FittedChips, ", ")
	if s.CoverageOf(chip) == hw.CoverageTransfer {
		out += ", carried over to " + chip
	}
	return out
}

// loopsChecked says, for a fleet whose scheduler batches continuously
// (any but static) on constants fitted to static batches only, what
// checks continuous batching: the family's published loop check
// (hw.ContinuousBatchingCheck, made under the committed constants, so not
// quoted for a profile's own), or that nothing does. "" for a static
// fleet, for constants fitted to loops too, and for an estimate.
func loopsChecked(s hw.Serving, scheduler string, own bool) string {
	if scheduler == "static" || s.FittedLoops > 0 || s.FittedRows == 0 {
		return ""
	}
	if c, ok := hw.ContinuousBatchingCheck(s.Family); ok && !own {
		return "continuous batching checked only by " + c.String()
	}
	return "no published loop of clients checks their continuous batching"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// briefs joins the gaps' brief names with ", ".
func briefs(gaps []hw.Gap) string {
	out := make([]string, len(gaps))
	for i, g := range gaps {
		out[i] = g.Brief
	}
	return strings.Join(out, ", ")
}

// extrapolatedFleet is a fleet extrapolatedFleets names: its name
// (fleetName) and the gaps between it and the measurements its constants
// were fitted to, none empty.
type extrapolatedFleet struct {
	name string
	gaps []hw.Gap
}

// line is the fleet's name and its gaps' details, as the warning says it.
func (x extrapolatedFleet) line() string {
	out := make([]string, len(x.gaps))
	for i, g := range x.gaps {
		out[i] = g.Detail
	}
	return x.name + ": " + strings.Join(out, "; ")
}

// extrapolatedFleets are, of the main fleet and each pool, those whose
// model, TP degree, weight format or lengths lie outside the measurements
// its family's committed constants were fitted to (fleetExtrapolation),
// named, with their gaps, whose axes say which caveats the warning adds;
// none when the scenario sets every constant itself. lengths gives the
// lengths of the fleet at index i (zero where unknown: no length gap).
func extrapolatedFleets(sc *model.Scenario, lengths func(i int) Lengths) []extrapolatedFleet {
	if n, of := sc.Hardware.ConstantsSet(); n == of {
		return nil
	}
	var out []extrapolatedFleet
	i := 0
	sc.EachFleet(func(_ string, m model.ModelRef, f model.Fleet) bool {
		if x, ok := fleetGapsNamed(sc, m, f, lengths(i)); ok {
			out = append(out, x)
		}
		i++
		return true
	})
	return out
}

// fleetGapsNamed is fleetGaps under the committed constants of the fleet's
// instance, with the fleet's name; false when covered or the instance is
// unknown.
func fleetGapsNamed(sc *model.Scenario, m model.ModelRef, f model.Fleet, l Lengths) (extrapolatedFleet, bool) {
	_, _, s, err := hw.InstanceDefaults(f.Instance)
	if err != nil {
		return extrapolatedFleet{}, false
	}
	gaps := fleetGaps(s, sc, m, f, l)
	if len(gaps) == 0 {
		return extrapolatedFleet{}, false
	}
	arch, _ := m.Arch()
	return extrapolatedFleet{fleetName(arch, f, s), gaps}, true
}

// fleetName names a fleet in the extrapolation warnings: "llama-3.3-70b at
// TP 8 on p5.48xlarge (gpu constants)".
func fleetName(arch llm.Arch, f model.Fleet, s hw.Serving) string {
	return fmt.Sprintf("%s at TP %d on %s (%s constants)", arch.Name, f.Replica.TP, f.Instance, s.Family)
}

// fleetExtrapolation is fleetGaps' details joined with "; ": "" when all
// are covered or the model cannot be resolved (the run reports that
// itself).
func fleetExtrapolation(s hw.Serving, sc *model.Scenario, m model.ModelRef, f model.Fleet, l Lengths) string {
	gaps := fleetGaps(s, sc, m, f, l)
	out := make([]string, len(gaps))
	for i, g := range gaps {
		out[i] = g.Detail
	}
	return strings.Join(out, "; ")
}

// fleetGaps is s.Gaps for a fleet of sc serving model m: its TP degree and
// model size, the scenario's weight format (and its experts'), whether the
// model is a mixture of experts, the fleet's lengths l, the batch its
// replicas allow (max_num_seqs: the most a replica runs at once, what a
// static batch or a loop's clients measured; not the batch a run reached),
// and its speculative proposer (no fitted row decoded speculatively, and
// no speculative row validates the draft and verify steps' pricing).
// The constants the scenario sets itself are s's ScenarioSet: a note that
// calls one inherited from another family would be wrong, the run pricing
// with the scenario's value (sim applies the overrides). None when the
// model cannot be resolved.
func fleetGaps(s hw.Serving, sc *model.Scenario, m model.ModelRef, f model.Fleet, l Lengths) []hw.Gap {
	arch, err := m.Arch()
	if err != nil || f.Replica.TP < 1 {
		return nil
	}
	s.ScenarioSet = sc.Hardware.ConstantNamesSet()
	_, active := arch.Params()
	proposer := ""
	if sp := f.Replica.Speculative; sp != nil {
		proposer = sp.Draft
	}
	return s.Gaps(hw.Use{TP: f.Replica.TP, ActiveParamsB: active / 1e9, Weights: sc.Precision.Weights,
		Experts: residentExperts(sc, arch, f), MoE: arch.IsMoE(), Prompt: l.Prompt, Context: l.Context, Batch: f.Replica.MaxNumSeqs,
		Speculative: proposer})
}

// residentExperts is the format an MoE model's routed experts run in on the
// fleet's chips where the scenario stores them apart from its weights (after
// the family's conversion at load: Trainium2 dequantises 4-bit experts to
// bf16); "" where they are the weights' format or the model is dense.
func residentExperts(sc *model.Scenario, arch llm.Arch, f model.Fleet) llm.DType {
	sh := sc.ShardOf(&f, arch)
	if sh.Experts == "" || sh.Experts == sh.Weights {
		return ""
	}
	if in, err := hw.InstanceByName(f.Instance); err == nil {
		if chip, err := in.ChipSpec(); err == nil {
			if r, err := hw.ResidentShard(chip, sh); err == nil {
				sh = r
			}
		}
	}
	return sh.ExpertDType()
}

// MainFleetGaps are how the main fleet of a resolved scenario (a layout a
// search considers, with its own TP degree, max_num_seqs and
// max_model_len) lies outside the measurements its family's committed
// constants were fitted to, as run's STEP TIMES EXTRAPOLATED says it
// (fleetGaps, its lengths estimated from the scenario: scenarioLengths),
// led by its chip where the constants are carried over to it
// (hw.Serving.TransferGap): a search comparing instance families weighs
// such a chip on constants that no measurement of it pinned. fleet names
// it as the warning does ("llama-3.3-70b at TP 8 on p5.48xlarge (gpu
// constants)"). None when covered, when the scenario sets every constant
// itself, or when the instance or model is unknown.
func MainFleetGaps(sc *model.Scenario) (fleet string, gaps []hw.Gap) {
	if n, of := sc.Hardware.ConstantsSet(); n == of {
		return "", nil
	}
	f := sc.Fleet
	_, chip, s, err := hw.InstanceDefaults(f.Instance)
	if err != nil {
		return "", nil
	}
	arch, err := sc.Model.Arch()
	if err != nil {
		return "", nil
	}
	if g := s.TransferGap(chip.Name); g.Detail != "" {
		gaps = append(gaps, g)
	}
	gaps = append(gaps, fleetGaps(s, sc, sc.Model, f, scenarioLengths(sc, 0))...)
	if len(gaps) == 0 {
		return "", nil
	}
	return fleetName(arch, f, s), gaps
}
