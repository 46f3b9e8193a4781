package runner

import (
	"math"
	"testing"

	"aiecon/sim"
)

// TestDecodingBatch: the time-averaged count of sequences between their
// first and last token over the window, cut at its edges; a request still
// running at the end counts to the end, one without a first token not at all.
func TestDecodingBatch(t *testing.T) {
	done := func(first, finish int64) sim.RequestRecord {
		return sim.RequestRecord{Status: sim.StatusCompleted, FirstTokenNs: first, FinishNs: finish}
	}
	tests := []struct {
		name     string
		reqs     []sim.RequestRecord
		from, to int64
		want     float64
	}{
		{"two through the window", []sim.RequestRecord{done(0, 100), done(5, 100)}, 10, 20, 2},
		{"cut at the edges", []sim.RequestRecord{done(0, 15), done(15, 40)}, 10, 20, 1},
		{"before and after", []sim.RequestRecord{done(0, 10), done(20, 30)}, 10, 20, 0},
		{"unfinished runs to the end", []sim.RequestRecord{{Status: sim.StatusUnfinished, FirstTokenNs: 12, FinishNs: -1}}, 10, 20, 0.8},
		{"no first token", []sim.RequestRecord{{Status: sim.StatusUnfinished, FirstTokenNs: -1, FinishNs: -1}}, 10, 20, 0},
		{"empty window", []sim.RequestRecord{done(0, 100)}, 20, 20, 0},
	}
	for _, tt := range tests {
		if got := decodingBatch(tt.reqs, tt.from, tt.to); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("%s: %g, want %g", tt.name, got, tt.want)
		}
	}
}
