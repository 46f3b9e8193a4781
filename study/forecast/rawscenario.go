package forecast

import (
	"slices"
	"strings"

	"aiecon/model"
)

// resolveAutoscale records, period by period, whether a variant's runs
// have an autoscaler: the base's fleet.autoscale as the forecast's, the
// variant's and the roadmap's sets so far leave it (one may add it, or
// remove the base's with fleet.autoscale: null). capacitySets pins it to
// the slice's fleet. The base's alone decided: an autoscaler a variant
// added kept its own bounds (a rented fleet sized at 4 for a slice ran
// anywhere from 1 to 8, an owned fleet without burst rented instances
// above its servers), and one a variant removed was put back.
func (f *Forecast) resolveAutoscale() {
	for _, vp := range f.Variants {
		vp.autoscaled = make([]bool, f.Spec.Periods.Count)
		for k, sc := range f.rawScenarios(vp) {
			if sc == nil { // preflight refuses it with the reason
				sc = f.Base.Scenario
			}
			vp.autoscaled[k] = sc.Fleet.Autoscale != nil
		}
	}
}

// autoscaledIn reports whether the variant's runs in period k have an
// autoscaler (resolveAutoscale).
func (vp *VariantPlan) autoscaledIn(k int) bool {
	return k-1 < len(vp.autoscaled) && vp.autoscaled[k-1]
}

// rawScenarios are a variant's scenarios in each period, the base under
// the forecast's set, the variant's and the roadmap so far, decoded
// without resolving them (nil where one does not decode): the period's
// fleet count is not among the sets, and resolving would check the
// variant's placeholder count against what a count bounds (the replicas
// a fleet-idle retrain lends, an autoscaler's min and max). Each distinct
// list of sets is decoded once.
func (f *Forecast) rawScenarios(vp *VariantPlan) []*model.Scenario {
	base, _ := setStrings(f.Spec.Set) // checked in loadBase
	if f.raw == nil {
		f.raw = map[string]*model.Scenario{}
	}
	out := make([]*model.Scenario, f.Spec.Periods.Count)
	for k := 1; k <= f.Spec.Periods.Count; k++ {
		sets := append(slices.Clone(base), f.roadmapSets(vp, k)...)
		key := strings.Join(sets, "\n")
		sc, ok := f.raw[key]
		if !ok {
			sc = f.rawScenario(sets)
			f.raw[key] = sc
		}
		out[k-1] = sc
	}
	return out
}

// rawScenario is the base scenario under sets, decoded without resolving
// it; nil if it does not decode.
func (f *Forecast) rawScenario(sets []string) *model.Scenario {
	var overrides []model.Override
	for _, s := range sets {
		o, err := model.ParseOverride(s)
		if err != nil {
			return nil
		}
		overrides = append(overrides, o)
	}
	sc, err := f.decodedBase().Parse(overrides)
	if err != nil {
		return nil
	}
	return sc
}
