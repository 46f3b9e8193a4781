package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"aiecon/model/kpi"
	"aiecon/sim"
	"aiecon/study"
)

// The run report of a model mix (docs/model.md, Model mix): the fleet line
// of each model's pool, and a MODELS table of each model's own calls.

// printPools writes the instances and replicas of each pool of a mix.
func (r runReport) printPools(tw io.Writer) {
	sc := r.l.Scenario
	for _, p := range sc.ServingPools() {
		s := kpi.ModelScope(p.Name)
		f, rp := p.Fleet, p.Fleet.Replica
		usd := r.kpi(kpi.PricePerInstanceHourUSD, s)
		fmt.Fprintf(tw, "  model %s\t%s x %s, %s %s/h each%s; %s replicas each, tp %d%s, %s scheduler, max_num_seqs %d%s\n", p.Name,
			fmtAvgCount(r.kpi(kpi.InstancesAvg, s)), f.Instance, f.Pricing, fmtUSD(usd), sim.FleetPriceDate(*f, usd),
			fmtCount(float64(rp.PerInstance)), rp.TP, weightsNote(sc, p.Model), rp.Scheduler, rp.MaxNumSeqs, speculativeNote(rp))
	}
	rt := sc.Routing
	switch rt.Rule {
	case "small-first":
		fmt.Fprintf(tw, "  routing\tsmall-first: %s answers, %s of its answers escalated to %s\n", rt.Small, fmtPct(*rt.Escalation), rt.Large)
	case "prompt-length":
		fmt.Fprintf(tw, "  routing\tprompt-length: prompts of at most %d tokens to %s, longer to %s\n", rt.Threshold, rt.Small, rt.Large)
	default:
		fmt.Fprintf(tw, "  routing\tby workload: %s\n", r.workloadRoutes())
	}
}

// workloadRoutes lists each workload's pool under rule workload.
func (r runReport) workloadRoutes() string {
	sc := r.l.Scenario
	named := sc.Routing.PoolWorkloads()
	var parts []string
	for _, w := range sc.Workloads {
		pool, ok := named[w.Name]
		if !ok {
			pool = sc.MainPoolName()
		}
		parts = append(parts, w.Name+" to "+pool)
	}
	return strings.Join(parts, ", ")
}

// printModels writes each model's calls (an escalated request is a call
// to each model), their latency from the call's arrival at the model, the
// share of answers it gave, and its instance cost.
func (r runReport) printModels(b *strings.Builder) {
	sc := r.l.Scenario
	if len(sc.Pools) == 0 {
		return
	}
	fmt.Fprintln(b, "\nMODELS")
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "\tcalls\tanswered\tescalated\tTTFT p50\tp99\tTPOT p99\tE2E p99\tSLO met\tcost (%v)\tinst. $/Mtok\t\n", r.costSpan())
	for _, m := range study.ModelRows(sc, r.kpi) {
		slo := fmtAttain(m.SLO)
		if m.NoSLO {
			slo = "no SLO"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", m.Pool, fmtCount(m.Calls), fmtPct(m.Answered),
			fmtCount(m.Escalated), fmtSec(m.TTFTP50), fmtSec(m.TTFTP99), fmtSec(m.TPOTP99), fmtSec(m.E2EP99), slo,
			fmtUSD(m.Cost), fmtUSD(m.CostPerMTok))
	}
	tw.Flush()
	legend := newWrapWriter(b, r.width)
	fmt.Fprintln(legend, "  calls completed by each model; answered: its share of the requests' final answers (the quality proxy);")
	fmt.Fprintln(legend, "  latency of each call from its arrival at the model; an escalated request's own latency (LATENCY) spans both calls;")
	// Over every token the model computed: an escalated call's are not
	// billed (large's answer is), so "per token billed" overstated the
	// tokens and understated the figure (docs/model.md, model mixes).
	fmt.Fprintln(legend, "  cost: the model's instances over the run, not per hour; inst. $/Mtok: that cost per million tokens of the calls it "+
		"completed (prompt and output, instances only), escalated calls too, which are not billed (large's answer is)")
	legend.Flush()
}

// costSpan is what a MODELS cost is summed over: the horizon, and the
// drain after it where the run drains.
func (r runReport) costSpan() string {
	sc := r.l.Scenario
	if sc.Drain {
		return sc.Horizon.String() + " + drain"
	}
	return sc.Horizon.String()
}
