package hw

import (
	"reflect"
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
