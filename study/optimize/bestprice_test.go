package optimize

import (
	"strings"
	"testing"

	"aiecon/hw"
)

// TestBestPriceNote: optimize says when the fleet it picks is priced at an
// undated catalog price or one resting on no public source (it picked
// g5.xlarge at the undated $1.006/h against dated prices, and said only
// that the dates differ); a dated, sourced best, or none, says nothing.
func TestBestPriceNote(t *testing.T) {
	price := func(instance, pricing string) Price {
		in, err := hw.InstanceByName(instance)
		if err != nil {
			t.Fatal(err)
		}
		f, ok := in.Price(pricing)
		if !ok {
			t.Fatalf("%s: no %s price", instance, pricing)
		}
		return Price{Instance: instance, USDPerHour: f.SI(), From: "catalog " + pricing, Fact: f}
	}
	for _, tt := range []struct {
		name string
		best Price
		want string // "" for no note
	}{
		{"undated", price("g5.xlarge", hw.PricingOnDemand), "g5.xlarge price, $1.006/h (catalog on-demand, undated, pre-2025-06), is undated"},
		{"unsourced", price("trn1.32xlarge", hw.PricingCapacityBlock), "rests on no public source"},
		{"dated and sourced", price("inf2.48xlarge", hw.PricingOnDemand), ""},
	} {
		r := &Result{Candidates: []*Candidate{{Price: price("inf2.48xlarge", hw.PricingOnDemand)}, {Price: tt.best}}, Best: &Eval{Candidate: 1}}
		got := BestPriceNote(r)
		if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
	if got := BestPriceNote(&Result{}); got != "" {
		t.Errorf("no best: %q", got)
	}
}
