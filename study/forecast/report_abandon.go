package forecast

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// AbandonmentNotMeasured says what who abandons rests on, as the notes on
// abandonment say it (this package's ABANDONMENT DECIDES THE COMPARISON,
// aiecon run's SESSIONS ABANDONED), followed by ": " and
// AbandonmentAssumptions.
const AbandonmentNotMeasured = "Who abandons rests on aiecon's assumptions, not measurements (docs/model.md, \"Agents\")"

// AbandonmentNote says when the operating margin between the best variant
// and another is mostly revenue the other loses to latency (abandoned
// sessions, ads' latency penalty; Period.SessionsLostToLatencyUSD): that
// gap rests on the users' patience and the tool calls' lengths, which are
// aiecon's assumptions, not measurements. "Mostly" is at least half of
// the gap, the median over the samples of the paired differences (the
// samples share their draws across variants). "" where no gap is, or a
// report stored before the losses were kept.
func (r *Report) AbandonmentNote() string {
	if r.AbandonmentAssumptions == "" && len(r.AbandonmentAssumptionsBy) == 0 {
		return ""
	}
	om, lost := r.horizonTotals(func(p Period) float64 { return p.OperatingMarginUSD }), r.horizonTotals(func(p Period) float64 { return p.SessionsLostToLatencyUSD })
	vs := r.variants()
	best := ""
	for _, v := range vs {
		if best == "" || median(om[v]) > median(om[best]) {
			best = v
		}
	}
	var parts []string
	named := []string{best}
	for _, v := range vs {
		if v == best || len(om[v]) != len(om[best]) {
			continue
		}
		gap, latency := median(pairDiff(om[best], om[v])), median(pairDiff(lost[v], lost[best]))
		if !(gap > 0) || !(latency >= gap/2) {
			continue
		}
		parts = append(parts, fmt.Sprintf("%s's operating margin over the horizon is $%s above %s's, and $%s of that is revenue %s loses "+
			"to latency beyond what %s loses (%s against %s of agent sessions abandoned, the periods' medians averaged)",
			best, money(gap), v, money(latency), v, best, pct(r.meanAbandon(v)), pct(r.meanAbandon(best))))
		named = append(named, v)
	}
	assumptions := r.assumptionsIn(named)
	if len(parts) == 0 || assumptions == "" {
		return ""
	}
	return "ABANDONMENT DECIDES THE COMPARISON: " + strings.Join(parts, "; ") + ". " + AbandonmentNotMeasured + ": " + assumptions +
		", beside the step times that price each call. Vary them in the forecast's set before reading the gap as the fleets'."
}

// horizonTotals sums a figure over each variant's periods, per sample, in
// sample order.
func (r *Report) horizonTotals(get func(Period) float64) map[string][]float64 {
	out := map[string][]float64{}
	for _, s := range r.Summary {
		tot := out[s.Variant]
		for i, p := range s.Periods {
			if i == len(tot) {
				tot = append(tot, 0)
			}
			tot[i] += get(p)
		}
		out[s.Variant] = tot
	}
	return out
}

// meanAbandon is a variant's session abandonment, its periods' medians
// averaged; NaN without agent sessions.
func (r *Report) meanAbandon(variant string) float64 {
	sum, n := 0.0, 0
	for _, s := range r.Summary {
		if x := float64(s.Bands["session_abandon_rate"].P50); s.Variant == variant && !math.IsNaN(x) {
			sum, n = sum+x, n+1
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return sum / float64(n)
}

func pairDiff(a, b []float64) []float64 {
	out := make([]float64, len(a))
	for i := range a {
		out[i] = a[i] - b[i]
	}
	return out
}

// median of xs (NaN for none).
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
