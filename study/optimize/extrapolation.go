package optimize

// Rivals are the candidates, other than the best's own, that lost to it
// on their simulated step times: an evaluated fleet of theirs missed the
// target where it would otherwise have been chosen, cheaper than the best
// under the cost objective or earning more under the margin objective.
// With no best, every candidate with a complete evaluation is one: each
// missed. In candidate order. A rival whose constants are extrapolated
// (Candidate.Extrapolated) was rejected on constants no measurement pins,
// as a best on them was chosen.
func (r *Result) Rivals() []*Candidate {
	var out []*Candidate
	seen := map[int]bool{}
	for _, e := range r.Evals {
		if seen[e.Candidate] || e.Runs == 0 || e.Feasible || e.Candidate < 0 || e.Candidate >= len(r.Candidates) {
			continue
		}
		if b := r.Best; b != nil && (e.Candidate == b.Candidate || !wouldWin(r.Objective, e, b)) {
			continue
		}
		seen[e.Candidate] = true
	}
	for i, c := range r.Candidates {
		if seen[i] {
			out = append(out, c)
		}
	}
	return out
}

// wouldWin says whether e, had it met the target, would have ranked above
// the best b: a lower fleet cost (cost), a higher margin (margin).
func wouldWin(objective string, e, b *Eval) bool {
	if objective == ObjectiveMargin {
		return e.MarginUSD > b.MarginUSD
	}
	return e.FleetPerHourUSD < b.FleetPerHourUSD
}
