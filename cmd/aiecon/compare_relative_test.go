package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"aiecon/data"
	"aiecon/model/format"
	"aiecon/study/optimize"
)

// A margin from -$10 to +$85 printed +950%, which means nothing: the
// table, the CSV and the JSON give the absolute change and say, each the
// same way, that the relative one is not given and why.
func TestCompareRelativeNotMeaningful(t *testing.T) {
	nan := math.NaN()
	c := &data.Comparison{Runs: []data.RunSummary{{ID: "a", HorizonS: 3600, Seed: 1}, {ID: "b", HorizonS: 3600, Seed: 2}},
		Rows: []data.CompareRow{
			{Name: "margin_usd", Unit: "USD", Values: []float64{-10, 85}, Delta: []float64{0, 95}, RelDelta: []float64{nan, nan}},
			{Name: "revenue_usd", Unit: "USD", Values: []float64{100, 110}, Delta: []float64{0, 10}, RelDelta: []float64{0, 0.1}},
		}}
	var tab bytes.Buffer
	if err := printCompare(&tab, c); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(tab.String(), "\n") {
		switch {
		case strings.Contains(line, "margin_usd") && (!strings.Contains(line, "+$95.00") || !strings.Contains(line, "n/a (sign change)")):
			t.Errorf("table: %q, want +$95.00 and n/a (sign change)", line)
		case strings.Contains(line, "revenue_usd") && !strings.Contains(line, "+10.0%"):
			t.Errorf("table: %q, want +10.0%%", line)
		}
	}
	var out bytes.Buffer
	if err := printCompareCSV(&out, c); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&out).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if h := strings.Join(recs[0], ","); h != "scope,kpi,unit,a,b,b_delta,b_rel_delta,b_rel_delta_na" {
		t.Errorf("csv head %s", h)
	}
	if m, r := strings.Join(recs[1], ","), strings.Join(recs[2], ","); m != ",margin_usd,USD,-10,85,95,,"+format.RelSignChange || r != ",revenue_usd,USD,100,110,10,0.1," {
		t.Errorf("csv rows %s / %s", m, r)
	}
	out.Reset()
	if err := printCompareJSON(&out, c); err != nil {
		t.Fatal(err)
	}
	var got struct {
		KPIs []struct {
			Rel []*float64 `json:"rel_delta"`
			NA  []*string  `json:"rel_delta_na"`
		} `json:"kpis"`
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if m := got.KPIs[0]; len(m.NA) < 2 || m.Rel[1] != nil || m.NA[1] == nil || *m.NA[1] != format.RelSignChange {
		t.Errorf("json margin: rel_delta %v, rel_delta_na %v; want null and %q", m.Rel, m.NA, format.RelSignChange)
	}
	if r := got.KPIs[1]; len(r.NA) < 2 || r.Rel[1] == nil || *r.Rel[1] != 0.1 || r.NA[1] != nil {
		t.Errorf("json revenue: rel_delta %v, rel_delta_na %v; want 0.1 and null", r.Rel, r.NA)
	}
}

// optimize's one-seed tie said its gap as a share of the best's margin,
// which next to zero (or across it) is a number without meaning: 1,000%
// of a $0.10 margin. There it says the gap's share of the best's revenue.
func TestMarginTieShare(t *testing.T) {
	tests := []struct {
		margin, revenue, gap float64
		want                 string
	}{
		{100, 1000, 10, "10.0% of the best's margin"},
		{0.1, 1000, 1, "0.1% of the best's revenue (its margin, $0.1000, is too near zero for a share of it)"},
		{2, 1000, 5, "0.5% of the best's revenue (its margin, $2.00, is too near zero for a share of it)"},
		// No revenue to take a share of either (a free fleet earning
		// nothing): the gap in dollars, not "- of the best's revenue".
		{0, 0, 0.5, "$0.5000 apart (the best's margin, $0, is too near zero for a share of it, and it earns no revenue)"},
	}
	for _, tt := range tests {
		best := &optimize.Eval{MarginUSD: tt.margin, RevenueUSD: tt.revenue}
		if got := (marginTie{gap: tt.gap, hw: math.NaN()}).within(best, false); got != tt.want {
			t.Errorf("margin %v, gap %v: %q, want %q", tt.margin, tt.gap, got, tt.want)
		}
	}
}
