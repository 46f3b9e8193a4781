package hw

import (
	"math"
	"strings"
	"testing"

	"aiecon/model/llm"
)

// TestServingDefaultsUpToDate refits the Neuron constants with
// DefaultEfficiency and fails if NeuronServing has drifted by more than 2%.
// OverheadS sits at its bound 0, where a relative tolerance means nothing, so
// it also passes within 1 µs (0.01% of the measured TPOTs).
func TestServingDefaultsUpToDate(t *testing.T) {
	s, rep, err := FitServing(PublishedServingPoints(), DefaultEfficiency)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("fit: overhead %.4g s, bw_frac %.4f, RMS log error %.4f, %d evaluations, %s", s.OverheadS, s.BWFrac, rep.RMSLogErr, rep.Evaluations, rep.Status)
	for _, r := range rep.Rows {
		t.Logf("  %s: TTFT %.2f ms (measured %.2f, %+.1f%%), TPOT %.3f ms (measured %.2f, %+.1f%%)",
			r.Point, r.TTFTMs, r.Point.TTFTMs, 100*r.TTFTRelErr, r.TPOTMs, r.Point.TPOTMs, 100*r.TPOTRelErr)
	}
	c := NeuronServing
	if rel(s.BWFrac, c.BWFrac) > 0.02 {
		t.Errorf("BWFrac refits to %.4f, committed %.4f: update NeuronServing and docs/calibration.md", s.BWFrac, c.BWFrac)
	}
	if d := math.Abs(s.OverheadS - c.OverheadS); d > 0.02*c.OverheadS && d > 1e-6 {
		t.Errorf("OverheadS refits to %.4g s, committed %.4g s: update NeuronServing and docs/calibration.md", s.OverheadS, c.OverheadS)
	}
	if s.Family != FamilyNeuron || s.Label != Estimate || !strings.Contains(s.Source, "FitServing") {
		t.Errorf("fitted constants: %+v", s)
	}
	if !strings.Contains(c.Source, rep.Efficiency) {
		t.Errorf("NeuronServing.Source does not name the efficiency it was fitted with (%s)", rep.Efficiency)
	}
}

// TestFitServingRecoversKnownConstants makes synthetic measurements with known
// constants and checks the fit finds them again.
func TestFitServingRecoversKnownConstants(t *testing.T) {
	tests := []Serving{
		{Family: FamilyNeuron, OverheadS: 3e-3, BWFrac: 0.6},
		{Family: FamilyNeuron, OverheadS: 0.5e-3, BWFrac: 0.3},
	}
	for _, truth := range tests {
		var pts []ServingPoint
		for _, pt := range PublishedServingPoints() {
			arch, _ := llm.Lookup(pt.Model)
			p := mustPerf(t, pt.Instance, pt.TP, AssumedEfficiency, truth)
			pr, err := PredictStatic(pt, arch, pt.Shard(), p)
			if err != nil {
				t.Fatal(err)
			}
			pt.TTFTMs, pt.TPOTMs = pr.TTFTS*1e3, pr.TPOTS*1e3
			pts = append(pts, pt)
		}
		s, rep, err := FitServing(pts, AssumedEfficiency)
		if err != nil {
			t.Fatal(err)
		}
		if rel(s.OverheadS, truth.OverheadS) > 0.01 || rel(s.BWFrac, truth.BWFrac) > 0.01 || rep.RMSLogErr > 1e-3 {
			t.Errorf("truth %g s / %g: fitted %g s / %g (RMS log error %g, %s)", truth.OverheadS, truth.BWFrac, s.OverheadS, s.BWFrac, rep.RMSLogErr, rep.Status)
		}
	}
}

func TestFitServingErrors(t *testing.T) {
	pub := PublishedServingPoints()
	gpuPt := pub[0]
	gpuPt.Instance, gpuPt.TP, gpuPt.Line = "p5.48xlarge", 8, 3
	unknownModel := pub[0]
	unknownModel.Model, unknownModel.Line = "llama-9-1t", 2
	tests := []struct {
		name string
		pts  []ServingPoint
		eff  Efficiency
		want string
	}{
		{"none", nil, AssumedEfficiency, "no serving points"},
		{"nil efficiency", pub, nil, "nil efficiency"},
		{"two families", []ServingPoint{pub[0], gpuPt}, AssumedEfficiency, "line 3"},
		{"unknown model", []ServingPoint{unknownModel}, AssumedEfficiency, "llama-9-1t"},
	}
	for _, tt := range tests {
		if _, _, err := FitServing(tt.pts, tt.eff); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.name, err, tt.want)
		}
	}
}

func TestDefaultServing(t *testing.T) {
	for _, fam := range []string{FamilyNeuron, FamilyGPU} {
		s, err := DefaultServing(fam)
		if err != nil || s.Family != fam || s.Validate() != nil || s.Source == "" || s.Label != Estimate {
			t.Errorf("DefaultServing(%s) = %+v, %v", fam, s, err)
		}
	}
	if _, err := DefaultServing("tpu"); err == nil {
		t.Error("unknown family: no error")
	}
}
