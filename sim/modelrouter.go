package sim

import (
	"fmt"
	"math/rand/v2"

	"aiecon/model"
)

// modelRouter chooses the model pool of each request by the scenario's
// routing rule (docs/model.md, Model mix); the pool's own replica router
// (router.go) then picks the replica. A scenario without pools has none:
// every request goes to the main pool.
type modelRouter struct {
	rule       string
	byWorkload []*fleetPool // rule workload: the pool of each workload, by index
	small      *fleetPool   // prompt-length, small-first
	large      *fleetPool
	threshold  int     // prompt-length: prompts of at most threshold tokens go to small
	escalation float64 // small-first: probability a small answer is escalated
	// escalationRng is each workload's escalation stream, by workload index
	// (small-first): a call's escalation is drawn as the call arrives (an
	// agent's, as its session is planned), so which calls of a workload are
	// escalated depends on its own arrivals only, not on when other
	// workloads' calls complete (common random numbers).
	escalationRng []*rand.Rand
}

// newModelRouter builds the routing of a resolved scenario; nil without pools.
func newModelRouter(w *World) (*modelRouter, error) {
	rt := w.sc.Routing
	if len(w.pools) == 1 || rt == nil {
		return nil, nil
	}
	byName := map[string]*fleetPool{}
	for _, pl := range w.pools {
		byName[pl.name] = pl
	}
	find := func(field, name string) (*fleetPool, error) {
		if pl, ok := byName[name]; ok {
			return pl, nil
		}
		return nil, fmt.Errorf("sim: routing.%s: no pool named %q", field, name)
	}
	m := &modelRouter{rule: rt.Rule, threshold: rt.Threshold}
	if rt.Escalation != nil {
		m.escalation = *rt.Escalation
	}
	var err error
	switch rt.Rule {
	case model.RuleWorkload:
		named := rt.PoolWorkloads()
		for _, wl := range w.sc.Workloads {
			pl := w.pools[0]
			if name, ok := named[wl.Name]; ok {
				if pl, err = find("workloads."+wl.Name, name); err != nil {
					return nil, err
				}
			}
			m.byWorkload = append(m.byWorkload, pl)
		}
	case model.RulePromptLength, model.RuleSmallFirst:
		if m.small, err = find("small", rt.Small); err != nil {
			return nil, err
		}
		if m.large, err = find("large", rt.Large); err != nil {
			return nil, err
		}
		if rt.Rule == model.RuleSmallFirst {
			for _, wl := range w.sc.Workloads {
				m.escalationRng = append(m.escalationRng, w.randFor("escalation/"+wl.Name))
			}
		}
	default:
		return nil, fmt.Errorf("sim: routing.rule %q is not a rule", rt.Rule)
	}
	return m, nil
}

// choose is the pool of a new request of workload wl with a prompt of
// prompt tokens (as drawn, before any pool's max_model_len).
func (m *modelRouter) choose(wl, prompt int) *fleetPool {
	switch {
	case m.rule == model.RuleWorkload:
		return m.byWorkload[wl]
	case m.rule == model.RulePromptLength && prompt > m.threshold:
		return m.large
	}
	return m.small
}

// escalates decides whether a call the small model just answered goes on
// to the large one (small-first): as drawn when the call arrived
// (drawEscalation).
func (m *modelRouter) escalates(r *request) bool {
	return m != nil && m.rule == model.RuleSmallFirst && r.escalate && !r.escalated && r.fp == m.small
}

// drawEscalation draws, for a call of workload wl as it arrives (an
// agent's call as its session is planned), whether the small model's
// answer will be escalated (small-first), from the workload's own stream,
// so that neither another workload's traffic nor the order in which calls
// complete changes it; false under any other rule.
func (m *modelRouter) drawEscalation(wl int) bool {
	if m == nil || m.rule != model.RuleSmallFirst {
		return false
	}
	return m.escalationRng[wl].Float64() < m.escalation
}

// escalate sends a call the small model answered to the large one: the
// small call is counted as done in its pool, and the request starts over
// on the large model (its prompt prefilled afresh but for what the large
// replica that takes it finds in its own prefix cache, its output
// generated again) from now, keeping its arrival, so its latency includes
// both calls. It is answered, billed and recorded once, by the large model.
func (w *World) escalate(r *request) {
	now := w.eng.Now()
	w.callDone(r)
	r.fp.escalated++
	r.fp, r.escalated = w.models.large, true
	// Refit the call as it came: the small model's window may have cut it.
	// A request is counted truncated once for its workload, and once in
	// each pool that cut it.
	p, o := r.fp.clamp(int(r.asked), int(r.askedOut), w.workloads[r.wl].agent != nil)
	if p != int(r.asked) || o != int(r.askedOut) {
		if r.prompt == r.asked && r.output == r.askedOut {
			w.workloads[r.wl].stats.truncated++
		}
		r.fp.calls.truncated++
	}
	prompt, cached := r.prompt, r.cached
	r.prompt, r.output, r.cached, r.claimed = int32(p), int32(o), 0, false
	if s := r.sess; s != nil {
		s.refitEscalated(r, prompt, cached)
	}
	r.fp.routed(r)
	r.target, r.prefilled, r.generated, r.kv = r.prompt, r.cached, 0, 0
	r.firstTok, r.poolStart = -1, -1
	r.replica = nil
	w.addInSystem(now, r, -1) // submit counts it in again, or drops it
	w.submit(r)
}
