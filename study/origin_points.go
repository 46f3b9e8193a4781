package study

import (
	"context"
	"math"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"

	"aiecon/data"
)

// scenarioChecker compares complete runs' stored scenarios with what this
// build resolves for their point and replication. Resolving one takes a
// few ms (about 4 on one core: a sweep of 10,000 runs took 19 s on two
// before its first line of output). The replications of a point differ
// only in their seed line (Plan.overrides sets nothing else per
// replication, and no default reads the seed), so a point is resolved
// once and each replication compared by text with its own seed in that
// line; a run that differs is resolved on its own (compareScenario), so
// its error is the one a full comparison gives.
type scenarioChecker struct {
	p      *Plan
	points map[int]*pointScenario
	loads  atomic.Int64 // scenarios resolved (Plan.Load), for the test
}

// pointScenario is a point's resolved scenario around its seed line; ok
// is false when the point did not load or its text has no single seed
// line of the replication it was resolved for (every run is then
// resolved on its own).
type pointScenario struct {
	before, after string
	ok            bool
}

// maxCachedPoints bounds the resolved texts held at once (a few kB each):
// a sweep runs a point's replications one after another, so their runs
// are near in the store's order.
const maxCachedPoints = 1024

func newScenarioChecker(p *Plan) *scenarioChecker {
	return &scenarioChecker{p: p, points: map[int]*pointScenario{}}
}

// check is the first run of batch (in its order) whose scenario this build
// resolves otherwise, nil when there is none.
func (c *scenarioChecker) check(ctx context.Context, batch []data.SweepScenario) *scenarioDiff {
	c.resolvePoints(ctx, batch)
	var otherwise []data.SweepScenario // the runs whose text is not the point's: compared in full
	for _, r := range batch {
		if !c.points[r.Point].is(r.ResolvedYAML, c.p.seedLine(r.Point, r.Replication)) {
			otherwise = append(otherwise, r)
		}
	}
	diffs := make([]*scenarioDiff, len(otherwise))
	Each(ctx, len(otherwise), runtime.GOMAXPROCS(0), func(i int) {
		c.loads.Add(1)
		diffs[i] = compareScenario(c.p, otherwise[i])
	})
	for _, d := range diffs {
		if d != nil {
			return d // the newest: the batch is in the store's order
		}
	}
	return nil
}

// resolvePoints resolves, on every CPU, the points of batch not yet held,
// each for the first of its replications in batch.
func (c *scenarioChecker) resolvePoints(ctx context.Context, batch []data.SweepScenario) {
	if len(c.points)+len(batch) > maxCachedPoints {
		clear(c.points) // an earlier batch's points: their runs are mostly behind
	}
	var todo []data.SweepScenario
	for _, r := range batch {
		if _, held := c.points[r.Point]; !held {
			c.points[r.Point] = nil // resolved below
			todo = append(todo, r)
		}
	}
	resolved := make([]*pointScenario, len(todo))
	Each(ctx, len(todo), runtime.GOMAXPROCS(0), func(i int) {
		c.loads.Add(1)
		resolved[i] = c.p.pointScenario(todo[i].Point, todo[i].Replication)
	})
	for i, r := range todo {
		c.points[r.Point] = resolved[i]
	}
}

// pointScenario resolves a point's replication and splits the text at
// its seed line.
func (p *Plan) pointScenario(point, rep int) *pointScenario {
	l, err := p.Load(p.Points[point], rep)
	seed := p.seedLine(point, rep)
	if err != nil || seed == "" {
		return &pointScenario{}
	}
	text := string(l.Resolved)
	i := strings.Index(text, "\n"+seed+"\n")
	if i < 0 || strings.Count(text, "\n"+seed+"\n") != 1 {
		return &pointScenario{}
	}
	return &pointScenario{before: text[:i+1], after: text[i+1+len(seed):], ok: true}
}

// seedLine is the line in which a replication's resolved scenario gives
// its seed, "" for a seed the resolver would not keep as it is (0 reads
// as the default, and one past the store's BIGINT is refused).
func (p *Plan) seedLine(point, rep int) string {
	seed := p.RunSeed(p.Points[point], rep)
	if seed == 0 || seed > math.MaxInt64 {
		return ""
	}
	return "seed: " + strconv.FormatUint(seed, 10)
}

// is reports whether text is the point's scenario with seed as its seed
// line; false when the point holds no text to compare with.
func (ps *pointScenario) is(text, seed string) bool {
	return ps != nil && ps.ok && seed != "" && len(text) == len(ps.before)+len(seed)+len(ps.after) &&
		strings.HasPrefix(text, ps.before) && strings.HasSuffix(text, ps.after) && text[len(ps.before):len(text)-len(ps.after)] == seed
}
