package sim

import (
	"cmp"
	"math"
	"slices"

	"aiecon/model/econ"
)

// finish closes the last window, records what is still in flight, computes
// the KPIs and ends the sink.
func (w *World) finish(meta RunMeta) (*Result, error) {
	now := w.eng.Now()
	// Requests still in the system at the end are recorded as unfinished.
	for _, p := range w.replicas {
		for _, r := range p.running {
			if r.implicit {
				p.sync(r, 0, p.busy)
				p.leave(r)
			}
		}
		for len(p.running) > 0 {
			r := p.running[len(p.running)-1]
			p.removeRunning(r)
			w.unfinished(r)
		}
		for i := range p.queues {
			for r := p.queues[i].peek(p); r != nil; r = p.queues[i].peek(p) {
				p.queues[i].pop()
				p.waiting--
				w.unfinished(r)
			}
		}
		if p.up {
			p.upNs += now - p.upSince
			p.upSince = now
		}
	}
	w.endActiveSessions()
	// The last window closes after everything still open was recorded, so
	// window totals add up to the run's.
	w.closeWindow(now)
	if err := w.out.flush(); err != nil {
		return nil, err
	}
	res := &Result{Meta: meta, Events: int64(w.eng.Events()), SimNs: now}
	res.KPIs = w.kpis(now)
	for _, p := range w.replicas {
		res.Replicas = append(res.Replicas, ReplicaRecord{ID: p.id, Instance: p.inst.id, Iterations: p.iterations,
			BusyNs: p.busyNs, UpNs: p.upNs, PrefillTok: p.prefillTok, DecodeTok: p.decodeTok,
			Preemptions: p.preemptions, Completed: p.completed})
	}
	if w.out.sink != nil {
		if err := w.out.sink.End(Summary{KPIs: res.KPIs, Replicas: res.Replicas, Events: res.Events, SimNs: now}); err != nil {
			return nil, err
		}
	}
	return res, nil
}

func (w *World) unfinished(r *request) {
	r.finish = w.eng.Now()
	w.workloads[r.wl].stats.unfinished++
	r.state = reqDone
	w.emitRequest(r, StatusUnfinished)
	if r.sess != nil {
		r.sess.call = nil
	}
	w.pool.put(r)
}

// endActiveSessions records sessions still running at the end.
func (w *World) endActiveSessions() {
	open := make([]*session, 0, len(w.liveSessions))
	for s := range w.liveSessions {
		open = append(open, s)
	}
	// Map order is random: end them in id order so records are deterministic.
	slices.SortFunc(open, func(a, b *session) int { return cmp.Compare(a.id, b.id) })
	for _, s := range open {
		w.eng.Cancel(&s.timer)
		w.endSession(s, SessionUnfinished)
	}
}

// kpis computes every KPI of the run and of each workload.
func (w *World) kpis(now int64) []KPI {
	simS := float64(now) / 1e9
	var out []KPI
	add := func(name, scope string, v float64, unit string) {
		out = append(out, KPI{Name: name, Scope: scope, Value: v, Unit: unit})
	}
	var tot workloadStats
	for _, wl := range w.workloads {
		st := &wl.stats
		name := wl.spec.Name
		w.latencyKPIs(add, name, st, simS)
		add("revenue_usd", name, st.tokenRevenueUSD+st.feeUSD+st.commerceUSD+st.adUSD, "USD")
		if wl.agent != nil {
			w.sessionKPIs(add, name, st)
		}
		w.econKPIs(add, name, st, wl.agent != nil)
		tot.arrivals += st.arrivals
		tot.completed += st.completed
		tot.queueFull += st.queueFull
		tot.timedOut += st.timedOut
		tot.abandoned += st.abandoned
		tot.unfinished += st.unfinished
		tot.truncated += st.truncated
		tot.sloMet += st.sloMet
		tot.inputTok += st.inputTok
		tot.cachedTok += st.cachedTok
		tot.outputTok += st.outputTok
		tot.tokenRevenueUSD += st.tokenRevenueUSD
		tot.sessStarted += st.sessStarted
		tot.sessCompleted += st.sessCompleted
		tot.sessAbandoned += st.sessAbandoned
		tot.sessUnfinished += st.sessUnfinished
		tot.feeUSD += st.feeUSD
		tot.commerceUSD += st.commerceUSD
		tot.adUSD += st.adUSD
		tot.licensingUSD += st.licensingUSD
		tot.counterfactUSD += st.counterfactUSD
		tot.actualSessionUSD += st.actualSessionUSD
		tot.adImpressions += st.adImpressions
		tot.adClicks += st.adClicks
		tot.auctions += st.auctions
		tot.ec.add(&st.ec)
	}
	tot.lat = w.lat
	w.latencyKPIs(add, "", &tot, simS)
	if len(w.sc.AgentWorkloads()) > 0 {
		w.sessionKPIs(add, "", &tot)
	}
	w.econKPIs(add, "", &tot, len(w.sc.AgentWorkloads()) > 0)

	// Fleet and utilisation.
	upS := w.activeG.areaAt(now) / 1e9 // replica time serving or draining
	busyS := w.busyG.areaAt(now) / 1e9
	paidInstS := w.paidG.areaAt(now) / 1e9
	add("instances_avg", "", paidInstS/simS, "count")
	add("replicas_up_avg", "", w.upG.areaAt(now)/1e9/simS, "count")
	add("utilization", "", safeDiv(busyS, upS), "fraction")
	devS := upS * float64(w.shard.TP)
	add("flops_utilization", "", safeDiv(w.totalFLOPs, devS*w.perf.Device.Peak(w.shard.Activations)), "fraction")
	add("bandwidth_utilization", "", safeDiv(w.totalBytes, devS*w.perf.Device.HBMBytesPerS), "fraction")
	add("kv_utilization", "", safeDiv(w.kvUsedG.areaAt(now)/1e9/float64(w.kvBlocksPerReplica), upS), "fraction")
	add("queue_depth_avg", "", w.queued.areaAt(now)/1e9/simS, "requests")
	add("running_avg", "", w.runningG.areaAt(now)/1e9/simS, "requests")
	// Batch occupancy: running sequences over the batch slots of serving
	// replicas. A replica iterates whenever it has one request, so
	// "utilization" (busy time) says little about spare capacity; this does.
	add("batch_occupancy", "", safeDiv(w.runningG.areaAt(now)/1e9, upS*float64(w.maxNumSeqs)), "fraction")
	add("in_system_avg", "", w.inSystem.areaAt(now)/1e9/simS, "requests")
	add("preemptions", "", float64(sumPreemptions(w.replicas)), "count")
	add("scale_ups", "", float64(w.fleet.scaleUps), "count")
	add("scale_downs", "", float64(w.fleet.scaleDowns), "count")
	add("spot_interruptions", "", float64(w.fleet.interruptions), "count")

	// Costs.
	instanceUSD := paidInstS / 3600 * w.fleet.priceUSDPerHour
	var trainingUSD float64
	if w.training != nil {
		if w.training.onFleet {
			fi := w.training.fleetIdle(w.trainingG.areaAt(now)/1e9, simS)
			trainingUSD = fi.topUpCostUSD
			add("training_idle_coverage", "", fi.coverage, "fraction")
			add("training_flops_done", "", fi.flopsDone, "FLOP")
			add("training_replica_hours", "", fi.idleReplicaS/3600, "h")
			add("training_lends", "", float64(w.lender.lends), "count")
			add("training_reclaims", "", float64(w.lender.reclaims), "count")
		} else {
			trainingUSD = w.training.costPerNs * float64(now)
		}
		add("training_retrain_hours", "", w.training.dedicatedS/3600, "h")
		add("training_cost_per_retrain_usd", "", w.training.costPerRetrain, "USD")
	}
	costUSD := instanceUSD + trainingUSD + tot.licensingUSD
	add("cost_instances_usd", "", instanceUSD, "USD")
	add("cost_training_usd", "", trainingUSD, "USD")
	add("cost_licensing_usd", "", tot.licensingUSD, "USD")
	add("cost_usd", "", costUSD, "USD")
	add("cost_per_hour_usd", "", costUSD/simS*3600, "USD/h")
	add("price_per_instance_hour_usd", "", w.fleet.priceUSDPerHour, "USD/h")
	// Served tokens: prompt tokens prefilled plus output; prompt tokens found
	// in the prefix cache are counted apart (kpiecon.go), not as served input.
	prefilled := tot.inputTok - tot.cachedTok
	tokens := prefilled + tot.outputTok
	add("cost_per_mtok_usd", "", econ.CostPerMTokUSD(costUSD, tokens), "USD/Mtok")
	add("cost_per_mtok_instances_usd", "", econ.CostPerMTokUSD(instanceUSD, tokens), "USD/Mtok")
	// Input and output tokens share the instance cost by the replica time
	// their prefill and decode work took.
	if share := w.prefillBusy + w.decodeBusy; share > 0 {
		add("cost_per_mtok_input_usd", "", econ.CostPerMTokUSD(instanceUSD*w.prefillBusy/share, prefilled), "USD/Mtok")
		add("cost_per_mtok_output_usd", "", econ.CostPerMTokUSD(instanceUSD*w.decodeBusy/share, tot.outputTok), "USD/Mtok")
	}

	// Revenue and margin.
	revenue := tot.tokenRevenueUSD + tot.feeUSD + tot.commerceUSD + tot.adUSD
	add("revenue_api_usd", "", tot.tokenRevenueUSD, "USD")
	add("revenue_agent_fees_usd", "", tot.feeUSD, "USD")
	add("revenue_commerce_usd", "", tot.commerceUSD, "USD")
	add("revenue_ads_usd", "", tot.adUSD, "USD")
	add("revenue_usd", "", revenue, "USD")
	add("margin_usd", "", revenue-costUSD, "USD")
	add("gross_margin", "", econ.GrossMarginFrac(revenue, costUSD), "fraction")
	add("revenue_lost_to_latency_usd", "", tot.counterfactUSD-tot.actualSessionUSD, "USD")
	return out
}

type addFunc func(name, scope string, v float64, unit string)

func (w *World) latencyKPIs(add addFunc, scope string, st *workloadStats, simS float64) {
	add("requests_arrived", scope, float64(st.arrivals), "count")
	add("requests_completed", scope, float64(st.completed), "count")
	add("requests_dropped", scope, float64(st.queueFull), "count") // queue full only; timed out and abandoned apart
	add("requests_timed_out", scope, float64(st.timedOut), "count")
	add("requests_abandoned", scope, float64(st.abandoned), "count")
	add("requests_unfinished", scope, float64(st.unfinished), "count")
	add("requests_truncated", scope, float64(st.truncated), "count")
	add("throughput_rps", scope, float64(st.completed)/simS, "1/s")
	add("input_tokens_per_s", scope, float64(st.inputTok)/simS, "tok/s")
	add("output_tokens_per_s", scope, float64(st.outputTok)/simS, "tok/s")
	add("prefix_cache_hit_rate", scope, safeDiv(float64(st.cachedTok), float64(st.inputTok)), "fraction")
	for _, q := range []struct {
		name string
		v    float64
	}{{"p50", 0.5}, {"p90", 0.9}, {"p99", 0.99}} {
		add("ttft_"+q.name+"_s", scope, quantile(st.lat.ttft, q.v), "s")
		add("tpot_"+q.name+"_s", scope, quantile(st.lat.tpot, q.v), "s")
		add("e2e_"+q.name+"_s", scope, quantile(st.lat.e2e, q.v), "s")
		add("queue_"+q.name+"_s", scope, quantile(st.lat.queue, q.v), "s")
	}
	add("e2e_mean_s", scope, safeDiv(st.lat.sumE2ES, float64(st.completed)), "s")
	// SLO attainment is over served (completed) requests; requests that never
	// completed are counted in good_experience_rate (kpiecon.go).
	add("slo_attainment", scope, safeDiv(float64(st.sloMet), float64(st.completed)), "fraction")
	add("goodput_rps", scope, float64(st.sloMet)/simS, "1/s")
}

func (w *World) sessionKPIs(add addFunc, scope string, st *workloadStats) {
	add("sessions_started", scope, float64(st.sessStarted), "count")
	add("sessions_completed", scope, float64(st.sessCompleted), "count")
	add("sessions_abandoned", scope, float64(st.sessAbandoned), "count")
	add("sessions_unfinished", scope, float64(st.sessUnfinished), "count")
	ended := float64(st.sessCompleted + st.sessAbandoned)
	add("session_abandon_rate", scope, safeDiv(float64(st.sessAbandoned), ended), "fraction")
	add("revenue_per_session_usd", scope, safeDiv(st.actualSessionUSD, ended), "USD")
	add("ad_auctions", scope, float64(st.auctions), "count")
	add("ad_impressions", scope, float64(st.adImpressions), "count")
	add("ad_clicks", scope, float64(st.adClicks), "count")
	add("ad_ecpm_usd", scope, safeDiv(st.adUSD*1000, float64(st.adImpressions)), "USD")
	if scope != "" {
		add("revenue_lost_to_latency_usd", scope, st.counterfactUSD-st.actualSessionUSD, "USD")
	}
}

func safeDiv(a, b float64) float64 {
	if b == 0 {
		return math.NaN()
	}
	return a / b
}

func sumPreemptions(ps []*replica) int64 {
	var n int64
	for _, p := range ps {
		n += p.preemptions
	}
	return n
}
