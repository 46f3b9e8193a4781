package forecast

import (
	"fmt"
	"math"
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
