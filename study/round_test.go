package study

import (
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// chiSquare999 is the 99.9th percentile of the chi-square distribution with
// 1 to 6 degrees of freedom: a statistic above it comes once in a thousand
// from draws that follow the expected probabilities. The draws are seeded,
// so a test passes or fails the same way every time; the old nearest
// rounding of a uniform from 1 to 4 scored 436 at 3 degrees.
var chiSquare999 = []float64{1: 10.83, 2: 13.82, 3: 16.27, 4: 18.47, 5: 20.52, 6: 22.46}

// TestRoundDrawsWholeUnits: round: true gives every whole number k from min
// to max the probability of [k-1/2, k+1/2) under its distribution, the ends
// included: a uniform count from 1 to 4 draws each a quarter of the time.
// The nearest whole number of a draw on [1, 4] gave 1 and 4 half the
// weight of 2 and 3.
func TestRoundDrawsWholeUnits(t *testing.T) {
	tri := distuv.NewTriangle(0.5, 5.5, 2, nil)
	norm := distuv.Normal{Mu: 2, Sigma: 1.5}
	for _, tt := range []struct {
		dist   string
		lo, hi int
		p      func(k float64) float64 // unnormalised probability of k
	}{
		{"{dist: uniform, min: 1, max: 4, round: true}", 1, 4, func(float64) float64 { return 1 }},
		// The triangle widened to [0.5, 5.5] (its mode kept).
		{"{dist: triangular, min: 1, mode: 2, max: 5, round: true}", 1, 5, func(k float64) float64 { return tri.CDF(k+0.5) - tri.CDF(k-0.5) }},
		// Rounded, then truncated to [1, 4]: the ends take a whole unit.
		{"{dist: normal, mean: 2, std: 1.5, min: 1, max: 4, round: true}", 1, 4, func(k float64) float64 { return norm.CDF(k+0.5) - norm.CDF(k-0.5) }},
		// min and max between whole numbers: 1, 2 and 3, equally likely.
		{"{dist: uniform, min: 0.5, max: 3.7, round: true}", 1, 3, func(float64) float64 { return 1 }},
	} {
		sp, err := ParseSpec("s.yaml", []byte("name: d\nbase: baseline\nmontecarlo:\n  samples: 1\n  parameters:\n    fleet.count: "+tt.dist+"\n"), "", nil)
		if err != nil {
			t.Fatal(err)
		}
		const n = 4000
		counts := map[int]int{}
		src := streamSource(1, "round")
		for range n {
			v, err := sp.MonteCarlo.Params[0].Dist.sample(src)
			if err != nil {
				t.Fatal(err)
			}
			counts[int(v.JSON.(float64))]++
		}
		t.Logf("%s: %v", tt.dist, counts)
		var ks []int
		total := 0.0
		for k := tt.lo; k <= tt.hi; k++ {
			ks = append(ks, k)
			total += tt.p(float64(k))
		}
		chi, seen := 0.0, 0
		for _, k := range ks {
			want := n * tt.p(float64(k)) / total
			chi += (float64(counts[k]) - want) * (float64(counts[k]) - want) / want
			seen += counts[k]
		}
		if seen != n {
			t.Errorf("%s: %d of %d draws outside %v", tt.dist, n-seen, n, ks)
		}
		if df := len(ks) - 1; chi > chiSquare999[df] {
			t.Errorf("%s: chi-square %.1f over %v at %d degrees of freedom, above %.2f (0.1%%): counts %v", tt.dist, chi, ks, df, chiSquare999[df], counts)
		}
	}
}

// TestRoundStoredNearest: a sweep stored by an earlier build with round:
// true on a uniform drew the nearest whole number of a draw on [min, max];
// it reads as it ran (its points stay its points), while this build's
// frozen specification says round: whole, so its sweeps get their own id.
func TestRoundStoredNearest(t *testing.T) {
	src := "name: d\nbase: baseline\nmontecarlo:\n  samples: 400\n  parameters:\n    fleet.count: {dist: uniform, min: 1, max: 4, round: true}\n"
	p := plan(t, src)
	if !strings.Contains(string(p.Frozen), "round: whole") {
		t.Fatalf("frozen specification without round: whole:\n%s", p.Frozen)
	}
	stored := strings.Replace(string(p.Frozen), "round: whole", "round: true", 1)
	old, err := PlanFromFrozen("sweep x", []byte(stored))
	if err != nil {
		t.Fatal(err)
	}
	ends := func(p *Plan) (n int) {
		for _, pt := range p.Points {
			if v := pt.Params[0].Value.YAML; v == "1" || v == "4" {
				n++
			}
		}
		return n
	}
	// Half of 400 draws at the ends now; a third with the nearest rounding.
	if got := ends(p); got < 170 || got > 230 {
		t.Errorf("this build drew an end %d times of 400, want about 200", got)
	}
	if got := ends(old); got < 103 || got > 163 {
		t.Errorf("a stored round: true drew an end %d times of 400, want about 133 (as it ran)", got)
	}
	if _, err := ParseSpec("s.yaml", []byte(strings.Replace(src, "round: true", "round: whole", 1)), "", nil); err == nil {
		t.Error("a sweep file's round: whole was accepted (only a stored specification writes it)")
	}
	if _, err := ParseSpec("s.yaml", []byte(strings.Replace(src, "min: 1, max: 4", "min: 1.2, max: 1.8", 1)), "", nil); err == nil || !strings.Contains(err.Error(), "none lies between") {
		t.Errorf("round: true with no whole number in [min, max]: %v", err)
	}
}
