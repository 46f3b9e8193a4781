package sim

import (
	"math"
	"slices"

	"github.com/DataDog/sketches-go/ddsketch"

	"aiecon/model/stats"
)

// exactLimit is how many samples a dist keeps exactly. Up to it a
// percentile is exact; past it the sketch, whose memory does not grow,
// answers to its relative accuracy. 1,000 float64s per latency is 8 kB.
const exactLimit = 1000

// dist is the distribution of one latency. A quantile interpolates between
// order statistics as DuckDB's quantile_cont and numpy's default do (type
// 7), so the analyst checking a run with SQL gets the same figure: over the
// first exactLimit samples, kept as they are, exactly; past them over the
// DDSketch's values at the two ranks (quantile), each within sketchAccuracy
// of its order statistic, so the figure is within sketchAccuracy too.
type dist struct {
	sk    *ddsketch.DDSketch
	exact []float64 // the samples while there are at most exactLimit
	n     int
}

func newDist() dist { return dist{sk: newSketch()} }

func (d *dist) add(v float64) {
	d.sk.Add(v)
	d.n++
	if d.n <= exactLimit {
		d.exact = append(d.exact, v)
	}
}

func (d *dist) clear() {
	d.sk.Clear()
	d.exact = d.exact[:0]
	d.n = 0
}

// quantile returns q of the samples, or NaN when there are none.
func (d *dist) quantile(q float64) float64 {
	switch {
	case d.n == 0:
		return math.NaN()
	case d.n > exactLimit:
		return quantile(d.sk, q)
	}
	slices.Sort(d.exact) // once: sorting a sorted slice is linear
	return stats.Quantile(d.exact, q)
}
