package model

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
)

// distKind says what a distribution draws, for unit checks and defaults.
type distKind int

const (
	distTokens   distKind = iota // counts of tokens (>= 0, plain numbers)
	distCount                    // counts of steps (>= 1)
	distDuration                 // durations, written with units
	distMoney                    // USD
	distScore                    // a positive multiplier
)

func (r *resolver) workloads() {
	sc := r.sc
	if len(sc.Workloads) == 0 {
		r.bad("workloads", "required: at least one workload")
		return
	}
	if len(sc.Workloads) > MaxWorkloads {
		r.bad("workloads", "%d workloads; at most %d", len(sc.Workloads), MaxWorkloads)
	}
	seen := map[string]bool{}
	for i := range sc.Workloads {
		w := &sc.Workloads[i]
		p := fmt.Sprintf("workloads[%d]", i)
		if w.Name == "" {
			r.bad(p+".name", "required")
		} else if msg := BadLabel(w.Name); msg != "" {
			r.bad(p+".name", "%s", msg)
		} else if msg := BadSelectorName(w.Name); msg != "" {
			r.bad(p+".name", "%s", msg)
		} else if seen[w.Name] {
			r.bad(p+".name", "duplicate workload name %q", w.Name)
		}
		seen[w.Name] = true
		if w.Class == "" { // not `unknown class ""`: the field is left out
			r.bad(p+".class", "required: api, agent or batch")
		} else if !oneOf(w.Class, ClassAPI, ClassAgent, ClassBatch) {
			r.bad(p+".class", "unknown class %q (allowed: api, agent, batch)", w.Class)
		}
		if w.Priority < 0 || w.Priority > 100 {
			r.bad(p+".priority", "%d is out of range (allowed: 0 to 100; lower is served first)", w.Priority)
		}
		r.arrivals(p+".arrivals", &w.Arrivals)
		traceLengths := w.Arrivals.Process == "trace" && w.Arrivals.Trace != nil && w.Arrivals.Trace.Lengths == "trace"
		if w.PromptTokens.IsZero() {
			if !traceLengths {
				r.bad(p+".prompt_tokens", "required (a number or a distribution)")
			}
		} else {
			r.dist(p+".prompt_tokens", &w.PromptTokens)
		}
		if w.OutputTokens.IsZero() {
			if !traceLengths {
				r.bad(p+".output_tokens", "required (a number or a distribution)")
			}
		} else {
			r.dist(p+".output_tokens", &w.OutputTokens)
		}
		// A model call reads at least one token and generates at least its
		// first (a fixed 0 was run as one, silently).
		for _, f := range []struct {
			field string
			d     Dist
		}{{"prompt_tokens", w.PromptTokens}, {"output_tokens", w.OutputTokens}} {
			if f.d.Kind == "fixed" && f.d.Trace == "" && f.d.Value < 1 && f.d.Value >= 0 {
				r.bad(p+"."+f.field, "%g: a model call has at least one token of each (prompt and output)", f.d.Value)
			}
		}
		r.priceAndSLO(p, w)
		switch {
		case w.Class == ClassAgent:
			r.agent(p+".agent", w.Agent)
		case w.Agent != nil:
			r.badBecause(p+".agent", p+".class", "only meaningful for class agent")
		}
	}
}

// priceAndSLO checks a workload's prices and latency targets. Each field
// is named on its own, so that the error points at the line (or the
// --set) that wrote it.
func (r *resolver) priceAndSLO(p string, w *Workload) {
	for _, f := range []struct {
		field string
		v     float64
	}{{"input_per_mtok", w.Price.InputPerMTok}, {"output_per_mtok", w.Price.OutputPerMTok}} {
		if f.v < 0 {
			r.bad(p+".price."+f.field, "%g: a price must not be negative", f.v)
		}
	}
	r.cachedPrice(p+".price", w.Price)
	if w.Price.BatchDiscount < 0 || w.Price.BatchDiscount >= 1 {
		r.bad(p+".price.batch_discount", "%g is out of range (allowed: 0 to below 1)", w.Price.BatchDiscount)
	}
	switch b := w.Price.BillAbandoned; {
	case b == "":
	case !oneOf(b, BillAbandonedNothing, BillAbandonedStreamed):
		r.bad(p+".price.bill_abandoned", "unknown %q (allowed: %s, the default, or %s)", b, BillAbandonedNothing, BillAbandonedStreamed)
	case w.Class != ClassAgent:
		r.badBecause(p+".price.bill_abandoned", p+".class", "only an agent's calls are abandoned (a user's patience runs out); "+
			"class %s has no patience, so its calls are never abandoned: leave the field out", w.Class)
	}
	for _, f := range []struct {
		field string
		v     Duration
	}{{"ttft", w.SLO.TTFT}, {"tpot", w.SLO.TPOT}} {
		if f.v < 0 {
			r.bad(p+".slo."+f.field, "%v: a target must not be negative (0 = none)", f.v)
		}
	}
}

// cachedPrice checks the price of a cached prompt token, where the
// workload gives one (at p, the workload's price). It is at most the input
// price: the revenue ceiling bills a prompt no replica has served yet at
// the input price, which is then the most a token can earn.
func (r *resolver) cachedPrice(p string, pr Price) {
	c := pr.CachedInputPerMTok
	switch {
	case c == nil:
	case *c < 0 || math.IsNaN(*c) || math.IsInf(*c, 0):
		r.bad(p+".cached_input_per_mtok", "%g is not a price (allowed: 0 or more USD per million tokens, at most input_per_mtok; "+
			"or leave the field out to bill cached tokens at the input price)", *c)
	case *c > pr.InputPerMTok:
		r.badBecause(p+".cached_input_per_mtok", p+".input_per_mtok",
			"%g is above input_per_mtok %g: a cached prompt token is billed at most as a fresh one (leave the field out for the input price)", *c, pr.InputPerMTok)
	}
}

func (r *resolver) arrivals(p string, a *Arrivals) {
	// A field the process needs or has no use for: most often a --set of
	// the process under the file's other fields.
	pc := p + ".process"
	switch a.Process {
	case "poisson", "gamma":
		if a.Rate == 0 && !r.src.given(p+".rate") {
			r.badBecause(p+".rate", pc, "required: a positive rate such as 40/s")
		} else if a.Rate <= 0 || math.IsInf(float64(a.Rate), 0) { // given: "required" misled
			r.badBecause(p+".rate", pc, "%v: want a positive rate such as 40/s", a.Rate)
		} else if a.Rate > 1e6 {
			r.bad(p+".rate", "%v is above the limit of 1,000,000/s", a.Rate)
		}
		if a.Process == "gamma" {
			if !(a.CV >= MinDistCV && a.CV <= MaxDistCV) {
				r.badBecause(p+".cv", pc, "gamma arrivals need cv, the coefficient of variation of the gaps (%g to %g; 1 = Poisson, >1 = bursty)", float64(MinDistCV), float64(MaxDistCV))
			}
		} else if a.CV != 0 {
			r.badBecause(p+".cv", pc, "only meaningful with process: gamma")
		}
		if a.Trace != nil {
			r.badBecause(p+".trace", pc, "only meaningful with process: trace")
		}
	case "trace":
		if a.Trace == nil || a.Trace.Path == "" {
			r.badBecause(p+".trace.path", pc, "required: the trace CSV (Azure format: TIMESTAMP,ContextTokens,GeneratedTokens)")
			return
		}
		t := a.Trace
		if t.TimeScale <= 0 || t.TimeScale > 1e6 {
			r.bad(p+".trace.time_scale", "%g is out of range (above 0)", t.TimeScale)
		}
		if t.RateScale <= 0 || t.RateScale > 1000 {
			r.bad(p+".trace.rate_scale", "%g is out of range (above 0, at most 1000)", t.RateScale)
		}
		if !oneOf(t.Lengths, "trace", "workload") {
			r.bad(p+".trace.lengths", "unknown %q (allowed: trace, workload)", t.Lengths)
		}
		if a.Rate != 0 {
			r.badBecause(p+".rate", pc, "a trace sets its own rate; scale it with trace.rate_scale or trace.time_scale")
		}
	case "burst":
		if a.Count < 1 || a.Count > 10_000_000 {
			r.badBecause(p+".count", pc, "burst arrivals need count, the number of requests (1 to 10,000,000)")
		}
		if a.At < 0 || (r.sc.Horizon > 0 && a.At >= r.sc.Horizon) {
			r.badBecause(p+".at", pick(a.At >= 0, "horizon", ""), "%v is out of range (allowed: 0 up to, not at, the horizon %v)", a.At, r.sc.Horizon)
		}
		if a.Rate != 0 || a.CV != 0 || a.Trace != nil {
			r.badBecause(p, pc, "burst arrivals take count and at only")
		}
	case "closed":
		r.closedLoop(p, a)
	default:
		r.bad(p+".process", "unknown process %q (allowed: poisson, gamma, trace, burst, closed)", a.Process)
	}
	switch {
	case a.Process != "burst" && a.At != 0:
		r.badBecause(p+".at", pc, "at is only meaningful with process: burst")
	case a.Process != "burst" && a.Process != "poisson" && a.Process != "gamma" && a.Count != 0:
		r.badBecause(p+".count", pc, "count is only meaningful with process: burst (the requests in the burst), poisson or gamma (stop after this many arrivals)")
	case (a.Process == "poisson" || a.Process == "gamma") && (a.Count < 0 || a.Count > 10_000_000):
		r.bad(p+".count", "%d is out of range (0, until the horizon, to 10,000,000 arrivals)", a.Count)
	}
	if a.Process != "closed" && (a.Clients != 0 || !a.ThinkTime.IsZero()) {
		r.badBecause(p+".clients", pc, "clients and think_time are only meaningful with process: closed")
	}
	if a.Process != "closed" && a.Ramp != 0 {
		r.badBecause(p+".ramp", pc, "ramp is only meaningful with process: closed")
	}
	r.diurnal(p+".diurnal", a.Diurnal)
	if a.StartHour < 0 || a.StartHour >= 24 {
		r.bad(p+".start_hour", "%g is out of range (allowed: 0 to below 24)", a.StartHour)
	}
}

// closedLoop checks a closed-loop population: clients, each sending its next
// request think_time after the previous one ended.
func (r *resolver) closedLoop(p string, a *Arrivals) {
	if a.Clients < 1 || a.Clients > 1_000_000 {
		r.badBecause(p+".clients", p+".process", "closed arrivals need clients, the number of users each with one request in flight (1 to 1,000,000)")
	}
	r.dist(p+".think_time", &a.ThinkTime)
	if a.Ramp < 0 {
		r.bad(p+".ramp", "%s is negative: the clients join over a span of 0s or more", a.Ramp)
	} else if h := r.sc.Horizon; h > 0 && a.Clients > 1 && a.Clients <= 1_000_000 {
		r.rampWithinHorizon(p, a, h)
	}
	if a.Rate != 0 || a.CV != 0 || a.Trace != nil || !(a.Diurnal.IsZero() || a.Diurnal.Name == "flat") {
		r.badBecause(p, p+".process", "closed arrivals take clients, think_time and ramp only: the rate follows from the service time")
	}
}

// rampWithinHorizon refuses a ramp under which some client would join at
// or after the horizon: the simulator drops those without a word, so
// clients: 10, ramp: 10h over a 2m horizon ran one client and reported as a
// 10-client benchmark. As burst.at's, the check is against the horizon that
// runs, a --set of it included.
func (r *resolver) rampWithinHorizon(p string, a *Arrivals, horizon Duration) {
	n := a.Clients
	first := sort.Search(n, func(i int) bool { return ClosedJoinNs(i, n, a.Ramp) >= int64(horizon) })
	if first == n {
		return
	}
	// The last client joins at floor((n-1) x ramp / n), before the horizon
	// H while (n-1) x ramp <= n x H - 1, which is (n x H - 1) / (n-1).
	longest := horizon + (horizon-1)/Duration(n-1)
	r.badBecause(p+".ramp", "horizon,"+p+".clients",
		"%v is too long for the horizon %v: client i of %d joins at i x ramp / %d, so %d of the %d clients would join at or after the horizon and never send a request; "+
			"the longest ramp that lets every client join is %v, just under the horizon x clients / (clients - 1) (a ramp up to the horizon always does)",
		a.Ramp, horizon, n, n, n-first, n, longest)
}

// ClosedJoinNs is when client i of n of a closed loop joins, in ns from the
// start: i x ramp / n, rounded down, without overflow for any ramp and up
// to 1,000,000 clients (sim/closed.go schedules the clients so).
func ClosedJoinNs(i, n int, ramp Duration) int64 {
	r, ii, nn := int64(ramp), int64(i), int64(n)
	return r/nn*ii + r%nn*ii/nn
}

// diurnal checks a custom profile (the defaults pass normalised a valid one).
func (r *resolver) diurnal(p string, d Diurnal) {
	if d.Name != "" {
		return
	}
	if len(d.Points) != 24 {
		r.bad(p, "a custom profile has 24 hourly multipliers, got %d", len(d.Points))
		return
	}
	sum := 0.0
	for _, x := range d.Points {
		if x < 0 {
			r.bad(p, "multipliers must not be negative")
			return
		}
		sum += x
	}
	if sum == 0 {
		r.bad(p, "multipliers must not all be zero")
	}
}

func (r *resolver) agent(p string, a *Agent) {
	if a.SystemPromptTokens < 0 || a.SystemPromptTokens > 1<<20 {
		r.bad(p+".system_prompt_tokens", "%d is out of range (allowed: 0 to %d)", a.SystemPromptTokens, 1<<20)
	}
	r.dist(p+".steps", &a.Steps)
	r.dist(p+".tool_latency", &a.ToolLatency)
	r.dist(p+".tool_result_tokens", &a.ToolResultTokens)
	if !a.ToolCallTokens.IsZero() {
		r.dist(p+".tool_call_tokens", &a.ToolCallTokens)
	}
	if h := a.PrefixCacheHit; h != nil && (*h < 0 || *h > 1) {
		r.bad(p+".prefix_cache_hit", "%g is out of range (allowed: 0 to 1; leave it out to model the replicas' prefix caches)", *h)
	}
	r.dist(p+".patience", &a.Patience)
	if !oneOf(a.PatienceOn, PatienceTTFT, PatienceE2E, PatienceTurn) {
		r.bad(p+".patience_on", "unknown value %q (allowed: %s, %s, %s)", a.PatienceOn, PatienceTTFT, PatienceE2E, PatienceTurn)
	}
	if rt := a.Retrieval; rt != nil {
		if rt.Probability < 0 || rt.Probability > 1 {
			r.bad(p+".retrieval.probability", "%g is out of range (allowed: 0 to 1)", rt.Probability)
		}
		if rt.DocsPerStep < 0 || rt.DocsPerStep > 1000 {
			r.bad(p+".retrieval.docs_per_step", "%d is out of range (allowed: 0 to 1000)", rt.DocsPerStep)
		}
		if rt.TokensPerDoc < 0 || rt.TokensPerDoc > MaxTokensPerDoc {
			r.bad(p+".retrieval.tokens_per_doc", "%d is out of range", rt.TokensPerDoc)
		}
		if rt.FeePerDoc < 0 {
			r.bad(p+".retrieval.fee_per_doc", "must not be negative")
		}
		if rt.RevenueShare < 0 || rt.RevenueShare > 1 {
			r.bad(p+".retrieval.revenue_share", "%g is out of range (allowed: 0 to 1)", rt.RevenueShare)
		}
	}
	v := &a.Value
	// Each field on its own path, so that the error is placed at the
	// field (or the --set of it), not at the value block of the file.
	if v.Fee < 0 {
		r.bad(p+".value.fee", "%g must not be negative", v.Fee)
	}
	if v.OrderValue < 0 {
		r.bad(p+".value.order_value", "%g must not be negative", v.OrderValue)
	}
	if v.Conversion < 0 || v.Conversion > 1 {
		r.bad(p+".value.conversion", "%g is out of range (allowed: 0 to 1)", v.Conversion)
	}
	if v.TakeRate < 0 || v.TakeRate > 1 {
		r.bad(p+".value.take_rate", "%g is out of range (allowed: 0 to 1)", v.TakeRate)
	}
	if i := v.Incremental; i != nil && !(*i >= 0 && *i <= 1) {
		r.bad(p+".value.incremental", "%g is out of range (allowed: 0 to 1)", *i)
	}
}

func (r *resolver) ads() {
	ad := r.sc.Ads
	if ad == nil {
		return
	}
	agents := r.sc.AgentWorkloads()
	if len(agents) == 0 {
		// A --set of a workload's class (the file's agent made an api).
		var classes []string
		for i := range r.sc.Workloads {
			classes = append(classes, fmt.Sprintf("workloads[%d].class", i))
		}
		r.badBecause("ads", strings.Join(classes, ","), "ads run on agent turns, but no workload has class agent")
	}
	for i, name := range ad.Workloads {
		j, err := r.sc.WorkloadIndex(name)
		if err != nil {
			r.bad(fmt.Sprintf("ads.workloads[%d]", i), "%v", err)
		} else if r.sc.Workloads[j].Class != ClassAgent {
			r.badBecause(fmt.Sprintf("ads.workloads[%d]", i), fmt.Sprintf("workloads[%d].class", j), "%q is class %s; ads run on agent workloads", name, r.sc.Workloads[j].Class)
		}
	}
	lp := &ad.LatencyPenalty
	if ad.IntentProbability < 0 || ad.IntentProbability > 1 {
		r.bad("ads.intent_probability", "%g is out of range (allowed: 0 to 1)", ad.IntentProbability)
	}
	if ad.Bidders < 1 || ad.Bidders > 1000 {
		r.bad("ads.bidders", "%d is out of range (allowed: 1 to 1000)", ad.Bidders)
	}
	if ad.Slots < 1 || ad.Slots > 100 {
		r.bad("ads.slots", "%d is out of range (allowed: 1 to 100)", ad.Slots)
	}
	r.dist("ads.bid", &ad.Bid)
	errs := len(r.errs) // before the relevance's own checks: positiveDraws needs them passed
	r.dist("ads.relevance", &ad.Relevance)
	relevanceOK := len(r.errs) == errs
	if ad.Reserve < 0 {
		r.bad("ads.reserve", "must not be negative")
	}
	if !oneOf(ad.Pricing, "cpc", "cpm") {
		r.bad("ads.pricing", "unknown %q (allowed: cpc, cpm)", ad.Pricing)
	}
	if ad.PaidCPC < 0 {
		r.bad("ads.paid_cpc", "must not be negative")
	} else if f := ad.BidPerClickFactor(); ad.PaidCPC > 0 && f > 0 && ad.PaidCPC < ad.Reserve/f {
		r.paidBelowReserve(f)
	} else if ad.PaidCPC > 0 && f > 0 && ad.Bidders == 1 && ad.PaidCPC > ad.Reserve/f {
		r.paidOneBidder(f)
	} else if ad.PaidCPC > 0 && bidsAllZero(ad.Bid) {
		r.paidZeroBids()
	}
	if relevanceOK && ad.PaidCPC > 0 {
		r.positiveDraws("ads.relevance", &ad.Relevance)
	}
	if ad.CTR <= 0 || ad.CTR > 1 {
		r.bad("ads.ctr", "%g is out of range (allowed: above 0, at most 1)", ad.CTR)
	}
	if ad.PositionDecay <= 0 || ad.PositionDecay > 1 {
		r.bad("ads.position_decay", "%g is out of range (allowed: above 0, at most 1)", ad.PositionDecay)
	}
	// Each field its own error, so that a --set of one is named with its value.
	if lp.Threshold < 0 {
		r.bad("ads.latency_penalty.threshold", "%v must not be negative", lp.Threshold)
	}
	if lp.LossPer100ms < 0 || lp.LossPer100ms > 1 {
		r.bad("ads.latency_penalty.loss_per_100ms", "%g is out of range (allowed: 0 to 1)", lp.LossPer100ms)
	}
	if lp.Floor < 0 || lp.Floor > 1 {
		r.bad("ads.latency_penalty.floor", "%g is out of range (allowed: 0 to 1)", lp.Floor)
	}
	if ad.AbandonPerAd < 0 || ad.AbandonPerAd > 1 {
		r.bad("ads.abandon_per_ad", "%g is out of range (allowed: 0 to 1)", ad.AbandonPerAd)
	}
}

// paidBelowReserve handles a paid_cpc below the reserve's price per click,
// which no bid scale reaches (every winner pays the reserve at least).
func (r *resolver) paidBelowReserve(f float64) {
	r.paidUnreachable(f, "ads.reserve,ads.pricing", "below", ", which every winner pays at least; "+
		"lower the reserve or raise paid_cpc, or give paid_cpc: 0 to use the bids as written, in the pricing's unit")
}

// paidOneBidder handles a paid_cpc above the reserve's price per click with
// a single bidder, which no bid scale reaches either: a lone winner has no
// next bid to pay, so under second price it pays the reserve whatever it
// bids (sim's calibrateBids would search in vain, at run time). Several
// bidders reach any price above the reserve, whatever the slots: the top
// winner pays the next bid.
func (r *resolver) paidOneBidder(f float64) {
	r.paidUnreachable(f, "ads.bidders,ads.reserve,ads.pricing", "above", ", and with bidders: 1 the lone winner has no next bid "+
		"to pay, so it pays the reserve whatever it bids; raise ads.bidders, or give paid_cpc: 0 to use the bids as written")
}

// paidZeroBids handles a paid_cpc over bids that are all 0 (ads.bid: 0,
// advertisers who bid nothing): a meaningful market, whose auctions sell
// the slots at the reserve's 0 or to no one above a positive reserve, but
// one no scale turns into paying bidders. It failed only as the run
// started, on sim's search for a scale, naming a default nobody wrote.
func (r *resolver) paidZeroBids() {
	ad := r.sc.Ads
	r.dropOrRefusePaid("ads.bid", fmt.Sprintf("%g is out of reach of bids that are all 0 (ads.bid): a bid of 0 scaled is 0; "+
		"give paid_cpc: 0 to use the bids as written (the slots sell for nothing at a reserve of 0, to no one above it)", ad.PaidCPC))
}

// bidsAllZero reports whether every bid d draws is 0: a fixed 0, or an
// empirical list of zeros.
func bidsAllZero(d Dist) bool {
	switch d.Kind {
	case "fixed":
		return d.Value == 0
	case "empirical":
		return d.Trace == "" && len(d.Values) > 0 && !slices.ContainsFunc(d.Values, func(x float64) bool { return x != 0 })
	}
	return false
}

// paidUnreachable handles a paid_cpc no bid scale reaches (side: below or
// above the reserve's price per click, why: the rest of the message). The
// default is no target the scenario chose: it is dropped (paid_cpc 0, the
// bids as written), rather than refusing a --set of another field with an
// error on a field nobody wrote, and the message kept in
// Ads.DroppedPaidCPC for run to warn with: dropped silently, a user read
// bids as written for a market priced at the default. A paid_cpc given
// otherwise is an error, caused by the fields in cause and, under cpm, the
// ctr that prices the reserve per click.
func (r *resolver) paidUnreachable(f float64, cause, side, why string) {
	ad := r.sc.Ads
	unit := ""
	if f != 1 {
		unit = fmt.Sprintf(" per mille ($%.4g per click at ctr %g)", ad.Reserve/f, ad.CTR)
		cause += ",ads.ctr"
	}
	r.dropOrRefusePaid(cause, fmt.Sprintf("%g is %s the reserve %g%s%s", ad.PaidCPC, side, ad.Reserve, unit, why))
}

// dropOrRefusePaid drops the default paid_cpc no bid scale reaches, keeping
// msg for run to warn with, and refuses a paid_cpc the scenario gives,
// caused by the fields in cause.
func (r *resolver) dropOrRefusePaid(cause, msg string) {
	ad := r.sc.Ads
	// The default is dropped, not a paid_cpc the scenario writes, even one
	// equal to it (a file citing the benchmark): the decoder says which.
	if !r.src.given("ads.paid_cpc") {
		ad.PaidCPC, ad.DroppedPaidCPC = 0, msg
		return
	}
	r.badBecause("ads.paid_cpc", cause, "%s", msg)
}

func (r *resolver) training() {
	t := r.sc.Training
	if t == nil {
		return
	}
	errs := len(r.errs)
	r.trainingThresholds()
	if t.MinServing < 1 {
		r.bad("training.min_serving", "at least one replica keeps serving")
	}
	if t.Interval < Second {
		r.bad("training.interval", "%v is out of range (allowed: at least 1s)", t.Interval)
	}
	if t.SwitchTime < 0 {
		r.bad("training.switch_time", "%v must not be negative", t.SwitchTime)
	}
	if t.Where == "fleet-idle" && r.sc.Fleet.Autoscale != nil {
		r.badBecause("training.where", "fleet.autoscale", "fleet-idle training lends idle replicas, autoscaling releases them: choose one (drop fleet.autoscale or use where: dedicated)")
	}
	if t.Every < Hour || t.Every > MaxHorizon {
		r.bad("training.every", "%v is out of range (allowed: 1h to %v)", t.Every, MaxHorizon)
	}
	switch {
	case t.Params == 0 && !r.haveArch:
		// Not given, and its default is the model's size: the model's own
		// error says what is wrong.
	case t.Params <= 0 || t.Params > 1e14:
		r.bad("training.params", "%g is out of range (above 0, at most 1e14)", t.Params)
	case !(t.ActiveParams > 0 && t.ActiveParams <= t.Params):
		r.bad("training.active_params", "%g is out of range (above 0, at most training.params, %g)", t.ActiveParams, t.Params)
	}
	if t.Tokens <= 0 || t.Tokens > 1e15 {
		r.bad("training.tokens", "required: training tokens per retrain (above 0, at most 1e15)")
	}
	if t.MFU <= 0 || t.MFU > 1 {
		r.bad("training.mfu", "%g is out of range (allowed: above 0, at most 1)", t.MFU)
	}
	if !oneOf(t.Where, "dedicated", "fleet-idle") {
		r.bad("training.where", "unknown %q (allowed: dedicated, fleet-idle)", t.Where)
	}
	r.price("training.price_usd_per_hour", t.PriceUSDPerHour)
	r.trainingPricing()
	if t.Instances < 1 || t.Instances > MaxInstances {
		r.bad("training.instances", "%d is out of range (allowed: 1 to %d)", t.Instances, MaxInstances)
	}
	if t.HalfLife <= 0 || t.Floor < 0 || t.Floor > 1 || t.AgeAtStart < 0 {
		r.bad("training", "half_life above 0, floor in 0..1, age_at_start >= 0")
	}
	r.trainingQuota()
	r.trainingState(errs)
}

// trainingThresholds checks 0 < lend_below < reclaim_above <= 1.5, blaming
// the field out of its own range first, so that a --set of it is named with
// its value, and lend_below, caused by reclaim_above, when only the order
// is wrong.
func (r *resolver) trainingThresholds() {
	t := r.sc.Training
	lendOK, reclaimOK := t.LendBelow > 0, t.ReclaimAbove <= 1.5
	if !lendOK {
		r.bad("training.lend_below", "%g is out of range (allowed: above 0, below reclaim_above %g)", t.LendBelow, t.ReclaimAbove)
	}
	if !reclaimOK {
		r.bad("training.reclaim_above", "%g is out of range (allowed: above lend_below %g, at most 1.5)", t.ReclaimAbove, t.LendBelow)
	}
	if lendOK && reclaimOK && t.LendBelow >= t.ReclaimAbove {
		r.badBecause("training.lend_below", "training.reclaim_above", "%g is not below reclaim_above %g (want 0 < lend_below < reclaim_above <= 1.5)", t.LendBelow, t.ReclaimAbove)
	}
}

// trainingPricing checks training.pricing and that the cluster has a
// price under it: on-demand (unset) or reserved, a committed cluster paid
// for the whole cadence, which only a dedicated job has (a fleet-idle job
// buys on it only what the lent replicas leave, a saving a cluster paid
// for every hour cannot make).
func (r *resolver) trainingPricing() {
	t := r.sc.Training
	pricing := cmp.Or(t.Pricing, "on-demand")
	switch {
	case !oneOf(pricing, "on-demand", "reserved"):
		r.bad("training.pricing", "unknown %q (allowed: on-demand, reserved)", t.Pricing)
		return
	case pricing == "reserved" && t.Where != "dedicated":
		r.badBecause("training.pricing", "training.where", "reserved is a committed cluster, paid for every hour of training.every "+
			"whether it trains or not, so lending the fleet's idle replicas (where: %s) would save none of it: use where: dedicated, "+
			"or pricing: on-demand", t.Where)
	}
	inst, err := r.cat.Instance(t.Instance)
	if err != nil {
		r.bad("training.instance", "%v", err)
		return
	}
	if _, ok := inst.PriceUSDPerHour[pricing]; !ok && t.PriceUSDPerHour == nil {
		cause := "training.instance"
		if t.Pricing != "" {
			cause += ",training.pricing"
		}
		r.badBecause("training.price_usd_per_hour", cause, "the catalog has no %s price for %s; set training.price_usd_per_hour", pricing, t.Instance)
	}
}

// trainingQuota checks training.quota: work a fleet-idle run owes its
// lent replicas, so it means nothing on a dedicated cluster.
func (r *resolver) trainingQuota() {
	t := r.sc.Training
	switch q := t.Quota; {
	case q == nil:
	case t.Where != "fleet-idle":
		r.bad("training.quota", "is the work a fleet-idle run owes its lent replicas; training.where is %s", t.Where)
	case !(*q >= 0 && *q <= MaxTrainingQuota):
		r.bad("training.quota", "%g is out of range (allowed: 0 to %d times the run's pro-rata share of a retrain)", *q, MaxTrainingQuota)
	}
}

// dist validates the distribution at path p for what it draws, which
// distFieldKinds says by p's last key.
func (r *resolver) dist(p string, d *Dist) {
	kind := fieldDistKind(p)
	if kind == distDuration && !d.Seconds && !(d.Kind == "fixed" && d.Value == 0) && d.Trace == "" {
		r.bad(p, "durations need a unit, e.g. 300ms or 2s")
		return
	}
	if kind != distDuration && d.Seconds {
		r.bad(p, "this is a count or an amount, not a duration: drop the unit")
		return
	}
	need := func(field string, v float64, ok bool, what string) {
		if !ok {
			hint := ""
			if kind == distMoney && v == 0 {
				// A bid of 0 is a value (advertisers who bid nothing), but
				// not a lognormal's median or an exponential's mean.
				hint = "; for bids of 0 write 0 (dist fixed)"
			}
			r.bad(p+"."+field, "%s (dist %s)%s", what, d.Kind, hint)
		}
	}
	switch d.Kind {
	case "fixed":
		need("value", d.Value, d.Value >= 0, "must not be negative")
	case "lognormal":
		need("median", d.Median, d.Median > 0, "required: a positive median")
		switch {
		case d.P99 != 0 && d.Sigma != 0:
			r.bad(p, "give p99 or sigma, not both")
		case d.P99 == 0 && d.Sigma == 0:
			r.bad(p+".p99", "required: p99 (or sigma) for dist lognormal")
		case d.P99 != 0 && d.P99 <= d.Median:
			r.bad(p+".p99", "%g must be above the median %g", d.P99, d.Median)
		case d.Sigma < 0:
			r.bad(p+".sigma", "must be positive")
		}
	case "exponential", "poisson":
		need("mean", d.Mean, d.Mean > 0, "required: a positive mean")
	case "geometric":
		need("mean", d.Mean, d.Mean >= 1, "required: a mean of at least 1")
	case "gamma":
		need("mean", d.Mean, d.Mean > 0, "required: a positive mean")
		need("cv", d.CV, d.CV > 0, "required: a positive coefficient of variation")
	case "normal":
		need("mean", d.Mean, true, "")
		need("std", d.Std, d.Std > 0, "required: a positive std")
	case "uniform":
		need("max", d.Max, d.Max > d.Min, "must be above min")
	case "empirical":
		switch {
		case len(d.Values) > 0 && d.Trace != "":
			r.bad(p, "give values or trace, not both")
		case len(d.Values) == 0 && d.Trace == "":
			r.bad(p+".values", "required: a list of values (or trace + column)")
		case d.Trace != "" && !oneOf(d.Column, "context", "generated"):
			r.bad(p+".column", "trace column %q unknown (allowed: context, generated)", d.Column)
		}
		if slices.ContainsFunc(d.Values, func(x float64) bool { return x < 0 }) {
			r.bad(p+".values", "must not be negative")
		}
		if len(d.Values) > 10_000_000 {
			r.bad(p+".values", "too many values (%d; at most 10,000,000)", len(d.Values))
		}
	}
	if d.Min < 0 {
		r.bad(p+".min", "must not be negative")
	}
	if d.Max != 0 && d.Max < d.Min {
		r.bad(p+".max", "%g is below min %g", d.Max, d.Min)
	}
	if (kind == distTokens || kind == distCount) && d.Kind == "fixed" && d.Value != math.Trunc(d.Value) {
		r.bad(p+".value", "%g is not a whole number", d.Value)
	}
	if kind == distCount && d.Kind == "fixed" && d.Value < 1 {
		r.bad(p+".value", "must be at least 1")
	}
	r.distDomain(p, d, kind)
}
