package sim

import (
	"fmt"
	"math"
	"slices"

	"aiecon/hw"
	"aiecon/model"
	"aiecon/model/econ"
	"aiecon/model/llm"
	"aiecon/sim/engine"
)

// trainingModel is the periodic retrain: its FLOPs, its duration and cost on
// the dedicated cluster, and (fleet-idle) what its gang needs on the serving
// fleet: the memory that sets the minimum gang, checkpoint and restart times.
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

	mem               llm.TrainingMemory
	gang              int   // fleet-idle: the fewest replicas that hold the job
	checkpointNs      int64 // to write the state
	loadNs            int64 // to read it back and warm up
	checkpointEveryNs int64

	// quotaShare is what the run owes (training.quota), in retrains, and
	// quotaFLOPs the same in FLOPs; without a quota, -1 and +Inf: the run
	// trains every retrain due until it finishes.
	quotaShare float64
	quotaFLOPs float64
}

// TrainingPriceUSDPerHour is what one of t's instances (inst) costs an
// hour: t's own price (0 included: a cluster already paid for), or
// inst's catalog price under training.pricing (on-demand unless reserved).
func TrainingPriceUSDPerHour(t *model.Training, inst *hw.Instance) (float64, error) {
	if t.PriceUSDPerHour != nil {
		return *t.PriceUSDPerHour, nil
	}
	pricing := trainingPricing(t)
	p, ok := inst.Price(pricing)
	if !ok {
		return 0, fmt.Errorf("training: %s has no %s price in the catalog; set training.price_usd_per_hour", inst.Name, pricing)
	}
	return p.SI(), nil
}

// trainingPricing is t's pricing model, on-demand where it names none.
func trainingPricing(t *model.Training) string {
	if t.Pricing == "" {
		return hw.PricingOnDemand
	}
	return t.Pricing
}

// TrainingBilledHours is how many hours of a retrain the dedicated
// cluster bills: the retrain's own hours on demand; a committed (reserved)
// cluster's whole cadence, paid whether it trains or not (every retrain's
// hours where one outlasts the cadence).
func TrainingBilledHours(t *model.Training, retrainHours float64) float64 {
	if trainingPricing(t) == hw.PricingReserved {
		return max(retrainHours, t.Every.Seconds()/3600)
	}
	return retrainHours
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
	price, err := TrainingPriceUSDPerHour(t, inst)
	if err != nil {
		return nil, err
	}
	m := &trainingModel{priceUSDPerHour: price, onFleet: t.Where == "fleet-idle", mfu: t.MFU, periodNs: int64(t.Every)}
	if err := m.setState(w); err != nil {
		return nil, err
	}
	// Training runs in mixed precision (bf16 matmuls, fp32 master weights,
	// docs/model.md, Training), whatever format the fleet serves in.
	dev := hw.DeviceOf(chip)
	peakPerChip := dev.Peak(llm.BF16) * float64(chip.Devices())
	chips := int(inst.Chips.Value) * t.Instances
	m.dedicatedS = econ.TrainingDurationS(m.flopsPerRetrain, chips, peakPerChip, t.MFU)
	billedS := m.dedicatedS
	if trainingPricing(t) == hw.PricingReserved { // a committed cluster: TrainingBilledHours
		billedS = max(billedS, t.Every.Seconds())
	}
	m.costPerRetrain = econ.HourlyCostUSD(billedS, price) * float64(t.Instances)
	if !m.onFleet {
		m.costPerNs = m.costPerRetrain / float64(t.Every)
	}
	m.replicaFLOPS = w.pools[0].perf.Device.Peak(llm.BF16) * float64(w.pools[0].shard.TP)
	m.quotaShare, m.quotaFLOPs = -1, math.Inf(1)
	if q := t.Quota; q != nil {
		m.quotaShare = *q * float64(w.horizon) / float64(m.periodNs)
		m.quotaFLOPs = m.quotaShare * m.flopsPerRetrain
	}
	return m, nil
}

// setState sizes the job: its FLOPs by kind, its memory and, on the fleet,
// the minimum gang of serving replicas (resolution refused a job the
// lendable replicas cannot hold), and its checkpoint and restart times at
// the storage bandwidth.
func (m *trainingModel) setState(w *World) error {
	t := w.sc.Training
	mem, err := w.sc.TrainingMemory()
	if err != nil {
		return fmt.Errorf("training: %w", err)
	}
	m.mem = mem
	// Compute follows the parameters a token passes through (an MoE's
	// routed experts), memory (mem, above) every parameter.
	m.flopsPerRetrain = econ.TrainingFLOPs(t.ActiveParams, t.Tokens)
	if t.Kind == llm.FineTuneLoRA {
		m.flopsPerRetrain = econ.LoRATrainingFLOPs(t.ActiveParams, mem.AdapterParams, t.Tokens)
	}
	m.checkpointNs = delayNs(mem.StateBytes / (t.StorageGBPerS * 1e9) * 1e9)
	m.loadNs = min(m.checkpointNs+int64(t.RestartWarmup), maxDelayNs)
	m.checkpointEveryNs = int64(t.CheckpointEvery)
	if m.onFleet {
		m.gang = mem.Gang(w.pools[0].perf.Device.HBMBytes * float64(w.pools[0].shard.TP))
		if m.gang < 1 || m.gang > len(w.replicas)-t.MinServing {
			return fmt.Errorf("training: the job (%s) does not fit the lendable replicas", mem.Arithmetic())
		}
	}
	return nil
}

// fleetIdleResult is what background training on lent replicas achieved
// over simSeconds of simulated time.
type fleetIdleResult struct {
	lentReplicaS float64 // replica-seconds lent and switched to training
	flopsDone    float64 // kept: lost work excluded
	flopsNeeded  float64 // retrain FLOPs pro rata over the simulated time, or the quota
	coverage     float64 // flopsDone / flopsNeeded (capped at 1; 1 when nothing is owed)
	topUpCostUSD float64 // dedicated-cluster cost of the shortfall
}

// fleetIdle bills what the lent replicas left of the work the run owes:
// its pro-rata share of the retrain or, with training.quota, the quota,
// which moves a day's share between a forecast's slices without losing
// any of it (whatever a slice owes and does not train is paid here).
func (m *trainingModel) fleetIdle(lentReplicaS, flopsDone, simSeconds float64) fleetIdleResult {
	owed := func(perRetrain float64) float64 {
		if m.quotaShare >= 0 {
			return perRetrain * m.quotaShare
		}
		return perRetrain * simSeconds * 1e9 / float64(m.periodNs)
	}
	r := fleetIdleResult{lentReplicaS: lentReplicaS, flopsDone: flopsDone, coverage: 1}
	r.flopsNeeded = owed(m.flopsPerRetrain)
	if r.flopsNeeded > 0 {
		r.coverage = min(1, r.flopsDone/r.flopsNeeded)
	}
	r.topUpCostUSD = owed((1 - r.coverage) * m.costPerRetrain)
	return r
}

// trainLender lends idle serving replicas to the background training job and
// takes them back when serving needs them (training.where: fleet-idle).
// Lending consolidates traffic: a lent replica stops taking requests, finishes
// what it has, switches (training.switch_time) and is then ready for the
// job, which trains only on a whole gang (trainjob.go). Reclaimed, a replica
// leaves the job (once its checkpoint is written, if it was a member),
// switches back and serves again.
type trainLender struct {
	w   *World
	job *trainJob
	// the run's gauges' areas at the last decision, for the interval's
	// averages
	lastRunArea, lastUpArea, lastBusyArea, lastKVArea float64
	// lentNow counts the replicas lent and not yet serving again; while
	// it is above 0 the requests' waiting adds to lentWaitArea (request x
	// ns), from the queue's area at lentSince.
	lentNow      int
	lentSince    float64
	lentWaitArea float64
	lendBelow    float64
	reclaimAbove float64
	minServing   int
	intervalNs   int64
	switchNs     int64
	lends        int64
	reclaims     int64
	// joins is the scheduler's joinsRunningBatch: what idle capacity
	// means for mayLend.
	joins bool
	// held counts the decisions at which the job owed work, a replica was
	// lendable and none was lent, by the first condition that held it
	// back (holdDemand, ...), so that a run that lent little says why.
	held [holdReasons]int64
}

// Why a lendable replica was not lent (trainLender.held's index).
const (
	holdDemand  = iota // demand at or above lend_below, or too high once consolidated
	holdWaiting        // a request waited
	holdBusy           // the serving replicas left less than a replica's worth of time idle
	holdReasons
)

// replicaTrainer is a replica's switch timer: Arg 0 makes it ready for the
// job, Arg 1 returns it to serving.
type replicaTrainer struct {
	w *World
	p *replica
}

func (t replicaTrainer) Handle(ev *engine.Event) {
	p, w := t.p, t.w
	now := w.eng.Now()
	if ev.Arg == 0 {
		p.training = true
		p.loseMemory() // training takes it
		w.trainingG.add(now, 1)
		w.lender.job.tryStart()
		return
	}
	w.unlend(p)
	p.up = true
	w.pools[0].serve(p)
	w.upG.add(now, 1)
	w.setActive(p, true)
	p.kick()
}

// lendSignals is what the lender reads of the serving replicas: over its
// last interval and at the decision.
type lendSignals struct {
	// demand is the average running sequences over the interval plus
	// those waiting now, over the serving batch slots.
	demand float64
	// kv is the average KV blocks in use over the interval over the
	// serving replicas' blocks: the other half of a continuous batch's
	// room beside its slots (long contexts fill the blocks first).
	kv float64
	// idle is the replica time the serving replicas spent not iterating
	// over the interval, in replicas: 1 means a whole replica's worth of
	// time was idle (a replica lent or draining counts as busy while it
	// iterates, so this errs towards less).
	idle float64
	// waiting counts the requests waiting now for a batch slot or a
	// prefill turn, on any replica.
	waiting int
}

// observe reads the signals at now and starts the next interval.
func (l *trainLender) observe(now int64) lendSignals {
	w := l.w
	serving := len(w.pools[0].serving)
	run, up, busy, kv := w.runningG.areaAt(now), w.upG.areaAt(now), w.busyG.areaAt(now), w.kvUsedG.areaAt(now)
	iv := float64(l.intervalNs)
	s := lendSignals{
		demand:  ((run-l.lastRunArea)/iv + w.queued.v) / float64(max(serving, 1)*w.maxNumSeqs),
		kv:      (kv - l.lastKVArea) / iv / (float64(max(serving, 1)) * float64(w.kvBlocksPerReplica)),
		idle:    ((up - l.lastUpArea) - (busy - l.lastBusyArea)) / iv,
		waiting: int(w.queued.v),
	}
	l.lastRunArea, l.lastUpArea, l.lastBusyArea, l.lastKVArea = run, up, busy, kv
	return s
}

// mayLend reports whether a replica may be lent: lending takes capacity
// that serving did not use, as an operator lends it. So a replica is lent
// only while no request waits, demand is below lend_below, the others can
// take the lent one's load (spare), and the lent and the lendable can
// still make a gang.
func (l *trainLender) mayLend(s lendSignals, serving int) bool {
	return l.hold(s, serving) < 0 && l.lendable(serving)
}

// lendable reports whether a serving replica is left to lend: above
// min_serving, with the lent and the lendable still making a gang.
func (l *trainLender) lendable(serving int) bool {
	return serving > l.minServing && l.lent()+serving-l.minServing >= l.job.m.gang
}

// hold is the first condition on serving that holds a replica back
// (holdDemand, ...), -1 when none does.
func (l *trainLender) hold(s lendSignals, serving int) int {
	switch {
	case s.demand >= l.lendBelow:
		return holdDemand
	case s.waiting > 0:
		return holdWaiting
	}
	return l.spare(s, serving)
}

// spare is whether the serving replicas but one can take the fleet's
// load (-1), or the condition that says they cannot. What spare capacity
// is depends on how a replica takes a new request:
//
//   - Its prefill stops the batch (the neuron scheduler pauses every
//     decode beside a prefill; a static batch runs to its end): a fleet
//     can run a third full, iterate all the time, and slow every answer
//     when its traffic is packed onto fewer replicas, so batch occupancy
//     alone misses a replica busy with few sequences. The serving
//     replicas must have left a whole replica's worth of time idle over
//     the interval: what the lent one did fits in the others' gaps.
//   - Its prefill rides in the running batch's iterations (vLLM,
//     neuron-chunked): a replica iterates whenever one request is in
//     flight, so it is never idle under load, yet a decode iteration
//     reads the weights once for the whole batch: more sequences
//     lengthen it by their KV reads and prompt chunks, and nobody's
//     decoding stops. Its room is its free batch slots and KV blocks:
//     the lent replica's share, spread over the others
//     (serving/(serving-1) of today's load), must leave them below
//     lend_below, so the lender does not lend into a load it would lend
//     no further at. The fuller batches' slower iterations are lending's
//     price (docs/model.md, Training, measures it); lend_below bounds it.
func (l *trainLender) spare(s lendSignals, serving int) int {
	if !l.joins {
		if s.idle < 1 {
			return holdBusy
		}
		return -1
	}
	if serving < 2 {
		return holdDemand // nobody to take its load
	}
	k := float64(serving) / float64(serving-1)
	if s.demand*k >= l.lendBelow || s.kv*k >= l.lendBelow {
		return holdDemand
	}
	return -1
}

func (l *trainLender) Handle(ev *engine.Event) {
	w := l.w
	now := w.eng.Now()
	serving := len(w.pools[0].serving)
	s := l.observe(now)
	switch {
	case !l.job.due(now) || !l.job.owes():
		// Every retrain due is done, or the work the run owes: the lent
		// replicas serve again.
		l.reclaim(len(w.replicas))
	case s.demand > l.reclaimAbove:
		// Enough replicas back to bring demand to the middle of the band.
		target := (l.lendBelow + l.reclaimAbove) / 2
		l.reclaim(int(math.Ceil(float64(serving)*s.demand/target)) - serving)
		l.countHold(s, serving)
	case l.mayLend(s, serving):
		// One replica per interval, the last serving one.
		w.lend(w.pools[0].serving[len(w.pools[0].serving)-1])
	default:
		l.countHold(s, serving)
	}
	// A retrain that fell due while a gang was already lent and idle.
	l.job.tryStart()
	if now+l.intervalNs <= w.horizon {
		w.eng.After(ev, l.intervalNs)
	}
}

// countHold counts a decision that owed work and lent nothing, by what
// held it back; one with no replica left to lend (min_serving, or too few
// for a gang) is not held back by serving and is not counted.
func (l *trainLender) countHold(s lendSignals, serving int) {
	if h := l.hold(s, serving); h >= 0 && l.lendable(serving) {
		l.held[h]++
	}
}

// lent counts the replicas lent (draining, switching or ready), not those
// already on their way back.
func (l *trainLender) lent() int {
	n := 0
	for _, p := range l.w.replicas {
		if p.lent && !returning(p) {
			n++
		}
	}
	return n
}

// returning reports whether a lent replica has been reclaimed and is on its
// way back (its checkpoint or its switch): reclaiming it again would
// schedule its return twice.
func returning(p *replica) bool { return p.lent && p.trainEv.Arg == 1 }

// reclaim brings back up to need lent replicas, those outside the job's
// gang first, so that the gang is broken only when serving needs it.
func (l *trainLender) reclaim(need int) {
	for _, members := range []bool{false, true} {
		for _, p := range l.w.replicas {
			if need <= 0 {
				return
			}
			if p.lent && !returning(p) && slices.Contains(l.job.members, p) == members {
				l.w.reclaim(p)
				need--
			}
		}
	}
}

// lend takes a replica out of serving for training.
func (w *World) lend(p *replica) {
	w.stopServing(p)
	l := w.lender
	if l.lentNow == 0 {
		l.lentSince = w.queued.areaAt(w.eng.Now())
	}
	l.lentNow++
	p.lent, p.draining = true, true
	p.trainEv.Arg = 0
	w.lender.lends++
	w.checkDrained(p)
}

// unlend marks p as no longer lent (serving again, or stopped by a spot
// interruption); the last one ends a stretch of the requests' waiting
// that counts as waiting while replicas were lent.
func (w *World) unlend(p *replica) {
	if !p.lent {
		return
	}
	p.lent = false
	l := w.lender
	if l.lentNow--; l.lentNow == 0 {
		l.lentWaitArea += w.queued.areaAt(w.eng.Now()) - l.lentSince
	}
}

// lentWaitS is the request-seconds requests waited while replicas were
// lent, up to now.
func (l *trainLender) lentWaitS(now int64) float64 {
	a := l.lentWaitArea
	if l.lentNow > 0 {
		a += l.w.queued.areaAt(now) - l.lentSince
	}
	return a / 1e9
}

// reclaim brings a lent replica back to serving; a member of the running
// gang comes back once the checkpoint its leaving starts is written.
func (w *World) reclaim(p *replica) {
	now := w.eng.Now()
	w.lender.reclaims++
	w.eng.Cancel(&p.trainEv)
	p.trainEv.Arg = 1
	switch {
	case p.draining: // never stopped serving its own requests: back at once
		p.draining = false
		w.eng.Schedule(&p.trainEv, now)
	case p.training:
		p.training = false
		w.trainingG.add(now, -1)
		if w.lender.job.release(p) {
			w.eng.Schedule(&p.trainEv, engine.Later(now, w.lender.switchNs))
		}
	default: // still switching towards training
		w.eng.Schedule(&p.trainEv, engine.Later(now, w.lender.switchNs))
	}
}

// TrainingPriceNote says what one instance of t's dedicated cluster was
// billed an hour and under which pricing, given the run's cost per retrain
// and its hours: the scenario's training.price_usd_per_hour, or else the
// catalog's price under training.pricing with its date. The cluster is
// priced on-demand whatever fleet.pricing says, and a training line that
// printed the cost alone read as priced like the fleet; a committed
// (reserved) cluster says it is paid for the whole cadence. The price is
// read back from the run's figures, so a stored run priced under an older
// catalog gets no catalog date rather than a wrong one. "" where it cannot
// be read back.
func TrainingPriceNote(t *model.Training, costPerRetrain, hours float64) string {
	if t == nil || t.Instances < 1 || !(hours > 0) || math.IsNaN(costPerRetrain) {
		return ""
	}
	billed := TrainingBilledHours(t, hours)
	usd := costPerRetrain / billed / float64(t.Instances)
	pricing := trainingPricing(t)
	each := fmt.Sprintf("%d x %s at $%.4g/h each", t.Instances, t.Instance, usd)
	if pricing == hw.PricingReserved {
		each += fmt.Sprintf(", training.pricing: reserved, paid for all %.4g h of the cadence", billed)
	}
	if t.PriceUSDPerHour != nil {
		return each + ", training.price_usd_per_hour"
	}
	in, err := hw.InstanceByName(t.Instance)
	if err != nil {
		return each
	}
	p, ok := in.Price(pricing)
	if !ok || !samePrice(p.SI(), usd) {
		return each
	}
	if pricing == hw.PricingReserved {
		return each + ", the catalog's reserved rate, " + hw.PriceWhen(p)
	}
	return each + ", the catalog's on-demand price of " + hw.PriceWhen(p) + " whatever fleet.pricing says; training.price_usd_per_hour sets another"
}
