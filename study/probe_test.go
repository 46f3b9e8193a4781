package study

import (
	"context"
	"strings"
	"testing"
)

// TestCheckKPIsPlacesItsErrors: the KPI errors that need a run to tell
// (a scope naming no workload, a KPI these scenarios do not report) and a
// threshold on a KPI the sweep does not report name the file, line and
// column the KPI is written at, as the reader's own errors do; they named
// "sweep NAME" alone.
func TestCheckKPIsPlacesItsErrors(t *testing.T) {
	for _, tt := range []struct {
		name, src, want string
	}{
		{"unknown workload", "name: k\nbase: baseline\nset: {horizon: 1m}\nkpis: [margin_usd, \"slo_attainment[chatt]\"]\n",
			`sweep.yaml:4:20: kpis: slo_attainment[chatt]: no workload "chatt" (workloads: chat, shopping-assistant)`},
		{"not reported", "name: k\nbase: baseline\nset: {horizon: 1m}\nkpis:\n  - margin_usd\n  - training_lends\n",
			`sweep.yaml:6:5: kpis: KPI "training_lends" is not reported by these scenarios' runs`},
		{"threshold not among the kpis", "name: k\nbase: baseline\nset: {horizon: 1m}\nkpis: [margin_usd]\nmontecarlo:\n  samples: 1\n" +
			"  thresholds: [\"margin_usd < 0\", \"cost_usd > 1\"]\n  parameters:\n    ads.ctr: {dist: beta, alpha: 4, beta: 996}\n",
			"sweep.yaml:7:34: montecarlo.thresholds: cost_usd is not among the sweep's kpis (margin_usd); add it to kpis"},
	} {
		err := plan(t, tt.src).CheckKPIs(context.Background())
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
	}
}
