package hw

import (
	"math"
	"strings"
	"testing"
)

// HourlyPrice: the scenario's price wins, else the catalog's for the
// pricing model; spot is on-demand less the discount; a model the catalog
// has no price for is an error naming the instance.
func TestHourlyPrice(t *testing.T) {
	p5, err := InstanceByName("p5.48xlarge")
	if err != nil {
		t.Fatal(err)
	}
	od, _ := p5.Price(PricingOnDemand)
	for _, tt := range []struct {
		pricing            string
		priceUSD, discount float64
		want               float64
		source             string
	}{
		{PricingOnDemand, 0, 0, od.SI(), "catalog on-demand"},
		{PricingOnDemand, 12.5, 0, 12.5, "scenario"},
		{PricingSpot, 0, 0.6, 0.4 * od.SI(), "catalog on-demand minus 60% spot discount"},
		{PricingSpot, 20, 0.5, 10, "scenario minus 50% spot discount"},
		{PricingOwned, 13.5, 0, 13.5, "scenario"},
	} {
		got, source, err := p5.HourlyPrice(tt.pricing, tt.priceUSD, tt.discount)
		if err != nil || math.Abs(got-tt.want) > 1e-9 || source != tt.source {
			t.Errorf("%s, price %v, discount %v: %v %q (%v), want %v %q", tt.pricing, tt.priceUSD, tt.discount, got, source, err, tt.want, tt.source)
		}
	}
	// The catalog has no owned cost: the scenario gives it.
	if _, _, err := p5.HourlyPrice(PricingOwned, 0, 0); err == nil {
		t.Error("owned without a price: no error")
	}
	if _, _, err := p5.HourlyPrice("", 0, 0); err == nil || !strings.Contains(err.Error(), "p5.48xlarge") {
		t.Errorf("no pricing model: %v, want an error naming the instance", err)
	}
}
