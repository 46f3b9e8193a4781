package sim

import (
	"fmt"
	"math"

	"aiecon/model"
	"aiecon/sim/engine"
)

// patienceMode is what an agent user's patience is compared with
// (workloads[].agent.patience_on).
type patienceMode uint8

const (
	// patienceTTFT: from the user's message to the first visible token of
	// the answer (the last model call); tool-calling steps are waiting too.
	patienceTTFT patienceMode = iota
	// patienceE2E: from the user's message to the answer's last token.
	patienceE2E
	// patienceTurn: each model call's whole duration on its own.
	patienceTurn
)

func parsePatienceMode(s string) (patienceMode, error) {
	switch s {
	case model.PatienceTTFT:
		return patienceTTFT, nil
	case model.PatienceE2E:
		return patienceE2E, nil
	case model.PatienceTurn:
		return patienceTurn, nil
	}
	return 0, fmt.Errorf("patience_on %q: want %s, %s or %s", s, model.PatienceTTFT, model.PatienceE2E, model.PatienceTurn)
}

// armPatience starts the wait the user's patience is compared with: at the
// user's message (ttft, e2e), or at each model call (turn).
func (s *session) armPatience(from int64) {
	s.w.eng.Schedule(&s.patience, engine.Later(from, s.effectivePatience(s.impressions)))
}

// patienceRanOut abandons the session unless what the user waits for has
// already come: in ttft mode, the answer's first token (the session then
// ends when the answer completes, whatever its decoding takes).
func (s *session) patienceRanOut() {
	if s.am.waitOn == patienceTTFT && s.answerVisible() {
		return
	}
	s.w.abandonSession(s)
}

// answerVisible reports whether the answer (the last model call) is
// streaming to the user: not a small model's answer that will be escalated
// (small-first), which the user never sees.
func (s *session) answerVisible() bool {
	last := int(s.step) == len(s.plan)-1
	return last && s.call != nil && s.call.firstTok >= 0 && (s.call.escalated || !s.plan[s.step].escalate)
}

// effectivePatience shortens patience by abandon_per_ad per ad shown so far.
func (s *session) effectivePatience(adsShown int32) int64 {
	f := 1.0
	if ads := s.w.sc.Ads; ads != nil && ads.AbandonPerAd > 0 {
		f = math.Max(0, 1-ads.AbandonPerAd*float64(adsShown))
	}
	return int64(float64(s.patienceNs) * f)
}

// gaveUp reports whether the user gives up during model call k of a
// session replayed in a counterfactual world (counterfactual.go), having
// waited waitedNs since the message before the call, when the call takes
// ttftNs to its first token and e2eNs in all, with impressions ads shown
// before it. It mirrors the timers above: in turn mode the patience is
// armed at each call with the ads shown so far, otherwise once, at the
// message, before any ad.
func (s *session) gaveUp(k int, waitedNs, ttftNs, e2eNs int64, impressions int32) bool {
	switch {
	case s.am.waitOn == patienceTurn:
		return e2eNs > s.effectivePatience(impressions)
	case k == len(s.plan)-1 && s.am.waitOn == patienceTTFT:
		return waitedNs+ttftNs > s.effectivePatience(0)
	default:
		return waitedNs+e2eNs > s.effectivePatience(0)
	}
}

// gaveUpWaiting reports whether, outside turn mode, the user gives up
// during a tool call, having waited waitedNs since the message when it
// returns.
func (s *session) gaveUpWaiting(waitedNs int64) bool {
	return s.am.waitOn != patienceTurn && waitedNs > s.effectivePatience(0)
}
