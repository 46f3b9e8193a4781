package sim

import (
	"fmt"
	"math"

	"aiecon/hw"
	"aiecon/model"
)

// FleetPriceDate is " (catalog, WHEN)" for a fleet whose price per
// instance-hour, usd, is the catalog's: when the price was read, with its
// region where it is not us-east-1, as hw list prints them. Catalog prices
// go stale at different paces (the Capacity Blocks rates that still price
// p5 and p5e are of late 2024, the on-demand prices of 2026), and a line
// that printed "$39.33/h each" alone read as today's (run's FLEET line,
// show's header and a forecast's RENT line print it). A spot fleet priced
// at the catalog's dated spot quote gives the quote's date; one priced at
// on-demand less the scenario's discount, the on-demand price's. "" where
// the scenario sets its own price, and where usd is not what the catalog
// gives now (a stored run priced under an older catalog): no date then
// rather than a wrong one.
func FleetPriceDate(f model.Fleet, usd float64) string {
	if f.PriceUSDPerHour > 0 || math.IsNaN(usd) || math.IsInf(usd, 0) {
		return ""
	}
	in, err := hw.InstanceByName(f.Instance)
	if err != nil {
		return ""
	}
	now, _, err := in.HourlyPrice(f.Pricing, 0, f.SpotDiscount())
	if err != nil || !samePrice(now, usd) {
		return ""
	}
	if f.Pricing != hw.PricingSpot {
		p, _ := in.Price(f.Pricing)
		return " (catalog, " + hw.PriceWhen(p) + ")"
	}
	if in.Spot.Known && samePrice(in.Spot.SI(), usd) {
		return " (catalog spot quote, " + hw.PriceWhen(in.Spot) + ")"
	}
	return fmt.Sprintf(" (catalog on-demand, %s, less the %.0f%% spot discount)", hw.PriceWhen(in.OnDemand), 100*f.SpotDiscount())
}

// samePrice says whether two prices per hour agree to rounding.
func samePrice(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b)) }
