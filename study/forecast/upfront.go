package forecast

import (
	"fmt"
	"math"
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
// was bought. beyond is the part of the terms booked that pays for
// periods after the last: the horizon's total holds it, so a variant
// paid up front reads dearer over a horizon shorter than its term by that
// much, which the note must say in dollars (a 3-year term over 4 quarters
// booked 8 quarters, $718k of $1.08M, past the end).
func (f *Forecast) upfrontShift(k int, bought, held []reservation, rate map[string]float64, term int) (shift, beyond float64) {
	after := max(0, k+term-1-f.Spec.Periods.Count) // the term's periods past the last
	for _, r := range bought {
		shift += r.N * rate[r.Instance] * float64(term) * f.PeriodHours
		beyond += r.N * rate[r.Instance] * float64(after) * f.PeriodHours
	}
	for _, r := range held {
		shift -= r.N * rate[r.Instance] * f.PeriodHours
	}
	return shift, beyond
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
// period's RENT is not its running cost, nor are USD/Mtok and the margins
// that follow it. Where a term runs past the last period, it names the
// amount booked for the periods after it, which the horizon's total holds
// (it said only "a term bought near the end is booked whole", whether or
// not one was, and left a reader to take the variant as that much dearer).
// "" for any other variant.
func (r *Report) upfrontNote(variant string) string {
	var parts, past []string
	for _, m := range r.periodP50s(variant, func(p Period) float64 { return p.ReservedUpfrontUSD }) {
		parts = append(parts, fmt.Sprintf("%s in %s %d", signedMoney(m.usd), r.PeriodLen, m.period))
	}
	if len(parts) == 0 {
		return ""
	}
	var beyond float64
	for _, m := range r.periodP50s(variant, func(p Period) float64 { return p.ReservedBeyondUSD }) {
		past = append(past, fmt.Sprintf("$%s of %s %d's", money(m.usd), r.PeriodLen, m.period))
		beyond += m.usd
	}
	pastWords := ""
	if len(past) > 0 {
		pastWords = fmt.Sprintf(" Terms run past the last %s: %s pays for hours after it, $%s in all, which the horizon's %s "+
			"holds and paying by the hour would not, so over this horizon the variant reads that much dearer.",
			r.PeriodLen, strings.Join(past, ", "), money(beyond), r.words().rent)
	}
	return fmt.Sprintf("RESERVED ALL UPFRONT: procurement.payment: all-upfront books each reservation's whole term (%s) in the "+
		"%s it is bought and takes its hourly charge out of every %s it is held, so %s moves by %s; USD/Mtok and the margins "+
		"follow it (dear where a term is bought, cheap where it is held).%s The rate is the same as paid by the hour (the "+
		"catalog's rates state no payment option, and no discount for paying up front is assumed), so over a whole term the "+
		"total is the same; the idle instances RESERVED INSTANCES IDLE names were paid for when bought.%s",
		r.termWords(variant), r.PeriodLen, r.PeriodLen, r.words().rent, strings.Join(parts, ", "), pastWords,
		r.storedAs("reserved_upfront_usd"))
}

// periodP50 is a period's P50 over the samples of a figure.
type periodP50 struct {
	period int
	usd    float64
}

// periodP50s gives, by period, the P50 over the samples of a variant's
// figure of, where it is more than half a cent either way.
func (r *Report) periodP50s(variant string, of func(Period) float64) []periodP50 {
	var out []periodP50
	for _, s := range r.Summary {
		if s.Variant != variant {
			continue
		}
		usd := make([]float64, len(s.Periods))
		for i, p := range s.Periods {
			usd[i] = of(p)
		}
		if m := float64(quantile(usd, 0.5)); math.Abs(m) > 0.005 {
			out = append(out, periodP50{s.Period, m})
		}
	}
	return out
}
