package sim

import (
	"fmt"
	"slices"

	"github.com/DataDog/sketches-go/ddsketch"
	"github.com/DataDog/sketches-go/ddsketch/store"
)

// LatencySketch is one latency's distribution over a run's requests in one
// scope, as the run's percentile KPIs were taken from it: its DDSketch
// (which merges with another run's losslessly) and, up to ExactLimit
// samples, the samples themselves. A sweep pools its replications'
// sketches to take a point's percentile over all their requests
// (PoolQuantile), rather than averaging the runs' own percentiles, which
// are biased low for short runs.
type LatencySketch struct {
	Scope   string // as the KPIs': workload, "" for the run, model:NAME
	Latency string // ttft, tpot, e2e or queue (LatencyOfKPI)
	Count   int64  // samples
	// Sketch is the DDSketch encoded by sketches-go's Encode, index mapping
	// included (relative accuracy SketchAccuracy).
	Sketch []byte
	// Exact are the samples, sorted, when Count <= ExactLimit; nil past it.
	Exact []float64
}

// ExactLimit is how many samples a latency keeps exactly (see dist), and
// SketchAccuracy the relative accuracy of its sketch past them.
const (
	ExactLimit     = exactLimit
	SketchAccuracy = sketchAccuracy
)

// Latency names of LatencySketch.
const (
	LatencyTTFT  = "ttft"
	LatencyTPOT  = "tpot"
	LatencyE2E   = "e2e"
	LatencyQueue = "queue"
)

// LatencyOfKPI says which latency and quantile a percentile KPI is taken
// from; ok is false for any other KPI.
func LatencyOfKPI(name string) (latency string, q float64, ok bool) {
	for _, lq := range latencyQuantiles {
		switch name {
		case lq.ttft:
			return LatencyTTFT, lq.q, true
		case lq.tpot:
			return LatencyTPOT, lq.q, true
		case lq.e2e:
			return LatencyE2E, lq.q, true
		case lq.wait:
			return LatencyQueue, lq.q, true
		}
	}
	return "", 0, false
}

// sketchOf encodes a dist. It runs once per scope and latency, at the end
// of a run, after the KPIs took their quantiles (which sorted exact).
func (d *dist) sketchOf(scope, latency string) LatencySketch {
	ls := LatencySketch{Scope: scope, Latency: latency, Count: int64(d.n)}
	d.sk.Encode(&ls.Sketch, false)
	if d.n <= exactLimit {
		ls.Exact = append(make([]float64, 0, d.n), d.exact...) // not nil, even empty
		slices.Sort(ls.Exact)
	}
	return ls
}

// latencySketches are a scope's four latencies, in a fixed order.
func (l *latencyStats) sketches(scope string) []LatencySketch {
	return []LatencySketch{l.ttft.sketchOf(scope, LatencyTTFT), l.tpot.sketchOf(scope, LatencyTPOT),
		l.e2e.sketchOf(scope, LatencyE2E), l.queue.sketchOf(scope, LatencyQueue)}
}

// LatencyDist is a decoded LatencySketch, ready to pool.
type LatencyDist struct {
	n     int64
	sk    *ddsketch.DDSketch
	exact []float64
}

// Decode decodes a LatencySketch; it checks that the counts agree.
func (ls LatencySketch) Decode() (*LatencyDist, error) {
	sk, err := ddsketch.DecodeDDSketch(ls.Sketch, store.DenseStoreConstructor, nil)
	if err != nil {
		return nil, fmt.Errorf("latency sketch %s %q: %w", ls.Latency, ls.Scope, err)
	}
	if !sk.IndexMapping.Equals(newSketch().IndexMapping) {
		return nil, fmt.Errorf("latency sketch %s %q: its index mapping is not this version's (relative accuracy %v)", ls.Latency, ls.Scope, sketchAccuracy)
	}
	if c := sk.GetCount(); c != float64(ls.Count) {
		return nil, fmt.Errorf("latency sketch %s %q: holds %v samples, not %d", ls.Latency, ls.Scope, c, ls.Count)
	}
	if ls.Count <= exactLimit && int64(len(ls.Exact)) != ls.Count {
		return nil, fmt.Errorf("latency sketch %s %q: %d exact samples of %d", ls.Latency, ls.Scope, len(ls.Exact), ls.Count)
	}
	return &LatencyDist{n: ls.Count, sk: sk, exact: ls.Exact}, nil
}

// Count is the number of samples.
func (d *LatencyDist) Count() int64 { return d.n }

// PoolQuantile is q of the samples of ds pooled, dist i counted mult[i]
// times (nil: once each; a bootstrap resample counts a run as often as it
// drew it), NaN when there are none. It answers as one run with all those
// samples would (dist.quantile): up to ExactLimit samples it interpolates
// between the exact order statistics, past them it merges the sketches,
// which is lossless, and interpolates between the merged sketch's values
// at the two ranks, within SketchAccuracy of the pooled samples' own.
//
// A caller that pools the same ds many times (a bootstrap) makes a Pool
// once and asks it instead, as the program does (study's percentiles):
// only tests (sim's, data's, study's and tui's) call PoolQuantile.
func PoolQuantile(ds []*LatencyDist, mult []int, q float64) float64 {
	return NewPool(ds).Quantile(mult, q)
}

// SketchOf is the LatencySketch a run that measured samples, in this
// order, stores for them: for tests (sim's, study's and tui's) that pool
// made-up runs; the program calls it nowhere.
func SketchOf(scope, latency string, samples []float64) LatencySketch {
	d := newDist()
	for _, v := range samples {
		d.add(v)
	}
	return d.sketchOf(scope, latency)
}
