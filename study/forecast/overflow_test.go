package forecast

import (
	"strings"
	"testing"

	kpicat "aiecon/model/kpi"
)

// overflowSeasonal is seasonalReserved on demand with 3 instances reserved:
// the fleet runs 5, 2, 2 and 5 trn1.32xlarge (on demand $21.50/h, the
// catalog's reserved rate $8.197/h) over four quarters.
var overflowSeasonal = strings.NewReplacer("fleet.pricing: reserved", "fleet.pricing: on-demand",
	"max: 20}", "max: 20, reserved: 3}").Replace(seasonalReserved)

// TestOverflowRent: procurement.reserved: 3 bills 3 reserved instances
// every hour and runs only the demand above them on demand. By hand, a
// quarter of 2,190 h: quarters 1 and 4 run 5, 3 on the reservation and 2
// on demand, RENT 3 x 8.197 x 2,190 + 2 x 21.50 x 2,190 = $148,024.29;
// quarters 2 and 3 run 2, both on the reservation, 1 reserved idle, RENT
// 3 x 8.197 x 2,190 = $53,854.29. The runs paid on demand for every
// instance (5 x 21.50 x 2,190 = $235,425; 2 x = $94,170).
func TestOverflowRent(t *testing.T) {
	f := parse(t, overflowSeasonal)
	var runs []RunResult
	for k, n := range []float64{5, 2, 2, 5} {
		runs = append(runs, RunResult{Job: Job{Period: k + 1}, SimHours: f.SimHoursPerPeriod(), KPIs: map[string]float64{
			kpicat.CostInstancesUSD: n * 21.50 * f.SimHoursPerPeriod(), kpicat.PricePerInstanceHourUSD: 21.50, kpicat.InstancesAvg: n}})
	}
	periods := Aggregate(f, runs)
	for i, tt := range []struct{ rent, idle float64 }{
		{148024.29, 0}, {53854.29, 1}, {53854.29, 1}, {148024.29, 0},
	} {
		p := periods[i]
		if d := p.CostRentUSD - tt.rent; d > 0.01 || d < -0.01 || !near(p.ReservedIdle, tt.idle) {
			t.Errorf("quarter %d: RENT $%.2f, %v reserved idle; want $%.2f, %v", i+1, p.CostRentUSD, p.ReservedIdle, tt.rent, tt.idle)
		}
	}
	// The note names the count reserved and its remedy, not the pricing
	// (already on demand) that a fleet at the reserved rate is told of.
	note := NewReport(f, periods, len(runs)).reservedIdleNote("rented")
	for _, want := range []string{"RESERVED INSTANCES IDLE: procurement.reserved holds 3 instances reserved at $8.197/h (the catalog's RI-effective rate), paid",
		"1 in quarter 2 ($18k), 1 in quarter 3 ($18k); $35.9k in all", "Lower procurement.reserved toward the fewest instances"} {
		if !strings.Contains(note, want) {
			t.Errorf("note\n%s\nwant it to hold\n%s", note, want)
		}
	}
	if strings.Contains(note, "fleet.pricing: on-demand") {
		t.Errorf("note\n%s\nadvises the on-demand pricing the fleet has", note)
	}
}

// TestOverflowBySlice: a slice runs on the reservation what fits under it,
// slice by slice: two slices sized a and b around the n reserved put
// (min(a, n) + min(b, n)) / 2 on it, where the period's mean (a + b) / 2,
// up to n, would have put the peak slice's overflow on it too.
func TestOverflowBySlice(t *testing.T) {
	src := strings.Replace(overflowSeasonal, "day: {slices: 1, horizon: 3m}", "day: {slices: 2, horizon: 3m}", 1)
	src = strings.Replace(src, "  fleet.count: 3\n", "  fleet.count: 3\n  workloads[chat].arrivals.diurnal: default\n"+
		"  workloads[shopping-assistant].arrivals.diurnal: default\n", 1)
	f := parse(t, src)
	vp := f.Variants[0]
	in := f.samples()[0]
	_, volumes := f.periodSets(vp, in, 1)
	a, _ := f.rentedCount(vp, 1, volumes, 0)
	b, _ := f.rentedCount(vp, 1, volumes, 1)
	const n = 5
	if (a > n) == (b > n) {
		t.Fatalf("quarter 1's slices run %d and %d; the test wants one above the %d reserved and one not", a, b, n)
	}
	want := (float64(min(a, n)) + float64(min(b, n))) / 2
	if got := f.coveredRentedCount(vp, in, 1, n); !near(got, want) {
		t.Errorf("slices of %d and %d: %v on the reservation, want %v", a, b, got, want)
	}
	// The reservation's idle part and the repricing follow: n - want idle,
	// want repriced from on-demand to the reserved rate.
	f = parse(t, strings.Replace(src, "reserved: 3}", "reserved: 5}", 1))
	idle := f.reservedIdle(nil)[[3]int{0, 0, 1}]
	if !near(idle.Instances, n-want) || !near(idle.RepricedUSD, want*(8.197-21.50)*2190) {
		t.Errorf("slices of %d and %d: %v idle, repriced $%.2f; want %v, $%.2f", a, b, idle.Instances, idle.RepricedUSD,
			n-want, want*(8.197-21.50)*2190)
	}
}

// TestOverflowRefused: procurement.reserved is a rented fleet's on
// demand, at a rate the catalog or the plan gives for the term: p5en has
// no reserved rate in the catalog, and trn1's fits 3 years, not 1.
func TestOverflowRefused(t *testing.T) {
	for _, tt := range []struct{ name, src, want string }{
		{"no catalog rate", strings.NewReplacer("fleet.instance: trn1.32xlarge", "fleet.instance: p5en.48xlarge",
			"fleet.replica.tp: 32", "fleet.replica.tp: 8\n  fleet.replica.scheduler: vllm").Replace(overflowSeasonal),
			"procurement.reserved: 3: the catalog has no reserved rate for p5en.48xlarge (for a 3-year term): give your quote as procurement.reserved_usd_per_hour"},
		{"1 year at the catalog's", strings.Replace(overflowSeasonal, "reserved: 3}", "reserved: 3, term_years: 1}", 1),
			"procurement.reserved: 3: the catalog's reserved rate for trn1.32xlarge ($8.197/h, the Neuron SDK's RI-effective rate) fits a 3-year term"},
		{"fleet at the reserved rate", strings.Replace(overflowSeasonal, "fleet.pricing: on-demand", "fleet.pricing: reserved", 1),
			"procurement.reserved: 3: the demand above the reserved instances runs on demand, but the fleet pays reserved from quarter 1"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("test.yaml", []byte(tt.src), "")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v\nwant it to hold\n%s", err, tt.want)
			}
		})
	}
	// The plan's own 1-year rate is held.
	if _, err := Parse("test.yaml", []byte(strings.Replace(overflowSeasonal, "reserved: 3}", "reserved: 3, term_years: 1, reserved_usd_per_hour: 12}", 1)), ""); err != nil {
		t.Errorf("a 1-year term at the plan's rate: %v", err)
	}
}

// TestOverflowInstanceStep: procurement.reserved holds period 1's
// instance. A roadmap step to another instance leaves that reservation
// paid, idle, to its term's end, and buys it no more: it was bought again
// after its 1-year term (3 idle trn1.32xlarge in quarters 5 and 6, at
// $10/h, $65.7k each) while every p5 ran on demand, and the note advised
// lowering the count toward the p5 the slices ran.
func TestOverflowInstanceStep(t *testing.T) {
	src := strings.NewReplacer("periods: {count: 4, length: quarter}", "periods: {count: 6, length: quarter}",
		"[1.6, 0.4, 0.4, 1.6]", "[1.6, 0.4, 0.4, 1.6, 1.6, 1.6]",
		"variants:", "roadmap:\n  - {from: 3, set: {fleet.instance: p5.48xlarge, fleet.replica.tp: 8, fleet.replica.scheduler: vllm}}\nvariants:",
		"reserved: 3}", "reserved: 3, term_years: 1, reserved_usd_per_hour: 10}").Replace(overflowSeasonal)
	f := parse(t, src)
	var runs []RunResult
	for k, n := range []float64{5, 2, 5, 5, 5, 5} {
		price := 21.50
		if k >= 2 {
			price = 55
		}
		runs = append(runs, RunResult{Job: Job{Period: k + 1}, SimHours: f.SimHoursPerPeriod(), KPIs: map[string]float64{
			kpicat.CostInstancesUSD: n * price * f.SimHoursPerPeriod(), kpicat.PricePerInstanceHourUSD: price, kpicat.InstancesAvg: n}})
	}
	periods := Aggregate(f, runs)
	for i, want := range []float64{0, 1, 3, 3, 0, 0} { // quarter 2: 2 of the 3 run; 3-4: held to the term's end
		if p := periods[i]; !near(p.ReservedIdle, want) || !near(p.ReservedIdleUSD, want*10*2190) {
			t.Errorf("quarter %d: %v reserved idle ($%.2f), want %v ($%.2f)", i+1, p.ReservedIdle, p.ReservedIdleUSD, want, want*10*2190)
		}
	}
	note := NewReport(f, periods, len(runs)).reservedIdleNote("rented")
	for _, want := range []string{"3 in quarter 3 ($65.7k), 3 in quarter 4 ($65.7k); $153k in all",
		"holds 3 instances reserved at $10/h (procurement.reserved_usd_per_hour), paid for every hour of the reservation's term (1 year, procurement.term_years)",
		"From quarter 3 the fleet runs p5.48xlarge, not the trn1.32xlarge procurement.reserved holds: the reservation is paid, idle, to its term's end and not renewed"} {
		if !strings.Contains(note, want) {
			t.Errorf("note\n%s\nwant it to hold\n%s", note, want)
		}
	}
	if strings.Contains(note, "quarter 5") || strings.Contains(note, "Lower procurement.reserved toward") {
		t.Errorf("note\n%s\nnames an idle reservation renewed after the fleet left its instance, or advises the count", note)
	}
}
