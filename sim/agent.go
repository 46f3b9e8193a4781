package sim

import (
	"math"
	"math/rand/v2"

	"aiecon/model"
	"aiecon/model/econ"
	"aiecon/sim/engine"
)

// maxSessionSteps caps a drawn step count so one session cannot run away.
const maxSessionSteps = 1000

// agentModel is the runtime side of an agent workload.
type agentModel struct {
	w    *World
	wl   *workload
	spec *model.Agent
	rng  *rand.Rand
	// adRng draws the auctions of the answer turns. A stream of its own: an
	// auction draws two numbers per bidder and one per slot, so on rng an ads
	// knob (slots, bidders, intent) would shift every later session's plan,
	// and an ads sweep would move commerce and abandonment.
	adRng *rand.Rand
	// intentRng draws whether an answer turn has commercial intent, one
	// uniform per answer whatever the outcome. Apart from adRng because
	// intent is part of the session's plan: on adRng an auction setting
	// (bidders, slots) would change which later answers have intent, and so
	// which auctions run; and one draw per answer keeps an intent_probability
	// sweep nested (the answers with intent at p are among those at p' > p).
	intentRng *rand.Rand

	steps, toolLat, toolTok, patience sampler
	// callOut draws a tool-calling step's output tokens when ownCallOut;
	// otherwise the workload's output sampler serves, as for the answer.
	callOut          sampler
	ownCallOut       bool
	ads              bool         // ads run on this workload's turns
	latencySensitive bool         // conversion feels the latency penalty
	waitOn           patienceMode // what the patience is compared with
}

func newAgentModel(w *World, wl *workload) (*agentModel, error) {
	a := wl.spec.Agent
	am := &agentModel{w: w, wl: wl, spec: a, rng: w.randFor("agent/" + wl.spec.Name),
		latencySensitive: a.Value.LatencySensitive != nil && *a.Value.LatencySensitive}
	var err error
	if am.waitOn, err = parsePatienceMode(a.PatienceOn); err != nil {
		return nil, err
	}
	if am.steps, err = newSampler(a.Steps, &w.traces); err != nil {
		return nil, err
	}
	if am.toolLat, err = newSampler(a.ToolLatency, &w.traces); err != nil {
		return nil, err
	}
	if am.toolTok, err = newSampler(a.ToolResultTokens, &w.traces); err != nil {
		return nil, err
	}
	if am.patience, err = newSampler(a.Patience, &w.traces); err != nil {
		return nil, err
	}
	if !a.ToolCallTokens.IsZero() {
		if am.callOut, err = newSampler(a.ToolCallTokens, &w.traces); err != nil {
			return nil, err
		}
		am.ownCallOut = true
	}
	if ads := w.sc.Ads; ads != nil {
		for _, name := range ads.Workloads {
			if name == wl.spec.Name {
				am.ads = true
				am.adRng = w.randFor("ads/" + wl.spec.Name)
				am.intentRng = w.randFor("ads-intent/" + wl.spec.Name)
			}
		}
	}
	return am, nil
}

// stepPlan is everything random about one step, drawn when the session
// starts so that the counterfactual worlds (counterfactual.go) see the same
// draws.
type stepPlan struct {
	output  int32
	toolNs  int64
	toolTok int32
	docs    int32
	intent  bool
	adDraws int   // offset of this step's ad draws in session.draws
	turnNs  int64 // actual model-call latency (-1 if the call did not complete)
	ttftNs  int64 // its time to first token
	cached  int32 // the completed call's prompt tokens served from the prefix cache, as billed
	// escalate: under small-first routing, the small model's answer goes on
	// to the large one; drawn with the plan, so that the worlds a session is
	// valued in escalate the same calls (common random numbers).
	escalate bool
	fresh    float64 // model freshness when the turn happened
}

// session is one agent session in flight.
type session struct {
	w    *World
	am   *agentModel
	id   int64
	step int32

	start, turnStart int64
	firstMsg         int32
	context          int64 // tokens in the conversation so far
	seen             int64 // tokens a previous model call already processed (prefix-cache candidates)
	patienceNs       int64
	plan             []stepPlan
	draws            []float64 // ad draws: per intent step, bids, relevance, click uniforms
	convDraw         float64

	call     *request
	callID   int64
	client   *closedClient // closed-loop arrivals: the user who sent it
	patience engine.Event  // Arg 0: the user's patience ran out (patience.go)
	timer    engine.Event  // Arg 1: the tool call returned
	active   bool
	// callFailed: the fleet dropped or timed out its model call
	// (onCallFailed), which ended it.
	callFailed bool

	promptTok, cachedTok, outputTok int64
	maxTurnNs                       int64
	maxTTFTNs                       int64
	docs                            int64
	impressions, clicks             int32
	tokenUSD, adUSD                 float64
	expClicks                       float64 // click-through summed over impressions
	ceilingUSD                      float64 // sessionCeiling, as it started
}

// Handle fires the session's patience (Arg 0) or its tool call's end (Arg 1).
func (s *session) Handle(ev *engine.Event) {
	if ev.Arg == 0 {
		s.patienceRanOut()
		return
	}
	s.step++
	// A tool call that returns at the horizon ends its step, but the next
	// model call would arrive at the horizon, outside the run's [0, horizon)
	// (a drained run goes on and sends it).
	if w := s.w; !w.sc.Drain && w.eng.Now() >= w.horizon {
		return
	}
	s.issueCall()
}

type sessionPool struct {
	free   []*session
	active int
}

func (w *World) activeSessions() int { return w.sessions.active }

func (p *sessionPool) get(w *World) *session {
	var s *session
	if n := len(p.free); n > 0 {
		s = p.free[n-1]
		p.free = p.free[:n-1]
		plan, draws := s.plan[:0], s.draws[:0]
		*s = session{plan: plan, draws: draws}
	} else {
		s = &session{}
	}
	s.w = w
	s.patience.Init(s, 0)
	s.timer.Init(s, 1)
	p.active++
	return s
}

func (p *sessionPool) put(s *session) {
	s.call = nil
	p.free = append(p.free, s)
	p.active--
}

// startSession draws a session's plan and issues its first model call.
// A closed-loop client (nil for open arrivals) sends its next session when
// this one ends.
func (am *agentModel) startSession(firstMsgTokens int, c *closedClient) {
	w := am.w
	s := w.sessions.get(w)
	s.am = am
	s.client = c
	s.id = w.nextSessID
	w.nextSessID++
	s.start = w.eng.Now()
	s.active = true
	w.liveSessions[s] = struct{}{}
	s.firstMsg = int32(firstMsgTokens)
	am.wl.stats.sessStarted++
	r := am.rng
	n := min(am.steps.drawCount(r, 1), maxSessionSteps)
	s.patienceNs = am.patience.drawNs(r)
	s.convDraw = r.Float64()
	for i := 0; i < n; i++ {
		// Drawn from the workload's length stream either way, so that a
		// scenario without tool_call_tokens keeps its draws.
		out := am.wl.output
		if am.ownCallOut && i < n-1 {
			out = am.callOut
		}
		sp := stepPlan{output: int32(out.drawCount(am.wl.lengths, 1)), turnNs: -1}
		if i < n-1 { // the last model call answers the user: no tool call after it
			sp.toolNs = am.toolLat.drawNs(r)
			sp.toolTok = int32(am.toolTok.drawCount(r, 0))
		}
		if rt := am.spec.Retrieval; rt != nil && r.Float64() < rt.Probability {
			sp.docs = int32(rt.DocsPerStep)
		}
		// Only the last call's answer reaches the user (the others call
		// tools), so only it can carry sponsored results.
		if am.ads && i == n-1 {
			sp.intent = am.intentRng.Float64() < w.sc.Ads.IntentProbability
			if sp.intent {
				sp.adDraws = len(s.draws)
				s.draws = w.ads.draw(s.draws, am.adRng)
			}
		}
		sp.escalate = w.models.drawEscalation(am.wl.idx)
		s.plan = append(s.plan, sp)
	}
	s.context = int64(am.spec.SystemPromptTokens)
	s.seen = s.context // the system prompt is shared by every session: a prefix-cache candidate
	s.context += int64(firstMsgTokens)
	if am.waitOn != patienceTurn { // the user waits from the message on
		s.armPatience(s.start)
	}
	s.ceilingUSD = w.sessionCeiling(s)
	am.wl.stats.ceilingUSD += s.ceilingUSD
	s.issueCall()
}

// issueCall sends step s.step's model call with the whole context so far.
func (s *session) issueCall() {
	w, am := s.w, s.am
	sp := &s.plan[s.step]
	if sp.docs > 0 {
		s.context += int64(sp.docs) * int64(am.spec.Retrieval.TokensPerDoc)
		s.docs += int64(sp.docs)
	}
	r := w.newRequest(am.wl, int(min(s.context, math.MaxInt32)), int(sp.output), am.fixedCached(s.seen))
	r.sess = s
	r.prefix = am.prefixRef(s, r)
	r.step = s.step
	r.escalate = sp.escalate
	s.call, s.callID = r, r.id
	s.promptTok += int64(r.prompt)
	s.cachedTok += int64(r.cached)
	s.turnStart = w.eng.Now()
	if am.waitOn == patienceTurn {
		s.armPatience(s.turnStart)
	}
	w.submit(r)
}

// refitEscalated fits an agent call escalated to the large model (whose
// prompt was prompt tokens, cached of them, on the small one) to its
// prefix cache: the large replica that takes it looks its prefix up afresh
// (the system prompt, and what the session's earlier escalated calls left
// there), as the small replica's hit is not in the large model's memory,
// or a fixed prefix_cache_hit applies again, wherever the call runs. The
// session counts the call's tokens as the large model serves them, as the
// call's request record does.
func (s *session) refitEscalated(r *request, prompt, cached int32) {
	am := s.am
	r.prefix = am.prefixRef(s, r)
	r.cached = int32(min(am.fixedCached(s.seen), int(r.prompt)-1))
	s.promptTok += int64(r.prompt) - int64(prompt)
	s.cachedTok += int64(r.cached) - int64(cached)
}

// onCallDone continues the session after a model call completed.
func (s *session) onCallDone(r *request, tokenUSD float64) {
	w, am := s.w, s.am
	now := w.eng.Now()
	if am.waitOn == patienceTurn {
		w.eng.Cancel(&s.patience)
	}
	turn := now - s.turnStart
	sp := &s.plan[s.step]
	sp.turnNs = turn
	sp.ttftNs = r.firstTok - s.turnStart
	sp.cached = r.cached
	s.maxTurnNs = max(s.maxTurnNs, turn)
	s.maxTTFTNs = max(s.maxTTFTNs, sp.ttftNs)
	s.callEnded(r)
	s.tokenUSD += tokenUSD
	s.context = int64(r.prompt) + int64(r.output)
	s.seen = s.context
	sp.fresh = w.freshness(now)
	if sp.intent {
		// The penalty curve is about responsiveness (first-response latency;
		// its 300 ms default is Rufus's stated latency SLA), so it takes the
		// turn's time to first token.
		rev, shown, clicks, expClicks := w.ads.run(s, int(s.step), w.latencyMult(float64(sp.ttftNs)/1e9), sp.fresh, false)
		s.adUSD += rev
		s.impressions += shown
		s.clicks += clicks
		s.expClicks += expClicks
		w.win.revenueUSD += rev
	}
	if int(s.step) == len(s.plan)-1 {
		am.wl.stats.ec.answers++
		w.endSession(s, SessionCompleted)
		return
	}
	s.context += int64(sp.toolTok)
	w.eng.Schedule(&s.timer, engine.Later(now, sp.toolNs))
}

// onCallFailed ends the session when its model call was dropped (a full
// queue, no replica up) or timed out in the queue. Its user is left without
// an answer whatever the patience, so it ends abandoned, as the store has
// always counted such sessions, and marked failed: the fleet's failure, not
// the user's (sessions_failed, session_fail_rate).
func (s *session) onCallFailed(r *request) {
	if s.call != r {
		return
	}
	s.callEnded(r)
	s.callFailed = true
	s.w.endSession(s, SessionAbandoned)
}

// callEnded counts what the session's model call r generated, as its
// request record does: a call cut short (dropped, abandoned, unfinished)
// adds the tokens it had generated, so the session's output tokens are the
// sum over its requests, as its prompt and cached tokens are.
func (s *session) callEnded(r *request) {
	s.call = nil
	s.outputTok += int64(r.generated)
}

// abandonSession: the user's patience ran out.
func (w *World) abandonSession(s *session) {
	if r := s.call; r != nil {
		s.call = nil
		w.cancelRequest(r) // calls nothing back but callEnded; its record keeps the session
	}
	w.endSession(s, SessionAbandoned)
}

// stepsDone is how many of the session's steps were done: those whose model
// call completed, a step whose tool call was still running included. The
// fleet's part of that step is over (the tool runs outside it and always
// returns), so steps_done equals the session's completed request rows, and
// a session abandoned during a tool call does not disown the answer it got.
func (s *session) stepsDone() int32 {
	if int(s.step) < len(s.plan) && s.plan[s.step].turnNs >= 0 {
		return s.step + 1
	}
	return s.step
}

// billedDiscountUSD is what the session's completed calls were billed
// below the input price for their cached prompt tokens: 0 where the
// workload gives no cached price, so an unfinished session's value is the
// one of builds before the cached price, to the bit.
func (s *session) billedDiscountUSD() float64 {
	off := s.am.wl.prices.CachedOffUSD
	if off == 0 {
		return 0
	}
	var cached int64
	for k := range s.plan {
		if sp := &s.plan[k]; sp.turnNs >= 0 { // completed, as billedCached
			cached += int64(sp.cached)
		}
	}
	return float64(cached) * off
}

// endNs is a session record's end: now, or unset (-1, NULL in the store)
// for a session still running at the horizon.
func endNs(status SessionStatus, now int64) int64 {
	if status == SessionUnfinished {
		return -1
	}
	return now
}

// endSession values the session, records it and frees it.
func (w *World) endSession(s *session, status SessionStatus) {
	if !s.active {
		return
	}
	s.active = false
	w.eng.Cancel(&s.patience)
	w.eng.Cancel(&s.timer)
	delete(w.liveSessions, s)
	now := w.eng.Now()
	am := s.am
	st := &am.wl.stats
	rec := SessionRecord{ID: s.id, Workload: int32(am.wl.idx), Status: status, StartNs: s.start, EndNs: endNs(status, now),
		StepsPlanned: int32(len(s.plan)), PromptTokens: s.promptTok, CachedTokens: s.cachedTok, OutputTokens: s.outputTok,
		ContextTokens: s.context, MaxTurnNs: s.maxTurnNs, AdImpressions: s.impressions, AdClicks: s.clicks,
		TokenUSD: s.tokenUSD, AdUSD: s.adUSD}
	switch status {
	case SessionCompleted:
		rec.StepsDone = s.stepsDone()
		st.sessCompleted++
		w.completedValue(s, &rec, now)
	case SessionAbandoned:
		rec.StepsDone = s.stepsDone()
		st.sessAbandoned++
		w.win.abandoned++
		if rec.Failed = s.callFailed; rec.Failed {
			st.sessFailed++
		}
	default:
		rec.StepsDone = s.stepsDone()
		st.sessUnfinished++
		// What it could still earn: its ceiling less the tokens (and any
		// ads) it has already billed, which revenue counts. The ceiling
		// bills every prompt whole at the input price, so the billed calls
		// come off it at that price too (billedDiscountUSD): the cached
		// discount they were given is no revenue still to earn.
		st.unfinishedUSD += max(0, s.ceilingUSD-(rec.TokenUSD+s.billedDiscountUSD())-rec.AdUSD)
	}
	earned := rec.FeeUSD + rec.TokenUSD + rec.CommerceUSD + rec.AdUSD
	if rt := am.spec.Retrieval; rt != nil {
		rec.LicensingUSD = econ.LicensingFeeUSD(s.docs, rt.FeePerDoc) + econ.RevenueShareUSD(earned, rt.RevenueShare)
	}
	if status != SessionUnfinished {
		actual := earnings{docs: s.docs}
		actual.line = [numLines]float64{lineAPI: rec.TokenUSD, lineAds: rec.AdUSD, lineCommerce: rec.CommerceUSD, lineFees: rec.FeeUSD}
		rec.CounterfactUSD = w.valueSession(s, &actual)
	}
	st.feeUSD += rec.FeeUSD
	st.commerceUSD += rec.CommerceUSD
	if rec.Converted {
		st.sessConverted++
	}
	st.adUSD += rec.AdUSD
	st.licensingUSD += rec.LicensingUSD
	st.adImpressions += int64(s.impressions)
	st.adClicks += int64(s.clicks)
	st.adExpClicks += s.expClicks
	st.commerceSq += rec.CommerceUSD * rec.CommerceUSD
	st.adSq += rec.AdUSD * rec.AdUSD
	w.win.revenueUSD += rec.FeeUSD + rec.CommerceUSD
	w.win.costArea += rec.LicensingUSD
	w.out.session(rec, w)
	if s.client != nil {
		s.client.ended(status != SessionCompleted)
	}
	w.sessions.put(s)
	w.stopIfDrained()
}

// completedValue sets a completed session's fee and commerce in rec.
func (w *World) completedValue(s *session, rec *SessionRecord, now int64) {
	am := s.am
	v := am.spec.Value
	rec.FeeUSD = v.Fee
	mult := w.freshness(now)
	if am.latencySensitive { // the slowest first response of the session
		mult *= w.latencyMult(float64(s.maxTTFTNs) / 1e9)
	}
	// Commerce is the session's expected take, the chance it converts
	// times an order's take, for the reason ads earn price x
	// click-through (ads.go): a few dozen drawn orders an hour would
	// make the line, 98% of the built-ins' revenue, a roll of the dice.
	// The drawn conversion stays in the record.
	p := conversionProb(v.Conversion, mult)
	rec.Converted = s.convDraw < p
	rec.CommerceUSD = p * v.CommerceUSD()
	am.wl.stats.convExpected += p
}

// conversionProb is a completed session's chance to convert: the base
// conversion times the freshness and latency multipliers, at most 1.
func conversionProb(base, mult float64) float64 { return min(base*mult, 1) }

// freshness is the click-through and conversion multiplier of model age.
func (w *World) freshness(now int64) float64 {
	t := w.sc.Training
	if t == nil {
		return 1
	}
	var dedicatedS float64
	if w.training != nil {
		dedicatedS = w.training.dedicatedS
	}
	return freshnessAt(t, dedicatedS, now)
}

// freshnessAt is the freshness multiplier at time now of a run retrained
// as t says, one retrain taking dedicatedS on the dedicated cluster (not
// counted for a fleet-idle retrain, whose age counts from its cadence
// point: the lent replicas' share is known only at the end).
func freshnessAt(t *model.Training, dedicatedS float64, now int64) float64 {
	var trainNs int64
	if t.Where != "fleet-idle" {
		// Clamped: a retrain of 10^15 tokens takes 2.9e19 ns, past int64.
		trainNs = int64(min(dedicatedS*1e9, 1<<61))
	}
	age := modelAgeNs(int64(t.AgeAtStart)+now, int64(t.Every), trainNs)
	return econ.Freshness(float64(age)/float64(model.Day), t.HalfLife.Seconds()/86400, t.Floor)
}

// MeanFreshness is the time average over a run of horizonNs of the
// multiplier freshness puts on click-through and conversion, under
// training t whose retrain takes retrainHours on the dedicated cluster
// (the run's training_retrain_hours); NaN without training, where
// freshness is not modelled and the base figures are taken as they are.
// A forecast names it when some of its periods model freshness and others
// do not: their ads and commerce then differ by a change of model.
func MeanFreshness(t *model.Training, retrainHours float64, horizonNs int64) float64 {
	if t == nil {
		return math.NaN()
	}
	const n = 512 // midpoints; a run of minutes sees one smooth stretch of a cadence of days
	sum := 0.0
	for i := range n {
		sum += freshnessAt(t, retrainHours*3600, int64((float64(i)+0.5)/n*float64(horizonNs)))
	}
	return sum / n
}

// modelAgeNs is the age of the model serving at time t, counted from the
// start of its retrain. t is counted from a cadence point, and a retrain
// starts at every cadence point (age_at_start is the time since the last
// one at the run's start); a retrain serves once trained, trainNs later,
// its predecessor serving meanwhile. So a model is never younger than its
// training took: a 1-day cadence of 40-hour retrains serves models 40 to
// 64 hours old, not 0 to 24 (which resetting the age at each cadence point
// claimed). Without training time it is t mod the period.
func modelAgeNs(t, periodNs, trainNs int64) int64 {
	d := t - trainNs
	k := d / periodNs // the last retrain serving by t, floored (d may be negative)
	if d%periodNs != 0 && d < 0 {
		k--
	}
	return t - k*periodNs
}

// latencyMult is the ads latency curve (1 without ads).
func (w *World) latencyMult(latencyS float64) float64 {
	ads := w.sc.Ads
	if ads == nil {
		return 1
	}
	lp := ads.LatencyPenalty
	return econ.LatencyPenalty(latencyS, lp.Threshold.Seconds(), lp.LossPer100ms, lp.Floor)
}
