package forecast

import (
	"strings"
	"testing"
)

// TestBetter: every USD line a forecast stores says which way is better,
// so that compare --forecast can count the samples in which a variant
// beats the first on it; a line added without one would be counted on
// neither side. Costs and the revenue lost to latency are better lower,
// revenue and margins higher. The estimates for the sessions left running
// at a slice's end have none: more revenue counted there is a slower
// fleet's backlog, not a win.
func TestBetter(t *testing.T) {
	want := map[string]int{"cost_usd": -1, "cost_rent_usd": -1, "sessions_revenue_lost_to_latency_usd": -1,
		"revenue_usd": 1, "revenue_commerce_usd": 1, "gross_margin_usd": 1, "operating_margin_usd": 1, "instances_avg": 0,
		"reserved_idle_usd": -1, "reserved_repriced_usd": -1, "licensing_unfinished_counted_usd": 0, "sessions_revenue_unfinished_usd": -1,
		"revenue_unfinished_counted_usd": 0}
	for m, w := range want {
		if got := Better(m); got != w {
			t.Errorf("Better(%q) = %d, want %d", m, got, w)
		}
	}
	for _, m := range Metrics {
		if m.Unit == "USD" && Better(m.Name) == 0 && !strings.HasSuffix(m.Name, "_unfinished_counted_usd") {
			t.Errorf("USD line %s: Better knows no direction for it", m.Name)
		}
	}
}
