package forecast

import (
	"fmt"
	"maps"
	"slices"
	"strings"

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
	if len(r.Prices) == 0 {
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
