package main

import (
	"aiecon/study/caveat"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"aiecon/hw"
	"aiecon/model"
	"aiecon/model/format"
	"aiecon/model/kpi"
	"aiecon/model/llm"
	"aiecon/runner"
)

// Thresholds of the fleet-sizing checks. Each compares the run with itself
// (what arrived against what finished, slots filled against slots held), not
// with step times, so the checks hold whatever the performance model says.
const (
	// overloadUnfinished: requests still queued or running at the end, as a
	// share of arrivals. A stable fleet ends with about its average number in
	// the system; a backlog that grows ends with many more.
	overloadUnfinished = 0.05
	// overloadGrowth: unfinished over the average number in the system. A
	// queue that grows linearly from empty ends with nearly twice its average.
	overloadGrowth = 1.5
	// overloadSigmas: the end's excess over the average in the system, in
	// standard deviations of a Poisson count of that average, above which
	// chance is an unlikely explanation (the number in a stable system with
	// free slots is about Poisson: 3 sd, under 0.5% from L = 2 up). A short
	// run ends with a handful more than its average by chance alone.
	overloadSigmas = 3.0
	// overloadQueuedShare: the average queue over the end's excess above
	// which the excess is a queue that built up (a queue growing linearly
	// from empty averages half its end, about the excess) rather than
	// requests still running: a run shorter than its requests' time in the
	// system ends with about twice its average even on an idle fleet.
	overloadQueuedShare = 0.5
	// overloadMinQueued: the fewest requests queued on average before a
	// closed loop's fleet is called saturated.
	overloadMinQueued = 1.0
	// overloadDrain: with drain, the time spent draining after the horizon,
	// over the horizon. Draining ends with nothing unfinished, so the test
	// above never fires; but a stable fleet drains in about one request's
	// time in the system, while a backlog grown at rate λ-μ takes about
	// λ/μ-1 horizons to serve at μ: 0.1 flags arrivals 10% above what the
	// fleet serves, about where the unfinished test flags an undrained run.
	overloadDrain = 0.1
	// overloadQueued: queue wait p50 over E2E p50 above which requests
	// mostly waited, so a long drain served a backlog rather than a few
	// long requests (a short horizon with minute-long answers drains long
	// too, with little queueing).
	overloadQueued = 0.5
	// overloadAbandoned: share of the sessions (or requests) that ended
	// which their users abandoned, above which, with the KV cache full or
	// requests preempted, the cache is what turns users away. Abandonment
	// alone is no sign: the baseline loses a third of its sessions to
	// service time with the cache nearly empty.
	overloadAbandoned = 0.25
	// kvFull: mean share of the KV cache held above which a new request
	// waits for blocks most of the time, whatever the free batch slots.
	kvFull = 0.9
	// slotsFull: mean share of the batch slots filled above which, with
	// more than overloadAbandoned of the sessions abandoned, the slots are
	// what turns users away: their leaving keeps the queue from growing and
	// the slots under saturated (one instance of baseline at max_num_seqs
	// 32 for 5 minutes: 92.3% filled, 82% of sessions abandoned, its SLO
	// met on 20% of calls, and no warning).
	slotsFull = 0.9
	// kvPreempted: preemptions per completed request above which the
	// cache ran out often enough to bind.
	kvPreempted = 0.01
	// overloadLost: requests dropped by a full queue or timed out, of arrivals.
	overloadLost = 0.01
	// saturated: mean share of batch slots filled above which new requests
	// wait for a slot most of the time (kpi.SaturatedOccupancy, which a
	// forecast's SLO AT RISK note reads too).
	saturated = kpi.SaturatedOccupancy
	// idleOccupancy: mean share of batch slots holding a request, below which
	// the fleet is mostly idle (unless the KV cache, not the slots, is full).
	idleOccupancy = 0.2
	idleKVFull    = 0.5
	// prefillBusy: share of time a neuron-scheduler replica iterates above
	// which its prefills, not its slots, may bind.
	prefillBusy = 0.8
)

// fleetWarnings says in plain words when the fleet is overloaded or mostly
// idle for the traffic it served, and which optimize command would size it.
func (r runReport) fleetWarnings() []string {
	arrived := r.kpi("requests_arrived", "")
	if w := r.noTraffic(); w != "" {
		return []string{w}
	}
	if !(arrived > 0) {
		return nil
	}
	occ, kv := r.kpi("batch_occupancy", ""), r.kpi("kv_utilization", "")
	out := r.overloadWarnings()
	idle := len(out) == 0 && occ < idleOccupancy && !(kv >= idleKVFull)
	busy := r.kpi("utilization", "")
	prefillBound := busy > prefillBusy && r.usesNeuronScheduler()
	if mix := len(r.l.Scenario.Pools) > 0; mix {
		// optimize sizes one fleet; each model's occupancy is in its KPIs.
		switch {
		case idle && prefillBound:
			out = append(out, fmt.Sprintf("IDLE SLOTS: on average %s of the batch slots of all models held a request, but the replicas "+
				"iterated %s of the time: with the neuron scheduler each prefill runs alone and pauses decoding, so the prefills, not "+
				"the slots, may bind; fewer slots (max_num_seqs) would do, but check smaller pools before shrinking them "+
				"(batch_occupancy and utilization per model:NAME scope).", fmtPct(occ), fmtPct(busy)))
		case idle:
			out = append(out, fmt.Sprintf("MOSTLY IDLE: on average %s of the batch slots of all models held a request: smaller pools "+
				"would serve this traffic, and cost per token here is inflated by idle capacity (batch_occupancy per model:NAME scope).", fmtPct(occ)))
		}
		return out
	}
	if idle {
		return r.idleWarnings(occ, busy, prefillBound)
	}
	if len(out) > 0 {
		out = append(out, "To size the fleet for this traffic: "+r.optimizeCommand())
	}
	return out
}

// overloadWarnings are the run's OVERLOADED and SATURATED warnings, the
// first of fleetWarnings: a sweep's table marks the points whose runs
// have them (sweepOverloadCheck), from their stored KPIs.
func (r runReport) overloadWarnings() []string {
	arrived := r.kpi("requests_arrived", "")
	if !(arrived > 0) {
		return nil
	}
	return r.overloaded(arrived, r.kpi("batch_occupancy", ""), r.kpi("kv_utilization", ""))
}

// overloaded is the fleet-sizing checks' overload warnings: a saturated
// closed loop, a growing queue, a drained backlog, lost requests, batch
// slots full, or the KV cache or nearly full slots binding while users
// abandon (occ and kv: the mean shares of batch slots and of the KV cache
// held).
func (r runReport) overloaded(arrived, occ, kv float64) []string {
	var out []string
	// A closed loop's queue fills up to its clients rather than growing;
	// an open-loop workload beside it can still grow without bound. Each
	// is judged on its own requests.
	open, closed := r.openAndClosed()
	sat := ""
	if len(closed) > 0 {
		if sat = r.saturatedLoop(closed); sat != "" {
			out = append(out, sat)
		}
	}
	out = append(out, r.growingQueues(open, closed)...)
	if w := r.drainedBacklog(arrived); w != "" {
		out = append(out, w)
	}
	if lost := r.count("requests_dropped") + r.count("requests_timed_out"); lost > overloadLost*arrived {
		out = append(out, fmt.Sprintf("OVERLOADED: %s requests (%s of arrivals) were dropped by a full queue or timed out.",
			fmtCount(lost), fmtPct(lost/arrived)))
	}
	if occ > saturated {
		if sat == "" { // a saturated loop's warning gives the slots filled
			out = append(out, fmt.Sprintf("OVERLOADED: %s of the batch slots were filled on average, so requests wait for a slot "+
				"(queue wait p90 %s)%s.", fmtPct(occ), fmtSec(r.kpi("queue_p90_s", "")), r.queueBound()))
		}
	} else if w := r.kvBound(occ, kv); w != "" {
		out = append(out, w)
	}
	return out
}

// saturatedLoop says when the fleet of a scenario's closed-loop workloads
// closed is saturated: on average more of their requests waited in the
// queue than held a batch slot. A closed loop's clients send again only
// when answered, so its queue cannot grow without bound (it ends with
// about its average, whatever the load) and the growing-queue test never
// fires on it; it fills up to the clients instead. Only the loops' own
// requests count: an open-loop workload's growing queue beside them is
// the growing-queue test's. It is "" when requests were served about as
// fast as they came.
func (r runReport) saturatedLoop(closed []model.Workload) string {
	l := r.loadOf(closed)
	if !(l.queued > l.running) || !(l.queued >= overloadMinQueued) {
		return ""
	}
	clients := 0
	for _, w := range closed {
		clients += w.Arrivals.Clients
	}
	share := ""
	if clients > 0 {
		share = fmt.Sprintf(" (the %s clients spent %s of their time queued)", fmtCount(float64(clients)), fmtPct(min(l.queued/float64(clients), 1)))
	}
	return fmt.Sprintf("SATURATED: on average %s requests%s waited in the queue against %s being served%s, with %s of the batch "+
		"slots filled (queue wait p90 %s): the fleet serves the closed-loop clients at its capacity and they spend most of "+
		"their time in the system queued. The closed-loop clients' queue does not grow without bound, since they wait for their "+
		"answers before sending again, so more of them would only lengthen it; the latency percentiles count the %s requests%s "+
		"completed, not the %s still queued or running at the end.", fmtCount(l.queued), l.of(), fmtCount(l.running), share,
		fmtPct(r.kpi("batch_occupancy", "")), fmtSec(r.kpi("queue_p90_s", "")), fmtCount(l.completed), l.of(),
		fmtCount(l.unfinished))
}

// drainedBacklog says when a drained run's fleet fell behind its arrivals:
// draining took a large share of the horizon again and requests mostly
// waited in the queue. It is "" for runs that did not drain.
func (r runReport) drainedBacklog(arrived float64) string {
	horizonNs := r.res.Meta.HorizonNs
	drainNs := r.res.SimNs - horizonNs
	if !r.l.Scenario.Drain || horizonNs <= 0 || !(float64(drainNs) > overloadDrain*float64(horizonNs)) {
		return ""
	}
	wait, e2e := r.kpi("queue_p50_s", ""), r.kpi("e2e_p50_s", "")
	if !(wait > overloadQueued*e2e) {
		return ""
	}
	served := r.count("requests_completed") / (float64(r.res.SimNs) / 1e9)
	return fmt.Sprintf("OVERLOADED: draining took %s after the %s horizon: the fleet served %s requests/s against %s/s arriving, "+
		"so requests waited in a queue that grows without bound at this load (queue wait p50 %s of E2E p50 %s); latency and "+
		"cost per token describe a backlog served late, not a steady state.",
		time.Duration(drainNs).Round(time.Second), model.Duration(horizonNs), fmtNum(served, 2),
		fmtNum(arrived/(float64(horizonNs)/1e9), 2), fmtSec(wait), fmtSec(e2e))
}

// kvBound says when the KV cache or the batch slots limit the fleet and
// abandonment hides it: users who leave keep the queue bounded, so the
// growing-queue test misses it, and the slots are short of saturated.
func (r runReport) kvBound(occ, kv float64) string {
	// sessions_abandoned counts the sessions the fleet failed (a call
	// dropped or timed out) with those whose users gave up: both are
	// sessions the fleet lost for want of room, which is what this says,
	// so both count, and the warning says how many failed.
	what, abandoned, ended := "sessions", r.count("sessions_abandoned"), r.count("sessions_abandoned")+r.count("sessions_completed")
	gaveUp := "were abandoned"
	if failed := r.count("sessions_failed"); failed > 0 {
		gaveUp += " (" + fmtCount(failed) + " of them failed by the fleet: a call dropped or timed out)"
	}
	if !(ended > 0) {
		// No agent session: API requests give up by timing out in the
		// queue (queue_timeout), not by abandoning.
		what, abandoned, gaveUp = "requests", r.count("requests_timed_out"), "timed out in the queue"
		ended = abandoned + r.count("requests_completed") + r.count("requests_dropped")
	}
	preempted := r.count("preemptions")
	full := kv >= kvFull
	cacheBinds := full || preempted > kvPreempted*r.count("requests_completed")
	if !(abandoned > overloadAbandoned*ended) || !cacheBinds && !(occ >= slotsFull) {
		return ""
	}
	if !cacheBinds {
		return fmt.Sprintf("OVERLOADED: %s of the %s that ended (%s of %s) %s while %s of the batch slots were filled: the fleet "+
			"serves at about its capacity, so requests wait for a slot (queue wait p90 %s)%s, which keeps the queue from growing. "+
			"More replicas, or more slots per replica (max_num_seqs) where the KV cache has room, would serve them.",
			fmtPct(abandoned/ended), what, fmtCount(abandoned), fmtCount(ended), gaveUp, fmtPct(occ),
			fmtSec(r.kpi("queue_p90_s", "")), r.queueBound())
	}
	var cache []string
	if full {
		cache = append(cache, "the KV cache was "+fmtPct(kv)+" full on average")
	}
	if preempted > 0 {
		cache = append(cache, fmtCount(preempted)+" requests were preempted for cache space")
	}
	return fmt.Sprintf("OVERLOADED: %s of the %s that ended (%s of %s) %s while %s, with %s of the batch slots filled: "+
		"the KV cache, not the slots, limits this fleet, so requests wait for cache blocks (queue wait p90 %s)%s. More KV memory "+
		"per replica (kv_memory_fraction, a larger tp or instance) or more replicas would serve them.",
		fmtPct(abandoned/ended), what, fmtCount(abandoned), fmtCount(ended), gaveUp, strings.Join(cache, " and "), fmtPct(occ),
		fmtSec(r.kpi("queue_p90_s", "")), r.queueBound())
}

// queueBound is what keeps a saturated fleet's queue from growing, as a
// clause: impatient agent users leaving, a queue timeout or a queue limit
// ("" when the scenario has none of them). Agents with a timeout or limit
// get both: the sessions the fleet failed left for the fleet's bound, not
// for their users' patience.
func (r runReport) queueBound() string {
	fleet := r.fleetQueueBound()
	if len(r.l.Scenario.AgentWorkloads()) > 0 {
		if fleet != "" {
			return " and impatient users leave," + fleet
		}
		return " and impatient users leave"
	}
	return fleet
}

// fleetQueueBound is the clause of queueBound for the fleet's own bound on
// its queues: a queue timeout, else a queue limit, else "".
func (r runReport) fleetQueueBound() string {
	var timeout, limit bool
	r.l.Scenario.EachFleet(func(_ string, _ model.ModelRef, f model.Fleet) bool {
		timeout = timeout || f.Replica.QueueTimeout > 0
		limit = limit || f.Replica.QueueLimit > 0
		return true
	})
	switch {
	case timeout:
		return " and those waiting past queue_timeout are dropped"
	case limit:
		return " and arrivals finding the queue at queue_limit are dropped"
	}
	return ""
}

// usesNeuronScheduler reports whether the main fleet or a pool runs the
// neuron scheduler (one prefill per iteration, decoding paused).
func (r runReport) usesNeuronScheduler() bool {
	found := false
	r.l.Scenario.EachFleet(func(_ string, _ model.ModelRef, f model.Fleet) bool {
		found = f.Replica.Scheduler == "neuron"
		return !found
	})
	return found
}

// count is a count KPI, 0 when the run has none.
func (r runReport) count(name string) float64 {
	if v := r.kpi(name, ""); !math.IsNaN(v) {
		return v
	}
	return 0
}

// otherTypes follows an idle fleet's optimize command: a smaller instance
// type may serve it too. Not an owned fleet's: its price is what its own
// type costs its owner, so optimize searches that type alone (and refuses
// --instances of others), only its TP degree free.
func (r runReport) otherTypes() string {
	if r.l.Scenario.Fleet.Pricing == hw.PricingOwned {
		return " (without --tp it tries every TP degree; an owned fleet is searched on its own instance type only)"
	}
	return " (without --instances and --tp it tries every instance type and TP degree)"
}

// optimizeCommand is the optimize command line that sizes this run's fleet:
// its scenario with its overrides (a variant's included, each path once),
// its instance type and TP degree as the only candidates. A --set of
// fleet.instance or fleet.replica.tp alone would not do: the optimizer
// replaces both with every candidate's (acme's p5en variant, sized that
// way, searched 104 candidates and answered another instance); the --set
// stays, as the scenario must load before its fleet is replaced (acme's
// trn2 has no on-demand price).
func (r runReport) optimizeCommand() string {
	f := r.l.Scenario.Fleet
	parts := []string{r.optimizeWithSets(false), "--instances", shellQuote(f.Instance)}
	if f.Replica.TP > 0 {
		parts = append(parts, "--tp", strconv.Itoa(f.Replica.TP))
	}
	return strings.Join(parts, " ")
}

// optimizeAnyFleet is optimizeCommand without its instance type and TP
// degree: every candidate the optimizer tries. A TP degree the run set is
// reset to the default (all devices), which loads on any instance type:
// written as run had it, optimize noted that each candidate sets its own
// degree (gpu-vs-trainium's p5 needs tp=8, trn2's 32 exceeding its 8 GPUs),
// and the tool's own advice drew the tool's caution.
func (r runReport) optimizeAnyFleet() string {
	return r.optimizeWithSets(true)
}

// optimizeWithSets is "aiecon optimize" on this run's scenario and
// overrides, less those the optimizer picks itself (the count, the
// horizon) and those of the main fleet's autoscaler, which it removes from
// every candidate: optimize refuses a --set of one of its fields, so a run
// with --set fleet.autoscale.max=8 was told to paste a command that failed
// (fleet.autoscale=null, which optimize takes, stays). A
// replicas-per-instance set is reset to the default, as many as fit, which
// every candidate takes anyway (so optimize has nothing to note); anyTP
// resets a TP degree too.
func (r runReport) optimizeWithSets(anyTP bool) string {
	parts := []string{"aiecon optimize", shellQuote(r.l.Name)}
	if r.fromStore { // no scenario file: the run's own, its overrides applied (so no --set of them)
		parts = []string{"aiecon show", r.runID, "--yaml resolved --db", shellQuote(r.dbPath), "> run.yaml && aiecon optimize run.yaml"}
		return strings.Join(parts, " ")
	}
	for _, o := range r.l.Overrides.Effective() {
		switch {
		case o.Path == "seed", o.Path == "horizon", o.Path == "name", o.Path == "description", o.Path == "fleet.count":
			continue // the optimizer picks the count and its own horizon
		case autoscalerSet(o):
			continue // the optimizer sizes a static fleet
		case o.Path == "fleet.replica.per_instance", anyTP && o.Path == "fleet.replica.tp":
			o.Value = "null"
		}
		parts = append(parts, "--set", shellQuote(o.String()))
	}
	return strings.Join(parts, " ")
}

// autoscalerSet reports whether o sets the main fleet's autoscaler or one
// of its fields to anything but its removal (optimize.RefuseIneffectiveSets
// refuses the fields; a whole block would be removed all the same). A
// pool's autoscaler, which the optimizer keeps, is not one.
func autoscalerSet(o model.Override) bool {
	return strings.HasPrefix(o.Path, "fleet.autoscale.") || o.Path == "fleet.autoscale" && !runner.NullValue(o.Value)
}

// shellQuote quotes a word for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\n'\"\\$`*?[]{}()<>|&;#~!") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// warnings are the run's warnings: the fleet-sizing ones, the trace's cut
// rows, the checks of its scenario and KPIs (scenarioChecks), the step
// times' extrapolation, then the caveats of the profile that priced it.
func (r runReport) warnings() []string {
	ws := append(r.fleetWarnings(), r.traceCuts()...)
	ws = append(ws, r.scenarioChecks()...)
	if w := runner.StepTimesExtrapolatedWarning(r.l.Scenario, r.res); w != "" {
		ws = append(ws, w)
	}
	return append(ws, r.profileCaveats()...)
}

// warningsFromStore are warnings less what a stored run's rows cannot give
// back: TRACE CUT AT THE HORIZON (the store keeps no count of a trace's
// rows cut), STEP TIMES EXTRAPOLATED's length gaps of its pools and, for a
// run stored before the store kept them, of its main fleet (the warning
// says which cannot be recomputed; the main fleet's, kept since, and the
// gaps read from the scenario alone, speculation and batches among them,
// are repeated) and ADS.PAID_CPC DEFAULT DROPPED (resolving the scenario
// dropped it; the stored resolved scenario has paid_cpc 0). show gives the
// rest in the order run gave them, and its help names these.
func (r runReport) warningsFromStore() []string {
	ws := append(r.fleetWarnings(), r.scenarioChecks()...)
	if w := runner.StoredStepTimesExtrapolatedWarning(r.l.Scenario, r.res); w != "" {
		ws = append(ws, w)
	}
	return append(ws, r.profileCaveats()...)
}

// profileCaveats are the caveats of the profile that priced the run for
// its chips (none without one).
func (r runReport) profileCaveats() []string {
	if r.profile == nil { // repeated at every run: the import warned once, perhaps another user
		return nil
	}
	return r.profile.Caveats(runner.ScenarioChips(r.l.Scenario))
}

// scenarioChecks are the run's warnings read from its scenario (as given
// and resolved) and its KPIs alone, which a stored run keeps.
func (r runReport) scenarioChecks() []string {
	ws := suspectValues(r.l.Scenario)
	ws = append(ws, unusedDevices(r.l.Scenario)...)
	ws = append(ws, autoscaledBlocks(r.l.Scenario)...)
	ws = append(ws, r.scaleUpsNeverUp()...)
	ws = append(ws, ampereFP8(r.l.Scenario)...)
	ws = append(ws, unpricedWorkloads(r.l)...)
	ws = append(ws, borrowedTokenPrices(r.l.Scenario)...)
	if w := r.pricesOfDifferentDates(); w != "" {
		ws = append(ws, w)
	}
	if w := r.retrainsOverlap(); w != "" {
		ws = append(ws, w)
	}
	ws = append(ws, adsWarnings(r.l.Scenario)...)
	if w := r.sessionsAbandoned(); w != "" {
		ws = append(ws, w)
	}
	if w := r.grossCommerce(); w != "" {
		ws = append(ws, w)
	}
	if w := r.pricedBelowCost(); w != "" {
		ws = append(ws, w)
	}
	if w := r.priceNotJudged(); w != "" {
		ws = append(ws, w)
	}
	coverage := runner.RunStepTimesCoverageWarning
	if r.fromStore { // the lengths run priced its mean step at may not have been kept
		coverage = runner.StoredStepTimesCoverageWarning
	}
	if w := coverage(r.l.Scenario, r.res); w != "" {
		ws = append(ws, w)
	}
	if hs := runner.HeadsNotes(r.l.Scenario); len(hs) > 0 {
		ws = append(ws, "HEADS NOT DIVISIBLE BY TP: "+strings.Join(hs, "; ")+". Choose a TP degree that divides the heads to price a layout a stack serves.")
	}
	return ws
}

// adsWarnings say where an ads setting has no effect or was dropped.
func adsWarnings(sc *model.Scenario) []string {
	ads := sc.Ads
	if ads == nil {
		return nil
	}
	var ws []string
	if ads.AbandonPerAd > 0 {
		ws = append(ws, fmt.Sprintf("ADS.ABANDON_PER_AD HAS NO EFFECT: %g is set, but a session holds one user message and one answer, "+
			"whose ads show as the session ends, so no ad is on screen while the user still waits; abandonment here comes "+
			"from latency alone (docs/model.md, \"Agents\").", ads.AbandonPerAd))
	}
	if c := ads.Relevance.NonPositiveChance(); c > model.ZeroRelevanceWarnShare {
		ws = append(ws, fmt.Sprintf("ADS.RELEVANCE DRAWS 0: ads.relevance (dist %s) draws 0 or less with chance %.3g per draw, and a bidder of "+
			"relevance 0 takes no part in the auction, so about %s of the bids are left out of their auctions; give min above 0 to floor "+
			"the draws if that is not the market meant.", ads.Relevance.Kind, c, format.Pct(c)))
	}
	if ads.DroppedPaidCPC != "" {
		ws = append(ws, "ADS.PAID_CPC DEFAULT DROPPED: the bids are used as written, not scaled to a paid CPC (ad_paid_cpc_target_usd 0), "+
			"since the default ads.paid_cpc "+ads.DroppedPaidCPC+".")
	}
	return ws
}

// grossCommerce says when the commerce line credits the assistant with
// every order of its converted sessions (value.incremental unset), the
// purchases that would have happened without it included, and how much of
// the revenue that line is.
func (r runReport) grossCommerce() string {
	return caveat.GrossCommerce(r.l.Scenario, r.count(kpi.RevenueCommerceUSD), r.count(kpi.RevenueUSD))
}

// unusedDevices says when a fleet's instances hold fewer replicas than fit,
// so that some of the devices paid for serve nothing (per_instance below
// its default, the most that fit); the utilisation KPIs count only the
// replicas' devices.
func unusedDevices(sc *model.Scenario) []string {
	var out []string
	sc.EachFleet(func(pool string, _ model.ModelRef, f model.Fleet) bool {
		inst, err := hw.InstanceByName(f.Instance)
		if err != nil {
			return true
		}
		devices, err := inst.Devices()
		rp := f.Replica
		if err != nil || rp.TP < 1 || rp.PerInstance < 1 {
			return true
		}
		if used := rp.PerInstance * rp.TP; used < devices && devices/rp.TP > rp.PerInstance {
			out = append(out, fmt.Sprintf("UNUSED DEVICES: %seach %s holds %d replica(s) of tp %d on %d of its %d devices; the other %d "+
				"are paid and serve nothing (fleet.replica.per_instance %d fits), and the utilisation figures count only the replicas' devices.",
				poolPrefix(pool), f.Instance, rp.PerInstance, rp.TP, used, devices, devices-used, devices/rp.TP))
		}
		return true
	})
	return out
}

// poolPrefix names a pool at the head of a warning ("" for the main fleet).
func poolPrefix(pool string) string {
	if pool == "" {
		return ""
	}
	return "pool " + pool + ": "
}

// retrainsOverlap says when one retrain on the dedicated cluster takes
// longer than the cadence: the cost, one retrain billed per period, then
// assumes several such clusters running at once, and every model serves
// older than its training took (the freshness the run applies).
func (r runReport) retrainsOverlap() string {
	t := r.l.Scenario.Training
	if t == nil || t.Every <= 0 {
		return ""
	}
	hours := r.kpi(kpi.TrainingRetrainHours, "")
	every := t.Every.Seconds() / 3600
	if !(hours > every) {
		return ""
	}
	age := fmt.Sprintf("every model serves at least %.1f h old, as the run's freshness counts it", hours)
	if t.Where == "fleet-idle" {
		// The lent replicas' share is known only at the end, so the
		// freshness of a fleet-idle retrain counts from its cadence point.
		age = fmt.Sprintf("a model trained this way would serve at least %.1f h old, while the freshness of a fleet-idle retrain "+
			"counts each model from its cadence point, as if trained at once: the fresher cadence's revenue is overstated", hours)
	}
	return fmt.Sprintf("RETRAINS OVERLAP: one retrain takes %.1f h on the dedicated cluster (%d x %s), longer than its %s cadence, so "+
		"keeping the cadence takes about %.0f such clusters at once (the cost bills one retrain a period as if they ran), and %s; "+
		"lengthen training.every, add training.instances, or train fewer tokens.",
		hours, t.Instances, t.Instance, t.Every, math.Ceil(hours/every), age)
}

// ampereFP8 says when a fleet on Ampere GPUs was given fp8 activations,
// which it runs in bf16: the chip has no fp8 arithmetic (hw/family_gpu_ampere.go).
func ampereFP8(sc *model.Scenario) []string {
	if sc.Precision.Activations != llm.FP8 {
		return nil
	}
	var out []string
	sc.EachFleet(func(pool string, _ model.ModelRef, f model.Fleet) bool {
		inst, err := hw.InstanceByName(f.Instance)
		if err != nil {
			return true
		}
		if chip, err := inst.ChipSpec(); err == nil && chip.StepFamily == hw.StepGPUAmpere {
			out = append(out, fmt.Sprintf("FP8 ACTIVATIONS RUN IN BF16: %s%s has %s GPUs (Ampere), which have no fp8 arithmetic, so "+
				"precision.activations fp8 was simulated as bf16 (fp8 weights and KV cache stay fp8 in memory, dequantised as read).",
				poolPrefix(pool), f.Instance, chip.Name))
		}
		return true
	})
	return out
}

// autoscaledBlocks says when an autoscaled fleet is priced as EC2 Capacity
// Blocks, which are reserved for whole days and paid up front, at the
// reserved (committed) rate, or as owned servers: the run bills what the
// autoscaler adds and releases by the second, as if it could hand back
// capacity paid for whether it runs or not.
func autoscaledBlocks(sc *model.Scenario) []string {
	var out []string
	sc.EachFleet(func(pool string, _ model.ModelRef, f model.Fleet) bool {
		if f.Autoscale != nil && f.Pricing == "capacity-block" && f.PriceUSDPerHour == nil {
			out = append(out, fmt.Sprintf("CAPACITY BLOCKS AUTOSCALED: %sCapacity Blocks are reserved for whole days (1 to 182) and paid up "+
				"front (AWS EC2 User Guide, \"How Capacity Blocks work\"), but this run bills the instances its autoscaler adds and releases by the second, which understates their cost: "+
				"reserve autoscale.max instances for the horizon (fleet.count, no autoscale), or price the burst as on-demand or spot "+
				"(a pool of its own).", poolPrefix(pool)))
		}
		// A reservation is paid for every hour of its term, used or not;
		// billing only the hours the autoscaler holds an instance prices a
		// flexible fleet at the committed rate.
		if as := f.Autoscale; as != nil && f.Pricing == "reserved" && as.Max > as.Min {
			out = append(out, fmt.Sprintf("RESERVED FLEET AUTOSCALED: %sthe reserved rate is a committed price, paid for every hour of the "+
				"reservation's term whether the instance runs or not, but this run bills the instances its autoscaler adds and releases by the second "+
				"at that rate, which understates their cost: reserve autoscale.max instances for the horizon (fleet.count, no autoscale), or price "+
				"the burst as on-demand or spot (a pool of its own).", poolPrefix(pool)))
		}
		// Owned servers cost their depreciation, facility and operations
		// whether they serve or not; a fleet that can change size bills
		// only the hours they are up.
		if as := f.Autoscale; as != nil && f.Pricing == "owned" && as.Max > as.Min {
			out = append(out, fmt.Sprintf("OWNED FLEET AUTOSCALED: %sowned servers cost their depreciation, facility and operations whether they serve or not, "+
				"but this run bills the instances its autoscaler adds and releases by the second at the owned price, which understates their cost: "+
				"own autoscale.max servers for the horizon (fleet.count, no autoscale), or price the burst as on-demand or spot (a pool of its own).", poolPrefix(pool)))
		}
		return true
	})
	return out
}

// unpricedWorkloads says which api and batch workloads earn nothing
// because no price was given for their tokens: the price's default is 0,
// so a scenario that forgot the block showed a large negative margin with
// no hint why. A price written as 0 is a choice and is not warned of, so
// presence is read from the scenario as written with the variant's and the
// user's sets applied, not from the value. Agent workloads earn from their
// value block (fees, commerce) and are not judged here.
func unpricedWorkloads(l *runner.Loaded) []string {
	src := l.Source // the text as loading parsed it
	if src == nil {
		var ok bool
		if src, ok = mergedSource(l); !ok {
			return nil
		}
	}
	var names []string
	for i, w := range l.Scenario.Workloads {
		if w.Class != "api" && w.Class != "batch" {
			continue
		}
		at := fmt.Sprintf("workloads[%d].price.", i)
		if !src.Given(at+"input_per_mtok") && !src.Given(at+"output_per_mtok") {
			names = append(names, "workloads["+w.Name+"]")
		}
	}
	if len(names) == 0 {
		return nil
	}
	return []string{fmt.Sprintf("NO TOKEN PRICE: %s gives no price.input_per_mtok or price.output_per_mtok, so its tokens earn $0 "+
		"(its revenue is $0) while they are served at full cost; give the price it sells at, or write price: {input_per_mtok: 0, "+
		"output_per_mtok: 0} where it is given away on purpose.", format.ListAnd(names))}
}

// mergedSource is l's text with its overrides applied, parsed, for a
// Loaded built without its Source (a stored run's); ok is false where it
// does not parse. Parsed here, not through model.Locate, which locates
// nothing in a text that does not parse: a stop signal that ends this
// parse (the run is done, its report printing) left no field given, and
// every priced workload was warned of as unpriced.
func mergedSource(l *runner.Loaded) (*model.Source, bool) {
	merged, err := model.ApplyOverridesIn(l.Name, l.Given, l.Overrides)
	if err != nil {
		return nil, false // it loaded with these sets: this cannot fail
	}
	tree, text, err := model.ParseYAML(l.Name, merged)
	if err != nil {
		return nil, false
	}
	return model.SourceOf(l.Name, text, tree), true
}

// printWarnings prints the run's warnings after its report.
func (r runReport) printWarnings(out io.Writer) error {
	return printWarningBlock(out, r.warnings(), r.width)
}

// printWarningBlock prints warnings under a WARNING heading, as run and
// show end with them, each wrapped to width (0: one line each) under its
// own "  NAME:"; nothing when there are none.
func printWarningBlock(out io.Writer, ws []string, width int) error {
	if len(ws) == 0 {
		return nil
	}
	return fprintWrapped(out, width, "\nWARNING\n  %s\n", strings.Join(ws, "\n  "))
}
