package main

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
	"time"

	"aiecon/runner"
	"aiecon/sim"
)

// runReport prints a finished run for people (print) and machines (jsonView).
type runReport struct {
	l           *runner.Loaded
	res         *sim.Result
	wall        time.Duration
	runID       string
	dbPath      string
	calibration string
}

func (r runReport) kpi(name, scope string) float64 {
	k, ok := r.res.KPI(name, scope)
	if !ok {
		return math.NaN()
	}
	return k.Value
}

func (r runReport) print(out io.Writer) error {
	sc := r.l.Scenario
	b := &strings.Builder{}
	title := sc.Name
	if sc.Description != "" {
		title += " — " + sc.Description
	}
	fmt.Fprintln(b, title)
	fmt.Fprintf(b, "simulated %v in %s (%s events, seed %d)", sc.Horizon, fmtWall(r.wall), fmtCount(float64(r.res.Events)), sc.Seed)
	if r.runID != "" {
		fmt.Fprintf(b, "; stored as run %s in %s", r.runID, r.dbPath)
	}
	fmt.Fprintln(b)

	rp := sc.Fleet.Replica
	fmt.Fprintln(b, "\nFLEET")
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  instances\t%s x %s, %s %s/h each\n", fmtAvgCount(r.kpi("instances_avg", "")), sc.Fleet.Instance, sc.Fleet.Pricing, fmtUSD(r.kpi("price_per_instance_hour_usd", "")))
	fmt.Fprintf(tw, "  replicas\t%s x %s, tp %d, %s scheduler, max_num_seqs %d\n", fmtAvgCount(r.kpi("replicas_up_avg", "")), sc.Model.Name, rp.TP, rp.Scheduler, rp.MaxNumSeqs)
	fmt.Fprintf(tw, "  batch occupancy\t%s of batch slots filled; busy time %s of replica time iterating; %s of peak FLOP/s, %s of HBM bandwidth, KV cache %s full\n",
		fmtPct(r.kpi("batch_occupancy", "")), fmtPct(r.kpi("utilization", "")), fmtPct(r.kpi("flops_utilization", "")), fmtPct(r.kpi("bandwidth_utilization", "")), fmtPct(r.kpi("kv_utilization", "")))
	if n := r.kpi("preemptions", ""); n > 0 {
		fmt.Fprintf(tw, "  preemptions\t%s\n", fmtCount(n))
	}
	if n := r.kpi("scale_ups", "") + r.kpi("scale_downs", ""); n > 0 {
		fmt.Fprintf(tw, "  autoscaling\t%s scale-ups, %s scale-downs\n", fmtCount(r.kpi("scale_ups", "")), fmtCount(r.kpi("scale_downs", "")))
	}
	if n := r.kpi("spot_interruptions", ""); n > 0 {
		fmt.Fprintf(tw, "  spot\t%s interruptions\n", fmtCount(n))
	}
	fmt.Fprintf(tw, "  calibration\t%s\n", r.calibration)
	tw.Flush()

	scopes := []string{}
	for _, w := range sc.Workloads {
		scopes = append(scopes, w.Name)
	}
	if len(scopes) > 1 {
		scopes = append(scopes, "")
	}
	label := func(s string) string {
		if s == "" {
			return "all"
		}
		return s
	}

	fmt.Fprintln(b, "\nTRAFFIC")
	tw = tabwriter.NewWriter(b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "\tarrived\tcompleted\tdropped\ttimed out\tabandoned\tunfinished\treq/s\tin tok/s\tout tok/s\t")
	for _, s := range scopes {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", label(s), fmtCount(r.kpi("requests_arrived", s)), fmtCount(r.kpi("requests_completed", s)),
			fmtCount(r.kpi("requests_dropped", s)), fmtCount(r.kpi("requests_timed_out", s)), fmtCount(r.kpi("requests_abandoned", s)), fmtCount(r.kpi("requests_unfinished", s)),
			fmtNum(r.kpi("throughput_rps", s), 2), fmtCount(r.kpi("input_tokens_per_s", s)), fmtCount(r.kpi("output_tokens_per_s", s)))
	}
	tw.Flush()
	if n := r.kpi("requests_truncated", ""); n > 0 {
		fmt.Fprintf(b, "  note: %s requests exceeded max_model_len %d and lost the oldest part of their prompt\n", fmtCount(n), rp.MaxModelLen)
	}

	fmt.Fprintln(b, "\nLATENCY")
	tw = tabwriter.NewWriter(b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "\tTTFT p50\tp90\tp99\tTPOT p50\tp99\tE2E p50\tp99\tSLO met\t")
	for _, s := range scopes {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", label(s),
			fmtSec(r.kpi("ttft_p50_s", s)), fmtSec(r.kpi("ttft_p90_s", s)), fmtSec(r.kpi("ttft_p99_s", s)),
			fmtSec(r.kpi("tpot_p50_s", s)), fmtSec(r.kpi("tpot_p99_s", s)),
			fmtSec(r.kpi("e2e_p50_s", s)), fmtSec(r.kpi("e2e_p99_s", s)), fmtPct(r.kpi("slo_attainment", s)))
	}
	tw.Flush()
	var slos []string
	for _, w := range sc.Workloads {
		if w.SLO.TTFT > 0 || w.SLO.TPOT > 0 {
			slos = append(slos, fmt.Sprintf("%s TTFT <= %v, TPOT <= %v", w.Name, w.SLO.TTFT, w.SLO.TPOT))
		}
	}
	if len(slos) > 0 {
		fmt.Fprintf(b, "  SLO: %s\n", strings.Join(slos, "; "))
	}

	fmt.Fprintln(b, "\nECONOMICS")
	tw = tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  cost\t%s = %s/h (instances %s, training %s, licensing %s)\n", fmtUSD(r.kpi("cost_usd", "")), fmtUSD(r.kpi("cost_per_hour_usd", "")),
		fmtUSD(r.kpi("cost_instances_usd", "")), fmtUSD(r.kpi("cost_training_usd", "")), fmtUSD(r.kpi("cost_licensing_usd", "")))
	fmt.Fprintf(tw, "  cost per Mtok\t%s all costs; instances only %s (input %s, output %s), at list price; tokens served, cached prompt apart\n",
		fmtUSD(r.kpi("cost_per_mtok_usd", "")), fmtUSD(r.kpi("cost_per_mtok_instances_usd", "")),
		fmtUSD(r.kpi("cost_per_mtok_input_usd", "")), fmtUSD(r.kpi("cost_per_mtok_output_usd", "")))
	fmt.Fprintf(tw, "  revenue\t%s (API tokens %s, agent fees %s, commerce %s, ads %s)\n", fmtUSD(r.kpi("revenue_usd", "")), fmtUSD(r.kpi("revenue_api_usd", "")),
		fmtUSD(r.kpi("revenue_agent_fees_usd", "")), fmtUSD(r.kpi("revenue_commerce_usd", "")), fmtUSD(r.kpi("revenue_ads_usd", "")))
	fmt.Fprintf(tw, "  margin\t%s (gross margin %s)\n", fmtUSD(r.kpi("margin_usd", "")), fmtPct(r.kpi("gross_margin", "")))
	if n := r.kpi("sessions_started", ""); n > 0 {
		fmt.Fprintf(tw, "  sessions\t%s completed, %s abandoned (%s), %s per session\n", fmtCount(r.kpi("sessions_completed", "")),
			fmtCount(r.kpi("sessions_abandoned", "")), fmtPct(r.kpi("session_abandon_rate", "")), fmtUSD(r.kpi("revenue_per_session_usd", "")))
		if a := r.kpi("ad_impressions", ""); a > 0 {
			fmt.Fprintf(tw, "  ads\t%s auctions, %s impressions, %s clicks, eCPM %s\n", fmtCount(r.kpi("ad_auctions", "")), fmtCount(a),
				fmtCount(r.kpi("ad_clicks", "")), fmtUSD(r.kpi("ad_ecpm_usd", "")))
		}
		fmt.Fprintf(tw, "  lost to latency\t%s (sessions' zero-queueing counterfactual minus actual)\n", fmtUSD(r.kpi("revenue_lost_to_latency_usd", "")))
	}
	if c := r.kpi("training_cost_per_retrain_usd", ""); !math.IsNaN(c) {
		line := fmt.Sprintf("  training\t%s per retrain (%s h on the dedicated cluster)", fmtUSD(c), fmtNum(r.kpi("training_retrain_hours", ""), 1))
		if cov := r.kpi("training_idle_coverage", ""); !math.IsNaN(cov) {
			line += fmt.Sprintf("; idle fleet capacity covers %s of it", fmtPct(cov))
		}
		fmt.Fprintln(tw, line)
	}
	tw.Flush()
	_, err := io.WriteString(out, b.String())
	return err
}

// jsonKPI is a KPI with NaN (undefined, e.g. a percentile of nothing) as null.
type jsonKPI struct {
	Name  string   `json:"name"`
	Scope string   `json:"scope,omitempty"`
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
	return map[string]any{
		"run_id":      r.runID,
		"scenario":    r.l.Scenario.Name,
		"seed":        r.l.Scenario.Seed,
		"horizon_s":   r.l.Scenario.Horizon.Seconds(),
		"wall_s":      r.wall.Seconds(),
		"events":      r.res.Events,
		"calibration": r.calibration,
		"kpis":        kpis,
		"replicas":    r.res.Replicas,
	}
}

// comparisonKPIs are the headline rows of a variant comparison, with whether
// a larger value is better.
var comparisonKPIs = []struct {
	name, label  string
	higherBetter bool
	format       func(float64) string
}{
	{"cost_per_hour_usd", "cost per hour", false, fmtUSD},
	{"cost_per_mtok_usd", "cost per Mtok (all costs)", false, fmtUSD},
	{"throughput_rps", "requests/s", true, func(v float64) string { return fmtNum(v, 2) }},
	{"output_tokens_per_s", "output tok/s", true, fmtCount},
	{"ttft_p99_s", "TTFT p99", false, fmtSec},
	{"tpot_p99_s", "TPOT p99", false, fmtSec},
	{"slo_attainment", "SLO met", true, fmtPct},
	{"utilization", "busy time", true, fmtPct},
	{"revenue_usd", "revenue", true, fmtUSD},
	{"revenue_lost_to_latency_usd", "lost to latency", false, fmtUSD},
	{"margin_usd", "margin", true, fmtUSD},
}

// printVariantComparison puts the variants' headline KPIs side by side, with
// the change against the first variant.
func printVariantComparison(out io.Writer, reps []runReport) error {
	b := &strings.Builder{}
	fmt.Fprintln(b, strings.Repeat("=", 78))
	fmt.Fprintf(b, "COMPARISON (change against %s)\n", variantName(reps[0]))
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "\t")
	for _, r := range reps {
		fmt.Fprintf(tw, "%s\t", variantName(r))
	}
	fmt.Fprintln(tw)
	for _, k := range comparisonKPIs {
		base := reps[0].kpi(k.name, "")
		if math.IsNaN(base) && math.IsNaN(reps[len(reps)-1].kpi(k.name, "")) {
			continue
		}
		fmt.Fprintf(tw, "  %s\t", k.label)
		for i, r := range reps {
			v := r.kpi(k.name, "")
			cell := k.format(v)
			if i > 0 && !math.IsNaN(v) && !math.IsNaN(base) && base != 0 {
				cell += fmt.Sprintf(" (%+.0f%%)", 100*(v-base)/math.Abs(base))
			}
			fmt.Fprintf(tw, "%s\t", cell)
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
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

func variantName(r runReport) string {
	n := r.l.Scenario.Name
	if i := strings.LastIndexByte(n, '/'); i >= 0 {
		return n[i+1:]
	}
	return n
}
