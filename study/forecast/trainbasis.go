package forecast

import (
	"fmt"
	"strings"

	"aiecon/hw"
	"aiecon/model"
	"aiecon/sim"
)

// TrainBasis is what a variant's retrain costs from a period on: its
// dedicated cluster (Instances x Instance at USDPerHour each), its cadence
// and model FLOPs utilisation. The runs' training_retrain_hours and
// training_cost_per_retrain_usd (Period) complete it, so TRAIN = retrains
// a period x cost per retrain can be checked.
type TrainBasis struct {
	From       int     `json:"from"`
	Instances  int     `json:"instances"`
	Instance   string  `json:"instance"`
	USDPerHour float64 `json:"usd_per_hour"`
	EveryHours float64 `json:"every_hours"`
	MFU        float64 `json:"mfu"`
	// Pricing is training.pricing: "" (on demand, each retrain's hours) or
	// reserved (a committed cluster, paid for the whole cadence).
	Pricing string `json:"pricing,omitempty"`
}

// deref is *p, 0 for nil.
func deref(p *float64) float64 {
	if p == nil {
		return 0
	}
	return *p
}

// trainBases are a variant's training bases, one per change; a period
// without training ends a basis with a zero Instances step.
func (f *Forecast) trainBases(vp *VariantPlan) []TrainBasis {
	var out []TrainBasis
	for k := 1; k <= f.Spec.Periods.Count; k++ {
		b := TrainBasis{From: k}
		if t := f.trainingOf(vp, k); t != nil && t.Every > 0 {
			b = TrainBasis{From: k, Instances: t.Instances, Instance: t.Instance, USDPerHour: deref(t.PriceUSDPerHour),
				EveryHours: t.Every.Seconds() / 3600, MFU: t.MFU}
			if t.Pricing == hw.PricingReserved { // on-demand named or unset alike
				b.Pricing = t.Pricing
			}
			if in, err := hw.InstanceByName(t.Instance); err == nil {
				b.USDPerHour, _ = sim.TrainingPriceUSDPerHour(t, in) // 0 where neither gives one, as before
			}
		}
		last := TrainBasis{}
		if n := len(out); n > 0 {
			last = out[n-1]
		}
		if last.From, b.From = 0, 0; last != b {
			b.From = k
			out = append(out, b)
		}
	}
	return out
}

// trainingOf is a variant's training block in period k, with its defaults,
// read as if dedicated (a fleet-idle job is checked against the variant's
// placeholder count, and its cluster is the same); nil without one.
func (f *Forecast) trainingOf(vp *VariantPlan, k int) *model.Training {
	sc := f.scenarioIn(vp, k, func(string) bool { return true }, "training.where=dedicated")
	if sc == nil {
		return nil
	}
	return sc.Training
}

// trainNote states the TRAIN column's basis: per span of periods, the
// cadence and retrains a period, the dedicated cluster and its price, and
// the hours and cost of one retrain the runs reported. "" without training.
func (r *Report) trainNote(variant string) string {
	var bases []TrainBasis
	for _, fe := range r.Fleets {
		if fe.Variant == variant {
			bases = fe.Training
		}
	}
	var parts []string
	for i, b := range bases {
		if b.Instances == 0 {
			continue
		}
		to := r.Periods
		if i+1 < len(bases) {
			to = bases[i+1].From - 1
		}
		hours, usd := r.retrain(variant, b.From)
		span := []int{b.From}
		for k := b.From + 1; k <= to; k++ {
			span = append(span, k)
		}
		committed := ""
		if b.Pricing == hw.PricingReserved {
			committed = " reserved, paid for every hour of the cadence,"
		}
		parts = append(parts, fmt.Sprintf("%s: a retrain every %.4gh (%.3g a %s) on %d x %s at $%s/h each,%s MFU %.2g: %.3g h and $%s "+
			"a retrain", r.periodList(span), b.EveryHours, r.PeriodHours/b.EveryHours, r.PeriodLen, b.Instances, b.Instance,
			money(b.USDPerHour), committed, b.MFU, hours, money(usd)))
	}
	if len(parts) == 0 {
		return ""
	}
	return "TRAINING: " + strings.Join(parts, "; ") + ". TRAIN is the retrains of a period at that cost on the dedicated cluster " +
		"(on idle servers, what the lent replicas leave of them)."
}

// retrain is the hours and cost of one retrain the runs of a variant's
// period reported (the first sample's; they do not depend on the draws).
func (r *Report) retrain(variant string, k int) (hours, usd float64) {
	for _, s := range r.Summary {
		if s.Variant == variant && s.Period == k && len(s.Periods) > 0 {
			return s.Periods[0].TrainingRetrainHours, s.Periods[0].TrainingPerRetrainUSD
		}
	}
	return 0, 0
}
