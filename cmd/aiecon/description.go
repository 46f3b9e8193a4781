package main

import (
	"fmt"
	"strings"

	"aiecon/data"
	"aiecon/model"
	"aiecon/model/format"
	"aiecon/runner"
)

// descriptionLine is a description as the run header and show print it:
// one line, each tab or line break a space (the store, --json and the
// YAML keep them), its other control characters escaped (format.Visible).
// A raw tab in a one-line header jumps to the terminal's next tab stop, and
// its escape (\x09, which both printed) read as if the text held one.
func descriptionLine(s string) string { return format.Visible(cellSpaces.Replace(s)) }

// descriptionCaveat is the line under a run's description when overrides
// changed the scenario after it was written ("Llama-3.3-70B on 4
// trn2.48xlarge…" over a run with fleet.count=2): run prints it under its
// title and show under the stored description. "" without overrides.
func descriptionCaveat(sets []string) string {
	if len(sets) == 0 {
		return ""
	}
	return fmt.Sprintf("with %s (the description above is the scenario's, before them)", strings.Join(sets, ", "))
}

// storedSets are the overrides a stored run applied after its description,
// as path=value in the order applied: its params_json (the user's --set, a
// sweep point's or an optimizer's parameters) less a variant's own set,
// which the variant's name and description cover, as run leaves them out
// (a path the user set again with --variant keeps the user's value, and
// shows). nil when the parameters do not read as a JSON object.
func storedSets(r data.RunRecord) []string {
	own := variantSets(r)
	var sets []string
	for _, o := range storedOverrides(r.ParamsJSON) {
		if v, ok := own[o.Path]; !ok || v != o.Value {
			sets = append(sets, runner.SetShown(o))
		}
	}
	return sets
}

// storedOverrides are a stored run's parameters (params_json) as the
// overrides they are, in the order applied; nil when they do not read as
// a JSON object.
func storedOverrides(params string) []model.Override {
	ps, err := data.ParseParams(params)
	if err != nil {
		return nil
	}
	var out []model.Override
	for _, p := range ps {
		out = append(out, model.Override{Path: p.Key, Value: p.Value})
	}
	return out
}

// variantSets are the values, by path, the variant a run was made from
// sets, read from the scenario file stored with it; nil for a run of no
// variant (its scenario is not NAME/VARIANT of the file's variants).
func variantSets(r data.RunRecord) map[string]string {
	if r.ScenarioYAML == "" {
		return nil
	}
	sc, _, err := model.Parse("stored scenario", []byte(r.ScenarioYAML))
	if err != nil {
		return nil
	}
	for _, v := range sc.Variants {
		if sc.Name+"/"+v.Name != r.Scenario {
			continue
		}
		ovs, err := v.Overrides()
		if err != nil {
			return nil
		}
		set := map[string]string{}
		for _, o := range ovs {
			set[o.Path] = o.Value
		}
		return set
	}
	return nil
}
