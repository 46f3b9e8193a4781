package study

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
)

// TestPairedCI checks the paired interval against references computed by
// hand: d the per-replication differences, their mean, their sample
// standard deviation s (n-1) and t(0.975, n-1) x s / sqrt(n), with
// t(0.975, 1) = 12.706205, t(0.975, 2) = 4.302653 and t(0.975, 4) =
// 2.776445 from the Student t table. Tolerance 1e-6, relative: the table's
// quantiles carry seven digits.
func TestPairedCI(t *testing.T) {
	nan := math.NaN()
	for _, tt := range []struct {
		name         string
		a, b         []float64
		n            int
		mean, sd, hw float64
		excludesZero bool
	}{
		// d = 1, 2, 1: mean 4/3, s = sqrt(1/3), hw = 4.302653 x sqrt(1/3) / sqrt(3) = 4.302653 / 3.
		{"three pairs", []float64{10, 12, 15}, []float64{9, 10, 14}, 3, 4.0 / 3, math.Sqrt(1.0 / 3), 4.3026527 / 3, false},
		// d = 1, 1.1, 0.9: mean 1, s 0.1, hw 4.302653 x 0.1 / sqrt(3) = 0.2484138, clear of 0.
		{"three pairs clear of 0", []float64{3, 3.1, 2.9}, []float64{2, 2, 2}, 3, 1, 0.1, 0.2484138, true},
		// A NaN on either side drops its pair: d = 1, 2, 3, mean 2, s 1, hw 4.302653 / sqrt(3).
		{"a NaN drops its pair", []float64{1, nan, 3, 5, 7}, []float64{0, 2, 1, 2, nan}, 3, 2, 1, 2.4841377, false},
		// d = 0.5, -0.2, 0.3, 0.1, 0.4: mean 0.22, s^2 = 0.308/4, hw 2.776445 x 0.2774887 / sqrt(5).
		{"five pairs, interval reaches 0", []float64{1.5, 0.8, 1.3, 1.1, 1.4}, []float64{1, 1, 1, 1, 1}, 5, 0.22, 0.2774887, 0.3445478, false},
		// d = -3.5, -2.25: mean -2.875, s = 1.25 / sqrt(2), hw 12.706205 x 0.8838835 / sqrt(2).
		{"two pairs", []float64{0.5, 1}, []float64{4, 3.25}, 2, -2.875, 0.8838835, 7.9413780, false},
		// The shorter slice bounds the pairs; one pair gives no interval.
		{"one pair", []float64{3, 9}, []float64{1}, 1, 2, nan, nan, false},
		{"no pair", []float64{nan}, []float64{1}, 0, nan, nan, nan, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			iv := PairedCI(tt.a, tt.b, ConfidenceLevel)
			if iv.N != tt.n {
				t.Errorf("N = %d, want %d", iv.N, tt.n)
			}
			for _, c := range []struct {
				what      string
				got, want float64
			}{{"mean", iv.Mean, tt.mean}, {"sd", iv.SD, tt.sd}, {"half-width", iv.HalfWidth, tt.hw}} {
				if !close6(c.got, c.want) {
					t.Errorf("%s = %v, want %v", c.what, c.got, c.want)
				}
			}
			if iv.ExcludesZero() != tt.excludesZero {
				t.Errorf("ExcludesZero = %v, want %v ([%v, %v])", iv.ExcludesZero(), tt.excludesZero, iv.Low(), iv.High())
			}
		})
	}
}

// close6 is equality within 1e-6 relative (both NaN counts as equal).
func close6(got, want float64) bool {
	if math.IsNaN(want) || math.IsNaN(got) {
		return math.IsNaN(want) && math.IsNaN(got)
	}
	return math.Abs(got-want) <= 1e-6*math.Max(1, math.Abs(want))
}

// pairedFixture is a summary of three points x three replications of two
// KPIs, every run on seed 10+r, point 2 missing replication 1.
func pairedFixture() *Summary {
	s := &Summary{Name: "fx", Replications: 3, KPIs: []KPIRef{{Name: "margin_usd"}, {Name: "cost_per_mtok_usd"}},
		Units: []string{"USD", "USD/Mtok"}, seeds: map[[2]int]uint64{}}
	vals := [][][]float64{
		{{100, 3}, {110, 3.2}, {90, 2.9}},
		{{105, 4}, {118, 4.1}, {93, 3.8}},
		{{101, 2}, nil, {95, 2.1}},
	}
	for i, reps := range vals {
		ps := PointStats{Point: Point{Index: i}, Values: reps}
		for r, rv := range reps {
			if rv != nil {
				ps.Runs++
				s.seeds[[2]int{i, r}] = uint64(10 + r)
			}
		}
		s.Points = append(s.Points, ps)
	}
	return s
}

// TestPairAgainst pairs each point with point 0 by replication, skipping
// a replication one of them lacks, and marks the pooled KPIs paired by
// each run's own value.
func TestPairAgainst(t *testing.T) {
	s := pairedFixture()
	if err := s.PairAgainst(0); err != nil {
		t.Fatal(err)
	}
	p := s.Paired
	if p.Vs.Index != 0 || len(p.Points) != 2 || p.Points[0].Point.Index != 1 || p.Points[1].Point.Index != 2 {
		t.Fatalf("paired %+v, want points 1 and 2 against 0", p)
	}
	if got := strings.Join(p.PerRun, ","); got != "cost_per_mtok_usd" {
		t.Errorf("PerRun = %q, want the pooled ratio cost_per_mtok_usd alone", got)
	}
	// Point 1 less point 0: margins 5, 8, 3; point 2: 1, 5 (replication 1 missing).
	for i, want := range []struct {
		pairs      int
		mean, sdSq float64
	}{{3, 16.0 / 3, 19.0 / 3}, {2, 3, 8}} {
		pp := p.Points[i]
		if iv := pp.KPIs[0]; pp.Pairs != want.pairs || iv.N != want.pairs || !close6(iv.Mean, want.mean) || !close6(iv.SD*iv.SD, want.sdSq) {
			t.Errorf("point %d: %d pairs, margin difference %+v; want %d pairs, mean %v, variance %v", pp.Point.Index, pp.Pairs, iv, want.pairs, want.mean, want.sdSq)
		}
	}
}

// TestPairRefusalBeforeAndAfter: the refusal the CLI gives from a sweep's
// plan before it runs (Plan.PairRefusal) is the stored summary's, word for
// word, for each thing the plan tells: the two said "give --replications"
// and "run it with", "sweep grid has points 0 to 3" and "point 9 is not
// among the points summarised", and a shard of one point ran before it was
// refused.
func TestPairRefusalBeforeAndAfter(t *testing.T) {
	for _, tt := range []struct {
		name   string
		shard  ShardSpec
		vs     int
		mutate func(*Plan, *Summary)
		want   string
	}{
		{"Monte Carlo", ShardSpec{}, 0, func(p *Plan, s *Summary) { p.Spec.MonteCarlo, s.MonteCarlo = &MonteCarlo{}, []GroupSpread{{}} },
			"sweep fx is a Monte Carlo study, whose samples run on seeds of their own"},
		{"one replication", ShardSpec{}, 0, func(p *Plan, s *Summary) { p.Spec.Replications, s.Replications = 1, 1 },
			"sweep fx has 1 replication per point, and one pair of runs gives no interval; run it with --replications 2 or more"},
		{"a point it does not have", ShardSpec{}, 7, func(*Plan, *Summary) {}, "sweep fx has no point 7 (it has 3 points, from 0 to 2)"},
		{"a point of another shard", ShardSpec{Index: 1, Count: 2}, 0, func(*Plan, *Summary) {}, "shard 1/2 of sweep fx has no point 0 (it has point 1 alone)"},
		{"a shard of one point", ShardSpec{Index: 1, Count: 2}, 1, func(*Plan, *Summary) {},
			"shard 1/2 of sweep fx holds point 1 alone, so there is no other point to compare with it"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := &Plan{Spec: &Spec{Name: "fx", Replications: 3}}
			s := pairedFixture()
			s.shard = tt.shard
			s.Points = slices.DeleteFunc(s.Points, func(ps PointStats) bool { return !tt.shard.Has(ps.Point.Index) })
			for i := range 3 {
				p.Points = append(p.Points, Point{Index: i})
			}
			tt.mutate(p, s)
			before, after := p.PairRefusal(tt.shard, tt.vs), s.PairAgainst(tt.vs)
			if !errors.Is(before, ErrNotPaired) || !strings.Contains(before.Error(), tt.want) {
				t.Errorf("PairRefusal(%v, %d) = %v, want ErrNotPaired saying %q", tt.shard, tt.vs, before, tt.want)
			}
			if after == nil || before == nil || after.Error() != before.Error() {
				t.Errorf("the summary refuses %v, the plan %v: want the same words", after, before)
			}
		})
	}
	p := &Plan{Spec: &Spec{Name: "fx", Replications: 3}, Points: []Point{{Index: 0}, {Index: 1}}}
	if err := p.PairRefusal(ShardSpec{}, 1); err != nil {
		t.Errorf("two points of 3 replications: %v", err)
	}
}

// TestPairAgainstRefuses: what does not pair by replication is refused
// with an error that says why, and leaves the summary unpaired.
func TestPairAgainstRefuses(t *testing.T) {
	for _, tt := range []struct {
		name   string
		vs     int
		mutate func(*Summary)
		want   string
	}{
		{"a point it does not have", 7, func(*Summary) {}, "sweep fx has no point 7 (it has 3 points, from 0 to 2)"},
		{"a point without runs", 2, func(s *Summary) { s.Points[2].Runs, s.Points[2].Values = 0, nil }, "point 2 has no complete run"},
		{"one replication", 0, func(s *Summary) { s.Replications = 1 }, "1 replication per point"},
		{"Monte Carlo", 0, func(s *Summary) { s.MonteCarlo = []GroupSpread{{}} }, "Monte Carlo study, whose samples run on seeds of their own"},
		{"another seed", 0, func(s *Summary) { s.seeds[[2]int{2, 2}] = 99 },
			"replication 2 of point 2 ran on seed 99 and of point 0 on seed 12; runs of different seeds do not pair"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := pairedFixture()
			tt.mutate(s)
			err := s.PairAgainst(tt.vs)
			if !errors.Is(err, ErrNotPaired) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("PairAgainst(%d) = %v, want ErrNotPaired saying %q", tt.vs, err, tt.want)
			}
			if s.Paired != nil {
				t.Error("a refused pairing left s.Paired set")
			}
		})
	}
}

// TestPairEachKeepsWhatPairs: where one point's runs ran on other seeds
// than the reference's, PairEach pairs the others and says why that one
// does not pair, where PairAgainst refuses the whole; a whole-sweep
// refusal is its error.
func TestPairEachKeepsWhatPairs(t *testing.T) {
	s := pairedFixture()
	s.seeds[[2]int{2, 2}] = 99
	p, notPaired, err := s.PairEach(0)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Points) != 1 || p.Points[0].Point.Index != 1 || p.Points[0].Pairs != 3 {
		t.Errorf("paired %+v, want point 1 alone with 3 pairs", p.Points)
	}
	if e := notPaired[2]; !errors.Is(e, ErrNotPaired) || !strings.Contains(e.Error(), "ran on seed 99") || len(notPaired) != 1 {
		t.Errorf("not paired %v, want point 2's seed 99 alone", notPaired)
	}
	if s.Paired != nil {
		t.Error("PairEach set s.Paired")
	}
	s.Replications = 1
	if _, _, err := s.PairEach(0); !errors.Is(err, ErrNotPaired) || !strings.Contains(err.Error(), "1 replication per point") {
		t.Errorf("one replication: %v, want ErrNotPaired", err)
	}
}
