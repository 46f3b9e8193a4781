package hw

import (
	"flag"
	"os"
	"slices"
	"strings"
	"testing"
)

var updateFitted = flag.Bool("update", false, "rewrite fitted_rows.txt from the public training set")

// TestFittedRowsUpToDate: fitted_rows.txt is the rows each committed
// family's constants were fitted to (trainingPoints, less what
// compilePoints skips and the rows it predicts but does not fit), so that
// validate can mark in-sample rows; a refit on other rows would leave it
// marking rows the constants never saw.
func TestFittedRowsUpToDate(t *testing.T) {
	prof, err := BuiltinProfile()
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	counts := map[string]int{}
	for _, fam := range []string{StepNeuronV2, StepNeuronV3, StepGPU, StepGPUAmpere} {
		set, _, err := compilePoints(trainingPoints(t, fam), prof)
		if err != nil {
			t.Fatal(err)
		}
		for _, cp := range set.points {
			if !cp.unfitted {
				lines = append(lines, fam+"\t"+fitKey(cp.pt))
				counts[fam]++
			}
		}
	}
	slices.Sort(lines)
	lines = slices.Compact(lines)
	for _, fam := range []string{StepNeuronV2, StepNeuronV3, StepGPU, StepGPUAmpere} {
		s, _ := DefaultServing(fam)
		if counts[fam] != s.FittedRows {
			t.Errorf("%s: %d training rows fitted, the committed constants record %d", fam, counts[fam], s.FittedRows)
		}
	}
	want := strings.Join(lines, "\n") + "\n"
	if *updateFitted {
		if err := os.WriteFile("fitted_rows.txt", []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if fittedRowsText != want {
		t.Errorf("fitted_rows.txt is not the training set's fitted rows (%d lines, want %d): go test ./hw -run FittedRows -update",
			strings.Count(fittedRowsText, "\n"), len(lines))
	}
}
