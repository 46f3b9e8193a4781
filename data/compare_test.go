package data

import (
	"math"
	"strings"
	"testing"
)

// TestHorizonWarning: runs of different horizons are warned about with
// each run's horizon in order; equal or unknown horizons are not.
func TestHorizonWarning(t *testing.T) {
	tests := []struct {
		name     string
		horizons []float64 // seconds
		want     string    // in the warning; "" for no warning
	}{
		{"same", []float64{3600, 3600}, ""},
		{"2d against 1h", []float64{172800, 3600}, "different horizons (2d, 1h): totals such as revenue"},
		{"the third differs", []float64{60, 60, 120}, "different horizons (1m, 1m, 2m)"},
		{"unknown is no difference", []float64{math.NaN(), 3600, 3600}, ""},
		{"unknown beside a difference", []float64{math.NaN(), 60, 3600}, "different horizons (?, 1m, 1h)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &Comparison{}
			for _, h := range tt.horizons {
				c.Runs = append(c.Runs, RunSummary{HorizonS: h})
			}
			got := c.HorizonWarning()
			if tt.want == "" && got != "" || tt.want != "" && !strings.Contains(got, tt.want) {
				t.Errorf("HorizonWarning() = %q, want %q", got, tt.want)
			}
		})
	}
}
