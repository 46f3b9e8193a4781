package hw

import (
	"math"
	"testing"
)

// TestThroughputRatio: a static batch's published throughput over the one
// its latencies imply, and where there is nothing to compare.
func TestThroughputRatio(t *testing.T) {
	// batch 2 x 101 tokens in 100 ms + 100 x 10 ms = 1.1 s: 183.6 tok/s.
	base := ServingPoint{Batch: 2, InputTokens: 128, OutputTokens: 101, TTFTMs: 100, TPOTMs: 10, OutputTokS: 2 * 101 / 1.1}
	for _, tt := range []struct {
		name        string
		edit        func(*ServingPoint)
		want        float64
		contradicts bool
	}{
		{"agrees", func(*ServingPoint) {}, 1, false},
		{"faster than its latencies", func(p *ServingPoint) { p.OutputTokS *= 1.15 }, 1.15, false},
		{"at the threshold", func(p *ServingPoint) { p.OutputTokS *= ContradictedBelow }, ContradictedBelow, false},
		{"time unaccounted for", func(p *ServingPoint) { p.OutputTokS *= 0.6 }, 0.6, true},
		{"no throughput", func(p *ServingPoint) { p.OutputTokS = 0 }, 0, false},
		{"no TTFT", func(p *ServingPoint) { p.TTFTMs = 0 }, 0, false},
		{"no TPOT", func(p *ServingPoint) { p.TPOTMs = 0 }, 0, false},
		{"one output token", func(p *ServingPoint) { p.OutputTokens = 1 }, 0, false},
		{"closed loop", func(p *ServingPoint) { p.Concurrency = 2; p.OutputTokS *= 0.5 }, 0, false},
		{"open loop", func(p *ServingPoint) { p.RequestRate = 1; p.OutputTokS *= 0.5 }, 0, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := base
			tt.edit(&p)
			if got := p.ThroughputRatio(); math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("ThroughputRatio = %.6g, want %.6g", got, tt.want)
			}
			if got := p.ThroughputContradicts(); got != tt.contradicts {
				t.Errorf("ThroughputContradicts = %v, want %v", got, tt.contradicts)
			}
		})
	}
}

// TestFitLeavesOutContradictedRows: rows whose published throughput
// contradicts their latencies are predicted (in the rows and the
// cross-validation) but not fitted, so two of them with a TTFT three times
// what the constants give do not move the constants.
func TestFitLeavesOutContradictedRows(t *testing.T) {
	truth := Serving{Family: StepNeuronV2, PrefillS: 8e-3, LayerS: 0, CollectiveS: 50e-6,
		HBMFrac: 0.6, KVFrac: 0.45, GEMMScale: 0.4, AttnScale: 0.2, KVGroupExp: 0.5, LinkFrac: 0.5}
	pts := syntheticPoints(t, truth, []string{"inf2.48xlarge"})
	for i := range pts {
		p := &pts[i]
		e2e := (p.TTFTMs + float64(p.OutputTokens-1)*p.TPOTMs) / 1e3
		p.OutputTokS = float64(p.Batch*p.OutputTokens) / e2e // agrees with its latencies
	}
	bad := 0
	for i := range pts {
		if p := &pts[i]; p.InputTokens == 2048 && bad < 2 {
			p.TTFTMs *= 3 // the row's latencies describe another run than its throughput
			p.OutputTokS *= 0.5
			bad++
		}
	}
	if bad != 2 {
		t.Fatalf("corrupted %d rows, want 2", bad)
	}
	got, rep, err := FitFamily(pts, Uniform{AssumedEfficiency})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Unfitted) != 2 || len(rep.Rows) != len(pts) || got.FittedRows != len(pts)-2 {
		t.Errorf("%d unfitted, %d rows, %d fitted; want 2, %d, %d", len(rep.Unfitted), len(rep.Rows), got.FittedRows, len(pts), len(pts)-2)
	}
	want := truth.Values()
	for i, v := range got.Values() {
		if rel := math.Abs(v-want[i]) / max(want[i], 1e-9); rel > 0.02 && want[i] > 0 {
			t.Errorf("%s = %.4g, want %.4g (off by %.1f%%)", ConstantNames[i].Name, v, want[i], 100*rel)
		}
	}
	cv, err := CrossValidate(pts, Uniform{AssumedEfficiency})
	if err != nil {
		t.Fatal(err)
	}
	if len(cv.Rows) != len(pts) {
		t.Errorf("cross-validation predicted %d rows, want all %d", len(cv.Rows), len(pts))
	}
}
