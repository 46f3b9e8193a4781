package tui

import (
	"math"
	"strings"

	"aiecon/sim"
)

// direction says whether more of a KPI is better for the business (+1),
// worse (-1), or neither (0: a load, a size, a setting). It decides the
// green/red of deltas and the colour scale of heatmaps.
type direction int

const (
	lowerBetter  direction = -1
	neutral      direction = 0
	higherBetter direction = 1
)

// kpiDirection knows the KPI names of sim/kpi.go. Rules go from specific to
// general; anything unknown is neutral, so a new KPI is never painted with
// a meaning it does not have.
func kpiDirection(name string) direction {
	switch name {
	case "utilization", "flops_utilization", "bandwidth_utilization", "kv_utilization",
		"instances_avg", "replicas_up_avg", "running_avg", "requests_arrived",
		"scale_ups", "scale_downs", "sessions_started", "ad_auctions",
		"training_retrain_hours", "training_flops_done", "training_idle_coverage",
		"input_tokens_per_s":
		// Busier hardware is cheaper per token but slower; arrivals and
		// sizes are inputs, not outcomes.
		return neutral
	case "revenue_lost_to_latency_usd", "session_abandon_rate", "preemptions", "spot_interruptions",
		"queue_depth_avg", "in_system_avg", "price_per_instance_hour_usd", "training_cost_per_retrain_usd":
		return lowerBetter
	case "slo_attainment", "goodput_rps", "throughput_rps", "output_tokens_per_s", "prefix_cache_hit_rate",
		"gross_margin", "margin_usd", "ad_impressions", "ad_clicks", "ad_ecpm_usd", "revenue_per_session_usd":
		return higherBetter
	}
	switch {
	case strings.HasPrefix(name, "cost"):
		return lowerBetter
	case strings.HasPrefix(name, "revenue"):
		return higherBetter
	case strings.HasPrefix(name, "requests_"):
		if name == "requests_completed" {
			return higherBetter
		}
		return lowerBetter // dropped, timed out, abandoned, unfinished, truncated
	case strings.HasPrefix(name, "sessions_"):
		if name == "sessions_completed" {
			return higherBetter
		}
		return lowerBetter
	case strings.HasSuffix(name, "_s"): // latencies: ttft, tpot, e2e, queue
		return lowerBetter
	}
	return neutral
}

// deltaTone colours a change of a KPI against its baseline.
func deltaTone(name string, delta float64) tone {
	if undefined(delta) || delta == 0 {
		return toneMuted
	}
	d := kpiDirection(name)
	switch {
	case d == neutral:
		return toneNone
	case (delta > 0) == (d == higherBetter):
		return toneGood
	}
	return toneBad
}

// deltaArrow marks the direction of a change so that it reads without colour.
func deltaArrow(delta float64) string {
	switch {
	case undefined(delta) || delta == 0:
		return " "
	case delta > 0:
		return "▲"
	}
	return "▼"
}

// kpiLabel is the human name of a KPI in tables.
func kpiLabel(name string) string {
	if l, ok := kpiLabels[name]; ok {
		return l
	}
	return strings.ReplaceAll(name, "_", " ")
}

var kpiLabels = map[string]string{
	"cost_per_mtok_usd":           "cost per Mtok (all costs)",
	"cost_per_mtok_instances_usd": "cost per Mtok (instances only)",
	"cost_per_mtok_input_usd":     "cost per Mtok (input, instances)",
	"cost_per_mtok_output_usd":    "cost per Mtok (output, instances)",
	"cost_per_hour_usd":           "cost per hour",
	"cost_usd":                    "cost",
	"cost_instances_usd":          "cost: instances",
	"cost_training_usd":           "cost: training",
	"cost_licensing_usd":          "cost: licensing",
	"revenue_usd":                 "revenue",
	"revenue_api_usd":             "revenue: API tokens",
	"revenue_agent_fees_usd":      "revenue: agent fees",
	"revenue_commerce_usd":        "revenue: commerce",
	"revenue_ads_usd":             "revenue: ads",
	"revenue_lost_to_latency_usd": "revenue lost to latency",
	"margin_usd":                  "margin",
	"gross_margin":                "gross margin",
	"ttft_p50_s":                  "TTFT p50",
	"ttft_p90_s":                  "TTFT p90",
	"ttft_p99_s":                  "TTFT p99",
	"tpot_p50_s":                  "TPOT p50",
	"tpot_p90_s":                  "TPOT p90",
	"tpot_p99_s":                  "TPOT p99",
	"e2e_p50_s":                   "E2E p50",
	"e2e_p90_s":                   "E2E p90",
	"e2e_p99_s":                   "E2E p99",
	"e2e_mean_s":                  "E2E mean",
	"queue_p50_s":                 "queue wait p50",
	"queue_p90_s":                 "queue wait p90",
	"queue_p99_s":                 "queue wait p99",
	"slo_attainment":              "SLO attainment",
	"goodput_rps":                 "goodput",
	"throughput_rps":              "throughput",
	"output_tokens_per_s":         "output tokens/s",
	"input_tokens_per_s":          "input tokens/s",
	"utilization":                 "busy time",
	"flops_utilization":           "FLOP/s utilization",
	"bandwidth_utilization":       "HBM bandwidth utilization",
	"kv_utilization":              "KV-cache utilization",
	"price_per_instance_hour_usd": "price per instance-hour",
	"instances_avg":               "instances (average)",
	"replicas_up_avg":             "replicas serving (average)",
	"queue_depth_avg":             "queue depth (average)",
}

// headlineKPIs are the whole-run KPIs the Compare screen shows first, in
// the order a strategist reads them: unit economics, money, latency, load.
var headlineKPIs = []string{
	"cost_per_mtok_usd", "revenue_usd", "cost_usd", "margin_usd", "gross_margin",
	"revenue_api_usd", "revenue_agent_fees_usd", "revenue_commerce_usd", "revenue_ads_usd",
	"revenue_lost_to_latency_usd", "cost_instances_usd", "cost_training_usd", "cost_licensing_usd",
	"cost_per_hour_usd", "ttft_p50_s", "ttft_p99_s", "tpot_p99_s", "e2e_p99_s", "slo_attainment",
	"throughput_rps", "goodput_rps", "output_tokens_per_s", "utilization", "requests_completed",
	"requests_dropped", "instances_avg",
}

// kpiSet indexes a run's KPIs by scope and name.
type kpiSet map[[2]string]sim.KPI

func newKPISet(ks []sim.KPI) kpiSet {
	m := make(kpiSet, len(ks))
	for _, k := range ks {
		m[[2]string{k.Scope, k.Name}] = k
	}
	return m
}

// get returns the value of a KPI, NaN when the run does not have it.
func (s kpiSet) get(scope, name string) float64 {
	if k, ok := s[[2]string{scope, name}]; ok {
		return k.Value
	}
	return math.NaN()
}
