package sim

import (
	"fmt"
	"slices"

	"aiecon/hw"
	"aiecon/model"
	"aiecon/model/llm"
)

// fleetPool is one model's part of the fleet: its architecture and shard,
// its instance type and step pricing, its replicas' configuration, its
// instances, the replicas it routes among, its price and autoscaling. A
// scenario without pools has one, the main pool; model routing
// (modelrouter.go) picks a pool for each request, and the pool's replica
// router picks the replica.
type fleetPool struct {
	idx  int
	name string
	spec *model.Fleet

	arch  llm.Arch
	shard llm.Shard // as the step family prices it (hw.Perf.ResidentShard)
	held  llm.Shard // as device memory holds it (hw.Perf.HeldShard): the memory plan's
	inst  *hw.Instance
	perf  *hw.Perf
	env   *replicaEnv

	queueLimit   int
	queueTimeout int64

	instances []*instance // this pool's (World.instances has every pool's, by id)
	serving   []*replica  // routable now
	router    router
	fleet     fleetEconomics
	g         poolGauges

	// calls are the model calls this pool took: counts, tokens and latency
	// measured from each call's arrival at the pool (kpimodel.go).
	calls workloadStats
	// served are the tokens of the calls the pool completed, by workload
	// index (request.wl), an escalated call's first answer too: what its
	// cost is shared by (attribute.go).
	served    []servedTokens
	escalated int64 // calls answered here, then escalated to another pool
	// prompts and contexts are the prompt (cached tokens included) and the
	// prompt plus output of each call routed to the pool, for PoolLengths.
	prompts, contexts lengthHist
	winPaid           float64
	winActive         float64
}

// poolGauges are a pool's share of the run's gauges: what its autoscaler
// reads (queued, running) and what its cost and utilisation need (paid
// instances, active replicas).
type poolGauges struct {
	queued, running, active, paid gauge
	// prefillBusy and tokenBusyNs are iterTotals' over the pool's replicas
	// alone (replicaEnv.account).
	prefillBusy float64
	tokenBusyNs int64
}

// streamName is a random stream's name for a pool: the main pool keeps the
// names of a one-pool run, so adding a pool changes none of its draws.
func (pl *fleetPool) streamName(base string) string {
	if pl.idx == 0 {
		return base
	}
	return base + "/" + pl.name
}

// buildPools makes the main pool on World's own replicaEnv and one more per
// scenario pool, each with its step pricing, replica configuration and
// fleet economics.
func (w *World) buildPools() error {
	for i, sp := range w.sc.ServingPools() {
		pl := &fleetPool{idx: i, name: sp.Name, spec: sp.Fleet, env: &w.replicaEnv}
		pl.calls.lat = newLatencyStats()
		pl.served = make([]servedTokens, len(w.sc.Workloads))
		if i > 0 {
			pl.env = &replicaEnv{eng: w.eng, host: w, runGauges: w.runGauges}
		}
		pl.env.own = &pl.g
		var err error
		if pl.arch, err = sp.Model.Arch(); err != nil {
			return err
		}
		pl.shard = w.sc.ShardOf(sp.Fleet, pl.arch)
		if pl.inst, err = hw.InstanceByName(sp.Fleet.Instance); err != nil {
			return err
		}
		if err := w.buildPerf(pl); err != nil {
			return pl.wrap(err)
		}
		if err := w.configureReplicas(pl); err != nil {
			return pl.wrap(err)
		}
		pl.router = newRouter(w.sc.Router, loadBound{w.sc.RouterLoadBound, *w.sc.RouterLoadSlack}, w.streams.Get(pl.streamName("router")))
		w.pools = append(w.pools, pl)
	}
	return nil
}

// wrap names the pool in an error of a run with several.
func (pl *fleetPool) wrap(err error) error {
	if pl.idx == 0 {
		return err
	}
	return fmt.Errorf("pool %s: %w", pl.name, err)
}

// clamp fits a call's lengths into the pool's max_model_len as a serving
// stack and its client do. A request sent on its own (api, batch) keeps
// its prompt, and its output stops where the window ends (vLLM's
// finish_reason "length": a model cannot generate past max_model_len); a
// prompt that does not fit by itself loses its oldest tokens, as the
// server would refuse it whole. An agent's call continues a conversation
// that the agent trims, oldest turns first, to leave its answer room: its
// output is kept (up to max_model_len - 1) and its prompt gives way.
func (pl *fleetPool) clamp(prompt, output int, conversation bool) (int, int) {
	limit := int(pl.env.maxModelLen)
	prompt, output = atLeastOne(prompt, output)
	switch {
	case prompt+output <= limit:
	case !conversation && prompt < limit:
		output = limit - prompt
	default:
		output = min(output, limit-1)
		prompt = limit - output
	}
	return prompt, output
}

// atLeastOne is a call's lengths as served and billed: one token of
// each at least, before clamp fits them into max_model_len. Trace rows of
// 0 are refused where the trace is read and drawn counts are at least 1,
// so this only keeps the ceiling and the bill alike should one slip by.
func atLeastOne(prompt, output int) (int, int) { return max(prompt, 1), max(output, 1) }

// serve adds p at the end of the pool's routing set.
func (pl *fleetPool) serve(p *replica) {
	pl.serving = append(pl.serving, p)
	pl.router.join(p)
}

// unserve takes p out of the pool's routing set, keeping the order of the
// rest.
func (pl *fleetPool) unserve(p *replica) {
	if i := slices.Index(pl.serving, p); i >= 0 {
		pl.serving = slices.Delete(pl.serving, i, i+1)
		pl.router.leave(p)
	}
}

// route picks a serving replica of the pool for request r (its session keys
// affinity routing), or nil when none is up.
func (pl *fleetPool) route(r *request) *replica { return pl.router.pick(pl.serving, routeKeyOf(r)) }

// addPaid counts instances starting or stopping to be paid, in the run's
// gauge and the pool's.
func (w *World) addPaid(pl *fleetPool, now int64, d float64) {
	w.paidG.add(now, d)
	pl.g.paid.add(now, d)
}

// replicasPerInstance is how many replicas each of the pool's instances holds.
func (pl *fleetPool) replicasPerInstance() int { return len(pl.instances[0].replicas) }
