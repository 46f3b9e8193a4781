package forecast

// What a forecast's abandonment rests on, for the note that says so
// (AbandonmentNote): the agent workloads' fields that are aiecon's
// assumptions, their values in each variant and period, and how the note
// words them.

import (
	"slices"
	"strings"

	"aiecon/model"
	"aiecon/model/format"
)

// unsetToolCalls says what a tool call's length is where
// agent.tool_call_tokens is unset.
const unsetToolCalls = "unset: every tool call draws output_tokens, as long as an answer"

// abandonmentAssumptions names, for each agent workload of ws, the fields
// its abandonment rests on (agentFields) with their values: "F (20 s, on
// ttft: F_on) and G (...)". Neither is measured (docs/model.md, "Agents");
// "" without an agent workload.
func abandonmentAssumptions(ws []model.Workload) string {
	var parts []string
	for _, w := range ws {
		vals := agentValues(w)
		if vals == nil {
			continue
		}
		var said []string
		for i, f := range agentFields {
			if f.measures != "" {
				continue // said inside the field it measures
			}
			text := vals[i].Field + " (" + vals[i].Value
			for j, on := range agentFields {
				if on.measures == f.name {
					text += ", on " + vals[j].Value + ": " + vals[j].Field
				}
			}
			said = append(said, text+")")
		}
		parts = append(parts, strings.Join(said, " and "))
	}
	return strings.Join(parts, "; ")
}

// AbandonmentAssumptions is abandonmentAssumptions for a caller outside the
// forecast (aiecon run's SESSIONS ABANDONED), which names the same fields
// with their values in the same words.
func AbandonmentAssumptions(ws []model.Workload) string { return abandonmentAssumptions(ws) }

// variantAssumptions are each variant's abandonmentAssumptions, of its
// workloads as its scenario in each period holds them (workloadsIn: its set
// or a roadmap step may give its own patience): one text where every
// period has the same, else each span of periods with its own ("quarters
// 1-2: ...; quarters 3-4: ..."). The note gave the base's, so a variant
// patient for ten minutes was said to rest on the base's 20 seconds.
func (f *Forecast) variantAssumptions() map[string]string {
	out := map[string]string{}
	spans := &Report{PeriodLen: f.Spec.Periods.Length}
	for _, vp := range f.Variants {
		var texts []string
		var periods [][]int
		for k := 1; k <= f.Spec.Periods.Count; k++ {
			t := abandonmentAssumptions(f.workloadsIn(vp, k))
			if n := len(texts); n > 0 && texts[n-1] == t {
				periods[n-1] = append(periods[n-1], k)
				continue
			}
			texts, periods = append(texts, t), append(periods, []int{k})
		}
		if len(texts) == 1 {
			out[vp.Name] = texts[0]
			continue
		}
		var parts []string
		for i, t := range texts {
			if t == "" {
				t = "no agent workload"
			}
			parts = append(parts, spans.periodList(periods[i])+": "+t)
		}
		out[vp.Name] = strings.Join(parts, "; ")
	}
	return out
}

// AssumedValue is a value one field the abandonment rests on (Field, as a
// set names it: workloads[shop].agent.patience) holds in a variant's
// scenario, in words, and the periods in which it holds it.
type AssumedValue struct {
	Field   string `json:"field"`
	Value   string `json:"value"`
	Periods []int  `json:"periods"`
}

// agentFields are the fields of an agent workload that its abandonment
// rests on, in the order the note names them, each with its value in
// words; measures names the field whose measure it gives (patience_on,
// patience's), said inside that field's parentheses. The note's text
// (abandonmentAssumptions) and its values (assumedFields) both come from
// here.
var agentFields = []struct {
	name, measures string
	value          func(*model.Agent) string
}{
	{name: "patience", value: func(a *model.Agent) string { return a.Patience.Words("s") }},
	{name: "patience_on", measures: "patience", value: func(a *model.Agent) string { return a.PatienceOn }},
	{name: "tool_call_tokens", value: func(a *model.Agent) string {
		if a.ToolCallTokens.IsZero() {
			return unsetToolCalls
		}
		return a.ToolCallTokens.Words("tok")
	}},
}

// agentValues are the values w gives agentFields (in their order, a field
// named as a set names it: workloads[shop].agent.patience); nil where w is
// no agent workload.
func agentValues(w model.Workload) []AssumedValue {
	if w.Class != model.ClassAgent || w.Agent == nil {
		return nil
	}
	out := make([]AssumedValue, len(agentFields))
	for i, f := range agentFields {
		out[i] = AssumedValue{Field: "workloads[" + w.Name + "].agent." + f.name, Value: f.value(w.Agent)}
	}
	return out
}

// assumedFields are the fields the abandonment of ws's agent workloads
// rests on, each with its value in words (agentValues).
func assumedFields(ws []model.Workload) []AssumedValue {
	var out []AssumedValue
	for _, w := range ws {
		out = append(out, agentValues(w)...)
	}
	return out
}

// variantValues are, for each variant, the values its scenario in each
// period gives the fields its abandonment rests on, with their periods,
// so that the note can state what the variants share once and only what
// differs by variant.
func (f *Forecast) variantValues() map[string][]AssumedValue {
	out := map[string][]AssumedValue{}
	for _, vp := range f.Variants {
		var vals []AssumedValue
		for k := 1; k <= f.Spec.Periods.Count; k++ {
			for _, fv := range assumedFields(f.workloadsIn(vp, k)) {
				i := slices.IndexFunc(vals, func(v AssumedValue) bool { return v.Field == fv.Field && v.Value == fv.Value })
				if i < 0 {
					vals, i = append(vals, fv), len(vals)
				}
				vals[i].Periods = append(vals[i].Periods, k)
			}
		}
		out[vp.Name] = vals
	}
	return out
}

// assumptionsOf is what a variant's abandonment rests on: its own
// (AbandonmentAssumptionsBy), else, in a report stored before variants had
// their own, the forecast's.
func (r *Report) assumptionsOf(variant string) string {
	if a, ok := r.AbandonmentAssumptionsBy[variant]; ok {
		return a
	}
	return r.AbandonmentAssumptions
}

// assumptionsIn names what the abandonment of the variants vs rests on:
// once where they share it; else what they share once and, by variant,
// only the fields that differ (sharedAndDiffering). Every assumption was
// repeated for each variant, so a difference of one patience hid in a
// paragraph. A report stored without the values gives each variant's
// ("for owned, ...; for rented, ...").
func (r *Report) assumptionsIn(vs []string) string {
	var parts []string
	same := true
	for _, v := range vs {
		a := r.assumptionsOf(v)
		same = same && a == r.assumptionsOf(vs[0])
		if a == "" {
			a = "no agent workload"
		}
		parts = append(parts, "for "+v+", "+a)
	}
	if same {
		return r.assumptionsOf(vs[0])
	}
	if text := r.sharedAndDiffering(vs); text != "" {
		return text
	}
	return strings.Join(parts, "; ")
}

// sharedAndDiffering states the fields every variant of vs holds alike
// once ("F (20 s) and G (ttft), alike in a and b") and then, by variant,
// those they hold differently ("by variant, H (a: 600 s; b: 20 s)"); ""
// for a report stored without AbandonmentValuesBy.
func (r *Report) sharedAndDiffering(vs []string) string {
	var fields []string
	for _, v := range vs {
		vals, ok := r.AbandonmentValuesBy[v]
		if !ok {
			return ""
		}
		for _, av := range vals {
			if !slices.Contains(fields, av.Field) {
				fields = append(fields, av.Field)
			}
		}
	}
	var shared, differing []string
	for _, field := range fields {
		var groups []string // "a, b: VALUE"
		var held []string   // the timeline of each group
		for _, v := range vs {
			t := r.valueTimeline(v, field)
			if i := slices.Index(held, t); i >= 0 {
				groups[i] = strings.Replace(groups[i], ": ", ", "+v+": ", 1)
				continue
			}
			held, groups = append(held, t), append(groups, v+": "+t)
		}
		if len(held) == 1 {
			shared = append(shared, field+" ("+held[0]+")")
		} else {
			differing = append(differing, field+" ("+strings.Join(groups, "; ")+")")
		}
	}
	var text []string
	if len(shared) > 0 {
		text = append(text, format.ListAnd(shared)+", alike in "+format.ListAnd(vs))
	}
	if len(differing) > 0 {
		text = append(text, "by variant, "+format.ListAnd(differing))
	}
	return strings.Join(text, "; ")
}

// valueTimeline is the value a variant's scenario gives field: one value
// ("20 s"), or each with its periods ("600 s in quarters 1-2 and 20 s in
// quarter 3"), "none" in the periods that have no such agent workload.
func (r *Report) valueTimeline(variant, field string) string {
	var parts []string
	covered := map[int]bool{}
	for _, av := range r.AbandonmentValuesBy[variant] {
		if av.Field != field {
			continue
		}
		if len(av.Periods) == r.Periods {
			return av.Value
		}
		parts = append(parts, av.Value+" in "+r.periodList(av.Periods))
		for _, k := range av.Periods {
			covered[k] = true
		}
	}
	var missing []int
	for k := 1; k <= r.Periods; k++ {
		if !covered[k] {
			missing = append(missing, k)
		}
	}
	if len(missing) == r.Periods {
		return "none"
	}
	if len(missing) > 0 {
		parts = append(parts, "none in "+r.periodList(missing))
	}
	return strings.Join(parts, " and ")
}
