package forecast

import (
	"strings"
	"testing"

	"aiecon/hw"
	"aiecon/model"
)

// catalogPrice is an instance's catalog price under a pricing model, and
// its date as the rent note prints it.
func catalogPrice(t *testing.T, instance, pricing string) (float64, string) {
	t.Helper()
	in, err := hw.InstanceByName(instance)
	if err != nil {
		t.Fatal(err)
	}
	p, ok := in.Price(pricing)
	if !ok {
		t.Fatalf("%s has no %s price", instance, pricing)
	}
	return p.SI(), hw.PriceWhen(p)
}

// TestRentPricingNamesThePlansPrice: a price the plan sets is named by the
// catalog price it equals, not by the base's fleet.pricing. The built-in
// sets p5en's on-demand price over a base priced at the Capacity Blocks
// rate, and the note read "capacity-block 63.3 (the plan's)".
func TestRentPricingNamesThePlansPrice(t *testing.T) {
	od, odWhen := catalogPrice(t, "p5en.48xlarge", hw.PricingOnDemand)
	cb, cbWhen := catalogPrice(t, "p5en.48xlarge", hw.PricingCapacityBlock)
	trn, trnWhen := catalogPrice(t, "trn2.48xlarge", hw.PricingCapacityBlock)
	tests := []struct {
		name                string
		fleet               model.Fleet
		usd                 float64
		wantPricing, source string
	}{
		{"catalog price", model.Fleet{Instance: "trn2.48xlarge", Pricing: "capacity-block"}, trn, "capacity-block", "(catalog, " + trnWhen + ")"},
		{"on-demand price under capacity-block", model.Fleet{Instance: "p5en.48xlarge", Pricing: "capacity-block", PriceUSDPerHour: od}, od,
			"on-demand", "(the plan's; the catalog's on-demand price, " + odWhen + ")"},
		{"capacity-block price under on-demand", model.Fleet{Instance: "p5en.48xlarge", Pricing: "on-demand", PriceUSDPerHour: cb}, cb,
			"capacity-block", "(the plan's; the catalog's capacity-block price, " + cbWhen + ")"},
		{"a price of the plan's own", model.Fleet{Instance: "p5en.48xlarge", Pricing: "reserved", PriceUSDPerHour: 50}, 50, "reserved", ""},
		{"spot off a set price", model.Fleet{Instance: "p5en.48xlarge", Pricing: "spot", PriceUSDPerHour: od}, od / 2, "spot", ""},
	}
	for _, tt := range tests {
		pricing, source := rentPricing(tt.fleet, tt.usd)
		if pricing != tt.wantPricing || source != tt.source {
			t.Errorf("%s: %q %q, want %q %q", tt.name, pricing, source, tt.wantPricing, tt.source)
		}
	}
}

// TestBuiltinRentNoteAgreesWithBlocksNote: the built-in's p5en fleets pay
// the on-demand price the plan sets; the note names it so, and no Capacity
// Blocks note is owed them, while owned-trn2 pays the catalog's rate.
func TestBuiltinRentNoteAgreesWithBlocksNote(t *testing.T) {
	f, err := Load("trainium-amortization")
	if err != nil {
		t.Fatal(err)
	}
	r := NewReport(f, nil, 0)
	var b strings.Builder
	if err := r.writeFleets(&b, false); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"rented-p5en on-demand 63.3 (the plan's; the catalog's on-demand price", "owned-trn2 capacity-block 35.8 (catalog"} {
		if !strings.Contains(b.String(), w) {
			t.Errorf("no %q in\n%s", w, b.String())
		}
	}
	if strings.Contains(b.String(), "capacity-block 63.3") {
		t.Errorf("the plan's on-demand price named capacity-block:\n%s", b.String())
	}
	for _, fe := range r.Fleets {
		if strings.HasSuffix(fe.Variant, "p5en") && fe.BlocksBySlice != nil {
			t.Errorf("%s: a Capacity Blocks note for a fleet at the on-demand price", fe.Variant)
		}
	}
}
