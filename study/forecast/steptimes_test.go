package forecast

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"aiecon/runner"
)

// TestStepTimeCaveatsPerVariant: each variant of the built-in carries the
// step-time provenance and warnings aiecon run gives its runs (the owned
// trn2's thinly fitted Trainium2 constants, the p5en's extrapolated prompt
// lengths), in the text under its table, in --json, and among the
// caveats compare --forecast prints from the stored report. The forecast
// said nothing of them while its verdict rested on them.
func TestStepTimeCaveatsPerVariant(t *testing.T) {
	f, err := Load("trainium-amortization")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(2); err != nil {
		t.Fatal(err)
	}
	r := NewReport(f, nil, 0)
	body, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ variant, source, warning string }{
		{"owned-trn2", "neuron-v3 constants", "STEP TIMES THINLY FITTED: the neuron-v3 constants were fitted to 2 published measurements of Trainium2"},
		{"owned-trn2", "neuron-v3 constants", "STEP TIMES EXTRAPOLATED: llama-3.3-70b at TP 32 on trn2.48xlarge"},
		{"rented-p5en", "gpu constants", "STEP TIMES EXTRAPOLATED: llama-3.3-70b at TP 8 on p5en.48xlarge"},
		{"owned-p5en", "gpu constants", "STEP TIMES EXTRAPOLATED: llama-3.3-70b at TP 8 on p5en.48xlarge"},
	}
	for _, tt := range tests {
		fe := r.fleet(tt.variant)
		if fe == nil || !strings.HasPrefix(fe.StepTimesSource, tt.source) {
			t.Fatalf("%s: step times source %q, want %q first", tt.variant, fe.StepTimesSource, tt.source)
		}
		has := func(ws []string) bool {
			return slices.ContainsFunc(ws, func(w string) bool { return strings.HasPrefix(w, tt.warning) })
		}
		if !has(fe.StepTimeWarnings) || !has(r.Caveats(tt.variant)) || !has(StoredCaveats(string(body), tt.variant)) {
			t.Errorf("%s: no %q in its warnings %q, its caveats or the stored report's", tt.variant, tt.warning, fe.StepTimeWarnings)
		}
	}
	// The warnings are run's own, for a run of the variant's scenario.
	sc := f.variantScenario(f.Variants[0].Variant)
	if w := runner.StepTimesCoverageWarning(sc); !slices.Contains(r.Fleets[0].StepTimeWarnings, w) {
		t.Errorf("owned-trn2: %q is not run's %q", r.Fleets[0].StepTimeWarnings, w)
	}
	var b strings.Builder
	if err := r.writeVariant(&b, "owned-trn2", nil); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"step times: neuron-v3 constants", "STEP TIMES THINLY FITTED"} {
		if !strings.Contains(b.String(), w) {
			t.Errorf("no %q under owned-trn2's table:\n%s", w, b.String())
		}
	}
}

// TestStepTimeWarningNamesItsPeriods: a warning that holds in some periods
// only (a roadmap that moves the fleet to another chip) names them.
func TestStepTimeWarningNamesItsPeriods(t *testing.T) {
	src := strings.Replace(small, "  - name: rented\n", "  - name: rented\n    roadmap: [{from: 2, set: {fleet.instance: p6-b200.48xlarge, fleet.pricing: on-demand, fleet.replica.tp: 8, fleet.replica.scheduler: vllm}}]\n", 1)
	r := NewReport(parse(t, src), nil, 0)
	ws := r.fleet("rented").StepTimeWarnings
	if !slices.ContainsFunc(ws, func(w string) bool {
		return strings.HasPrefix(w, "STEP TIMES BY TRANSFER (quarter 2): no published measurement of B200")
	}) {
		t.Errorf("rented's warnings %q: want B200's by transfer, in quarter 2", ws)
	}
	if !slices.ContainsFunc(ws, func(w string) bool { return strings.HasPrefix(w, "STEP TIMES THINLY FITTED (quarter 1): ") }) {
		t.Errorf("rented's warnings %q: want Trainium2's thin fit, in quarter 1", ws)
	}
}
