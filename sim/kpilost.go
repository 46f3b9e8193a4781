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

// lostKPIs reports what latency cost the sessions that ended: to queueing
// (actual against the same hardware without contention) and to service
// time (that against an instantaneous model), by revenue line, as revenue
// and as margin after the licensing contract. The per-line margins net the
// revenue share; the total margin also nets the per-document fees, which
// belong to no line (a session that goes further retrieves more). Queueing
// plus service time is revenue_lost_to_latency_usd.
func lostKPIs(add addFunc, scope string, st *workloadStats) {
	for _, c := range lostCauses {
		from, to := &st.money[c.from], &st.money[c.to]
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
	add(kpicat.RevenueLostToLatencyUSD, scope, sumLines(&st.money[worldInstant].revenue)-sumLines(&st.money[worldActual].revenue))
}
