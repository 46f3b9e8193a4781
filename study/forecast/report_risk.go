package forecast

import (
	"fmt"
	"math"
	"slices"

	"aiecon/model/format"
	kpicat "aiecon/model/kpi"
)

// overloaded says whether a period of one sample ran its busiest slice
// above the batch occupancy at which aiecon run warns OVERLOADED, or met
// the SLO on fewer requests than optimize's default target (dropped and
// timed-out requests count as misses, so it also catches a fleet that
// turns requests away). An undefined figure flags nothing.
func overloaded(headroom, slo Ratio) bool {
	return 1-float64(headroom) > kpicat.SaturatedOccupancy || float64(slo) < kpicat.DefaultSLOTarget
}

// sloRiskNote says when some sample of some period of a variant was
// overloaded: the table prints medians, so a fleet that saturates in the
// faster-growing futures (an owned fleet's orders are fixed, a rented one
// stops at procurement.max) read as 100% SLO while a sample lost half its
// revenue. It names the periods, how many samples each (of those the
// period holds: a shard's, as its band's OF k), the median where it is
// flagged too, and the worst sample's SLO attainment, headroom and
// abandonment.
func (r *Report) sloRiskNote(variant string) string {
	var at, medianAt, held []int
	most := 0
	var worst *Period
	for _, s := range r.Summary {
		if s.Variant != variant {
			continue
		}
		n := 0
		for i := range s.Periods {
			p := &s.Periods[i]
			if !overloaded(p.Headroom, p.SLOAttainment) {
				continue
			}
			n++
			if worst == nil || worseSLO(p, worst) {
				worst = p
			}
		}
		if n > 0 {
			at, held, most = append(at, s.Period), append(held, s.Samples), max(most, n)
		}
		// A period of one sample (a shard's) has that sample for median.
		if len(s.Periods) > 0 && overloaded(s.Bands["headroom"].P50, s.Bands["slo_attainment"].P50) {
			medianAt = append(medianAt, s.Period)
		}
	}
	if worst == nil {
		return ""
	}
	where := "in " + r.periodList(at)
	if r.Samples > 1 {
		where += "," + r.samplesFlagged(most, held)
		if len(medianAt) > 0 {
			where += " (the median too in " + r.periodList(medianAt) + ")"
		}
	}
	// The worst has no SLO attainment only where every period flagged was
	// flagged on headroom alone (a plan without an SLO): the note then
	// leaves the SLO out.
	noSLO := math.IsNaN(float64(worst.SLOAttainment))
	note := fmt.Sprintf("SLO AT RISK: %s's busiest slice filled over %.0f%% of its batch slots or KV cache (where aiecon run warns OVERLOADED)",
		variant, 100*kpicat.SaturatedOccupancy)
	if !noSLO {
		note += fmt.Sprintf(" or met the SLO on under %.0f%% of its requests (optimize's default --slo-target)", 100*kpicat.DefaultSLOTarget)
	}
	note += fmt.Sprintf(" %s. The worst, %s %d", where, r.PeriodLen, worst.Period)
	if r.Samples > 1 {
		note += fmt.Sprintf(" of sample %d (as --json numbers them)", worst.Sample)
	}
	if noSLO {
		note += fmt.Sprintf(", had %s headroom", pct(float64(worst.Headroom)))
	} else {
		note += fmt.Sprintf(", met the SLO on %s of requests with %s headroom", pct(float64(worst.SLOAttainment)), pct(float64(worst.Headroom)))
	}
	if a := float64(worst.SessionAbandon); !math.IsNaN(a) {
		note += fmt.Sprintf(" and %s of agent sessions abandoned", pct(a))
	}
	if r.Samples > 1 && len(medianAt) < len(at) {
		note += "; " + r.words().medians + " do not show it, and what the overload lost is in that sample's totals"
	}
	return note + ". " + r.sloRiskRemedy(variant, worst.Period)
}

// samplesFlagged says how many samples of the flagged periods were
// overloaded, most in one period, of the samples each holds (held, in
// the periods' order): the forecast's count in a whole report, fewer in
// a shard's period, which its band marks OF k; counting the forecast's
// there read "2 of 3 samples" of a period the shard ran 2 samples of.
func (r *Report) samplesFlagged(most int, held []int) string {
	lo, hi := slices.Min(held), slices.Max(held)
	switch {
	case len(held) == 1:
		return fmt.Sprintf(" %d of %s", most, format.Plural(hi, "sample"))
	case lo == hi:
		return fmt.Sprintf(" up to %d of %s a %s", most, format.Plural(hi, "sample"), r.PeriodLen)
	}
	return fmt.Sprintf(" up to %s a %s, of the %d to %d each holds", format.Plural(most, "sample"), r.PeriodLen, lo, hi)
}

// worseSLO orders overloaded periods: the lower SLO attainment first, then
// the lower headroom (an undefined figure last).
func worseSLO(a, b *Period) bool {
	sa, sb := nanHigh(float64(a.SLOAttainment)), nanHigh(float64(b.SLOAttainment))
	if sa != sb {
		return sa < sb
	}
	return nanHigh(float64(a.Headroom)) < nanHigh(float64(b.Headroom))
}

func nanHigh(x float64) float64 {
	if math.IsNaN(x) {
		return math.Inf(1)
	}
	return x
}

// sloRiskRemedy says what capacity the variant's plan fixes: an owned
// fleet serves with the servers its orders deliver whatever the demand, a
// rented one is sized from fleet.count up to procurement.max. An owned
// fleet's burst is advised where it is not set, a larger one where it is,
// and none where it could not serve in the worst period (worst): it was
// advised with 4 burst instances set that no slice could bring up.
func (r *Report) sloRiskRemedy(variant string, worst int) string {
	for _, fe := range r.Fleets {
		if fe.Variant != variant {
			continue
		}
		if rs := fe.Rented; rs != nil {
			return fmt.Sprintf("A rented fleet is fleet.count (%d) x the slice's demand, at most procurement.max (%d): a larger "+
				"fleet.count or max would serve it.", rs.BaseCount, rs.Max)
		}
		if fe.Mode != "owned" {
			continue
		}
		const head = "An owned fleet serves with the servers its orders deliver, whatever the demand: more or earlier orders"
		switch {
		case fe.burstCannotServe(worst):
			return head + " would serve it; its procurement.burst cannot, as no burst instance comes up before a slice ends " +
				"(fleet.autoscale.interval + provision_delay >= day.horizon)."
		case fe.Burst > 0:
			return fmt.Sprintf("%s, or a larger procurement.burst (now %d), would serve it.", head, fe.Burst)
		}
		return head + ", or procurement.burst, would serve it."
	}
	return "A larger fleet would serve it."
}
