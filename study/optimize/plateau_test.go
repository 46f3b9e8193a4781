package optimize

import "testing"

// TestPlateaus: a candidate searched to the maximum count whose SLO
// attainment rose less than half a point over the last quadrupling is a
// plateau (model-mix's 70B pool, 84.1% to 84.8% from 1 to 256); one still
// rising is not, nor is one that stopped below the maximum, and a search
// with a best has none. All are flat only where every candidate that
// reached the maximum is.
func TestPlateaus(t *testing.T) {
	run := func(atts map[int]float64) []*Eval {
		var evs []*Eval
		for _, n := range []int{1, 2, 4, 8, 16} {
			if a, ok := atts[n]; ok {
				evs = append(evs, &Eval{Count: n, Runs: 1, Attainment: a})
			}
		}
		return evs
	}
	flat := map[int]float64{1: 0.841, 2: 0.843, 4: 0.846, 8: 0.847, 16: 0.848}
	rising := map[int]float64{1: 0.2, 2: 0.4, 4: 0.7, 8: 0.9, 16: 0.95}
	short := map[int]float64{1: 0.5, 2: 0.5} // stopped by the bound before the maximum
	for _, tt := range []struct {
		name    string
		cands   []map[int]float64
		best    bool
		nFlat   int
		allFlat bool
	}{
		{"flat", []map[int]float64{flat}, false, 1, true},
		{"flat and short", []map[int]float64{flat, short}, false, 1, true},
		{"flat and rising", []map[int]float64{flat, rising}, false, 1, false},
		{"rising", []map[int]float64{rising}, false, 0, false},
		{"a best", []map[int]float64{flat}, true, 0, false},
	} {
		res := &Result{MaxCount: 16, SLOTarget: 0.99}
		for ci, atts := range tt.cands {
			res.Candidates = append(res.Candidates, &Candidate{})
			for _, e := range run(atts) {
				e.Candidate = ci
				res.Evals = append(res.Evals, e)
			}
		}
		if tt.best {
			res.Best = res.Evals[0]
		}
		got, all := res.Plateaus()
		if len(got) != tt.nFlat || all != tt.allFlat {
			t.Errorf("%s: %d plateaus (all %v), want %d (all %v)", tt.name, len(got), all, tt.nFlat, tt.allFlat)
			continue
		}
		if len(got) == 1 && (got[0].From.Count != 4 || got[0].To.Count != 16) {
			t.Errorf("%s: plateau from %d to %d instances, want 4 to 16", tt.name, got[0].From.Count, got[0].To.Count)
		}
	}
}
