package forecast

import (
	"math"
	"strings"
	"testing"

	kpicat "aiecon/model/kpi"
)

// TestAllUpfrontRent: procurement.payment: all-upfront books a
// reservation's whole term in the period it is bought and nothing an hour
// for it after. By hand, a quarter of 2,190 h: the seasonal fleet reserves
// 5 trn1.32xlarge at $8.197/h in quarter 1 for 3 years (12 quarters), so
// RENT is 5 x 8.197 x 2,190 x 12 = $1,077,085.80 in quarter 1 and $0 in
// quarters 2-4, which run 2, 2 and 5 on the reservation, where paid by the
// hour it is $89,757.15 every quarter. At the plan's $6/h for 1 year (4
// quarters) over a fleet of 5 then 2: 5 x 6 x 2,190 x 4 = $262,800 in
// quarter 1, $0 in quarters 2-4, and the 2 reserved afresh in quarter 5,
// 2 x 6 x 2,190 x 4 = $105,120, then $0.
func TestAllUpfrontRent(t *testing.T) {
	oneYear := strings.NewReplacer("fleet.count: 3\n", "fleet.count: 3\n  fleet.price_usd_per_hour: 6\n",
		"periods: {count: 4, length: quarter}", "periods: {count: 6, length: quarter}",
		"[1.6, 0.4, 0.4, 1.6]", "[1.6, 0.4, 0.4, 0.4, 0.4, 0.4]", "max: 20}", "max: 20, term_years: 1, payment: all-upfront}").
		Replace(seasonalReserved)
	for _, tt := range []struct {
		name, src string
		rate      float64
		counts    []float64
		rent      []float64
		// beyond: what each period books for periods after the last;
		// past: the note's words on it ("" where none runs past)
		beyond []float64
		past   string
	}{
		{"3 years at the catalog's rate", strings.Replace(seasonalReserved, "max: 20}", "max: 20, payment: all-upfront}", 1), 8.197,
			[]float64{5, 2, 2, 5}, []float64{1077085.80, 0, 0, 0}, []float64{718057.20, 0, 0, 0},
			"Terms run past the last quarter: $718k of quarter 1's pays for hours after it, $718k in all"},
		{"no upfront", strings.Replace(seasonalReserved, "max: 20}", "max: 20, payment: no-upfront}", 1), 8.197,
			[]float64{5, 2, 2, 5}, []float64{89757.15, 89757.15, 89757.15, 89757.15}, []float64{0, 0, 0, 0}, ""},
		{"1 year at the plan's rate", oneYear, 6, []float64{5, 2, 2, 2, 2, 2}, []float64{262800, 0, 0, 0, 105120, 0},
			[]float64{0, 0, 0, 0, 52560, 0}, "Terms run past the last quarter: $52.6k of quarter 5's pays for hours after it, $52.6k in all"},
		{"1 year within the horizon", strings.NewReplacer("[1.6, 0.4, 0.4, 0.4, 0.4, 0.4]", "[1.6, 0.4, 0.4, 0.4]", "count: 6, length", "count: 4, length").Replace(oneYear), 6,
			[]float64{5, 2, 2, 2}, []float64{262800, 0, 0, 0}, []float64{0, 0, 0, 0}, ""},
	} {
		f := parse(t, tt.src)
		var runs []RunResult
		for k, n := range tt.counts {
			runs = append(runs, RunResult{Job: Job{Period: k + 1}, SimHours: f.SimHoursPerPeriod(), KPIs: map[string]float64{
				kpicat.CostInstancesUSD: n * tt.rate * f.SimHoursPerPeriod(), kpicat.PricePerInstanceHourUSD: tt.rate, kpicat.InstancesAvg: n}})
		}
		periods := Aggregate(f, runs)
		for i, want := range tt.rent {
			if d := periods[i].CostRentUSD - want; d > 0.01 || d < -0.01 {
				t.Errorf("%s: quarter %d RENT $%.2f, want $%.2f", tt.name, i+1, periods[i].CostRentUSD, want)
			}
		}
		for i, want := range tt.beyond {
			if d := periods[i].ReservedBeyondUSD - want; d > 0.01 || d < -0.01 {
				t.Errorf("%s: quarter %d booked past the horizon $%.2f, want $%.2f", tt.name, i+1, periods[i].ReservedBeyondUSD, want)
			}
		}
		note := NewReport(f, periods, len(runs)).upfrontNote("rented")
		if upfront := !strings.HasPrefix(tt.name, "no"); upfront != strings.HasPrefix(note, "RESERVED ALL UPFRONT: ") {
			t.Errorf("%s: note %q", tt.name, note)
		}
		if past := strings.Contains(note, "run past"); past != (tt.past != "") || !strings.Contains(note, tt.past) {
			t.Errorf("%s: note %q\nwant it to say %q", tt.name, note, tt.past)
		}
		if note != "" && !strings.Contains(note, "USD/Mtok and the margins follow it") {
			t.Errorf("%s: note %q does not say USD/Mtok and the margins follow the booking", tt.name, note)
		}
		// The idle reserved instances are in RENT where they are held
		// when paid by the hour, and in the period each term was bought
		// when paid up front: it said RENT included them where it was $0.
		idle, where := NewReport(f, periods, len(runs)).reservedIdleNote("rented"), "RENT includes the reserved instances held and not run, 3 in quarter 2"
		if note != "" {
			where = "RENT, in the quarter each term was bought (procurement.payment: all-upfront), paid for the reserved instances held and not run, 3 in quarter 2"
		}
		if !strings.Contains(idle, where) {
			t.Errorf("%s: idle note %q\nwant it to hold %q", tt.name, idle, where)
		}
	}
}

// TestAllUpfrontOverflowRentZero: with procurement.reserved paid up
// front, a period whose instances all run on the reservation pays nothing
// more: its runs' on-demand rent, their repricing to the reserved rate,
// the idle part and the prepaid hourly charges cancel. RENT read
// -7.28e-12 (float residue) in quarters 2 and 3; it is 0.
func TestAllUpfrontOverflowRentZero(t *testing.T) {
	f := parse(t, strings.Replace(overflowSeasonal, "reserved: 3}", "reserved: 3, payment: all-upfront}", 1))
	var runs []RunResult
	for k, n := range []float64{5, 2, 2, 5} {
		runs = append(runs, RunResult{Job: Job{Period: k + 1}, SimHours: f.SimHoursPerPeriod(), KPIs: map[string]float64{
			kpicat.CostInstancesUSD: n * 21.50 * f.SimHoursPerPeriod(), kpicat.PricePerInstanceHourUSD: 21.50, kpicat.InstancesAvg: n}})
	}
	periods := Aggregate(f, runs)
	for _, q := range []int{2, 3} {
		if rent := periods[q-1].CostRentUSD; rent != 0 {
			t.Errorf("quarter %d: RENT %g, want exactly 0", q, rent)
		}
	}
	if d := periods[0].CostRentUSD - (3*8.197*2190*12 + 2*21.50*2190); math.Abs(d) > 0.01 {
		t.Errorf("quarter 1: RENT $%.2f, want $740,421.48", periods[0].CostRentUSD)
	}
}

// TestPaymentRefused: a payment option other than the two, or one where
// the variant reserves nothing, is refused at its line.
func TestPaymentRefused(t *testing.T) {
	for _, tt := range []struct{ name, src, want string }{
		{"partial", strings.Replace(seasonalReserved, "max: 20}", "max: 20, payment: partial-upfront}", 1),
			`procurement.payment: "partial-upfront": want no-upfront`},
		{"nothing reserved", strings.Replace(strings.Replace(seasonalReserved, "fleet.pricing: reserved", "fleet.pricing: on-demand", 1),
			"max: 20}", "max: 20, payment: all-upfront}", 1), "procurement.payment: all-upfront: the variant reserves nothing"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("test.yaml", []byte(tt.src), "")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v\nwant it to hold\n%s", err, tt.want)
			}
		})
	}
}
