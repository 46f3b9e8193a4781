package hw

import (
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"aiecon/model/llm"
)

// TestPricedAsTakesOnlyTheLayout: a family's chips priced as another
// family structures its graphs keep their own weight formats (what they
// store, stream and multiply) and take only the other's element-wise
// layout, so a fit of their measurements so priced measures the same
// hardware constants under the other's structure.
func TestPricedAsTakesOnlyTheLayout(t *testing.T) {
	shards := []llm.Shard{
		{TP: 8, Weights: llm.BF16, Activations: llm.BF16, KV: llm.BF16},
		{TP: 24, Weights: llm.INT8, Activations: llm.BF16, KV: llm.BF16},
		{TP: 32, Weights: llm.FP8, Activations: llm.BF16, KV: llm.FP8},
	}
	for _, f := range stepFamilies {
		for _, as := range stepFamilies {
			for _, sh := range shards {
				want, wantErr := f.resident(sh)
				got, err := pricedAs{f, as}.resident(sh)
				if (err == nil) != (wantErr == nil) {
					t.Fatalf("%s as %s, %s weights: error %v, the family's own %v", f.name(), as.name(), sh.Weights, err, wantErr)
				}
				if got.SequenceParallel != as.sequenceParallel() {
					t.Errorf("%s as %s: sequence parallel %v, want %s's %v", f.name(), as.name(), got.SequenceParallel, as.name(), as.sequenceParallel())
				}
				want.SequenceParallel = got.SequenceParallel
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s as %s, %s weights: resident shard %+v, the family's own %+v besides the layout", f.name(), as.name(), sh.Weights, got, want)
				}
			}
		}
	}
}

// TestInheritedServing: a family takes another's committed constants
// where the two structure their graphs alike, the committed fit of the
// other's measurements priced its way where they do not, and an error,
// naming both, where none is committed.
func TestInheritedServing(t *testing.T) {
	tests := []struct {
		base, heir string
		want       *Serving // nil: an error
	}{
		{StepGPU, StepGPUAmpere, &gpuServing},
		{StepNeuronV2, StepNeuronV3, &neuronV2AsV3Serving}, // replicated norms, sequence parallel
		{StepNeuronV3, StepGPU, nil},
		{StepNeuronV2, "neuron-v9", nil},
	}
	for _, tt := range tests {
		got, err := inheritedServing(tt.base, tt.heir)
		switch {
		case tt.want == nil && (err == nil || !strings.Contains(err.Error(), tt.heir) || !strings.Contains(err.Error(), tt.base)):
			t.Errorf("%s from %s: error %v, want one naming both", tt.heir, tt.base, err)
		case tt.want != nil && err != nil:
			t.Errorf("%s from %s: %v", tt.heir, tt.base, err)
		case tt.want != nil && !reflect.DeepEqual(got, *tt.want):
			t.Errorf("%s from %s: %+v, want %+v", tt.heir, tt.base, got.Values(), tt.want.Values())
		}
	}
}

// TestCheckPricedAs: hw fit --priced-as allows exactly the fits a family
// inherits across a change of graph structure, and says why it refuses
// the others.
func TestCheckPricedAs(t *testing.T) {
	if got, want := PricedAsPairings(), []string{StepNeuronV2 + " as " + StepNeuronV3}; !slices.Equal(got, want) {
		t.Errorf("PricedAsPairings() = %q, want %q", got, want)
	}
	tests := []struct{ family, as, want string }{
		{StepNeuronV2, StepNeuronV3, ""},
		{StepNeuronV2, "tpu", `unknown step family "tpu" (known: gpu, gpu-ampere, neuron-v2, neuron-v3)`},
		{StepNeuronV2, StepNeuronV2, "are its own fit"},
		{StepNeuronV3, StepNeuronV2, "neuron-v2 inherits no constants from neuron-v3"},
		{StepGPU, StepNeuronV3, "neuron-v3 inherits no constants from gpu"},
		{StepNeuronV2, StepGPU, "gpu inherits no constants from neuron-v2"},
	}
	for _, tt := range tests {
		err := CheckPricedAs(tt.family, tt.as)
		if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("CheckPricedAs(%s, %s) = %v, want %q", tt.family, tt.as, err, tt.want)
		}
		if tt.want != "" && err != nil && tt.as != "tpu" && !strings.Contains(err.Error(), "neuron-v2 as neuron-v3") {
			t.Errorf("CheckPricedAs(%s, %s) = %v: does not name the pairings allowed", tt.family, tt.as, err)
		}
	}
}

// TestFitFamilyAsRefusesWhatCheckPricedAsRefuses: FitFamilyAs checks the
// pairing against the family the rows are on, which its caller may not
// have checked (TestPrintDefaults reads it from the environment).
func TestFitFamilyAsRefusesWhatCheckPricedAsRefuses(t *testing.T) {
	f, err := os.Open("../examples/validate/neuron-sample.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	all, err := ReadServingPoints(f)
	if err != nil {
		t.Fatal(err)
	}
	var pts []ServingPoint // the sample's neuron-v2 rows (it has Trainium2's too)
	for _, p := range all {
		inst, err := InstanceByName(p.Instance)
		if err != nil {
			t.Fatal(err)
		}
		if c, _ := inst.ChipSpec(); c.StepFamily == StepNeuronV2 {
			pts = append(pts, p)
		}
	}
	prof, err := BuiltinProfile()
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := FitFamilyAs(pts, prof, StepGPU); err == nil || !strings.Contains(err.Error(), "gpu inherits no constants from neuron-v2") {
		t.Errorf("neuron-v2 rows priced as gpu: %v", err)
	}
	if _, _, err := FitFamilyAs(pts, prof, "tpu"); err == nil || !strings.Contains(err.Error(), `unknown step family "tpu"`) {
		t.Errorf("rows priced as tpu: %v", err)
	}
	_, rep, err := FitFamilyAs(pts, prof, StepNeuronV3)
	if err != nil || rep.PricedAs != StepNeuronV3 {
		t.Errorf("neuron-v2 rows priced as neuron-v3: report priced as %q, %v", rep.PricedAs, err)
	}
}
