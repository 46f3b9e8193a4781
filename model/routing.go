package model

import (
	"fmt"
	"slices"
	"strings"
)

// routing validates the model routing against the pools and workloads:
// the rule's own fields set and the others left out, every name known,
// and every pool given some traffic.
func (r *resolver) routing() {
	sc := r.sc
	rt := sc.Routing
	switch {
	case rt == nil && len(sc.Pools) == 0:
		return
	case rt == nil:
		r.badBecause("pools", "routing", "routing is required with pools: routing.rule workload, prompt-length or small-first")
		return
	case len(sc.Pools) == 0:
		r.bad("routing", "routing sends requests between pools; add pools (a model and a fleet each)")
		return
	}
	names := []string{sc.MainPoolName()}
	for _, p := range sc.Pools {
		names = append(names, p.Name)
	}
	used := map[string]bool{}
	pool := func(field, name string) {
		switch {
		case name == "":
			r.badBecause("routing."+field, "routing.rule", "required with rule %s: a pool name (%s)", rt.Rule, strings.Join(names, ", "))
		case !slices.Contains(names, name) && names[0] == "":
			// The main pool is named by its model, which is missing (its
			// own error says so): the name is most likely the model's.
		case !slices.Contains(names, name):
			r.bad("routing."+field, "no pool named %q (pools: %s)", name, strings.Join(names, ", "))
		default:
			used[name] = true
		}
	}
	only := func(field string, set bool, rule string) {
		if set && rt.Rule != rule {
			r.badBecause("routing."+field, "routing.rule", "only meaningful with rule %s, not %s", rule, rt.Rule)
		}
	}
	only("workloads", len(rt.Workloads) > 0, RuleWorkload)
	only("threshold", rt.Threshold != 0, RulePromptLength)
	only("escalation", rt.Escalation != nil, RuleSmallFirst)
	if rt.Rule == RuleWorkload && rt.Small+rt.Large != "" {
		r.badBecause("routing.small", "routing.rule", "small and large are for rules prompt-length and small-first; rule workload uses routing.workloads")
	}
	switch rt.Rule {
	case RuleWorkload:
		r.workloadRouting(pool, used)
	case RulePromptLength, RuleSmallFirst:
		pool("small", rt.Small)
		pool("large", rt.Large)
		if rt.Small != "" && rt.Small == rt.Large {
			r.bad("routing.large", "%q is also the small pool; small and large are two pools", rt.Large)
		}
		if rt.Rule == RulePromptLength && (rt.Threshold < 1 || rt.Threshold > 1<<20) {
			// 0 is no threshold: a --set of the rule to prompt-length.
			r.badBecause("routing.threshold", pick(rt.Threshold == 0, "routing.rule", ""), "%d is out of range (allowed: 1 to %d prompt tokens; prompts of at most threshold go to small)", rt.Threshold, 1<<20)
		}
		if rt.Rule == RuleSmallFirst {
			switch e := rt.Escalation; {
			case e == nil:
				r.badBecause("routing.escalation", "routing.rule", "required with rule small-first: the probability (0 to 1) that an answer of the small model is escalated to the large one")
			case !(*e >= 0 && *e <= 1):
				r.bad("routing.escalation", "%g is out of range (allowed: 0 to 1)", *e)
			}
		}
	default:
		r.bad("routing.rule", "unknown rule %q (allowed: workload, prompt-length, small-first)", rt.Rule)
		return
	}
	for i, n := range names {
		if !used[n] && len(r.errs) == 0 {
			field := "fleet"
			if i > 0 {
				field = fmt.Sprintf("pools[%d]", i-1)
			}
			r.badBecause(field, "routing", "pool %q receives no traffic under routing rule %s; route some to it or remove it", n, rt.Rule)
		}
	}
}

// workloadRouting checks routing.workloads: known workloads, each once,
// mapped to known pools; the workloads it leaves out go to the main pool.
func (r *resolver) workloadRouting(pool func(field, name string), used map[string]bool) {
	sc := r.sc
	listed := map[string]bool{}
	for _, it := range sc.Routing.Workloads {
		w := fmt.Sprint(it.Key)
		field := "workloads." + w
		if _, err := sc.WorkloadIndex(w); err != nil {
			r.bad("routing.workloads", "%v", err)
			continue
		}
		if listed[w] {
			r.bad("routing.workloads", "workload %q is listed twice", w)
		}
		listed[w] = true
		pool(field, fmt.Sprint(it.Value))
	}
	for _, w := range sc.Workloads {
		if !listed[w.Name] {
			used[sc.MainPoolName()] = true
		}
	}
}
