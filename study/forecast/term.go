package forecast

import (
	"maps"
	"slices"

	"aiecon/hw"
)

// checkTerm checks each variant's procurement.term_years: 1 or 3 (AWS's
// Reserved Instance terms), given only where the variant reserves (its
// fleet or a pool at fleet.pricing: reserved in some period, or
// procurement.reserved), and 1 only
// where no rate it reserves at is the catalog's: those rates fit 3-year
// terms (reservedTermYears), and no 1-year rate at today's prices is
// published, so a 1-year term at them would bill a 3-year price for a
// year and call it so. The plan's own quote (fleet.price_usd_per_hour)
// may be held either term. The refusal names the instance, its rate and
// the term, rather than invent a 1-year rate.
func (f *Forecast) checkTerm(s *source) {
	for _, vp := range f.Variants {
		field := vp.at + ".procurement.term_years"
		years := vp.Procurement.TermYears
		if years == 0 && !s.given(field) {
			continue
		}
		if years != 1 && years != 3 {
			s.errf(field, "%d: want 1 or 3 (years: the terms AWS sells Reserved Instances for)", years)
			continue
		}
		for _, st := range f.reservedSteps(vp) {
			if rate, ok := catalogReserved(st.Instance); ok && years == 1 && samePrice(rate, st.USDPerHour) {
				s.errf(field, "1: the catalog's reserved rate for %s ($%g/h, the Neuron SDK's RI-effective rate) fits a 3-year term, "+
					"and no 1-year reserved rate for it is published; give your 1-year quote as fleet.price_usd_per_hour "+
					"(pools[NAME].fleet.price_usd_per_hour for a pool), or hold it 3 years", st.Instance, rate)
				break
			}
		}
		if !f.reserves(vp) {
			s.errf(field, "%d: the variant reserves nothing (no fleet or pool at fleet.pricing: reserved in any period), so no term applies", years)
		}
	}
}

// catalogReserved is the catalog's reserved rate for an instance, in USD
// an hour, and whether it has one.
func catalogReserved(instance string) (float64, bool) {
	in, err := hw.InstanceByName(instance)
	if err != nil {
		return 0, false
	}
	p, ok := in.Price(hw.PricingReserved)
	if !ok {
		return 0, false
	}
	return p.SI(), true
}

// reservedSteps are the rent steps of a variant's fleets at the reserved
// rate: its main fleet's where rented (an owned fleet's burst reserves
// nothing: reservedIdle) and its pools'.
func (f *Forecast) reservedSteps(vp *VariantPlan) []RentStep {
	var steps []RentStep
	if vp.Owned == nil {
		steps = f.rentSteps(vp)
	}
	pools := f.poolTracks(vp)
	for _, name := range slices.Sorted(maps.Keys(pools)) {
		steps = append(steps, pools[name].steps...)
	}
	return slices.DeleteFunc(steps, func(st RentStep) bool { return st.Pricing != hw.PricingReserved })
}

// reserves says whether a variant holds reservations: a fleet or pool at
// the reserved rate in some period, or procurement.reserved.
func (f *Forecast) reserves(vp *VariantPlan) bool {
	return vp.Procurement.Reserved > 0 || len(f.reservedSteps(vp)) > 0
}
