package sim

import (
	"aiecon/model/econ"
	kpicat "aiecon/model/kpi"
)

// The model mix's accounting: each pool counts the calls it served, and
// the run's fleet figures that weigh replicas by their configuration (peak
// FLOP/s, batch slots, KV blocks, price) add up over the pools. With one
// pool every sum has one term, computed as before, so single-model runs
// are unchanged to the bit.

// callDone counts a call its pool completed: its tokens, and the latency
// the call itself took from its arrival at the pool (an escalated
// request's two calls each count in their own pool). A single-model run
// reports no per-model figures and skips this, but for the tokens its cost
// is shared by (fleetPool.served).
func (w *World) callDone(r *request) {
	r.fp.served[r.wl].add(r)
	if len(w.pools) == 1 {
		return
	}
	now := w.eng.Now()
	st := &r.fp.calls
	st.completed++
	st.inputTok += int64(r.prompt)
	st.cachedTok += int64(r.cached)
	st.outputTok += int64(r.output)
	lat := latencyOf(r, r.poolArrival, r.poolStart, now)
	st.lat.record(lat)
	if slo := w.workloads[r.wl].spec.SLO; !slo.Set() {
		st.noSLO++
		st.noSLOMet++
		st.sloMet++
	} else if lat.meets(slo) {
		st.sloMet++
	}
}

// noSLO is 1 for a request of a workload without an SLO, whose pool counts
// it apart from SLO attainment, else 0.
func noSLO(wl *workload) int64 {
	if wl.spec.SLO.Set() {
		return 0
	}
	return 1
}

// sumPools adds a figure over the pools.
func (w *World) sumPools(f func(pl *fleetPool) float64) float64 {
	sum := 0.0
	for _, pl := range w.pools {
		sum += f(pl)
	}
	return sum
}

// instanceUSD is what a pool's instances cost up to now.
func (pl *fleetPool) instanceUSD(now int64) float64 {
	return pl.g.paid.areaAt(now) / 1e9 / 3600 * pl.fleet.priceUSDPerHour
}

// activeS is the replica-seconds a pool's replicas served or drained.
func (pl *fleetPool) activeS(now int64) float64 { return pl.g.active.areaAt(now) / 1e9 }

// kvUtilization is KV blocks in use over the blocks of active replicas:
// the area of blocks in use over each pool's active replica time times its
// blocks per replica (both areas in the same unit of time).
func (w *World) kvUtilization(kvArea float64, activeNs func(pl *fleetPool) float64) float64 {
	if len(w.pools) == 1 {
		return safeDiv(kvArea/float64(w.pools[0].env.kvBlocksPerReplica), activeNs(w.pools[0]))
	}
	return safeDiv(kvArea, w.sumPools(func(pl *fleetPool) float64 {
		return activeNs(pl) * float64(pl.env.kvBlocksPerReplica)
	}))
}

// priceKPI is the price of an instance-hour: the pool's price with one
// pool, else the paid-hour weighted mean over the pools.
func (w *World) priceKPI(now int64, instanceUSD float64) float64 {
	if len(w.pools) == 1 {
		return w.pools[0].fleet.priceUSDPerHour
	}
	return safeDiv(instanceUSD, w.paidG.areaAt(now)/1e9/3600)
}

// modelKPIs reports each model of a mix under its scope (model:NAME): the
// traffic and latency of its own calls, the share of completed requests it
// answered, its escalations, and its instances and their cost (which add up
// to the run's instance cost); and the run's escalations. Nothing without
// pools.
func (w *World) modelKPIs(add addFunc, now int64, simS float64) {
	if len(w.pools) == 1 {
		return
	}
	answered := func(pl *fleetPool) float64 { return float64(pl.calls.completed - pl.escalated) }
	all := w.sumPools(answered)
	for _, pl := range w.pools {
		scope := kpicat.ModelScope(pl.name)
		w.latencyKPIs(add, scope, &pl.calls, simS)
		add(kpicat.AnsweredShare, scope, safeDiv(answered(pl), all))
		add(kpicat.Escalations, scope, float64(pl.escalated))
		add(kpicat.InstancesAvg, scope, pl.g.paid.areaAt(now)/1e9/simS)
		add(kpicat.BatchOccupancy, scope, safeDiv(pl.g.running.areaAt(now)/1e9, pl.activeS(now)*float64(pl.env.maxNumSeqs)))
		add(kpicat.ScaleUps, scope, float64(pl.fleet.scaleUps))
		add(kpicat.ScaleDowns, scope, float64(pl.fleet.scaleDowns))
		usd := pl.instanceUSD(now)
		add(kpicat.CostInstancesUSD, scope, usd)
		add(kpicat.PricePerInstanceHourUSD, scope, pl.fleet.priceUSDPerHour)
		// Over the tokens of every call the model completed (an escalated
		// answer too): prompt, cached included, plus output, counted as the
		// run's figure counts them.
		add(kpicat.CostPerMTokInstancesUSD, scope, econ.CostPerMTokUSD(usd, pl.calls.inputTok+pl.calls.outputTok))
	}
	add(kpicat.Escalations, "", w.sumPools(func(pl *fleetPool) float64 { return float64(pl.escalated) }))
}

// PoolLengths are how long the calls routed to a pool were, in tokens,
// cut to its max_model_len (fleetPool.routed): the 99th percentile of
// their prompts (cached tokens included: what a
// prefill attends over) and of their contexts (prompt plus output: what
// the last decode step reads). They are no KPI: runner compares them with
// the lengths the pool's step-time constants were fitted to.
type PoolLengths struct {
	Pool       string // the pool's name (the main pool first, as model.Scenario.ServingPools)
	Calls      int    // calls routed to the pool; the percentiles are 0 without any
	PromptP99  float64
	ContextP99 float64
	// PromptMean and ContextMean are the calls' means, for the share of a
	// mean decode step that constants no measurement of the chip pins
	// (runner's STEP TIMES THINLY FITTED).
	PromptMean, ContextMean float64
}

// poolLengths are every pool's PoolLengths.
func (w *World) poolLengths() []PoolLengths {
	out := make([]PoolLengths, len(w.pools))
	for i, pl := range w.pools {
		out[i] = PoolLengths{Pool: pl.name, Calls: pl.prompts.n}
		if pl.prompts.n > 0 {
			out[i].PromptP99, out[i].ContextP99 = pl.prompts.quantile(0.99), pl.contexts.quantile(0.99)
			out[i].PromptMean, out[i].ContextMean = pl.prompts.mean(), pl.contexts.mean()
		}
	}
	return out
}
