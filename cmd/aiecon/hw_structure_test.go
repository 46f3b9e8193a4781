package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"aiecon/hw"
)

// TestHWFitSaveRecordsStructure: `hw fit --save` records the structure of
// the family's graphs its constants were fitted under, and validate under
// a profile whose constants record none (saved before it did, perhaps
// fitted with neuron-v2's norms sequence parallel) warns and says to
// refit; under the freshly saved profile it does not. Such constants were
// applied to the replicated-norm graphs silently.
func TestHWFitSaveRecordsStructure(t *testing.T) {
	const sample = "../../examples/validate/neuron-sample.csv"
	const warning = "SERVING CONSTANTS FROM ANOTHER STRUCTURE: the profile's neuron-v2 constants record no step-graph structure"
	prof, err := hw.BuiltinProfile()
	if err != nil {
		t.Fatal(err)
	}
	js, _ := json.Marshal(prof)
	profPath := filepath.Join(t.TempDir(), "profile.json")
	if err := os.WriteFile(profPath, js, 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := t.TempDir()
	code, out, errs := calRun(t, cfg, "hw", "fit", "--points", sample, "--family", "neuron-v2", "--calibration", profPath, "--save")
	saved := profiles(t, cfg)
	if code != 0 || len(saved) != 1 {
		t.Fatalf("--save: exit %d, %d profiles saved\n%s\n%s", code, len(saved), out, errs)
	}
	p, err := hw.LoadProfile(saved[0])
	if err != nil {
		t.Fatal(err)
	}
	s, ok := p.ServingFor(hw.StepNeuronV2)
	if want := hw.ServingStructure(hw.StepNeuronV2); !ok || s.Structure != want {
		t.Fatalf("saved neuron-v2 structure %d, want %d", s.Structure, want)
	}
	code, out, errs = calRun(t, cfg, "validate", sample, "--calibration", saved[0])
	if code != 0 || strings.Contains(out+errs, "SERVING CONSTANTS FROM ANOTHER STRUCTURE") {
		t.Errorf("validate under the saved profile: exit %d, want no structure warning\n%s\n%s", code, out, errs)
	}

	for i := range p.Serving {
		p.Serving[i].Structure = 0 // as an aiecon before the field saved it
	}
	old, _ := json.Marshal(p)
	oldPath := filepath.Join(t.TempDir(), "old.json")
	if err := os.WriteFile(oldPath, old, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs = calRun(t, cfg, "validate", sample, "--calibration", oldPath)
	if flat := strings.Join(strings.Fields(out+errs), " "); code != 0 || !strings.Contains(flat, warning) || !strings.Contains(flat, "refit them with aiecon hw fit --save") {
		t.Errorf("validate under a profile without the structure: exit %d, want %q and the refit\n%s\n%s", code, warning, out, errs)
	}
}
