package runner

import (
	"fmt"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"

	"aiecon/model"
)

// refuseAgentReset refuses an override that gives a class agent workload's
// agent null (--set workloads[shopping-assistant].agent=null): null removes
// an optional block, which switches ads or training off, but an agent
// workload always has an agent, so its agent came back with every field at
// its default, without a word (patience 20 s became 8 s, and its value
// block, its fees and commerce, $0). Null with class api, which drops the
// agent, passes. The error names the field; attributeOverrides names the
// override that gave it.
func refuseAgentReset(sc *model.Scenario, file string, overrides []model.Override, merged *model.Source) error {
	if !slices.ContainsFunc(overrides, func(o model.Override) bool { return NullValue(o.Value) }) {
		return nil // nothing resets: no need to decode the text
	}
	var errs model.Errors
	tree := merged.Tree() // the text as parsed by Load, not parsed again
	for i, w := range sc.Workloads {
		if w.Class != model.ClassAgent {
			continue
		}
		field := fmt.Sprintf("workloads[%d].agent", i)
		for _, o := range overrides {
			if !NullValue(o.Value) || !resetsAgent(o.Path, field, tree) {
				continue
			}
			errs = append(errs, model.FieldError{File: file, Field: field,
				Msg: fmt.Sprintf("null cannot switch off the agent of a class agent workload, which always has one: it resets every agent field to its default "+
					"(its patience, steps and tools, and its value: fees and commerce $0); to serve the workload as plain model calls, "+
					"also set workloads[%d].class=api; to change the agent, set its fields", i)})
			break
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// resetsAgent says whether an override of path gives the agent field
// (workloads[1].agent) whole, its workload named by index or by name.
func resetsAgent(path, field string, tree any) bool {
	return strings.HasSuffix(path, ".agent") && model.IndexedPath(path, tree) == field
}

// NullValue says whether an override's YAML value is null (null, ~).
func NullValue(value string) bool {
	var v any
	return yaml.Unmarshal([]byte(value), &v) == nil && v == nil && strings.TrimSpace(value) != ""
}
