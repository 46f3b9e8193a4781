package forecast

import (
	"fmt"
	"slices"
	"strings"

	"aiecon/model/format"
)

// GrossCommerceIn is an agent workload whose commerce credits every order
// of a converted session (value.incremental unset) in a variant, and the
// periods in which it does.
type GrossCommerceIn struct {
	Variant  string `json:"variant"`
	Workload string `json:"workload"`
	Periods  []int  `json:"periods"`
}

// grossCommerceBy lists, variant by variant, the agent workloads whose
// commerce is gross in its scenario in some period (workloadsIn: the
// variant's set or a roadmap step may set value.incremental, or unset it).
// The note read the base's workloads, so a variant that set its own
// incremental share was told its commerce was gross, and one that unset
// the forecast's was not named.
func (f *Forecast) grossCommerceBy() []GrossCommerceIn {
	var out []GrossCommerceIn
	for _, vp := range f.Variants {
		for i, w := range f.workloadsOf() {
			g := GrossCommerceIn{Variant: vp.Name, Workload: w.Name}
			for k := 1; k <= f.Spec.Periods.Count; k++ {
				if a := f.workloadsIn(vp, k)[i].Agent; a != nil && a.Value.GrossCommerce() {
					g.Periods = append(g.Periods, k)
				}
			}
			if len(g.Periods) > 0 {
				out = append(out, g)
			}
		}
	}
	return out
}

// grossWorkloads are the workloads of gs, each once, in order.
func grossWorkloads(gs []GrossCommerceIn) []string {
	var names []string
	for _, g := range gs {
		if !slices.Contains(names, g.Workload) {
			names = append(names, g.Workload)
		}
	}
	return names
}

// columnWords name the figures a note speaks of where it is read: the
// forecast's report has its table's columns, a comparison of stored
// forecasts (compare --forecast) the stored metrics' lines, which are all
// it prints. Its notes named COMMERCE, GROSS% and OPER%, then RENT, TRAIN,
// ADS and "the table" that depreciates, under a table that has none of
// them.
type columnWords struct {
	line, margins string // commerce, and the margins that rest on it
	rent, train   string
	depreciates   string // what charges the owned servers' depreciation
	adsCommerce   string // the lines freshness multiplies
	medians       string // where a period's medians are printed
	revenue       string // revenue in all
	license       string // licensing
}

var (
	tableWords = columnWords{line: "the COMMERCE column", margins: "GROSS% and OPER%", rent: "RENT", train: "TRAIN",
		depreciates: "the table depreciates", adsCommerce: "ADS and COMMERCE", medians: "the table's medians",
		revenue: "REVENUE", license: "LICENSE"}
	metricWords = columnWords{line: "revenue_commerce_usd", margins: "gross_margin_usd and operating_margin_usd",
		rent: "cost_rent_usd", train: "cost_training_usd", depreciates: "cost_depreciation_usd charges",
		adsCommerce: "revenue_ads_usd and revenue_commerce_usd", medians: "the forecast report's period medians",
		revenue: "revenue_usd", license: "cost_licensing_usd"}
)

// words are the names the report's notes give its figures: its table's
// columns, unless it is read for compare --forecast (StoredCaveats).
func (r *Report) words() columnWords {
	if r.metricNames {
		return metricWords
	}
	return tableWords
}

// CommerceNote says when the COMMERCE column, and the margins on it, count
// every order of a converted session ("" when it does not), naming the
// variants and periods where it does unless every variant does in every
// period.
func (r *Report) CommerceNote() string { return r.commerceNote(r.words()) }

// commerceNote is CommerceNote naming the figures as words says.
func (r *Report) commerceNote(words columnWords) string {
	if len(r.GrossCommerce) == 0 {
		return ""
	}
	take := func(session string) string {
		return " is the take on every order of a converted " + session + ", purchases the shopper would have made " +
			"without the assistant included, and " + words.margins + " rest on it"
	}
	what := words.line + take(strings.Join(r.GrossCommerce, " or ")+" session")
	if where, others := r.grossWhere(); where != "" {
		what = words.line + " of " + where + take("session")
		if others != "" {
			what += "; " + others + " only the orders value.incremental says the assistant causes, so the variants' commerce " +
				"and margins differ by that as well as by their fleets"
		}
	}
	return fmt.Sprintf("COMMERCE COUNTED GROSS: %s; set workloads[%s].agent.value.incremental (the share of those orders the "+
		"assistant causes) in the forecast's set to credit only those (docs/model.md, \"Ads and commerce\").", what, r.GrossCommerce[0])
}

// grossWhere names the variants whose commerce is gross, each with its
// workloads and, where not all, their periods ("rented's shopping-assistant
// and owned's shopping-assistant in quarters 1-2"), and says which credit
// only the incremental orders ("owned-b credits"); both "" where every
// variant is gross alike in every period, or for a report stored before
// GrossCommerceBy.
func (r *Report) grossWhere() (where, others string) {
	if len(r.GrossCommerceBy) == 0 {
		return "", ""
	}
	var parts, rest []string
	uniform := true
	for _, fe := range r.Fleets {
		var ws []string
		for _, g := range r.GrossCommerceBy {
			if g.Variant != fe.Variant {
				continue
			}
			w := g.Workload
			if len(g.Periods) < r.Periods {
				w += " in " + r.periodList(g.Periods)
				uniform = false
			}
			ws = append(ws, w)
		}
		if len(ws) == 0 {
			rest = append(rest, fe.Variant)
			continue
		}
		uniform = uniform && slices.Equal(ws, r.GrossCommerce)
		parts = append(parts, fe.Variant+"'s "+strings.Join(ws, " and "))
	}
	if uniform && len(rest) == 0 {
		return "", ""
	}
	switch len(rest) {
	case 0:
	case 1:
		others = rest[0] + " credits"
	default:
		others = format.ListAnd(rest) + " credit"
	}
	return format.ListAnd(parts), others
}
