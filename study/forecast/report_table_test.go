package forecast

import (
	"math"
	"regexp"
	"strings"
	"testing"
)

// TestTableUnitsAndLegend: the variants' tables say what their columns
// hold and in what unit (TOKENS, the revenue of token sales in USD a
// period, read as a count of tokens beside USD/Mtok); a rented fleet's
// SERVERS is "-", not 0 (read as no capacity); USD/Mtok prints as the
// money columns do, "-" for a period without tokens (it printed NaN) and
// 1.76k for 1,760 (it printed 1.76e+03).
func TestTableUnitsAndLegend(t *testing.T) {
	period := func(v string, k, servers int, perMtok float64) Period {
		return Period{Variant: v, Period: k, OwnedServers: servers, RevenueUSD: 20400, RevenueAPIUSD: 20400, CostPerMTokUSD: Ratio(perMtok)}
	}
	r := &Report{Name: "t", PeriodLen: "month", Periods: 2, Samples: 1,
		Fleets:  []FleetEconomy{{Variant: "own", Mode: "owned", Instance: "trn2.48xlarge"}, {Variant: "rent", Mode: "rented", Instance: "trn2.48xlarge"}},
		Summary: Summarize([]Period{period("own", 1, 4, 1760), period("own", 2, 4, math.NaN()), period("rent", 1, 0, 5.35), period("rent", 2, 0, 5.35)})}
	var b strings.Builder
	if err := r.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, w := range []string{"COLUMNS: SERVERS are the owned servers in service (- for a rented fleet)",
		// INST is what ran: a reserved fleet's idle reservations are
		// paid in RENT and are not in it, so "paid for" was wrong.
		"INST the instances run on average (a reserved fleet's reservations held idle are paid in RENT, not counted in INST",
		"REVENUE to TRAIN are USD a month: REVENUE = TOKENS (token sales) + AGENT (agent session fees)", "USD/Mtok is every cost per million tokens billed"} {
		if !strings.Contains(out, w) {
			t.Errorf("no %q in\n%s", w, out)
		}
	}
	for _, row := range []string{`(?m)^ +1 +4 +0\.0 +20\.4k +20\.4k .* 1\.76k `, `(?m)^ +2 +4 +0\.0 +20\.4k .* +- +0\.0% `, `(?m)^ +1 +- +0\.0 +20\.4k .* 5\.35 `} {
		if !regexp.MustCompile(row).MatchString(out) {
			t.Errorf("no row %s in\n%s", row, out)
		}
	}
	if strings.Contains(out, "NaN") || strings.Contains(out, "e+03") {
		t.Errorf("a figure printed as NaN or e+03:\n%s", out)
	}
}
