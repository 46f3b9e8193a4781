package main

import (
	"database/sql"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"aiecon/data"
	"aiecon/hw"
	"aiecon/model"
	"aiecon/model/format"
	"aiecon/model/kpi"
	"aiecon/model/llm"
	"aiecon/runner"
	"aiecon/sim"
	"aiecon/study"
)

// runReport prints a finished run for people (print) and machines (jsonView).
type runReport struct {
	l           *runner.Loaded
	res         *sim.Result
	wall        time.Duration
	runID       string
	dbPath      string
	calibration string
	profile     *hw.Profile // the profile that priced it; nil in tests that build a report by hand
	// fromStore is set for a report rebuilt from a stored run (show's
	// warnings): it has no scenario file, and its hints start from the
	// stored scenario.
	fromStore bool
	// width is what the text report wraps to (reportWidth; 0: no
	// wrapping).
	width int
}

func (r runReport) kpi(name, scope string) float64 {
	k, ok := r.res.KPI(name, scope)
	if !ok {
		return math.NaN()
	}
	return k.Value
}

// print writes the report for people: a title, then the fleet, traffic,
// latency and economics sections.
func (r runReport) print(out io.Writer) error {
	b := &strings.Builder{}
	title := newWrapWriter(b, r.width)
	r.printTitle(title)
	title.Flush()
	r.printFleet(b)
	scopes := r.scopes()
	r.printTraffic(b, scopes)
	r.printLatency(b, scopes)
	r.printModels(b)
	r.printEconomics(b)
	_, err := io.WriteString(out, b.String())
	return err
}

func (r runReport) printTitle(b io.Writer) {
	sc := r.l.Scenario
	title := sc.Name
	if sc.Description != "" {
		// Visible as well as the load's rewrite (model.VisibleText): a run
		// read back from a store may come from another tool. One line, as
		// a title.
		title += " — " + descriptionLine(sc.Description)
	}
	fmt.Fprintln(b, title)
	// The description is the scenario's (or its variant's) own; say what
	// the user changed after it.
	sets := make([]string, len(r.l.User))
	for i, o := range r.l.User {
		sets[i] = runner.SetShown(o)
	}
	if c := descriptionCaveat(sets); c != "" {
		fmt.Fprintln(b, c)
	}
	// The time simulated, past the horizon where the run drained, as show
	// prints it for the stored run.
	fmt.Fprintf(b, "simulated %s in %s (%s events, seed %d)", simulatedSpan(r.res.SimNs, int64(sc.Horizon)),
		fmtWall(r.wall), fmtCount(float64(r.res.Events)), sc.Seed)
	if r.runID != "" {
		fmt.Fprintf(b, "; stored as run %s in %s", r.runID, r.dbPath)
	}
	fmt.Fprintln(b)
}

// weightsNote is ", int4 weights" where the scenario's weights are not the
// default bf16, for the replicas line: the format changes both the memory
// a replica needs and its step times.
func weightsNote(sc *model.Scenario, m model.ModelRef) string {
	var note string
	if w := sc.Precision.Weights; w != "" && w != llm.BF16 {
		note = ", " + string(w) + " weights"
	}
	if e := sc.Precision.ExpertWeights; e != "" && e != sc.Precision.Weights {
		if a, err := m.Arch(); err == nil && a.IsMoE() { // a dense model of a mix has no experts
			note += ", " + string(e) + " experts"
		}
	}
	return note
}

// speculativeNote is ", speculative decoding (draft llama-3.1-8b, k 4,
// acceptance 0.7)" for a replica that decodes speculatively, "" otherwise:
// its TPOTs include the proposer's steps, so the replicas line says so.
func speculativeNote(rp model.Replica) string {
	sp := rp.Speculative
	if sp == nil || sp.Acceptance == nil {
		return ""
	}
	proposer := "draft " + sp.Draft
	if sp.Draft == "eagle" {
		proposer = "EAGLE head"
	}
	return fmt.Sprintf(", speculative decoding (%s, k %d, acceptance %g)", proposer, sp.K, *sp.Acceptance)
}

func (r runReport) printFleet(b *strings.Builder) {
	sc := r.l.Scenario
	rp := sc.Fleet.Replica
	fmt.Fprintln(b, "\nFLEET")
	tw := newWrapWriter(b, r.width)
	if len(sc.Pools) > 0 {
		r.printPools(tw)
	} else {
		usd := r.kpi(kpi.PricePerInstanceHourUSD, "")
		fmt.Fprintf(tw, "  instances\t%s x %s, %s %s/h each%s\n", fmtAvgCount(r.kpi(kpi.InstancesAvg, "")), sc.Fleet.Instance, sc.Fleet.Pricing, fmtUSD(usd),
			sim.FleetPriceDate(sc.Fleet, usd))
		fmt.Fprintf(tw, "  replicas\t%s x %s, tp %d%s, %s scheduler, max_num_seqs %d%s\n", fmtAvgCount(r.kpi(kpi.ReplicasUpAvg, "")), sc.Model.Name, rp.TP, weightsNote(sc, sc.Model), rp.Scheduler, rp.MaxNumSeqs,
			speculativeNote(rp))
	}
	fmt.Fprintf(tw, "  batch occupancy\t%s of batch slots filled; busy time %s of replica time iterating; %s of the replicas' peak FLOP/s (each op at its format's peak; executed, padding included), %s of their HBM bandwidth, KV cache %s full\n",
		fmtPct(r.kpi(kpi.BatchOccupancy, "")), fmtPct(r.kpi(kpi.Utilization, "")), fmtPct(r.kpi(kpi.FLOPSUtilization, "")), fmtPct(r.kpi(kpi.BandwidthUtilization, "")), fmtPct(r.kpi(kpi.KVUtilization, "")))
	if n := r.kpi(kpi.Preemptions, ""); n > 0 {
		fmt.Fprintf(tw, "  preemptions\t%s\n", fmtCount(n))
	}
	if n := r.kpi(kpi.ScaleUps, "") + r.kpi(kpi.ScaleDowns, ""); n > 0 {
		fmt.Fprintf(tw, "  autoscaling\t%s, %s\n", fmtCountOf(r.kpi(kpi.ScaleUps, ""), "scale-up"), fmtCountOf(r.kpi(kpi.ScaleDowns, ""), "scale-down"))
	}
	if n := r.kpi(kpi.SpotInterruptions, ""); n > 0 {
		fmt.Fprintf(tw, "  spot\t%s\n", fmtCountOf(n, "interruption"))
	}
	fmt.Fprintf(tw, "  calibration\t%s\n", r.calibration)
	printProfileSummary(tw, r.calibration, r.profile, runner.ScenarioChips(sc), runner.ScenarioGEMMUses(sc))
	fmt.Fprintf(tw, "  step times\t%s\n", runner.StepTimesSource(sc, r.res))
	tw.Flush()
}

// printProfileSummary writes, under a report's calibration line, what a
// saved profile is (hw.Profile.Summary): a path alone hid that one imported
// timing priced every GEMM of a chip (latency 15x the built-in's). The
// built-in profile is the documented default and gets no lines.
func printProfileSummary(tw io.Writer, source string, p *hw.Profile, chips []string, uses []hw.GEMMUse) {
	if p == nil || source == hw.BuiltinProfileSource {
		return
	}
	fmt.Fprintf(tw, "  \t%s\n", p.Summary(chips, uses))
}

// stepTimesWidth is the width validate's profile notes are packed to:
// after a labels' column of 19 cells they end by the 80th column.
const stepTimesWidth = 61

// wrapPhrases packs s's phrases (separated by "; ") onto lines of at most
// width characters. A phrase that does not fit after the others starts a
// line where it fits on one, so that most are read, and found, whole; one
// longer than a line goes on after them, broken at its spaces. No line is
// broken inside a word: a number, an id, a path or a field path such as
// workloads[chat].price longer than width keeps a line of its own. Every
// report's text wraps here (wrapWriter). A width of 0 or less is no
// wrapping.
func wrapPhrases(s string, width int) []string {
	if width <= 0 {
		return []string{s}
	}
	n := utf8.RuneCountInString
	var lines []string
	cur := ""
	phrases := strings.Split(s, "; ")
	for i, p := range phrases {
		if i < len(phrases)-1 {
			p += ";"
		}
		if cur != "" && n(cur)+1+n(p) <= width {
			cur += " " + p
			continue
		}
		if cur != "" && n(p) <= width {
			lines = append(lines, cur)
			cur = ""
		}
		for _, w := range strings.Fields(p) {
			switch {
			case cur == "":
				cur = w
			case n(cur)+1+n(w) <= width:
				cur += " " + w
			default:
				lines = append(lines, cur)
				cur = w
			}
		}
	}
	return append(lines, cur)
}

// scopes are the rows of the traffic and latency tables: each workload,
// then the whole run ("") when there are several.
func (r runReport) scopes() []string {
	scopes := []string{}
	for _, w := range r.l.Scenario.Workloads {
		scopes = append(scopes, w.Name)
	}
	if len(scopes) > 1 {
		scopes = append(scopes, "")
	}
	return scopes
}

// scopeLabel names a scope in a table row.
func scopeLabel(s string) string {
	if s == "" {
		return "all"
	}
	return s
}

// printTraffic writes the TRAFFIC table. Its rate column is throughput,
// requests completed per second, headed done/s beside the arrived count:
// headed req/s it read as demand, and an overloaded fleet's 5.43 (19,552
// of 21,572 arrivals completed in the hour) passed for the 5.99/s offered.
func (r runReport) printTraffic(b *strings.Builder, scopes []string) {
	fmt.Fprintln(b, "\nTRAFFIC")
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "\tarrived\tcompleted\tdropped\ttimed out\tabandoned\tunfinished\tdone/s\tprompt tok/s\tout tok/s\t")
	for _, s := range scopes {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", scopeLabel(s), fmtCount(r.kpi(kpi.RequestsArrived, s)), fmtCount(r.kpi(kpi.RequestsCompleted, s)),
			fmtCount(r.kpi(kpi.RequestsDropped, s)), fmtCount(r.kpi(kpi.RequestsTimedOut, s)), fmtCount(r.kpi(kpi.RequestsAbandoned, s)), fmtCount(r.kpi(kpi.RequestsUnfinished, s)),
			fmtNum(r.kpi(kpi.ThroughputRPS, s), 2), fmtCount(r.kpi(kpi.InputTokensPerS, s)), fmtCount(r.kpi(kpi.OutputTokensPerS, s)))
	}
	tw.Flush()
	nw := newWrapWriter(b, r.width) // the notes under the table
	if n := r.kpi(kpi.RequestsTruncated, ""); n > 0 {
		what := "requests"
		if n == 1 {
			what = "request"
		}
		fmt.Fprintf(nw, "  note: %s %s exceeded max_model_len %d and were fitted into it: an api or batch request stops generating "+
			"at the window's end (a prompt too long by itself loses its oldest tokens), an agent's call keeps its answer and loses "+
			"its oldest context\n", fmtCount(n), what, r.l.Scenario.Fleet.Replica.MaxModelLen)
	}
	if r.kpi(kpi.InputTokensCached, "") > 0 {
		fmt.Fprintf(nw, "  prefix cache: %s of prompt tokens found cached (in prompt tok/s and in the tokens that cost per Mtok counts; router %s; %s cached KV blocks evicted for running requests)%s\n",
			fmtPct(r.kpi(kpi.PrefixCacheHitRate, "")), r.l.Scenario.Router, fmtCount(r.kpi(kpi.PrefixCacheEvictedBlocks, "")),
			cachedPriceNote(r.l.Scenario.Workloads))
	}
	given := r.l.Source.Tree() // the text as loading parsed it
	if r.l.Source == nil {
		given = givenTree(r.l.Name, r.l.Given, r.l.Overrides)
	}
	for _, a := range agentAssumptions(r.l.Scenario, given) {
		fmt.Fprintf(nw, "  agent %s: %s\n", a.workload, a.text)
	}
	nw.Flush()
}

func (r runReport) printLatency(b *strings.Builder, scopes []string) {
	fmt.Fprintln(b, "\nLATENCY")
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "\tTTFT p50\tp90\tp99\tTPOT p50\tp99\tE2E p50\tp99\tSLO met\t")
	for _, s := range scopes {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", scopeLabel(s),
			fmtSec(r.kpi(kpi.TTFTP50S, s)), fmtSec(r.kpi(kpi.TTFTP90S, s)), fmtSec(r.kpi(kpi.TTFTP99S, s)),
			fmtSec(r.kpi(kpi.TPOTP50S, s)), fmtSec(r.kpi(kpi.TPOTP99S, s)),
			fmtSec(r.kpi(kpi.E2EP50S, s)), fmtSec(r.kpi(kpi.E2EP99S, s)), r.sloMet(s))
	}
	tw.Flush()
	var slos []string
	for _, w := range r.l.Scenario.Workloads {
		if w.SLO.Set() {
			slos = append(slos, w.Name+" "+sloTargets(w.SLO))
		}
	}
	if len(slos) > 0 {
		fprintWrapped(b, r.width, "  SLO: %s\n", strings.Join(slos, "; "))
	}
}

// sloTargets are the targets an SLO sets, those it leaves at 0 (none)
// out: "TPOT <= 0s" read as a target no request can meet.
func sloTargets(slo model.SLO) string {
	var ts []string
	if slo.TTFT > 0 {
		ts = append(ts, fmt.Sprintf("TTFT <= %v", slo.TTFT))
	}
	if slo.TPOT > 0 {
		ts = append(ts, fmt.Sprintf("TPOT <= %v", slo.TPOT))
	}
	return strings.Join(ts, ", ")
}

// sloMet is a scope's SLO attainment, "no SLO" where no request in it has
// one (a workload without one; the run when no workload has one; a model
// when none of the workloads routing can send to it has one), whose
// attainment is undefined rather than 100%.
func (r runReport) sloMet(scope string) string {
	if study.NoSLO(r.l.Scenario, r.kpi, scope) {
		return "no SLO"
	}
	return fmtAttain(r.kpi(kpi.SLOAttainment, scope))
}

func (r runReport) printEconomics(b *strings.Builder) {
	fmt.Fprintln(b, "\nECONOMICS")
	tw := newWrapWriter(b, r.width)
	fmt.Fprintf(tw, "  cost\t%s = %s/h (instances %s, training %s, licensing %s)\n", fmtUSD(r.kpi(kpi.CostUSD, "")), fmtUSD(r.kpi(kpi.CostPerHourUSD, "")),
		fmtUSD(r.kpi(kpi.CostInstancesUSD, "")), fmtUSD(r.kpi(kpi.CostTrainingUSD, "")), fmtUSD(r.kpi(kpi.CostLicensingUSD, "")))
	// Per token of the calls that completed, counted as a token price
	// counts them, whether or not their workload charges for tokens (an
	// agent's calls at $0 included); a cached prompt's tokens are counted
	// but not prefilled, so where there are some the cost per token
	// computed stands beside it. "Billed" read as priced, and left out
	// that a backlog's tokens are in no denominator.
	computed := ""
	if r.kpi(kpi.InputTokensCached, "") > 0 {
		computed = fmt.Sprintf("; %s all costs per Mtok computed (cached prompt apart)", fmtUSD(r.kpi(kpi.CostPerMTokComputedUSD, "")))
	}
	fmt.Fprintf(tw, "  cost per Mtok\t%s all costs; instances only %s (input %s, output %s), at the fleet's price; "+
		"per token of the completed calls (prompt, cached included, and output; priced or not), as a token price counts them%s\n",
		fmtUSD(r.kpi(kpi.CostPerMTokUSD, "")), fmtUSD(r.kpi(kpi.CostPerMTokInstancesUSD, "")),
		fmtUSD(r.kpi(kpi.CostPerMTokInputUSD, "")), fmtUSD(r.kpi(kpi.CostPerMTokOutputUSD, "")), computed)
	r.printUnitCosts(tw)
	fmt.Fprintf(tw, "  revenue\t%s (tokens %s, agent fees %s, commerce %s, ads %s)\n", fmtUSD(r.kpi(kpi.RevenueUSD, "")), fmtUSD(r.kpi(kpi.RevenueAPIUSD, "")),
		fmtUSD(r.kpi(kpi.RevenueAgentFeesUSD, "")), fmtUSD(r.kpi(kpi.RevenueCommerceUSD, "")), fmtUSD(r.kpi(kpi.RevenueAdsUSD, "")))
	printAbandonedStreams(tw, r.res.KPIs, r.res.Meta.Workloads)
	if training := r.kpi(kpi.CostTrainingUSD, ""); training > 0 {
		fmt.Fprintf(tw, "  margin\t%s after training %s (gross margin %s, before training)\n", fmtUSD(r.kpi(kpi.MarginUSD, "")), fmtUSD(training), fmtPct(r.kpi(kpi.GrossMargin, "")))
	} else {
		fmt.Fprintf(tw, "  margin\t%s (gross margin %s)\n", fmtUSD(r.kpi(kpi.MarginUSD, "")), fmtPct(r.kpi(kpi.GrossMargin, "")))
	}
	if n := r.kpi(kpi.SessionsStarted, ""); n > 0 {
		// Commerce and per-click ads are counted at their expectations
		// (docs/model.md, "Ads and commerce"); the counts drawn are shown
		// beside them so that a reader checking the records finds both.
		orders := ""
		if e := r.kpi(kpi.SessionsConvertedExpected, ""); e > 0 {
			orders = fmt.Sprintf(", %s orders expected (%s drawn)", fmtExpected(e), fmtCount(r.kpi(kpi.SessionsConverted, "")))
		}
		fmt.Fprintf(tw, "  sessions\t%s completed, %s abandoned (%s%s)%s, %s agent revenue per session ended\n", fmtCount(r.kpi(kpi.SessionsCompleted, "")),
			fmtCount(r.kpi(kpi.SessionsAbandoned, "")), fmtPct(r.kpi(kpi.SessionAbandonRate, "")), failedClause(r.res.KPIs), orders,
			fmtUSD(r.kpi(kpi.RevenuePerSessionUSD, "")))
		// Printed whenever an auction ran, filled or not: without the line
		// a reserve above every bid (0 impressions) read as ads switched off.
		if n := r.kpi(kpi.AdAuctions, ""); n > 0 {
			fmt.Fprintf(tw, "  ads\t%s auctions, %s impressions (%s of slots filled), %s clicks expected (%s drawn), eCPM %s\n", fmtCount(n),
				fmtCount(r.kpi(kpi.AdImpressions, "")), fmtPct(r.kpi(kpi.AdFillRate, "")), fmtExpected(r.kpi(kpi.AdClicksExpected, "")),
				fmtCount(r.kpi(kpi.AdClicks, "")), fmtUSD(r.kpi(kpi.AdECPMUSD, "")))
		}
	}
	r.printLostToLatency(tw)
	r.printUnfinished(tw)
	r.printTraining(tw)
	tw.Flush()
}

// undefinedBecause says why a unit cost is undefined (NaN): its
// denominator, the completions, is 0. run's ECONOMICS and show's KPIS print
// it beside the dash, which alone read as not computed.
var undefinedBecause = map[string]string{
	kpi.CostPerRequestUSD: "no request completed",
	kpi.CostPerSessionUSD: "no session completed",
}

// printUnitCosts prints the cost per completed request and, where the run
// has agents, per completed session (docs/model.md, "Costs and KPIs"):
// all costs, as cost per Mtok counts them, over completions only; a dash
// and the reason where none completed. A stored run without the KPI (a
// store whose KPIs could not give it) prints no line. The labels are no
// wider than "lost to latency", so the section's column stays where it was.
func (r runReport) printUnitCosts(tw io.Writer) {
	count := func(name string) string { return fmtCount(r.kpi(name, "")) }
	// Only a run with agents (one that has a cost per session) has model
	// calls that are not requests a user sent: run inferentia-small and
	// model-mix were told how an agent's calls count with no agent in them.
	calls := ""
	if _, agents := r.res.KPI(kpi.CostPerSessionUSD, ""); agents {
		calls = "; each model call of an agent is one"
	}
	for _, u := range []struct {
		name, label string
		text        func(usd string) string
	}{
		{kpi.CostPerRequestUSD, "cost/request", func(usd string) string {
			return usd + " all costs over the " + count(kpi.RequestsCompleted) + " requests completed" + calls
		}},
		{kpi.CostPerSessionUSD, "cost/session", func(usd string) string {
			return usd + " the agents' share of all costs over the " + count(kpi.SessionsCompleted) + " sessions completed; the " +
				count(kpi.SessionsAbandoned) + " abandoned and any unfinished not counted"
		}},
	} {
		k, ok := r.res.KPI(u.name, "")
		if !ok {
			continue
		}
		line := format.Undefined + " (" + undefinedBecause[u.name] + ")"
		if !math.IsNaN(k.Value) {
			line = u.text(fmtUSD(k.Value))
		}
		fmt.Fprintf(tw, "  %s\t%s\n", u.label, line)
	}
}

// jsonKPI is a KPI with NaN (undefined, e.g. a percentile of nothing) as null.
type jsonKPI struct {
	Name  string   `json:"name"`
	Scope string   `json:"scope"` // "" for the whole run, as show --json and compare write it
	Value *float64 `json:"value"`
	Unit  string   `json:"unit"`
}

func (r runReport) jsonView() any {
	kpis := make([]jsonKPI, 0, len(r.res.KPIs))
	for _, k := range r.res.KPIs {
		j := jsonKPI{Name: k.Name, Scope: k.Scope, Unit: k.Unit}
		if !math.IsNaN(k.Value) && !math.IsInf(k.Value, 0) {
			v := k.Value
			j.Value = &v
		}
		kpis = append(kpis, j)
	}
	overrides := map[string]string{}
	for _, o := range r.l.Overrides {
		overrides[o.Path] = o.Value
	}
	_, variant, _ := strings.Cut(r.l.Scenario.Name, "/")
	return map[string]any{
		"run_id":      r.runID,
		"scenario":    r.l.Scenario.Name,
		"variant":     variant,
		"overrides":   overrides,
		"seed":        r.l.Scenario.Seed,
		"horizon_s":   r.l.Scenario.Horizon.Seconds(),
		"wall_s":      r.wall.Seconds(),
		"events":      r.res.Events,
		"calibration": r.calibration,
		"kpis":        kpis,
		"replicas":    r.res.Replicas,
		"warnings":    append([]string{}, r.warnings()...),
	}
}

// comparisonKPIs are the headline rows of a variant comparison; each row is
// labelled and printed (value with its unit) as the catalog says.
var comparisonKPIs = []string{
	kpi.CostPerHourUSD, kpi.CostPerMTokUSD, kpi.ThroughputRPS, kpi.OutputTokensPerS,
	kpi.TTFTP99S, kpi.TPOTP99S, kpi.SLOAttainment, kpi.BatchOccupancy, kpi.Utilization,
	kpi.RevenueUSD, kpi.RevenueLostToLatencyUSD, kpi.RevenueLostToQueueingUSD, kpi.RevenueLostToServiceTimeUSD, kpi.MarginUSD,
}

// variantDelta is the change of a variant's KPI against the first's: in
// percentage points for a fraction (an SLO attainment from 84.1% to 67.7%
// is -16.4 pp, where a relative -19% would read as points), relative
// otherwise, and in its unit with the reason where a relative change means
// nothing (format.RelChange: a margin from -$10 to +$85 is "+$95, sign
// change", not +950%); "" where it is undefined. Rounding noise is no
// change.
func variantDelta(unit string, v, base float64) string {
	d := format.Change(v, base)
	if math.IsNaN(v) || math.IsNaN(base) {
		return ""
	}
	if unit == format.UnitFraction {
		return pointsDelta(d)
	}
	rel, why := format.RelChange(v, base)
	switch {
	case why != "":
		return format.SignedUnitCompact(d, unit) + ", " + why
	case math.IsNaN(rel):
		return "" // 0 against 0
	}
	return format.PctDelta(rel, 0)
}

// printVariantComparison puts the variants' headline KPIs side by side, with
// the change against the first variant, under a header that says over what
// time the totals run and a row that marks the variants whose fleet fell
// behind (where one did).
func printVariantComparison(out io.Writer, reps []runReport) error {
	b := &strings.Builder{}
	fmt.Fprintln(b, strings.Repeat("=", 78))
	fmt.Fprintf(b, "COMPARISON (change against %s; %s)\n", variantName(reps[0]), variantTotals(reps))
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "\t")
	for _, r := range reps {
		fmt.Fprintf(tw, "%s\t", variantName(r))
	}
	fmt.Fprintln(tw)
	if over := variantOverloaded(reps); slices.Contains(over, true) {
		fmt.Fprint(tw, "  fleet kept up\t")
		for _, o := range over {
			cell := "yes"
			if o {
				cell = "OVERLOADED"
			}
			fmt.Fprintf(tw, "%s\t", cell)
		}
		fmt.Fprintln(tw)
	}
	for _, name := range comparisonKPIs {
		k := kpi.Get(name)
		base := reps[0].kpi(k.Name, "")
		if math.IsNaN(base) && math.IsNaN(reps[len(reps)-1].kpi(k.Name, "")) {
			continue
		}
		fmt.Fprintf(tw, "  %s\t", k.Label)
		for i, r := range reps {
			v := r.kpi(k.Name, "")
			cell := k.Format(v)
			if d := variantDelta(k.Unit, v, base); i > 0 && d != "" {
				cell += " (" + d + ")"
			}
			fmt.Fprintf(tw, "%s\t", cell)
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
	for _, w := range variantWarnings(reps) {
		fprintWrapped(b, reps[0].width, "  WARNING: %s\n", w)
	}
	var ids []string
	for _, r := range reps {
		if r.runID != "" {
			ids = append(ids, r.runID)
		}
	}
	if len(ids) == len(reps) {
		fmt.Fprintf(b, "  compare in detail: aiecon compare %s\n", strings.Join(ids, " "))
	}
	_, err := io.WriteString(out, b.String())
	return err
}

// variantWarnings are aiecon compare's overload, freshness and pricing
// warnings over the variants, in the order compare prints them.
func variantWarnings(reps []runReport) []string {
	var out []string
	for _, w := range []string{variantOverloadWarning(reps), variantFreshnessWarning(reps), variantPricingWarning(reps)} {
		if w != "" {
			out = append(out, w)
		}
	}
	return out
}

// variantTotals says over what simulated time the comparison's totals
// (revenue, what latency lost of it, margin) run, beside its hourly cost
// and rates: trn2-shopping-ads' "cost per hour $84.50/h" sat beside a
// margin of $59.98 over 30 minutes. In the words of sweep's horizon line
// (study.Summary.HorizonLine).
func variantTotals(reps []runReport) string {
	var hs []string
	for _, r := range reps {
		if h := r.l.Scenario.Horizon.String(); !slices.Contains(hs, h) {
			hs = append(hs, h)
		}
	}
	if len(hs) > 1 {
		return "revenue, revenue lost and margin are totals over each variant's horizon (" + strings.Join(hs, ", ") + "), not per hour"
	}
	return "revenue, revenue lost and margin are totals over " + hs[0] + ", not per hour"
}

// variantOverloaded says, per variant, whether its report warned
// OVERLOADED or SATURATED (runReport.overloadWarnings, the check a sweep's
// OVERLOADED column counts).
func variantOverloaded(reps []runReport) []bool {
	out := make([]bool, len(reps))
	for i, r := range reps {
		out[i] = len(r.overloadWarnings()) > 0
	}
	return out
}

// variantOverloadWarning is aiecon compare's overload warning over the
// variants: p5-chat-api's double-rate left 4,888 of 21,572 requests
// unfinished, and the comparison read its cost per Mtok as 68% below the
// target's without a word.
func variantOverloadWarning(reps []runReport) string {
	names := make([]string, len(reps))
	for i, r := range reps {
		names[i] = variantName(r)
	}
	return data.OverloadMixWarning(names, variantOverloaded(reps))
}

// variantPricingWarning is aiecon compare's pricing warning over the
// variants: when they pay under different pricing models, or at catalog
// prices of dates far apart, the comparison's cost per hour differs by
// that as well as by the fleets (gpu-vs-trainium pays Capacity Blocks for
// trn2 and on-demand for p5).
func variantPricingWarning(reps []runReport) string {
	names := make([]string, len(reps))
	fleets := make([][]data.FleetPricing, len(reps))
	for i, r := range reps {
		names[i] = variantName(r)
		fleets[i] = data.FleetPricings(r.l.Scenario, func(scope string) float64 { return r.kpi(kpi.PricePerInstanceHourUSD, scope) })
	}
	return data.PricingMixWarningFix("variants", names, fleets, variantPricingFix(reps, names))
}

// variantPricingFix is how to price the variants alike: one run per
// variant at one pricing, then compare. The warning said "--set
// fleet.pricing", which run refuses beside every variant when a variant
// sets the field (gpu-vs-trainium's both do). The pricing named is the
// first of theirs, in sorted order, the catalog prices every variant's
// instances at; PRICING where none is.
func variantPricingFix(reps []runReport, names []string) string {
	if len(names) < 2 {
		return "" // no comparison, so no warning
	}
	var models, instances []string
	for _, r := range reps {
		for _, p := range r.l.Scenario.ServingPools() {
			models = append(models, p.Fleet.Pricing)
			instances = append(instances, p.Fleet.Instance)
		}
	}
	slices.Sort(models)
	pricing := "PRICING"
	for _, m := range slices.Compact(models) {
		if m != "" && slices.IndexFunc(instances, func(name string) bool {
			in, err := hw.InstanceByName(name)
			if err != nil {
				return true
			}
			_, ok := in.Price(m)
			return !ok
		}) < 0 {
			pricing = m
			break
		}
	}
	scenario := "SCENARIO"
	if len(reps) > 0 && reps[0].l.Name != "" {
		scenario = reps[0].l.Name
	}
	return fmt.Sprintf("run each variant alone at one pricing (aiecon run %s --variant %s --set fleet.pricing=%s, and so for %s; "+
		"or fleet.price_usd_per_hour from a quote), then aiecon compare those runs: beside every variant, run refuses a --set of a "+
		"field a variant sets", scenario, names[0], pricing, format.ListAnd(names[1:]))
}

// variantFreshnessWarning is aiecon compare's freshness warning over the
// variants: when some have a training block whose freshness multiplies ads
// or commerce and others have none, their ads and
// commerce differ by a change of model (freshness modelled or not), which
// the comparison's revenue would otherwise pass off as retraining's effect.
func variantFreshnessWarning(reps []runReport) string {
	names := make([]string, len(reps))
	training := make([]sql.NullBool, len(reps))
	multiplies := make([]bool, len(reps))
	for i, r := range reps {
		names[i] = variantName(r)
		training[i] = sql.NullBool{Bool: r.l.Scenario.Training != nil, Valid: true}
		multiplies[i] = r.l.Scenario.FreshnessMultiplies()
	}
	return data.FreshnessMixWarning("variants", names, training, multiplies)
}

func variantName(r runReport) string {
	n := r.l.Scenario.Name
	if i := strings.LastIndexByte(n, '/'); i >= 0 {
		return n[i+1:]
	}
	return n
}
