package model

// FreshnessMultiplies reports whether model freshness, which a training
// block models, multiplies anything the run earns: the click-through of
// the ads shown on agent turns (an ads block beside an agent workload) or
// the conversion of a completed session (an agent workload converting
// above 0). Without either, a training block changes its cost alone, and
// its revenue is what it would be without one (research-licensing, which
// sells no ads or orders, earns the same at every cadence), so a
// comparison has no change of model in its ads and commerce to warn of.
func (sc *Scenario) FreshnessMultiplies() bool {
	for _, w := range sc.Workloads {
		if w.Agent == nil {
			continue
		}
		if sc.Ads != nil || w.Agent.Value.Conversion > 0 {
			return true
		}
	}
	return false
}
