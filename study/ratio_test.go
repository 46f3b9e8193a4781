package study

import (
	"math"
	"testing"
)

// RatioCI pools by the denominators: reference values computed by hand.
// Three runs, margins 0.8, 0.7 and -6.3 on revenues 100, 120 and 5: the
// pooled ratio is (80 + 84 - 31.5) / 225 = 0.588889; residuals w(x - R) are
// 21.1111, 13.3333, -34.4444, so se = sqrt(1809.877 / 2 / 3) / 75 =
// 0.2315728 and the half-width t(0.975, 2) x se = 4.302653 x 0.2315728.
func TestRatioCI(t *testing.T) {
	iv := RatioCI([]float64{0.8, 0.7, -6.3}, []float64{100, 120, 5}, 0.95)
	if iv.N != 3 || math.Abs(iv.Mean-132.5/225) > 1e-12 {
		t.Errorf("pooled ratio %v over %d runs, want %v over 3", iv.Mean, iv.N, 132.5/225)
	}
	if want := 4.302653 * 0.2315728; math.Abs(iv.HalfWidth-want) > 1e-5 {
		t.Errorf("half-width %v, want %v", iv.HalfWidth, want)
	}
	// Equal denominators: the mean of the ratios.
	if iv := RatioCI([]float64{1, 2, 3}, []float64{5, 5, 5}, 0.95); math.Abs(iv.Mean-2) > 1e-12 {
		t.Errorf("equal weights: %v, want 2", iv.Mean)
	}
	// Undefined values and empty denominators are left out.
	if iv := RatioCI([]float64{math.NaN(), 0.5, 0.9}, []float64{10, 0, 10}, 0.95); iv.N != 1 || iv.Mean != 0.9 || !math.IsNaN(iv.HalfWidth) {
		t.Errorf("one usable run: %+v", iv)
	}
}

// A point's ratio KPI is pooled by its runs' denominators and any other
// KPI averaged; a replication that did not complete counts in neither.
func TestPointInterval(t *testing.T) {
	reps := [][]float64{{0.8, 10}, nil, {0.7, 20}, {-6.3, 30}}
	ws := [][]float64{{100, math.NaN()}, nil, {120, math.NaN()}, {5, math.NaN()}}
	if got := pointInterval(reps, ws, 0); got.N != 3 || math.Abs(got.Mean-132.5/225) > 1e-12 {
		t.Errorf("gross margin %+v, want pooled %v", got, 132.5/225)
	}
	if got := pointInterval(reps, ws, 1); got.N != 3 || got.Mean != 20 {
		t.Errorf("a plain KPI %+v, want the mean 20", got)
	}
	if got := pointInterval(reps, nil, 0); math.Abs(got.Mean-(0.8+0.7-6.3)/3) > 1e-12 {
		t.Errorf("no denominators: %+v, want the mean", got)
	}
}

// The denominators read each ratio's parts from the run's KPIs: SLO
// attainment's requests that ended in its own scope, cost per Mtok's tokens.
func TestDenominatorsOf(t *testing.T) {
	kpis := []KPIRef{{Name: "slo_attainment", Scope: "chat"}, {Name: "cost_per_mtok_usd"}, {Name: "ttft_p99_s", Scope: "chat"}}
	values := [][][]float64{{{0.99, 8.0, 0.7}}}
	parts := map[[2]int]map[KPIRef]float64{{0, 0}: {
		{Name: "requests_completed", Scope: "chat"}: 900, {Name: "requests_dropped", Scope: "chat"}: 50,
		{Name: "requests_timed_out", Scope: "chat"}: 50, {Name: "requests_completed"}: 5000, {Name: "cost_usd"}: 40}}
	got := denominatorsOf(kpis, values, parts)[0][0]
	if got[0] != 1000 || got[1] != 5 || !math.IsNaN(got[2]) {
		t.Errorf("denominators %v, want [1000 requests, 5 Mtok, none]", got)
	}
}
