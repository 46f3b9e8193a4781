package main

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"aiecon/hw"
)

// TestReadmeValidateSampleInFit: README's Quick start said the validate
// sample's rows are all "in-sample: rows the constants were fitted to",
// while validate counts 7 of its 8 in the fit (Llama-2-13B's 4,096-token
// prompt on trn1 is not, and is its worst row). The comment gives the
// count validate prints.
func TestReadmeValidateSampleInFit(t *testing.T) {
	t.Setenv(hw.ProfileDirEnv, t.TempDir()) // the built-in profile, not the user's
	const sample = "examples/validate/neuron-sample.csv"
	code, out, errOut := hwRun(t, "", "validate", "../../"+sample)
	m := regexp.MustCompile(`(\d+) rows simulated.*; (\d+) of (\d+) \(\d+%\) in the committed constants' fit`).FindStringSubmatch(out)
	if code != 0 || m == nil || m[1] != m[3] {
		t.Fatalf("validate %s: exit %d, no count of the rows in fit:\n%s%s", sample, code, out, errOut)
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var line string
	for _, l := range strings.Split(string(readme), "\n") {
		if strings.Contains(l, "validate "+sample) {
			line = l
		}
	}
	want := fmt.Sprintf("%s of the %s rows it simulates are rows the constants were fitted to", m[2], m[3])
	if !strings.Contains(line, want) {
		t.Errorf("README's validate line %q does not say %q, as validate counts", line, want)
	}
}
