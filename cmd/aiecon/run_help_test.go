package main

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// runWarningLabels are the labels of the warnings run prints from outside
// cmd/aiecon's warn*.go files (runner's step-time checks, study/caveat's
// price checks, hw's profile caveats), which TestRunHelpListsEveryWarning
// cannot gather from this package's source.
var runWarningLabels = []string{
	"SESSIONS ABANDONED", "COMMERCE COUNTED GROSS", "PRICED BELOW COST", "PRICE NOT JUDGED", "PRICES OF DIFFERENT DATES",
	"STEP TIMES ARE AN ESTIMATE", "STEP TIMES BY TRANSFER", "STEP TIMES THINLY FITTED", "STEP TIMES EXTRAPOLATED",
	"THIN DEVICE CALIBRATION", "POORLY FITTED CALIBRATION", "SERVING CONSTANTS FROM ANOTHER STRUCTURE",
}

// warnLabelRE is a warning's label where a string starts with it
// ("OVERLOADED: ...").
var warnLabelRE = regexp.MustCompile(`"([A-Z][A-Z0-9_.,' -]*[A-Z0-9]): `)

// TestRunHelpListsEveryWarning: every label a run's warning is led by is
// in run --help and in docs/model.md: SCALE-UPS PAID, NEVER UP was in
// neither, and the OVERLOADED of users giving up while 90% of the batch
// slots are filled was documented nowhere, the help saying "the KV cache,
// not the slots". The labels of this package's warn*.go files are read
// from their source, so a new warning fails here until it is documented.
func TestRunHelpListsEveryWarning(t *testing.T) {
	files, err := filepath.Glob("warn*.go")
	if err != nil {
		t.Fatal(err)
	}
	labels := slices.Clone(runWarningLabels)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range warnLabelRE.FindAllStringSubmatch(string(src), -1) {
			if !slices.Contains(labels, m[1]) {
				labels = append(labels, m[1])
			}
		}
	}
	if len(labels) < 30 {
		t.Fatalf("found only %d labels (%v): the source scan no longer finds the warnings", len(labels), labels)
	}
	docs, err := os.ReadFile(filepath.Join("..", "..", "docs", "model.md"))
	if err != nil {
		t.Fatal(err)
	}
	help := strings.Join(strings.Fields(runLong), " ")
	page := strings.ToLower(strings.Join(strings.Fields(string(docs)), " ")) // it writes **Mostly idle**
	for _, l := range labels {
		if !strings.Contains(help, l) {
			t.Errorf("run --help does not list the warning %s", l)
		}
		if !strings.Contains(page, strings.ToLower(l)) {
			t.Errorf("docs/model.md does not describe the warning %s", l)
		}
	}
	for _, w := range []string{"90% or more of the batch slots are filled", "the KV cache is 90% full"} {
		if !strings.Contains(help, w) {
			t.Errorf("run --help does not say when users giving up is OVERLOADED: lacks %q", w)
		}
	}
}
