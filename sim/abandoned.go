package sim

// AbandonedStream is what an agent workload's calls had streamed when
// their users left: the calls abandoned after their first token, the
// output tokens they had generated, and what those and their prompts come
// to at the workload's token prices (cached prompt tokens at the cached
// price). Billed says whether the run booked it (price.bill_abandoned:
// streamed, in the workload's token revenue and each call's and session's
// record); otherwise it is what the choice left out (the default, nothing).
// Not stored, not sent to the sink: run's report says it where it is
// worth a cent, and SQL finds the calls (status 'abandoned' with a first
// token) and, where billed, their revenue_usd.
type AbandonedStream struct {
	Workload     string
	Calls        int64
	OutputTokens int64
	USD          float64
	Billed       bool
}

// abandonedStreamed counts what an abandoned call r had streamed (its
// first token out; one still waiting or prefilling streamed nothing) and
// returns what it bills: its prompt and the output generated so far at
// its workload's prices where price.bill_abandoned is streamed, 0
// otherwise. It is called once r.generated is brought up to the moment
// the user left.
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
	st.tokenRevenueUSD += usd
	w.win.revenueUSD += usd
	if r.sess != nil {
		r.sess.tokenUSD += usd
	}
	return usd
}

// abandonedStreams are the workloads' AbandonedStreams, in scenario order,
// for those with a call abandoned after its first token.
func (w *World) abandonedStreams() []AbandonedStream {
	var out []AbandonedStream
	for _, wl := range w.workloads {
		if st := &wl.stats; st.abandonedStreamed > 0 {
			out = append(out, AbandonedStream{Workload: wl.spec.Name, Calls: st.abandonedStreamed, OutputTokens: st.abandonedTok,
				USD: st.abandonedUSD, Billed: wl.spec.Price.BillsAbandoned()})
		}
	}
	return out
}
