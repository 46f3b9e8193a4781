package sim

import (
	"math"

	kpicat "aiecon/model/kpi"
)

// econStats are the revenue and experience counters of issue 13's mechanics,
// kept apart from workloadStats' original fields so the KPIs they feed are
// new entries rather than rewrites.
type econStats struct {
	answers int64 // user-facing answers delivered (the last model call of a completed session)
}

func (e *econStats) add(o *econStats) {
	e.answers += o.answers
}

// econKPIs adds the KPIs of econStats for one scope; agents says whether the
// scope holds agent sessions.
func (w *World) econKPIs(add addFunc, scope string, st *workloadStats, agents bool) {
	// The share of requests that ended (completed, dropped, timed out or
	// abandoned) that completed within their SLO: what the users got. A
	// request unfinished at the horizon past its TTFT SLO counts as a bad
	// experience, as it counts as a miss in slo_attainment.
	ended := st.completed + st.queueFull + st.timedOut + st.abandoned
	add(kpicat.GoodExperienceRate, scope, safeDiv(float64(st.sloMet), float64(ended+st.unfinishedLate)))
	add(kpicat.AbandonRate, scope, safeDiv(float64(st.abandoned), float64(ended)))
	add(kpicat.InputTokensPrefilled, scope, float64(st.inputTok-st.cachedTok))
	add(kpicat.InputTokensCached, scope, float64(st.cachedTok))
	if agents {
		add(kpicat.AnswersDelivered, scope, float64(st.ec.answers))
	}
	if w.ads != nil && agents {
		// What an advertiser pays per click, averaged over clicks: the
		// figure published CPC benchmarks quote. Over expected clicks, as
		// the revenue is counted (ads.go). Slots sold per impression (cpm)
		// have no price per click: their revenue over clicks would read as
		// one, so the KPI is undefined there. Its target stays: cpm bids are
		// the per-click bids solved for it, bid per mille (adcalib.go).
		paidCPC, target := safeDiv(st.adUSD, st.adExpClicks), w.ads.spec.PaidCPC
		if w.ads.spec.Pricing == "cpm" {
			paidCPC = math.NaN()
		}
		add(kpicat.AdPaidCPCUSD, scope, paidCPC)
		if scope == "" {
			add(kpicat.AdPaidCPCTargetUSD, "", target)
			add(kpicat.AdBidScale, "", w.ads.cal.scale)
			add(kpicat.AdBidMedianUSD, "", w.ads.cal.medianUSD)
		}
	}
}
