package optimize

import (
	"strings"
	"testing"

	"aiecon/hw"
	"aiecon/model"
	"aiecon/study"
)

// TestPriceNotes: the search compared trn2's Capacity Blocks rate of
// 2026-10-08 with p5's of late 2024, read from a mirror of the AWS page,
// and said nothing; prices of dates far apart are named both, and prices
// of different provenance each that is not the vendor's, with how it is
// sourced: the note named trn2's third-party quote only as what the mirror
// was "compared with", as if it were the vendor's, and nothing of p5en's
// rate with no public source.
func TestPriceNotes(t *testing.T) {
	price := func(inst string, usd float64, src, date string) Price {
		p := Price{Instance: inst, USDPerHour: usd, From: "catalog capacity-block"}
		if src != "" {
			p.Fact = hw.Fact{Value: usd, Unit: "USD/h", Known: true, Date: date, Ref: hw.Ref{Source: src, Label: hw.ThirdParty}}
		} else {
			p.From = "scenario"
		}
		return p
	}
	trn2 := price("trn2.48xlarge", 35.76, "CB26", "2026-10-08")
	p5 := price("p5.48xlarge", 39.33, "CB", "late 2024")
	unsourced := price("p5en.48xlarge", 63.16, "CB26", "2026-10-08")
	unsourced.Fact.Label, unsourced.Fact.Note = hw.Estimate, "quoted only in engineering notes; no public dated source found"
	vendor := price("p5en.48xlarge", 63.30, "KARP", "2024-11-01")
	vendor.Fact.Label, vendor.From = hw.Official, "catalog on-demand"
	tests := []struct {
		name string
		ps   []Price
		want []string // each a note's start and what it names, "" for none
	}{
		{"dates and mirror", []Price{trn2, p5}, []string{
			"PRICES OF DIFFERENT DATES: p5.48xlarge's $39.33/h is of late 2024, trn2.48xlarge's $35.76/h of 2026-10-08, about 23 months apart",
			"PRICES OF DIFFERENT SOURCES: trn2.48xlarge's $35.76/h (2026-10-08; CB26 [3P]) is a third party's quote of the vendor's rate; " +
				"p5.48xlarge's $39.33/h (late 2024; CB [3P mirror]) is read from a third-party copy of the vendor's price page; " +
				"check each against the vendor's page"}},
		{"a quote beside a rate with no public source", []Price{trn2, unsourced}, []string{
			"PRICES OF DIFFERENT SOURCES: trn2.48xlarge's $35.76/h (2026-10-08; CB26 [3P]) is a third party's quote of the vendor's rate; " +
				"p5en.48xlarge's $63.16/h (2026-10-08; CB26 [EST]) rests on no public source;"}},
		{"the vendor's beside a mirror", []Price{vendor, p5}, []string{
			"PRICES OF DIFFERENT SOURCES: p5.48xlarge's $39.33/h (late 2024; CB [3P mirror]) is read from a third-party copy of the vendor's price page; check each"}},
		{"close dates, no mirror", []Price{trn2, price("p5en.48xlarge", 63.16, "CB26", "2026-05-21")}, nil},
		{"seven months apart", []Price{trn2, price("p5en.48xlarge", 63.16, "CB26", "2026-03-01")}, []string{
			"PRICES OF DIFFERENT DATES: p5en.48xlarge's $63.16/h is of 2026-03-01, trn2.48xlarge's $35.76/h of 2026-10-08, about 7 months apart"}},
		{"one instance type", []Price{p5}, nil},
		{"all from the mirror, one date", []Price{p5, price("p4d.24xlarge", 14.75, "CB", "late 2024")}, nil},
		{"the scenario's own price beside a mirror", []Price{price("trn2.48xlarge", 30, "", ""), p5}, []string{
			"PRICES OF DIFFERENT SOURCES: p5.48xlarge's $39.33/h (late 2024; CB [3P mirror]) is read from a third-party copy of the vendor's price page; check each"}},
	}
	for _, tt := range tests {
		got := PriceNotes(tt.ps)
		if len(got) != len(tt.want) {
			t.Errorf("%s: notes %q, want %d", tt.name, got, len(tt.want))
			continue
		}
		for i, w := range tt.want {
			if !strings.HasPrefix(got[i], w) {
				t.Errorf("%s: note %q, want it to begin %q", tt.name, got[i], w)
			}
		}
	}
}

// TestPriceNotesSayOnlyWhatSourcesSay: the date warning cites the June-2025
// cut as what it was, an on-demand price cut, and where a Capacity Blocks
// rate is compared says that no source dates such a rate twice: beside
// p5's late-2024 Capacity Blocks rate the cut alone read as if that rate
// had fallen too, a direction no public source gives (the only later
// P-class rate, p5en's, is about its on-demand price and rests on notes
// with no public source).
func TestPriceNotesSayOnlyWhatSourcesSay(t *testing.T) {
	price := func(inst string, usd float64, from, date string) Price {
		return Price{Instance: inst, USDPerHour: usd, From: from,
			Fact: hw.Fact{Value: usd, Unit: "USD/h", Known: true, Date: date, Ref: hw.Ref{Source: "KARP", Label: hw.Official}}}
	}
	const cut, blocks = "; prices move between such dates (the AWS Price List cut P5's on-demand price 44% in June 2025)",
		"the catalog's sources date each Capacity Blocks rate once and do not say whether such a rate moved, or which way"
	for _, tt := range []struct {
		name   string
		ps     []Price
		blocks bool
	}{
		{"capacity blocks of late 2024 and 2026", []Price{price("p5.48xlarge", 39.33, "catalog capacity-block", "late 2024"),
			price("trn2.48xlarge", 35.76, "catalog capacity-block", "2026-05-21")}, true},
		{"one capacity-blocks rate beside on-demand", []Price{price("p5.48xlarge", 39.33, "catalog capacity-block", "late 2024"),
			price("p5en.48xlarge", 63.296, "catalog on-demand", "2026-07-20")}, true},
		{"on-demand of two dates", []Price{price("p4d.24xlarge", 32.77, "catalog on-demand", "2025-04-28"),
			price("p5en.48xlarge", 63.296, "catalog on-demand", "2026-07-20")}, false},
	} {
		note := dateNote(tt.ps)
		if !strings.Contains(note, cut) || strings.Contains(note, "fell 44%") {
			t.Errorf("%s: note %q, want the cut cited as %q", tt.name, note, cut)
		}
		if got := strings.Contains(note, blocks); got != tt.blocks {
			t.Errorf("%s: note %q says %q: %v, want %v", tt.name, note, blocks, got, tt.blocks)
		}
		if !strings.Contains(note, "so the fleets may be ranked at prices never on offer together") {
			t.Errorf("%s: note %q asserts more than that the prices may not have been on offer together", tt.name, note)
		}
	}
}

// TestCandidatesCarryTheirPrice: every candidate that runs says where its
// price comes from; the scenario's own instance type with a price set
// reads "scenario", the others the catalog's.
func TestCandidatesCarryTheirPrice(t *testing.T) {
	src, err := model.Builtin("baseline")
	if err != nil {
		t.Fatal(err)
	}
	o, err := newOptimizer(Options{Base: study.Base{Name: "baseline", Source: src}, Store: openStore(t), Instances: []string{"trn2.48xlarge", "p5.48xlarge"},
		TP: []int{8}, MaxNumSeqs: []int{16}, Sets: []string{"fleet.price_usd_per_hour=30"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := o.candidates(); err != nil {
		t.Fatal(err)
	}
	ps := o.res.Prices()
	if len(ps) != 2 || ps[0].Instance != "trn2.48xlarge" || ps[0].From != "scenario" || ps[0].When() != "" || ps[0].USDPerHour != 30 {
		t.Fatalf("prices %+v: want trn2 at the scenario's $30, then p5", ps)
	}
	if p := ps[1]; p.Instance != "p5.48xlarge" || p.From != "catalog capacity-block" || !p.Fact.Known || p.Fact.SI() != p.USDPerHour ||
		!strings.Contains(p.When(), p.Fact.Date+"; "+p.Fact.Source+" [") {
		t.Errorf("p5's price %+v (%q): want the catalog's Capacity Blocks fact", p, p.When())
	}
}
