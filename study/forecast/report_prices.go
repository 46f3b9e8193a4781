package forecast

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"aiecon/model"
	"aiecon/model/econ"
)

// PriceLine is one of the plan's price steps (workloads.NAME.prices) as
// the report states it: the workload, the period it holds from, the
// multiplier on the base scenario's prices, the elasticity the plan gives
// and the volume multiplier they make (before growth and the Monte Carlo
// draws). The report named none, so a 30% cut read as revenue falling
// for no reason, and the volume it moved could not be traced.
type PriceLine struct {
	Workload   string  `json:"workload"`
	From       int     `json:"from"`
	Multiplier float64 `json:"multiplier"`
	Elasticity float64 `json:"elasticity"` // workloads.NAME.elasticity; 0: inelastic
	Volume     float64 `json:"volume"`     // multiplier^elasticity
}

// FlatFee is a flat licensing contract: its name, annual fee and first
// period. LICENSE lumped it with the per-use fees, and no output named
// it, so its start read as a jump of LICENSE for no reason.
type FlatFee struct {
	Contract  string  `json:"contract"`
	AnnualUSD float64 `json:"annual_usd"`
	From      int     `json:"from"`
}

// priceLines are the plan's price steps, by workload name and period.
func (f *Forecast) priceLines() []PriceLine {
	var out []PriceLine
	for _, name := range slices.Sorted(maps.Keys(f.Spec.Workloads)) {
		p := f.Spec.Workloads[name]
		for _, ps := range p.Prices {
			if ps.From > f.Spec.Periods.Count { // after the last period (--periods): never in force
				continue
			}
			out = append(out, PriceLine{Workload: name, From: ps.From, Multiplier: ps.Multiplier, Elasticity: p.Elasticity,
				Volume: econ.ElasticVolume(ps.Multiplier, p.Elasticity)})
		}
	}
	return out
}

// flatFees are the flat licensing contracts in force within the periods,
// in file order.
func (f *Forecast) flatFeeLines() []FlatFee {
	var out []FlatFee
	for _, c := range f.Spec.Licensing {
		if c.Kind == econ.ContractFlat && max(c.From, 1) <= f.Spec.Periods.Count {
			out = append(out, FlatFee{Contract: c.Name, AnnualUSD: c.AnnualUSD, From: max(c.From, 1)})
		}
	}
	return out
}

// pricesNote is the PRICES line: each price step with the elasticity it
// meets and the volume that makes; each period's demand under the
// sample's draws is in --json (demand).
func (r *Report) pricesNote() string {
	sets := r.priceSetsNote()
	if len(r.Prices) == 0 && sets == "" {
		return ""
	}
	var parts []string
	for _, p := range r.Prices {
		response := fmt.Sprintf("elasticity %g (workloads.%s.elasticity): volume x%.3g", p.Elasticity, p.Workload, p.Volume)
		if p.Elasticity == 0 {
			response = "inelastic: volume x1, so revenue per use moves with the price"
		} else if slices.Contains(r.ElasticityDrawn, p.Workload) {
			response += " at the plan's elasticity, which the Monte Carlo draw replaces in each sample"
		}
		parts = append(parts, fmt.Sprintf("%s x%g from %s %d, %s", p.Workload, p.Multiplier, r.PeriodLen, p.From, response))
	}
	if sets != "" {
		parts = append(parts, sets)
	}
	return "PRICES (the plan's steps on the base scenario's prices, before growth and the Monte Carlo price draw; each period's " +
		"price_ratio and volume by workload are in --json's demand): " + strings.Join(parts, "; ")
}

// licensingNote is the LICENSING line: the flat contracts LICENSE holds
// beside the per-use fees and the guarantees' top-ups (TRUE-UP), each
// period's split of which is in --json.
func (r *Report) licensingNote() string {
	if len(r.FlatFees) == 0 {
		return ""
	}
	var parts []string
	for _, c := range r.FlatFees {
		parts = append(parts, fmt.Sprintf("%s flat $%s a year ($%s a %s) from %s %d", c.Contract, money(c.AnnualUSD),
			money(c.AnnualUSD*r.PeriodHours/econ.HoursPerYear), r.PeriodLen, r.PeriodLen, c.From))
	}
	return "LICENSING (in LICENSE, beside the per-use fees and any guarantee's top-up; each period's licensing_per_use_usd, " +
		"licensing_flat_usd and licensing_true_up_usd are in --json): " + strings.Join(parts, "; ")
}

// cumMarginNote is the CUM MARGIN line under a variant's table: the
// operating margin summed from period 1 (its median over the samples),
// and the first period from which that sum stays positive to the end;
// "" where no period has it (a shard without period 1, a report stored
// before). The table gave margins per period alone, so when a plan pays
// back its losses had to be added up by hand.
func (r *Report) cumMarginNote(variant string) string {
	var parts []string
	from, last, owned := 0, 0, false
	if fe := r.fleet(variant); fe != nil && fe.Capital != nil {
		owned = true
	}
	for _, s := range r.Summary {
		if s.Variant != variant || s.CumMargin == nil {
			continue
		}
		m := float64(s.CumMargin.P50)
		parts = append(parts, fmt.Sprintf("%d %s", s.Period, signedMoney(m)))
		if m <= 0 {
			from = 0
		} else if from == 0 {
			from = s.Period
		}
		last = s.Period
	}
	if len(parts) == 0 {
		return ""
	}
	head := "CUM MARGIN (operating margin summed from " + r.PeriodLen + " 1"
	if r.Samples > 1 {
		head += ", the median over the samples of each sample's sum"
	}
	note := head + "): " + strings.Join(parts, ", ")
	if from > 0 {
		note += fmt.Sprintf("; positive from %s %d on", r.PeriodLen, from)
	} else {
		note += fmt.Sprintf("; not positive at %s %d", r.PeriodLen, last)
	}
	if owned {
		note += "; a P&L sum: the servers' price is in it only as the depreciation charged (CAPITAL)"
	}
	return note
}

// signedMoney is money with a dollar sign after a minus: -$1.2M, $3.4k.
func signedMoney(x float64) string {
	if x < 0 {
		return "-$" + money(-x)
	}
	return "$" + money(x)
}

// PriceSet is a workload price that a roadmap step's set changes (token
// prices or an agent's session fee): the workload, the scenario field, the
// value before and after, the period from which it holds, the step that
// sets it (roadmap[0].set) and the variants whose scenarios change so. The
// runs charged it and REVENUE moved, but the PRICES line named the price
// steps alone, so the change read as revenue moving for no reason.
type PriceSet struct {
	Workload string   `json:"workload"`
	Field    string   `json:"field"` // price.input_per_mtok, price.output_per_mtok, price.cached_input_per_mtok, agent.value.fee
	From     int      `json:"from"`
	Before   float64  `json:"before"`
	After    float64  `json:"after"`
	At       string   `json:"set_at"`
	Variants []string `json:"variants"`
}

// priceFields are the prices of a workload a set may change, by the field
// PriceSet names; a workload without an agent has no session fee. The
// cached input price is named only where either version gives one (cached):
// unset, it follows the input price, whose own line says the change.
func priceFields(w model.Workload, cached bool) map[string]float64 {
	out := map[string]float64{"price.input_per_mtok": w.Price.InputPerMTok, "price.output_per_mtok": w.Price.OutputPerMTok}
	if cached {
		out["price.cached_input_per_mtok"] = w.Price.CachedInput()
	}
	if w.Agent != nil {
		out["agent.value.fee"] = w.Agent.Value.Fee
	}
	return out
}

// priceSets are the prices the roadmap steps change, variant by variant
// and period by period (each period's scenario against the one before, the
// first against the variant's set alone), the variants that change a price
// alike from one step merged into one line.
func (f *Forecast) priceSets() []PriceSet {
	var out []PriceSet
	for _, vp := range f.Variants {
		prev := vp.setDemand
		for k := 1; k <= f.Spec.Periods.Count; k++ {
			cur := vp.scenario(k)
			if prev == nil || cur == nil || cur == prev {
				prev = cur
				continue
			}
			for i, w := range cur.Workloads {
				if i >= len(prev.Workloads) { // the names are the base's (checkDemand)
					break
				}
				cached := w.Price.CachedInputPerMTok != nil || prev.Workloads[i].Price.CachedInputPerMTok != nil
				before, after := priceFields(prev.Workloads[i], cached), priceFields(w, cached)
				for _, field := range slices.Sorted(maps.Keys(after)) {
					if b, ok := before[field]; ok && b != after[field] {
						out = addPriceSet(out, PriceSet{Workload: w.Name, Field: field, From: k, Before: b, After: after[field],
							At: f.priceSetAt(vp, k, w.Name, i), Variants: []string{vp.Name}})
					}
				}
			}
			prev = cur
		}
	}
	return out
}

// addPriceSet adds ps to sets, or its variant to the line that changes
// the same price alike from the same step.
func addPriceSet(sets []PriceSet, ps PriceSet) []PriceSet {
	for i, s := range sets {
		if s.Workload == ps.Workload && s.Field == ps.Field && s.From == ps.From && s.Before == ps.Before && s.After == ps.After && s.At == ps.At {
			sets[i].Variants = append(sets[i].Variants, ps.Variants...)
			return sets
		}
	}
	return append(sets, ps)
}

// priceSetAt is where the file writes the step of period k that changes
// workload name's prices: its first entry that touches the workload.
func (f *Forecast) priceSetAt(vp *VariantPlan, k int, name string, i int) string {
	sets := f.setsFrom(vp, k)
	if len(sets) == 0 {
		return ""
	}
	_, field := blame(sets, func(path string) bool { return touchesWorkload(path, name, i) })
	return field
}

// priceSetsNote is the part of the PRICES line naming the prices a
// roadmap step sets: each with its old and new value, the period it
// starts, the step and, unless every variant's changes so, the variants.
func (r *Report) priceSetsNote() string {
	var parts []string
	for _, ps := range r.PriceSets {
		who := ""
		if len(ps.Variants) < len(r.Fleets) || len(r.Fleets) == 0 {
			noun := "variant"
			if len(ps.Variants) > 1 {
				noun += "s"
			}
			who = ", " + noun + " " + strings.Join(ps.Variants, ", ")
		}
		parts = append(parts, fmt.Sprintf("%s %s %g -> %g from %s %d (%s%s)", ps.Workload, ps.Field, ps.Before, ps.After,
			r.PeriodLen, ps.From, ps.At, who))
	}
	if len(parts) == 0 {
		return ""
	}
	return "set by the roadmap, in USD per Mtok or per session, before any price step's multiplier: " + strings.Join(parts, "; ")
}
