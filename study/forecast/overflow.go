package forecast

import (
	"fmt"
	"strings"

	"aiecon/hw"
	"aiecon/model"
	"aiecon/model/format"
)

// A rented fleet on demand with procurement.reserved: N holds N instances
// reserved in every period and runs only the demand above them on demand,
// the "N reserved plus on-demand overflow" a buyer of Reserved Instances
// plans (AWS applies a reservation as a billing discount to any matching
// instance running: EC2 User Guide, "How Reserved Instances are applied",
// apply_ri.html). The runs price every instance on demand; the
// reservations (reserved.go) then bill the N at the reserved rate every
// hour of their term, reprice the instances that ran on them from the
// on-demand price to it, and count the rest of the N idle. Slice by slice:
// a slice running c instances runs min(c, N) on the reservation and the
// rest on demand, so a period's RENT is N x rate + on-demand x the mean of
// max(0, c - N) over its slices, times its hours (TestOverflowRent). The
// period's mean count would hide a peak slice's overflow behind a trough.

// mainTrack is a rented variant's main fleet as a reservation sees it in
// sample in: at the reserved rate it reserves its mean count; on demand
// under procurement.reserved it commits to N and runs on them what each
// slice's count fits under N.
func (f *Forecast) mainTrack(vp *VariantPlan, in Inputs, steps []RentStep) fleetTrack {
	count := func(k int) float64 { return f.meanRentedCount(vp, in, k) }
	tr := fleetTrack{steps: steps, reserve: count, paid: count}
	if n := vp.Procurement.Reserved; n > 0 {
		rate, _ := f.overflowRate(vp) // checked in checkOverflow
		tr.commit = &RentStep{From: 1, Instance: vp.Instance, USDPerHour: rate, Pricing: hw.PricingReserved}
		tr.commitN = float64(n)
		tr.paid = func(k int) float64 { return f.coveredRentedCount(vp, in, k, float64(n)) }
	}
	return tr
}

// coveredRentedCount is the mean over period k's slices of the instances
// each runs on a reservation of n: min(count, n).
func (f *Forecast) coveredRentedCount(vp *VariantPlan, in Inputs, k int, n float64) float64 {
	_, volumes := f.periodSets(vp, in, k)
	var sum float64
	for s := 0; s < f.Spec.Day.Slices; s++ {
		c, _ := f.rentedCount(vp, k, volumes, s)
		sum += min(float64(c), n)
	}
	return sum / float64(f.Spec.Day.Slices)
}

// overflowRate is the reserved rate of a variant's procurement.reserved:
// the plan's (reserved_usd_per_hour), else the catalog's for its instance,
// which fits a 3-year term; why not where neither applies.
func (f *Forecast) overflowRate(vp *VariantPlan) (float64, string) {
	if r := vp.Procurement.ReservedUSDPerHour; r != nil {
		return *r, ""
	}
	rate, ok := catalogReserved(vp.Instance)
	switch {
	case !ok:
		return 0, fmt.Sprintf("the catalog has no reserved rate for %s (for a %s term): give your quote as "+
			"procurement.reserved_usd_per_hour", vp.Instance, format1or3(vp.termYears()))
	case vp.termYears() == 1:
		return 0, fmt.Sprintf("the catalog's reserved rate for %s ($%g/h, the Neuron SDK's RI-effective rate) fits a 3-year term, and "+
			"no 1-year reserved rate for it is published: give your 1-year quote as procurement.reserved_usd_per_hour, or hold it 3 years",
			vp.Instance, rate)
	}
	return rate, ""
}

// overflowRateSource names where overflowRate takes a variant's rate from.
func overflowRateSource(vp *VariantPlan) string {
	if vp.Procurement.ReservedUSDPerHour != nil {
		return "procurement.reserved_usd_per_hour"
	}
	return "the catalog's RI-effective rate"
}

// reservedAt says at what rate procurement.reserved bills its instances
// and where the rate comes from: " at $10/h (procurement.reserved_usd_per_hour)";
// "" in a report stored before the rate was kept.
func reservedAt(fe *FleetEconomy) string {
	if fe.ReservedRateSource == "" {
		return ""
	}
	return fmt.Sprintf(" at $%g/h (%s)", fe.ReservedUSDPerHour, fe.ReservedRateSource) // a rate in full, as quoted
}

// format1or3 names a term: "1-year", "3-year".
func format1or3(years int) string { return fmt.Sprintf("%d-year", years) }

// checkOverflow checks procurement.reserved and reserved_usd_per_hour: a
// rented fleet's, on demand in every period (the overflow runs on
// on-demand instances; a fleet at the reserved rate reserves its own
// count), at most a fleet's instances, and at a rate the catalog or the
// plan gives for the variant's term, never one made up.
func (f *Forecast) checkOverflow(s *source) {
	for _, vp := range f.Variants {
		pat := vp.at + ".procurement"
		p := vp.Procurement
		if p.Reserved == 0 && !s.given(pat+".reserved") {
			if p.ReservedUSDPerHour != nil {
				s.errf(pat+".reserved_usd_per_hour", "the rate of procurement.reserved, which is not given")
			}
			continue
		}
		switch {
		case vp.Owned != nil || p.Mode != Rented:
			s.errf(pat+".reserved", "%d: an owned fleet's servers are its own; reserved instances with on-demand overflow are for a rented fleet", p.Reserved)
			continue
		case p.Reserved < 1 || p.Reserved > model.MaxInstances:
			s.errf(pat+".reserved", "%d: want 1 to %d instances", p.Reserved, model.MaxInstances)
			continue
		case p.ReservedUSDPerHour != nil && !(*p.ReservedUSDPerHour >= 0 && *p.ReservedUSDPerHour <= model.MaxMagnitude):
			s.errf(pat+".reserved_usd_per_hour", "%g: want a price from 0 to %g", *p.ReservedUSDPerHour, model.MaxMagnitude)
			continue
		}
		for _, st := range f.rentSteps(vp) {
			if st.Pricing != hw.PricingOnDemand {
				s.errf(pat+".reserved", "%d: the demand above the reserved instances runs on demand, but the fleet pays %s from %s %d "+
					"(fleet.pricing must be on-demand in every period; a fleet at pricing: reserved reserves its own count)",
					p.Reserved, st.Pricing, f.Spec.Periods.Length, st.From)
				break
			}
		}
		if _, why := f.overflowRate(vp); why != "" {
			s.errf(pat+".reserved", "%d: %s", p.Reserved, why)
		}
	}
}

// overflowIdleNote is RESERVED INSTANCES IDLE for a fleet with
// procurement.reserved: the reserved instances are paid every hour of the
// term, so the slices that run fewer leave the rest idle, and the remedy
// is the count reserved, not the fleet's pricing (already on demand).
// Where the roadmap moves the fleet to another instance, the reservation
// (of period 1's) is idle from then to its term's end and not renewed,
// which the note says: it advised lowering the count toward what the
// slices run, of another instance.
func (r *Report) overflowIdleNote(variant string, reserved int, parts []string, total float64, repriced string, stored []string) string {
	remedy := "Lower procurement.reserved toward the fewest instances the slices run, or compare with it."
	if moved := r.movedOff(variant); moved != "" {
		remedy = moved
	}
	return fmt.Sprintf("RESERVED INSTANCES IDLE: procurement.reserved holds %s reserved%s, paid for every hour of the reservation's term (%s) "+
		"whether they run or not, and runs only the demand above them on demand, so the slices that run fewer leave the rest idle: "+
		"%s instances held and not run, %s; $%s in all.%s %s%s", format.Plural(reserved, "instance"), reservedAt(r.fleet(variant)),
		r.termWords(variant), r.idlePaidWords(variant),
		strings.Join(parts, ", "), money(total), repriced, remedy, r.storedAs(stored...))
}

// movedOff says, where a variant's roadmap moves its fleet off the
// instance procurement.reserved holds (period 1's), from when, and that
// the reservation is paid to its term's end and not renewed; "" where
// the fleet keeps its instance.
func (r *Report) movedOff(variant string) string {
	fe := r.fleet(variant)
	if fe == nil || len(fe.Rent) == 0 {
		return ""
	}
	first := fe.Rent[0].Instance
	for _, st := range fe.Rent[1:] {
		if st.Instance != "" && first != "" && st.Instance != first {
			return fmt.Sprintf("From %s %d the fleet runs %s, not the %s procurement.reserved holds: the reservation is paid, idle, "+
				"to its term's end and not renewed. Reserve no more %s than the fleet runs before then, or compare with "+
				"procurement.reserved left out.", r.PeriodLen, st.From, st.Instance, first, first)
		}
	}
	return ""
}
