package optimize

import (
	"math"
	"testing"
)

// TestMarginClimbPastAMiss: with the margin objective, a count above the
// best that misses the target (attainment is monotone only up to noise)
// is a climb step without improvement, so the search moves on and ends.
// It asked for that count for ever, without checking for Ctrl-C.
func TestMarginClimbPastAMiss(t *testing.T) {
	o := &optimizer{opts: Options{Objective: ObjectiveMargin, MaxCount: 16}}
	c := &Candidate{PriceUSDPerHour: 1}
	feasible := map[int]bool{4: true, 6: true, 7: true} // 5 misses above 4, which meets
	margin := map[int]float64{4: 10, 6: 9, 7: 8}
	var asked []int
	seen := map[int]bool{}
	for n := o.next(c, math.Inf(1)); n != 0; n = o.next(c, math.Inf(1)) {
		if seen[n] || len(asked) > 20 {
			t.Fatalf("asked for %d again after %v", n, asked)
		}
		seen[n] = true
		asked = append(asked, n)
		o.record(c, &Eval{Count: n, Runs: 1, Feasible: feasible[n], MarginUSD: margin[n], Attainment: 0.9})
	}
	if c.Best == nil || c.Best.Count != 4 || c.Outcome != "best margin at 4 instances" {
		t.Errorf("asked %v: best %+v, outcome %q", asked, c.Best, c.Outcome)
	}
}
