package tui

import (
	"context"
	"slices"

	"aiecon/data"
	"aiecon/model/kpi"
	"aiecon/sim"
	"aiecon/study"
)

// runKPIs are runs' KPIs by run id, then kpiKey: a whole-run KPI by its
// name, a scoped one as name[scope].
type runKPIs map[string]map[string]float64

// kpiKey is a KPI's key in runKPIs.
func kpiKey(name, scope string) string {
	if scope == "" {
		return name
	}
	return name + "[" + scope + "]"
}

// runSketches are runs' latency sketches by run id.
type runSketches map[string][]sim.LatencySketch

// poolingKPIs reads the KPIs of sweep id's runs that pooling its heat KPIs
// needs (study.RatioInputs and the KPIs themselves): the whole run's, and
// each workload scope's, where the SLO and latency columns can read them
// (scopedKPI).
func poolingKPIs(ctx context.Context, st *data.Store, id string) (runKPIs, error) {
	want := append(study.RatioInputs(), kpi.RequestsArrived) // arrivals: goodput's share of them (goodputShare)
	for _, h := range heatKPIs {
		want = append(want, h.name)
	}
	rows, err := st.SweepKPIs(ctx, id)
	if err != nil {
		return nil, err
	}
	out := runKPIs{}
	for _, r := range rows {
		if !slices.Contains(want, r.Name) || (r.Scope != "" && !isWorkloadScope(r.Scope)) {
			continue
		}
		if out[r.RunID] == nil {
			out[r.RunID] = map[string]float64{}
		}
		out[r.RunID][kpiKey(r.Name, r.Scope)] = r.Value
	}
	return out, nil
}

// poolingSketches reads the latency sketches of sweep id's complete runs
// that pooling its percentile KPIs needs, by run id.
func poolingSketches(ctx context.Context, st *data.Store, id string) (runSketches, error) {
	rows, err := st.SweepLatencySketches(ctx, id)
	if err != nil {
		return nil, err
	}
	out := runSketches{}
	for _, r := range rows {
		out[r.RunID] = append(out[r.RunID], r.Sketch)
	}
	return out, nil
}

// pooledValues pools, by heat KPI index, the heat KPIs that aiecon sweep
// pools over the counted runs (countedRuns) whose KPIs are in kpis, in
// scope ("" the whole run's; a workload's holds only the scopedKPI ones):
// the ratios of run totals (study.PooledInterval) and, when pct (every
// run the sweep counts has sketches), the latency percentiles over the
// runs' sketches (study.PooledPercentileInterval). A sketch that does not
// decode leaves its percentile averaged. A workload's KPI that is not
// pooled is the mean of the runs' values, as the whole run's is
// (sweepPoint.interval). Each is an Interval whose N counts the runs the
// value rests on, which study.PartialMark reads.
func pooledValues(counted []data.RunSummary, kpis runKPIs, sketches runSketches, pct bool, scope string) map[int]study.Interval {
	var runs []func(name, scope string) float64
	var sks [][]sim.LatencySketch
	var got []map[string]float64
	for _, r := range counted {
		g, ok := kpis[r.ID]
		if r.Status != data.StatusComplete || !ok {
			continue
		}
		sks = append(sks, sketches[r.ID])
		got = append(got, g)
		runs = append(runs, func(name, scope string) float64 {
			if v, ok := g[kpiKey(name, scope)]; ok {
				return v
			}
			return nan()
		})
	}
	if len(runs) == 0 {
		return nil
	}
	out := map[int]study.Interval{}
	for k, h := range heatKPIs {
		if scope != "" && !scopedKPI(h.name) {
			continue
		}
		if iv, ok := study.PooledInterval(h.name, scope, runs); ok {
			out[k] = iv
			continue
		}
		if pct {
			if iv, ok, err := study.PooledPercentileInterval(h.name, scope, sks); ok && err == nil {
				out[k] = iv
				continue
			}
		}
		if scope != "" {
			out[k] = meanOf(got, kpiKey(h.name, scope))
		}
	}
	return out
}

// meanOf is the mean of the runs' KPI key where they have it (study's
// MeanCI, whose N counts them), NaN where none has.
func meanOf(runs []map[string]float64, key string) study.Interval {
	xs := make([]float64, 0, len(runs))
	for _, g := range runs {
		if v, ok := g[key]; ok {
			xs = append(xs, v)
		}
	}
	return study.MeanCI(xs, study.ConfidenceLevel)
}

// goodputShare is a point's goodput as a share of the requests it was
// offered: its counted runs' requests that met their SLO (goodput_rps
// over the time each simulated) over those that arrived, summed over the
// runs as a ratio of totals is pooled; NaN where no run gives both. The
// heatmap ranks it, not goodput per second, which grows with the rate a
// point is offered.
func goodputShare(counted []data.RunSummary, kpis runKPIs) float64 {
	met, arrived := 0.0, 0.0
	for _, r := range counted {
		g, okG := kpis[r.ID][kpi.GoodputRPS]
		a, okA := kpis[r.ID][kpi.RequestsArrived]
		span := r.SimulatedS()
		if !okG || !okA || undefined(g) || undefined(a) || undefined(span) {
			continue
		}
		met += g * span
		arrived += a
	}
	if arrived == 0 {
		return nan()
	}
	return met / arrived
}
