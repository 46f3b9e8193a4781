package main

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"aiecon/model"
	"aiecon/study"
)

// TestSweepsDocExcerptSaysItsHorizon: docs/sweeps.md's first sweep quotes
// the line the sweep prints between its "runs done" line and the KPI
// table's caption, for the horizon its file sets (the excerpt lacked it, and
// the text put it under the table's header).
func TestSweepsDocExcerptSaysItsHorizon(t *testing.T) {
	doc, err := os.ReadFile("../../docs/sweeps.md")
	if err != nil {
		t.Fatal(err)
	}
	set := regexp.MustCompile(`(?m)^set: \{horizon: (\S+)\}`).FindSubmatch(doc)
	if set == nil {
		t.Fatal("docs/sweeps.md's fleet-size.yaml no longer sets a horizon with `set: {horizon: ...}`: update the test")
	}
	horizon, err := model.ParseDuration(string(set[1]))
	if err != nil {
		t.Fatalf("docs/sweeps.md's fleet-size.yaml: horizon %s: %v", set[1], err)
	}
	line := (&study.Summary{HorizonsS: []float64{horizon.Seconds()}}).HorizonLine()
	excerpt := regexp.MustCompile(`(?m)^sweep fleet-size \(id [^)]+\) in \S+: 27 runs done in .*\n((?:.*\n)??)KPI mean `).FindSubmatch(doc)
	if excerpt == nil {
		t.Fatal("docs/sweeps.md quotes no `27 runs done` line with the KPI table's caption after it: update the test with the excerpt")
	}
	if got := strings.TrimSuffix(string(excerpt[1]), "\n"); got != line {
		t.Errorf("docs/sweeps.md quotes %q after the runs done line; the sweep prints %q", got, line)
	}
	if want := "`each run simulated " + model.Duration(horizon).String() + "` above"; !strings.Contains(string(doc), want) {
		t.Errorf("docs/sweeps.md's text does not quote the excerpt's horizon line as %s", want)
	}
}
