package study

import (
	"strings"
	"testing"
)

// TestSweepValueKeepsTab: a point's value was written back as YAML with a
// tab raw, which the scenario's reader drops.
func TestSweepValueKeepsTab(t *testing.T) {
	sp := parse(t, "name: x\nbase: baseline\nset: {description: \"s\\tt\"}\nparameters:\n  workloads[chat].name: [\"c\\td\", chat]\n")
	p, err := NewPlan(sp)
	if err != nil {
		t.Fatal(err)
	}
	l, err := p.Load(p.Points[1], 0)
	if err != nil {
		t.Fatal(err)
	}
	if l.Scenario.Description != "s\tt" {
		t.Errorf("point 1: description %q, want \"s\\tt\"", l.Scenario.Description)
	}
	if _, err := p.Load(p.Points[0], 0); err == nil || !strings.Contains(err.Error(), "U+0009") {
		t.Errorf("point 0 names a workload \"c\\td\": %v, want the tab refused", err)
	}
}
