package model

import (
	"fmt"
	"strings"

	"github.com/goccy/go-yaml"

	"aiecon/model/llm"
)

// A fleet may serve several models: the scenario's own model on its fleet
// (the main pool) and, under pools, more models each on its own instances,
// with its own replicas, pricing and autoscaling. Routing sends every
// request to one pool; inside a pool the scenario's router picks the
// replica. A scenario without pools is the one-pool fleet it always was.

// MaxPools bounds the extra pools of a scenario.
const MaxPools = 8

// Routing rules.
const (
	RuleWorkload     = "workload"
	RulePromptLength = "prompt-length"
	RuleSmallFirst   = "small-first"
)

// Pool is one more model the fleet serves, on instances of its own.
type Pool struct {
	Name  string   `yaml:"name"`  // default: the model's name
	Model ModelRef `yaml:"model"` // a catalog name or an inline architecture
	Fleet Fleet    `yaml:"fleet"` // the same fields as the scenario's fleet
}

// Routing chooses the pool of each request (model routing); required with
// pools.
type Routing struct {
	// Rule: workload (each workload to the pool routing.workloads names; the
	// main pool for the others), prompt-length (prompts of at most threshold
	// tokens to small, longer ones to large) or small-first (every request
	// to small; an answer is escalated to large with probability escalation,
	// and the request then pays both calls' latency and cost).
	Rule      string        `yaml:"rule"`
	Workloads yaml.MapSlice `yaml:"workloads,omitempty"` // workload: pool name (rule workload)
	Threshold int           `yaml:"threshold,omitempty"` // prompt tokens (rule prompt-length)
	Small     string        `yaml:"small,omitempty"`     // pool name (prompt-length, small-first)
	Large     string        `yaml:"large,omitempty"`     // pool name (prompt-length, small-first)
	// Escalation is the probability in [0, 1] that small's answer goes on
	// to large (small-first, required there; 0 is a value).
	Escalation *float64 `yaml:"escalation,omitempty"`
}

// ServingPool is one pool as the simulator sees it: the main pool (the
// scenario's model and fleet) first, then the scenario's pools in order.
type ServingPool struct {
	Name  string
	Model ModelRef
	Fleet *Fleet
}

// ServingPools lists the pools of a resolved scenario, the main one first.
func (sc *Scenario) ServingPools() []ServingPool {
	out := []ServingPool{{Name: sc.MainPoolName(), Model: sc.Model, Fleet: &sc.Fleet}}
	for i := range sc.Pools {
		p := &sc.Pools[i]
		out = append(out, ServingPool{Name: p.Name, Model: p.Model, Fleet: &p.Fleet})
	}
	return out
}

// MainPoolName is the main pool's name: its model's.
func (sc *Scenario) MainPoolName() string { return sc.Model.Name }

// EachFleet calls fn for the main fleet (pool "") and then for each pool's
// fleet, with the model it serves, until fn returns false.
func (sc *Scenario) EachFleet(fn func(pool string, m ModelRef, f Fleet) bool) {
	if !fn("", sc.Model, sc.Fleet) {
		return
	}
	for _, p := range sc.Pools {
		if !fn(p.Name, p.Model, p.Fleet) {
			return
		}
	}
}

// PoolWorkloads returns routing.workloads as workload name to pool name.
func (rt *Routing) PoolWorkloads() map[string]string {
	out := map[string]string{}
	for _, it := range rt.Workloads {
		out[fmt.Sprint(it.Key)] = fmt.Sprint(it.Value)
	}
	return out
}

// Arch returns the architecture a model reference names or defines.
func (m ModelRef) Arch() (llm.Arch, error) {
	if m.Inline != nil {
		return *m.Inline, nil
	}
	return llm.Lookup(m.Name)
}

// ShardOf is the tensor-parallel shard of a pool's replicas under the
// scenario's precision.
func (sc *Scenario) ShardOf(f *Fleet, a llm.Arch) llm.Shard {
	sh := llm.Shard{TP: f.Replica.TP, Weights: sc.Precision.Weights, Activations: sc.Precision.Activations, KV: sc.Precision.KVCache}
	if a.IsMoE() { // a dense pool beside an MoE one has no experts to store apart
		sh.Experts = sc.Precision.ExpertWeights
	}
	return sh
}

// poolDefaults is the defaults pass over the pools (after the precision's).
// Each pool resolves with the rules of the scenario's own model and fleet:
// a resolver over a scenario holding just them and the precision, whose
// errors carry the pool's path; poolChecks validates with the same one.
func (r *resolver) poolDefaults() {
	r.pools = r.pools[:0]
	for i := range r.sc.Pools {
		p := &r.sc.Pools[i]
		sub := &resolver{sc: &Scenario{Model: p.Model, Fleet: p.Fleet, Precision: r.sc.Precision}, src: r.src, cat: r.cat,
			prefix: fmt.Sprintf("pools[%d].", i)}
		sub.model()
		sub.instance()
		sub.fleetDefaults()
		p.Model, p.Fleet = sub.sc.Model, sub.sc.Fleet
		setIfZero(&p.Name, p.Model.Name)
		r.pools = append(r.pools, sub)
	}
	if rt := r.sc.Routing; rt != nil {
		setIfZero(&rt.Rule, RuleWorkload)
	}
}

// poolChecks validates each pool as a fleet, then the pool names.
func (r *resolver) poolChecks() {
	sc := r.sc
	if len(sc.Pools) > MaxPools {
		r.bad("pools", "%d pools; at most %d besides the main fleet", len(sc.Pools), MaxPools)
		return
	}
	seen := map[string]string{sc.MainPoolName(): "the main fleet (model " + sc.Model.Name + ")"}
	for i, sub := range r.pools {
		p := &sc.Pools[i]
		sub.fleet()
		sub.headsFit()
		sub.memoryFit()
		r.errs = append(r.errs, sub.errs...)
		at := fmt.Sprintf("pools[%d].name", i)
		switch {
		case p.Name == "" || strings.ContainsAny(p.Name, " /:[]"):
			r.bad(at, "%q: want a short name without spaces, slashes, colons or brackets", p.Name)
		case BadSelectorName(p.Name) != "":
			r.bad(at, "%s", BadSelectorName(p.Name))
		case seen[p.Name] != "":
			r.bad(at, "%q is taken by %s; give this pool its own name", p.Name, seen[p.Name])
		}
		seen[p.Name] = fmt.Sprintf("pools[%d]", i)
	}
	for i, w := range sc.Workloads {
		if len(sc.Pools) > 0 && strings.HasPrefix(w.Name, "model:") {
			r.bad(fmt.Sprintf("workloads[%d].name", i), "%q: with pools, model:NAME scopes the models' KPIs; rename the workload", w.Name)
		}
	}
	if len(sc.Pools) > 0 && sc.Training != nil && sc.Training.Where == "fleet-idle" {
		r.bad("training.where", "fleet-idle lends replicas of one model's fleet; with pools, train on a dedicated cluster")
	}
}
