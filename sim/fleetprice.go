package sim

import (
	"fmt"
	"math"
	"strings"

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
	p, quote, ok := fleetCatalogPrice(f, usd)
	switch {
	case !ok:
		return ""
	case f.Pricing != hw.PricingSpot:
		return " (catalog, " + priceWhen(p) + ")"
	case quote:
		return " (catalog spot quote, " + priceWhen(p) + ")"
	}
	return fmt.Sprintf(" (catalog on-demand, %s, less the %.0f%% spot discount)", priceWhen(p), 100*f.SpotDiscount())
}

// priceWhen is hw.PriceWhen with what the price lacks beyond its date: a
// Capacity Blocks rate quoted only in unsourced notes read exactly like a
// sourced one ("no public source" now follows its date).
func priceWhen(p hw.Fact) string {
	when := hw.PriceWhen(p)
	if c := hw.PriceCaveat(p); c != "" && !strings.Contains(when, c) {
		when += "; " + c
	}
	return when
}

// FleetCatalogPrice is the catalog price a fleet paying usd per
// instance-hour was priced from, which FleetPriceDate dates: its pricing
// model's, or for a spot fleet the catalog's dated spot quote where the
// discount is the catalog's, the on-demand price its discount applies to
// otherwise. False where the scenario sets its own price, and where usd
// is not what the catalog gives now (a stored run priced under an older
// catalog).
func FleetCatalogPrice(f model.Fleet, usd float64) (hw.Fact, bool) {
	p, _, ok := fleetCatalogPrice(f, usd)
	return p, ok
}

// fleetCatalogPrice is FleetCatalogPrice, saying too whether a spot
// fleet's price is the catalog's spot quote.
func fleetCatalogPrice(f model.Fleet, usd float64) (p hw.Fact, spotQuote, ok bool) {
	if f.PriceUSDPerHour != nil || math.IsNaN(usd) || math.IsInf(usd, 0) {
		return hw.Fact{}, false, false
	}
	in, err := hw.InstanceByName(f.Instance)
	if err != nil {
		return hw.Fact{}, false, false
	}
	now, _, err := in.HourlyPrice(f.Pricing, nil, f.SpotDiscount())
	if err != nil || !samePrice(now, usd) {
		return hw.Fact{}, false, false
	}
	if f.Pricing != hw.PricingSpot {
		p, ok = in.Price(f.Pricing)
		return p, false, ok
	}
	if in.Spot.Known && samePrice(in.Spot.SI(), usd) {
		return in.Spot, true, true
	}
	return in.OnDemand, false, true
}

// samePrice says whether two prices per hour agree to rounding.
func samePrice(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b)) }
