package main

import (
	"strings"
	"testing"

	"aiecon/model"
)

// TestTrainingCoverageQuota: training_idle_coverage is of the work the run
// owes, which a training.quota makes that many pro-rata shares (none at 0),
// so the line names the quota rather than the pro-rata share.
func TestTrainingCoverageQuota(t *testing.T) {
	q := func(v float64) *float64 { return &v }
	tests := []struct {
		name  string
		quota *float64
		cov   float64
		want  string
	}{
		{"no quota, all done", nil, 1, "; lent replicas did this run's pro-rata share of it"},
		{"no quota, part done", nil, 0.25, "; lent replicas did 25.0% of this run's pro-rata share, the dedicated cluster is billed for the rest"},
		{"quota 0", q(0), 1, "; this run owes nothing (quota 0): nothing lent"},
		{"quota 0.5, all done", q(0.5), 1, "; lent replicas did all of the work this run owes (quota 0.5: 0.5 pro-rata shares)"},
		{"quota 1, all done", q(1), 1, "; lent replicas did all of the work this run owes (quota 1: 1 pro-rata share)"},
		{"quota 3, part done", q(3), 0.641, "; lent replicas did 64.1% of the work this run owes (quota 3: 3 pro-rata shares), the dedicated cluster is billed for the rest"},
	}
	for _, tt := range tests {
		r := fakeReport(map[string]float64{"training_idle_coverage": tt.cov})
		r.l.Scenario.Training = &model.Training{Where: "fleet-idle", Quota: tt.quota}
		if got := r.trainingCoverage(); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
		if tt.quota != nil && strings.Contains(r.trainingCoverage(), "did this run's pro-rata share") {
			t.Errorf("%s: a quota run is said to have done its pro-rata share", tt.name)
		}
	}
	if got := fakeReport(nil).trainingCoverage(); got != "" {
		t.Errorf("no coverage KPI: got %q", got)
	}
}
