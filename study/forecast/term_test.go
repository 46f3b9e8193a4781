package forecast

import (
	"strings"
	"testing"

	kpicat "aiecon/model/kpi"
)

// TestReservationTerm: procurement.term_years holds a variant's
// reservations 1 or 3 years. A fleet reserved at 5 for quarter 1 and
// sized 2 after, at the plan's quote of $6/h on trn1.32xlarge, pays 3
// idle instances, 3 x 2,190 h x $6 = $39,420 a quarter, to the term's
// end: quarters 2-4 on a 1-year term, then a new reservation of 2 from
// quarter 5 with nothing idle; quarters 2-6 on a 3-year one (and unset,
// as before the field).
func TestReservationTerm(t *testing.T) {
	const idleUSD = 3 * 2190 * 6.0
	src := strings.NewReplacer("fleet.count: 3\n", "fleet.count: 3\n  fleet.price_usd_per_hour: 6\n",
		"periods: {count: 4, length: quarter}", "periods: {count: 6, length: quarter}",
		"[1.6, 0.4, 0.4, 1.6]", "[1.6, 0.4, 0.4, 0.4, 0.4, 0.4]").Replace(seasonalReserved)
	for _, tt := range []struct {
		name, term, words string
		idle              [6]float64
	}{
		{"unset: 3 years", "", "taken as 3 years: the catalog's RI-effective rates state none and fit 3-year terms", [6]float64{0, 3, 3, 3, 3, 3}},
		{"3 years", ", term_years: 3", "3 years, procurement.term_years", [6]float64{0, 3, 3, 3, 3, 3}},
		{"1 year", ", term_years: 1", "1 year, procurement.term_years", [6]float64{0, 3, 3, 3, 0, 0}},
	} {
		f := parse(t, strings.Replace(src, "max: 20}", "max: 20"+tt.term+"}", 1))
		idle := f.reservedIdle(nil)
		var runs []RunResult
		for k, n := range []float64{5, 2, 2, 2, 2, 2} {
			runs = append(runs, RunResult{Job: Job{Period: k + 1}, SimHours: f.SimHoursPerPeriod(), KPIs: map[string]float64{
				kpicat.CostInstancesUSD: n * 6 * f.SimHoursPerPeriod(), kpicat.PricePerInstanceHourUSD: 6, kpicat.InstancesAvg: n}})
		}
		note := NewReport(f, Aggregate(f, runs), len(runs)).reservedIdleNote("rented")
		if !strings.Contains(note, "term ("+tt.words+")") {
			t.Errorf("%s: RESERVED INSTANCES IDLE\n%s\nwant it to say the term (%s)", tt.name, note, tt.words)
		}
		for k := 1; k <= 6; k++ {
			got := idle[[3]int{0, 0, k}]
			if !near(got.Instances, tt.idle[k-1]) || !near(got.USD, tt.idle[k-1]/3*idleUSD) {
				t.Errorf("%s: quarter %d idle %v instances, $%.2f; want %v, $%.2f", tt.name, k, got.Instances, got.USD,
					tt.idle[k-1], tt.idle[k-1]/3*idleUSD)
			}
		}
	}
}

// TestReservationTermRefused: a term must be 1 or 3 years and apply to a
// reservation, and a 1-year term at the catalog's reserved rate, which
// fits 3-year terms, is refused naming the instance, its rate and the
// term, where it would bill a 3-year price for a year.
func TestReservationTermRefused(t *testing.T) {
	for _, tt := range []struct {
		name, src string
		want      []string
	}{
		{"catalog rate for 1 year", strings.Replace(seasonalReserved, "max: 20}", "max: 20, term_years: 1}", 1),
			[]string{"procurement.term_years: 1: the catalog's reserved rate for trn1.32xlarge ($8.197/h, the Neuron SDK's RI-effective rate) " +
				"fits a 3-year term, and no 1-year reserved rate for it is published"}},
		{"2 years", strings.Replace(seasonalReserved, "max: 20}", "max: 20, term_years: 2}", 1),
			[]string{"procurement.term_years: 2: want 1 or 3"}},
		{"nothing reserved", strings.Replace(strings.Replace(seasonalReserved, "fleet.pricing: reserved", "fleet.pricing: on-demand", 1),
			"max: 20}", "max: 20, term_years: 3}", 1), []string{"procurement.term_years: 3: the variant reserves nothing"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("test.yaml", []byte(tt.src), "")
			if err == nil {
				t.Fatal("parsed; want a refusal")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error\n%v\nwant it to hold\n%s", err, w)
				}
			}
		})
	}
}
