package study

import (
	"strings"
	"testing"

	"aiecon/model"
)

// TestSweepDescriptionBounded: a sweep's description is one line for
// listings, bounded as a scenario's is.
func TestSweepDescriptionBounded(t *testing.T) {
	spec := func(d string) string {
		return "name: x\ndescription: " + d + "\nbase: baseline\nparameters:\n  fleet.count: [1, 2]\n"
	}
	if sp := parse(t, spec(strings.Repeat("d", model.MaxDescriptionRunes))); len(sp.Description) != model.MaxDescriptionRunes {
		t.Errorf("description at the bound: got %d bytes", len(sp.Description))
	}
	_, err := ParseSpec("sweep.yaml", []byte(spec(strings.Repeat("d", model.MaxDescriptionRunes+1))), t.TempDir(), nil)
	if want := "sweep.yaml:2:14: description: 2001 characters; at most 2000"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("got %v, want %q", err, want)
	}
}
