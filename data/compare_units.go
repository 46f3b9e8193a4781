package data

import (
	"fmt"
	"math"

	"aiecon/model/kpi"
)

// perPricing are the KPIs whose unit follows the runs' ads pricing, with
// what the unit is under each: ad_bid_scale multiplies the bids per click
// under cpc and converts them to bids per thousand impressions under cpm
// (docs/model.md, "Ads and commerce"), so between a cpc and a cpm run its
// change is the change of unit (+300% for baseline), not of the bids.
var perPricing = map[string]map[string]string{
	kpi.AdBidScale: {"cpc": "per click", "cpm": "per thousand impressions"},
}

// adsPricings reads each run's ads pricing (cpc or cpm) from its resolved
// scenario, by index in the order asked; "" where it has no ads block or
// its scenario cannot be read.
func adsPricings(scenarios []storedScenario) []string {
	out := make([]string, len(scenarios))
	for i, st := range scenarios {
		if st.sc == nil || st.sc.Ads == nil {
			continue // none stored, stored by another version, or no ads: nothing to tell apart
		}
		out[i] = st.sc.Ads.Pricing
		if out[i] == "" {
			out[i] = "cpc" // the default, written out in resolved scenarios
		}
	}
	return out
}

// markUnitChanges leaves no change between runs whose value of a KPI is in
// another unit than the baseline's (perPricing): their Delta and RelDelta
// are NaN and UnitNote says the units differ, which compare prints in
// place of the Δ%.
func markUnitChanges(rows []CompareRow, pricings []string) {
	for r := range rows {
		units, ok := perPricing[rows[r].Name]
		if !ok || len(pricings) == 0 {
			continue
		}
		row := &rows[r]
		base := pricings[0]
		for i := 1; i < len(row.Values) && i < len(pricings); i++ {
			if base == "" || pricings[i] == "" || pricings[i] == base {
				continue
			}
			if row.UnitNote == nil {
				row.UnitNote = make([]string, len(row.Values))
			}
			row.Delta[i], row.RelDelta[i] = math.NaN(), math.NaN()
			row.UnitNote[i] = fmt.Sprintf("units differ: %s under %s, %s under %s", units[base], base, units[pricings[i]], pricings[i])
		}
	}
}
