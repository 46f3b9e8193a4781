package sim

import "math"

// clampLengths fits a request into max_model_len the way serving stacks
// manage a context window: the output is kept (up to max_model_len - 1) and
// the prompt loses its oldest tokens. An agent's context then continues from
// the truncated prompt.
func (w *World) clampLengths(prompt, output int) (int, int) { return w.pools[0].clamp(prompt, output) }

// counterfactual is what session s would have earned with zero queueing and
// no latency penalty: each model call runs alone on an idle replica (its
// isolated latency), the same pre-drawn plan, bids, clicks and conversion draw
// are used, and ads and conversion see no latency penalty. Because clicks and
// conversion use the same uniforms with a multiplier at least as large, and an
// isolated call is never slower than a batched, queued one, it is never below
// what the session actually earned (TestCounterfactualNeverBelowActual).
func (w *World) counterfactual(s *session) float64 {
	am := s.am
	spec := am.spec
	ctx := int64(spec.SystemPromptTokens) + int64(s.firstMsg)
	seen := int64(spec.SystemPromptTokens)
	var rev float64
	var impressions int32
	completed := true
	for k := range s.plan {
		sp := &s.plan[k]
		if sp.docs > 0 {
			ctx += int64(sp.docs) * int64(spec.Retrieval.TokensPerDoc)
		}
		prompt, output := w.clampLengths(int(min(ctx, math.MaxInt32)), int(sp.output))
		cached := min(int(math.Floor(spec.PrefixCacheHit*float64(seen))), prompt-1)
		iso := w.isolatedNs(prompt, cached, output)
		if iso > s.effectivePatience(impressions) {
			completed = false
			break
		}
		rev += float64(prompt)*am.wl.inPerTok + float64(output)*am.wl.outPerTok
		if sp.intent {
			fresh := sp.fresh
			if sp.turnNs < 0 { // the actual session never reached this step
				fresh = w.freshness(w.eng.Now())
			}
			r, shown, _ := w.ads.run(s, k, 1, fresh, true)
			rev += r
			impressions += shown
		}
		ctx = int64(prompt + output)
		seen = ctx
		ctx += int64(sp.toolTok)
	}
	if completed {
		v := spec.Value
		rev += v.Fee
		if s.convDraw < v.Conversion*w.freshness(w.eng.Now()) {
			rev += v.OrderValue * v.TakeRate
		}
	}
	return rev
}

// isolatedNs is the latency of one model call alone on an idle replica, as
// the run's scheduler would run it (see scheduler.aloneSec).
func (w *World) isolatedNs(prompt, cached, output int) int64 {
	return secondsToNs(w.sched.aloneSec(&w.replicaEnv, prompt, cached, output))
}
