package forecast

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"aiecon/hw"
	"aiecon/model"
	"aiecon/model/format"
	"aiecon/sim"
)

// RentStep is a fleet's rental price from a period on: the instance it
// rents, its pricing model (rentPricing) and where the price comes from,
// as run's FLEET line dates it (sim.FleetPriceDate: " (catalog, us-east-2,
// 2026-05-21)"), or, where the plan sets its own price, the catalog price
// it equals ("(the plan's; the catalog's on-demand price, 2026-07-20)") or
// "". Instance is empty in a report stored before it was kept.
type RentStep struct {
	From       int     `json:"from"`
	Instance   string  `json:"instance,omitempty"`
	USDPerHour float64 `json:"usd_per_hour"`
	Pricing    string  `json:"pricing"`
	Source     string  `json:"source,omitempty"`
}

// rentSteps are a variant's rental prices: period 1's, then each period
// whose roadmap changes the fleet's instance, pricing or price (a rate
// cut from year 2, say). The
// FLEET table printed period 1's alone, undated, while the costs paid the
// cut; and a step to another instance read as the first one's price
// changing ("on-demand 63.3 from quarter 3" under trn2.48xlarge, for
// p5en.48xlarge), so each step names its instance. Only the roadmap's
// fleet.* overrides are applied, all a price depends on: a training block
// can refuse the variant's placeholder count.
func (f *Forecast) rentSteps(vp *VariantPlan) []RentStep {
	var out []RentStep
	for k := 1; k <= f.Spec.Periods.Count; k++ {
		sc := f.fleetScenario(vp, k)
		if sc == nil {
			continue
		}
		out = appendStep(out, fleetStep(k, sc.Fleet, scenarioRent(sc)))
	}
	return out
}

// fleetStep is the rent step of a fleet (the main one, or a model mix's
// pool) paying usd an instance-hour from period k.
func fleetStep(k int, fl model.Fleet, usd float64) RentStep {
	st := RentStep{From: k, Instance: fl.Instance, USDPerHour: usd}
	st.Pricing, st.Source = rentPricing(fl, usd)
	return st
}

// appendStep appends st to steps where it changes the instance, pricing
// or price of the last one.
func appendStep(steps []RentStep, st RentStep) []RentStep {
	if n := len(steps); n == 0 || steps[n-1].USDPerHour != st.USDPerHour || steps[n-1].Pricing != st.Pricing || steps[n-1].Instance != st.Instance {
		return append(steps, st)
	}
	return steps
}

// rentPricing names the pricing model of a fleet's price and where the
// price comes from. A catalog price is fleet.pricing's, dated. A price the
// plan sets is fleet.pricing's only as far as we know: a plan that sets
// p5en's on-demand price (63.296) over a base priced at the Capacity
// Blocks rate (63.158) kept the base's fleet.pricing, and the note read
// "capacity-block 63.3 (the plan's)" while the Capacity Blocks note was
// skipped for the fleet. So a set price that equals a catalog price of the
// instance is named by that price's model (fleet.pricing's when it is one
// of them) and dated; a spot price, fleet.pricing's discount off the set
// price, stays spot; any other keeps fleet.pricing, the model the run
// was simulated under, with nothing in the catalog to say otherwise.
func rentPricing(fl model.Fleet, usd float64) (pricing, source string) {
	if fl.PriceUSDPerHour == nil || fl.Pricing == hw.PricingSpot {
		return fl.Pricing, strings.TrimSpace(sim.FleetPriceDate(fl, usd))
	}
	in, err := hw.InstanceByName(fl.Instance)
	if err != nil {
		return fl.Pricing, ""
	}
	var matches []string
	for _, m := range hw.PricingModels() {
		if p, ok := in.Price(m); ok && samePrice(p.SI(), usd) {
			matches = append(matches, m)
		}
	}
	if len(matches) == 0 {
		return fl.Pricing, ""
	}
	pricing = matches[0]
	if slices.Contains(matches, fl.Pricing) {
		pricing = fl.Pricing
	}
	p, _ := in.Price(pricing)
	return pricing, fmt.Sprintf("(the plan's; the catalog's %s price, %s)", pricing, hw.PriceWhen(p))
}

// paidPricing sets the pricing a variant's runs pay in period k where the
// plan's price names another than the scenario's fleet.pricing
// (rentPricing): the built-in's rented p5en pays p5en's on-demand price
// over a base at the Capacity Blocks rate, and its stored runs read
// "capacity-block $63.30/h" in aiecon show. None where they agree, or the
// fleet's scenario does not load (Execute refuses it then).
func (f *Forecast) paidPricing(vp *VariantPlan, k int) []string {
	sc := f.fleetScenario(vp, k)
	if sc == nil {
		return nil
	}
	if pricing, _ := rentPricing(sc.Fleet, scenarioRent(sc)); pricing != "" && pricing != sc.Fleet.Pricing {
		return []string{"fleet.pricing=" + pricing}
	}
	return nil
}

// samePrice says whether two prices per hour agree to rounding.
func samePrice(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b)) }

// fleetScenario is a variant's scenario in period k under the forecast's
// and the variant's sets and the fleet.* overrides of its roadmap so far;
// nil if it does not load.
func (f *Forecast) fleetScenario(vp *VariantPlan, k int) *model.Scenario {
	return f.scenarioIn(vp, k, func(set string) bool { return strings.HasPrefix(set, "fleet.") })
}

// rentNote says what each fleet's RENT USD/h is: its pricing model, where
// the price comes from, and the periods from which the roadmap changes it
// ("28 from quarter 4"). "" without a priced fleet.
func (r *Report) rentNote() string {
	var parts []string
	for _, fe := range r.Fleets {
		if len(fe.Rent) == 0 {
			continue
		}
		part := fe.Variant + " " + r.rentStep(fe.Rent[0], nil)
		for i, st := range fe.Rent[1:] {
			part += ", " + r.rentStep(st, &fe.Rent[i])
		}
		if fe.Mode == Owned {
			part += " (owned: it pays no rent for its servers; in parentheses, what renting them would cost, " +
				"its comparator and what burst capacity pays)"
		}
		parts = append(parts, part)
	}
	if len(parts) == 0 {
		return ""
	}
	return "RENT USD/h is period 1's; by fleet, its pricing, where it comes from and the roadmap's changes: " + strings.Join(parts, "; ")
}

// rentStep prints a price step: its instance when it is not the one
// before (prev, nil for period 1's: the table names it), its pricing when
// either is not, the price, from when (after period 1), and its source.
func (r *Report) rentStep(st RentStep, prev *RentStep) string {
	s := money(st.USDPerHour)
	switch {
	case prev == nil:
		s = st.Pricing + " " + s
	case st.Instance != prev.Instance:
		s = st.Instance + " " + st.Pricing + " " + s
	case st.Pricing != prev.Pricing:
		s = st.Pricing + " " + s
	}
	if st.From > 1 {
		s += fmt.Sprintf(" from %s %d", r.PeriodLen, st.From)
	}
	src := st.Source
	if src == "" {
		src = "(the plan's)"
	}
	return s + " " + src
}

// blocksNote says when a fleet pays the Capacity Blocks rate for the hours
// of each slice only: blocks are reserved for whole days and paid up
// front, so a fleet that follows the day's curve reserves its peak. A
// rented fleet's note gives the instances its slices paid for (it gave
// procurement.min to max, bounds the fleet may never reach) and is left
// out where every day's slices paid for as many instances (one slice a
// day, or a count pinned at a bound): that fleet follows no daily curve,
// and whole-day blocks price it as the table does. An owned fleet's is
// burstBlocksNote's.
func (r *Report) blocksNote(variant string) string {
	fe := r.fleet(variant)
	if fe == nil || fe.BlocksBySlice == nil {
		return ""
	}
	rent := r.words().rent
	lo, hi := fe.BlocksBySlice[0], fe.BlocksBySlice[1]
	if fe.Mode != "rented" {
		return r.burstBlocksNote(fe)
	}
	fix := " Set procurement.min to the peak count, or " + hourlyFix(fe, "the fleet") + "."
	sz, known := r.sliceSizing(variant)
	if !known { // a report stored before the slices' counts were kept
		return fmt.Sprintf("%sas many instances as each slice needs, between procurement.min (%d) and procurement.max (%d)%s: "+
			"%s is understated wherever a day's slices differ.%s", blocksHead, lo, hi, blocksWhy, rent, fix)
	}
	if sz.peakShare <= 0 {
		return ""
	}
	return fmt.Sprintf("%s%s to %s instances as each slice of the day needs them%s: %s is understated, and reserving each day's "+
		"peak all day would cost up to %.0f%% more (%s %d).%s", blocksHead, instances(sz.lo), instances(sz.hi), blocksWhy, rent, 100*sz.peakShare,
		r.PeriodLen, sz.at, fix)
}

// reservedNote is blocksNote for a fleet at the reserved rate, and for a
// model mix's pools at it that their own autoscaler moves
// (reservedPoolsNote).
func (r *Report) reservedNote(variant string) string {
	fleet := r.reservedFleetNote(variant)
	pools := r.reservedPoolsNote(r.fleet(variant), fleet != "")
	if fleet != "" && pools != "" {
		return fleet + " " + pools
	}
	return fleet + pools
}

// reservedFleetNote is blocksNote for a fleet at the reserved rate: a
// committed price, paid for every hour of the reservation's term whether
// the instance runs or not, so a fleet sized slice by slice at that rate
// (or an owned fleet's burst) pays for hours it could not hand back. It
// says what the forecast holds reserved from period to period, which the
// note left unsaid: a rented fleet's mean of its slices' counts (what
// RENT pays; meanRentedCount), not the peak; an owned fleet's burst, none.
func (r *Report) reservedFleetNote(variant string) string {
	fe := r.fleet(variant)
	if fe == nil || fe.ReservedBySlice == nil {
		return ""
	}
	sz, known := r.sliceSizing(variant)
	what := fmt.Sprintf("%s to %s instances as each slice of the day needs them", instances(sz.lo), instances(sz.hi))
	held := "it pays, and the forecast holds reserved from period to period, the mean of the slices' counts, not the peak"
	if fe.Mode != "rented" {
		what = fmt.Sprintf("the burst instances the autoscaler adds above its servers (up to %d)", fe.ReservedBySlice[1])
		held = "the forecast holds none of the burst reserved from period to period"
	}
	switch {
	case !known:
		what = fmt.Sprintf("as many instances as each slice needs (up to %d)", fe.ReservedBySlice[1])
	case fe.Mode == "rented" && sz.peakShare <= 0, fe.Mode != "rented" && sz.hi <= 1e-6:
		return "" // a count held all day is what a reservation buys (between periods: reservedIdleNote)
	}
	return fmt.Sprintf("RESERVED FLEET SIZED BY SLICE: this fleet pays the reserved rate for %s, but the reserved rate is a committed "+
		"price, paid for every hour of the reservation's term whether the instance runs or not, so following the day's curve means reserving "+
		"its peak: %s is understated (%s). Reserve the peak (procurement.min for a rented fleet, owned servers for an owned one), or "+
		"price the fleet by the hour (fleet.pricing: on-demand or spot).", what, r.words().rent, held)
}

const (
	blocksHead = "CAPACITY BLOCKS SIZED BY SLICE: this fleet pays the Capacity Blocks rate for "
	blocksWhy  = ", but Capacity Blocks are reserved for whole days (1 to 182) and paid up front (AWS EC2 User Guide, " +
		"capacity-blocks-how.html), so following the day's curve means reserving its peak"
)

// burstBlocksNote is blocksNote for an owned fleet, whose burst instances
// above its servers the autoscaler adds and removes within a slice. It
// said RENT was understated where no burst instance was ever paid for
// (RENT 0), so it is left out where no slice of any sample paid for more
// than the servers; and it advised procurement.min, which an owned fleet
// is refused: its remedies are owning the peak or an hourly price. A
// slice's instances are averaged over it, so the peak inside one is not
// known: the note gives the most a slice paid for on average. A model
// mix's pools are paid instances too, so beside one the note shows
// whatever the burst did (as it did before).
func (r *Report) burstBlocksNote(fe *FleetEconomy) string {
	rent := r.words().rent
	fix := " Own the peak instead (procurement.initial or orders) and lower procurement.burst, or " + hourlyFix(fe, "the burst") + "."
	sz, known := r.sliceSizing(fe.Variant)
	if !known { // a report stored before the slices' counts were kept
		return fmt.Sprintf("%sup to %d burst instances above its servers as the autoscaler needs them%s: %s is understated wherever "+
			"burst instances were paid for.%s", blocksHead, fe.BlocksBySlice[1], blocksWhy, rent, fix)
	}
	if sz.hi <= 1e-6 { // no burst instance paid for: whole-day blocks would have cost nothing either
		return ""
	}
	return fmt.Sprintf("%sthe burst instances the autoscaler adds above its servers, as many as %s on average in a slice (%s %d; "+
		"procurement.burst allows %d)%s: %s is understated.%s", blocksHead, instances(sz.hi), r.PeriodLen, sz.hiAt, fe.BlocksBySlice[1],
		blocksWhy, rent, fix)
}

// hourlyFix is the remedy of pricing what (the fleet, the burst) by the
// hour: fleet.pricing: on-demand where every instance the fleet rents at
// the Capacity Blocks rate has an on-demand price in the catalog, else a
// price of the plan's, since on-demand is refused without one (the
// catalog has none for trn2.48xlarge).
func hourlyFix(fe *FleetEconomy, what string) string {
	var missing []string
	for _, st := range fe.Rent {
		in := cmp.Or(st.Instance, fe.Instance)
		if st.Pricing != hw.PricingCapacityBlock || slices.Contains(missing, in) {
			continue
		}
		if hi, err := hw.InstanceByName(in); err != nil || !hasPrice(hi, hw.PricingOnDemand) {
			missing = append(missing, in)
		}
	}
	if len(missing) == 0 {
		return "price " + what + " at fleet.pricing: on-demand"
	}
	return fmt.Sprintf("give %s an hourly price with fleet.price_usd_per_hour (the catalog has no on-demand price for %s)", what,
		format.ListAnd(missing))
}

// hasPrice says whether the catalog prices an instance under a model.
func hasPrice(in *hw.Instance, model string) bool {
	_, ok := in.Price(model)
	return ok
}

// sliceSizing is what a variant's slices paid for above its owned
// servers (all of a rented fleet's instances; an owned fleet's burst): the
// fewest and the most instances of any slice (the most in period hiAt),
// and how far above the period's average the busiest slice of a day was
// (peakShare, in period at), 0 where the slices of every day paid for as
// many. known is false for a report stored without the slices' counts.
type sliceSizing struct {
	lo, hi, peakShare float64
	at, hiAt          int
}

func (r *Report) sliceSizing(variant string) (sz sliceSizing, known bool) {
	sz.lo = math.Inf(1)
	for _, s := range r.Summary {
		if s.Variant != variant {
			continue
		}
		for _, p := range s.Periods {
			if p.InstancesSliceMax <= 0 {
				continue
			}
			known = true
			owned := float64(p.OwnedServers)
			lo, avg, hi := p.InstancesSliceMin-owned, p.InstancesAvg-owned, p.InstancesSliceMax-owned
			sz.lo = math.Min(sz.lo, lo)
			if hi > sz.hi {
				sz.hi, sz.hiAt = hi, p.Period
			}
			// Float residue of a held count's time average is no curve.
			if share := hi/avg - 1; hi-lo > 1e-6 && share > sz.peakShare {
				sz.peakShare, sz.at = share, p.Period
			}
		}
	}
	return sz, known
}

// instances prints a count of instances, a slice's average: "4", "4.5".
func instances(n float64) string { return strconv.FormatFloat(math.Round(10*n)/10, 'f', -1, 64) }

// fleetInstances names a fleet's instance and, after it, each other instance
// the roadmap rents it from a period on (a rented fleet's:
// "trn2.48xlarge, p5en.48xlarge from quarter 3"), as the FLEET table and
// the variant's table title give it: they named period 1's alone while
// the runs and RENT paid for another.
func (r *Report) fleetInstances(fe FleetEconomy) string {
	s, at := fe.Instance, fe.Instance
	for _, st := range fe.Rent {
		if st.Instance != "" && st.Instance != at {
			s += fmt.Sprintf(", %s from %s %d", st.Instance, r.PeriodLen, st.From)
			at = st.Instance
		}
	}
	return s
}
