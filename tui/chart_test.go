package tui

import (
	"slices"
	"strings"
	"testing"
)

func TestNiceTimeStep(t *testing.T) {
	tests := []struct {
		span     float64
		maxTicks int
		want     float64
	}{
		{3600, 10, 600}, // 1h on a wide chart: every 10m
		{3600, 4, 900},  // narrow: every 15m
		{1800, 6, 300},  // 30m: every 5m
		{45, 5, 10},     // seconds
		{30 * 86400, 6, 7 * 86400},
		{1e9, 2, 365 * 86400 * 16}, // beyond the table: whole multiples of a year
		{0.5, 3, 1},
	}
	for _, tt := range tests {
		if got := niceTimeStep(tt.span, tt.maxTicks); got != tt.want {
			t.Errorf("niceTimeStep(%g, %d) = %g, want %g", tt.span, tt.maxTicks, got, tt.want)
		}
	}
}

// TestTimeTicksRegular: the labels along an axis are the multiples of one
// step, each on one column, never an irregular 0 10m 15m 25m.
func TestTimeTicksRegular(t *testing.T) {
	tests := []struct {
		span float64
		cols int
		want []string
	}{
		{3600, 80, []string{"0", "10m", "20m", "30m", "40m", "50m", "1h"}},
		{1800, 37, []string{"0", "10m", "20m", "30m"}},
		{600, 71, []string{"0", "2m", "4m", "6m", "8m", "10m"}},
		{86400, 50, []string{"0", "6h", "12h", "18h", "24h"}},
	}
	for _, tt := range tests {
		tk := newTimeTicks(tt.span, tt.cols)
		var got []string
		for col := 0; col <= tt.cols; col++ {
			if l := tk.label(col, float64(col)*tt.span/float64(tt.cols)); l != "" {
				got = append(got, l)
			}
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("span %gs on %d columns: labels %s, want %s", tt.span, tt.cols, strings.Join(got, " "), strings.Join(tt.want, " "))
		}
	}
}
