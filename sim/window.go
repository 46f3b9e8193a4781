package sim

import "aiecon/sim/engine"

// windowTicker closes a time-series window every scenario.window.
type windowTicker struct{ w *World }

func (t windowTicker) Handle(ev *engine.Event) {
	w := t.w
	now := w.eng.Now()
	// From the horizon on, the last window is closed by finish, after what is
	// still open has been recorded; in drain mode ticking goes on while work remains.
	if now >= w.horizon && !(w.sc.Drain && (w.inSystem.v > 0 || w.activeSessions() > 0)) {
		return
	}
	w.closeWindow(now)
	if now >= w.horizon { // drained, with work left
		w.watchStall(now)
	}
	w.eng.After(ev, int64(w.sc.Window))
}

// closeWindow emits the record of [win.start, now) and starts the next window.
func (w *World) closeWindow(now int64) {
	if now <= w.win.start {
		return
	}
	span := float64(now - w.win.start)
	win := &w.win
	rec := WindowRecord{
		StartNs: win.start, EndNs: now,
		Arrivals: win.arrivals, Completions: win.completions, Dropped: win.dropped, Abandoned: win.abandoned,
		InputTokens: win.inputTok, OutputTokens: win.outputTok,
		QueueDepthAvg: (w.queued.areaAt(now) - win.queueArea) / span,
		RunningAvg:    (w.runningG.areaAt(now) - win.runArea) / span,
		ReplicasUp:    (w.upG.areaAt(now) - win.upArea) / span,
		ReplicasPaid: w.sumPools(func(pl *fleetPool) float64 {
			return (pl.g.paid.areaAt(now) - pl.winPaid) / span * float64(pl.replicasPerInstance())
		}),
		TTFTP50S: win.lat.ttft.quantile(0.5), TTFTP99S: win.lat.ttft.quantile(0.99),
		TPOTP50S: win.lat.tpot.quantile(0.5), TPOTP99S: win.lat.tpot.quantile(0.99),
		E2EP99S:    win.lat.e2e.quantile(0.99),
		RevenueUSD: win.revenueUSD,
	}
	work := w.windowWork()
	upArea := w.activeG.areaAt(now) - win.activeArea
	if upArea > 0 {
		activeNs := func(pl *fleetPool) float64 { return pl.g.active.areaAt(now) - pl.winActive }
		rec.KVUtilAvg = w.kvUtilization(w.kvUsedG.areaAt(now)-win.kvArea, activeNs)
		rec.BusyFrac = (w.busyG.areaAt(now) - win.busyArea) / upArea
		// As the run's KPIs (fleetKPIs): device-seconds at peak over device-seconds.
		devS := w.sumPools(func(pl *fleetPool) float64 { return activeNs(pl) / 1e9 * float64(pl.shard.TP) })
		rec.FLOPsFrac = safeDiv(work.computeS, devS)
		rec.BandwidthFrac = safeDiv(work.hbmS, devS)
	}
	if paidReplicas := w.sumPools(func(pl *fleetPool) float64 {
		return (pl.g.paid.areaAt(now) - pl.winPaid) * float64(pl.replicasPerInstance())
	}); paidReplicas > 0 {
		rec.TrainingFrac = (w.trainingG.areaAt(now) - win.trainArea) / paidReplicas
	}
	rec.CostUSD = w.sumPools(func(pl *fleetPool) float64 {
		return (pl.g.paid.areaAt(now) - pl.winPaid) / 3.6e12 * pl.fleet.priceUSDPerHour
	}) + w.windowTrainingCost(span) + win.costArea
	w.out.window(rec, w)

	// Next window: remember the gauge areas so the next record takes differences.
	lat := win.lat
	lat.clear()
	*win = window{start: now, lat: lat,
		queueArea: w.queued.areaAt(now), runArea: w.runningG.areaAt(now), kvArea: w.kvUsedG.areaAt(now),
		busyArea: w.busyG.areaAt(now), upArea: w.upG.areaAt(now), activeArea: w.activeG.areaAt(now), paidArea: w.paidG.areaAt(now),
		trainArea: w.trainingG.areaAt(now)}
	for _, pl := range w.pools {
		pl.winPaid, pl.winActive = pl.g.paid.areaAt(now), pl.g.active.areaAt(now)
	}
}

// windowTrainingCost is the dedicated-cluster training cost attributed to a
// window of span ns (amortised over the retrain period).
func (w *World) windowTrainingCost(spanNs float64) float64 {
	if w.training == nil {
		return 0
	}
	return w.training.costPerNs * spanNs
}
