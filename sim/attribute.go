package sim

import (
	"aiecon/model/econ"
	kpicat "aiecon/model/kpi"
)

// The cost attributed to each workload (cost_per_mtok_attributed_usd): the
// run's cost per Mtok blends every workload's tokens, an agent's unpriced
// calls with a chat's priced ones, so it says nothing of whether one
// workload's price covers what serving it costs. No replica time belongs
// to one workload (a batch carries several), so this is an attribution,
// not a measurement. Each pool's instance cost is split between prefill
// and decode by the replica time each took (replicaEnv.account, as the
// run's input/output split is), and each part among the workloads by the
// tokens of theirs that the pool prefilled (cached prompt tokens need no
// prefill) or generated. Training, an operating cost of the whole model,
// follows the instances' shares; licensing goes to the workload whose
// retrieval paid it. The shares add up to the run's cost, over the tokens
// of the completed calls as cost_per_mtok_usd counts them, so a run of one
// workload reads its cost_per_mtok_usd.

// servedTokens are the tokens of a workload's calls a pool completed: the
// prompt tokens it prefilled and the output tokens it generated.
type servedTokens struct{ prefilled, output int64 }

func (s *servedTokens) add(r *request) {
	s.prefilled += int64(r.prompt - r.cached)
	s.output += int64(r.output)
}

// shares are each workload's share of a pool's replica time: prefill's
// share of the time spread over the prompt tokens prefilled, decode's over
// the output tokens. Where no token of one kind was served, the other
// takes the whole time; none where the pool served no token.
func (pl *fleetPool) shares() []float64 {
	var in, out int64
	for _, s := range pl.served {
		in += s.prefilled
		out += s.output
	}
	prefill := 0.0
	if pl.g.tokenBusyNs > 0 {
		prefill = min(pl.g.prefillBusy/float64(pl.g.tokenBusyNs), 1)
	}
	switch {
	case in == 0 && out == 0:
		return make([]float64, len(pl.served))
	case in == 0:
		prefill = 0
	case out == 0:
		prefill = 1
	}
	sh := make([]float64, len(pl.served))
	for i, s := range pl.served {
		if in > 0 {
			sh[i] += prefill * float64(s.prefilled) / float64(in)
		}
		if out > 0 {
			sh[i] += (1 - prefill) * float64(s.output) / float64(out)
		}
	}
	return sh
}

// attributedKPIs are each workload's cost per Mtok attributed and its
// revenue per Mtok, tokens alone and all lines, over its tokens billed
// (prompt, cached included, and output of its completed requests).
// trainingUSD is the run's training cost. A pool that completed no call
// has no shares: its cost is spread as the others' is, so that the
// workloads' costs still add up to the run's. So is the share of a
// workload that billed no token (its calls were answered by a model mix's
// small model, then escalated, but none completed): per Mtok it has no
// figure (NaN), and its share, left with it, was in no workload's figure.
// It returns each workload's attributed cost, in w.workloads' order.
func (w *World) attributedKPIs(add addFunc, now int64, trainingUSD float64) []float64 {
	instanceUSD := w.sumPools(func(pl *fleetPool) float64 { return pl.instanceUSD(now) })
	attr := make([]float64, len(w.workloads))
	sum := 0.0
	for _, pl := range w.pools {
		usd := pl.instanceUSD(now)
		for i, s := range pl.shares() {
			if w.workloads[i].stats.billed() == 0 {
				continue
			}
			attr[i] += usd * s
			sum += usd * s
		}
	}
	costs := make([]float64, len(w.workloads))
	for i, wl := range w.workloads {
		st := &wl.stats
		billed := st.billed()
		cost := st.licensingUSD
		if sum > 0 {
			cost += (instanceUSD + trainingUSD) * attr[i] / sum
		}
		costs[i] = cost
		add(kpicat.CostPerMTokAttributedUSD, wl.spec.Name, econ.CostPerMTokUSD(cost, billed))
		add(kpicat.RevenuePerMTokAPIUSD, wl.spec.Name, econ.CostPerMTokUSD(st.tokenRevenueUSD, billed))
		add(kpicat.RevenuePerMTokUSD, wl.spec.Name, econ.CostPerMTokUSD(st.tokenRevenueUSD+st.feeUSD+st.commerceUSD+st.adUSD, billed))
	}
	return costs
}

// unitCostKPIs are the cost per completed request and per completed
// session (docs/model.md, "Costs and KPIs"). The numerator is every cost,
// as cost_per_mtok_usd's: the run's for the run's requests, a workload's
// attributed cost (costs, from attributedKPIs) for its own. The requests
// and sessions that did not complete (dropped, timed out, abandoned,
// unfinished) cost the fleet but are no unit sold, so their cost is in the
// numerator and they are not in the denominator; no completion leaves the
// figure undefined (NaN, printed as a dash), never infinite. A session is
// an agent's: the run's figure is the agent workloads' costs over their
// sessions completed, so that an API workload's cost does not land on
// sessions, and a run without agents has none.
func (w *World) unitCostKPIs(add addFunc, costUSD float64, costs []float64) {
	var completed int64
	var agentUSD float64
	var sessions int64
	for i, wl := range w.workloads {
		st := &wl.stats
		completed += st.completed
		add(kpicat.CostPerRequestUSD, wl.spec.Name, safeDiv(costs[i], float64(st.completed)))
		if wl.agent != nil {
			agentUSD += costs[i]
			sessions += st.sessCompleted
			add(kpicat.CostPerSessionUSD, wl.spec.Name, safeDiv(costs[i], float64(st.sessCompleted)))
		}
	}
	add(kpicat.CostPerRequestUSD, "", safeDiv(costUSD, float64(completed)))
	if len(w.sc.AgentWorkloads()) > 0 {
		add(kpicat.CostPerSessionUSD, "", safeDiv(agentUSD, float64(sessions)))
	}
}

// billed is the workload's tokens billed: the prompt tokens, cached
// included, and output tokens of its completed requests.
func (st *workloadStats) billed() int64 { return st.inputTok + st.outputTok }
