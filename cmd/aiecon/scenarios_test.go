package main

import (
	"os"
	"strings"
	"testing"
)

// TestScenariosShowLabels: scenarios show places a scenario's errors as
// run does (runner.SourceLabel): a built-in as "built-in NAME", a file by
// its path, with no .yaml added; show called a built-in by its bare name,
// as if a file of that name were read, and the list "NAME.yaml".
func TestScenariosShowLabels(t *testing.T) {
	t.Chdir(t.TempDir())
	bad := []byte("name: x\nhorizon: 1h\nbogus: 1\n")
	if err := os.WriteFile("myscen", bad, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ name, want, not string }{
		{"baseline", "built-in baseline:3:1: bogus: unknown field", "baseline.yaml"},
		{"myscen", "myscen:3:1: bogus: unknown field", "built-in"},
	} {
		_, err := parseScenario(tt.name, bad)
		if err == nil {
			t.Fatalf("%s: parsed a scenario with an unknown field", tt.name)
		}
		if got := err.Error(); !strings.HasPrefix(got, tt.want) || strings.Contains(got, tt.not) {
			t.Errorf("%s: error %q, want it to start %q and not to say %q", tt.name, got, tt.want, tt.not)
		}
	}
}
