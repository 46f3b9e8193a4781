package forecast

import (
	"fmt"
	"slices"
	"strings"

	"aiecon/model"
)

// A per-use contract prices its workload's retrievals through the
// simulator's agent.retrieval.fee_per_doc and revenue_share, which the
// runs set to the contract's in every period it is in force
// (contractSets). A variant's or a roadmap step's own fee or share for
// that workload was replaced there without a word, and a retrieval block a
// set removed was put back with its defaults (or, with provenance tokens,
// the forecast panicked). checkContractSets refuses them at their line.

// checkContractSets refuses a set that gives a workload a per-use contract
// covers another retrieval fee or revenue share than the base's (the
// forecast's set included), or removes its retrieval, in a period the
// contract is in force; and, where the contract is in force from period 1,
// a forecast-wide set of either, which no run would use.
func (f *Forecast) checkContractSets(s *source) {
	reported := map[string]bool{} // a forecast-wide step's problem is named once, not per variant
	for i, c := range f.Spec.Licensing {
		if !perUse(c.Kind) {
			continue
		}
		from := max(c.From, 1)
		terms := fmt.Sprintf("licensing[%d] (%s, %s) prices its retrievals from %s %d", i, c.Name, c.Kind, f.Spec.Periods.Length, from)
		if from == 1 {
			if pos, field, ok := findKey([]placedSet{{"set", f.Spec.Set}}, retrievalPrice(c.Workload, -1)); ok {
				s.errfAt(pos, field, "sets workload %s's retrieval fee or revenue share, but %s: the contract's terms replace them in every run, "+
					"so this value is never used; change the contract's fee_per_doc or share", c.Workload, terms)
			}
		}
		bi := slices.IndexFunc(f.workloadsOf(), func(w model.Workload) bool { return w.Name == c.Workload })
		base := f.workloadsOf()[bi].Agent.Retrieval // checkLicensing: the base's workload retrieves
		for _, vp := range f.Variants {
			for k := from; k <= f.Spec.Periods.Count; k++ {
				w := f.workloadsIn(vp, k)[bi] // resolveDemand keeps the base's names and order
				msg := ""
				switch {
				case w.Agent == nil || w.Agent.Retrieval == nil:
					msg = fmt.Sprintf("removes workload %s's agent.retrieval, but %s: its runs would put the block back, with its defaults, to charge the "+
						"contract's fee; to retrieve nothing keep the block and set its probability to 0", c.Workload, terms)
				case w.Agent.Retrieval.FeePerDoc != base.FeePerDoc || w.Agent.Retrieval.RevenueShare != base.RevenueShare:
					msg = fmt.Sprintf("gives workload %s a retrieval fee_per_doc of %g and revenue_share of %g, but %s: the contract's terms replace the "+
						"workload's in every period it is in force, so this one would be replaced without a word. Contracts are the forecast's, "+
						"the same for every variant: change licensing[%d]'s terms (a forecast of their own compares other terms)",
						c.Workload, w.Agent.Retrieval.FeePerDoc, w.Agent.Retrieval.RevenueShare, terms, i)
					if from > 1 {
						msg += fmt.Sprintf(", or give a fee before %s %d in the forecast's set", f.Spec.Periods.Length, from)
					}
				default:
					continue
				}
				pos, field, _ := findKey(f.setsIn(vp, k), retrievalPrice(c.Workload, bi))
				if key := field + msg; !reported[key] {
					reported[key] = true
					s.errfAt(pos, field, "%s", msg)
				}
				break // one message a contract and variant
			}
		}
	}
}

// checkProvenanceTokens refuses, at the contract's line, provenance tokens
// that take a document of its workload past model.MaxTokensPerDoc in a
// variant's scenario of a period the contract is in force: the runs add
// them to the workload's tokens_per_doc (contractSets), and the sum was
// refused only when the runs were planned, as a --set nobody typed. It
// runs after checkContractSets, which keeps the workload's retrieval.
func (f *Forecast) checkProvenanceTokens(s *source) {
	for i, c := range f.Spec.Licensing {
		if !perUse(c.Kind) || c.ProvenanceTokens == 0 {
			continue
		}
		bi := slices.IndexFunc(f.workloadsOf(), func(w model.Workload) bool { return w.Name == c.Workload })
	variants:
		for _, vp := range f.Variants {
			for k := max(c.From, 1); k <= f.Spec.Periods.Count; k++ {
				tokens := f.workloadsIn(vp, k)[bi].Agent.Retrieval.TokensPerDoc
				if tokens+c.ProvenanceTokens > model.MaxTokensPerDoc {
					s.errf(fmt.Sprintf("licensing[%d].provenance_tokens", i), "%d: added to workload %s's %d tokens a document (variant %s, %s %d), "+
						"its runs would read %d, past the %d a document may hold", c.ProvenanceTokens, c.Workload, tokens, vp.Name, f.Spec.Periods.Length, k,
						tokens+c.ProvenanceTokens, model.MaxTokensPerDoc)
					break variants // once a contract
				}
			}
		}
	}
}

// setsIn are the sets that make a variant's scenario in period k, in the
// order they apply: its own set, then its timeline's steps so far.
func (f *Forecast) setsIn(vp *VariantPlan, k int) []placedSet {
	var out []placedSet
	for j := 0; j <= k; j++ {
		out = append(out, f.setsFrom(vp, j)...)
	}
	return out
}

// findKey is blame that also says whether a key matched.
func findKey(sets []placedSet, match func(string) bool) (pos, field string, ok bool) {
	if len(sets) == 0 {
		return "", "", false
	}
	pos, field = blame(sets, match)
	for _, ps := range sets {
		for _, it := range ps.set {
			ok = ok || match(strings.TrimSpace(fmt.Sprint(it.Key)))
		}
	}
	return pos, field, ok
}

// retrievalPrice matches a set path that can change the retrieval fee or
// revenue share of workload name (at index i of the list; -1: by name
// only): the list, the workload, its agent, its retrieval block or one of
// the two fields.
func retrievalPrice(name string, i int) func(string) bool {
	return func(path string) bool {
		if path == "workloads" {
			return true
		}
		sels := []string{name}
		if i >= 0 {
			sels = append(sels, fmt.Sprint(i))
		}
		for _, sel := range sels {
			rest, ok := strings.CutPrefix(path, "workloads["+sel+"]")
			if ok && slices.Contains([]string{"", ".agent", ".agent.retrieval", ".agent.retrieval.fee_per_doc", ".agent.retrieval.revenue_share"}, rest) {
				return true
			}
		}
		return false
	}
}
