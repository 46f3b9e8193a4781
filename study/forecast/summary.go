package forecast

import (
	"math"
	"slices"
	"strings"

	"aiecon/study"
)

// Band is the P10, P50 and P90 of a figure over the Monte Carlo samples
// (all three equal the figure when there is one sample).
type Band struct {
	P10 Ratio `json:"p10"`
	P50 Ratio `json:"p50"`
	P90 Ratio `json:"p90"`
}

// Metric reads one figure of a period, by name.
type Metric struct {
	Name, Unit string
	Get        func(Period) float64
}

// Metrics are the figures banded per period, in report order.
var Metrics = []Metric{
	{"revenue_usd", "USD", func(p Period) float64 { return p.RevenueUSD }},
	{"revenue_api_usd", "USD", func(p Period) float64 { return p.RevenueAPIUSD }},
	{"revenue_agent_fees_usd", "USD", func(p Period) float64 { return p.RevenueAgentFeesUSD }},
	{"revenue_commerce_usd", "USD", func(p Period) float64 { return p.RevenueCommerceUSD }},
	{"revenue_ads_usd", "USD", func(p Period) float64 { return p.RevenueAdsUSD }},
	{"cost_usd", "USD", func(p Period) float64 { return p.CostUSD }},
	{"cost_rent_usd", "USD", func(p Period) float64 { return p.CostRentUSD }},
	{"cost_depreciation_usd", "USD", func(p Period) float64 { return p.CostDepreciationUSD }},
	{"cost_power_usd", "USD", func(p Period) float64 { return p.CostPowerUSD }},
	{"cost_facility_ops_usd", "USD", func(p Period) float64 { return p.CostFacilityOpsUSD }},
	{"cost_licensing_usd", "USD", func(p Period) float64 { return p.CostLicensingUSD }},
	{"cost_training_usd", "USD", func(p Period) float64 { return p.CostTrainingUSD }},
	{"gross_margin_usd", "USD", func(p Period) float64 { return p.GrossMarginUSD }},
	{"operating_margin_usd", "USD", func(p Period) float64 { return p.OperatingMarginUSD }},
	{"gross_margin", "fraction", func(p Period) float64 { return float64(p.GrossMargin) }},
	{"operating_margin", "fraction", func(p Period) float64 { return float64(p.OperatingMargin) }},
	{"cost_per_mtok_usd", "USD/Mtok", func(p Period) float64 { return float64(p.CostPerMTokUSD) }},
	{"cost_per_mtok_infra_usd", "USD/Mtok", func(p Period) float64 { return float64(p.CostPerMTokInfraUSD) }},
	{"headroom", "fraction", func(p Period) float64 { return float64(p.Headroom) }},
	{"slo_attainment", "fraction", func(p Period) float64 { return float64(p.SLOAttainment) }},
	{"session_abandon_rate", "fraction", func(p Period) float64 { return float64(p.SessionAbandon) }},
	// The fleet's part of it (a call dropped or timed out), which the
	// abandon rate counts with the users who gave up.
	{"session_fail_rate", "fraction", func(p Period) float64 { return float64(p.SessionFail) }},
	// What ABANDONMENT DECIDES THE COMPARISON weighs, stored so that its
	// figure can be checked (compare --forecast's vs column of it).
	{"sessions_revenue_lost_to_latency_usd", "USD", func(p Period) float64 { return p.SessionsLostToLatencyUSD }},
	{"licensing_per_request_usd", "USD/request", func(p Period) float64 { return float64(p.LicensingPerReq) }},
	{"licensing_per_session_usd", "USD/session", func(p Period) float64 { return float64(p.LicensingPerSes) }},
	{"instances_avg", "count", func(p Period) float64 { return p.InstancesAvg }},
	// The parts of RENT, REVENUE and LICENSE that RESERVED INSTANCES IDLE
	// and UNFINISHED SESSIONS speak of, stored so that sql and compare
	// --forecast can split RENT into the reservations run and held idle and
	// REVENUE into served and estimated: they were in report_json alone,
	// and after a merge of shards in the first shard's only. --json keys
	// the sessions' value still to earn revenue_unfinished_usd; stored, it
	// is named as sessions_revenue_lost_to_latency_usd is, because the run
	// KPI revenue_unfinished_usd counts the API requests in flight too.
	{"reserved_idle_instances", "count", func(p Period) float64 { return p.ReservedIdle }},
	{"reserved_idle_usd", "USD", func(p Period) float64 { return p.ReservedIdleUSD }},
	// The other part RENT adds to the runs' rent: the on-demand rent of the
	// instances run on a reservation, repriced at its rate (below 0 where
	// on-demand is dearer). reserved_idle_usd held it too, and read as a
	// negative cost of idle instances, lower as if better.
	{"reserved_repriced_usd", "USD", func(p Period) float64 { return p.ReservedRepricedUSD }},
	// What paying reservations all up front moves RENT by (upfront.go).
	{"reserved_upfront_usd", "USD", func(p Period) float64 { return p.ReservedUpfrontUSD }},
	{"revenue_unfinished_counted_usd", "USD", func(p Period) float64 { return p.RevenueUnfinishedUSD }},
	{"sessions_revenue_unfinished_usd", "USD", func(p Period) float64 { return p.UnfinishedValueUSD }},
	{"licensing_unfinished_counted_usd", "USD", func(p Period) float64 { return p.LicensingUnfinishedUSD }},
	// LICENSE's parts, which add up to cost_licensing_usd: the per-use fees
	// (per-document fees and revenue shares, a guarantee's documents and
	// the unfinished sessions' steps), the flat contracts and the
	// guarantees' top-ups. --json split it, the stored rows did not, so
	// compare --forecast and sql could not tell a flat fee from use.
	{"licensing_per_use_usd", "USD", func(p Period) float64 { return p.LicensingPerUseUSD }},
	{"licensing_flat_usd", "USD", func(p Period) float64 { return p.LicensingFlatUSD }},
	{"licensing_true_up_usd", "USD", func(p Period) float64 { return p.LicensingTrueUpUSD }},
}

// PeriodSummary is one period of one variant across the samples.
type PeriodSummary struct {
	Variant string          `json:"variant"`
	Period  int             `json:"period"`
	Samples int             `json:"samples"`
	Bands   map[string]Band `json:"bands"`
	// CumMargin is the operating margin summed from period 1 to this one,
	// banded over the samples whose every such period the report holds
	// (cumulate); nil where none does (a shard without period 1). The
	// table's margins were per period alone, so when margin turns
	// positive over the horizon had to be added up by hand. It is no
	// metric: compare --forecast sums metrics over the periods.
	CumMargin *Band `json:"cumulative_operating_margin_usd,omitempty"`
	// Periods are the samples' periods, in sample order.
	Periods []Period `json:"samples_detail,omitempty"`
}

// Summarize bands every metric over the samples, per variant and period,
// in variant then period order.
func Summarize(periods []Period) []PeriodSummary {
	type key struct {
		v string
		k int
	}
	groups := map[key][]Period{}
	var order []key
	for _, p := range periods {
		k := key{p.Variant, p.Period}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], p)
	}
	out := make([]PeriodSummary, 0, len(order))
	for _, k := range order {
		ps := groups[k]
		s := PeriodSummary{Variant: k.v, Period: k.k, Samples: len(ps), Bands: map[string]Band{}, Periods: ps}
		for _, m := range Metrics {
			xs := make([]float64, len(ps))
			for i, p := range ps {
				xs[i] = m.Get(p)
			}
			s.Bands[m.Name] = Band{quantile(xs, 0.1), quantile(xs, 0.5), quantile(xs, 0.9)}
		}
		out = append(out, s)
	}
	cumulate(out)
	return out
}

// cumulate sets each summary's CumMargin: per variant and sample, the
// operating margin summed over periods 1 to the summary's, where the
// summaries hold every one of them.
func cumulate(out []PeriodSummary) {
	type vs struct {
		v string
		s int
	}
	margins := map[vs]map[int]float64{}
	for _, s := range out {
		for _, p := range s.Periods {
			k := vs{p.Variant, p.Sample}
			if margins[k] == nil {
				margins[k] = map[int]float64{}
			}
			margins[k][p.Period] = p.OperatingMarginUSD
		}
	}
	for i := range out {
		var xs []float64
		for _, p := range out[i].Periods {
			sum, whole := 0.0, true
			for k := 1; k <= out[i].Period && whole; k++ {
				m, ok := margins[vs{p.Variant, p.Sample}][k]
				sum, whole = sum+m, ok
			}
			if whole {
				xs = append(xs, sum)
			}
		}
		if len(xs) > 0 {
			out[i].CumMargin = &Band{quantile(xs, 0.1), quantile(xs, 0.5), quantile(xs, 0.9)}
		}
	}
}

// quantile is study.Quantile of the values that are not NaN; NaN when
// nothing is left.
func quantile(xs []float64, q float64) Ratio {
	var v []float64
	for _, x := range xs {
		if !math.IsNaN(x) {
			v = append(v, x)
		}
	}
	slices.Sort(v)
	return Ratio(study.Quantile(v, q))
}

// Better is which way a USD line of Metrics is better for the business:
// +1 where more is (revenue, margins), -1 where less is (costs, their idle
// reservations and the repricing of instances run on a reservation, parts
// of RENT counted apart; revenue lost to latency, and left
// unfinished, as the run KPI revenue_unfinished_usd), 0 for a name it does
// not know, which no comparison should call better or worse. The
// *_unfinished_counted_usd lines are 0 too: estimates of what the sessions
// still running at a slice's end earn and cost, they grow with a slower
// fleet's backlog, so more revenue counted there is no win (a fleet at SLO
// risk was "better in 100%" on it) nor less licensing a saving.
// compare --forecast counts the samples in which a variant beats the first
// by it.
func Better(metric string) int {
	switch {
	case strings.HasSuffix(metric, "_unfinished_counted_usd"):
		return 0
	case strings.Contains(metric, "_lost_"), strings.HasSuffix(metric, "_unfinished_usd"), strings.HasPrefix(metric, "cost_"),
		strings.HasPrefix(metric, "reserved_idle_"), metric == "reserved_repriced_usd", metric == "reserved_upfront_usd",
		strings.HasPrefix(metric, "licensing_"):
		return -1
	case strings.HasPrefix(metric, "revenue_"), strings.HasSuffix(metric, "margin_usd"):
		return 1
	}
	return 0
}
