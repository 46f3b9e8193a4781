package study

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// ratioParts are, for the KPIs that are ratios of two run totals, each
// run's numerator and denominator, from the run's other KPIs (get, by name
// and scope) and the ratio's own value v. A sweep pools such a KPI over its
// replications as the ratio of the sums rather than the mean of the ratios:
// thirty 30-second baseline runs averaged a gross margin of 49% where their
// margin over their revenue is 58%. The parts are read, not rebuilt as
// v x denominator, so that a run whose ratio is undefined still counts: a
// run that completed nothing earned no revenue and served no token, but its
// cost is in the totals. A numerator no KPI gives (the SLO-met requests,
// the completions' summed latency) is rebuilt from v, which loses nothing:
// it is zero wherever its denominator is.
var ratioParts = map[string]func(get func(name, scope string) float64, scope string, v float64) (num, den float64){
	"gross_margin": func(get func(string, string) float64, _ string, _ float64) (float64, float64) {
		rev := get("revenue_usd", "")
		return rev - get("cost_instances_usd", "") - get("cost_licensing_usd", ""), rev
	},
	// Over its own denominator, slo_requests: the requests of workloads
	// with an SLO that ended, and those that had missed their TTFT SLO by
	// the horizon. A store from before slo_requests counts every request
	// that ended (and the late ones where it counted them). A run whose
	// scope sets no SLO has none (v undefined) and adds nothing.
	"slo_attainment": func(get func(string, string) float64, scope string, v float64) (float64, float64) {
		if math.IsNaN(v) {
			return 0, 0
		}
		ended := get("slo_requests", scope)
		if math.IsNaN(ended) {
			ended = get("requests_completed", scope) + get("requests_dropped", scope) + get("requests_timed_out", scope) +
				definedOr0(get("requests_unfinished_late", scope))
		}
		return v * ended, ended
	},
	// Over the requests that ended, abandoned too, and those unfinished past
	// their TTFT SLO (kpiecon.go).
	"good_experience_rate": func(get func(string, string) float64, scope string, v float64) (float64, float64) {
		ended := requestsEnded(get, scope) + definedOr0(get("requests_unfinished_late", scope))
		return definedOr0(v) * ended, ended
	},
	"abandon_rate": func(get func(string, string) float64, scope string, _ float64) (float64, float64) {
		return get("requests_abandoned", scope), requestsEnded(get, scope)
	},
	// Over the requests completed: their summed end-to-end latency.
	"e2e_mean_s": func(get func(string, string) float64, scope string, v float64) (float64, float64) {
		done := get("requests_completed", scope)
		return definedOr0(v) * done, done
	},
	// Cached prompt tokens over all the prompt tokens of completed requests.
	"prefix_cache_hit_rate": func(get func(string, string) float64, scope string, _ float64) (float64, float64) {
		cached := get("input_tokens_cached", scope)
		return cached, cached + get("input_tokens_prefilled", scope)
	},
	// The ended sessions' revenue over the sessions that ended.
	"revenue_per_session_usd": func(get func(string, string) float64, scope string, v float64) (float64, float64) {
		ended := get("sessions_completed", scope) + get("sessions_abandoned", scope)
		return definedOr0(v) * ended, ended
	},
	// Ad revenue per thousand impressions, over the impressions.
	"ad_ecpm_usd": func(get func(string, string) float64, scope string, v float64) (float64, float64) {
		imp := get("ad_impressions", scope)
		return definedOr0(v) * imp, imp
	},
	// What advertisers paid per click, over the expected clicks (the ads
	// revenue over them, sim/kpiecon.go). Undefined where slots sell per
	// impression (cpm): such a run adds nothing, as one without a click.
	"ad_paid_cpc_usd": func(get func(string, string) float64, scope string, v float64) (float64, float64) {
		if math.IsNaN(v) {
			return 0, 0
		}
		clicks := get("ad_clicks_expected", scope)
		return v * clicks, clicks
	},
	// Slots filled over slots offered, pooled over the auctions (each run
	// of a sweep point offers the same slots per auction).
	"ad_fill_rate": func(get func(string, string) float64, scope string, v float64) (float64, float64) {
		n := get("ad_auctions", scope)
		return definedOr0(v) * n, n
	},
	"session_abandon_rate": func(get func(string, string) float64, scope string, _ float64) (float64, float64) {
		return get("sessions_abandoned", scope), get("sessions_completed", scope) + get("sessions_abandoned", scope)
	},
	// The fleet's part of it: a run stored before sessions_failed has no
	// numerator (NaN) and is left out, not read as failing no session.
	"session_fail_rate": func(get func(string, string) float64, scope string, _ float64) (float64, float64) {
		return get("sessions_failed", scope), get("sessions_completed", scope) + get("sessions_abandoned", scope)
	},
	// Tokens billed, in Mtok: the cost over its price per Mtok, none where
	// that price is undefined (it is where no token was served). The
	// figure computed pools the same way over the tokens computed.
	"cost_per_mtok_usd": func(get func(string, string) float64, _ string, v float64) (float64, float64) {
		cost := get("cost_usd", "")
		return cost, mtokOf(cost, v, func() float64 { return promptTokens(get) + outputTokens(get) })
	},
	"cost_per_mtok_computed_usd": func(get func(string, string) float64, _ string, v float64) (float64, float64) {
		cost := get("cost_usd", "")
		return cost, mtokOf(cost, v, func() float64 { return definedOr0(get("input_tokens_prefilled", "")) + outputTokens(get) })
	},
	// The instances' cost split between prompt and output tokens by the
	// replica time their prefill and decode took (sim/kpi.go), over the
	// prompt tokens billed and over the output tokens. The share of the
	// cost is no stored total, so it is rebuilt from v; a run that billed
	// no token has no split (v undefined) and adds nothing, where
	// cost_per_mtok_instances_usd counts its cost. The output tokens are
	// the prompt tokens times the ratio of the two token rates, which share
	// the run's horizon.
	"cost_per_mtok_input_usd": func(get func(string, string) float64, _ string, v float64) (float64, float64) {
		if math.IsNaN(v) {
			return 0, 0
		}
		mtok := promptTokens(get) / 1e6
		return v * mtok, mtok
	},
	"cost_per_mtok_output_usd": func(get func(string, string) float64, _ string, v float64) (float64, float64) {
		if math.IsNaN(v) {
			return 0, 0
		}
		mtok := outputTokens(get) / 1e6
		return v * mtok, mtok
	},
	// Every cost over the requests completed: the run's cost, read, so
	// that a run that completed nothing still adds what it cost; a
	// workload's attributed cost is no stored total, so it is rebuilt from
	// v, and a workload run that completed nothing adds nothing (its cost
	// per request is undefined).
	"cost_per_request_usd": func(get func(string, string) float64, scope string, v float64) (float64, float64) {
		done := get("requests_completed", scope)
		if scope == "" {
			return get("cost_usd", ""), done
		}
		return definedOr0(v) * done, done
	},
	// The agents' attributed cost over their sessions completed, rebuilt
	// from v (no stored total), as a workload's cost per request is.
	"cost_per_session_usd": func(get func(string, string) float64, scope string, v float64) (float64, float64) {
		done := get("sessions_completed", scope)
		return definedOr0(v) * done, done
	},
	// The instances' alone: the run's, or a model's of a mix (its own
	// instances over its own calls' tokens), so read at the KPI's scope.
	"cost_per_mtok_instances_usd": func(get func(string, string) float64, scope string, v float64) (float64, float64) {
		cost := get("cost_instances_usd", scope)
		return cost, mtokOf(cost, v, func() float64 {
			if scope != "" {
				return scopeTokens(get, scope)
			}
			return promptTokens(get) + outputTokens(get)
		})
	},
}

// scopeTokens are the prompt and output tokens of a scope's completed
// calls (a model of a mix), as the simulator counts them for its cost
// per Mtok: the scope's token rates times the run's simulated seconds,
// which are the run's prompt tokens over its prompt token rate (no scope
// stores its token totals); none where the run billed no prompt token.
func scopeTokens(get func(string, string) float64, scope string) float64 {
	in, rateIn := promptTokens(get), get("input_tokens_per_s", "")
	if in == 0 || !(rateIn > 0) {
		return 0
	}
	return (definedOr0(get("input_tokens_per_s", scope)) + definedOr0(get("output_tokens_per_s", scope))) * in / rateIn
}

// requestsEnded are the requests that ended in scope: completed, dropped,
// timed out or abandoned.
func requestsEnded(get func(string, string) float64, scope string) float64 {
	return get("requests_completed", scope) + get("requests_dropped", scope) + get("requests_timed_out", scope) +
		get("requests_abandoned", scope)
}

// promptTokens are the prompt tokens a run billed: those of its
// completed requests, found in the prefix cache or prefilled.
func promptTokens(get func(string, string) float64) float64 {
	return get("input_tokens_cached", "") + get("input_tokens_prefilled", "")
}

// outputTokens are the output tokens a run billed: its prompt tokens
// times output_tokens_per_s over input_tokens_per_s (both over the run's
// horizon), none where it billed no prompt token.
func outputTokens(get func(string, string) float64) float64 {
	in, rateIn, rateOut := promptTokens(get), get("input_tokens_per_s", ""), get("output_tokens_per_s", "")
	if in == 0 || rateIn == 0 {
		return 0
	}
	return in * rateOut / rateIn
}

func definedOr0(v float64) float64 {
	if math.IsNaN(v) {
		return 0
	}
	return v
}

// mtokOf is the Mtok served by a run that paid cost at usdPerMtok. A run
// that paid nothing at $0 per Mtok (a free fleet: fleet.price_usd_per_hour:
// 0) served tokens that cost over price cannot tell (0/0), so they are
// counted from its token KPIs (tokens, in tokens): without them a sweep of
// free fleets pooled 0/0 and printed no cost per Mtok where each run's was $0.
func mtokOf(cost, usdPerMtok float64, tokens func() float64) float64 {
	if cost == 0 && usdPerMtok == 0 {
		return definedOr0(tokens()) / 1e6
	}
	if !(usdPerMtok > 0) || math.IsInf(usdPerMtok, 0) {
		return 0
	}
	return cost / usdPerMtok
}

// ratioInputs are the KPIs ratioParts read, which a summary keeps for
// every run beside the KPIs asked for.
var ratioInputs = []string{"revenue_usd", "cost_instances_usd", "cost_licensing_usd", "requests_completed", "requests_dropped",
	"requests_timed_out", "requests_unfinished_late", "slo_requests", "requests_abandoned", "sessions_completed", "sessions_abandoned", "sessions_failed", "cost_usd",
	"input_tokens_cached", "input_tokens_prefilled", "ad_auctions", "ad_impressions", "ad_clicks_expected", "input_tokens_per_s", "output_tokens_per_s"}

// RatioCI is the ratio of the runs' totals, sum(num) / sum(den), with the
// half-width of its confidence interval at level from the ratio
// estimator's variance (the delta method, Cochran's):
// se^2 = sum((num_i - R den_i)^2) / ((n-1) n denbar^2), Student t with n-1
// degrees of freedom. SD is the standard deviation of the runs' own ratios
// xs where defined, as in MeanCI. A run whose parts are not both finite is
// left out (a store without them); one with a zero denominator counts.
func RatioCI(nums, dens, xs []float64, level float64) Interval {
	var num, den, ratios []float64
	for i := range nums {
		if isFinite(nums[i]) && isFinite(dens[i]) && dens[i] >= 0 {
			num, den = append(num, nums[i]), append(den, dens[i])
			if !math.IsNaN(xs[i]) {
				ratios = append(ratios, xs[i])
			}
		}
	}
	iv := Interval{N: len(num), Mean: math.NaN(), SD: math.NaN(), HalfWidth: math.NaN()}
	var sumNum, sumDen float64
	for i := range num {
		sumNum += num[i]
		sumDen += den[i]
	}
	if !(sumDen > 0) {
		return iv
	}
	iv.Mean = sumNum / sumDen
	if iv.N < 2 {
		return iv
	}
	if len(ratios) >= 2 {
		iv.SD = stat.StdDev(ratios, nil)
	}
	var ss float64
	for i := range num {
		e := num[i] - iv.Mean*den[i]
		ss += e * e
	}
	n := float64(iv.N)
	se := math.Sqrt(ss/(n-1)/n) / (sumDen / n)
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: n - 1}.Quantile(1 - (1-level)/2)
	iv.HalfWidth = t * se
	return iv
}

// proportions are the ratio KPIs that are shares of a count, in [0, 1]:
// their interval is ProportionCI's.
var proportions = map[string]bool{"slo_attainment": true, "good_experience_rate": true, "abandon_rate": true,
	"prefix_cache_hit_rate": true, "session_abandon_rate": true, "session_fail_rate": true}

// ratioInterval is a ratio KPI's pooled value and interval: ProportionCI's
// for a proportion, RatioCI's for any other.
func ratioInterval(name string, nums, dens, xs []float64, level float64) Interval {
	if proportions[name] {
		return ProportionCI(nums, dens, xs, level)
	}
	return RatioCI(nums, dens, xs, level)
}

// ProportionCI is a proportion pooled over runs, sum(num) / sum(den), as
// RatioCI, with a Wilson score interval, which stays inside [0, 1] and
// keeps a width when every run met the target. Requests of one run are not
// independent (a busy period delays many), so the runs' own spread counts
// too: the interval is the wider, end by end, of two Wilson intervals, one
// on the pooled count n with the normal quantile (the requests as
// independent trials), one on the effective count p(1-p)/se^2 with
// RatioCI's Student t quantile of N-1 degrees of freedom (the runs as the
// trials; se^2 is RatioCI's variance, and for many effective requests this
// is RatioCI's interval). Each is a justified interval under its own
// reading, and the hull of the two is never narrower than either. It
// moves continuously with the data: the interval once switched from the
// first to the second where se^2 crossed p(1-p)/n, where the effective
// count is n but the quantile jumped from z to t (12.7 for two runs), so
// one request more or less in one run widened it 14-fold. Runs that all
// met the target (p = 1) measure no spread, and get the Wilson interval of
// n requests: [n/(n+z^2), 1]; so do runs whose spread is far under the
// binomial, whose t interval is the narrower. With one run there is no
// interval, as for any KPI.
func ProportionCI(nums, dens, xs []float64, level float64) Interval {
	iv := RatioCI(nums, dens, xs, level)
	if iv.N < 2 || math.IsNaN(iv.Mean) {
		return iv
	}
	var n float64
	for i := range nums {
		if isFinite(nums[i]) && isFinite(dens[i]) && dens[i] >= 0 {
			n += dens[i]
		}
	}
	p := min(max(iv.Mean, 0), 1)
	q := 1 - level
	z := distuv.UnitNormal.Quantile(1 - q/2)
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(iv.N - 1)}.Quantile(1 - q/2)
	lo, hi := wilson(p, n, z)
	if se := iv.HalfWidth / t; p*(1-p) > 0 && se > 0 {
		loT, hiT := wilson(p, p*(1-p)/(se*se), t)
		lo, hi = min(lo, loT), max(hi, hiT)
	}
	iv.Bounded = true
	// The Wilson interval holds p; rounding must not move an end past it.
	iv.Lo, iv.Hi = min(lo, iv.Mean), max(hi, iv.Mean)
	iv.HalfWidth = (iv.Hi - iv.Lo) / 2
	return iv
}

// wilson is the Wilson score interval of a proportion p over n trials at
// quantile z, clamped to [0, 1].
func wilson(p, n, z float64) (lo, hi float64) {
	z2 := z * z
	center := (p + z2/(2*n)) / (1 + z2/n)
	h := z / (1 + z2/n) * math.Sqrt(p*(1-p)/n+z2/(4*n*n))
	return max(center-h, 0), min(center+h, 1)
}

func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// Pooled lists the KPIs of ks that a summary pools as ratios of the runs'
// totals rather than averages (ratioParts).
func Pooled(ks []KPIRef) []string {
	var out []string
	for _, k := range ks {
		if _, ok := ratioParts[k.Name]; ok && !slices.Contains(out, k.Name) {
			out = append(out, k.Name)
		}
	}
	return out
}

// PooledValue is KPI name's value over runs, each given by its KPIs (get,
// by name and scope), pooled as the runs' totals' ratio when the KPI is a
// ratio of run totals (ratioParts); ok is false for any other KPI, which a
// caller averages. The dashboard's sweep screen shows it, so that it reads
// what `aiecon sweep` prints.
func PooledValue(name, scope string, runs []func(name, scope string) float64) (v float64, ok bool) {
	iv, ok := PooledInterval(name, scope, runs)
	return iv.Mean, ok
}

// PooledInterval is PooledValue's pooled value as an Interval, whose N
// counts the runs the value rests on, as Summarize's does: PartialMark
// tells, from it, a value that rests on some of a point's runs only.
func PooledInterval(name, scope string, runs []func(name, scope string) float64) (Interval, bool) {
	parts, ok := ratioParts[name]
	if !ok {
		return Interval{Mean: math.NaN()}, false
	}
	nums, dens, xs := make([]float64, len(runs)), make([]float64, len(runs)), make([]float64, len(runs))
	for i, get := range runs {
		xs[i] = get(name, scope)
		nums[i], dens[i] = parts(get, scope, xs[i])
	}
	return ratioInterval(name, nums, dens, xs, ConfidenceLevel), true
}

// HasProportion says whether any of ks is a proportion, whose interval a
// table prints as [low, high] (ProportionCI).
func HasProportion(ks []KPIRef) bool {
	return slices.ContainsFunc(ks, func(k KPIRef) bool { return proportions[k.Name] })
}

// RatioInputs are the KPIs PooledValue reads of each run beside the ratio
// itself.
func RatioInputs() []string { return slices.Clone(ratioInputs) }
