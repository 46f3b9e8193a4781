package optimize

import "slices"

// flatRise is the most SLO attainment may rise over a quadrupling of the
// instance count for the count to be called no remedy: half a point.
// Where more instances shorten the queue, four times as many move the
// attainment of a fleet that misses by far more; model-mix's 70B pool read
// 84.1% to 84.8% from 1 to 256 instances, its escalated requests waiting
// on the 8B pool the search does not size.
const flatRise = 0.005

// Plateau is a candidate whose SLO attainment stopped rising with its
// count: From is its evaluation at a quarter (or less) of the largest
// count it ran, To at that count.
type Plateau struct {
	Candidate *Candidate
	From, To  *Eval
}

// Plateaus returns, when no fleet met the target, the candidates searched
// up to the maximum count whose SLO attainment rose by less than flatRise
// over the last quadrupling of their count, and whether every candidate
// that reached the maximum count is one: then a larger --max-count is no
// remedy, and what keeps the attainment down is not a shortage of these
// instances. nil and false where a fleet met the target, or where none
// reached the maximum count.
func (r *Result) Plateaus() ([]Plateau, bool) {
	if r.Best != nil || r.MaxCount < 4 {
		return nil, false
	}
	var flat []Plateau
	reached := 0
	for ci, c := range r.Candidates {
		var evs []*Eval
		for _, e := range r.Evals {
			if e.Candidate == ci && e.Runs > 0 {
				evs = append(evs, e)
			}
		}
		slices.SortFunc(evs, func(a, b *Eval) int { return a.Count - b.Count })
		if len(evs) == 0 || evs[len(evs)-1].Count != r.MaxCount {
			continue
		}
		reached++
		to := evs[len(evs)-1]
		i := slices.IndexFunc(evs, func(e *Eval) bool { return e.Count > r.MaxCount/4 })
		if i <= 0 {
			continue // nothing evaluated a quarter as large
		}
		if from := evs[i-1]; to.Attainment < r.SLOTarget && to.Attainment-from.Attainment < flatRise {
			flat = append(flat, Plateau{Candidate: c, From: from, To: to})
		}
	}
	return flat, reached > 0 && len(flat) == reached
}
