package forecast

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"

	"aiecon/model"
)

// A variant's set and the roadmap may change a workload's rate, prices,
// diurnal curve, conversion or retrieval, and the ads' click-through. The
// runs took them from the base scenario, after the variant's and roadmap's
// sets, so a variant that served ten times the traffic ran the base's, and a
// variant's own price was replaced by the base's times the price step. Each
// variant's scenario in each period is resolved here instead (the base, the
// forecast's set, the variant's, the roadmap so far), and the plan's growth,
// price steps and draws apply on top of what it holds.

// resolveDemand resolves every variant's scenario in every period, the
// source of each workload's rate, prices and diurnal curve (periodSets,
// rateSets), and refuses, at the set that makes it, a change the plan
// cannot apply on top: one to the workloads' names, a planned workload
// that no longer arrives at a rate, or a price of a workload the plan makes
// elastic. The scenario is resolved again only where the variant's set
// (period 0 here) or a roadmap step starts.
func (f *Forecast) resolveDemand(s *source) {
	loaded := map[string]*model.Scenario{}
	reported := map[string]bool{} // a forecast-wide step's problem is named once, not per variant
	fail := func(pos, field, format string, args ...any) {
		if key := field + fmt.Sprintf(format, args...); !reported[key] {
			reported[key] = true
			s.errfAt(pos, field, format, args...)
		}
	}
	for _, vp := range f.Variants {
		vp.demand = make([]*model.Scenario, f.Spec.Periods.Count)
		current := f.Base.Scenario
		for k := 0; k <= f.Spec.Periods.Count; k++ {
			if sets := f.setsFrom(vp, k); len(sets) > 0 {
				sc, err := f.demandScenario(vp, k, loaded)
				if err != nil {
					pos, field := blame(sets, touchesDemand)
					if errors.Is(err, model.ErrInterrupted) { // stopped, not refused (source.stopped)
						s.errfAt(pos, field, "the scenario does not load with it: %v", err)
						return
					}
					fail(pos, field, "the scenario does not load with it: %s", setLoadFailure(err))
					break
				}
				if !f.checkDemand(sc, sets, fail) {
					break
				}
				current = sc
			}
			if k > 0 {
				vp.demand[k-1] = current
			} else {
				vp.setDemand = current
			}
		}
	}
}

// setLoadFailure is why a variant's or roadmap step's scenario does not
// load, without the "--set ads.ctr=5: " that the loader names a problem a
// set causes by: the sets are the forecast's own entries, which the
// refusal places at their line, and no --set was typed. A problem of the
// base scenario's own text keeps its file and line.
func setLoadFailure(err error) string {
	var errs model.Errors
	if !errors.As(err, &errs) {
		return err.Error()
	}
	lines := make([]string, len(errs))
	for i, e := range errs {
		lines[i] = e.Error()
		if strings.HasPrefix(e.File, "--set ") {
			lines[i] = e.Unplaced()
		}
	}
	return strings.Join(lines, "; ")
}

// placedSet is a set of the file and where it is written (variants[1].set).
type placedSet struct {
	at  string
	set yaml.MapSlice
}

// setsFrom are the sets that change a variant's scenario from period k
// on, in the order they apply: for k = 0 the variant's own set, else its
// timeline's steps from k.
func (f *Forecast) setsFrom(vp *VariantPlan, k int) []placedSet {
	if k == 0 {
		if len(vp.Set) == 0 {
			return nil
		}
		return []placedSet{{vp.at + ".set", vp.Set}}
	}
	var out []placedSet
	for _, st := range f.timeline(vp) {
		if st.From == k {
			out = append(out, placedSet{st.at + ".set", st.Set})
		}
	}
	return out
}

// blame is the position and field name of the first key of sets that
// match accepts, or of the first set itself when none does. A key holding
// a dot or a selector is quoted in the position's path.
func blame(sets []placedSet, match func(string) bool) (pos, field string) {
	for _, ps := range sets {
		for _, it := range ps.set {
			if key := strings.TrimSpace(fmt.Sprint(it.Key)); match(key) {
				return keyPos(ps.at, key), ps.at + "." + key
			}
		}
	}
	return sets[0].at, sets[0].at
}

// demandScenario is a variant's scenario in period k (0: its set alone, no
// step), from the base, the forecast's set and the sets that move demand
// and prices (workloads and ads) of the variant and its roadmap so far: a
// variant's training block would refuse the base's fleet count, which its
// runs replace. Where those sets need the others (a longer prompt for a
// larger model), every set is applied.
func (f *Forecast) demandScenario(vp *VariantPlan, k int, loaded map[string]*model.Scenario) (*model.Scenario, error) {
	base, _ := setStrings(f.Spec.Set) // checked in loadBase
	all, _ := setStrings(vp.Set)      // checked in resolveVariants
	all = append(all, f.stepSets(vp, k)...)
	var demand []string
	for _, set := range all {
		if path, _, _ := strings.Cut(set, "="); touchesDemand(strings.TrimSpace(path)) {
			demand = append(demand, set)
		}
	}
	var firstErr error
	for _, sets := range [][]string{demand, all} {
		sets = append(slices.Clone(base), sets...)
		key := strings.Join(sets, "\n")
		if sc, ok := loaded[key]; ok {
			return sc, nil
		}
		l, err := f.decodedBase().ResolveSets(sets)
		if err == nil {
			loaded[key] = l.Scenario
			return l.Scenario, nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return nil, firstErr
}

// touchesDemand reports whether a set path can change what the plan
// scales: the workloads (rates, prices, curves, conversion, retrieval) or
// the ads.
func touchesDemand(path string) bool {
	for _, root := range []string{"workloads", "ads"} {
		if rest, ok := strings.CutPrefix(path, root); ok && (rest == "" || rest[0] == '.' || rest[0] == '[') {
			return true
		}
	}
	return false
}

// checkDemand refuses what the plan cannot scale in a variant's scenario:
// workloads other than the base's (the plan, contracts and report follow
// the base's names), a planned workload that no longer arrives at a rate
// (growth scales a poisson or gamma rate), and a price of a workload the
// plan makes elastic (its volume is (p/p0)^elasticity of the price steps
// alone, so a price set here would leave its demand where the base price
// puts it). It reports false after a refusal.
func (f *Forecast) checkDemand(sc *model.Scenario, sets []placedSet, fail func(pos, field, format string, args ...any)) bool {
	base := f.Base.Scenario
	names := func(sc *model.Scenario) string {
		var out []string
		for _, w := range sc.Workloads {
			out = append(out, w.Name)
		}
		return strings.Join(out, ", ")
	}
	if names(sc) != names(base) {
		pos, field := blame(sets, touchesDemand)
		fail(pos, field, "makes the workloads %s, where the base scenario has %s: a variant or roadmap step may change a workload's fields, not the names "+
			"(the forecast's workloads plan, contracts and report follow the base's)", names(sc), names(base))
		return false
	}
	for i, w := range sc.Workloads {
		plan, planned := f.Spec.Workloads[w.Name]
		if !planned {
			continue
		}
		mine := func(path string) bool { return touchesWorkload(path, w.Name, i) }
		if p := w.Arrivals.Process; p != "poisson" && p != "gamma" {
			pos, field := blame(sets, mine)
			fail(pos, field, "makes workload %s arrive by %s; the plan (workloads.%s) scales its demand, a poisson or gamma rate", w.Name, p, w.Name)
			return false
		}
		if plan.Elasticity != 0 && !samePrices(w, base.Workloads[i]) {
			pos, field := blame(sets, mine)
			fail(pos, field, "changes the prices of workload %s, whose demand the plan makes elastic (elasticity %g): its volume answers the "+
				"price steps of workloads.%s.prices on the base's prices, not a price set here; move the price with a step there, "+
				"or set it in the forecast's set for every variant", w.Name, plan.Elasticity, w.Name)
			return false
		}
	}
	return true
}

// touchesWorkload reports whether a set path can change workload name (at
// index i of the list): the list, the workload or one of its fields.
func touchesWorkload(path, name string, i int) bool {
	if path == "workloads" {
		return true
	}
	for _, sel := range []string{name, fmt.Sprint(i)} {
		if rest, ok := strings.CutPrefix(path, "workloads["+sel+"]"); ok && (rest == "" || rest[0] == '.') {
			return true
		}
	}
	return false
}

// samePrices reports whether two versions of a workload charge alike:
// token prices and, for an agent, the session fee.
func samePrices(a, b model.Workload) bool {
	if a.Price.InputPerMTok != b.Price.InputPerMTok || a.Price.OutputPerMTok != b.Price.OutputPerMTok ||
		a.Price.CachedInput() != b.Price.CachedInput() {
		return false
	}
	if a.Agent == nil || b.Agent == nil {
		return a.Agent == nil && b.Agent == nil
	}
	return a.Agent.Value.Fee == b.Agent.Value.Fee
}

// workloadsIn are a variant's workloads in period k, as its scenario there
// holds them (resolveDemand): the source of their rates, prices, curves,
// conversion and retrieval.
func (f *Forecast) workloadsIn(vp *VariantPlan, k int) []model.Workload {
	if sc := vp.scenario(k); sc != nil {
		return sc.Workloads
	}
	return f.workloadsOf()
}

// adsIn are a variant's ads in period k (nil without ads).
func (f *Forecast) adsIn(vp *VariantPlan, k int) *model.Ads {
	if sc := vp.scenario(k); sc != nil {
		return sc.Ads
	}
	return f.Base.Scenario.Ads
}

// scenario is the variant's resolved scenario in period k, nil before
// resolveDemand.
func (vp *VariantPlan) scenario(k int) *model.Scenario {
	if k < 1 || k > len(vp.demand) {
		return nil
	}
	return vp.demand[k-1]
}
