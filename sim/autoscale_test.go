package sim

import "testing"

// TestRecommend: the HPA's rule keeps the count while utilization over
// target is within the tolerance of 1, and otherwise asks for
// ceil(active x utilization / target).
func TestRecommend(t *testing.T) {
	cases := []struct {
		name                      string
		active                    int
		metric, target, tolerance float64
		want                      int
	}{
		{"on target", 4, 0.6, 0.6, 0.1, 4},
		{"8% over, inside the band", 4, 0.65, 0.6, 0.1, 4},
		{"8% over, no tolerance", 4, 0.65, 0.6, 0, 5},
		{"12% over, outside the band", 4, 0.67, 0.6, 0.1, 5},
		{"8% under, inside the band", 4, 0.55, 0.6, 0.1, 4},
		{"17% under: the ceiling keeps 4", 4, 0.5, 0.6, 0.1, 4},
		{"30% under, outside the band", 4, 0.42, 0.6, 0.1, 3},
		{"9% under at 12, inside the band", 12, 0.546, 0.6, 0.1, 12},
		{"9% under at 12, no tolerance", 12, 0.546, 0.6, 0, 11},
		{"idle", 4, 0, 0.6, 0.1, 0},
		{"twice the target", 3, 1, 0.5, 0.1, 6},
		{"queue 5% over its target of 4", 2, 4.2, 4, 0.1, 2},
		{"queue 50% over", 2, 6, 4, 0.1, 3},
	}
	for _, c := range cases {
		if got := recommend(c.active, c.metric, c.target, c.tolerance); got != c.want {
			t.Errorf("%s: recommend(%d, %g, %g, %g) = %d, want %d", c.name, c.active, c.metric, c.target, c.tolerance, got, c.want)
		}
	}
}
