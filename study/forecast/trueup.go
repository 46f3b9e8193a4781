package forecast

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"aiecon/model/econ"
	"aiecon/model/format"
)

// A minimum guarantee's shortfall is settled over a span of periods: each
// period alone (true_up: period), or each contract year from the
// contract's first period (annual, the default), whose shortfall is booked
// in the period that closes it, the periods before showing the per-use
// fees alone. The public guarantees are stated per year, so a seasonal
// workload trued up every period paid a top-up in its low periods that its
// high ones would have covered. A forecast that ends inside a contract
// year settles the part it covers in its last period, against the
// guarantee pro-rated to that part: cutting it short (--periods) never
// drops a minimum the covered periods owe.

// span is periods From..To of one true-up, both included.
type span struct{ From, To int }

// periodsPerYear is how many of the forecast's periods make a year (12
// months, 4 quarters).
func (f *Forecast) periodsPerYear() int { return int(math.Round(1 / f.PeriodYears)) }

// trueUpSpans are the spans a minimum guarantee is settled over, in order,
// the last cut at the forecast's end.
func (f *Forecast) trueUpSpans(c Contract) []span {
	per := 1
	if c.TrueUp == econ.TrueUpAnnual {
		per = f.periodsPerYear()
	}
	n := f.Spec.Periods.Count
	var out []span
	for a := max(c.From, 1); a <= n; a += per {
		out = append(out, span{a, min(a+per-1, n)})
	}
	return out
}

// periodBlocks numbers the block of each period (index k-1), from 0: a
// period starts a new block unless an annual true-up's span holds it and
// the period before, so that a shard, which takes blocks whole, has every
// period whose fees a true-up it books adds up. Without an annual true-up
// every period is its own block.
func (f *Forecast) periodBlocks() []int {
	n := f.Spec.Periods.Count
	joined := make([]bool, n+1) // joined[k]: period k is in period k-1's block
	for _, c := range f.Spec.Licensing {
		if c.Kind != econ.ContractMinimumGuarantee || c.TrueUp != econ.TrueUpAnnual {
			continue
		}
		for _, sp := range f.trueUpSpans(c) {
			for k := sp.From + 1; k <= sp.To; k++ {
				joined[k] = true
			}
		}
	}
	blocks := make([]int, n)
	for k := 2; k <= n; k++ {
		blocks[k-1] = blocks[k-2]
		if !joined[k] {
			blocks[k-1]++
		}
	}
	return blocks
}

// groupKey is one (variant, sample, period) of a forecast's runs.
type groupKey struct{ v, s, k int }

// guaranteeTopUps are the minimum guarantees' true-ups by the period that
// books them: over each span, the shortfall of the per-use fees its
// periods accrued (the runs' licensing of the contract's workload, scaled)
// below the annual minimum pro-rated to the span's length.
func (f *Forecast) guaranteeTopUps(groups map[groupKey][]RunResult) map[groupKey]map[string]float64 {
	scale := f.Scale()
	use := map[groupKey]map[string]float64{}
	type variantSample struct{ v, s int }
	present := map[variantSample]bool{}
	for g, runs := range groups {
		present[variantSample{g.v, g.s}] = true
		use[g] = map[string]float64{}
		for _, r := range runs {
			for w, usd := range r.Licensing {
				use[g][w] += usd * scale
			}
			// The steps the slice's unfinished sessions had left are use
			// too (sumUnfinished).
			for w, usd := range r.Unfinished.Licensing {
				use[g][w] += usd * scale
			}
		}
	}
	out := map[groupKey]map[string]float64{}
	for vs := range present {
		for _, c := range f.Spec.Licensing {
			if c.Kind != econ.ContractMinimumGuarantee {
				continue
			}
			for _, sp := range f.trueUpSpans(c) {
				var fees float64
				for k := sp.From; k <= sp.To; k++ {
					fees += use[groupKey{vs.v, vs.s, k}][c.Workload]
				}
				years := float64(sp.To-sp.From+1) * f.PeriodYears
				short := econ.GuaranteeShortfallUSD(fees, c.AnnualUSD, years)
				if short <= 0 {
					continue
				}
				at := groupKey{vs.v, vs.s, sp.To}
				if out[at] == nil {
					out[at] = map[string]float64{}
				}
				out[at][c.Name] += short
			}
		}
	}
	return out
}

// TrueUpTerms is how the report says a minimum guarantee was trued up:
// the contract, its workload and annual minimum, the true-up, the periods
// that settle a span (each span's last), those of them in which some
// sample booked a shortfall and, where the forecast ends inside a
// contract year, how many periods of it the last span holds.
type TrueUpTerms struct {
	Contract  string  `json:"contract"`
	Workload  string  `json:"workload"`
	AnnualUSD float64 `json:"annual_usd"`
	TrueUp    string  `json:"true_up"`
	From      int     `json:"from"`
	Settles   []int   `json:"settles_in_periods,omitempty"`
	// Books are the periods in which some sample booked a shortfall of
	// this contract (Period.LicensingTrueUpBy; bookTrueUps). They were the
	// periods that settle a span, so that a guarantee the fees covered
	// every year read as booked in quarters 4 and 8: a report stored
	// before Settles was kept holds those here (settles).
	Books []int `json:"booked_in_periods"`
	// PartialPeriods are the periods of the contract year the forecast
	// ends inside (0 where its last year is whole), settled against the
	// guarantee pro-rated to them.
	PartialPeriods int `json:"partial_year_periods,omitempty"`
}

// trueUpTerms lists the minimum guarantees' true-ups, in file order.
func (f *Forecast) trueUpTerms() []TrueUpTerms {
	var out []TrueUpTerms
	for _, c := range f.Spec.Licensing {
		if c.Kind != econ.ContractMinimumGuarantee {
			continue
		}
		spans := f.trueUpSpans(c)
		if len(spans) == 0 { // from after the last period (--periods): never in force
			continue
		}
		t := TrueUpTerms{Contract: c.Name, Workload: c.Workload, AnnualUSD: c.AnnualUSD, TrueUp: c.TrueUp, From: max(c.From, 1)}
		for _, sp := range spans {
			t.Settles = append(t.Settles, sp.To)
		}
		t.Books = []int{} // none until bookTrueUps finds one: [], not null
		if last := spans[len(spans)-1]; c.TrueUp == econ.TrueUpAnnual && last.To-last.From+1 < f.periodsPerYear() {
			t.PartialPeriods = last.To - last.From + 1
		}
		out = append(out, t)
	}
	return out
}

// bookTrueUps sets each guarantee's Books to the periods in which some
// sample of some variant booked a shortfall of it, from the report's
// periods (a forecast run whole, or shards merged). A report stored
// before Settles was kept is left as it is: its periods hold no top-ups.
func (r *Report) bookTrueUps() {
	for i := range r.TrueUps {
		t := &r.TrueUps[i]
		if t.Settles == nil {
			continue
		}
		t.Books = []int{}
		for _, s := range r.Summary {
			booked := slices.ContainsFunc(s.Periods, func(p Period) bool { return p.LicensingTrueUpBy[t.Contract] > 0 })
			if booked && !slices.Contains(t.Books, s.Period) {
				t.Books = append(t.Books, s.Period)
			}
		}
		slices.Sort(t.Books)
	}
}

// settles are the periods that settle a span: Books in a report stored
// before they were kept apart, whose Books held them.
func (t TrueUpTerms) settles() (periods []int, legacy bool) {
	if t.Settles == nil {
		return t.Books, true
	}
	return t.Settles, false
}

// bookedText says in which periods a shortfall was booked ("" for a
// report stored before that was kept): the settling periods alone said
// "booked in 4, 8" where the fees covered the minimum every year.
func (r *Report) bookedText(t TrueUpTerms) string {
	if _, legacy := t.settles(); legacy || len(r.Summary) == 0 { // stored before, or nothing run yet
		return ""
	}
	if len(t.Books) == 0 {
		every := ""
		if r.Samples > 1 {
			every = " in any sample" // "in some sample" read as if others had
		}
		return fmt.Sprintf("; no shortfall was booked%s: the fees met the minimum", every)
	}
	some := ""
	if r.Samples > 1 {
		some = " in some sample"
	}
	return fmt.Sprintf("; a shortfall was booked%s in %s (licensing_true_up_usd in --json)", some, r.periodList(t.Books))
}

// trueUpParts word each guarantee's true-up for the TRUE-UP line and the
// dashboard (StoredTrueUps).
func (r *Report) trueUpParts() []string {
	var parts []string
	for _, t := range r.TrueUps {
		head := fmt.Sprintf("%s (%s's minimum of $%s a year)", t.Contract, t.Workload, money(t.AnnualUSD))
		if t.TrueUp == econ.TrueUpPeriod {
			parts = append(parts, fmt.Sprintf("%s trued up every %s (true_up: period): each %s from %s %d pays at least $%s%s",
				head, r.PeriodLen, r.PeriodLen, r.PeriodLen, t.From, money(t.AnnualUSD*r.PeriodHours/econ.HoursPerYear), r.bookedText(t)))
			continue
		}
		settles, _ := t.settles()
		part := fmt.Sprintf("%s trued up annually from %s %d: each contract year's shortfall below it is booked in the %s that closes "+
			"the year (%s), the %ss before show the per-document fees alone", head, r.PeriodLen, t.From, r.PeriodLen, t.settlesText(), r.PeriodLen)
		if n := t.PartialPeriods; n > 0 && len(settles) > 0 {
			held := format.Plural(n, r.PeriodLen)
			part += fmt.Sprintf("; the forecast ends %s into a contract year, settled in %s %d against the guarantee pro-rated to them ($%s)",
				held, r.PeriodLen, settles[len(settles)-1], money(t.AnnualUSD*float64(t.PartialPeriods)*r.PeriodHours/econ.HoursPerYear))
		}
		parts = append(parts, part+r.bookedText(t))
	}
	return parts
}

// settlesText lists the periods that settle a contract year, the one
// that settles a partial year last, marked pro-rated ("4; 6 pro-rated"):
// listed with the others ("4, 6"), the 6th quarter read as closing a year
// it does not.
func (t TrueUpTerms) settlesText() string {
	settles, _ := t.settles()
	books := make([]string, len(settles))
	for i, k := range settles {
		books[i] = strconv.Itoa(k)
	}
	if t.PartialPeriods == 0 || len(books) == 0 {
		return strings.Join(books, ", ")
	}
	last := books[len(books)-1] + " pro-rated"
	if len(books) == 1 {
		return last
	}
	return strings.Join(books[:len(books)-1], ", ") + "; " + last
}

// trueUpNote is the TRUE-UP line: how the LICENSE column's minimum
// guarantees were settled, which moves where their top-up falls.
func (r *Report) trueUpNote() string {
	parts := r.trueUpParts()
	if len(parts) == 0 {
		return ""
	}
	return "TRUE-UP (minimum guarantees, in LICENSE): " + strings.Join(parts, "; ")
}

// StoredTrueUps words a stored report's true-ups as the TRUE-UP line does,
// for the dashboard; "" for a forecast without a minimum guarantee, or
// stored before the report said (those trued up every period).
func StoredTrueUps(reportJSON string) string {
	var r Report
	if reportJSON == "" || json.Unmarshal([]byte(reportJSON), &r) != nil {
		return ""
	}
	return strings.Join(r.trueUpParts(), "; ")
}
