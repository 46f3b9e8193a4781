package hw

import (
	"slices"

	"aiecon/model/llm"
)

// PricedBy splits one iteration's time (IterationSeconds) by the constant
// that prices each part of it, by ConstantNames' name: a GEMM's time goes to
// gemm_scale where it is compute bound and to hbm_frac where it streams its
// weights; decode attention's to attn_scale or to kv_frac (the KV read,
// which kv_group_exp multiplies: both price it, so it is kept under
// kv_frac alone and the parts sum to the total); a memory pass's to
// hbm_frac; an all-reduce's latency to collective_s and its bytes over the
// link to link_frac; the fixed costs to layer_s and prefill_s. It says what
// share of a step a constant no measurement pins can move, which the step's
// total alone hides.
func (p *Perf) PricedBy(ops []llm.Op, layers int, prefill bool) (total float64, by map[string]float64) {
	by = map[string]float64{}
	add := func(name string, s float64) {
		by[name] += s
		total += s
	}
	add("layer_s", float64(layers)*p.Serving.LayerS)
	if prefill {
		add("prefill_s", p.Serving.PrefillS)
	}
	for _, op := range ops {
		if op.Count <= 0 {
			continue
		}
		n := float64(op.Count)
		switch op.Kind {
		case llm.OpGEMM:
			c, m := p.computeSeconds(op), op.Bytes/p.memBytesPerS
			add(boundBy(c, m, "gemm_scale", "hbm_frac"), max(c, m)*n)
		case llm.OpAttention:
			c, m := p.computeSecondsAt(op, p.Serving.AttnScale), op.Bytes*kvReads(op, p.Serving.KVGroupExp)/p.attnBytesPerS
			add(boundBy(c, m, "attn_scale", "kv_frac"), max(c, m)*n)
		case llm.OpMemory:
			add("hbm_frac", op.Bytes/p.memBytesPerS*n)
		case llm.OpAllReduce:
			if op.Group > 1 {
				g := float64(op.Group)
				add("collective_s", p.Serving.CollectiveS*n)
				add("link_frac", 2*(g-1)/g*op.Bytes/(p.Device.LinkBytesPerS*p.Serving.LinkFrac)*n)
			}
		}
	}
	return total, by
}

// boundBy names the constant of the bound that prices an op: compute's
// where it is at least the memory bound, as OpSeconds' max takes it.
func boundBy(compute, memory float64, computeName, memoryName string) string {
	if compute >= memory {
		return computeName
	}
	return memoryName
}

// InheritedConstants are the constants s's family takes from another
// family's rows rather than fitting to its own (its fit plan: neuron-v3
// takes layer_s, collective_s, kv_frac, kv_group_exp and link_frac from
// neuron-v2), in ConstantNames' order, less those the scenario sets itself
// (ScenarioSet), with that family's name and what its rows were (as the
// inherited-constants note says them); none where the family fits all
// nine to its own rows.
func (s Serving) InheritedConstants() (names []string, base, rows string) {
	fam, err := stepFamilyByName(s.Family)
	if err != nil {
		return nil, "", ""
	}
	base, free := fam.fitPlan()
	if base == "" {
		return nil, "", ""
	}
	from, err := inheritedServing(base, s.Family)
	if err != nil {
		return nil, "", ""
	}
	for _, c := range ConstantNames {
		if !slices.Contains(free, c.Name) && !slices.Contains(s.ScenarioSet, c.Name) {
			names = append(names, c.Name)
		}
	}
	return names, base, from.fittedRows()
}
