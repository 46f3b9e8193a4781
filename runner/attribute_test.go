package runner

import (
	"strings"
	"testing"
)

// TestRenameErrorsNameTheSet: an error a --set causes by changing a list
// element's name names the --set, not the base file's line: the element
// is found by the name the file gives it (workloads[chat].name=... was
// "built-in baseline:22:11: workloads[0].name: ..."), a pool by its name as
// a workload is (pools[small] was never matched), and an error quoting the
// name given or taken away (a duplicate, a reference to the old name) is
// the rename's.
func TestRenameErrorsNameTheSet(t *testing.T) {
	tests := []struct {
		scenario string
		sets     []string
		want     []string // each line of the error starts with one
	}{
		{"baseline", []string{`workloads[chat].name=""`}, []string{`--set workloads[chat].name="": workloads[0].name: required`}},
		{"baseline", []string{"workloads[chat].name=" + strings.Repeat("x", 201)},
			[]string{"--set workloads[chat].name=xxx"}},
		{"baseline", []string{"workloads[chat].name=shopping-assistant"}, []string{
			`--set workloads[chat].name=shopping-assistant: workloads[1].name: duplicate workload name "shopping-assistant"`,
			`--set workloads[chat].name=shopping-assistant: ads.workloads[0]: "shopping-assistant" is class api`}},
		{"baseline", []string{"workloads[chat].name=x", "workloads[x].arrivals.rate=-1"},
			[]string{"--set workloads[x].arrivals.rate=-1: workloads[0].arrivals.rate:"}},
		{"model-mix", []string{"pools[small].fleet.count=-1"}, []string{"--set pools[small].fleet.count=-1: pools[0].fleet.count:"}},
		{"model-mix", []string{"pools[small].name=tiny"}, []string{`--set pools[small].name=tiny: routing.small: no pool named "small"`}},
		{"model-mix", []string{"pools[0].name=tiny"}, []string{`--set pools[0].name=tiny: routing.small: no pool named "small"`}},
	}
	for _, tt := range tests {
		_, err := Load(tt.scenario, tt.sets)
		if err == nil {
			t.Errorf("%s %v: loaded", tt.scenario, tt.sets)
			continue
		}
		lines := strings.Split(err.Error(), "\n")
		if len(lines) != len(tt.want) {
			t.Errorf("%s %v: %q, want %d lines", tt.scenario, tt.sets, err, len(tt.want))
			continue
		}
		for i, w := range tt.want {
			if !strings.HasPrefix(lines[i], w) {
				t.Errorf("%s %v: line %d %q, want it to start %q", tt.scenario, tt.sets, i+1, lines[i], w)
			}
		}
	}
}
