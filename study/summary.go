package study

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"aiecon/data"
	"aiecon/model"
	"aiecon/model/kpi"
	"aiecon/sim"
)

// Summary is a sweep's results read back from the store: per point, each
// KPI's mean and confidence interval across replications; with Monte Carlo,
// per grid row, each KPI's distribution across samples.
type Summary struct {
	SweepID      string
	Name         string
	Replications int
	KPIs         []KPIRef
	Units        []string // per KPI, "" when no run has it
	Points       []PointStats
	// Missing lists the requested KPIs that no complete run has.
	Missing []KPIRef
	// MonteCarlo is set for a study with distributions: one entry per grid row.
	MonteCarlo []GroupSpread
	Thresholds []Threshold
	Runs       int // complete runs summarised
	// HorizonsS are the distinct horizons (seconds, ascending) of the runs
	// summarised: the simulated time their totals cover (HorizonLine).
	HorizonsS []float64
	// horizonByPoint is each counted point's horizon (pointHorizon), and
	// simByPoint its runs' simulated times (pointSim).
	horizonByPoint map[int]float64
	simByPoint     map[int][]float64
	// drained is the least and most simulated time of the runs where any
	// drained past its horizon (drain: true); zero where none did.
	drained [2]float64
	// PooledPercentile[k] is set when KPI k is a latency percentile taken
	// over the pooled requests of a point's replications (percentile.go);
	// MeanPercentiles are the percentile KPIs averaged over the runs
	// instead, because a run stored before the store kept latency
	// sketches (schema version 11) has none.
	PooledPercentile []bool
	MeanPercentiles  []KPIRef
	// lacked[k] is set for a KPI that some counted run has no row of: one
	// stored before aiecon reported it (session_fail_rate, sessions_failed
	// of a run before schema 27), which is left out of the KPI's figures,
	// not read as 0, where a run with a row that is NULL gives it undefined.
	// The table says which (partialLegend).
	lacked []bool
	// ratioAveraged[k] is set for a ratio KPI that some run gives without
	// its parts (prefix_cache_hit_rate in a model:NAME scope, which reports
	// no token split; a store from before the parts): it is averaged, and
	// the report must not call it pooled.
	ratioAveraged []bool
	// OverloadChecked says the runs were checked for overload
	// (SummarizeChecked); OverloadErr why a check failed, leaving them
	// unchecked.
	OverloadChecked bool
	OverloadErr     error
	// seeds is the seed of each counted run by (point, replication), which
	// PairAgainst checks before pairing two points' runs.
	seeds map[[2]int]uint64
	// Paired is set by PairAgainst: each point's differences from one
	// point, paired by replication; the table, CSV and JSON add them.
	Paired *Paired
	// shard is the shard whose points the summary holds, which PairEach's
	// refusals name as the plan's do (Plan.PairRefusal).
	shard ShardSpec
}

// PointStats is one point's KPIs across its complete replications.
type PointStats struct {
	Point Point
	Runs  int
	KPIs  []Interval // per Summary.KPIs
	// Values are the replications' values, [replication][kpi], a nil row
	// for a replication without a complete run: replication r of every
	// point runs on one seed, so two points' differences pair by r.
	Values [][]float64
	// Overloaded is how many of its complete runs were overloaded (their
	// report warns OVERLOADED or SATURATED), when checked (SummarizeChecked).
	Overloaded int
	// HorizonS is the horizon in seconds its complete runs simulated, the
	// time its totals cover; NaN without one, or where they differ.
	HorizonS float64
	// SimS is the mean time in seconds its complete runs simulated, the
	// horizon + each run's drain with drain: true (pointSim); NaN without
	// a run.
	SimS float64
}

// GroupSpread is one grid row of a Monte Carlo study: each KPI's
// distribution over the samples (a sample's value is the mean of its
// replications) and the probability of each threshold.
type GroupSpread struct {
	Group   int
	Params  []Param // the grid parameters of the row
	Samples int     // samples with at least one complete run
	KPIs    []Spread
	// Partial[k] is how many of the samples that define KPI k define it
	// in some of their complete runs, not all (a percentile where one
	// replication completed nothing, a run stored before the KPI was):
	// such a sample's value rests on those runs alone, which the samples'
	// count (KPIs[k].N) does not show.
	Partial []int
	// Probabilities[i] is P(Thresholds[i]) over the ProbabilityN[i]
	// samples that define its KPI (fewer than Samples where a sample
	// leaves it undefined, e.g. a workload that sent no request).
	Probabilities []float64
	ProbabilityN  []int
	// Overloaded is how many of its samples had an overloaded run, when
	// checked (SummarizeChecked).
	Overloaded int
	// HorizonS is the horizon in seconds its samples' runs simulated; NaN
	// without one, or where they differ (a horizon drawn per sample).
	HorizonS float64
	// SimS is the mean time in seconds its samples' runs simulated, the
	// horizon + each run's drain with drain: true (pointSim).
	SimS float64
}

// Summarize reads the KPIs of the sweep's complete runs (of the shard's
// points) and computes the summary. When a (point, replication) has several
// complete runs (a store merged from overlapping shards), the oldest counts.
func Summarize(ctx context.Context, store *data.Store, sweepID string, p *Plan, shard ShardSpec) (*Summary, error) {
	return SummarizeChecked(ctx, store, sweepID, p, shard, nil)
}

// SummarizeChecked is Summarize with each run that counts checked for
// overload (nil: none checked): PointStats.Overloaded and
// GroupSpread.Overloaded count the runs (samples) it flags. A check that
// fails leaves the summary unchecked (OverloadChecked false, OverloadErr
// saying why) rather than failing it: the KPIs are still worth reading.
func SummarizeChecked(ctx context.Context, store *data.Store, sweepID string, p *Plan, shard ShardSpec, check OverloadCheck) (*Summary, error) {
	rows, err := store.SweepKPIs(ctx, sweepID)
	if err != nil {
		return nil, err
	}
	sp := p.Spec
	s := &Summary{SweepID: sweepID, Name: sp.Name, Replications: sp.Replications, KPIs: sp.KPIs, Units: make([]string, len(sp.KPIs)), shard: shard}
	if sp.MonteCarlo != nil {
		s.Thresholds = sp.MonteCarlo.Thresholds
		if len(s.Thresholds) == 0 {
			s.Thresholds = defaultThresholds(sp.KPIs)
		}
	}
	values, counted, inputs := collectRuns(rows, p, s)
	parts := ratiosOf(sp.KPIs, values, inputs)
	s.ratioAveraged = averagedRatios(sp.KPIs, values, parts)
	s.Runs = len(counted)
	hz, err := horizonsOf(ctx, store, sweepID, counted, shard)
	if err != nil {
		return nil, err
	}
	s.HorizonsS, s.horizonByPoint, s.simByPoint, s.drained = hz.distinct, hz.byPoint, hz.simByPoint, hz.drained
	pct, err := percentilesOf(ctx, store, sweepID, s, counted)
	if err != nil {
		return nil, err
	}
	interval := func(pt, k int, withCI bool) (Interval, error) {
		if s.PooledPercentile[k] {
			return pct.interval(pt, k, values[pt], withCI)
		}
		return pointInterval(sp.KPIs[k].Name, values[pt], parts[pt], k), nil
	}
	for _, pt := range p.Points {
		if !shard.Has(pt.Index) {
			continue
		}
		ps := PointStats{Point: pt, KPIs: make([]Interval, len(sp.KPIs)), HorizonS: s.pointHorizon(pt.Index), SimS: s.pointSim(pt.Index)}
		for k := range sp.KPIs {
			if ps.KPIs[k], err = interval(pt.Index, k, true); err != nil {
				return nil, err
			}
		}
		for _, rv := range values[pt.Index] {
			if rv != nil {
				ps.Runs++
			}
		}
		ps.Values = values[pt.Index]
		s.Points = append(s.Points, ps)
	}
	if s.Runs > 0 {
		for i, k := range sp.KPIs {
			if s.Units[i] == "" {
				s.Missing = append(s.Missing, k)
			}
		}
	}
	if sp.MonteCarlo != nil {
		if s.MonteCarlo, err = monteCarloSpread(p, s, values, interval); err != nil {
			return nil, err
		}
	}
	if check != nil {
		if flagged, err := checkRuns(ctx, rows, counted, p, shard, check, nil, ""); err != nil {
			s.OverloadErr = err
		} else {
			s.markOverloaded(flagged, p)
		}
	}
	return s, nil
}

// collectRuns sorts a sweep's stored KPIs by point and replication, one
// run per replication (the lowest run id; another, from merged
// shards, is ignored): values[point][rep][kpi], NaN until seen; the run
// that counts for each (point, replication); and each one's ratio inputs
// (ratioInputs). It sets s.Units, s.seeds and s.lacked.
func collectRuns(rows []data.SweepKPI, p *Plan, s *Summary) ([][][]float64, map[[2]int]string, map[[2]int]map[KPIRef]float64) {
	sp := p.Spec
	want := map[KPIRef]int{}
	for i, k := range sp.KPIs {
		want[k] = i
	}
	// values[point][rep][kpi]; NaN until seen.
	values := make([][][]float64, len(p.Points))
	counted := map[[2]int]string{} // (point, rep) -> the run that counts
	s.seeds = map[[2]int]uint64{}
	inputs := map[[2]int]map[KPIRef]float64{} // (point, rep) -> the ratio KPIs' inputs (ratioInputs)
	has := map[[2]int][]bool{}                // (point, rep) -> which KPIs asked for it has a row of
	for _, r := range rows {
		if r.Point < 0 || r.Point >= len(p.Points) || r.Replication < 0 || r.Replication >= sp.Replications {
			continue // not a point of this plan: ignore rather than guess
		}
		key := [2]int{r.Point, r.Replication}
		if id, ok := counted[key]; ok && id != r.RunID {
			continue
		}
		counted[key] = r.RunID
		s.seeds[key] = r.Seed
		if values[r.Point] == nil {
			values[r.Point] = make([][]float64, sp.Replications)
		}
		if values[r.Point][r.Replication] == nil {
			values[r.Point][r.Replication] = nanSlice(len(sp.KPIs))
		}
		if slices.Contains(ratioInputs, r.Name) {
			if inputs[key] == nil {
				inputs[key] = map[KPIRef]float64{}
			}
			inputs[key][KPIRef{Name: r.Name, Scope: r.Scope}] = r.Value
		}
		i, ok := want[KPIRef{Name: r.Name, Scope: r.Scope}]
		if !ok {
			continue
		}
		values[r.Point][r.Replication][i] = r.Value
		s.Units[i] = r.Unit
		if has[key] == nil {
			has[key] = make([]bool, len(sp.KPIs))
		}
		has[key][i] = true
	}
	s.lacked = make([]bool, len(sp.KPIs))
	for key := range counted {
		for i := range sp.KPIs {
			s.lacked[i] = s.lacked[i] || has[key] == nil || !has[key][i]
		}
	}
	return values, counted, inputs
}

// percentiles holds the latency sketches of the runs that count, by
// (point, replication), for the percentile KPIs a summary pools.
type percentiles struct {
	kpis     []KPIRef
	sketches map[[2]int]map[[2]string]sim.LatencySketch // (point, rep) -> (scope, latency)
}

// percentilesOf reads the sweep's latency sketches and decides, per KPI,
// whether it is a pooled percentile: a latency percentile, pooled when
// every counted run has sketches (a run has one per scope and latency; a
// scope it lacks, it has no request in). When some run has none (stored
// before schema version 11), the percentile is averaged at every point,
// as before, so that a column means one thing, and listed in
// s.MeanPercentiles.
func percentilesOf(ctx context.Context, store *data.Store, sweepID string, s *Summary, counted map[[2]int]string) (*percentiles, error) {
	pc := &percentiles{kpis: s.KPIs, sketches: map[[2]int]map[[2]string]sim.LatencySketch{}}
	s.PooledPercentile = make([]bool, len(s.KPIs))
	asked := false
	for _, k := range s.KPIs {
		_, _, ok := sim.LatencyOfKPI(k.Name)
		asked = asked || ok
	}
	if !asked {
		return pc, nil
	}
	rows, err := store.SweepLatencySketches(ctx, sweepID)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		key := [2]int{r.Point, r.Replication}
		if counted[key] != r.RunID {
			continue
		}
		if pc.sketches[key] == nil {
			pc.sketches[key] = map[[2]string]sim.LatencySketch{}
		}
		pc.sketches[key][[2]string{r.Sketch.Scope, r.Sketch.Latency}] = r.Sketch
	}
	for i, k := range s.KPIs {
		if _, _, ok := sim.LatencyOfKPI(k.Name); !ok {
			continue
		}
		all := true
		for key := range counted {
			all = all && pc.sketches[key] != nil
		}
		s.PooledPercentile[i] = all
		if !all {
			s.MeanPercentiles = append(s.MeanPercentiles, k)
		}
	}
	return pc, nil
}

// interval is pooled percentile KPI k at point pt over its counted runs.
func (pc *percentiles) interval(pt, k int, reps [][]float64, withCI bool) (Interval, error) {
	ref := pc.kpis[k]
	lat, q, _ := sim.LatencyOfKPI(ref.Name)
	var ds []*sim.LatencyDist
	var xs []float64
	for r, rv := range reps {
		if rv == nil {
			continue
		}
		xs = append(xs, rv[k])
		ls, ok := pc.sketches[[2]int{pt, r}][[2]string{ref.Scope, lat}]
		if !ok {
			continue // no such scope in the run: no sample
		}
		d, err := ls.Decode()
		if err != nil {
			return Interval{}, fmt.Errorf("point %d replication %d: %w", pt, r, err)
		}
		ds = append(ds, d)
	}
	return PooledPercentileCI(ds, xs, q, ConfidenceLevel, withCI), nil
}

// ratiosOf is, [point][rep][kpi], each run's numerator and denominator of
// the ratio KPIs asked for (ratioParts), nil rows where no KPI is a ratio
// or the replication did not complete.
func ratiosOf(kpis []KPIRef, values [][][]float64, inputs map[[2]int]map[KPIRef]float64) [][][][2]float64 {
	out := make([][][][2]float64, len(values))
	for pt, reps := range values {
		for r, rv := range reps {
			if rv == nil {
				continue
			}
			got := inputs[[2]int{pt, r}]
			get := func(name, scope string) float64 {
				if v, ok := got[KPIRef{Name: name, Scope: scope}]; ok {
					return v
				}
				return math.NaN()
			}
			for k, ref := range kpis {
				parts, ok := ratioParts[ref.Name]
				if !ok {
					continue
				}
				if out[pt] == nil {
					out[pt] = make([][][2]float64, len(reps))
				}
				if out[pt][r] == nil {
					out[pt][r] = make([][2]float64, len(kpis))
					for i := range out[pt][r] {
						out[pt][r][i] = [2]float64{math.NaN(), math.NaN()}
					}
				}
				num, den := parts(get, ref.Scope, rv[k])
				out[pt][r][k] = [2]float64{num, den}
			}
		}
	}
	return out
}

// averagedRatios marks the ratio KPIs that some run gives without their
// parts, which pointInterval then averages.
func averagedRatios(kpis []KPIRef, values [][][]float64, parts [][][][2]float64) []bool {
	out := make([]bool, len(kpis))
	for k, ref := range kpis {
		if _, ok := ratioParts[ref.Name]; !ok {
			continue
		}
		for pt, reps := range values {
			for r, rv := range reps {
				if rv != nil && (parts[pt] == nil || parts[pt][r] == nil || math.IsNaN(parts[pt][r][k][1])) {
					out[k] = true
				}
			}
		}
	}
	return out
}

// pointInterval is KPI k over a point's replications: the mean and its t
// interval, or for a ratio of run totals the ratio of the totals
// (ratioInterval: a proportion's interval stays in [0, 1]) when the runs'
// parts are at hand (a store without them gets the mean), its ends cut at
// the KPI's natural bounds (Interval.ClampTo).
func pointInterval(name string, reps [][]float64, parts [][][2]float64, k int) Interval {
	var xs, nums, dens []float64
	ratio := false
	for r, rv := range reps {
		if rv == nil {
			continue
		}
		xs = append(xs, rv[k])
		p := [2]float64{math.NaN(), math.NaN()}
		if r < len(parts) && parts[r] != nil {
			p = parts[r][k]
			ratio = ratio || !math.IsNaN(p[1])
		}
		nums, dens = append(nums, p[0]), append(dens, p[1])
	}
	lo, hi := kpi.Bounds(name)
	if ratio {
		return ratioInterval(name, nums, dens, xs, ConfidenceLevel).ClampTo(lo, hi)
	}
	return MeanCI(xs, ConfidenceLevel).ClampTo(lo, hi)
}

func nanSlice(n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = math.NaN()
	}
	return out
}

// defaultThresholds asks P(x < 0) of the margin KPIs reported.
func defaultThresholds(kpis []KPIRef) []Threshold {
	var out []Threshold
	for _, k := range kpis {
		if strings.Contains(k.Name, "margin") {
			out = append(out, Threshold{KPI: k, Op: "<", Value: 0})
		}
	}
	return out
}

func monteCarloSpread(p *Plan, s *Summary, values [][][]float64, interval func(pt, k int, withCI bool) (Interval, error)) ([]GroupSpread, error) {
	gridParams := len(p.Spec.Zip) + len(p.Spec.Parameters)
	var out []GroupSpread
	for g := 0; g < p.Groups; g++ {
		gs := GroupSpread{Group: g, KPIs: make([]Spread, len(s.KPIs)), Partial: make([]int, len(s.KPIs))}
		// sampleMeans[k] holds each sample's mean over its replications.
		sampleMeans := make([][]float64, len(s.KPIs))
		var horizons []float64
		var counted []int // the samples' points with a run
		for smp := 0; smp < p.Samples; smp++ {
			pt := p.Points[g*p.Samples+smp]
			if gs.Params == nil {
				gs.Params = pt.Params[:gridParams]
			}
			if !hasRuns(values[pt.Index]) {
				continue
			}
			gs.Samples++
			horizons = append(horizons, s.pointHorizon(pt.Index))
			counted = append(counted, pt.Index)
			runs := completeRuns(values[pt.Index])
			for k := range s.KPIs {
				iv, err := interval(pt.Index, k, false)
				if err != nil {
					return nil, err
				}
				sampleMeans[k] = append(sampleMeans[k], iv.Mean)
				if Partial(iv.N, runs) { // the rule a grid point's (n=k) follows
					gs.Partial[k]++
				}
			}
		}
		gs.HorizonS, gs.SimS = commonHorizon(horizons), s.pointSim(counted...)
		for k := range s.KPIs {
			gs.KPIs[k] = Describe(sampleMeans[k])
		}
		for _, t := range s.Thresholds {
			k := -1
			for i, ref := range s.KPIs {
				if ref == t.KPI {
					k = i
				}
			}
			pr, n := math.NaN(), 0
			if k >= 0 {
				pr, n = Probability(sampleMeans[k], t.Holds)
			}
			gs.Probabilities = append(gs.Probabilities, pr)
			gs.ProbabilityN = append(gs.ProbabilityN, n)
		}
		out = append(out, gs)
	}
	return out, nil
}

// completeRuns counts a point's replications with a complete run.
func completeRuns(reps [][]float64) int {
	n := 0
	for _, r := range reps {
		if r != nil {
			n++
		}
	}
	return n
}

func hasRuns(reps [][]float64) bool {
	for _, r := range reps {
		if r != nil {
			return true
		}
	}
	return false
}

// CheckThresholds reports thresholds on KPIs the sweep does not report,
// each at the line and column the sweep file writes it (Spec.at).
func (sp *Spec) CheckThresholds() error {
	if sp.MonteCarlo == nil {
		return nil
	}
	var errs model.Errors
	for _, t := range sp.MonteCarlo.Thresholds {
		found := false
		for _, k := range sp.KPIs {
			found = found || k == t.KPI
		}
		if !found {
			errs = append(errs, sp.at("threshold:"+t.String(), "montecarlo.thresholds",
				fmt.Sprintf("%s is not among the sweep's kpis (%s); add it to kpis", t.KPI, kpiList(sp.KPIs))))
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

func kpiList(ks []KPIRef) string {
	var s []string
	for _, k := range ks {
		s = append(s, k.String())
	}
	return strings.Join(s, ", ")
}
