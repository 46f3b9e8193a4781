package forecast

import (
	"fmt"
	"maps"
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
// (Instances, an average over the period like INST; USD, in RENT). With a
// model mix, it adds up the main fleet's and the pools' (poolReservations),
// and Pools holds each pool's own, by name, where a pool at the reserved
// rate has any.
type IdleReservation struct {
	Instances float64                    `json:"instances"`
	USD       float64                    `json:"usd"`
	Pools     map[string]IdleReservation `json:"pools,omitempty"`
}

// add adds a pool's idle reservation, naming it.
func (r *IdleReservation) add(pool string, idle IdleReservation) {
	if idle.Instances <= 1e-9 && idle.USD == 0 {
		return
	}
	r.Instances += idle.Instances
	r.USD += idle.USD
	if r.Pools == nil {
		r.Pools = map[string]IdleReservation{}
	}
	r.Pools[pool] = idle
}

// reservation is a block of instances reserved together: N of Instance
// from period From, held termPeriods periods.
type reservation struct {
	Instance string
	N        float64
	From     int
}

// reservedIdle is, by (variant, sample, period), what each rented fleet at
// the reserved rate pays for reservations it does not use (reservations),
// and each pool of a model mix at it, beside a rented or an owned fleet
// (poolReservations). Only the plan's counts are read (capacitySets, the
// pools' own), so every shard of a split forecast computes the same
// figure for the periods it stores.
func (f *Forecast) reservedIdle() map[[3]int]IdleReservation {
	out := map[[3]int]IdleReservation{}
	for v, vp := range f.Variants {
		steps := f.rentSteps(vp)
		fleet := vp.Owned == nil && reservedIn(steps)
		pools := f.poolReservations(vp)
		if !fleet && pools == nil {
			continue
		}
		for _, in := range f.samples() {
			var main []IdleReservation
			if fleet {
				main = f.reservations(steps, func(k int) float64 { return f.meanRentedCount(vp, in, k) })
			}
			for k := 1; k <= f.Spec.Periods.Count; k++ {
				var idle IdleReservation
				if main != nil {
					idle = main[k-1]
				}
				for _, name := range slices.Sorted(maps.Keys(pools)) {
					idle.add(name, pools[name][k-1])
				}
				out[[3]int{v, in.Sample, k}] = idle
			}
		}
	}
	return out
}

// reservedIn says whether any of a fleet's rent steps is at the reserved
// rate.
func reservedIn(steps []RentStep) bool {
	return slices.ContainsFunc(steps, func(st RentStep) bool { return st.Pricing == hw.PricingReserved })
}

// reservations walks a fleet's periods (the main fleet's or a pool's: its
// rent steps, and used, the instances it runs in period k) and gives each
// period's idle reservation. A period's reserved count is used(k), what
// RENT already pays for (the main fleet's: the mean of its slices'
// counts); where it exceeds what is still reserved of its instance, the
// rest is reserved from that period for reservedTermYears. What is held
// and not used is paid on top, at the rate of its instance in force (a
// roadmap price step on the same instance reprices the reservation). A
// roadmap step to another instance, or to spot or Capacity Blocks, leaves
// the old reservation paid, at its last rate, to its term's end; a step to
// on-demand on the same instance uses it first (a reservation is a billing
// discount on matching instances), so there the runs' on-demand rent of
// the instances it covers is taken back. A period without a step (a pool
// the roadmap removed: Pricing "") runs nothing on it.
func (f *Forecast) reservations(steps []RentStep, used func(k int) float64) []IdleReservation {
	term := max(1, int(math.Round(reservedTermYears/f.PeriodYears)))
	out := make([]IdleReservation, f.Spec.Periods.Count)
	var held []reservation
	rate := map[string]float64{} // an instance's reserved rate, the latest in force
	for k := 1; k <= f.Spec.Periods.Count; k++ {
		held = slices.DeleteFunc(held, func(r reservation) bool { return k >= r.From+term })
		st, ok := stepAt(steps, k)
		inst, n := "", 0.0
		if ok && (st.Pricing == hw.PricingReserved || st.Pricing == hw.PricingOnDemand) {
			inst, n = st.Instance, used(k)
		}
		if ok && st.Pricing == hw.PricingReserved {
			rate[inst] = st.USDPerHour
			if have := heldOf(held, inst); n > have+1e-9 {
				held = append(held, reservation{Instance: inst, N: n - have, From: k})
			}
		}
		out[k-1] = f.idleOf(held, rate, st, n)
	}
	return out
}

// idleOf is what the reservations held cost beyond the used instances of
// step st's instance that run on them, at each instance's reserved rate
// (rate); the instances covered on a step off the reserved rate are
// repriced from st's price to the reserved one.
func (f *Forecast) idleOf(held []reservation, rate map[string]float64, st RentStep, used float64) IdleReservation {
	var idle IdleReservation
	for _, r := range held {
		n := r.N
		if r.Instance == st.Instance {
			cover := min(n, used)
			n, used = n-cover, used-cover
			idle.USD += cover * (rate[st.Instance] - st.USDPerHour) * f.PeriodHours // 0 at the reserved rate
		}
		idle.Instances += n
		idle.USD += n * rate[r.Instance] * f.PeriodHours
	}
	return idle
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
// in TestReservedIdleInRentAndNote's fleet). A model mix's pools at the
// reserved rate are paid alike, and each period names the pools' parts
// and the remedy names their pricing (TestReservedPoolPaysItsTerm).
func (r *Report) reservedIdleNote(variant string) string {
	parts, total, pools := r.reservedIdle(variant)
	if len(parts) == 0 {
		return ""
	}
	what, fix := "the fleet shrinks", "the fleet by the hour (fleet.pricing: on-demand)"
	if len(pools) > 0 {
		what = "the fleet or a pool shrinks"
		fix = "the fleet or the pool by the hour (fleet.pricing, " + pricingPaths(pools) + ": on-demand)"
	}
	return fmt.Sprintf("RESERVED INSTANCES IDLE: the reserved rate is a committed price, paid for every hour of the reservation's "+
		"term (taken as %d years: the catalog's RI-effective rates state none and fit 3-year terms) whether the instance runs or not, "+
		"so instances reserved for a busier period earlier in the term stay paid when %s: %s includes the reserved "+
		"instances held and not run, %s; $%s in all. Price %s where demand falls, "+
		"or compare with it.%s", reservedTermYears, what, r.words().rent, strings.Join(parts, ", "), money(total), fix,
		r.storedAs("reserved_idle_instances", "reserved_idle_usd"))
}

// pricingPaths are the pools' fleet.pricing paths:
// "pools[small].fleet.pricing".
func pricingPaths(pools []string) string {
	paths := make([]string, len(pools))
	for i, p := range pools {
		paths[i] = "pools[" + p + "].fleet.pricing"
	}
	return strings.Join(paths, ", ")
}

// reservedIdle words, per period whose RENT pays for reserved instances
// not run, how many and what they cost (P50 over the samples), with each
// pool's part where a model mix's pools hold any ("5 in quarter 2 ($89.8k;
// pool small: 3, $53.9k)"), and sums the cost; no parts where there are
// none. pools names the pools with a part, in name order.
func (r *Report) reservedIdle(variant string) (parts []string, total float64, pools []string) {
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
			part := fmt.Sprintf("%s in %s %d ($%s", instances(idle), r.PeriodLen, s.Period, money(m))
			for _, pool := range poolNames(s.Periods) {
				if pn, pusd := poolIdle(s.Periods, pool); pn > 1e-9 {
					part += fmt.Sprintf("; pool %s: %s, $%s", pool, instances(pn), money(pusd))
					if !slices.Contains(pools, pool) {
						pools = append(pools, pool)
					}
				}
			}
			parts = append(parts, part+")")
		}
	}
	slices.Sort(pools)
	return parts, total, pools
}

// poolNames are the pools with an idle reservation in any of a period's
// samples, in name order.
func poolNames(ps []Period) []string {
	var names []string
	for _, p := range ps {
		for name := range p.ReservedIdlePools {
			if !slices.Contains(names, name) {
				names = append(names, name)
			}
		}
	}
	slices.Sort(names)
	return names
}

// poolIdle is a pool's idle reservation in a period, its instances and
// cost, P50 over the samples (0 in a sample where it holds none).
func poolIdle(ps []Period, pool string) (n, usd float64) {
	ns := make([]float64, len(ps))
	usds := make([]float64, len(ps))
	for i, p := range ps {
		idle := p.ReservedIdlePools[pool]
		ns[i], usds[i] = idle.Instances, idle.USD
	}
	return float64(quantile(ns, 0.5)), float64(quantile(usds, 0.5))
}
