package forecast

import (
	"math"

	"aiecon/model"
)

// A retrain on idle serving capacity (training.where: fleet-idle) cannot be
// left to each slice's run: a run starts with a retrain due and lends
// replicas until it ends, so every slice, peak hours too, lent replicas for
// its whole window, where a real fleet trains the day's share of the retrain
// in its troughs and serves at its peaks. Each slice of a fleet-idle period
// instead owes a part of the day's share (training.quota, in multiples of
// its own pro-rata share): the slices below the day's mean demand owe it all,
// each in proportion to how far below the mean it is, and the others owe
// nothing and lend nothing. A slice's lender lends while its demand allows
// (lend_below) and stops once its quota is trained; what it leaves is billed
// on the dedicated cluster. The day's work is conserved (the quotas add up
// to the slices' count: every slice's share is owed by some trough), the
// quotas depend only on the plan (same seed, same numbers), and the seeds
// are untouched (common random numbers between variants).

// resolveIdleTraining marks the periods in which each variant trains on
// its serving fleet: training.where is fleet-idle once the forecast's set,
// the variant's and the roadmap so far apply (rawScenarios). A scenario
// that does not decode counts as not training on the fleet here;
// preflight refuses it with the reason.
func (f *Forecast) resolveIdleTraining() {
	for _, vp := range f.Variants {
		vp.IdleTraining = make([]bool, f.Spec.Periods.Count)
		for k, sc := range f.rawScenarios(vp) {
			vp.IdleTraining[k] = sc != nil && sc.Training != nil && sc.Training.Where == "fleet-idle"
		}
	}
}

// idleIn reports whether the variant trains on its fleet in period k.
func (vp *VariantPlan) idleIn(k int) bool { return k-1 < len(vp.IdleTraining) && vp.IdleTraining[k-1] }

// troughQuotas is what each slice of a day owes of the day's retrain, in
// multiples of its own share (training.quota): the slices whose load (the
// demand capacitySets sizes a rented fleet to) is below the day's mean owe
// the day's share in proportion to their depth below it; the others owe 0.
// The quotas add up to the slices' count, the whole day's share. A day
// without troughs (a flat curve) has every slice owe its own share.
func (f *Forecast) troughQuotas(ws []model.Workload, volumes []float64) []float64 {
	n := f.Spec.Day.Slices
	loads := make([]float64, n)
	mean := 0.0
	for s := range loads {
		loads[s] = f.sliceLoad(ws, volumes, s)
		mean += loads[s] / float64(n)
	}
	depth := make([]float64, n)
	total := 0.0
	for s, l := range loads {
		depth[s] = math.Max(0, mean-l)
		total += depth[s]
	}
	quotas := make([]float64, n)
	for s := range quotas {
		quotas[s] = 1
		if total > 1e-9*mean {
			quotas[s] = float64(n) * depth[s] / total
		}
	}
	return quotas
}
