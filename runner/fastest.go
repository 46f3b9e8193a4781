package runner

import (
	"fmt"

	"aiecon/model"
)

// FastestStepSeconds is the shortest step a replica of a serving pool can
// take, as its run prices steps (the scenario's calibration profile and
// hardware overrides, newStepPricer): every layer's weight GEMMs over one
// token with its logits, and the per-layer fixed cost, with no attention.
// Every step the simulator runs, a prefill of one token or a decode of one
// sequence at the shortest context included, holds at least these
// operations, so no request's first token comes sooner after it is
// scheduled, and no next token sooner than this over the tokens a step can
// emit (one, or k+1 under speculative decoding). run's SUSPECT VALUE
// checks read it to tell an SLO no request can meet, or a horizon shorter
// than one request.
func FastestStepSeconds(sc *model.Scenario, pool model.ServingPool) (float64, error) {
	one := *sc // the pool's fleet and model in the main fleet's place, as newStepPricer reads them
	one.Fleet, one.Model, one.Pools = *pool.Fleet, pool.Model, nil
	s, _, err := runServing(&one)
	if err != nil {
		return 0, fmt.Errorf("pricing the fastest step of pool %s: %w", pool.Name, err)
	}
	p, err := newStepPricer(&one, s)
	if err != nil {
		return 0, fmt.Errorf("pricing the fastest step of pool %s: %w", pool.Name, err)
	}
	total, _ := p.perf.PricedBy(p.arch.DenseOps(nil, p.sh, 1, 1), p.arch.Layers, false)
	return total, nil
}
