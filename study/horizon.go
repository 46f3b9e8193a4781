package study

import (
	"context"
	"math"
	"slices"
	"strings"

	"aiecon/data"
	"aiecon/model"
)

// horizonsOf are the distinct horizons, in seconds and ascending, of the
// runs that count for the shard's points, and each such point's own
// (pointHorizon). A sweep's totals (revenue_usd, margin_usd, counts) are
// over its runs' horizon, which a sweep may vary as a parameter; its output
// said nothing of it.
//
// With drain: true a run simulates past its horizon until its last request
// ends, by a drain of its own (a bigger fleet drains sooner), so drained
// is the range of the simulated times the runs' totals cover (lo, hi),
// zero where none drained, and simByPoint each point's runs' simulated
// times (horizon + drain; the horizon where none drained), which the CSV
// and JSON give as sim_s (pointSim).
func horizonsOf(ctx context.Context, store *data.Store, sweepID string, counted map[[2]int]string, shard ShardSpec) (horizons, error) {
	var hz horizons
	if len(counted) == 0 {
		return hz, nil
	}
	runs, err := store.Runs(ctx, data.RunFilter{SweepID: sweepID, Status: data.StatusComplete})
	if err != nil {
		return hz, err
	}
	byID := make(map[string]data.RunSummary, len(runs))
	for _, r := range runs {
		byID[r.ID] = r
	}
	byPoint := map[int][]float64{}
	hz.simByPoint = map[int][]float64{}
	lo, hi, drain := math.Inf(1), math.Inf(-1), false
	for key, id := range counted {
		r, ok := byID[id]
		if h := r.HorizonS; ok && shard.Has(key[0]) && !math.IsNaN(h) {
			if !slices.Contains(hz.distinct, h) {
				hz.distinct = append(hz.distinct, h)
			}
			byPoint[key[0]] = append(byPoint[key[0]], h)
			hz.simByPoint[key[0]] = append(hz.simByPoint[key[0]], r.SimulatedS())
			lo, hi, drain = min(lo, r.SimulatedS()), max(hi, r.SimulatedS()), drain || r.Drained()
		}
	}
	slices.Sort(hz.distinct)
	hz.byPoint = make(map[int]float64, len(byPoint))
	for pt, hs := range byPoint {
		hz.byPoint[pt] = commonHorizon(hs)
	}
	if drain {
		hz.drained = [2]float64{lo, hi}
	}
	return hz, nil
}

// horizons is what horizonsOf reads of the runs that count.
type horizons struct {
	distinct   []float64         // the distinct horizons, ascending (Summary.HorizonsS)
	byPoint    map[int]float64   // each point's one horizon (pointHorizon)
	simByPoint map[int][]float64 // each point's runs' simulated times (pointSim)
	drained    [2]float64        // least and most simulated time where any run drained
}

// pointSim is the mean over a point's runs that count of the time each
// simulated, its horizon + its drain (runs.sim_ns), the time the point's
// totals cover on average, as the CSV and JSON give it (sim_s): with
// drain: true horizon_s alone is not it, and a bigger fleet drains sooner.
// It is the horizon where no run drained, NaN where none counts.
func (s *Summary) pointSim(points ...int) float64 {
	sum, n := 0.0, 0
	for _, pt := range points {
		for _, v := range s.simByPoint[pt] {
			sum, n = sum+v, n+1
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return sum / float64(n)
}

// pointHorizon is the horizon in seconds of a point's runs that count,
// as the CSV and JSON give it beside the point; NaN where none counts, or
// where its runs differ (shards merged from runs of other horizons).
func (s *Summary) pointHorizon(point int) float64 {
	if h, ok := s.horizonByPoint[point]; ok {
		return h
	}
	return math.NaN()
}

// commonHorizon is the one horizon of hs, NaN where they differ or there
// is none (or one is NaN).
func commonHorizon(hs []float64) float64 {
	if len(hs) == 0 {
		return math.NaN()
	}
	for _, h := range hs[1:] {
		if h != hs[0] {
			return math.NaN()
		}
	}
	return hs[0]
}

// Horizon is the runs' one horizon in seconds, NaN when they have
// several (or none counts).
func (s *Summary) Horizon() float64 {
	if len(s.HorizonsS) != 1 {
		return math.NaN()
	}
	return s.HorizonsS[0]
}

// HorizonLine says what simulated time the summary's totals cover, "" when
// no run counts: "each run simulated 20m: totals such as revenue_usd,
// margin_usd and the counts are over that horizon, not per hour".
func (s *Summary) HorizonLine() string {
	if len(s.HorizonsS) == 0 {
		return ""
	}
	var hs []string
	for _, h := range s.HorizonsS {
		hs = append(hs, model.Duration(math.Round(h*1e9)).String())
	}
	if s.drained[1] > 0 {
		return s.drainedLine(hs)
	}
	if len(hs) > 1 {
		return "the runs simulated different horizons (" + strings.Join(hs, ", ") + ", by point): " +
			"totals such as revenue_usd, margin_usd and the counts are over each run's, not per hour"
	}
	return "each run simulated " + hs[0] + ": totals such as revenue_usd, margin_usd and the counts are over that horizon, not per hour"
}

// drainedLine is HorizonLine where runs drained past their horizons
// (drain: true): the totals cover horizon + drain, which differs between
// runs, so two points' totals (and their --vs differences) compare
// unequal times where the drains differ by more than data.DrainTolerance.
func (s *Summary) drainedLine(hs []string) string {
	lo, hi := s.drained[0], s.drained[1]
	span := data.TenthsText(hi)
	if lo != hi {
		span = data.TenthsText(lo) + " to " + span
	}
	line := "each run simulated its " + strings.Join(hs, " or ") + " horizon + a drain until its last request ended, " + span +
		": totals such as revenue_usd, margin_usd and the counts are over that time, not per hour"
	if hi > lo*(1+data.DrainTolerance) {
		line += ", and runs that drained longer count more of it: compare rates (per hour, per Mtok) and shares across points"
	}
	return line
}
