package sim

import (
	"math"
	"math/rand/v2"
	"testing"

	"aiecon/model"
)

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
		// ceil(1 x 1 / 1e-300) overflowed the int to a negative count,
		// which the floor then held: the fleet never scaled.
		{"a tiny target asks for the most, not a negative count", 1, 1, 1e-300, 0.1, math.MaxInt32},
	}
	for _, c := range cases {
		if got := recommend(c.active, c.metric, c.target, c.tolerance); got != c.want {
			t.Errorf("%s: recommend(%d, %g, %g, %g) = %d, want %d", c.name, c.active, c.metric, c.target, c.tolerance, got, c.want)
		}
	}
}

// TestStabilized: a scale-down goes only to the largest count recommended
// over the window; a window of 0 keeps the latest alone.
func TestStabilized(t *testing.T) {
	const min = int64(model.Minute)
	steps := []struct {
		at, desired int
		want, want0 int // with a 5-minute window, and with none
	}{
		{0, 4, 4, 4}, {1, 3, 4, 3}, {2, 3, 4, 3}, {4, 3, 4, 3},
		{5, 3, 3, 3}, // the 4 asked at 0 has left the window
		{6, 5, 5, 5}, {7, 2, 5, 2}, {10, 2, 5, 2}, {11, 2, 2, 2},
	}
	var fe, fe0 fleetEconomics
	for _, s := range steps {
		if got := fe.stabilized(int64(s.at)*min, s.desired, 5*min); got != s.want {
			t.Errorf("5m window, minute %d, asked %d: got %d, want %d", s.at, s.desired, got, s.want)
		}
		if got := fe0.stabilized(int64(s.at)*min, s.desired, 0); got != s.want0 {
			t.Errorf("no window, minute %d, asked %d: got %d, want %d", s.at, s.desired, got, s.want0)
		}
	}
	if len(fe.recent) > 5 {
		t.Errorf("%d recommendations kept for a 5-minute window at 1 a minute", len(fe.recent))
	}
}

// TestAutoscalerDampsFlapping: steady load near the point where the count
// changes flaps an autoscaler with no tolerance and no stabilization
// between adding an instance (paid while it loads) and releasing it; the
// defaults (the HPA's 0.1 and 5 minutes) scale far less often and pay for
// less capacity that never serves.
func TestAutoscalerDampsFlapping(t *testing.T) {
	sc := scenario(t, smallL4+`
    arrivals: {process: poisson, rate: 3/s}
fleet:
  instance: g6.xlarge
  count: 1
  autoscale: {min: 1, max: 6, target: 0.6, provision_delay: 7m, cooldown: 3m}
  replica: {tp: 1, scheduler: vllm, max_num_seqs: 32, max_model_len: 8192}
`)
	sc.Horizon = 3 * model.Hour
	if as := sc.Fleet.Autoscale; as.Tolerance != model.DefaultAutoscaleTolerance || as.ScaleDownStabilization != 5*model.Minute {
		t.Fatalf("defaults: tolerance %v, stabilization %v", as.Tolerance, as.ScaleDownStabilization)
	}
	damped, _ := run(t, sc)
	sc.Fleet.Autoscale.Tolerance, sc.Fleet.Autoscale.ScaleDownStabilization = 0, 0
	flapping, _ := run(t, sc)
	events := func(res *Result) float64 { return kpi(t, res, "scale_ups", "") + kpi(t, res, "scale_downs", "") }
	idle := func(res *Result) float64 {
		return kpi(t, res, "instances_avg", "") - kpi(t, res, "replicas_up_avg", "")
	}
	t.Logf("scale events %v (no damping) vs %v; paid but not serving %.3f vs %.3f instances",
		events(flapping), events(damped), idle(flapping), idle(damped))
	if events(flapping) < 20 || events(damped) > events(flapping)*0.6 {
		t.Errorf("scale events: %v with no tolerance or window, %v with the defaults; want the defaults at most 60%%", events(flapping), events(damped))
	}
	if idle(damped) >= idle(flapping) {
		t.Errorf("instances paid but not serving: %.3f damped, %.3f flapping", idle(damped), idle(flapping))
	}
}

// TestStabilizedIsTheWindowMax: the window keeps only the counts that can
// still be its largest (a 36,500-day window at 1 s intervals scanned every
// count inside it, so a 4-day run took 95 s); what it returns is still the
// largest count asked for over the window, as a scan of all of them gives.
func TestStabilizedIsTheWindowMax(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, window := range []int64{0, 1, 5, 60, 1 << 40} {
		var fe fleetEconomics
		var all []recommendation
		for now := int64(1); now <= 5000; now++ {
			desired := rng.IntN(8)
			got := fe.stabilized(now, desired, window)
			all = append(all, recommendation{now, desired})
			want := desired
			for _, r := range all {
				if r.atNs > now-window {
					want = max(want, r.desired)
				}
			}
			if got != want {
				t.Fatalf("window %d at %d: %d, want %d", window, now, got, want)
			}
		}
		if len(fe.recent) > 8 {
			t.Errorf("window %d: %d counts kept; at most one per distinct count can still be the largest", window, len(fe.recent))
		}
	}
}
