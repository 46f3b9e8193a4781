package runner

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAgentNullRefusedOnAnAgentWorkload: null for a class agent workload's
// agent is refused, naming the override (it reset every agent field to its
// default: patience 20 s to 8 s, commerce $0, without a word); with class
// api, on an api workload, and for an agent's optional retrieval it passes.
func TestAgentNullRefusedOnAnAgentWorkload(t *testing.T) {
	const refused = "null cannot switch off the agent of a class agent workload"
	checkSetErrors(t, []setErrorCase{
		{"baseline", []string{"workloads[shopping-assistant].agent=null"}, []string{
			"--set workloads[shopping-assistant].agent=null: workloads[shopping-assistant].agent: " + refused}},
		{"baseline", []string{"workloads[1].agent=~"}, []string{"--set workloads[1].agent=~: workloads[1].agent: " + refused}},
	})
	_, err := Load("baseline", []string{"workloads[shopping-assistant].agent=null"})
	if err == nil || !strings.Contains(err.Error(), "also set workloads[shopping-assistant].class=api") {
		t.Errorf("the refusal does not say how to switch the agent off: %v", err)
	}
	for _, sets := range [][]string{
		{"workloads[shopping-assistant].agent=null", "workloads[shopping-assistant].class=api", "ads=null"},
		{"workloads[chat].agent=null"},
		{"workloads[shopping-assistant].agent.retrieval=null"},
	} {
		if _, err := Load("baseline", sets); err != nil {
			t.Errorf("%v: %v", sets, err)
		}
	}
	// A variant's set is refused as the variant's.
	src, err := os.ReadFile(filepath.Join("..", "model", "scenarios", "baseline.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "v.yaml")
	text := string(src) + "variants:\n  - name: off\n    set:\n      workloads[shopping-assistant].agent: null\n"
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadVariants(p, nil, "off"); err == nil || !strings.Contains(err.Error(), "set {workloads[shopping-assistant].agent: null}") ||
		!strings.Contains(err.Error(), refused) {
		t.Errorf("variant off: %v; want the variant's set refused", err)
	}
}
