package sim

// abandonedStreamed counts what an abandoned call r had streamed (its
// first token out; one still waiting or prefilling streamed nothing) and
// returns what it bills: its prompt and the output generated so far at
// its workload's prices where price.bill_abandoned is streamed, 0
// otherwise. It is called once r.generated is brought up to the moment
// the user left. What it counts are the abandoned_streamed_* KPIs, per
// agent workload and for the run (sessionKPIs), stored with the run, so
// that run's report, show and the dashboard print them alike
// (study/caveat.AbandonedStreams); SQL finds the calls too (status
// 'abandoned' with a first token and, where billed, their revenue_usd).
func (w *World) abandonedStreamed(r *request) float64 {
	if r.firstTok < 0 {
		return 0
	}
	wl := w.workloads[r.wl]
	usd := wl.tokensUSD(int(r.prompt), int(r.cached), int(r.generated))
	st := &wl.stats
	st.abandonedStreamed++
	st.abandonedTok += int64(r.generated)
	st.abandonedUSD += usd
	if !wl.spec.Price.BillsAbandoned() {
		return 0
	}
	st.abandonedBilledUSD += usd
	st.tokenRevenueUSD += usd
	w.win.revenueUSD += usd
	if r.sess != nil {
		r.sess.tokenUSD += usd
	}
	return usd
}
