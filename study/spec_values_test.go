package study

import (
	"strings"
	"testing"
)

// TestNullSwitchesBlockOffInSweep: a sweep's set and parameters may give an
// optional block null, which removes it; any other value for a block, or
// a distribution for one, is refused at its line.
func TestNullSwitchesBlockOffInSweep(t *testing.T) {
	sp := parse(t, "name: x\nbase: baseline\nset: {training: null}\nparameters:\n  ads: [null]\n  fleet.count: [1, 2]\n", "fleet.replica.speculative=~")
	if got := sp.Set[0].String() + " " + axisValues(sp.Parameters[0])[0]; got != "training=null null" {
		t.Errorf("set and parameter: %q", got)
	}
	p, err := NewPlan(sp)
	if err != nil {
		t.Fatal(err)
	}
	l, err := p.Load(p.Points[0], 0)
	if err != nil {
		t.Fatal(err)
	}
	if l.Scenario.Ads != nil || l.Scenario.Training != nil {
		t.Errorf("point 0: ads %+v, training %+v, want both off", l.Scenario.Ads, l.Scenario.Training)
	}
	for _, tt := range []struct{ src, want string }{
		{"parameters:\n  ads: [null, 3]\n", "sweep.yaml:4:15: parameters.ads: ads is a block of fields, and a parameter varies one field, " +
			"not a whole block; set one of its fields, as ads.FIELD: [VALUES], or ads: [null] to remove the block"},
		{"zip:\n  ads: [null, {bid: 1}]\n  fleet.count: [1, 2]\n", "sweep.yaml:4:15: zip.ads: ads is a block of fields"},
		{"set: {ads: 3}\n", "sweep.yaml:3:12: set.ads: ads is a block of fields, and the sweep's set sets one field per entry, " +
			"not a whole block; set one of its fields, as ads.FIELD: VALUE, or ads: null to remove the block"},
		{"parameters:\n  workloads: [1]\n", "sweep.yaml:4:3: parameters.workloads: workloads is a list, and a parameter varies one field, " +
			"not a whole list or block; set a field of an element, as workloads[NAME].FIELD: [VALUES]"},
		{"montecarlo:\n  samples: 2\n  parameters:\n    ads: {dist: choice, values: [1, 2]}\n",
			"sweep.yaml:6:5: montecarlo.parameters.ads: ads is a block of fields, and a distribution draws one field's values"},
	} {
		_, err := ParseSpec("sweep.yaml", []byte("name: x\nbase: baseline\n"+tt.src), t.TempDir(), nil)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v\nwant it to contain %q", tt.src, err, tt.want)
		}
	}
	if _, err := ParseSpec("sweep.yaml", []byte("name: x\nbase: baseline\n"), t.TempDir(), []string{"ads=3"}); err == nil ||
		!strings.Contains(err.Error(), "ads=null to remove the block") {
		t.Errorf("--set ads=3: %v", err)
	}
}

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
