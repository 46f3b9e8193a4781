package sim

import (
	"fmt"
	"math"
	"math/rand/v2"

	"aiecon/hw"
	"aiecon/model"
	"aiecon/sim/engine"
)

// instance states
const (
	instProvisioning = iota // paid, loading the model, not serving
	instUp
	instDraining // not taking new requests, finishing its work, still paid
	instDown     // released: neither paid nor serving
)

// instance is one accelerator machine holding devices/tp replicas.
type instance struct {
	w        *World
	pool     *fleetPool
	id       int32
	state    int
	replicas []*replica
	ev       engine.Event // provisioning done / interruption
	paidFrom int64
}

// Handle ends provisioning (or a spot recovery), or interrupts a spot instance.
func (in *instance) Handle(*engine.Event) {
	w := in.w
	switch in.state {
	case instProvisioning:
		in.bringUp()
	case instUp, instDraining:
		w.interrupt(in)
	}
}

// fleetEconomics is the price of a pool's instances and its scaling record.
type fleetEconomics struct {
	priceUSDPerHour float64 // per instance, after the pricing model
	priceSource     string
	spotRatePerNs   float64 // interruptions per instance per ns
	recoveryNs      int64
	spotRng         *rand.Rand

	autoscale     bool
	lastScaleNs   int64
	lastRunArea   float64
	recent        []recommendation // the scale-down stabilization window's, oldest first
	scaleUps      int64
	scaleDowns    int64
	interruptions int64
}

// FleetPrice is what a resolved fleet pays per instance-hour, and where the
// price comes from: the scenario's price, else the catalog's for its
// pricing model; spot is that on-demand price minus the spot discount.
func FleetPrice(f *model.Fleet, inst *hw.Instance) (usdPerHour float64, source string, err error) {
	return inst.HourlyPrice(f.Pricing, f.PriceUSDPerHour, f.SpotDiscount())
}

func (w *World) buildFleet(pl *fleetPool) error {
	f := pl.spec
	fe := &pl.fleet
	var err error
	if fe.priceUSDPerHour, fe.priceSource, err = FleetPrice(f, pl.inst); err != nil {
		return err
	}
	if f.Pricing == "spot" {
		fe.spotRatePerNs = f.Spot.InterruptionsPerHour / 3.6e12
		fe.recoveryNs = int64(f.Spot.Recovery)
		fe.spotRng = w.randFor(pl.streamName("spot"))
	}
	pl.env.interruptible = fe.spotRatePerNs > 0
	fe.autoscale = f.Autoscale != nil
	perInst, err := ReplicasPerInstance(pl.inst, pl.shard.TP, f.Replica.PerInstance)
	if err != nil {
		return err
	}
	for i := 0; i < f.Count; i++ {
		in := w.addInstance(pl, perInst)
		in.state = instUp
	}
	return nil
}

// addInstance creates an instance of a pool (not yet serving) with its replicas.
func (w *World) addInstance(pl *fleetPool, perInst int) *instance {
	in := &instance{w: w, pool: pl, id: int32(len(w.instances)), state: instProvisioning}
	in.ev.Init(in, 0)
	env := pl.env
	for j := 0; j < perInst; j++ {
		p := &replica{env: env, sched: env.newSched(), id: int32(len(w.replicas)), inst: in,
			queues: make([]fifo, w.prioLevels), kvTotal: env.kvBlocksPerReplica, kvFree: env.kvBlocksPerReplica,
			cache: prefixCache{on: env.prefixCaching}}
		if env.sched.implicitDecoders() && !w.noImplicit && !env.interruptible {
			p.ep.on = true
			p.ep.cnt = make([]int32, env.blockTokens)
		}
		p.iterDone.Init(p, 0)
		p.trainEv.Init(replicaTrainer{w, p}, 0)
		in.replicas = append(in.replicas, p)
		w.replicas = append(w.replicas, p)
	}
	w.instances = append(w.instances, in)
	pl.instances = append(pl.instances, in)
	return in
}

// startFleet brings the initial instances up and starts autoscaling and
// spot interruptions.
func (w *World) startFleet() {
	for _, in := range w.instances {
		w.addPaid(in.pool, 0, 1)
		in.paidFrom = 0
		in.state = instProvisioning
		in.bringUp()
	}
	for _, pl := range w.pools {
		if pl.fleet.autoscale {
			w.eng.Schedule(engine.NewEvent(autoscaler{w, pl}, 0), int64(pl.spec.Autoscale.Interval))
		}
	}
	if w.training != nil && w.training.onFleet {
		t := w.sc.Training
		w.lender = &trainLender{w: w, job: newTrainJob(w, w.training), lendBelow: t.LendBelow, reclaimAbove: t.ReclaimAbove, minServing: t.MinServing,
			intervalNs: int64(t.Interval), switchNs: int64(t.SwitchTime), joins: w.sched.joinsRunningBatch()}
		w.eng.Schedule(engine.NewEvent(w.lender, 0), int64(t.Interval))
	}
}

func (in *instance) bringUp() {
	w, pl := in.w, in.pool
	now := w.eng.Now()
	in.state = instUp
	for _, p := range in.replicas {
		p.up, p.draining = true, false
		pl.serve(p)
		w.upG.add(now, 1)
		w.setActive(p, true)
	}
	if fe := &pl.fleet; fe.spotRatePerNs > 0 {
		w.eng.Schedule(&in.ev, engine.Later(now, delayNs(fe.spotRng.ExpFloat64()/fe.spotRatePerNs)))
	}
	for _, p := range in.replicas {
		p.kick()
	}
}

// setActive marks a replica as doing serving work (up or draining) or not.
func (w *World) setActive(p *replica, v bool) {
	if p.active != v {
		p.active = v
		now := w.eng.Now()
		d := 1.0
		if v {
			p.upSince = now
		} else {
			// up_ns counts serving and draining, as busy_ns and the
			// utilization KPI do: counted to the routing set's exit, a
			// replica lent or scaled down while it drained was busy for
			// longer than it was up.
			p.upNs += now - p.upSince
			d = -1
		}
		w.activeG.add(now, d)
		p.inst.pool.g.active.add(now, d)
	}
}

// stopServing takes a replica out of the routing set.
func (w *World) stopServing(p *replica) {
	if !p.up {
		return
	}
	now := w.eng.Now()
	p.up = false
	w.upG.add(now, -1)
	p.inst.pool.unserve(p)
}

// interrupt reclaims a spot instance: its replicas stop at once, their
// requests are re-routed (keeping what they generated but losing their KV
// cache), and a replacement is paid for while it loads for the recovery time.
func (w *World) interrupt(in *instance) {
	in.pool.fleet.interruptions++
	for _, p := range in.replicas {
		w.stopServing(p)
		p.draining = false
		w.eng.Cancel(&p.trainEv)
		if p.training {
			w.trainingG.add(w.eng.Now(), -1)
		}
		w.unlend(p)
		p.training = false
		w.setActive(p, false)
		p.halt()
	}
	if w.lender != nil {
		w.lender.job.lose(in.replicas)
	}
	for _, p := range in.replicas {
		w.evacuate(p)
	}
	in.state = instProvisioning
	w.eng.After(&in.ev, in.pool.fleet.recoveryNs)
	// The requests it dropped for want of a replica up may have been a
	// drained run's last work: the run ends here, not at the limit of its
	// drain, which the interruptions to come would otherwise carry it to.
	w.stopIfDrained()
}

// evacuate re-routes every request of a replica that stopped serving to
// another replica of its pool.
func (w *World) evacuate(p *replica) {
	now := w.eng.Now()
	pl := p.inst.pool
	for _, r := range p.evict() {
		r.state = reqWaiting
		q := pl.route(r)
		if q == nil {
			pl.calls.queueFull++
			pl.calls.noSLO += noSLO(w.workloads[r.wl])
			w.eng.Cancel(&r.timeout)
			w.addInSystem(now, r, -1)
			r.state = reqDone
			r.finish = now
			w.workloads[r.wl].stats.queueFull++
			w.win.dropped++
			w.emitRequest(r, StatusQueueFull)
			w.requestGone(r, StatusQueueFull)
			continue
		}
		q.enqueue(r, false)
		q.kick()
	}
}

// checkDrained releases an instance whose draining replicas have finished,
// or starts the switch to training of a lent replica that has finished.
func (w *World) checkDrained(p *replica) {
	if !p.draining || p.busy || p.outstanding() > 0 {
		return
	}
	if p.lent {
		p.draining = false
		w.setActive(p, false)
		p.trainEv.Arg = 0
		w.eng.After(&p.trainEv, w.lender.switchNs)
		return
	}
	in := p.inst
	for _, q := range in.replicas {
		if q.busy || q.outstanding() > 0 {
			return
		}
	}
	now := w.eng.Now()
	for _, q := range in.replicas {
		q.draining = false
		w.setActive(q, false)
		q.loseMemory() // released: a scale-up that takes the slot again loads a fresh instance
	}
	in.state = instDown
	w.eng.Cancel(&in.ev)
	w.addPaid(in.pool, now, -1)
}

// autoscaler evaluates a pool's scaling rule every interval.
type autoscaler struct {
	w  *World
	pl *fleetPool
}

func (a autoscaler) Handle(ev *engine.Event) {
	w, pl := a.w, a.pl
	now := w.eng.Now()
	as := pl.spec.Autoscale
	active, provisioning := 0, 0
	for _, in := range pl.instances {
		switch in.state {
		case instUp:
			active++
		case instProvisioning:
			provisioning++
		}
	}
	desired := pl.desiredInstances(now, active)
	fe := &pl.fleet
	down := fe.stabilized(now, desired, int64(as.ScaleDownStabilization))
	if now-fe.lastScaleNs >= int64(as.Cooldown) || fe.lastScaleNs == 0 {
		switch total := active + provisioning; {
		case desired > total:
			w.scaleUp(pl, desired-total)
		case down < active && provisioning == 0:
			w.scaleDown(pl, active, down)
		}
	}
	if now+int64(as.Interval) <= w.horizon || w.inSystem.v > 0 {
		w.eng.After(ev, int64(as.Interval))
	}
}

// desiredInstances is how many instances the pool's rule asks for now,
// within its bounds. Demand: average running sequences over the interval
// plus those waiting now, over the serving batch slots. (Busy time says
// little: a replica iterates whenever it holds a single request.)
func (pl *fleetPool) desiredInstances(now int64, active int) int {
	as := pl.spec.Autoscale
	runArea := pl.g.running.areaAt(now)
	up := float64(len(pl.serving))
	var util float64
	if up > 0 {
		util = ((runArea-pl.fleet.lastRunArea)/float64(as.Interval) + pl.g.queued.v) / (up * float64(pl.env.maxNumSeqs))
	}
	pl.fleet.lastRunArea = runArea
	var desired int
	switch as.Metric {
	case "queue":
		perReplica := 0.0
		if up > 0 {
			perReplica = float64(pl.g.queued.v) / up
		}
		desired = recommend(active, perReplica, as.Target, as.Tolerance)
		if perReplica == 0 {
			desired = active - 1
		}
	default:
		desired = recommend(active, util, as.Target, as.Tolerance)
	}
	return min(max(desired, as.Min), as.Max)
}

// recommend is the Kubernetes HPA's rule: the count that would bring the
// metric to its target were the load spread evenly over it,
// ceil(active x metric / target), or active unchanged while metric/target
// is within tolerance of 1.
func recommend(active int, metric, target, tolerance float64) int {
	if math.Abs(metric/target-1) <= tolerance {
		return active
	}
	// Clamped before the conversion: a tiny target (1e-300) overflowed the
	// int to a negative count, which min then held at the floor, so the
	// fleet never scaled.
	return int(math.Min(math.Ceil(float64(active)*metric/target), math.MaxInt32))
}

// recommendation is a count the rule asked for, and when.
type recommendation struct {
	atNs    int64
	desired int
}

// stabilized records the rule's latest count and returns the largest asked
// for over the window ending now (the HPA's scale-down stabilization): a
// scale-down goes no lower, so one quiet interval does not release an
// instance the intervals before it needed. A window of 0 keeps only the
// latest. recent holds only the counts that can still be the largest, in
// decreasing order (a count asked for later and as high makes the earlier
// one redundant), so each interval costs amortised O(1): a 36,500-day
// window at 1 s intervals made a 4-day run take 95 s, scanning every
// count still inside it.
func (fe *fleetEconomics) stabilized(now int64, desired int, windowNs int64) int {
	i := 0
	for i < len(fe.recent) && fe.recent[i].atNs <= now-windowNs {
		i++
	}
	fe.recent = fe.recent[i:]
	for len(fe.recent) > 0 && fe.recent[len(fe.recent)-1].desired <= desired {
		fe.recent = fe.recent[:len(fe.recent)-1]
	}
	fe.recent = append(fe.recent, recommendation{now, desired})
	return fe.recent[0].desired
}

// scaleUp pays for n more instances of a pool, serving after the
// provisioning delay.
func (w *World) scaleUp(pl *fleetPool, n int) {
	now := w.eng.Now()
	perInst := pl.replicasPerInstance()
	for range n {
		in := w.reuseOrAddInstance(pl, perInst)
		in.state = instProvisioning
		in.paidFrom = now
		w.addPaid(pl, now, 1)
		w.eng.Schedule(&in.ev, engine.Later(now, int64(pl.spec.Autoscale.ProvisionDelay)))
	}
	pl.fleet.scaleUps++
	pl.fleet.lastScaleNs = now
}

// scaleDown drains the pool's newest serving instances down to desired.
func (w *World) scaleDown(pl *fleetPool, active, desired int) {
	for i := len(pl.instances) - 1; i >= 0 && active > desired; i-- {
		in := pl.instances[i]
		if in.state != instUp {
			continue
		}
		in.state = instDraining
		w.eng.Cancel(&in.ev)
		for _, p := range in.replicas {
			w.stopServing(p)
			p.draining = true
		}
		for _, p := range in.replicas {
			w.checkDrained(p)
		}
		active--
	}
	pl.fleet.scaleDowns++
	pl.fleet.lastScaleNs = w.eng.Now()
}

// reuseOrAddInstance takes a released instance slot of the pool (keeping
// replica ids stable and bounded) or adds a new one.
func (w *World) reuseOrAddInstance(pl *fleetPool, perInst int) *instance {
	for _, in := range pl.instances {
		if in.state == instDown {
			return in
		}
	}
	return w.addInstance(pl, perInst)
}

// ReplicasPerInstance is how many replicas of tp devices an instance runs:
// the replica's per_instance (0: as many as fit), at most as many as fit.
func ReplicasPerInstance(inst *hw.Instance, tp, perInstance int) (int, error) {
	fit, err := hw.ReplicasPerInstance(inst, tp)
	if err != nil {
		return 0, err
	}
	if perInstance == 0 || perInstance > fit {
		perInstance = fit
	}
	if perInstance < 1 {
		return 0, fmt.Errorf("fleet: no replica of tp %d fits in %s", tp, inst.Name)
	}
	return perInstance, nil
}
