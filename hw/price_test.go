package hw

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// HourlyPrice: the scenario's price wins, 0 included (capacity already
// paid for: an explicit 0 is not "not given"), else (nil) the catalog's
// for the pricing model; spot is on-demand less the discount; a model the
// catalog has no price for is an error naming the instance.
func TestHourlyPrice(t *testing.T) {
	p5, err := InstanceByName("p5.48xlarge")
	if err != nil {
		t.Fatal(err)
	}
	od, _ := p5.Price(PricingOnDemand)
	for _, tt := range []struct {
		pricing        string
		priceUSD       *float64
		discount, want float64
		source         string
	}{
		{PricingOnDemand, nil, 0, od.SI(), "catalog on-demand"},
		{PricingOnDemand, ptr(12.5), 0, 12.5, "scenario"},
		{PricingOnDemand, ptr(0), 0, 0, "scenario"},
		{PricingCapacityBlock, ptr(0), 0, 0, "scenario"},
		{PricingSpot, nil, 0.6, 0.4 * od.SI(), "catalog on-demand minus 60% spot discount"},
		{PricingSpot, ptr(20), 0.5, 10, "scenario minus 50% spot discount"},
		{PricingSpot, ptr(0), 0.5, 0, "scenario minus 50% spot discount"},
		{PricingOwned, ptr(13.5), 0, 13.5, "scenario"},
		{PricingOwned, ptr(0), 0, 0, "scenario"},
	} {
		got, source, err := p5.HourlyPrice(tt.pricing, tt.priceUSD, tt.discount)
		if err != nil || math.Abs(got-tt.want) > 1e-9 || source != tt.source {
			t.Errorf("%s, price %v, discount %v: %v %q (%v), want %v %q", tt.pricing, show(tt.priceUSD), tt.discount, got, source, err, tt.want, tt.source)
		}
	}
	// The catalog has no owned cost: the scenario gives it.
	if _, _, err := p5.HourlyPrice(PricingOwned, nil, 0); err == nil {
		t.Error("owned without a price: no error")
	}
	if _, _, err := p5.HourlyPrice("", nil, 0); err == nil || !strings.Contains(err.Error(), "p5.48xlarge") {
		t.Errorf("no pricing model: %v, want an error naming the instance", err)
	}
}

// A Capacity Blocks rate is quoted for one region, and hw list prints it
// beside the date (any price not quoted for us-east-1 does): the p5e rate
// is us-east-2's, but its note named the region after the name the page
// lists it under, so the list implied us-east-1. Where the source names no
// region the list says so rather than imply us-east-1.
func TestPriceRegions(t *testing.T) {
	want := map[string]string{
		"p4d.24xlarge":   RegionNotStated,
		"p4de.24xlarge":  RegionNotStated,
		"p5.48xlarge":    "us-east-1/2", // as the CB table gives it, not us-east-1's alone
		"p5e.48xlarge":   "us-east-2",
		"p5en.48xlarge":  RegionNotStated,
		"trn1.32xlarge":  RegionNotStated,
		"trn2.3xlarge":   "ap-southeast-2",
		"trn2.48xlarge":  "us-east-2",
		"trn2u.48xlarge": "", // unknown
	}
	for name, region := range want {
		in, err := InstanceByName(name)
		if err != nil {
			t.Fatal(err)
		}
		if got := PriceRegion(in.CapacityBlock); got != region {
			t.Errorf("%s capacity block: region %q, want %q (note %q)", name, got, region, in.CapacityBlock.Note)
		}
	}
	// Every price that names a region in its note's first clause names it
	// first, where PriceRegion reads it; every Capacity Blocks rate states
	// its region or that none is stated.
	anyRegion := regexp.MustCompile(`\b(us|eu|ap|sa|ca|me|af)-[a-z]+-\d\b`)
	for _, in := range Instances() {
		for _, nf := range []NamedFact{{"on_demand", in.OnDemand}, {"capacity_block", in.CapacityBlock}, {"ri_effective", in.RIEffective}, {"spot", in.Spot}} {
			if !nf.Known {
				continue
			}
			first, _, _ := strings.Cut(nf.Note, ";")
			if r := anyRegion.FindString(first); r != "" && !strings.HasPrefix(nf.Note, r) {
				t.Errorf("%s %s: note %q names %s but not first", in.Name, nf.Name, nf.Note, r)
			}
			if nf.Name == "capacity_block" && !regionRE.MatchString(nf.Note) && !strings.HasPrefix(nf.Note, RegionNotStated) {
				t.Errorf("%s capacity block: note %q states no region (begin it with one, or %q)", in.Name, nf.Note, RegionNotStated)
			}
		}
	}
}

func ptr(v float64) *float64 { return &v }

// show is a price for a test's message: "absent" for nil.
func show(p *float64) string {
	if p == nil {
		return "absent"
	}
	return strconv.FormatFloat(*p, 'g', -1, 64)
}

// TestRINoteStatesTheShare: the share of on-demand that the RI-effective
// rates' note states is the range the catalog's own prices give, to the
// whole percent. It said 38-48% where every rate is 38% (trn1) or 43%
// (inf2) of its instance's on-demand price.
func TestRINoteStatesTheShare(t *testing.T) {
	m := regexp.MustCompile(`(\d+)-(\d+)% of on-demand`).FindStringSubmatch(riNote)
	if m == nil {
		t.Fatalf("the RI note states no share of on-demand: %s", riNote)
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, in := range Instances() {
		if in.RIEffective.Known && in.OnDemand.Known {
			share := math.Round(100 * in.RIEffective.Value / in.OnDemand.Value)
			lo, hi = math.Min(lo, share), math.Max(hi, share)
		}
	}
	if got := m[1] + "-" + m[2]; got != strconv.Itoa(int(lo))+"-"+strconv.Itoa(int(hi)) {
		t.Errorf("the RI note says %s%% of on-demand; the catalog's prices give %.0f-%.0f%%", got, lo, hi)
	}
}
