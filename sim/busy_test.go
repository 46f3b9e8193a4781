package sim

import (
	"math"
	"strings"
	"testing"
)

// TestReplicaBusyMatchesUtilization: the replicas' busy_ns over their
// up_ns is the utilization KPI. busy_ns counted an iteration only as it
// ended, so the one cut by the end and those an interruption halted were
// left out, and show's BUSY column read 0.9999554 beside a KPI of
// 0.9999848 (review84 B4).
func TestReplicaBusyMatchesUtilization(t *testing.T) {
	spot := strings.Replace(small8b, "  count: 1\n", "  count: 3\n  pricing: spot\n  spot: {discount: 0.6, interruptions_per_hour: 6, recovery: 2m}\n", 1)
	tests := []struct{ name, src string }{
		{"one replica, busy at the end", small8b},
		{"spot, interrupted mid-iteration", spot},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, _ := run(t, scenario(t, tt.src))
			var busy, up float64
			for _, r := range res.Replicas {
				if r.BusyNs > r.UpNs {
					t.Errorf("replica %d: busy %d ns above up %d ns", r.ID, r.BusyNs, r.UpNs)
				}
				busy += float64(r.BusyNs)
				up += float64(r.UpNs)
			}
			if got, want := busy/up, kpi(t, res, "utilization", ""); math.Abs(got-want) > 1e-12 {
				t.Errorf("replicas' busy_ns / up_ns = %.10f, utilization %.10f", got, want)
			}
		})
	}
}
