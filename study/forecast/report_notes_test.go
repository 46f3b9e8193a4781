package forecast

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
)

// TestBandsSayTheirSamples: the P10..P90 bands say how many samples they
// rest on, and that with 10 or fewer they are interpolated between the
// extreme samples; one sample prints no band.
func TestBandsSayTheirSamples(t *testing.T) {
	tests := []struct {
		samples int
		want    []string
		not     []string
	}{
		{4, []string{"P10..P90 bands rest on 4 Monte Carlo samples", "interpolated between the two lowest", "OPER% P10..P90 OF 4"}, nil},
		{20, []string{"P10..P90 bands rest on 20 Monte Carlo samples", "OPER% P10..P90 OF 20"}, []string{"interpolated"}},
		{1, nil, []string{"P10..P90"}},
	}
	for _, tt := range tests {
		r := &Report{Name: "x", PeriodLen: "quarter", Periods: 1, Samples: tt.samples,
			Fleets:  []FleetEconomy{{Variant: "v", Mode: "rented"}},
			Summary: []PeriodSummary{{Variant: "v", Period: 1, Samples: tt.samples, Periods: []Period{{Variant: "v", Period: 1}}}}}
		var b strings.Builder
		if err := r.WriteText(&b); err != nil {
			t.Fatal(err)
		}
		for _, w := range tt.want {
			if !strings.Contains(b.String(), w) {
				t.Errorf("%d samples: no %q in\n%s", tt.samples, w, b.String())
			}
		}
		for _, w := range tt.not {
			if strings.Contains(b.String(), w) {
				t.Errorf("%d samples: %q in\n%s", tt.samples, w, b.String())
			}
		}
	}
}

// TestCapitalListsLateOrders: with the horizon cut (--periods), an order
// placed within the printed periods but delivered after them is listed
// with the capital it commits; one placed after them is not. The note
// gave a count alone: the built-in's 6 quarters hid the $1.23M its
// quarter-5 order commits.
func TestCapitalListsLateOrders(t *testing.T) {
	src := strings.Replace(small, "periods: {count: 2, length: quarter}", "periods: {count: 4, length: quarter}", 1)
	src = strings.Replace(src, "lead_time: 1, orders: [{period: 1, servers: 1}]",
		"lead_time: 2, orders: [{period: 1, servers: 1}, {period: 2, servers: 4}, {period: 4, servers: 2}]", 1)
	tests := []struct {
		periods int
		late    int
		orders  string
	}{
		{4, 2, "(2 ordered in quarter 4 for quarter 6)"}, // the others are delivered by quarter 4
		{3, 4, "(4 ordered in quarter 2 for quarter 4)"}, // the quarter-4 order is not placed yet
		{2, 5, "(1 ordered in quarter 1 for quarter 3, 4 ordered in quarter 2 for quarter 4)"},
		{1, 1, "(1 ordered in quarter 1 for quarter 3)"},
	}
	for _, tt := range tests {
		f := parse(t, src)
		if err := f.Truncate(tt.periods); err != nil {
			t.Fatal(err)
		}
		c := f.capital(f.Variants[0])
		capex := f.Variants[0].Owned.Ownership.CapexUSD
		note := NewReport(f, nil, 0).capitalNote("owned")
		want := fmt.Sprintf("$%s committed %s", money(float64(tt.late)*capex), tt.orders)
		if c.LateServers != tt.late || !near(c.LateCapexUSD, float64(tt.late)*capex) || !strings.Contains(note, want) {
			t.Errorf("%d periods: late %+v, note %q; want %d servers and %q", tt.periods, c, note, tt.late, want)
		}
	}
}

// TestPctWidth: GROSS% and OPER% printed a margin on a revenue of ~1e-300
// USD as a 300-digit number.
func TestPctWidth(t *testing.T) {
	for _, c := range []struct {
		x    float64
		want string
	}{{0.123, "12.3%"}, {math.NaN(), "-"}, {-1.2e300, "-1.2e+302%"}, {-45678.9, "-4.57M%"}} {
		if got := pct(c.x); got != c.want {
			t.Errorf("pct(%g) = %q, want %q", c.x, got, c.want)
		}
	}
}

// TestIdleBaseNote: a rented fleet whose busiest slice filled under 2% of
// its batch slots in every period, yet scaled above procurement.min, is
// told that RENT grew with demand from an idle base (a p5.48xlarge at
// fleet.count 1 serving llama-3.1-8b at 2 req/s printed INST 1..4 at 99.9%
// headroom, unremarked); the note is in Caveats, so compare --forecast
// repeats it, and survives the stored report. A loaded fleet, an owned one
// and one that never left min are not noted.
func TestIdleBaseNote(t *testing.T) {
	rented := &RentedSizing{BaseCount: 1, Min: 1, Max: 8}
	tests := []struct {
		name     string
		sizing   *RentedSizing
		headroom []float64 // per period
		inst     []float64
		want     string // "" when no note
	}{
		{"idle base scaled up", rented, []float64{0.999, 0.999, 0.999, 0.999}, []float64{1, 2, 3, 4},
			"RENTED FLEET SCALED FROM AN IDLE BASE: each slice rents fleet.count (1) x the slice's demand, and the busiest slice of every " +
				"month filled at most 0.1% of its batch slots or KV cache, yet the fleet was paid for more than procurement.min (1)"},
		{"tiny occupancy printed", rented, []float64{0.9996, 0.9997}, []float64{1, 2}, "at most 0.04% of its"},
		{"loaded fleet", rented, []float64{0.4, 0.35, 0.3, 0.3}, []float64{1, 2, 3, 4}, ""},
		{"busy in one period", rented, []float64{0.999, 0.999, 0.9, 0.999}, []float64{1, 2, 3, 4}, ""},
		{"just under the threshold", rented, []float64{0.985, 0.99}, []float64{1, 2}, "at most 1.5% of its"},
		{"owned fleet", nil, []float64{0.999, 0.999}, []float64{1, 2}, ""},
		{"never above min", &RentedSizing{BaseCount: 4, Min: 2, Max: 8}, []float64{0.999, 0.999}, []float64{2, 2}, ""},
		{"headroom unknown", rented, []float64{0.999, math.NaN()}, []float64{1, 2}, ""},
	}
	for _, tt := range tests {
		r := &Report{Name: "x", PeriodLen: "month", Periods: len(tt.headroom), Samples: 1,
			Fleets: []FleetEconomy{{Variant: "v", Mode: "rented", Rented: tt.sizing}}}
		for i, h := range tt.headroom {
			p := Period{Variant: "v", Period: i + 1, Headroom: Ratio(h), InstancesAvg: tt.inst[i]}
			r.Summary = append(r.Summary, PeriodSummary{Variant: "v", Period: i + 1, Samples: 1, Periods: []Period{p}})
		}
		note := r.idleBaseNote("v")
		if tt.want == "" {
			if note != "" {
				t.Errorf("%s: noted %q", tt.name, note)
			}
			continue
		}
		if !strings.Contains(note, tt.want) || !strings.Contains(note, "Size fleet.count for volume 1") {
			t.Errorf("%s: note %q, want %q and the remedy", tt.name, note, tt.want)
		}
		if !slices.Contains(r.Caveats("v"), note) {
			t.Errorf("%s: not in Caveats %q", tt.name, r.Caveats("v"))
		}
		body, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		// compare --forecast names its line, not the table's RENT column.
		m := *r
		m.metricNames = true
		if stored := m.idleBaseNote("v"); !slices.Contains(StoredCaveats(string(body), "v"), stored) || !strings.Contains(stored, "cost_rent_usd grows") {
			t.Errorf("%s: %q not in the stored report's caveats %q", tt.name, stored, StoredCaveats(string(body), "v"))
		}
	}
}

// TestReportKeepsRentedSizing: NewReport keeps a rented fleet's base count
// and bounds, which idleBaseNote names, and none for an owned fleet.
func TestReportKeepsRentedSizing(t *testing.T) {
	f := parse(t, small)
	r := NewReport(f, nil, 0)
	want := RentedSizing{BaseCount: f.Variants[1].BaseCount, Min: 1, Max: 6}
	if got := r.Fleets[1].Rented; got == nil || *got != want || want.BaseCount < 1 {
		t.Errorf("rented fleet's sizing %+v, want %+v", got, want)
	}
	if r.Fleets[0].Rented != nil {
		t.Errorf("owned fleet has a rented sizing %+v", r.Fleets[0].Rented)
	}
}

// TestSLORiskNote: a period in which some sample's busiest slice filled
// over 95% of its batch slots (run's OVERLOADED) or met the SLO on under
// 99% of requests is noted with its periods, how many samples, and the
// worst sample's figures, even where the medians the table prints read
// 100% (an owned trn2 fleet's quarter 6 printed SLO 100.0% while one
// sample of five met it on 26.6%, unremarked); the note is in Caveats and
// survives the stored report. A fleet within both, or whose figures are
// undefined, is not noted; one saturated under a plan without an SLO is,
// without the SLO clauses (it printed "met the SLO on - of requests").
func TestSLORiskNote(t *testing.T) {
	ok := Period{Headroom: 0.3, SLOAttainment: 1, SessionAbandon: 0.4}
	full := Period{Headroom: 0.018, SLOAttainment: 0.995, SessionAbandon: 0.5}                            // saturated, SLO still met
	late := Period{Headroom: 0.2, SLOAttainment: 0.266, SessionAbandon: 0.61}                             // SLO missed
	noSLO := Period{Headroom: 0.018, SLOAttainment: Ratio(math.NaN()), SessionAbandon: Ratio(math.NaN())} // saturated, no SLO
	undefined := Period{Headroom: Ratio(math.NaN()), SLOAttainment: Ratio(math.NaN()), SessionAbandon: Ratio(math.NaN())}
	tests := []struct {
		name    string
		periods [][]Period // per period, per sample
		want    []string   // "" alone: no note
	}{
		{"one sample of five", [][]Period{{ok, ok, ok, ok, ok}, {ok, ok, late, ok, full}},
			[]string{"SLO AT RISK: owned's busiest slice filled over 95% of its batch slots or KV cache (where aiecon run warns OVERLOADED) or met the " +
				"SLO on under 99% of its requests", "in quarter 2, 2 of 5 samples.", "The worst, quarter 2 of sample 2 (as --json numbers them), " +
				"met the SLO on 26.6% of requests with 20.0% headroom and 61.0% of agent sessions abandoned; the table's medians do not show it",
				"more or earlier orders"}},
		{"saturated alone", [][]Period{{full, ok, ok}, {full, full, ok}},
			[]string{"in quarters 1-2, up to 2 of 3 samples a quarter", "quarter 1 of sample 0", "99.5% of requests with 1.8% headroom"}},
		{"median too", [][]Period{{late, late, ok}}, []string{"(the median too in quarter 1)", "26.6%"}},
		{"saturated without an SLO", [][]Period{{noSLO, ok}},
			[]string{"SLO AT RISK: owned's busiest slice filled over 95% of its batch slots or KV cache (where aiecon run warns OVERLOADED) in quarter 1, 1 of 2 samples.",
				"The worst, quarter 1 of sample 0 (as --json numbers them), had 1.8% headroom;"}},
		{"within both", [][]Period{{ok, ok}, {ok, ok}}, []string{""}},
		{"undefined", [][]Period{{undefined, ok}}, []string{""}},
	}
	for _, tt := range tests {
		r := &Report{Name: "x", PeriodLen: "quarter", Periods: len(tt.periods), Samples: len(tt.periods[0]),
			Fleets: []FleetEconomy{{Variant: "owned", Mode: "owned"}}}
		for k, ps := range tt.periods {
			var samples []Period
			for i, p := range ps {
				p.Variant, p.Period, p.Sample = "owned", k+1, i
				samples = append(samples, p)
			}
			r.Summary = append(r.Summary, Summarize(samples)...)
		}
		note := r.sloRiskNote("owned")
		if !checkNote(t, tt.name, note, tt.want) {
			continue
		}
		body, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		m := *r
		m.metricNames = true // compare --forecast has no table of period medians
		if !slices.Contains(r.Caveats("owned"), note) || !slices.Contains(StoredCaveats(string(body), "owned"), m.sloRiskNote("owned")) {
			t.Errorf("%s: not in the caveats, or not in the stored report's", tt.name)
		}
	}
}

// TestRentColumnTakesPeriodOnesStep: a roadmap step from period 1 prices
// the fleet from the start; the RENT column gave the variant's price
// without it while the note under it gave the step's.
func TestRentColumnTakesPeriodOnesStep(t *testing.T) {
	src := strings.Replace(small, "variants:", "roadmap:\n  - {from: 1, set: {fleet.price_usd_per_hour: 30}}\nvariants:", 1)
	r := NewReport(parse(t, src), nil, 0)
	fe := r.Fleets[1]
	if len(fe.Rent) == 0 || fe.Rent[0].USDPerHour != 30 || fe.ListUSDPerHour != 30 {
		t.Fatalf("RENT column %g, rent steps %+v: want both 30", fe.ListUSDPerHour, fe.Rent)
	}
	var b strings.Builder
	if err := r.writeFleets(&b, false, plainProse); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "rented capacity-block 30 (the plan's)") || strings.Contains(b.String(), "35.8") {
		t.Errorf("want the column and the note at 30:\n%s", b.String())
	}
}

// TestRentNote: the FLEET table's RENT USD/h is period 1's price; the line
// under it names each fleet's pricing, where the price comes from (dated
// as run's FLEET line dates it) and the periods from which the roadmap
// changes it. The table printed the first price alone, undated, while the
// costs paid a cut from quarter 4.
func TestRentNote(t *testing.T) {
	src := strings.Replace(small, "variants:", "roadmap:\n  - {from: 2, set: {fleet.price_usd_per_hour: 28}}\nvariants:", 1)
	f := parse(t, src)
	r := NewReport(f, nil, 0)
	want := []RentStep{{From: 1, Instance: "trn2.48xlarge", USDPerHour: r.Fleets[1].ListUSDPerHour, Pricing: "capacity-block", Source: "(catalog, us-east-2, 2026-05-21)"},
		{From: 2, Instance: "trn2.48xlarge", USDPerHour: 28, Pricing: "capacity-block"}}
	if got := r.Fleets[1].Rent; !slices.Equal(got, want) {
		t.Errorf("rented fleet's rent %+v, want %+v", got, want)
	}
	var b strings.Builder
	if err := r.writeFleets(&b, false, plainProse); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"RENT USD/h is period 1's;", "rented capacity-block 35.8 (catalog, us-east-2, 2026-05-21), 28 from quarter 2 (the plan's)"} {
		if !strings.Contains(b.String(), w) {
			t.Errorf("no %q in\n%s", w, b.String())
		}
	}
}

// TestOwnedRentIsAComparator: an owned fleet pays no rent for its servers,
// so its RENT cell is the rental price in parentheses and the note under
// the table says what it is; "owned  35.8" sat in a table of costs as if
// the fleet paid it. A rented fleet's stays bare.
func TestOwnedRentIsAComparator(t *testing.T) {
	r := NewReport(parse(t, small), nil, 0)
	var b strings.Builder
	if err := r.writeFleets(&b, false, plainProse); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ name, want string }{
		{"owned cell", "owned   (35.8)"},
		{"rented cell", "rented  35.8 "},
		{"note", " (owned: it pays no rent for its servers; in parentheses, what renting them would cost"},
	} {
		if !strings.Contains(b.String(), tt.want) {
			t.Errorf("%s: no %q in\n%s", tt.name, tt.want, b.String())
		}
	}
}

// checkNote checks a note against want: none where want is {""}, else one
// containing every string of want. It says whether a note was wanted.
func checkNote(t *testing.T, name, note string, want []string) bool {
	t.Helper()
	if want[0] == "" {
		if note != "" {
			t.Errorf("%s: noted %q", name, note)
		}
		return false
	}
	for _, w := range want {
		if !strings.Contains(note, w) {
			t.Errorf("%s: note %q\nwant %q", name, note, w)
		}
	}
	return true
}
