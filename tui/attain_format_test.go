package tui

import (
	"testing"

	"aiecon/model/kpi"
)

// TestAttainmentCellsOffTheTarget: every dashboard cell that shows an SLO
// attainment, which sloTone colours against the 99% target, prints one
// that misses it by a hair as a miss: 98.99% in the colour of a miss read
// 99.0% (PctCompact's one decimal).
func TestAttainmentCellsOffTheTarget(t *testing.T) {
	var heat func(float64) string
	for _, h := range heatKPIs {
		if h.name == kpi.SLOAttainment {
			heat = h.fmt
		}
	}
	tests := []struct {
		name, got, want string
	}{
		{"fmtAttain miss", fmtAttain(0.98992), "98.99%"},
		{"fmtAttain met", fmtAttain(0.99), "99.0%"},
		{"fmtAttain all", fmtAttain(1), "100%"},
		{"KPI table", fmtKPI(kpi.SLOAttainment, 0.98992, "fraction"), "98.99%"},
		{"KPI table, other fraction", fmtKPI(kpi.GrossMargin, 0.98992, "fraction"), "99.0%"},
		{"sweep heatmap", heat(0.98992), "98.99%"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, tt.got, tt.want)
		}
	}
	if sloTone(0.98992) == toneGood {
		t.Error("sloTone(0.98992) is good, want a miss's")
	}
}
