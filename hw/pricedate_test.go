package hw

import "testing"

// TestPriceMonth reads the catalog's price dates, exact or loose.
func TestPriceMonth(t *testing.T) {
	tests := []struct {
		date string
		want int // year*12 + month-1; -1: none
	}{
		{"2026-10-08", 2026*12 + 9},
		{"2026-07", 2026*12 + 6},
		{"late 2024", 2024*12 + 10},
		{"early 2025", 2025*12 + 1},
		{"2025", 2025*12 + 5},
		{"since 2024-09-16", 2024*12 + 8},
		{"undated, pre-2025-06", 2025*12 + 5},
		{"current page", -1},
		{"", -1},
		{"2025-13", -1},
	}
	for _, tt := range tests {
		got, ok := PriceMonth(Fact{Known: true, Date: tt.date})
		if !ok {
			got = -1
		}
		if got != tt.want {
			t.Errorf("%q: month %d, want %d", tt.date, got, tt.want)
		}
	}
	if _, ok := PriceMonth(Fact{Date: "2026-10-08"}); ok {
		t.Error("an unknown price has a date")
	}
}

// TestPriceCaveat: a catalog price quoted only in notes with no author,
// title or URL says so, and an undated snapshot says it is undated; a
// dated, sourced price says nothing. trn1's Capacity Blocks rate was
// printed exactly like a sourced one.
func TestPriceCaveat(t *testing.T) {
	for _, tt := range []struct{ instance, pricing, want string }{
		{"trn1.32xlarge", PricingCapacityBlock, "no public source"},
		{"p5en.48xlarge", PricingCapacityBlock, "no public source"},
		{"g5.xlarge", PricingOnDemand, "undated"},
		{"g6.xlarge", PricingOnDemand, "undated"},
		{"trn2.48xlarge", PricingCapacityBlock, ""},
		{"inf2.48xlarge", PricingOnDemand, ""},
	} {
		in, err := InstanceByName(tt.instance)
		if err != nil {
			t.Fatal(err)
		}
		p, ok := in.Price(tt.pricing)
		if !ok {
			t.Fatalf("%s has no %s price", tt.instance, tt.pricing)
		}
		if got := PriceCaveat(p); got != tt.want {
			t.Errorf("%s %s: caveat %q, want %q", tt.instance, tt.pricing, got, tt.want)
		}
	}
}
