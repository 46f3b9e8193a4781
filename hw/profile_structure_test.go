package hw

import (
	"slices"
	"strings"
	"testing"
)

// TestStaleServingCaveat: a profile's constants fitted under an older
// structure of their family's graphs, or saved before the structure was
// recorded, are named in the profile's caveats for a run on that family's
// chips (they were applied silently: neuron-v2's constants saved while its
// norms were priced sequence parallel ran under replicated norms); current
// constants, a family whose graphs never changed, and chips of another
// family are not.
func TestStaleServingCaveat(t *testing.T) {
	const label = "SERVING CONSTANTS FROM ANOTHER STRUCTURE: the profile's "
	tests := []struct {
		family    string
		structure int
		chips     []string
		want      string // "" for no caveat
	}{
		{StepNeuronV2, 0, []string{"Inferentia2"}, "neuron-v2 constants record no step-graph structure (saved before aiecon recorded one), so they may have been fitted with norms and residual adds sequence parallel"},
		{StepNeuronV2, 1, []string{"Trainium1"}, "neuron-v2 constants were fitted with norms and residual adds sequence parallel (structure 1), so they are applied to graphs they were not fitted to (this aiecon prices its graphs with norms and residual adds replicated on every core (since 2026-12-07), structure 2)"},
		{StepNeuronV2, ServingStructure(StepNeuronV2) + 1, []string{"Inferentia2"}, "newer than this aiecon's"},
		{StepNeuronV2, ServingStructure(StepNeuronV2), []string{"Inferentia2"}, ""},
		{StepNeuronV2, 0, []string{"H100"}, ""}, // not a chip of the run
		{StepGPU, 0, []string{"H100"}, "gpu constants record no step-graph structure"},
		{StepGPUAmpere, 1, []string{"A100-80GB"}, "gpu-ampere constants were fitted with norms and residual adds sequence parallel (structure 1)"},
		{StepNeuronV3, 0, []string{"Trainium2"}, ""}, // its graphs never changed
	}
	for _, tt := range tests {
		p := &Profile{Serving: []Serving{{Family: tt.family, Structure: tt.structure}}}
		ws := slices.DeleteFunc(p.Caveats(tt.chips), func(w string) bool { return !strings.HasPrefix(w, label) })
		switch {
		case tt.want == "" && len(ws) > 0:
			t.Errorf("%s structure %d on %v: caveats %q, want none", tt.family, tt.structure, tt.chips, ws)
		case tt.want != "" && (len(ws) != 1 || !strings.Contains(ws[0], tt.want) || !strings.Contains(ws[0], "refit them with aiecon hw fit --save")):
			t.Errorf("%s structure %d on %v: caveats %q, want one with %q and the refit", tt.family, tt.structure, tt.chips, ws, tt.want)
		}
	}
}

// TestEveryFamilyHasAStructure: each step family has a history of its
// graphs' structure, so that `hw fit --save` records a version (0 would
// read as unrecorded) and a later change can be told apart.
func TestEveryFamilyHasAStructure(t *testing.T) {
	for _, f := range stepFamilies {
		if ServingStructure(f.name()) == 0 {
			t.Errorf("family %s has no entry in servingStructures", f.name())
		}
	}
	if len(servingStructures) != len(stepFamilies) {
		t.Errorf("servingStructures has %d families, the catalog %d", len(servingStructures), len(stepFamilies))
	}
}
