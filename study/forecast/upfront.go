package forecast

import (
	"fmt"
	"strings"
)

// How a variant's reservations are paid (procurement.payment). AWS sells
// Reserved Instances with no, partial or all of the term paid up front
// (AWS EC2 User Guide, "Reserved Instances");
// the catalog's reserved rates are effective hourly rates that state no
// payment option, so both options here bill the same rate and differ only
// in when the term's cost is booked: by the hour over the term, or the
// whole term in the period a reservation is bought. No discount for paying
// up front is assumed: none is among the catalog's sources.
const (
	PaymentNoUpfront  = "no-upfront"
	PaymentAllUpfront = "all-upfront"
)

// upfrontShift is what paying period k's reservations all up front moves
// RENT by: the whole term of each block bought in k (its instances x its
// rate when bought x the term's periods x a period's hours, booked even
// where the term runs past the forecast's last period, as it is paid),
// less the hourly charge RENT holds for every block held in k (its
// instances x the rate in force x a period's hours: what the runs on it,
// its repricing and its idle part add up to, reservedIdle), paid when it
// was bought.
func (f *Forecast) upfrontShift(bought, held []reservation, rate map[string]float64, term int) float64 {
	var usd float64
	for _, r := range bought {
		usd += r.N * rate[r.Instance] * float64(term) * f.PeriodHours
	}
	for _, r := range held {
		usd -= r.N * rate[r.Instance] * f.PeriodHours
	}
	return usd
}

// checkPayment checks procurement.payment: no-upfront or all-upfront,
// given only where the variant reserves (as a term: checkTerm).
func (f *Forecast) checkPayment(s *source) {
	for _, vp := range f.Variants {
		field := vp.at + ".procurement.payment"
		pay := vp.Procurement.Payment
		if pay == "" && !s.given(field) {
			continue
		}
		if pay != PaymentNoUpfront && pay != PaymentAllUpfront {
			s.errf(field, "%q: want %s (billed by the hour over the term, the default) or %s (the term's cost booked when bought)",
				pay, PaymentNoUpfront, PaymentAllUpfront)
			continue
		}
		if !f.reserves(vp) {
			s.errf(field, "%s: the variant reserves nothing (no fleet or pool at fleet.pricing: reserved in any period, "+
				"nor procurement.reserved), so there is nothing to pay for", pay)
		}
	}
}

// upfrontNote is RESERVED ALL UPFRONT under the table of a variant whose
// reservations are paid up front: RENT books each reservation's whole term
// in the period it is bought and nothing an hour for it after, so a
// period's RENT is not its running cost. "" for any other variant.
func (r *Report) upfrontNote(variant string) string {
	var parts []string
	for _, s := range r.Summary {
		if s.Variant != variant {
			continue
		}
		usd := make([]float64, len(s.Periods))
		for i, p := range s.Periods {
			usd[i] = p.ReservedUpfrontUSD
		}
		if m := float64(quantile(usd, 0.5)); m > 0.005 || m < -0.005 {
			parts = append(parts, fmt.Sprintf("%s in %s %d", signedMoney(m), r.PeriodLen, s.Period))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return fmt.Sprintf("RESERVED ALL UPFRONT: procurement.payment: all-upfront books each reservation's whole term (%s) in the "+
		"%s it is bought and takes its hourly charge out of every %s it is held, so %s moves by %s: a term bought near the "+
		"end is booked whole, past the last %s. The rate is the same as paid by the hour (the catalog's rates state no payment "+
		"option, and no discount for paying up front is assumed), so over a whole term the total is the same; the idle instances "+
		"RESERVED INSTANCES IDLE names were paid for when bought.%s",
		r.termWords(variant), r.PeriodLen, r.PeriodLen, r.words().rent, strings.Join(parts, ", "), r.PeriodLen,
		r.storedAs("reserved_upfront_usd"))
}
