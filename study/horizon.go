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
// runs that count for the shard's points. A sweep's totals (revenue_usd,
// margin_usd, counts) are over its runs' horizon, which a sweep may vary
// as a parameter; its output said nothing of it.
func horizonsOf(ctx context.Context, store *data.Store, sweepID string, counted map[[2]int]string, shard ShardSpec) ([]float64, error) {
	if len(counted) == 0 {
		return nil, nil
	}
	runs, err := store.Runs(ctx, data.RunFilter{SweepID: sweepID, Status: data.StatusComplete})
	if err != nil {
		return nil, err
	}
	byID := make(map[string]float64, len(runs))
	for _, r := range runs {
		byID[r.ID] = r.HorizonS
	}
	var out []float64
	for key, id := range counted {
		if h, ok := byID[id]; ok && shard.Has(key[0]) && !math.IsNaN(h) && !slices.Contains(out, h) {
			out = append(out, h)
		}
	}
	slices.Sort(out)
	return out, nil
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
	if len(hs) > 1 {
		return "the runs simulated different horizons (" + strings.Join(hs, ", ") + ", by point): " +
			"totals such as revenue_usd, margin_usd and the counts are over each run's, not per hour"
	}
	return "each run simulated " + hs[0] + ": totals such as revenue_usd, margin_usd and the counts are over that horizon, not per hour"
}
