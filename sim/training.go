package sim

import (
	"fmt"
	"math"

	"aiecon/hw"
	"aiecon/model/econ"
	"aiecon/sim/engine"
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
	peakPerChip := dev.Peak(w.pools[0].shard.Activations) * float64(chip.Devices())
	chips := int(inst.Chips.Value) * t.Instances
	m := &trainingModel{flopsPerRetrain: econ.TrainingFLOPs(t.Params, t.Tokens), priceUSDPerHour: price,
		onFleet: t.Where == "fleet-idle", mfu: t.MFU, periodNs: int64(t.Every)}
	m.dedicatedS = econ.TrainingDurationS(m.flopsPerRetrain, chips, peakPerChip, t.MFU)
	m.costPerRetrain = econ.HourlyCostUSD(m.dedicatedS, price) * float64(t.Instances)
	if !m.onFleet {
		m.costPerNs = m.costPerRetrain / float64(t.Every)
	}
	m.replicaFLOPS = w.pools[0].perf.Device.Peak(w.pools[0].shard.Activations) * float64(w.pools[0].shard.TP)
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

// trainLender lends idle serving replicas to the background training job and
// takes them back when serving needs them (training.where: fleet-idle).
// Lending consolidates traffic: a lent replica stops taking requests, finishes
// what it has, switches (training.switch_time) and then trains at its peak
// times the MFU until reclaimed, when it switches back and serves again.
type trainLender struct {
	w            *World
	lastRunArea  float64
	lendBelow    float64
	reclaimAbove float64
	minServing   int
	intervalNs   int64
	switchNs     int64
	lends        int64
	reclaims     int64
}

// replicaTrainer is a replica's switch timer: Arg 0 starts training, Arg 1
// returns it to serving.
type replicaTrainer struct {
	w *World
	p *replica
}

func (t replicaTrainer) Handle(ev *engine.Event) {
	p, w := t.p, t.w
	now := w.eng.Now()
	if ev.Arg == 0 {
		p.training = true
		w.trainingG.add(now, 1)
		return
	}
	p.lent = false
	p.up = true
	p.upSince = now
	w.pools[0].serving = append(w.pools[0].serving, p)
	w.upG.add(now, 1)
	w.setActive(p, true)
	p.kick()
}

func (l *trainLender) Handle(ev *engine.Event) {
	w := l.w
	now := w.eng.Now()
	serving := len(w.pools[0].serving)
	runArea := w.runningG.areaAt(now)
	slots := float64(max(serving, 1) * w.maxNumSeqs)
	// Demand over the last interval: average running sequences plus those
	// waiting now, over the serving batch slots.
	demand := ((runArea-l.lastRunArea)/float64(l.intervalNs) + w.queued.v) / slots
	l.lastRunArea = runArea
	switch {
	case demand > l.reclaimAbove:
		// Enough replicas back to bring demand to the middle of the band.
		target := (l.lendBelow + l.reclaimAbove) / 2
		need := int(math.Ceil(float64(serving)*demand/target)) - serving
		for _, p := range w.replicas {
			if need <= 0 {
				break
			}
			if p.lent {
				w.reclaim(p)
				need--
			}
		}
	case demand < l.lendBelow && serving > l.minServing:
		// Lend one replica per interval: the last serving one.
		w.lend(w.pools[0].serving[len(w.pools[0].serving)-1])
	}
	if now+l.intervalNs <= w.horizon {
		w.eng.After(ev, l.intervalNs)
	}
}

// lend takes a replica out of serving for training.
func (w *World) lend(p *replica) {
	w.stopServing(p)
	p.lent, p.draining = true, true
	w.lender.lends++
	w.checkDrained(p)
}

// reclaim brings a lent replica back to serving.
func (w *World) reclaim(p *replica) {
	now := w.eng.Now()
	w.lender.reclaims++
	w.eng.Cancel(&p.trainEv)
	switch {
	case p.draining: // never stopped serving its own requests: back at once
		p.draining = false
		p.trainEv.Arg = 1
		w.eng.Schedule(&p.trainEv, now)
	case p.training:
		p.training = false
		w.trainingG.add(now, -1)
		p.trainEv.Arg = 1
		w.eng.Schedule(&p.trainEv, now+w.lender.switchNs)
	default: // still switching towards training
		p.trainEv.Arg = 1
		w.eng.Schedule(&p.trainEv, now+w.lender.switchNs)
	}
}
