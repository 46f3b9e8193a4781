package sim

import (
	"testing"

	"aiecon/model"
)

// FleetPriceDate dates the catalog price the fleet pays: the spot quote
// when the discount is the catalog's, on-demand less the scenario's
// discount otherwise; nothing for the scenario's own price or a price the
// catalog no longer gives.
func TestFleetPriceDate(t *testing.T) {
	spot := func(d float64) *model.Spot { return &model.Spot{Discount: d} }
	for _, tt := range []struct {
		name string
		f    model.Fleet
		usd  float64
		want string
	}{
		{"capacity block", model.Fleet{Instance: "p5e.48xlarge", Pricing: "capacity-block"}, 43.26, " (catalog, us-east-2, late 2024)"},
		{"reserved", model.Fleet{Instance: "trn1.32xlarge", Pricing: "reserved"}, 8.197, " (catalog, since 2024-09-16)"},
		{"spot quote", model.Fleet{Instance: "p4d.24xlarge", Pricing: "spot", Spot: spot(1 - 9.279/21.957642)}, 9.279, " (catalog spot quote, 2024-09-28)"},
		{"spot discount", model.Fleet{Instance: "p5.48xlarge", Pricing: "spot", Spot: spot(0.5)}, 27.52, " (catalog on-demand, 2026-07-20, less the 50% spot discount)"},
		// A rate quoted only in unsourced notes says so (review90 B3).
		{"unsourced capacity block", model.Fleet{Instance: "trn1.32xlarge", Pricing: "capacity-block"}, 9.532, " (catalog, region not stated, 2026-10-08; no public source)"},
		{"undated on-demand", model.Fleet{Instance: "g5.xlarge", Pricing: "on-demand"}, 1.006, " (catalog, undated, pre-2025-06)"},
		{"scenario's price", model.Fleet{Instance: "p5.48xlarge", Pricing: "on-demand", PriceUSDPerHour: model.USD(30)}, 30, ""},
		{"scenario's price of 0", model.Fleet{Instance: "p5.48xlarge", Pricing: "on-demand", PriceUSDPerHour: model.USD(0)}, 0, ""},
		{"older catalog", model.Fleet{Instance: "p5.48xlarge", Pricing: "on-demand"}, 98.32, ""},
	} {
		if got := FleetPriceDate(tt.f, tt.usd); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}
