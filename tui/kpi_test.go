package tui

import (
	"math"
	"testing"
)

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
