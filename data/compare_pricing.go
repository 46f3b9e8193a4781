package data

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"aiecon/hw"
	"aiecon/model"
	"aiecon/model/format"
	"aiecon/model/kpi"
	"aiecon/sim"
)

// The catalog's prices for one instance differ between pricing models
// (pricingSpread: p5's on-demand rate is 1.4x its Capacity Blocks one), and
// move between dates (hw.PricesMoveWhy): trn2 on Capacity Blocks against p5
// on-demand read as trn2 costing 30% more per hour with nothing said of how
// each was paid (docs/model.md, "Prices": a comparison should say which
// model each side uses). So a comparison names each side's pricing and
// price date when they differ.

// FleetPricing is how one serving fleet of a run pays for its instances.
type FleetPricing struct {
	// Pool is the model pool's name in a run with several ("" in a run
	// with one fleet).
	Pool     string
	Instance string
	Pricing  string // fleet.pricing: on-demand, capacity-block, reserved, spot, owned
	// USDPerHour is the price per instance-hour the run stored, NaN where
	// it stored none.
	USDPerHour float64
	// When is the catalog price's date as the run report prints it, " (catalog,
	// us-east-2, 2026-05-21)" (sim.FleetPriceDate); "" where the scenario set
	// its own price or the catalog no longer gives the one paid.
	When string
	// Own says the scenario set its own price (fleet.price_usd_per_hour).
	Own bool
	// Month is the catalog price's date in months (hw.PriceMonth), Dated
	// false where it has none.
	Month int
	Dated bool
}

// FleetPricings is how each serving fleet of a resolved scenario pays,
// price(scope) being the run's price_per_instance_hour_usd in a scope
// (NaN where it has none): the whole run's for a scenario of one fleet,
// each model pool's (kpi.ModelScope) for one of several, as show's header
// reads them. nil for a nil scenario, which cannot be told.
func FleetPricings(sc *model.Scenario, price func(scope string) float64) []FleetPricing {
	if sc == nil {
		return nil
	}
	var out []FleetPricing
	for _, p := range sc.ServingPools() {
		if p.Fleet.Instance == "" {
			continue // not a scenario this version resolved
		}
		fp := FleetPricing{Instance: p.Fleet.Instance, Pricing: p.Fleet.Pricing, Own: p.Fleet.PriceUSDPerHour != nil}
		scope := ""
		if len(sc.Pools) > 0 {
			fp.Pool, scope = p.Name, kpi.ModelScope(p.Name)
		}
		fp.USDPerHour = price(scope)
		fp.When = sim.FleetPriceDate(*p.Fleet, fp.USDPerHour)
		if f, ok := sim.FleetCatalogPrice(*p.Fleet, fp.USDPerHour); ok {
			fp.Month, fp.Dated = hw.PriceMonth(f)
		}
		out = append(out, fp)
	}
	return out
}

// describe is the fleet's pricing as the run report's FLEET line words it:
// "trn2.48xlarge capacity-block $35.76/h (catalog, us-east-2, 2026-05-21)",
// or "(the scenario's own price)", or "(undated)" where the catalog no
// longer gives the price paid.
func (p FleetPricing) describe() string {
	s := p.Instance + " " + p.Pricing
	if p.Pool != "" {
		s = "model " + p.Pool + " " + s
	}
	if format.Defined(p.USDPerHour) {
		s += fmt.Sprintf(" $%.2f/h", p.USDPerHour)
	}
	switch {
	case p.When != "":
		return s + p.When
	case p.Own:
		return s + " (the scenario's own price)"
	}
	return s + " (undated: not the catalog's price now)"
}

// ownPrice is the pricing model of a fleet that pays the scenario's own
// price: its fleet.pricing, unless spot, changes nothing it pays
// (hw.Instance.HourlyPrice charges the own price as it is), so two runs at
// their own prices pay under one model whatever each names, and one at
// its own price against one at a catalog price do not.
const ownPrice = "own price"

// pricingModel is the pricing model the fleet's cost depends on: ownPrice
// for an own price that is not spot (spot takes its discount off an own
// price too), else fleet.pricing.
func (p FleetPricing) pricingModel() string {
	if p.Own && p.Pricing != hw.PricingSpot {
		return ownPrice
	}
	return p.Pricing
}

// pricingModels is a run's pricing models, sorted and each once.
func pricingModels(fleets []FleetPricing) string {
	var models []string
	for _, f := range fleets {
		if m := f.pricingModel(); !slices.Contains(models, m) {
			models = append(models, m)
		}
	}
	slices.Sort(models)
	return strings.Join(models, ", ")
}

// PricingMixWarning says, over runs set side by side (roles name them,
// fleets[i] is how run i pays, nil where unknown and left out), when they
// pay under different pricing models or at catalog prices dated more than
// hw.MaxPriceMonths apart, naming each one's pricing and price date: their
// costs then differ by that as well as by their fleets. "" otherwise.
func PricingMixWarning(what string, roles []string, fleets [][]FleetPricing) string {
	return PricingMixWarningFix(what, roles, fleets,
		"price them alike (--set fleet.pricing where the catalog prices both so, or fleet.price_usd_per_hour from a quote)")
}

// PricingMixWarningFix is PricingMixWarning with how to price them alike
// (fix) where their pricing models differ: a --set over the runs suits
// runs of aiecon compare, while run refuses one beside the variants when
// a variant sets the field, so the variants' warning names another way.
func PricingMixWarningFix(what string, roles []string, fleets [][]FleetPricing, fix string) string {
	var known []int
	models := map[string]bool{}
	lo, hi, dated := math.MaxInt, math.MinInt, false
	for i, fs := range fleets {
		if fs == nil {
			continue
		}
		known = append(known, i)
		models[pricingModels(fs)] = true
		for _, f := range fs {
			if f.Dated {
				lo, hi, dated = min(lo, f.Month), max(hi, f.Month), true
			}
		}
	}
	apart := dated && hi-lo > hw.MaxPriceMonths
	blocks := false // a Capacity Blocks rate among the catalog prices paid
	for _, i := range known {
		for _, f := range fleets[i] {
			blocks = blocks || f.pricingModel() == hw.PricingCapacityBlock
		}
	}
	if len(known) < 2 || len(models) < 2 && !apart {
		return ""
	}
	var how, why []string
	mixed := false // pricing models that move the cost
	if w := pricingModelsWhy(fleets, known); len(models) > 1 && w != "" {
		how = append(how, "under different pricing models")
		why = append(why, w)
		mixed = true
	}
	if !mixed && !apart {
		return "" // the models differ, but where the catalog can tell, by too little to move the comparison
	}
	if apart {
		how = append(how, fmt.Sprintf("at prices dated about %d months apart", hi-lo))
		why = append(why, hw.PricesMoveWhy(blocks))
	}
	sides := pricingSides(roles, fleets, known)
	if mixed {
		fix = "; to compare the fleets alone, " + fix
	} else {
		fix = ""
	}
	return "the " + what + " pay for their instances " + strings.Join(how, " and ") + ": " + sides + "; " +
		strings.Join(why, ", and ") + ", so cost, cost per Mtok and margin differ by that as well as by the fleets" + fix +
		" (docs/model.md, \"Prices\")"
}

// pricingModelsWhy is why different pricing models move a comparison's
// cost: the catalog's spread between its models where runs pay catalog
// prices under different models, and that an own price is no catalog's
// where a run sets its own (a quote, or 0 for capacity already paid for),
// which the catalog's spread says nothing about. A spread below
// minPricingSpread is left out: trn2 on Capacity Blocks against p5en
// on-demand was warned of p5en's 0.2% ($63.30/h against $63.16/h), "up to
// 1.0x", a difference the sentence said mattered; "" where nothing is left.
func pricingModelsWhy(fleets [][]FleetPricing, known []int) string {
	catalog, own := map[string]bool{}, false
	for _, i := range known {
		for _, f := range fleets[i] {
			if m := f.pricingModel(); m == ownPrice {
				own = true
			} else {
				catalog[m] = true
			}
		}
	}
	var why []string
	if len(catalog) > 1 {
		if w := pricingSpreadWhy(fleets, known, catalog); w != "" {
			why = append(why, w)
		}
	}
	if own {
		why = append(why, "a scenario's own price (fleet.price_usd_per_hour) is a quote, not the catalog's")
	}
	return strings.Join(why, ", and ")
}

// pricingSides is "A pays X" for each known run, the runs that pay alike
// grouped into one clause ("A, C and D pay X, B pays Y"), in the order
// each way of paying first appears: one clause a run repeated the same
// price and date for each of four runs, and pushed the dashboard's
// comparison table off an 80x24 screen.
func pricingSides(roles []string, fleets [][]FleetPricing, known []int) string {
	var ways []string
	who := map[string][]string{}
	for _, i := range known {
		each := make([]string, len(fleets[i]))
		for k, f := range fleets[i] {
			each[k] = f.describe()
		}
		way := strings.Join(each, " and ")
		if _, ok := who[way]; !ok {
			ways = append(ways, way)
		}
		who[way] = append(who[way], roles[i])
	}
	sides := make([]string, len(ways))
	for j, way := range ways {
		verb := " pays "
		if len(who[way]) > 1 {
			verb = " pay "
		}
		sides[j] = format.ListAnd(who[way]) + verb + way
	}
	return strings.Join(sides, ", ")
}

// spread is how far apart the catalog prices one instance under two
// pricing models: its dearest price (hi, under hiModel) over its cheapest.
type spread struct {
	instance         string
	hiModel, loModel string
	hi, lo           float64
}

// pricingSpread is the widest spread the compared fleets' own pricing
// models give one of their instances in the catalog: for each instance a
// known fleet pays a catalog price for, its catalog prices under each of
// models (the catalog pricing models the fleets pay under; spot at the
// catalog's spot quote, what an unset fleet.spot.discount pays), its
// dearest over its cheapest; the widest of these, the first found on a
// tie. ok is false where no such instance has a catalog price under two
// of models. The catalog-wide widest (2.9x, g5.xlarge's on-demand over its
// spot quote) was quoted for every comparison: for trn2 on Capacity Blocks
// against p5 on-demand the catalog gives 1.4x, p5's $55.04 on-demand over
// its $39.33 Capacity Blocks rate (trn2 has no on-demand price).
func pricingSpread(fleets [][]FleetPricing, known []int, models map[string]bool) (spread, bool) {
	var best spread
	found := false
	for _, i := range known {
		for _, f := range fleets[i] {
			if f.pricingModel() == ownPrice {
				continue
			}
			s, ok := instanceSpread(f.Instance, models)
			if ok && (!found || s.hi/s.lo > best.hi/best.lo) {
				best, found = s, true
			}
		}
	}
	return best, found
}

// instanceSpread is the spread of an instance's catalog prices under
// models, false where it has fewer than two of them (or is not in the
// catalog). Models are visited in hw.PricingModels' order, then spot, so
// that a tie names the same two every time.
func instanceSpread(name string, models map[string]bool) (spread, bool) {
	in, err := hw.InstanceByName(name)
	if err != nil {
		return spread{}, false
	}
	s := spread{instance: name, hi: math.Inf(-1), lo: math.Inf(1)}
	n := 0
	for _, m := range append(hw.PricingModels(), hw.PricingSpot) {
		f, ok := in.Price(m)
		if m == hw.PricingSpot {
			f, ok = in.Spot, in.Spot.Known
		}
		v := f.SI()
		if !models[m] || !ok || !(v > 0) {
			continue
		}
		n++
		if v > s.hi {
			s.hi, s.hiModel = v, m
		}
		if v < s.lo {
			s.lo, s.loModel = v, m
		}
	}
	return s, n > 1 && s.hi > s.lo
}

// minPricingSpread is the least spread (dearest over cheapest) of an
// instance's catalog prices under the compared pricing models that
// PricingMixWarning names: below it the models move cost less than a
// comparison of fleets is read to (5%).
const minPricingSpread = 1.05

// pricingSpreadWhy says how far the compared fleets' catalog pricing
// models (models) move one of their instances' price (pricingSpread),
// naming it and its two prices, or that the catalog cannot tell where it
// prices none of them under two of the models; "" where the widest spread
// is below minPricingSpread.
func pricingSpreadWhy(fleets [][]FleetPricing, known []int, models map[string]bool) string {
	s, ok := pricingSpread(fleets, known, models)
	if !ok {
		return "the catalog prices none of these instances under two of these pricing models, so how far the models alone move the cost it cannot tell"
	}
	if s.hi/s.lo < minPricingSpread {
		return ""
	}
	return fmt.Sprintf("the catalog's prices for one instance differ by up to %s between these pricing models (%s: $%.2f/h %s, $%.2f/h %s)",
		spreadText(s.hi/s.lo), s.instance, s.hi, s.hiModel, s.lo, s.loModel)
}

// spreadText is how a spread of prices (dearest over cheapest, 1 or more)
// reads: a percentage below 2x ("40%", where "1.4x" read as a multiple
// and "1.0x" as no difference at all), a multiple from 2x ("2.3x").
func spreadText(ratio float64) string {
	if ratio >= 2 {
		return fmt.Sprintf("%.1fx", ratio)
	}
	return fmt.Sprintf("%.0f%%", (ratio-1)*100)
}

// pricing reads how each run pays for its instances (Comparison.Pricing)
// from its resolved scenario and its stored prices per instance-hour (the
// rows of price_per_instance_hour_usd), by index in the order asked.
func pricing(rows []CompareRow, scenarios []storedScenario) [][]FleetPricing {
	out := make([][]FleetPricing, len(scenarios))
	for i, st := range scenarios {
		if st.sc == nil {
			continue // none stored, or stored by another version: its pricing cannot be told
		}
		out[i] = FleetPricings(st.sc, func(scope string) float64 {
			for _, r := range rows {
				if r.Name == kpi.PricePerInstanceHourUSD && r.Scope == scope {
					return r.Values[i]
				}
			}
			return math.NaN()
		})
	}
	return out
}

// PricingWarning is PricingMixWarning over the compared runs, called "the
// baseline", "run 2" and so on as the CLI's table heads them.
func (c *Comparison) PricingWarning() string {
	return c.PricingWarningNaming(nil)
}

// PricingWarningNaming is PricingWarning with run i called labels[i] (the
// dashboard's column letters); runs past the labels are "the baseline",
// "run 2" and so on.
func (c *Comparison) PricingWarningNaming(labels []string) string {
	return PricingMixWarning("runs", tableRoles(len(c.Pricing), labels), c.Pricing)
}
