package study

import (
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/stat"

	"aiecon/model/stats"
	"aiecon/sim"
)

// A latency percentile KPI (ttft_p99_s, queue_p50_s, ...) of a point is
// the percentile of its replications' requests pooled, not the mean of the
// runs' own percentiles: a short run's p99 is biased low, and a t interval
// around the mean of biased values tightens around the wrong figure (an
// M/D/1 queue whose exact TTFT p99 is 3.872 s printed 2.234 ± 0.092 over
// 400 one-minute replications; pooled, 3.49). Each run stores the
// distributions its percentiles came from (sim.LatencySketch), which merge
// losslessly.

// bootstrapResamples is how many resamples of the runs a pooled
// percentile's interval takes, and bootstrapSeed seeds them: the same
// runs give the same interval, run after run.
const (
	bootstrapResamples = 1000
	bootstrapSeed      = 0x5eed
)

// MinBootstrapRuns is the fewest runs with samples a pooled percentile
// takes a bootstrap interval over. n runs have only C(2n-1, n) distinct
// resamples (3 at 2 runs, 10 at 3, 35 at 4, 126 at 5), so with fewer the
// interval's ends are little more than the runs' own extremes: two runs
// whose p99 fell in the same sketch bucket printed 0.7445 [0.7445,
// 0.7445], a certainty beside honest t intervals. Below it the percentile
// has no interval, which the table says ([-]).
const MinBootstrapRuns = 5

// PooledPercentileCI is quantile q of the samples of the runs' dists
// pooled (sim.PoolQuantile, by a sim.Pool), with a percentile-bootstrap interval at
// level over the runs: it resamples the runs with replacement (the
// replication is the independent unit; its requests are not), pools each
// resample and takes the resamples' quantiles (1-level)/2 and
// 1-(1-level)/2 of the pooled quantile. xs are the runs' own percentiles,
// whose spread SD reports, as for a ratio KPI. A run with no sample adds
// nothing to the pool and does not count in N; with fewer than
// MinBootstrapRuns runs that have samples there is no interval. The ends
// are widened by the sketch's relative accuracy (sim.SketchAccuracy),
// which bounds how far each resample's quantile may sit from its samples'
// own, so that no interval is narrower than what the sketch can tell
// apart. withCI false skips the bootstrap (a Monte Carlo sample needs only
// the value).
func PooledPercentileCI(dists []*sim.LatencyDist, xs []float64, q, level float64, withCI bool) Interval {
	var ds []*sim.LatencyDist
	for _, d := range dists {
		if d.Count() > 0 {
			ds = append(ds, d)
		}
	}
	pool := sim.NewPool(ds) // once: the bootstrap pools the same runs a thousand times
	iv := Interval{N: len(ds), Mean: pool.Quantile(nil, q), SD: math.NaN(), HalfWidth: math.NaN(),
		Bootstrap: true, Lo: math.NaN(), Hi: math.NaN()}
	if v := defined(xs); len(v) >= 2 {
		iv.SD = stat.StdDev(v, nil)
	}
	if len(ds) < MinBootstrapRuns || !withCI {
		return iv
	}
	rng := rand.New(rand.NewPCG(bootstrapSeed, uint64(len(ds))))
	mult := make([]int, len(ds))
	boot := make([]float64, 0, bootstrapResamples)
	for range bootstrapResamples {
		clear(mult)
		for range ds {
			mult[rng.IntN(len(ds))]++
		}
		boot = append(boot, pool.Quantile(mult, q))
	}
	slices.Sort(boot)
	iv.Lo = stats.Quantile(boot, (1-level)/2) * (1 - sim.SketchAccuracy)
	iv.Hi = stats.Quantile(boot, 1-(1-level)/2) * (1 + sim.SketchAccuracy)
	iv.HalfWidth = (iv.Hi - iv.Lo) / 2
	return iv
}

// PooledPercentile is latency percentile KPI name at scope over runs, each
// given by the latency sketches it stored (every scope and latency), pooled
// as Summarize pools it: PooledPercentileCI's value, without the interval.
// A run with no sketch for the scope (no request in it) adds no sample. ok
// is false for a KPI that is not a latency percentile. Summarize pools only
// when every run it counts in the sweep has sketches, and averages the
// runs' own percentiles at every point otherwise (a run stored before
// schema version 11 has none); a caller decides that as it does. The
// dashboard's sweep screen shows it, so that it reads what `aiecon sweep`
// prints.
func PooledPercentile(name, scope string, runs [][]sim.LatencySketch) (v float64, ok bool, err error) {
	iv, ok, err := PooledPercentileInterval(name, scope, runs)
	return iv.Mean, ok, err
}

// PooledPercentileInterval is PooledPercentile's value as an Interval
// (without its bootstrap), whose N counts the runs with a sample in the
// scope, as Summarize's does: PartialMark tells, from it, a percentile
// that rests on some of a point's runs only.
func PooledPercentileInterval(name, scope string, runs [][]sim.LatencySketch) (iv Interval, ok bool, err error) {
	lat, q, ok := sim.LatencyOfKPI(name)
	if !ok {
		return Interval{Mean: math.NaN()}, false, nil
	}
	var ds []*sim.LatencyDist
	for _, sks := range runs {
		for _, ls := range sks {
			if ls.Scope != scope || ls.Latency != lat {
				continue
			}
			d, err := ls.Decode()
			if err != nil {
				return Interval{Mean: math.NaN()}, true, err
			}
			ds = append(ds, d)
		}
	}
	return PooledPercentileCI(ds, nil, q, ConfidenceLevel, false), true, nil
}
