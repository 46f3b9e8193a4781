package model

import "testing"

// TestEditDistance: the distance cmd/aiecon's flag suggestions rank by
// (Levenshtein: a swap of two letters is two edits).
func TestEditDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{{"", "", 0}, {"format", "format", 0}, {"instance", "instances", 1}, {"jsn", "json", 1}, {"fromat", "format", 2}, {"", "db", 2}, {"kitten", "sitting", 3}} {
		if got := EditDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("EditDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
