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
	// Over the requests that ended and those that had missed their TTFT
	// SLO by the horizon (none in a store from before it counted them).
	"slo_attainment": func(get func(string, string) float64, scope string, v float64) (float64, float64) {
		ended := get("requests_completed", scope) + get("requests_dropped", scope) + get("requests_timed_out", scope) +
			definedOr0(get("requests_unfinished_late", scope))
		return definedOr0(v) * ended, ended
	},
	// Over the requests that ended, abandoned too (kpiecon.go).
	"good_experience_rate": func(get func(string, string) float64, scope string, v float64) (float64, float64) {
		ended := requestsEnded(get, scope)
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
	"session_abandon_rate": func(get func(string, string) float64, scope string, _ float64) (float64, float64) {
		return get("sessions_abandoned", scope), get("sessions_completed", scope) + get("sessions_abandoned", scope)
	},
	// Tokens served, in Mtok: the cost over its price per Mtok, none where
	// that price is undefined (it is where no token was served).
	"cost_per_mtok_usd": func(get func(string, string) float64, _ string, v float64) (float64, float64) {
		cost := get("cost_usd", "")
		return cost, mtokOf(cost, v)
	},
	"cost_per_mtok_instances_usd": func(get func(string, string) float64, _ string, v float64) (float64, float64) {
		cost := get("cost_instances_usd", "")
		return cost, mtokOf(cost, v)
	},
}

// requestsEnded are the requests that ended in scope: completed, dropped,
// timed out or abandoned.
func requestsEnded(get func(string, string) float64, scope string) float64 {
	return get("requests_completed", scope) + get("requests_dropped", scope) + get("requests_timed_out", scope) +
		get("requests_abandoned", scope)
}

func definedOr0(v float64) float64 {
	if math.IsNaN(v) {
		return 0
	}
	return v
}

// mtokOf is the Mtok served by a run that paid cost at usdPerMtok.
func mtokOf(cost, usdPerMtok float64) float64 {
	if !(usdPerMtok > 0) || math.IsInf(usdPerMtok, 0) {
		return 0
	}
	return cost / usdPerMtok
}

// ratioInputs are the KPIs ratioParts read, which a summary keeps for
// every run beside the KPIs asked for.
var ratioInputs = []string{"revenue_usd", "cost_instances_usd", "cost_licensing_usd", "requests_completed", "requests_dropped",
	"requests_timed_out", "requests_unfinished_late", "requests_abandoned", "sessions_completed", "sessions_abandoned", "cost_usd",
	"input_tokens_cached", "input_tokens_prefilled", "ad_impressions"}

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
	parts, ok := ratioParts[name]
	if !ok {
		return math.NaN(), false
	}
	nums, dens, xs := make([]float64, len(runs)), make([]float64, len(runs)), make([]float64, len(runs))
	for i, get := range runs {
		xs[i] = get(name, scope)
		nums[i], dens[i] = parts(get, scope, xs[i])
	}
	return RatioCI(nums, dens, xs, ConfidenceLevel).Mean, true
}

// RatioInputs are the KPIs PooledValue reads of each run beside the ratio
// itself.
func RatioInputs() []string { return slices.Clone(ratioInputs) }
