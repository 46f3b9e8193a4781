package runner

// What only runner's own tests call: the program reaches none of it
// (deadcode), so it lives with the tests rather than beside the code.

import (
	"aiecon/hw"
	"aiecon/model"
	"aiecon/sim"
)

// StepTimesExtrapolations are the lines of extrapolatedFleets, naming the
// model and the fleet, as the warning says them. res is the run's result,
// whose served lengths are checked; nil before a run, when the scenario
// estimates them (fleetLengths).
func StepTimesExtrapolations(sc *model.Scenario, res *sim.Result) []string {
	xs := extrapolatedFleets(sc, func(i int) Lengths { return fleetLengths(sc, res, i) })
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = x.line()
	}
	return out
}

// ValidationScenario is the scenario YAML that reproduces a serving point
// as the default protocol measures it.
func ValidationScenario(pt hw.ServingPoint) (string, error) {
	return validationScenario(pt, false)
}

// Check is CheckOverrides for sets as --set gives them.
func (c *SourceCheck) Check(sets []string) error {
	overrides, err := parseOverrides(sets)
	if err != nil {
		return err
	}
	return c.CheckOverrides(overrides)
}
