package hw

// What only hw's own tests call: the program reaches none of it
// (deadcode), so it lives with the tests rather than beside the code.

import (
	"fmt"
)

// CrossValidate runs leave-one-model-out cross-validation: for each model,
// the constants are fitted on the other models' rows and predict its rows.
// It needs points of at least two models (else ErrTooFewFolds).
func CrossValidate(points []ServingPoint, eff ChipEfficiencies) (*CVReport, error) {
	return CrossValidateBy(points, eff, ByModel)
}

// MemoryPerReplica is the device memory of tp devices of inst, in bytes.
func MemoryPerReplica(inst *Instance, tp int) (float64, error) {
	chip, err := inst.ChipSpec()
	if err != nil {
		return 0, err
	}
	devices := int(inst.Chips.Value) * chip.Devices()
	if tp < 1 || tp > devices {
		return 0, fmt.Errorf("instance %s: tp %d must be between 1 and its %d devices", inst.Name, tp, devices)
	}
	d := DeviceOf(chip)
	return float64(tp) * d.HBMBytes, nil
}

// Uniform uses one efficiency on every chip.
type Uniform struct{ Efficiency }

// ForChip implements ChipEfficiencies.
func (u Uniform) ForChip(string) Efficiency { return u.Efficiency }

func (u Uniform) String() string { return fmt.Sprintf("%v", u.Efficiency) }
