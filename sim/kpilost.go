package sim

import kpicat "aiecon/model/kpi"

// lostNames are the KPIs of revenue and margin lost to one cause: total and
// by revenue line (indexed like earnings.line).
type lostNames struct {
	revenue, margin         string
	revenueLine, marginLine [numLines]string
	from, to                int // the worlds whose difference is the loss
}

var lostCauses = []lostNames{
	{kpicat.RevenueLostToQueueingUSD, kpicat.MarginLostToQueueingUSD,
		[numLines]string{kpicat.RevenueLostToQueueingAPIUSD, kpicat.RevenueLostToQueueingAdsUSD,
			kpicat.RevenueLostToQueueingCommerceUSD, kpicat.RevenueLostToQueueingAgentFeesUSD},
		[numLines]string{kpicat.MarginLostToQueueingAPIUSD, kpicat.MarginLostToQueueingAdsUSD,
			kpicat.MarginLostToQueueingCommerceUSD, kpicat.MarginLostToQueueingAgentFeesUSD},
		worldActual, worldNoContention},
	{kpicat.RevenueLostToServiceTimeUSD, kpicat.MarginLostToServiceTimeUSD,
		[numLines]string{kpicat.RevenueLostToServiceTimeAPIUSD, kpicat.RevenueLostToServiceTimeAdsUSD,
			kpicat.RevenueLostToServiceTimeCommerceUSD, kpicat.RevenueLostToServiceTimeAgentFeesUSD},
		[numLines]string{kpicat.MarginLostToServiceTimeAPIUSD, kpicat.MarginLostToServiceTimeAdsUSD,
			kpicat.MarginLostToServiceTimeCommerceUSD, kpicat.MarginLostToServiceTimeAgentFeesUSD},
		worldNoContention, worldInstant},
}

// lostKPIs reports what latency cost the sessions that ended and the API
// and batch requests that ended: to queueing (actual against the same
// hardware without contention) and to service time (that against an
// instantaneous model), by revenue line, as revenue and as margin after the
// licensing contract. The per-line margins net the revenue share; the total
// margin also nets the per-document fees, which belong to no line (a
// session that goes further retrieves more). Queueing plus service time is
// revenue_lost_to_latency_usd.
func lostKPIs(add addFunc, scope string, st *workloadStats) {
	worlds := withRequests(st)
	for _, c := range lostCauses {
		from, to := &worlds[c.from], &worlds[c.to]
		var rev, margin float64
		for i := range numLines {
			dr, dm := to.revenue[i]-from.revenue[i], to.margin[i]-from.margin[i]
			add(c.revenueLine[i], scope, dr)
			add(c.marginLine[i], scope, dm)
			rev += dr
			margin += dm
		}
		add(c.revenue, scope, rev)
		add(c.margin, scope, margin-(to.docFeeUSD-from.docFeeUSD))
	}
	add(kpicat.RevenueLostToLatencyUSD, scope, sumLines(&worlds[worldInstant].revenue)-sumLines(&worlds[worldActual].revenue))
}

// withRequests is the sessions' worlds with the API and batch requests that
// ended added to them. A request that completed billed the same in every
// world (a token price does not move with latency), so it changes no
// difference and is left out; one dropped or timed out would have billed
// its tokens in both counterfactual worlds, where it runs alone on an idle
// replica, so it is lost to queueing, as revenue and as margin (no revenue
// share applies to it). One still running at the horizon is in none.
func withRequests(st *workloadStats) [numWorlds]moneyByLine {
	worlds := st.money
	for _, w := range []int{worldNoContention, worldInstant} {
		worlds[w].revenue[lineAPI] += st.droppedUSD
		worlds[w].margin[lineAPI] += st.droppedUSD
	}
	return worlds
}
