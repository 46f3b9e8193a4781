package sim

import (
	"math"

	"aiecon/model/econ"
)

// Revenue lines of an agent session, in the order of the lost-revenue KPIs
// (kpilost.go).
const (
	lineAPI      = iota // tokens, at the workload's API price
	lineAds             // ad clicks (or impressions, cpm)
	lineCommerce        // take on converted orders
	lineFees            // the per-session fee
	numLines
)

// Worlds a session is valued in: what happened, the same hardware without
// contention, and an instantaneous model. Queueing costs the first step,
// service time the second.
const (
	worldActual = iota
	worldNoContention
	worldInstant
	numWorlds
)

// earnings is what one session earns in one world, by revenue line, and
// the documents its retrievals license.
type earnings struct {
	line [numLines]float64
	docs int64
}

// sumLines is the total over every revenue line.
func sumLines(l *[numLines]float64) float64 {
	var t float64
	for _, v := range l {
		t += v
	}
	return t
}

// callLatency is how long a model call (its plan sp, with these lengths)
// takes in a counterfactual world: to its first token and in all.
type callLatency func(pl *fleetPool, sp *stepPlan, prompt, cached, output int) (ttftNs, e2eNs int64)

// noContention is a call alone on an idle replica of the pool pl that
// serves it, as the pool's scheduler would run it (scheduler.aloneSec; its first token is
// the same call cut to one output token). A call that completed in the run
// keeps its actual latency where that was shorter: no contention cannot slow
// a call down, and the alone estimate (decode priced at the mean context,
// iterations summed in seconds rather than nanoseconds) can differ by a hair
// from a call that in fact ran alone.
func noContention(pl *fleetPool, sp *stepPlan, prompt, cached, output int) (int64, int64) {
	ttft := isolatedNs(pl, prompt, cached, 1)
	e2e := isolatedNs(pl, prompt, cached, output)
	if sp.turnNs >= 0 {
		ttft, e2e = min(ttft, sp.ttftNs), min(e2e, sp.turnNs)
	}
	return ttft, e2e
}

// instantaneous is a model that answers in no time.
func instantaneous(*fleetPool, *stepPlan, int, int, int) (int64, int64) { return 0, 0 }

// isolatedNs is the latency of one model call alone on an idle replica of
// pool pl, as its scheduler would run it (see scheduler.aloneSec).
func isolatedNs(pl *fleetPool, prompt, cached, output int) int64 {
	return secondsToNs(pl.env.sched.aloneSec(pl.env, prompt, cached, output))
}

// seenBy is what a session's earlier calls processed, for its prefix-cache
// hits in a counterfactual world: all of it (a fixed prefix_cache_hit's
// base, wherever the call runs), and what they left in the cache of each
// model they reached: pool[0] the one the session's calls are routed to,
// pool[1] the large model of prompt-length or small-first routing (the
// only other one a session's calls reach), which holds only what the calls
// it served left there. Each starts with the system prompt, which other
// sessions' calls keep cached.
type seenBy struct {
	all  int64
	pool [2]int64
}

func newSeenBy(systemPrompt int64) seenBy {
	return seenBy{all: systemPrompt, pool: [2]int64{systemPrompt, systemPrompt}}
}

// on is what the earlier calls left in pool pl's cache.
func (sb *seenBy) on(w *World, pl *fleetPool) *int64 {
	if w.models != nil && pl == w.models.large {
		return &sb.pool[1]
	}
	return &sb.pool[0]
}

// callIn is one model call of a session in a world whose calls take lat:
// on the pool it is routed to, whose max_model_len, cache and hardware
// price it, and, where it is escalated (small-first), then on the large
// model too (its prompt prefilled afresh but for what the large model's
// cache holds of the session, as an escalated call's is), its first token
// and end coming after the small model's whole answer. Escalations are
// drawn with the plan, so every world escalates the same calls. The
// lengths returned are those of the answer the user gets, with the prompt
// tokens its model finds cached; seen moves on to what the call leaves in
// each model's cache (as storePrefix leaves it: its prompt and output but
// the last generated token, never computed; an escalated call's small
// model keeps its prompt alone).
func (w *World) callIn(lat callLatency, am *agentModel, sp *stepPlan, ctx int64, seen *seenBy) (prompt, cached, output int, ttft, e2e int64) {
	asked := int(min(ctx, math.MaxInt32))
	pl := w.poolFor(am.wl.idx, asked)
	prompt, output = pl.clamp(asked, int(sp.output), true)
	cached = min(am.aloneCached(pl, seen.all, *seen.on(w, pl)), prompt-1)
	ttft, e2e = lat(pl, sp, prompt, cached, output)
	if !sp.escalate || w.models == nil || pl != w.models.small {
		*seen.on(w, pl) = computedKV(prompt, output)
		seen.all = int64(prompt + output)
		return prompt, cached, output, ttft, e2e
	}
	*seen.on(w, pl) = int64(prompt)
	large := w.models.large
	prompt, output = large.clamp(asked, int(sp.output), true)
	cached = min(am.aloneCached(large, seen.all, *seen.on(w, large)), prompt-1)
	lt, le := lat(large, sp, prompt, cached, output)
	ttft, e2e = e2e+lt, e2e+le
	if sp.turnNs >= 0 { // no world is slower than the actual call (as noContention)
		ttft, e2e = min(ttft, sp.ttftNs), min(e2e, sp.turnNs)
	}
	*seen.on(w, large) = computedKV(prompt, output)
	seen.all = int64(prompt + output)
	return prompt, cached, output, ttft, e2e
}

// computedKV is the tokens whose KV entries a call of prompt and output
// tokens computed, and so leaves in its replica's cache: all but its last
// generated token, as storePrefix caches them (vLLM never computes the
// last token's entry).
func computedKV(prompt, output int) int64 { return int64(prompt + max(output-1, 0)) }

// billedCached is the cached prompt tokens a world bills a call at the
// cached input price. A call the actual session completed is billed as it
// was (its cache hit is the run's, not its latency's, so a cached price
// moves no revenue between the worlds); one it did not complete as the
// world serves it, alone on a replica that holds its earlier context
// (alone, callIn's), or, for the session's ceiling, at the input price
// whole, the most it can bill.
func billedCached(sp *stepPlan, alone int, ceiling bool) int {
	switch {
	case sp.turnNs >= 0:
		return int(sp.cached)
	case ceiling:
		return 0
	}
	return alone
}

// replay is what session s would have earned in a world whose model calls
// take lat: the same pre-drawn plan (steps, lengths, tool calls, retrieval),
// bids and patience as the actual session, its ads and commerce valued at
// their expectations as the run values them, so the worlds differ only in
// latency (common random numbers). It draws
// nothing, so the actual run's streams are untouched. The user gives up as
// the patience timers would (patience.go); the ads latency curve takes each
// call's time to first token, conversion the slowest one, as in the run.
// Every latency of the no-contention world is at most the actual one and
// every latency of the instantaneous world is zero, and the penalty curves
// never rise with latency, so actual <= no contention <= instantaneous on
// every line (TestLostRevenueIsNonNegative).
func (w *World) replay(s *session, lat callLatency) earnings {
	return w.replayWith(s, lat, w.freshness, false)
}

// replayWith is replay with the model's freshness at a time given by
// freshAt, for a call the actual session did not complete and for
// commerce (the run's: w.freshness). With ceiling, a call the actual
// session did not complete bills its whole prompt at the input price
// (billedCached).
func (w *World) replayWith(s *session, lat callLatency, freshAt func(now int64) float64, ceiling bool) earnings {
	am := s.am
	spec := am.spec
	now := w.eng.Now()
	ctx := int64(spec.SystemPromptTokens) + int64(s.firstMsg)
	seen := newSeenBy(int64(spec.SystemPromptTokens))
	var e earnings
	var impressions int32
	var waited, maxTTFT int64
	last := len(s.plan) - 1
	for k := range s.plan {
		sp := &s.plan[k]
		if sp.docs > 0 { // licensed when the call is sent, answered or not
			ctx += int64(sp.docs) * int64(spec.Retrieval.TokensPerDoc)
			e.docs += int64(sp.docs)
		}
		prompt, cached, output, ttft, e2e := w.callIn(lat, am, sp, ctx, &seen)
		if s.gaveUp(k, waited, ttft, e2e, impressions) {
			return e
		}
		e.line[lineAPI] += am.wl.tokensUSD(prompt, billedCached(sp, cached, ceiling), output)
		maxTTFT = max(maxTTFT, ttft)
		if sp.intent {
			fresh := sp.fresh
			if sp.turnNs < 0 { // the actual session never completed this call
				fresh = freshAt(now)
			}
			rev, shown, _, _ := w.ads.run(s, k, w.latencyMult(float64(ttft)/1e9), fresh, true)
			e.line[lineAds] += rev
			impressions += shown
		}
		if k < last {
			waited += e2e + sp.toolNs
			if s.gaveUpWaiting(waited) {
				return e
			}
		}
		ctx = int64(prompt + output)
		ctx += int64(sp.toolTok)
	}
	v := spec.Value
	e.line[lineFees] = v.Fee
	mult := freshAt(now)
	if am.latencySensitive {
		mult *= w.latencyMult(float64(maxTTFT) / 1e9)
	}
	e.line[lineCommerce] = conversionProb(v.Conversion, mult) * v.CommerceUSD() // expected, as in the run (endSession)
	return e
}

// moneyByLine accumulates what sessions earned in one world, by revenue
// line, as revenue and as margin after the licensing contract.
type moneyByLine struct {
	revenue, margin [numLines]float64 // margin: after the revenue share
	docFeeUSD       float64           // per-document licensing fees
}

// add values one session's earnings under its workload's licensing
// contract (none without retrieval).
func (m *moneyByLine) add(e *earnings, am *agentModel) {
	share, feePerDoc := 0.0, 0.0
	if rt := am.spec.Retrieval; rt != nil {
		share, feePerDoc = rt.RevenueShare, rt.FeePerDoc
	}
	for i, v := range e.line {
		m.revenue[i] += v
		m.margin[i] += v - econ.RevenueShareUSD(v, share)
	}
	m.docFeeUSD += econ.LicensingFeeUSD(e.docs, feePerDoc)
}

func (m *moneyByLine) addAll(o *moneyByLine) {
	for i := range m.revenue {
		m.revenue[i] += o.revenue[i]
		m.margin[i] += o.margin[i]
	}
	m.docFeeUSD += o.docFeeUSD
}

// valueSession values an ended session in the three worlds and returns
// what it would have earned without contention.
func (w *World) valueSession(s *session, actual *earnings) float64 {
	st := &s.am.wl.stats
	st.money[worldActual].add(actual, s.am)
	if w.skipCounterfactuals {
		return 0
	}
	nc := w.replay(s, noContention)
	inst := w.replay(s, instantaneous)
	st.money[worldNoContention].add(&nc, s.am)
	st.money[worldInstant].add(&inst, s.am)
	return sumLines(&nc.line)
}

// sessionCeiling is the most session s can earn in any run of its plan
// (revenue_ceiling_usd): valued, when it starts, as replay values it in a
// world whose model calls take no time and whose model is as fresh as it
// gets (econ.Freshness is at most 1), every prompt at the input price
// (billedCached: a cached input price is at most it). Its plan, bids and patience are
// drawn from the workload's own streams as it starts, so every fleet that
// serves the same arrivals runs the same plan, and on that plan no latency
// earns more than none (replay).
func (w *World) sessionCeiling(s *session) float64 {
	e := w.replayWith(s, instantaneous, func(int64) float64 { return 1 }, true)
	return sumLines(&e.line)
}
