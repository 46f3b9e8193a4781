package forecast

import (
	"fmt"
	"strings"
)

// unfinishedNote says how much of a variant's REVENUE is counted for the
// agent sessions still running at the slices' ends (Period.
// RevenueUnfinishedUSD): its share of REVENUE from the smallest to the
// largest over the periods and samples, the period where it is largest,
// what those sessions could earn at most, and the licensing counted for
// their steps left. The slices' edge is the method's, and its share
// differs between fleets (a slower one has more sessions in flight), so
// the estimate is shown wherever it is made. "" where nothing is counted,
// as in a report stored before it was.
func (r *Report) unfinishedNote(variant string) string {
	lo, hi, worst := r.unfinishedShares(variant)
	if worst == nil {
		return ""
	}
	w := r.words()
	span := shareSpan(lo, hi)
	return fmt.Sprintf("UNFINISHED SESSIONS: %s of %s (most in %s%s: $%s of $%s) is counted for the agent sessions still running at "+
		"a slice's end, at the share of their value their workload's ended sessions earned in the slice; served at once they "+
		"could earn $%s there, and %s counts $%s for the steps they had left. A slice starts empty, so they stand for the "+
		"sessions that would have been in flight at its start; where users give up on a slow fleet the count leans high, "+
		"and a longer day.horizon shrinks the share (docs/forecast.md, \"Sessions at a slice's end\").%s",
		span, w.revenue, r.periodList([]int{worst.Period}), r.sampleOf(worst), money(worst.RevenueUnfinishedUSD),
		money(worst.RevenueUSD), money(worst.UnfinishedValueUSD), w.license, money(worst.LicensingUnfinishedUSD),
		r.storedAs("revenue_unfinished_counted_usd", "sessions_revenue_unfinished_usd", "licensing_unfinished_counted_usd"))
}

// shareSpan is a share's range as the notes write it: "38.7% to 40.4%",
// one figure where both read alike.
func shareSpan(lo, hi float64) string {
	if pct(lo) == pct(hi) {
		return pct(hi)
	}
	return pct(lo) + " to " + pct(hi)
}

// unfinishedShares are the smallest and largest shares of a variant's
// REVENUE counted for unfinished sessions over its periods and samples,
// and the period of the largest; worst is nil where nothing is counted.
func (r *Report) unfinishedShares(variant string) (lo, hi float64, worst *Period) {
	lo, hi = 1.0, 0.0
	for _, s := range r.Summary {
		if s.Variant != variant {
			continue
		}
		for i := range s.Periods {
			p := &s.Periods[i]
			if p.RevenueUSD <= 0 {
				continue
			}
			share := p.RevenueUnfinishedUSD / p.RevenueUSD
			lo = min(lo, share)
			if share > hi {
				hi, worst = share, p
			}
		}
	}
	if worst == nil {
		return 0, 0, nil
	}
	return lo, hi, worst
}

// storedAs names, in a note that names the stored lines (metricNames), the
// period metrics that hold its figures: compare --forecast lists their
// totals above it, and sql reads them by period. "" in the report under
// the table.
func (r *Report) storedAs(metrics ...string) string {
	if !r.metricNames || len(metrics) == 0 {
		return ""
	}
	list := metrics[len(metrics)-1]
	if len(metrics) > 1 {
		list = strings.Join(metrics[:len(metrics)-1], ", ") + " and " + list
	}
	return " forecast_periods stores them by period: " + list + "."
}

// sampleOf names a period's Monte Carlo sample (", sample 2") where the
// report has more than one; "" otherwise.
func (r *Report) sampleOf(p *Period) string {
	if r.Samples <= 1 {
		return ""
	}
	return fmt.Sprintf(", sample %d as --json numbers them", p.Sample)
}
