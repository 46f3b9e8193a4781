package kpi

import (
	"math"
	"strings"
	"testing"

	"aiecon/model/format"
)

func TestCatalogIsConsistent(t *testing.T) {
	units := map[string]bool{format.UnitUSD: true, format.UnitUSDPerHour: true, format.UnitUSDPerMTok: true,
		format.UnitUSDPerSession: true, format.UnitUSDPerRequest: true, format.UnitUSDPerClick: true, format.UnitUSDPerMille: true,
		format.UnitSeconds: true, format.UnitHours: true, format.UnitFraction: true, format.UnitCount: true,
		format.UnitRequests: true, format.UnitPerSecond: true, format.UnitTokPerS: true, format.UnitFLOP: true,
		format.UnitTokens: true, format.UnitFactor: true}
	labels, shorts := map[string]string{}, map[string]string{}
	for _, d := range All() {
		if !units[d.Unit] {
			t.Errorf("%s: unit %q is not one of format's units", d.Name, d.Unit)
		}
		if d.Label == "" || strings.Contains(d.Label, "_") {
			t.Errorf("%s: label %q: want words, not a name", d.Name, d.Label)
		}
		if other, dup := labels[strings.ToLower(d.Label)]; dup {
			t.Errorf("%s and %s share the label %q", other, d.Name, d.Label)
		}
		labels[strings.ToLower(d.Label)] = d.Name
		if other, dup := shorts[strings.ToUpper(d.ShortLabel())]; dup {
			t.Errorf("%s and %s share the column header %q", other, d.Name, d.ShortLabel())
		}
		shorts[strings.ToUpper(d.ShortLabel())] = d.Name
		// Money is in USD by name and unit alike, so the two cannot drift.
		if strings.HasSuffix(d.Name, "_usd") != strings.HasPrefix(d.Unit, "USD") {
			t.Errorf("%s: unit %q does not match its name", d.Name, d.Unit)
		}
		if strings.HasSuffix(d.Name, "_s") && d.Unit != format.UnitSeconds && d.Unit != format.UnitTokPerS {
			t.Errorf("%s: a _s name in %q", d.Name, d.Unit)
		}
	}
}

func TestLookupAndFallbacks(t *testing.T) {
	tests := []struct {
		name, label string
		better      Direction
		known       bool
	}{
		{MarginUSD, "margin", HigherBetter, true},
		{TTFTP99S, "TTFT p99", LowerBetter, true},
		{Utilization, "busy time", Neutral, true},
		{"made_up_kpi", "made up kpi", Neutral, false},
	}
	for _, tt := range tests {
		_, ok := Lookup(tt.name)
		if ok != tt.known || Label(tt.name) != tt.label || Better(tt.name) != tt.better {
			t.Errorf("%s: known %v label %q better %d; want %v %q %d", tt.name, ok, Label(tt.name), Better(tt.name), tt.known, tt.label, tt.better)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("Get of an unknown name did not panic")
		}
	}()
	Get("made_up_kpi")
}

func TestFormatsByUnit(t *testing.T) {
	tests := []struct {
		name         string
		v            float64
		text, compat string
	}{
		{MarginUSD, -27.1152, "-$27.12", "-$27.12"},
		{MarginUSD, 0, "$0", "$0"},
		{MarginUSD, math.NaN(), format.Undefined, format.Undefined},
		{CostPerMTokUSD, 0.0042, "$0.0042/Mtok", "$0.0042/Mtok"},
		{CostPerHourUSD, 1.5e6, "$1,500,000/h", "$1.50M/h"},
		{TTFTP99S, 0.0248, "25 ms", "24.8 ms"},
		{SLOAttainment, 0, "0.0%", "0%"},
		{ThroughputRPS, 4.9333, "4.93/s", "4.93/s"},
		{RequestsCompleted, 12_345_678, "12,345,678", "12.3M"},
	}
	for _, tt := range tests {
		d := Get(tt.name)
		if got := d.Format(tt.v); got != tt.text {
			t.Errorf("%s Format(%v) = %q, want %q", tt.name, tt.v, got, tt.text)
		}
		if got := d.Compact(tt.v); got != tt.compat {
			t.Errorf("%s Compact(%v) = %q, want %q", tt.name, tt.v, got, tt.compat)
		}
	}
}

func TestDirections(t *testing.T) {
	tests := []struct {
		name string
		want Direction
	}{
		{"cost_per_mtok_usd", LowerBetter},
		{"cost_instances_usd", LowerBetter},
		{"revenue_usd", HigherBetter},
		{"revenue_ads_usd", HigherBetter},
		{"revenue_lost_to_latency_usd", LowerBetter}, // starts with "revenue" but is a loss
		{"margin_usd", HigherBetter},
		{"gross_margin", HigherBetter},
		{"ttft_p99_s", LowerBetter},
		{"e2e_mean_s", LowerBetter},
		{"slo_attainment", HigherBetter},
		{"goodput_rps", HigherBetter},
		{"requests_completed", HigherBetter},
		{"requests_dropped", LowerBetter},
		{"sessions_abandoned", LowerBetter},
		{"sessions_started", Neutral},
		{"utilization", Neutral},
		{"requests_arrived", Neutral},
		{"instances_avg", Neutral},
		{"some_future_kpi", Neutral},
	}
	for _, tt := range tests {
		if got := Better(tt.name); got != tt.want {
			t.Errorf("Better(%q) = %d, want %d", tt.name, got, tt.want)
		}
	}
}

// TestPricesPerUnitSayTheirUnit: the per-unit prices said plain USD, as
// totals do, so an analyst summing the USD KPIs added an eCPM (USD per
// 1,000 impressions) and a CPC (per click) to the revenue.
func TestPricesPerUnitSayTheirUnit(t *testing.T) {
	for name, want := range map[string]string{
		RevenuePerSessionUSD: format.UnitUSDPerSession, AdECPMUSD: format.UnitUSDPerMille,
		CostPerRequestUSD: format.UnitUSDPerRequest, CostPerSessionUSD: format.UnitUSDPerSession,
		AdPaidCPCUSD: format.UnitUSDPerClick, AdPaidCPCTargetUSD: format.UnitUSDPerClick, AdBidMedianUSD: format.UnitUSDPerClick,
	} {
		if got := Get(name).Unit; got != want {
			t.Errorf("%s: unit %q, want %q", name, got, want)
		}
	}
}

// A KPI's bounds are what its definition allows: a fraction of a whole in
// [0, 1], a duration, count or cost from 0, and none for a margin or a
// revenue lost (both can be negative) or a name outside the catalog.
func TestBounds(t *testing.T) {
	inf := math.Inf(1)
	tests := []struct {
		name   string
		lo, hi float64
	}{
		{Utilization, 0, 1},
		{SLOAttainment, 0, 1},
		{TTFTP99S, 0, inf},
		{CostUSD, 0, inf},
		{RequestsCompleted, 0, inf},
		{MarginUSD, -inf, inf},
		{GrossMargin, -inf, inf},
		{RevenueLostToLatencyUSD, -inf, inf},
		{MarginLostToQueueingUSD, -inf, inf},
		{"no_such_kpi", -inf, inf},
	}
	for _, tt := range tests {
		if lo, hi := Bounds(tt.name); lo != tt.lo || hi != tt.hi {
			t.Errorf("Bounds(%s) = [%v, %v], want [%v, %v]", tt.name, lo, hi, tt.lo, tt.hi)
		}
	}
	// Every unit of the catalog is either a fraction, a non-negative one,
	// or carried by Signed KPIs alone: a new unit must be placed.
	for _, d := range All() {
		if lo, _ := d.Bounds(); math.IsInf(lo, -1) && !d.Signed {
			t.Errorf("%s (unit %q): no bounds and not Signed; list its unit in nonNegative or mark it Signed", d.Name, d.Unit)
		}
	}
}

// TestAttainmentFormatsAgainstTheTarget: an SLO attainment prints off the
// default target when it is not it (0.98992 printed 99.0%, read as met,
// in run's comparison, show and every line that prints a KPI by name).
func TestAttainmentFormatsAgainstTheTarget(t *testing.T) {
	for _, tt := range []struct {
		v    float64
		want string
	}{{0.98992, "98.99%"}, {0.99, "99.0%"}, {0.990004, "99.0004%"}, {0.5, "50.0%"}, {1, "100.0%"}} {
		if got := Get(SLOAttainment).Format(tt.v); got != tt.want {
			t.Errorf("Format(%v) = %q, want %q", tt.v, got, tt.want)
		}
	}
}
