package main

import (
	"fmt"
	"strings"

	"aiecon/model"
	"aiecon/model/format"
)

// agentAssumption is one agent workload's assumptions line: run prints it
// under TRAFFIC, show under the run's workloads.
type agentAssumption struct{ workload, text string }

// agentAssumptions are the assumptions of each agent workload of a resolved
// scenario that decide how much of a session a user waits through, and so
// what is abandoned: the steps, the tokens a tool-calling step generates,
// the patience and what it is measured on, and retrieval (docs/model.md,
// "Agents"). A value the scenario left to aiecon is marked "default": not
// given in given (the scenario as written with its overrides applied, as
// givenTree decodes it; nil where unknown) and equal to what the defaults
// pass fills in (model.DefaultAgent). Those are the assumptions nobody made
// for this scenario, which can decide a comparison.
func agentAssumptions(sc *model.Scenario, given any) []agentAssumption {
	var out []agentAssumption
	def := model.DefaultAgent(sc.Ads != nil)
	for _, w := range sc.Workloads {
		a := w.Agent
		if w.Class != model.ClassAgent || a == nil {
			continue
		}
		isDef := func(field string, same bool) bool { return same && !givenField(given, w.Name, field) }
		parts := []string{"steps " + a.Steps.Words("") + defaultMark(isDef("steps", a.Steps.Same(def.Steps)))}
		if a.ToolCallTokens.IsZero() {
			parts = append(parts, "tool calls "+w.OutputTokens.Words("tok")+" (default: as an answer)")
		} else {
			parts = append(parts, "tool calls "+a.ToolCallTokens.Words("tok"))
		}
		parts = append(parts, patienceText(a, isDef("patience", a.Patience.Same(def.Patience)), isDef("patience_on", a.PatienceOn == def.PatienceOn)),
			"retrieval "+retrievalText(a.Retrieval))
		out = append(out, agentAssumption{format.Visible(w.Name), strings.Join(parts, ", ")})
	}
	return out
}

// givenTree is a scenario as written (src) with its overrides applied, as
// model.DecodeTree decodes it, for agentAssumptions to tell a field given
// from one left to its default; src alone where the overrides do not apply,
// nil where nothing decodes.
func givenTree(file string, src []byte, overrides []model.Override) any {
	if merged, err := model.ApplyOverridesIn(file, src, overrides); err == nil {
		src = merged
	}
	return model.DecodeTree(src)
}

// givenField reports whether tree (givenTree) gives the workload named name
// a value (not null) for agent.field.
func givenField(tree any, name, field string) bool {
	list, _ := model.LookupPath(tree, "workloads")
	ws, _ := list.([]any)
	for _, w := range ws {
		if n, ok := model.LookupPath(w, "name"); ok && fmt.Sprint(n) == name {
			v, ok := model.LookupPath(w, "agent."+field)
			return ok && v != nil
		}
	}
	return false
}

// defaultMark is " (default)" for a value that is aiecon's default.
func defaultMark(isDefault bool) string {
	if isDefault {
		return " (default)"
	}
	return ""
}

// patienceText is an agent's patience and what it is measured on, each
// marked where it is the default.
func patienceText(a *model.Agent, dist, on bool) string {
	s := "patience " + a.Patience.Words("s")
	switch {
	case a.PatienceOn == "":
		// A run stored before agent.patience_on existed (schema 3): its
		// resolved scenario names no measure, and "on ," said nothing.
		return s + defaultMark(dist) + " on (not recorded)"
	case dist && on:
		return s + " on " + a.PatienceOn + " (default)"
	case dist:
		return s + " (default) on " + a.PatienceOn
	case on:
		return s + " on " + a.PatienceOn + " (default measure)"
	}
	return s + " on " + a.PatienceOn
}

// retrievalText is an agent's retrieval: none, or the documents a step
// fetches and how often.
func retrievalText(r *model.Retrieval) string {
	if r == nil {
		return "none"
	}
	return fmt.Sprintf("%d docs x %s tok on %s%% of steps", r.DocsPerStep, format.Short(float64(r.TokensPerDoc)), format.Short(100*r.Probability))
}
