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
		parts := []string{"steps " + distText(a.Steps, false) + defaultMark(isDef("steps", a.Steps.Same(def.Steps)))}
		if a.ToolCallTokens.IsZero() {
			parts = append(parts, "tool calls "+distText(w.OutputTokens, false)+" tok (default: as an answer)")
		} else {
			parts = append(parts, "tool calls "+distText(a.ToolCallTokens, false)+" tok")
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
	s := "patience " + distText(a.Patience, true)
	switch {
	case dist && on:
		return s + " on " + a.PatienceOn + " (default)"
	case dist:
		return s + " (default) on " + a.PatienceOn
	case on:
		return s + " on " + a.PatienceOn + " (default measure)"
	}
	return s + " on " + a.PatienceOn
}

// distText is a distribution in a few words: its value, median or mean
// (its range, for a uniform), in seconds where secs.
func distText(d model.Dist, secs bool) string {
	num := shortNum
	if secs {
		num = shortSec
	}
	switch d.Kind {
	case "fixed":
		return num(d.Value)
	case "lognormal":
		return "median " + num(d.Median)
	case "uniform":
		return num(d.Min) + " to " + num(d.Max)
	case "empirical":
		if d.Trace != "" {
			return "from " + format.Visible(d.Trace)
		}
	}
	return "mean " + num(d.ExpectedValue())
}

// retrievalText is an agent's retrieval: none, or the documents a step
// fetches and how often.
func retrievalText(r *model.Retrieval) string {
	if r == nil {
		return "none"
	}
	return fmt.Sprintf("%d docs x %s tok on %s%% of steps", r.DocsPerStep, shortNum(float64(r.TokensPerDoc)), shortNum(100*r.Probability))
}

// shortNum is format.Sig without trailing zeros: 3, 2.5, 150, 1,200, 1.20M.
func shortNum(v float64) string {
	s := format.Sig(v)
	if strings.Contains(s, ".") && s[len(s)-1] >= '0' && s[len(s)-1] <= '9' { // not 1.20M
		s = strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// shortSec is a duration for a line of words: 300 ms, 8 s, 2.5 s.
func shortSec(v float64) string {
	if v > 0 && v < 1 {
		return shortNum(v*1e3) + " ms"
	}
	return shortNum(v) + " s"
}
