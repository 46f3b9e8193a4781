package runner

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// TestLoopAtOneInstantPlaced: a looped trace whose rows share one instant
// is refused at the loop key's line and column, as the trace's other
// errors are at its path; it named the workload only (hostile-input
// review F7).
func TestLoopAtOneInstantPlaced(t *testing.T) {
	path := traceScenario(t, sameInstantTrace, "{trace: {path: t.csv, loop: true}}")
	_, err := Load(path, nil)
	var ie *InputError
	want := path + ":7:43: workloads[0].arrivals.trace.loop: trace " + filepath.Join(filepath.Dir(path), "t.csv") + " with loop: true repeats forever at one instant"
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), want) {
		t.Fatalf("got %v, want an input error with %q", err, want)
	}
}
