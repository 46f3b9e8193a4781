package runner

import (
	"aiecon/hw"
	"aiecon/model"
)

// StepTimesSource says where a run's step-time constants come from: the
// instance's step family, whether its constants are fitted and how well they
// cross-validate, and whether the scenario overrides some
// (docs/calibration.md). The run report and the dashboard both print it,
// so a reader sees the same provenance wherever the run is shown.
func StepTimesSource(sc *model.Scenario) string {
	inst, err := hw.InstanceByName(sc.Fleet.Instance)
	if err != nil {
		return "-"
	}
	chip, err := inst.ChipSpec()
	if err != nil {
		return "-"
	}
	s, err := hw.DefaultServing(chip.StepFamily)
	if err != nil {
		return chip.StepFamily + ": no constants (" + err.Error() + ")"
	}
	what := chip.StepFamily + " constants, " + string(s.Label) + ", fitted to published measurements"
	if s.CV != "" {
		what += "; " + s.CV
	}
	if n, _ := sc.Hardware.ConstantsSet(); n > 0 {
		what += "; some overridden by the scenario's hardware section"
	}
	return what
}
