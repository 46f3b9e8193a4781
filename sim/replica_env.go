package sim

import (
	"cmp"
	"slices"

	"aiecon/model/llm"
	"aiecon/sim/engine"
)

// replicaEnv is what a replica sees of its run: the clock and event queue,
// the serving configuration every replica shares, the step pricing, and the
// gauges and totals its iterations move. The world's side of a replica's
// events (a request finished, a replica went quiet) goes through host. A
// replica knows nothing of routing, workloads, sessions or KPIs.
//
// Each pool of the fleet (pools.go) has its own: its model's step pricing
// and its replicas' configuration, over the run's shared gauges and totals,
// and the pool's own share of the gauges its autoscaler reads. World embeds
// the main pool's, so the world reads the shared gauges and totals for its
// windows and KPIs; replicas hold a pointer to their pool's.
type replicaEnv struct {
	eng    *engine.Engine
	coster *stepCoster
	host   replicaHost
	replicaConfig
	*runGauges
	// own are the pool's share of queued and running (its autoscaler's
	// demand); the run's gauges above count every pool.
	own *poolGauges
}

// runGauges are the time-weighted gauges over all replicas of the run, the
// metrics window in progress (iterations add their tokens to it) and the
// run's iteration totals.
type runGauges struct {
	queued, runningG, busyG gauge
	kvUsedG                 blockGauge // KV blocks in use
	// byWorkload is each workload's share of the requests in the system,
	// queued and running, by workload index (request.wl): a closed loop's
	// clients fill the queue up to their number, so the run's averages
	// cannot tell an open-loop workload's growing queue from theirs.
	byWorkload []workloadLoad
	win        window
	iterTotals
}

// workloadLoad is one workload's requests in the system, waiting and
// running, over time.
type workloadLoad struct{ inSystem, queued, running gauge }

// addQueued and addRunning move the run's gauge, the pool's and r's
// workload's together.
func (e *replicaEnv) addQueued(now int64, r *request, d float64) {
	e.queued.add(now, d)
	e.own.queued.add(now, d)
	e.byWorkload[r.wl].queued.add(now, d)
}

func (e *replicaEnv) addRunning(now int64, r *request, d float64) {
	e.runningG.add(now, d)
	e.own.running.add(now, d)
	e.byWorkload[r.wl].running.add(now, d)
}

// replicaConfig is the serving configuration of the run's replicas.
type replicaConfig struct {
	// sched is the run's scheduler (for questions about a replica in
	// general, such as a model call's latency alone); each replica plans
	// with its own instance of the same kind.
	sched                  scheduler
	newSched               func() scheduler
	tp                     int // devices per replica
	maxBatched, maxNumSeqs int
	blockTokens            int32
	maxModelLen            int32
	ctxBuckets, seqBuckets []int        // Neuron shape buckets
	kvBlocksPerReplica     int32        // KV units (llm.KVLayout)
	kv                     llm.KVLayout // how requests take them
	// reserveMax admits a request only with KV blocks for its prompt and
	// whole output reserved (fleet.replica.admission reserve-max): running
	// requests then never need a block, and nothing is preempted.
	reserveMax    bool
	prefixCaching bool         // replicas keep a prefix cache (prefixcache.go)
	spec          *speculation // speculative decoding; nil = off (speculative.go)
	noLeap        bool         // iterate one by one (tests check leaps change nothing)
	// interruptible is set for spot fleets: an interruption may stop any
	// iteration, so replicas neither leap nor keep decoders implicit.
	interruptible bool
}

// iterTotals are what every replica's iterations add up to over the run.
type iterTotals struct {
	// prefillBusy is the replica time (ns) attributed to prefill; tokenBusyNs
	// all the time of iterations that carried tokens, decode's share being
	// the difference. A decode leap (leap.go) adds its whole duration at
	// once, so decode time is kept as an exact integer sum: a floating-point
	// one would round differently from iterating one by one.
	prefillBusy float64
	tokenBusyNs int64
	// winWorkers are the replicas that finished an iteration in the metrics
	// window in progress (replica.addWork).
	winWorkers []*replica
	// iterations planned with implicit decoders, and those that fell back
	// to the explicit scheduler (for tests)
	implicitIters, fallbackIters int64
}

// replicaHost is the world's side of a replica's events.
type replicaHost interface {
	// completed records a request that generated its whole output; the
	// replica has already taken it out of its batch.
	completed(r *request)
	// checkDrained follows an iteration's end or a request leaving: a draining
	// replica may now be done.
	checkDrained(p *replica)
	// stopIfDrained follows an iteration's end: in a drained run, the last
	// work leaving ends the run there (served.go).
	stopIfDrained()
	// leapBound is the latest time a decode leap may end.
	leapBound() int64
	// prefixHit counts prompt tokens a replica's prefix cache spared a
	// request (negative: a hit undone when the request moved elsewhere).
	prefixHit(r *request, tokens int)
	// failRun stops the run with err (the first one kept).
	failRun(err error)
}

// occupancy is device-seconds the work of iterations takes at the peaks:
// FLOPs at peak FLOP/s, HBM bytes at peak HBM bandwidth (stepCost).
type occupancy struct{ computeS, hbmS float64 }

func (o *occupancy) add(computeS, hbmS float64) {
	o.computeS += computeS
	o.hbmS += hbmS
}

// addWork adds one iteration's occupancy to p's sums over the run and the
// window. Each replica keeps its own, and the fleet's are summed over
// replicas in id order (fleetWork, windowWork): a decode leap accounts its
// iterations when it ends, and a sum of seconds depends on the order of its
// terms, so one sum over all replicas would differ from iterating one by
// one (TestLeapsAreExact).
func (p *replica) addWork(c stepCost) {
	p.work.add(c.computeS, c.hbmS)
	p.winWork.add(c.computeS, c.hbmS)
	if !p.inWin {
		p.inWin = true
		p.env.winWorkers = append(p.env.winWorkers, p)
	}
}

// windowWork is the occupancy of every device over the window in progress,
// summed in replica id order; it starts the next window's sums.
func (g *runGauges) windowWork() occupancy {
	slices.SortFunc(g.winWorkers, func(a, b *replica) int { return cmp.Compare(a.id, b.id) })
	var o occupancy
	for _, p := range g.winWorkers {
		tp := float64(p.env.tp)
		o.add(p.winWork.computeS*tp, p.winWork.hbmS*tp)
		p.winWork, p.inWin = occupancy{}, false
	}
	g.winWorkers = g.winWorkers[:0]
	return o
}

// fleetWork is the occupancy of every device over the run, summed in
// replica id order.
func fleetWork(ps []*replica) occupancy {
	var o occupancy
	for _, p := range ps {
		tp := float64(p.env.tp)
		o.add(p.work.computeS*tp, p.work.hbmS*tp)
	}
	return o
}

// account attributes an iteration of dur ns to prefill and decode, in the
// run's totals and in its pool's (which share the pool's cost among the
// workloads it served: attribute.go).
func (e *replicaEnv) account(dur float64, prefillTokens, decodeTokens int32) {
	if tot := float64(prefillTokens + decodeTokens); tot > 0 {
		if prefillTokens > 0 {
			e.prefillBusy += dur * float64(prefillTokens) / tot
			e.own.prefillBusy += dur * float64(prefillTokens) / tot
		}
		e.tokenBusyNs += int64(dur)
		e.own.tokenBusyNs += int64(dur)
	}
}
