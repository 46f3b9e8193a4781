package study

import (
	"encoding/json"
	"reflect"
	"testing"

	"aiecon/model"
	"aiecon/runner"
)

// TestRunAndSweepParamsJSONAgree: one parameter value reads alike in a
// single run's params_json (its --set) and a sweep point's: numbers and
// booleans as JSON numbers and booleans, durations, rates and names as
// strings. A single run wrote every value as a string ({"fleet.count":
// "2"} against a sweep's {"fleet.count": 2}), so that params_json grouped
// or compared as JSON told them apart.
func TestRunAndSweepParamsJSONAgree(t *testing.T) {
	values := []model.Override{
		{Path: "fleet.count", Value: "2"},
		{Path: "ads.ctr", Value: "0.02"},
		{Path: "fleet.replica.prefix_caching", Value: "false"},
		{Path: "horizon", Value: "30m"},
		{Path: "workloads[chat].arrivals.rate", Value: "3/s"},
		{Path: "fleet.pricing", Value: "on-demand"},
	}
	spec := "name: f\nbase: baseline\nparameters:\n"
	for _, o := range values {
		spec += "  " + o.Path + ": [" + o.Value + "]\n"
	}
	p := plan(t, spec)
	if len(p.Points) != 1 {
		t.Fatalf("%d points, want 1", len(p.Points))
	}
	var sweep, run map[string]any
	if err := json.Unmarshal([]byte(p.Points[0].ParamsJSON()), &sweep); err != nil {
		t.Fatal(err)
	}
	js := runner.Overrides(values).JSON()
	if err := json.Unmarshal([]byte(js), &run); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(run, sweep) {
		t.Errorf("a single run's params_json %s\nreads otherwise than the sweep point's %s", js, p.Points[0].ParamsJSON())
	}
}
