package sim

import (
	"fmt"

	"aiecon/hw"
	"aiecon/model/econ"
)

// trainingModel is the periodic retrain: its FLOPs, its duration and cost on
// the dedicated cluster, and (fleet-idle) the progress it makes on the serving
// fleet's idle replica time.
type trainingModel struct {
	flopsPerRetrain float64
	dedicatedS      float64 // duration of one retrain on the dedicated cluster
	costPerRetrain  float64 // USD on the dedicated cluster
	priceUSDPerHour float64 // per dedicated instance
	onFleet         bool
	costPerNs       float64 // amortised dedicated cost per simulated ns (0 for fleet-idle)
	replicaFLOPS    float64 // peak of one serving replica, for idle-capacity training
	mfu             float64
	periodNs        int64
}

func newTrainingModel(w *World) (*trainingModel, error) {
	t := w.sc.Training
	inst, err := hw.InstanceByName(t.Instance)
	if err != nil {
		return nil, fmt.Errorf("training: %w", err)
	}
	chip, err := inst.ChipSpec()
	if err != nil {
		return nil, fmt.Errorf("training: %w", err)
	}
	price := t.PriceUSDPerHour
	if price == 0 {
		if !inst.OnDemand.Known {
			return nil, fmt.Errorf("training: %s has no on-demand price in the catalog; set training.price_usd_per_hour", inst.Name)
		}
		price = inst.OnDemand.SI()
	}
	dev := hw.DeviceOf(chip)
	peakPerChip := dev.Peak(w.shard.Activations) * float64(chip.Devices())
	chips := int(inst.Chips.Value) * t.Instances
	m := &trainingModel{flopsPerRetrain: econ.TrainingFLOPs(t.Params, t.Tokens), priceUSDPerHour: price,
		onFleet: t.Where == "fleet-idle", mfu: t.MFU, periodNs: int64(t.Every)}
	m.dedicatedS = econ.TrainingDurationS(m.flopsPerRetrain, chips, peakPerChip, t.MFU)
	m.costPerRetrain = econ.HourlyCostUSD(m.dedicatedS, price) * float64(t.Instances)
	if !m.onFleet {
		m.costPerNs = m.costPerRetrain / float64(t.Every)
	}
	m.replicaFLOPS = w.perf.Device.Peak(w.shard.Activations) * float64(w.shard.TP)
	return m, nil
}

// fleetIdleResult is what background training on idle replicas achieved over
// simSeconds of simulated time.
type fleetIdleResult struct {
	idleReplicaS float64 // replica-seconds up but not iterating
	flopsDone    float64
	flopsNeeded  float64 // retrain FLOPs pro rata over the simulated time
	coverage     float64 // flopsDone / flopsNeeded (capped at 1)
	topUpCostUSD float64 // dedicated-cluster cost of the shortfall
}

func (m *trainingModel) fleetIdle(idleReplicaS, simSeconds float64) fleetIdleResult {
	r := fleetIdleResult{idleReplicaS: idleReplicaS}
	r.flopsDone = idleReplicaS * m.replicaFLOPS * m.mfu
	r.flopsNeeded = m.flopsPerRetrain * simSeconds * 1e9 / float64(m.periodNs)
	if r.flopsNeeded > 0 {
		r.coverage = min(1, r.flopsDone/r.flopsNeeded)
	}
	r.topUpCostUSD = (1 - r.coverage) * m.costPerRetrain * simSeconds * 1e9 / float64(m.periodNs)
	return r
}
