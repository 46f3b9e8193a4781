package tui

import (
	"math"
	"testing"
)

func TestKPIDirection(t *testing.T) {
	tests := []struct {
		name string
		want direction
	}{
		{"cost_per_mtok_usd", lowerBetter},
		{"cost_instances_usd", lowerBetter},
		{"revenue_usd", higherBetter},
		{"revenue_ads_usd", higherBetter},
		{"revenue_lost_to_latency_usd", lowerBetter}, // starts with "revenue" but is a loss
		{"margin_usd", higherBetter},
		{"gross_margin", higherBetter},
		{"ttft_p99_s", lowerBetter},
		{"e2e_mean_s", lowerBetter},
		{"slo_attainment", higherBetter},
		{"goodput_rps", higherBetter},
		{"requests_completed", higherBetter},
		{"requests_dropped", lowerBetter},
		{"sessions_abandoned", lowerBetter},
		{"sessions_started", neutral},
		{"utilization", neutral},
		{"requests_arrived", neutral},
		{"instances_avg", neutral},
		{"some_future_kpi", neutral},
	}
	for _, tt := range tests {
		if got := kpiDirection(tt.name); got != tt.want {
			t.Errorf("kpiDirection(%q) = %d, want %d", tt.name, got, tt.want)
		}
	}
}

func TestDeltaTone(t *testing.T) {
	tests := []struct {
		name  string
		delta float64
		want  tone
	}{
		{"cost_usd", -1, toneGood},
		{"cost_usd", 1, toneBad},
		{"revenue_usd", 1, toneGood},
		{"revenue_usd", -1, toneBad},
		{"utilization", 1, toneNone},
		{"revenue_usd", 0, toneMuted},
		{"revenue_usd", math.NaN(), toneMuted},
	}
	for _, tt := range tests {
		if got := deltaTone(tt.name, tt.delta); got != tt.want {
			t.Errorf("deltaTone(%q, %v) = %d, want %d", tt.name, tt.delta, got, tt.want)
		}
	}
	if deltaArrow(2) != "▲" || deltaArrow(-2) != "▼" || deltaArrow(0) != " " {
		t.Errorf("arrows: %q %q %q", deltaArrow(2), deltaArrow(-2), deltaArrow(0))
	}
}
