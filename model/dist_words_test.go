package model

import "testing"

// TestDistWords: each kind in the few words run's agent line and a
// forecast's abandonment note print it in, in the unit given. A lognormal
// given a sigma names the p99 that sigma gives (a forecast's note printed
// "p99 0s" for it).
func TestDistWords(t *testing.T) {
	tests := []struct {
		name string
		d    Dist
		unit string
		want string
	}{
		{"fixed count", Fixed(3), "", "3"},
		{"fixed duration", FixedDuration(20 * Second), "s", "20 s"},
		{"fixed below a second", Fixed(0.3), "s", "300 ms"},
		{"fixed tokens", Fixed(30), "tok", "30 tok"},
		{"lognormal with p99", Dist{Kind: "lognormal", Median: 20, P99: 120}, "s", "median 20 s, p99 120 s"},
		{"lognormal with sigma", Dist{Kind: "lognormal", Median: 100, Sigma: 1}, "tok", "median 100 tok, p99 1,024 tok"},
		{"uniform", Dist{Kind: "uniform", Min: 2, Max: 8}, "s", "2 s to 8 s"},
		{"poisson", Dist{Kind: "poisson", Mean: 4}, "", "mean 4"},
		{"gamma", Dist{Kind: "gamma", Mean: 2.5, CV: 1}, "s", "mean 2.5 s"},
		{"empirical values", Dist{Kind: "empirical", Values: []float64{100, 200}}, "tok", "mean 150 tok"},
		{"empirical trace", Dist{Kind: "empirical", Trace: "azure\x1b.csv", Column: "ContextTokens"}, "tok", `from azure\x1b.csv`},
		{"thousands", Fixed(1200), "tok", "1,200 tok"},
	}
	for _, tt := range tests {
		if got := tt.d.Words(tt.unit); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}
