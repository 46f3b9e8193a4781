package forecast

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// notesFixture is a stored report whose rented variant owes the Capacity
// Blocks and idle-base notes and whose owned variant the capital,
// idle-training and SLO-at-risk notes, with freshness modelled in one of
// its two quarters and commerce counted gross.
func notesFixture() *Report {
	fresh := 0.94
	r := &Report{Name: "x", PeriodLen: "quarter", Periods: 2, Samples: 3, GrossCommerce: []string{"shop"}, IdleTrainingInTroughs: true,
		Fleets: []FleetEconomy{
			{Variant: "rented", Mode: "rented", BlocksBySlice: &[2]int{1, 16}, Rented: &RentedSizing{BaseCount: 1, Min: 1, Max: 16}},
			{Variant: "owned", Mode: "owned", Capital: &Capital{Servers: 4, CapexUSD: 1e6, DepreciatedUSD: 1e5, BookValueUSD: 9e5}},
		}}
	for k := 1; k <= 2; k++ {
		var rented, owned []Period
		for s := range 3 {
			rented = append(rented, Period{Variant: "rented", Period: k, Sample: s, Headroom: 0.995, SLOAttainment: 1,
				InstancesSliceMin: 2, InstancesAvg: 2.5, InstancesSliceMax: 3})
			p := Period{Variant: "owned", Period: k, Sample: s, Headroom: 0.3, SLOAttainment: 1, TrainingLentShare: 0.1, TrainingIdleCoverage: 0.4}
			if s == 1 && k == 2 {
				p.Headroom, p.SLOAttainment = 0.01, 0.5 // overloaded in one sample: the medians do not show it
			}
			if k == 2 {
				p.Freshness = &fresh
			}
			owned = append(owned, p)
		}
		r.Summary = append(r.Summary, Summarize(rented)...)
		r.Summary = append(r.Summary, Summarize(owned)...)
	}
	return r
}

// TestStoredNotesNameCompareLines: compare --forecast prints the stored USD
// metrics' lines, so the notes it repeats (StoredCaveats) name those lines,
// every one of which it prints: they named the forecast table's RENT,
// TRAIN, ADS and COMMERCE columns and "the table" that depreciates, which
// compare does not have. The report's own notes keep its columns' names.
func TestStoredNotesNameCompareLines(t *testing.T) {
	usd := map[string]bool{}
	for _, m := range Metrics {
		usd[m.Name] = m.Unit == "USD"
	}
	columns := regexp.MustCompile(`\b(RENT|TRAIN|DEPREC|ADS|COMMERCE|INST|GROSS%|OPER%)\b|the table`)
	r := notesFixture()
	body, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		variant string
		want    []string // each a note's title and the line it names
	}{
		{"rented", []string{"CAPACITY BLOCKS SIZED BY SLICE: cost_rent_usd", "RENTED FLEET SCALED FROM AN IDLE BASE: cost_rent_usd",
			"FRESHNESS MODELLED IN PART: revenue_ads_usd and revenue_commerce_usd", "COMMERCE COUNTED GROSS: revenue_commerce_usd"}},
		{"owned", []string{"CAPITAL: cost_depreciation_usd", "IDLE-CAPACITY TRAINING: cost_training_usd",
			"SLO AT RISK: the forecast report's period medians"}},
	} {
		stored := StoredCaveats(string(body), tt.variant)
		for _, w := range tt.want {
			title, line, _ := strings.Cut(w, ": ")
			i := slices.IndexFunc(stored, func(n string) bool { return strings.HasPrefix(n, title+": ") })
			if i < 0 || !strings.Contains(stored[i], line) {
				t.Errorf("%s: no %s note naming %s in %q", tt.variant, title, line, stored)
			}
		}
		for _, note := range stored {
			_, text, _ := strings.Cut(note, ": ") // the title may hold a column's word
			if m := columns.FindString(text); m != "" {
				t.Errorf("%s: stored note names the table's %q, which compare does not print: %q", tt.variant, m, note)
			}
			for _, n := range regexp.MustCompile(`\b[a-z_]+_usd\b`).FindAllString(text, -1) {
				if !usd[n] {
					t.Errorf("%s: stored note names %s, not a line compare --forecast prints: %q", tt.variant, n, note)
				}
			}
		}
	}
	// The report's own notes, under its table, name its columns.
	for _, tt := range []struct{ note, want string }{
		{r.blocksNote("rented"), "RENT is understated"}, {r.idleBaseNote("rented"), "RENT grows"},
		{r.capitalNote("owned"), "the table depreciates"}, {r.idleTrainingNote("owned"), "billed in TRAIN"},
		{r.FreshnessNote(), "ADS and COMMERCE step"}, {r.sloRiskNote("owned"), "the table's medians do not show it"},
	} {
		if !strings.Contains(tt.note, tt.want) {
			t.Errorf("the report's note %q does not name its column: want %q", tt.note, tt.want)
		}
	}
}

// TestOneSampleNote: one sample is one draw whose seeds every period
// shares, so it may sit high or low in all of them; the example's
// --samples 1 read its first quarter above the 20-sample P90 without a
// word. Several samples have bands, and no such line.
func TestOneSampleNote(t *testing.T) {
	for _, tt := range []struct {
		samples int
		want    bool
	}{{1, true}, {2, false}, {20, false}} {
		r := &Report{Name: "p", PeriodLen: "quarter", Periods: 4, Samples: tt.samples, Runs: 8}
		var b strings.Builder
		if err := r.WriteText(&b); err != nil {
			t.Fatal(err)
		}
		got := strings.Contains(b.String(), "ONE SAMPLE: every figure is one draw of the simulation, and the periods and variants share its seeds")
		if got != tt.want {
			t.Errorf("%d samples: ONE SAMPLE line %v, want %v:\n%s", tt.samples, got, tt.want, b.String())
		}
	}
}
