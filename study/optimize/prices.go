package optimize

import (
	"fmt"
	"strings"

	"aiecon/hw"
	"aiecon/model"
)

// The search ranks fleets by their prices, which come from sources of
// different dates: baseline on trn2.48xlarge and p5.48xlarge compared a
// Capacity Blocks rate of 2026 ($35.76/h) with one read from
// a third-party mirror of the late-2024 page ($39.33/h, before the
// June-2025 P-instance price cut), and said nothing. Each price says where
// it comes from (Price), and PriceNotes warns when the prices compared
// are far apart in date or of different provenance.

// Price is where a candidate's price per instance-hour comes from.
type Price struct {
	Instance   string
	USDPerHour float64
	// From is "scenario" (its fleet.price_usd_per_hour) or the catalog
	// price it reads, as hw.Instance.HourlyPrice names it ("catalog
	// capacity-block", "catalog on-demand minus 60% spot discount").
	From string
	// Fact is the catalog price read (spot: the on-demand price the
	// discount applies to); Known is false for the scenario's own price.
	Fact hw.Fact
}

// priceOf is the Price of a resolved fleet's instance at usd (pricePerHour's).
func priceOf(in *hw.Instance, f model.Fleet, usd float64) Price {
	_, from, _ := in.HourlyPrice(f.Pricing, f.PriceUSDPerHour, f.SpotDiscount())
	p := Price{Instance: in.Name, USDPerHour: usd, From: from}
	if f.PriceUSDPerHour == nil {
		key := f.Pricing
		if key == hw.PricingSpot {
			key = hw.PricingOnDemand
		}
		p.Fact, _ = in.Price(key)
	}
	return p
}

// When is the price's region (where not us-east-1) and date, as hw list
// prints them, and its source with its label: "us-east-2, 2026-05-21;
// CB26 [3P]". "" for the scenario's own price.
func (p Price) When() string {
	if !p.Fact.Known {
		return ""
	}
	return hw.PriceWhen(p.Fact) + "; " + p.source()
}

// source is the price's source key and label, "[3P mirror]" where the
// source is a copy of the vendor's page on another site.
func (p Price) source() string {
	label := string(p.Fact.Label)
	if p.mirrored() {
		label += " mirror"
	}
	return p.Fact.Source + " [" + label + "]"
}

// mirrored says whether the price is read from a copy of the vendor's
// page on a third-party site (the catalog's source says "mirror").
func (p Price) mirrored() bool {
	s, ok := hw.SourceByKey(p.Fact.Source)
	return p.Fact.Known && ok && strings.Contains(strings.ToLower(s.Description), "mirror")
}

// Prices lists the price of each instance type the search ran, once per
// type, in candidate order: the prices it compared.
func (r *Result) Prices() []Price {
	var out []Price
	seen := map[string]bool{}
	for _, c := range r.Candidates {
		if c.Pruned == "" && !seen[c.Instance] {
			seen[c.Instance] = true
			out = append(out, c.Price)
		}
	}
	return out
}

// MaxPriceMonths is how far apart, in months, the dates of two compared
// prices may be before PriceNotes warns (hw.MaxPriceMonths, which compare
// warns at too).
const MaxPriceMonths = hw.MaxPriceMonths

// PriceNotes warns when the search compared prices of dates more than
// MaxPriceMonths apart (naming the oldest and the newest), and when they
// are of different provenance, one not read from the vendor's page
// (sourceNote, naming each such): the ranking then mixes what fleets cost
// at different times, or rests on a figure nobody vouches for. Nothing
// with fewer than two instance types.
func PriceNotes(ps []Price) []string {
	if len(ps) < 2 {
		return nil
	}
	var out []string
	if n := dateNote(ps); n != "" {
		out = append(out, n)
	}
	if n := sourceNote(ps); n != "" {
		out = append(out, n)
	}
	return out
}

// BestPriceNote says when the best fleet is priced at a catalog price that
// is undated or rests on no public source (hw.PriceCaveat): the ranking
// then turns on a figure nobody can check, where the candidates' other
// prices may be dated and sourced. "" without a best or such a price.
func BestPriceNote(r *Result) string {
	if r.Best == nil || r.Best.Candidate < 0 || r.Best.Candidate >= len(r.Candidates) {
		return ""
	}
	p := r.Candidates[r.Best.Candidate].Price
	lacks := map[string]string{"undated": "is undated", "no public source": "rests on no public source"}[hw.PriceCaveat(p.Fact)]
	if lacks == "" {
		return ""
	}
	return fmt.Sprintf("BEST PRICE UNVOUCHED: the best fleet's %s price, $%.4g/h (%s, %s), %s (aiecon hw show %s says where it comes from); "+
		"check it against a current quote before acting on the ranking", p.Instance, p.USDPerHour, p.From, hw.PriceWhen(p.Fact), lacks, p.Instance)
}

// dateNote is PriceNotes' warning on dates (hw.DifferentDates, which
// run's warning on its own prices shares), "" when they are close.
func dateNote(ps []Price) string {
	names, facts, blocks := make([]string, len(ps)), make([]hw.Fact, len(ps)), make([]bool, len(ps))
	for i, p := range ps {
		names[i], facts[i], blocks[i] = p.describe(), p.Fact, p.capacityBlock()
	}
	head := hw.DifferentDates(names, facts, blocks)
	if head == "" {
		return ""
	}
	return head + ", so the fleets may be ranked at prices never on offer together: check each (aiecon hw show INSTANCE) against a current quote"
}

// capacityBlock says whether the price is the catalog's Capacity Blocks
// rate, whose moves no source the catalog cites gives (hw.PricesMoveWhy).
func (p Price) capacityBlock() bool {
	return p.Fact.Known && p.From == "catalog "+hw.PricingCapacityBlock
}

// sourceNote is PriceNotes' warning on prices of different provenance,
// the ones not read from the vendor's own page named with how each is
// sourced (provenance): "" when every compared price is sourced alike.
// It said only "PRICE FROM A MIRROR: p5's ... compared with trn2's $35.76/h
// (CB26 [3P])", which read as if trn2's third-party quote were the
// vendor's price, and named nothing of p5en's rate, which rests on no
// public source.
func sourceNote(ps []Price) string {
	kinds := map[string]bool{}
	var weak []string
	for _, p := range ps {
		how := p.provenance()
		kinds[how] = true
		if how != vendorPrice && how != ownPrice {
			weak = append(weak, p.describe()+" ("+p.When()+") "+how)
		}
	}
	if len(kinds) < 2 || len(weak) == 0 {
		return ""
	}
	return "PRICES OF DIFFERENT SOURCES: " + strings.Join(weak, "; ") +
		"; check each against the vendor's page (aiecon hw show INSTANCE) before acting on the ranking"
}

// How a compared price is sourced (Price.provenance), as sourceNote words it.
const (
	vendorPrice    = "is the vendor's"
	ownPrice       = "is the scenario's own"
	mirrorPrice    = "is read from a third-party copy of the vendor's price page"
	quotedPrice    = "is a third party's quote of the vendor's rate"
	unsourcedPrice = "rests on no public source"
)

// provenance is how the price is sourced: the scenario's own, one with no
// public source (hw.PriceCaveat), a mirror's copy, another third party's
// quote, or the vendor's own material (hw.Official).
func (p Price) provenance() string {
	switch {
	case !p.Fact.Known:
		return ownPrice
	case hw.PriceCaveat(p.Fact) == "no public source":
		return unsourcedPrice
	case p.mirrored():
		return mirrorPrice
	case p.Fact.Label != hw.Official:
		return quotedPrice
	}
	return vendorPrice
}

// describe is "p5.48xlarge's $39.33/h".
func (p Price) describe() string {
	return fmt.Sprintf("%s's $%.2f/h", p.Instance, p.USDPerHour)
}
