package forecast

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"aiecon/hw"
	"aiecon/model"
	kpicat "aiecon/model/kpi"
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
		{"on-demand price under capacity-block", model.Fleet{Instance: "p5en.48xlarge", Pricing: "capacity-block", PriceUSDPerHour: model.USD(od)}, od,
			"on-demand", "(the plan's; the catalog's on-demand price, " + odWhen + ")"},
		{"capacity-block price under on-demand", model.Fleet{Instance: "p5en.48xlarge", Pricing: "on-demand", PriceUSDPerHour: model.USD(cb)}, cb,
			"capacity-block", "(the plan's; the catalog's capacity-block price, " + cbWhen + ")"},
		{"a price of the plan's own", model.Fleet{Instance: "p5en.48xlarge", Pricing: "reserved", PriceUSDPerHour: model.USD(50)}, 50, "reserved", ""},
		{"spot off a set price", model.Fleet{Instance: "p5en.48xlarge", Pricing: "spot", PriceUSDPerHour: model.USD(od)}, od / 2, "spot", ""},
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
	if err := r.writeFleets(&b, false, plainProse); err != nil {
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

// TestSliceInstances: a period keeps the fewest and the most instances
// its slices paid for, over its days and slices.
func TestSliceInstances(t *testing.T) {
	f := parse(t, small)
	var runs []RunResult
	for i, n := range []float64{3, 5, 4} {
		runs = append(runs, RunResult{Job: Job{Variant: 1, Period: 1, Slice: i}, SimHours: 0.05,
			KPIs: map[string]float64{kpicat.InstancesAvg: n}})
	}
	p := Aggregate(f, runs)[0]
	if p.InstancesSliceMin != 3 || p.InstancesSliceMax != 5 {
		t.Errorf("slices paid for %g to %g instances, want 3 to 5", p.InstancesSliceMin, p.InstancesSliceMax)
	}
}

// TestBlocksNoteSaysWhatWasPaid: the Capacity Blocks note on a rented
// fleet gives the instances its slices paid for, not procurement's bounds,
// and says nothing where each day's slices paid for as many (one slice a
// day): whole-day blocks then price the fleet as the table does. A report
// stored without the slices' counts gives the bounds as bounds.
func TestBlocksNoteSaysWhatWasPaid(t *testing.T) {
	period := func(k int, lo, avg, hi float64) Period {
		return Period{Variant: "rented", Period: k, InstancesSliceMin: lo, InstancesAvg: avg, InstancesSliceMax: hi}
	}
	tests := []struct {
		name    string
		periods []Period
		want    []string // "" for no note
	}{
		{"one slice a day", []Period{period(1, 4, 4, 4), period(2, 9, 9, 9)}, []string{""}},
		{"the day's curve", []Period{period(1, 4, 5, 5.5), period(2, 6, 7.5, 9)},
			[]string{"rate for 4 to 9 instances as each slice of the day needs them", "RENT is understated",
				"cost up to 20% more (quarter 2)"}},
		{"stored without counts", []Period{{Variant: "rented", Period: 1, InstancesAvg: 5}},
			[]string{"as many instances as each slice needs, between procurement.min (1) and procurement.max (16)",
				"understated wherever a day's slices differ"}},
	}
	for _, tt := range tests {
		r := &Report{PeriodLen: "quarter", Summary: Summarize(tt.periods),
			Fleets: []FleetEconomy{{Variant: "rented", Mode: "rented", BlocksBySlice: &[2]int{1, 16}}}}
		note := r.blocksNote("rented")
		if !checkNote(t, tt.name, note, tt.want) {
			continue
		}
		if strings.Contains(note, "1 to 16") {
			t.Errorf("%s: the bounds read as instances paid for: %q", tt.name, note)
		}
	}
}

// TestBlocksNoteOnBurst: an owned fleet's burst at the Capacity Blocks
// rate is noted only where some slice paid for burst instances, and the
// note advises what an owned fleet may do. It said RENT was understated
// with no burst instance ever paid for (RENT 0), and advised
// procurement.min, which an owned fleet is refused. Pricing by the hour
// is advised as on-demand only where the catalog has that price (it has
// none for trn2.48xlarge), for a rented fleet too.
func TestBlocksNoteOnBurst(t *testing.T) {
	owned := func(k, servers int, lo, avg, hi float64) Period {
		return Period{Variant: "v", Period: k, OwnedServers: servers, InstancesSliceMin: lo, InstancesAvg: avg, InstancesSliceMax: hi}
	}
	rented := func(k int, lo, avg, hi float64) Period { return owned(k, 0, lo, avg, hi) }
	trn2, p5en := "trn2.48xlarge", "p5en.48xlarge"
	tests := []struct {
		name, mode, instance string
		periods              []Period
		want                 []string // "" for no note
	}{
		{"no burst paid", "owned", trn2, []Period{owned(1, 2, 2, 2, 2), owned(2, 3, 3, 3, 3)}, []string{""}},
		{"burst paid", "owned", trn2, []Period{owned(1, 2, 2, 2, 2), owned(2, 3, 3.5, 4.2, 5.5)},
			[]string{"as many as 2.5 on average in a slice (quarter 2; procurement.burst allows 4)", "RENT is understated",
				"Own the peak instead (procurement.initial or orders) and lower procurement.burst",
				"give the burst an hourly price with fleet.price_usd_per_hour (the catalog has no on-demand price for trn2.48xlarge)"}},
		{"burst on p5en", "owned", p5en, []Period{owned(1, 2, 2, 2.5, 3)}, []string{"or price the burst at fleet.pricing: on-demand."}},
		{"stored without counts", "owned", trn2, []Period{{Variant: "v", Period: 1, OwnedServers: 2, InstancesAvg: 3}},
			[]string{"up to 4 burst instances above its servers", "understated wherever burst instances were paid for"}},
		{"rented trn2", "rented", trn2, []Period{rented(1, 4, 5, 6)},
			[]string{"Set procurement.min to the peak count, or give the fleet an hourly price with fleet.price_usd_per_hour (the catalog has no on-demand price for trn2.48xlarge)."}},
		{"rented p5en", "rented", p5en, []Period{rented(1, 4, 5, 6)}, []string{"or price the fleet at fleet.pricing: on-demand."}},
	}
	for _, tt := range tests {
		blocks := &[2]int{1, 16}
		if tt.mode == "owned" {
			blocks = &[2]int{0, 4}
		}
		r := &Report{PeriodLen: "quarter", Summary: Summarize(tt.periods), Fleets: []FleetEconomy{{Variant: "v", Mode: tt.mode, Instance: tt.instance,
			BlocksBySlice: blocks, Rent: []RentStep{{From: 1, Instance: tt.instance, Pricing: hw.PricingCapacityBlock}}}}}
		note := r.blocksNote("v")
		if !checkNote(t, tt.name, note, tt.want) {
			continue
		}
		if tt.mode == "owned" && strings.Contains(note, "procurement.min") {
			t.Errorf("%s: advises procurement.min, refused for an owned fleet: %q", tt.name, note)
		}
	}
}

// TestBlocksNoteOneSliceADay: a rented fleet at the Capacity Blocks rate
// simulated one slice a day holds each period's count all day, and the
// report owes it no note: it said the fleet "pays the Capacity Blocks rate
// for 1 to 6 instances" (the bounds) and that RENT was understated.
func TestBlocksNoteOneSliceADay(t *testing.T) {
	src := strings.Replace(small, "day: {slices: 2, horizon: 3m}", "day: {slices: 1, horizon: 2m}", 1)
	src = src[:strings.Index(src, "  - name: owned")] + "  - name: rented\n    procurement: {mode: rented, min: 1, max: 6}\n"
	f := parse(t, src)
	runs, periods := execute(t, f)
	r := NewReport(f, periods, len(runs))
	if r.Fleets[0].BlocksBySlice == nil {
		t.Fatal("the baseline's trn2 no longer pays the Capacity Blocks rate: the test tests nothing")
	}
	if note := r.blocksNote("rented"); note != "" {
		t.Errorf("one slice a day, noted %q", note)
	}
}

// TestRunsSayThePricingTheyPay: the built-in's rented p5en pays p5en's
// on-demand price over a base at the Capacity Blocks rate, and its runs
// say so (aiecon show printed "capacity-block $63.30/h"); the owned trn2,
// priced at its owned cost, and the owned p5en keep their own.
func TestRunsSayThePricingTheyPay(t *testing.T) {
	f, err := Load("trainium-amortization")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(1); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"owned-trn2": "owned", "rented-p5en": "on-demand", "owned-p5en": "owned"}
	for _, j := range f.Jobs() {
		if j.Slice != 0 {
			continue
		}
		l, err := f.loadJob(j)
		if err != nil {
			t.Fatal(err)
		}
		v := f.Variants[j.Variant].Name
		if got := l.Scenario.Fleet.Pricing; got != want[v] {
			t.Errorf("%s: runs priced as %s, want %s", v, got, want[v])
		}
		if d := f.jobDescription(j, l.Scenario); strings.Contains(d, "autoscaled") {
			t.Errorf("%s: description %q says autoscaled; the forecast sizes each slice", v, d)
		}
	}
}

// TestSourcesDateThePrices: --sources gives a default price with the year
// it is of: the electricity price read "EIA series ... energy_price" with
// no year, while docs/forecast.md says 2025.
func TestSourcesDateThePrices(t *testing.T) {
	f, err := Load("trainium-amortization")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := NewReport(f, nil, 0).WriteSources(&b); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, line := range strings.Split(b.String(), "\n") {
		if strings.Contains(line, " electricity_usd_per_kwh = ") {
			n++
			if !strings.Contains(line, "= 0.0826 [3P] US industrial electricity, 2025 annual average") {
				t.Errorf("undated electricity price: %s", line)
			}
		}
	}
	if n != len(f.Variants)-1 { // the owned fleets
		t.Errorf("%d electricity lines, want one per owned fleet:\n%s", n, b.String())
	}
}

// TestRentedFleetScalesItsOwnCount: a rented fleet's slice is sized at
// the variant's fleet.count (else the base's, the forecast's set
// included) times the slice's demand, as docs/forecast.md states, not at
// one instance per unit of demand: the built-in's rented p5en rents one
// per unit because its set writes fleet.count: 1.
func TestRentedFleetScalesItsOwnCount(t *testing.T) {
	const rented = "    procurement: {mode: rented, min: 1, max: 6}\n"
	wide := "    procurement: {mode: rented, min: 1, max: 100}\n"
	for _, tt := range []struct {
		name, edit, with string
		count            int
	}{
		{"the base's", rented, wide, 4}, // baseline: 4 x trn2.48xlarge
		{"the forecast's set", "set:\n", "set:\n  fleet.count: 2\n", 2},
		{"the variant's", rented, "    set: {fleet.count: 3}\n" + wide, 3},
	} {
		src := strings.Replace(small, tt.edit, tt.with, 1)
		if tt.name == "the forecast's set" {
			src = strings.Replace(src, rented, wide, 1)
		}
		f := parse(t, src)
		vp := f.Variants[1]
		if vp.BaseCount != tt.count {
			t.Errorf("%s: base count %d, want %d", tt.name, vp.BaseCount, tt.count)
		}
		for _, j := range f.Jobs() {
			if j.Variant != 1 {
				continue
			}
			// The workloads' volumes times their curves over the slice's
			// share, weighted by their load (TestRentedFleetFollowsTotalDemand).
			load, weights := 0.0, 0.0
			for _, w := range f.workloadsIn(vp, j.Period) {
				volume := 1.0
				if w.Name == "chat" {
					volume = math.Pow(1.5, float64(j.Period-1)) // growth 0.5
				}
				load += loadWeight(w) * volume * w.Arrivals.Diurnal.Mean(f.sliceShare(j.Slice))
				weights += loadWeight(w)
			}
			load /= weights
			want := fmt.Sprintf("fleet.count=%d", int(math.Ceil(float64(tt.count)*load-1e-9)))
			if i := slices.IndexFunc(j.Sets, func(s string) bool { return strings.HasPrefix(s, "fleet.count=") }); i < 0 || !slices.Contains(j.Sets[i:], want) {
				t.Errorf("%s: period %d slice %d (load %.3f): sets %q, want %s", tt.name, j.Period, j.Slice, load, j.Sets, want)
			}
		}
	}
}

// TestRoadmapInstanceNamed: a roadmap step that rents a fleet another
// instance names it in the FLEET table, the variant's table title, the
// RENT note and each rent step of --json: they named period 1's alone, so
// trn2.48xlarge read as going from Capacity Blocks at 35.8 to on-demand at
// 63.3 when the runs rented p5en.48xlarge. A step from period 1 is the
// fleet's instance.
func TestRoadmapInstanceNamed(t *testing.T) {
	const p5en = "{fleet.instance: p5en.48xlarge, fleet.pricing: on-demand, fleet.replica.tp: 8, fleet.replica.scheduler: vllm}"
	od, odWhen := catalogPrice(t, "p5en.48xlarge", hw.PricingOnDemand)
	for _, tt := range []struct {
		from       int
		instance   string   // FleetEconomy.Instance
		want, nots []string // in the text report
	}{
		{2, "trn2.48xlarge", []string{"rented  trn2.48xlarge, p5en.48xlarge from quarter 2  rented", "\nrented (rented trn2.48xlarge, p5en.48xlarge from quarter 2)\n",
			"rented capacity-block 35.8 (catalog, us-east-2, 2026-05-21), p5en.48xlarge on-demand " + money(od) + " from quarter 2 (catalog, " + odWhen + ")"}, nil},
		{1, "p5en.48xlarge", []string{"\nrented (rented p5en.48xlarge)\n", "rented on-demand " + money(od) + " (catalog"}, []string{"trn2.48xlarge"}},
	} {
		src := strings.Replace(small, "    procurement: {mode: rented, min: 1, max: 6}",
			fmt.Sprintf("    procurement: {mode: rented, min: 1, max: 6}\n    roadmap:\n      - {from: %d, set: %s}", tt.from, p5en), 1)
		src = src[:strings.Index(src, "  - name: owned")] + src[strings.Index(src, "  - name: rented"):]
		r := NewReport(parse(t, src), nil, 0)
		fe := r.Fleets[0]
		if fe.Instance != tt.instance || fe.Rent[len(fe.Rent)-1].Instance != "p5en.48xlarge" || fe.Rent[len(fe.Rent)-1].From != tt.from {
			t.Errorf("from %d: fleet %s, rent steps %+v; want %s, and p5en.48xlarge from %d", tt.from, fe.Instance, fe.Rent, tt.instance, tt.from)
		}
		var b strings.Builder
		if err := r.WriteText(&b); err != nil {
			t.Fatal(err)
		}
		for _, w := range tt.want {
			if !strings.Contains(b.String(), w) {
				t.Errorf("from %d: no %q in\n%s", tt.from, w, b.String())
			}
		}
		for _, w := range tt.nots {
			if strings.Contains(b.String(), w) {
				t.Errorf("from %d: %q in\n%s", tt.from, w, b.String())
			}
		}
	}
}

// TestReservedNote: a rented fleet at the reserved rate, a committed price
// paid for every hour of the term, sized slice by slice pays for hours it
// could not hand back, as Capacity Blocks do; it was priced with no word.
// It says what the forecast holds reserved from period to period, the
// slices' mean count, which RENT pays, not the peak: the note left it
// unsaid. A count held all day is what a reservation buys, and a fleet on
// Capacity Blocks gets their note, not this one.
func TestReservedNote(t *testing.T) {
	src := strings.Replace(small, "  workloads[chat].arrivals.diurnal: default\n",
		"  workloads[chat].arrivals.diurnal: default\n  fleet.pricing: reserved\n  fleet.instance: trn1.32xlarge\n  fleet.replica.tp: 32\n", 1)
	src = src[:strings.Index(src, "  - name: owned")] + "  - name: rented\n    procurement: {mode: rented, min: 1, max: 6}\n"
	f := parse(t, src)
	r := NewReport(f, nil, 0)
	fe := r.fleet("rented")
	if fe == nil || fe.ReservedBySlice == nil || fe.BlocksBySlice != nil {
		t.Fatalf("rented fleet at the reserved rate: %+v", fe)
	}
	period := func(k int, lo, avg, hi float64) Period {
		return Period{Variant: "rented", Period: k, InstancesSliceMin: lo, InstancesAvg: avg, InstancesSliceMax: hi}
	}
	r.PeriodLen = "quarter"
	r.Summary = Summarize([]Period{period(1, 4, 5, 5.5), period(2, 6, 7.5, 9)})
	checkNote(t, "the day's curve", r.reservedNote("rented"), []string{"RESERVED FLEET SIZED BY SLICE", "reserved rate for 4 to 9 instances",
		"RENT is understated (it pays, and the forecast holds reserved from period to period, the mean of the slices' counts, not the peak)."})
	r.Summary = Summarize([]Period{period(1, 4, 4, 4), period(2, 9, 9, 9)})
	checkNote(t, "one slice a day", r.reservedNote("rented"), []string{""})
	burst := &Report{PeriodLen: "quarter", Fleets: []FleetEconomy{{Variant: "owned", Mode: "owned", ReservedBySlice: &[2]int{0, 3}}},
		Summary: Summarize([]Period{{Variant: "owned", Period: 1, OwnedServers: 2, InstancesSliceMin: 2, InstancesAvg: 2.5, InstancesSliceMax: 4}})}
	checkNote(t, "an owned fleet's burst", burst.reservedNote("owned"), []string{"the burst instances the autoscaler adds above its servers (up to 3)",
		"RENT is understated (the forecast holds none of the burst reserved from period to period)."})
	cb := &Report{Fleets: []FleetEconomy{{Variant: "rented", Mode: "rented", BlocksBySlice: &[2]int{1, 6}}}}
	if note := cb.reservedNote("rented"); note != "" {
		t.Errorf("a Capacity Blocks fleet: %q", note)
	}
}

// TestSizingBoundsKeys: the Capacity Blocks and reserved fleets' sizing
// bounds are keyed as bounds in --json (they were *_sized_by_slice, and
// read as the counts the slices paid for, which the note gives: "2 to 8
// instances" beside [1, 12]), and a report stored under the old keys
// reads back with them, so its notes stay.
func TestSizingBoundsKeys(t *testing.T) {
	fe := FleetEconomy{Variant: "rented", Mode: "rented", BlocksBySlice: &[2]int{1, 12}, ReservedBySlice: &[2]int{1, 12}}
	body, err := json.Marshal(fe)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		key  string
		want bool
	}{{`"capacity_blocks_sizing_bounds":[1,12]`, true}, {`"reserved_sizing_bounds":[1,12]`, true}, {"sized_by_slice", false}} {
		if strings.Contains(string(body), tt.key) != tt.want {
			t.Errorf("%s: has %s %v, want %v", body, tt.key, !tt.want, tt.want)
		}
	}
	for _, stored := range []string{string(body), `{"variant":"rented","capacity_blocks_sized_by_slice":[1,12],"reserved_sized_by_slice":[1,12]}`} {
		var back FleetEconomy
		if err := json.Unmarshal([]byte(stored), &back); err != nil {
			t.Fatal(err)
		}
		if back.BlocksBySlice == nil || *back.BlocksBySlice != [2]int{1, 12} || back.ReservedBySlice == nil || *back.ReservedBySlice != [2]int{1, 12} {
			t.Errorf("%s read back as %v, %v; want [1 12] twice", stored, back.BlocksBySlice, back.ReservedBySlice)
		}
	}
}
