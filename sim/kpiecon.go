package sim

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
	// abandoned) that completed within their SLO: what the users got.
	ended := st.completed + st.queueFull + st.timedOut + st.abandoned
	add("good_experience_rate", scope, safeDiv(float64(st.sloMet), float64(ended)), "fraction")
	add("abandon_rate", scope, safeDiv(float64(st.abandoned), float64(ended)), "fraction")
	add("input_tokens_prefilled", scope, float64(st.inputTok-st.cachedTok), "tok")
	add("input_tokens_cached", scope, float64(st.cachedTok), "tok")
	if agents {
		add("answers_delivered", scope, float64(st.ec.answers), "count")
	}
	if w.ads != nil && agents {
		// What an advertiser pays per click, averaged over clicks: the
		// figure published CPC benchmarks quote.
		add("ad_paid_cpc_usd", scope, safeDiv(st.adUSD, float64(st.adClicks)), "USD")
		if scope == "" {
			add("ad_paid_cpc_target_usd", "", w.ads.spec.PaidCPC, "USD")
			add("ad_bid_scale", "", w.ads.cal.scale, "factor")
			add("ad_bid_median_usd", "", w.ads.cal.medianUSD, "USD")
		}
	}
}
