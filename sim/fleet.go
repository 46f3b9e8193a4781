package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"aiecon/hw"
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

// fleetEconomics is the price of the serving fleet.
type fleetEconomics struct {
	priceUSDPerHour float64 // per instance, after the pricing model
	priceSource     string
	spotRatePerNs   float64 // interruptions per instance per ns
	recoveryNs      int64
	spotRng         *rand.Rand

	autoscale     bool
	lastScaleNs   int64
	lastRunArea   float64
	scaleUps      int64
	scaleDowns    int64
	interruptions int64
}

func (w *World) buildFleet() error {
	f := w.sc.Fleet
	fe := &w.fleet
	switch {
	case f.PriceUSDPerHour > 0:
		fe.priceUSDPerHour, fe.priceSource = f.PriceUSDPerHour, "scenario"
	default:
		key := f.Pricing
		if key == "spot" { // spot is on-demand minus its discount, below
			key = hw.PricingOnDemand
		}
		p, ok := w.inst.Price(key)
		if !ok {
			return fmt.Errorf("fleet: %s has no %s price in the catalog; set fleet.price_usd_per_hour", w.inst.Name, key)
		}
		fe.priceUSDPerHour, fe.priceSource = p.SI(), "catalog "+key
	}
	if f.Pricing == "spot" {
		fe.priceUSDPerHour *= 1 - f.Spot.Discount
		fe.priceSource += fmt.Sprintf(" minus %.0f%% spot discount", 100*f.Spot.Discount)
		fe.spotRatePerNs = f.Spot.InterruptionsPerHour / 3.6e12
		fe.recoveryNs = int64(f.Spot.Recovery)
		fe.spotRng = w.randFor("spot")
	}
	w.interruptible = fe.spotRatePerNs > 0
	fe.autoscale = f.Autoscale != nil
	fit, err := hw.ReplicasPerInstance(w.inst, w.shard.TP)
	if err != nil {
		return err
	}
	perInst := f.Replica.PerInstance
	if perInst == 0 || perInst > fit {
		perInst = fit
	}
	if perInst < 1 {
		return fmt.Errorf("fleet: no replica of tp %d fits in %s", w.shard.TP, w.inst.Name)
	}
	for i := 0; i < f.Count; i++ {
		in := w.addInstance(perInst)
		in.state = instUp
	}
	return nil
}

// addInstance creates an instance (not yet serving) with its replicas.
func (w *World) addInstance(perInst int) *instance {
	in := &instance{w: w, id: int32(len(w.instances)), state: instProvisioning}
	in.ev.Init(in, 0)
	for j := 0; j < perInst; j++ {
		p := &replica{env: &w.replicaEnv, sched: w.newSched(), id: int32(len(w.replicas)), inst: in,
			queues: make([]fifo, w.prioLevels), kvTotal: w.kvBlocksPerReplica, kvFree: w.kvBlocksPerReplica,
			cache: prefixCache{on: w.prefixCaching}}
		if w.sched.implicitDecoders() && !w.noImplicit && !w.interruptible {
			p.ep.on = true
			p.ep.cnt = make([]int32, w.blockTokens)
		}
		p.iterDone.Init(p, 0)
		p.trainEv.Init(replicaTrainer{w, p}, 0)
		in.replicas = append(in.replicas, p)
		w.replicas = append(w.replicas, p)
	}
	w.instances = append(w.instances, in)
	return in
}

// startFleet brings the initial instances up and starts autoscaling and
// spot interruptions.
func (w *World) startFleet() {
	for _, in := range w.instances {
		w.paidG.add(0, 1)
		in.paidFrom = 0
		in.state = instProvisioning
		in.bringUp()
	}
	if w.fleet.autoscale {
		w.eng.Schedule(engine.NewEvent(autoscaler{w}, 0), int64(w.sc.Fleet.Autoscale.Interval))
	}
	if w.training != nil && w.training.onFleet {
		t := w.sc.Training
		w.lender = &trainLender{w: w, job: newTrainJob(w, w.training), lendBelow: t.LendBelow, reclaimAbove: t.ReclaimAbove, minServing: t.MinServing,
			intervalNs: int64(t.Interval), switchNs: int64(t.SwitchTime)}
		w.eng.Schedule(engine.NewEvent(w.lender, 0), int64(t.Interval))
	}
}

func (in *instance) bringUp() {
	w := in.w
	now := w.eng.Now()
	in.state = instUp
	for _, p := range in.replicas {
		p.up, p.draining = true, false
		p.upSince = now
		w.serving = append(w.serving, p)
		w.upG.add(now, 1)
		w.setActive(p, true)
	}
	if w.fleet.spotRatePerNs > 0 {
		w.eng.Schedule(&in.ev, now+int64(w.fleet.spotRng.ExpFloat64()/w.fleet.spotRatePerNs))
	}
	for _, p := range in.replicas {
		p.kick()
	}
}

// setActive marks a replica as doing serving work (up or draining) or not.
func (w *World) setActive(p *replica, v bool) {
	if p.active != v {
		p.active = v
		d := 1.0
		if !v {
			d = -1
		}
		w.activeG.add(w.eng.Now(), d)
	}
}

// stopServing takes a replica out of the routing set.
func (w *World) stopServing(p *replica) {
	if !p.up {
		return
	}
	now := w.eng.Now()
	p.up = false
	p.upNs += now - p.upSince
	w.upG.add(now, -1)
	if i := slices.Index(w.serving, p); i >= 0 {
		w.serving = slices.Delete(w.serving, i, i+1)
	}
}

// interrupt reclaims a spot instance: its replicas stop at once, their
// requests are re-routed (keeping what they generated but losing their KV
// cache), and a replacement is paid for while it loads for the recovery time.
func (w *World) interrupt(in *instance) {
	w.fleet.interruptions++
	for _, p := range in.replicas {
		w.stopServing(p)
		p.draining = false
		w.eng.Cancel(&p.trainEv)
		if p.training {
			w.trainingG.add(w.eng.Now(), -1)
		}
		p.lent, p.training = false, false
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
	w.eng.Schedule(&in.ev, w.eng.Now()+w.fleet.recoveryNs)
}

// evacuate re-routes every request of a replica that stopped serving.
func (w *World) evacuate(p *replica) {
	now := w.eng.Now()
	for _, r := range p.evict() {
		r.state = reqWaiting
		q := w.route(r)
		if q == nil {
			w.eng.Cancel(&r.timeout)
			w.inSystem.add(now, -1)
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
		w.eng.Schedule(&p.trainEv, w.eng.Now()+w.lender.switchNs)
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
	}
	in.state = instDown
	w.eng.Cancel(&in.ev)
	w.paidG.add(now, -1)
}

// autoscaler evaluates the scaling rule every interval.
type autoscaler struct{ w *World }

func (a autoscaler) Handle(ev *engine.Event) {
	w := a.w
	now := w.eng.Now()
	as := w.sc.Fleet.Autoscale
	// Demand: average running sequences over the interval plus those
	// waiting now, over the serving batch slots. (Busy time says little: a
	// replica iterates whenever it holds a single request.)
	runArea := w.runningG.areaAt(now)
	up := float64(len(w.serving))
	var util float64
	if up > 0 {
		util = ((runArea-w.fleet.lastRunArea)/float64(as.Interval) + w.queued.v) / (up * float64(w.maxNumSeqs))
	}
	w.fleet.lastRunArea = runArea
	active, provisioning := 0, 0
	for _, in := range w.instances {
		switch in.state {
		case instUp:
			active++
		case instProvisioning:
			provisioning++
		}
	}
	if now-w.fleet.lastScaleNs >= int64(as.Cooldown) || w.fleet.lastScaleNs == 0 {
		var desired int
		switch as.Metric {
		case "queue":
			perReplica := 0.0
			if up > 0 {
				perReplica = float64(w.queued.v) / up
			}
			desired = int(math.Ceil(float64(active) * perReplica / as.Target))
			if perReplica == 0 {
				desired = active - 1
			}
		default:
			desired = int(math.Ceil(float64(active) * util / as.Target))
		}
		desired = min(max(desired, as.Min), as.Max)
		switch total := active + provisioning; {
		case desired > total:
			perInst := len(w.instances[0].replicas)
			for i := total; i < desired; i++ {
				in := w.reuseOrAddInstance(perInst)
				in.state = instProvisioning
				in.paidFrom = now
				w.paidG.add(now, 1)
				w.eng.Schedule(&in.ev, now+int64(as.ProvisionDelay))
			}
			w.fleet.scaleUps++
			w.fleet.lastScaleNs = now
		case desired < active && provisioning == 0:
			for i := len(w.instances) - 1; i >= 0 && active > desired; i-- {
				in := w.instances[i]
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
			w.fleet.scaleDowns++
			w.fleet.lastScaleNs = now
		}
	}
	if now+int64(as.Interval) <= w.horizon || w.inSystem.v > 0 {
		w.eng.After(ev, int64(as.Interval))
	}
}

// reuseOrAddInstance takes a released instance slot (keeping replica ids
// stable and bounded) or adds a new one.
func (w *World) reuseOrAddInstance(perInst int) *instance {
	for _, in := range w.instances {
		if in.state == instDown {
			return in
		}
	}
	return w.addInstance(perInst)
}
