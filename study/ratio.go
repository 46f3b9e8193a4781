package study

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// denominators are, for the KPIs that are ratios of two run totals, each
// run's denominator, from the run's other KPIs (get, by name and scope) and
// the ratio's own value v. A sweep pools such a KPI over its replications as
// the ratio of the sums rather than the mean of the ratios: one 30-second
// run whose revenue was small read a gross margin of -630% and pulled the
// mean of 30 to 47%, where the 30 runs' margin over their revenue is 78%.
var denominators = map[string]func(get func(name, scope string) float64, scope string, v float64) float64{
	"gross_margin": func(get func(string, string) float64, _ string, _ float64) float64 { return get("revenue_usd", "") },
	"slo_attainment": func(get func(string, string) float64, scope string, _ float64) float64 {
		return get("requests_completed", scope) + get("requests_dropped", scope) + get("requests_timed_out", scope)
	},
	"session_abandon_rate": func(get func(string, string) float64, scope string, _ float64) float64 {
		return get("sessions_completed", scope) + get("sessions_abandoned", scope)
	},
	// Tokens served, in Mtok: the cost over its price per Mtok.
	"cost_per_mtok_usd": func(get func(string, string) float64, _ string, v float64) float64 { return get("cost_usd", "") / v },
	"cost_per_mtok_instances_usd": func(get func(string, string) float64, _ string, v float64) float64 {
		return get("cost_instances_usd", "") / v
	},
}

// denominatorParts are the KPIs the denominators read, which a summary
// keeps for every run beside the KPIs asked for.
var denominatorParts = []string{"revenue_usd", "requests_completed", "requests_dropped", "requests_timed_out",
	"sessions_completed", "sessions_abandoned", "cost_usd", "cost_instances_usd"}

// RatioCI is the pooled ratio of runs whose ratios are xs and denominators
// ws, sum(w x) / sum(w), with the half-width of its confidence interval at
// level from the ratio estimator's variance (the delta method):
// se^2 = sum((w_i (x_i - R))^2) / ((n-1) n wbar^2), Student t with n-1
// degrees of freedom. SD is the runs' ratios' standard deviation, as in
// MeanCI. Pairs with an undefined value or a denominator that is not
// positive are left out.
func RatioCI(xs, ws []float64, level float64) Interval {
	var x, w []float64
	for i := range xs {
		if !math.IsNaN(xs[i]) && ws[i] > 0 && !math.IsInf(ws[i], 0) {
			x, w = append(x, xs[i]), append(w, ws[i])
		}
	}
	iv := Interval{N: len(x), Mean: math.NaN(), SD: math.NaN(), HalfWidth: math.NaN()}
	if iv.N == 0 {
		return iv
	}
	var sumW, sumWX float64
	for i := range x {
		sumW += w[i]
		sumWX += w[i] * x[i]
	}
	iv.Mean = sumWX / sumW
	if iv.N < 2 {
		return iv
	}
	iv.SD = stat.StdDev(x, nil)
	var ss float64
	for i := range x {
		e := w[i] * (x[i] - iv.Mean)
		ss += e * e
	}
	n := float64(iv.N)
	wbar := sumW / n
	se := math.Sqrt(ss/(n-1)/n) / wbar
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: n - 1}.Quantile(1 - (1-level)/2)
	iv.HalfWidth = t * se
	return iv
}

// Pooled lists the KPIs of ks that a summary pools as ratios of the runs'
// totals rather than averages (denominators).
func Pooled(ks []KPIRef) []string {
	var out []string
	for _, k := range ks {
		if _, ok := denominators[k.Name]; ok && !slices.Contains(out, k.Name) {
			out = append(out, k.Name)
		}
	}
	return out
}
