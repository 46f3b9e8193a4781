package hw

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// trainingFiles are the public training set (../shared/reference/serving-measurements).
var trainingFiles = []string{"neuron.csv", "neuron-llama3.csv", "gpu-trtllm-0.9-static.csv", "gpu-nim-a100.csv"}

// TrainingPoints reads the static and closed-loop rows the committed
// constants of family were fitted to: every row of the family in the
// training files, except those FitFamily skips; for the GPU family, the
// Llama-style dense models (GPT-J and Falcon have another block, Mixtral ran
// with fake weights) of the static TensorRT-LLM file. The NIM closed loops
// are validated, not fitted.
func trainingPoints(t testing.TB, family string) []ServingPoint {
	var out []ServingPoint
	for _, f := range trainingFiles {
		if (family == StepGPU || family == StepGPUAmpere) && f == "gpu-nim-a100.csv" {
			continue
		}
		for _, p := range readShared(t, f) {
			inst, err := InstanceByName(p.Instance)
			if err != nil {
				t.Fatal(err)
			}
			c, _ := inst.ChipSpec()
			if c.StepFamily != family {
				continue
			}
			if (family == StepGPU || family == StepGPUAmpere) && (p.Model == "gpt-j-6b" || p.Model == "falcon-180b" || p.Model == "mixtral-8x7b") {
				continue
			}
			out = append(out, p)
		}
	}
	return out
}

// TestPrintDefaults prints refitted defaults as Go (AIECON_REFIT=family).
func TestPrintDefaults(t *testing.T) {
	fam := os.Getenv("AIECON_REFIT")
	if fam == "" {
		t.Skip("set AIECON_REFIT=family to print refitted defaults")
	}
	prof, err := BuiltinProfile()
	if err != nil {
		t.Fatal(err)
	}
	s, rep, err := FitFamily(trainingPoints(t, fam), prof)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for i, v := range s.Values() {
		fmt.Fprintf(&b, "%s: %.4g, ", ConstantNames[i].Name, v)
	}
	fmt.Printf("%s\nFittedShapes: %#v\nFittedMaxPrompt: %d, FittedMaxContext: %d, FittedMoE: %v\n"+
		"FittedMinBatch: %d, FittedMaxBatch: %d, FittedLoops: %d, FittedStacks: %#v\nRMS %.4f over %d rows, skipped %d\n",
		b.String(), s.FittedShapes, s.FittedMaxPrompt, s.FittedMaxContext, s.FittedMoE,
		s.FittedMinBatch, s.FittedMaxBatch, s.FittedLoops, s.FittedStacks, rep.RMSLogErr, len(rep.Rows), len(rep.Skipped))
}

// readShared reads one file of the public training set from ../shared and
// skips the test, saying so, where it is absent.
func readShared(t testing.TB, name string) []ServingPoint {
	t.Helper()
	path := "../../shared/reference/serving-measurements/" + name
	f, err := os.Open(path)
	if err != nil {
		t.Skipf("the public training set is not here (%v): it lives in ../shared/reference/serving-measurements", err)
	}
	defer f.Close()
	pts, err := ReadServingPoints(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return pts
}
