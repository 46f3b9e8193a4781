package forecast

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"aiecon/hw"
)

// reservedTermYears is the term a reserved rate commits to. AWS sells
// Reserved Instances for 1 or 3 years and bills every hour of the term,
// whether or not an instance runs (AWS EC2 User Guide, "Reserved
// Instances" and "How Reserved Instances are applied", apply_ri.html). The catalog's
// reserved rates are the Neuron SDK's "RI-effective" rates, which state no
// term; at 38-43% of on-demand they fit 3-year terms (hw's riNote, an
// estimate), so a reservation is held 3 years; no 1-year rate at today's
// prices is public, so no term can be chosen (model.ReservedTerm).
const reservedTermYears = 3

// IdleReservation is what a rented fleet at the reserved rate pays in a
// period for instances reserved earlier in their term and not needed now
// (Instances, an average over the period like INST; USD, in RENT).
type IdleReservation struct {
	Instances float64
	USD       float64
}

// reservation is a block of instances reserved together: N of Instance
// from period From, held termPeriods periods.
type reservation struct {
	Instance string
	N        float64
	From     int
}

// reservedIdle is, by (variant, sample, period), what each rented fleet at
// the reserved rate pays for reservations it does not use (reservations).
// Only the plan's counts are read (capacitySets), so every shard of a split
// forecast computes the same figure for the periods it stores.
func (f *Forecast) reservedIdle() map[[3]int]IdleReservation {
	out := map[[3]int]IdleReservation{}
	for v, vp := range f.Variants {
		steps := f.rentSteps(vp)
		if vp.Owned != nil || !slices.ContainsFunc(steps, func(st RentStep) bool { return st.Pricing == hw.PricingReserved }) {
			continue
		}
		for _, in := range f.samples() {
			for k, idle := range f.reservations(vp, in, steps) {
				out[[3]int{v, in.Sample, k + 1}] = idle
			}
		}
	}
	return out
}

// reservations walks a rented fleet's periods under sample inputs in and
// gives each period's idle reservation. A period's reserved count is the
// mean of its slices' counts, what RENT already pays for; where it exceeds
// what is still reserved of its instance, the rest is reserved from that
// period for reservedTermYears. What is held and not used is paid on top,
// at the rate of its instance in force (a roadmap price step on the same
// instance reprices the reservation). A roadmap step to another instance,
// or to spot or Capacity Blocks, leaves the old reservation paid, at its
// last rate, to its term's end; a step to on-demand on the same instance
// uses it first (a reservation is a billing discount on matching
// instances), so there the runs' on-demand rent of the instances it covers
// is taken back.
func (f *Forecast) reservations(vp *VariantPlan, in Inputs, steps []RentStep) []IdleReservation {
	term := max(1, int(math.Round(reservedTermYears/f.PeriodYears)))
	out := make([]IdleReservation, f.Spec.Periods.Count)
	var held []reservation
	rate := map[string]float64{} // an instance's reserved rate, the latest in force
	for k := 1; k <= f.Spec.Periods.Count; k++ {
		held = slices.DeleteFunc(held, func(r reservation) bool { return k >= r.From+term })
		st, ok := stepAt(steps, k)
		inst, used := "", 0.0
		if ok && (st.Pricing == hw.PricingReserved || st.Pricing == hw.PricingOnDemand) {
			inst, used = st.Instance, f.meanRentedCount(vp, in, k)
		}
		if ok && st.Pricing == hw.PricingReserved {
			rate[inst] = st.USDPerHour
			if have := heldOf(held, inst); used > have+1e-9 {
				held = append(held, reservation{Instance: inst, N: used - have, From: k})
			}
		}
		idle := &out[k-1]
		for _, r := range held {
			n := r.N
			if r.Instance == inst {
				cover := min(n, used)
				n, used = n-cover, used-cover
				idle.USD += cover * (rate[inst] - st.USDPerHour) * f.PeriodHours // 0 at the reserved rate
			}
			idle.Instances += n
			idle.USD += n * rate[r.Instance] * f.PeriodHours
		}
	}
	return out
}

// stepAt is the rent step in force in period k; false before the first.
func stepAt(steps []RentStep, k int) (RentStep, bool) {
	var at RentStep
	ok := false
	for _, st := range steps {
		if st.From <= k {
			at, ok = st, true
		}
	}
	return at, ok
}

// heldOf counts the instances of inst still reserved.
func heldOf(held []reservation, inst string) float64 {
	var n float64
	for _, r := range held {
		if r.Instance == inst {
			n += r.N
		}
	}
	return n
}

// meanRentedCount is a rented fleet's count in period k under sample
// inputs in, averaged over the day's slices (which run alike long), as
// capacitySets sets it.
func (f *Forecast) meanRentedCount(vp *VariantPlan, in Inputs, k int) float64 {
	_, volumes := f.periodSets(vp, in, k)
	var sum float64
	for s := 0; s < f.Spec.Day.Slices; s++ {
		n, _ := f.rentedCount(vp, k, volumes, s)
		sum += float64(n)
	}
	return sum / float64(f.Spec.Day.Slices)
}

// reservedIdleNote says in which periods RENT pays for reserved instances
// the fleet no longer uses, how many and what they cost (P50 over the
// samples): a reservation is paid to the end of its term, so a fleet at
// the reserved rate that shrank between periods kept paying, while the
// table counted only the instances it ran (30% of a seasonal year's rent
// in TestReservedIdleInRentAndNote's fleet).
func (r *Report) reservedIdleNote(variant string) string {
	parts, total := r.reservedIdle(variant)
	if len(parts) == 0 {
		return ""
	}
	return fmt.Sprintf("RESERVED INSTANCES IDLE: the reserved rate is a committed price, paid for every hour of the reservation's "+
		"term (taken as %d years: the catalog's RI-effective rates state none and fit 3-year terms) whether the instance runs or not, "+
		"so instances reserved for a busier period earlier in the term stay paid when the fleet shrinks: %s includes the reserved "+
		"instances held and not run, %s; $%s in all. Price the fleet by the hour (fleet.pricing: on-demand) where demand falls, "+
		"or compare with it.%s", reservedTermYears, r.words().rent, strings.Join(parts, ", "), money(total),
		r.storedAs("reserved_idle_instances", "reserved_idle_usd"))
}

// reservedIdle words, per period whose RENT pays for reserved instances
// not run, how many and what they cost (P50 over the samples), and sums
// the cost; no parts where there are none.
func (r *Report) reservedIdle(variant string) (parts []string, total float64) {
	for _, s := range r.Summary {
		if s.Variant != variant {
			continue
		}
		n := make([]float64, len(s.Periods))
		usd := make([]float64, len(s.Periods))
		for i, p := range s.Periods {
			n[i], usd[i] = p.ReservedIdle, p.ReservedIdleUSD
		}
		if idle := float64(quantile(n, 0.5)); idle > 1e-9 {
			m := float64(quantile(usd, 0.5))
			total += m
			parts = append(parts, fmt.Sprintf("%s in %s %d ($%s)", instances(idle), r.PeriodLen, s.Period, money(m)))
		}
	}
	return parts, total
}
