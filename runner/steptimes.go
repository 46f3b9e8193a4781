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
// instance's step family, whether its constants are fitted and how well they
// cross-validate, whether the main fleet's model, TP degree, weights or
// lengths lie outside the measurements they were fitted to, and whether
// the scenario overrides some (docs/calibration.md). The run report and
// the dashboard both print it. res is the run's result, whose lengths are
// checked (fleetLengths); nil before a run, and on the dashboard, whose
// stored runs keep no lengths, when the scenario estimates them: there the
// lengths part can differ from the run report's.
func StepTimesSource(sc *model.Scenario, res *sim.Result) string {
	_, chip, s, err := hw.InstanceDefaults(sc.Fleet.Instance)
	if err != nil {
		return "-"
	}
	what := chip.StepFamily + " constants, " + string(s.Label) + ", fitted to published measurements"
	own := false
	var unread error // the profile named, no longer readable (a stored run shown later)
	if path := sc.Hardware.Calibration; path != "" {
		if p, err := hw.LoadProfile(path); err != nil {
			unread = err
		} else if ps, ok := p.ServingFor(chip.StepFamily); ok {
			s, own = ps, true
			what = chip.StepFamily + " constants of this run's calibration profile, fitted with its GEMM efficiency (aiecon hw fit --save)"
		}
	}
	if s.CV != "" {
		what += "; " + s.CV
	}
	switch {
	case unread != nil:
		what += fmt.Sprintf("; the run's calibration profile cannot be read now (%v), so whether it carried constants of its own is unknown", unread)
	case sc.Hardware.Calibration != "" && !own:
		// The constants and their error were fitted under the built-in
		// profile's efficiency; another profile's (imported device timings)
		// runs under the same constants, not refitted to it.
		what += "; fitted under the built-in profile, not this run's, whose GEMM efficiency runs under them"
	}
	if x := fleetExtrapolation(s, sc, sc.Model, sc.Fleet, fleetLengths(sc, res, 0)); x != "" {
		what += "; extrapolated: " + x
	}
	if n, _ := sc.Hardware.ConstantsSet(); n > 0 {
		what += "; some overridden by the scenario's hardware section"
	}
	return what
}

// StepTimesExtrapolations says, for the main fleet and each pool, where its
// model, TP degree, weight format or lengths lie outside the measurements
// its family's committed constants were fitted to (fleetExtrapolation),
// naming the model and the fleet; none when the scenario sets every
// constant itself. res is the run's result, whose served lengths are
// checked; nil before a run, when the scenario estimates them (fleetLengths).
func StepTimesExtrapolations(sc *model.Scenario, res *sim.Result) []string {
	if n, of := sc.Hardware.ConstantsSet(); n == of {
		return nil
	}
	var out []string
	i := 0
	sc.EachFleet(func(_ string, m model.ModelRef, f model.Fleet) bool {
		if x := fleetLine(sc, m, f, fleetLengths(sc, res, i)); x != "" {
			out = append(out, x)
		}
		i++
		return true
	})
	return out
}

// fleetLine is fleetExtrapolation under the committed constants of the
// fleet's instance, naming the model and the fleet; "" when covered or the
// instance is unknown.
func fleetLine(sc *model.Scenario, m model.ModelRef, f model.Fleet, l Lengths) string {
	_, _, s, err := hw.InstanceDefaults(f.Instance)
	if err != nil {
		return ""
	}
	x := fleetExtrapolation(s, sc, m, f, l)
	if x == "" {
		return ""
	}
	arch, _ := m.Arch()
	return fmt.Sprintf("%s at TP %d on %s (%s constants): %s", arch.Name, f.Replica.TP, f.Instance, s.Family, x)
}

// fleetExtrapolation is s.Extrapolation for a fleet of sc serving model m,
// s.UnfittedWeights for the scenario's weight format (and its experts'),
// s.LengthExtrapolation for the fleet's lengths and s.UnfittedMoE for its
// model, joined; "" when all are covered or the model cannot be resolved
// (the run reports that itself).
func fleetExtrapolation(s hw.Serving, sc *model.Scenario, m model.ModelRef, f model.Fleet, l Lengths) string {
	arch, err := m.Arch()
	if err != nil || f.Replica.TP < 1 {
		return ""
	}
	_, active := arch.Params()
	var out []string
	experts := ""
	if e := residentExperts(sc, arch, f); e != "" {
		if x := s.UnfittedWeights(e); x != "" {
			experts = "the routed experts' " + x
		}
	}
	for _, x := range []string{s.Extrapolation(f.Replica.TP, active/1e9), s.UnfittedWeights(sc.Precision.Weights), experts,
		s.UnfittedMoE(arch.IsMoE()), s.LengthExtrapolation(l.Prompt, l.Context)} {
		if x != "" {
			out = append(out, x)
		}
	}
	return strings.Join(out, "; ")
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

// LayoutExtrapolation is StepTimesExtrapolations for the scenario's main
// model served on instance at TP tp (a layout a search considers), its
// lengths estimated from the scenario (scenarioLengths): "" when the
// measurements cover it or the scenario sets every constant itself.
func LayoutExtrapolation(sc *model.Scenario, instance string, tp int) string {
	if n, of := sc.Hardware.ConstantsSet(); n == of {
		return ""
	}
	f := sc.Fleet
	f.Instance, f.Replica.TP = instance, tp
	return fleetLine(sc, sc.Model, f, scenarioLengths(sc, 0))
}
