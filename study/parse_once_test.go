package study

import (
	"bytes"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"aiecon/model"
)

// sweepOf is a sweep of the baseline over n fleet sizes.
func sweepOf(n int) string {
	counts := make([]string, n)
	for i := range counts {
		counts[i] = fmt.Sprint(i + 1)
	}
	return "name: s\nbase: baseline\nset: {horizon: 1m}\nparameters:\n  fleet.count: [" + strings.Join(counts, ", ") + "]\nreplications: 1\n"
}

// baseParses counts, until the test ends, the parses of the plan's base
// text, as written or as the plan carries it.
func baseParses(tb testing.TB, p *Plan) *atomic.Int64 {
	var n atomic.Int64
	base := p.Spec.Base.Source
	restore := model.SetParseHook(func(_ string, src []byte) {
		if bytes.Equal(src, base) {
			n.Add(1)
		}
	})
	tb.Cleanup(restore)
	return &n
}

// TestSweepParsesBaseOnce: loading every point of a sweep parses its base
// once, whatever the number of points: each point is the base as parsed,
// copied, with its parameters set. Plan.Load parsed the base again for
// each point.
func TestSweepParsesBaseOnce(t *testing.T) {
	for _, n := range []int{1, 5} {
		sp, err := ParseSpec("sweep.yaml", []byte(sweepOf(n)), t.TempDir(), nil)
		if err != nil {
			t.Fatal(err)
		}
		p, err := NewPlan(sp)
		if err != nil {
			t.Fatal(err)
		}
		parses := baseParses(t, p)
		for _, pt := range p.Points {
			if _, err := p.Load(pt, 0); err != nil {
				t.Fatal(err)
			}
		}
		if got := parses.Load(); got > 1 {
			t.Errorf("%d points: the base was parsed %d times, want once", n, got)
		}
	}
}

// BenchmarkSweepPointLoad times loading one point of a sweep of the
// baseline, and reports how often the base is parsed per point
// (base-parses/point: 1 before the base was kept parsed, 0 after).
func BenchmarkSweepPointLoad(b *testing.B) {
	sp, err := ParseSpec("sweep.yaml", []byte(sweepOf(8)), b.TempDir(), nil)
	if err != nil {
		b.Fatal(err)
	}
	p, err := NewPlan(sp)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := p.Load(p.Points[0], 0); err != nil { // the base parsed once, for the plan
		b.Fatal(err)
	}
	parses := baseParses(b, p)
	for i := 0; b.Loop(); i++ {
		if _, err := p.Load(p.Points[i%len(p.Points)], 0); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(parses.Load())/float64(b.N), "base-parses/point")
}
