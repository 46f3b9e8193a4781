package hw

import (
	"os"
	"strings"
	"testing"
)

// TestPrices checks every catalogued price that economics-facts.md dates
// (its value, label, source key and date), and, when the file is present,
// that the number as written appears in it.
func TestPrices(t *testing.T) {
	od := func(in *Instance) Fact { return in.OnDemand }
	cb := func(in *Instance) Fact { return in.CapacityBlock }
	ri := func(in *Instance) Fact { return in.RIEffective }
	spot := func(in *Instance) Fact { return in.Spot }
	tests := []struct {
		instance string
		field    func(*Instance) Fact
		value    float64
		label    Label
		source   string
		date     string
		text     string // as written in economics-facts.md
	}{
		{"p5.48xlarge", od, 55.04, Official, "KARP", "2026-07-20", "55.04"},
		{"p5en.48xlarge", od, 63.296, Official, "KARP", "2026-07-20", "63.296"},
		{"p4de.24xlarge", od, 27.44705, Official, "KARP", "2026-07-20", "27.44705"},
		{"p6-b200.48xlarge", od, 113.9328, Official, "KARP", "2026-07-20", "113.9328"},
		{"inf2.48xlarge", od, 12.98127, Official, "KARP", "2026-07-20", "12.98127"},
		{"inf2.xlarge", od, 0.7582, Official, "KARP", "2026-07-20", "0.7582"},
		{"trn1.32xlarge", od, 21.50, Official, "KARP", "2026-07-20", "21.50"},
		{"trn1n.32xlarge", od, 24.78, Official, "KARP", "2026-07-20", "24.78"},
		{"trn2.48xlarge", cb, 35.7608, ThirdParty, "CB26", "2026-05-21", "35.7608"},
		{"p5en.48xlarge", cb, 63.158, Estimate, "CB26", "2026-10-08", "63.158"},
		{"trn1.32xlarge", cb, 9.532, Estimate, "CB26", "2026-10-08", "9.532"},
		{"p4de.24xlarge", cb, 14.7663, ThirdParty, "CB26", "2026-05-21", "14.7663"},
		{"p5.48xlarge", cb, 39.33, ThirdParty, "CB", "late 2024", "39.33"},
		{"p5en.48xlarge", spot, 27.20, ThirdParty, "DSTACK", "2026-08-06", "27.20"},
		{"g5.xlarge", spot, 0.348, ThirdParty, "SKY-4019", "2024-09-28", "0.348"},
		{"inf2.48xlarge", ri, 5.608, Official, "NSDK", dateRI, "5.608"},
	}
	facts, err := os.ReadFile(econFactsPath)
	if err != nil {
		t.Logf("skipping the text check: %v (economics-facts.md lives in ../shared/reference)", err)
	}
	for _, tt := range tests {
		in, err := InstanceByName(tt.instance)
		if err != nil {
			t.Fatal(err)
		}
		f := tt.field(in)
		if !f.Known || f.Value != tt.value || f.Unit != "USD/h" || f.Label != tt.label || f.Source != tt.source || f.Date != tt.date {
			t.Errorf("%s: got %v %s (known %v, label %s, source %s, date %q), want %v USD/h %s %s %q",
				tt.instance, f.Value, f.Unit, f.Known, f.Label, f.Source, f.Date, tt.value, tt.label, tt.source, tt.date)
		}
		if facts != nil && !strings.Contains(string(facts), tt.text) {
			t.Errorf("%s: %q does not appear in economics-facts.md: the table is wrong", tt.instance, tt.text)
		}
	}
}

// TestTrn2HasNoOnDemandPrice: AWS lists no current trn2 on-demand price, so
// the catalog says so (and why) and offers the Capacity Blocks rate.
func TestTrn2HasNoOnDemandPrice(t *testing.T) {
	in, err := InstanceByName("trn2.48xlarge")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := in.Price(PricingOnDemand); ok || in.OnDemand.Value != 0 {
		t.Errorf("trn2 on-demand = %v (known %v), want unknown", in.OnDemand.Value, in.OnDemand.Known)
	}
	if !strings.Contains(in.OnDemand.Note, "no current public on-demand price") || !strings.Contains(in.OnDemand.Note, "capacity-block") {
		t.Errorf("trn2 on-demand note %q must say there is none and what to use instead", in.OnDemand.Note)
	}
	if p, ok := in.Price(PricingCapacityBlock); !ok || p.Value != 35.7608 {
		t.Errorf("trn2 capacity-block = %v, %v; want 35.7608", p.Value, ok)
	}
}

// TestEveryPriceIsDatedAndSourced runs over every price of every instance.
func TestEveryPriceIsDatedAndSourced(t *testing.T) {
	for _, in := range Instances() {
		for _, nf := range in.Facts() {
			if nf.Unit != "USD/h" {
				continue
			}
			if nf.Known && (nf.Date == "" || nf.Source == "") {
				t.Errorf("%s %s: price %v without its date or source", in.Name, nf.Name, nf.Value)
			}
			if !nf.Known && nf.Date != "" {
				t.Errorf("%s %s: unknown price with a date", in.Name, nf.Name)
			}
		}
	}
	for _, nf := range PricingTerms() {
		if !nf.Known || nf.Date == "" || nf.Unit != "%" || nf.Value <= 0 || nf.Value >= 100 {
			t.Errorf("pricing term %s = %v %s (date %q): want a dated percentage", nf.Name, nf.Value, nf.Unit, nf.Date)
		}
	}
}

// TestUnsourcedPricesAreMarkedSo: a price with no public source is
// labelled EST (an unverified figure) and its detail names no vendor page;
// a third-party label goes only with a public document. p5en's and
// trn1's Capacity Blocks rates, from engineering notes with no author,
// title or URL, printed "3P CB26 aws.amazon.com/ec2/capacityblocks/pricing",
// the marks of trn2's rate, which Loka's article quotes from that page.
func TestUnsourcedPricesAreMarkedSo(t *testing.T) {
	n := 0
	for _, in := range Instances() {
		for _, nf := range in.Facts() {
			if nf.Unit != "USD/h" || PriceCaveat(nf.Fact) != "no public source" {
				continue
			}
			n++
			if nf.Label != Estimate || strings.Contains(nf.Detail, "aws.amazon.com") || strings.Contains(nf.Detail, "pricing") {
				t.Errorf("%s %s: %v with no public source is marked %s %s %q, want EST and a detail that names no vendor page",
					in.Name, nf.Name, nf.Value, nf.Label, nf.Source, nf.Detail)
			}
		}
	}
	if n == 0 {
		t.Error("no price with no public source: the test checks nothing (trn1's and p5en's Capacity Blocks rates were)")
	}
}

func TestPriceByPricingModel(t *testing.T) {
	in, err := InstanceByName("trn1.32xlarge")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		pricing string
		want    float64
		ok      bool
	}{
		{PricingOnDemand, 21.50, true},
		{PricingCapacityBlock, 9.532, true},
		{PricingReserved, 8.197, true},
		{"spot", 0, false}, // spot derives from on-demand in the simulator
		{"", 0, false},
	} {
		p, ok := in.Price(tt.pricing)
		if ok != tt.ok || ok && p.Value != tt.want {
			t.Errorf("Price(%q) = %v, %v; want %v, %v", tt.pricing, p.Value, ok, tt.want, tt.ok)
		}
	}
}
