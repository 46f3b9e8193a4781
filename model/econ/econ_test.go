package econ

import (
	"math"
	"strings"
	"testing"
)

// near reports |got-want| <= 1e-12 x max(1, |want|): the formulas here are a
// few float64 operations, so anything beyond rounding is a bug.
func near(got, want float64) bool {
	return math.Abs(got-want) <= 1e-12*math.Max(1, math.Abs(want))
}

func TestFormulas(t *testing.T) {
	tests := []struct {
		name      string
		got, want float64
	}{
		{"token revenue 1M in + 0.5M out at 0.72", NewTokenPrices(0.72, 0.72, 0.72, 0).RevenueUSD(1_000_000, 0, 500_000), 1.08},
		{"token revenue chat request", NewTokenPrices(0.72, 0.72, 0.72, 0).RevenueUSD(800, 0, 250), 1050 * 0.72 / 1e6},
		{"token revenue asymmetric prices", NewTokenPrices(3, 15, 3, 0).RevenueUSD(1_000_000, 0, 1_000_000), 18},
		{"token revenue nothing", NewTokenPrices(3, 15, 3, 0).RevenueUSD(0, 0, 0), 0},
		{"token revenue batch tier", NewTokenPrices(0.72, 0.72, 0.72, DefaultBatchDiscountFrac).RevenueUSD(1_000_000, 0, 1_000_000), 0.72},
		// 0.4M fresh at $3 plus 0.6M cached at $0.30, and no output.
		{"token revenue cached prompt", NewTokenPrices(3, 15, 0.3, 0).RevenueUSD(1_000_000, 600_000, 0), 1.2 + 0.18},
		{"token revenue cached batch", NewTokenPrices(3, 15, 0.3, 0.5).RevenueUSD(1_000_000, 600_000, 100_000), (1.2 + 0.18 + 1.5) * 0.5},
		{"cached price as input: no offset", NewTokenPrices(3, 15, 3, 0.5).CachedOffUSD, 0},
		{"per token at 0.72", PerTokenUSD(0.72, 0), 0.72e-6},
		{"per token batch", PerTokenUSD(0.72, DefaultBatchDiscountFrac), 0.36e-6},
		{"batch tier 70B", DiscountedUSD(0.72, DefaultBatchDiscountFrac), 0.36},
		{"no discount", DiscountedUSD(2.4, 0), 2.4},
		{"hourly cost one hour inf2.48xl", HourlyCostUSD(3600, 12.981), 12.981},
		{"hourly cost half hour trn2", HourlyCostUSD(1800, 85.964), 42.982},
		{"cost per Mtok", CostPerMTokUSD(1.08, 1_500_000), 0.72},
		{"gross margin", GrossMarginFrac(100, 60), 0.4},
		{"negative margin", GrossMarginFrac(50, 75), -0.5},
		{"margin on a nanodollar", GrossMarginFrac(1e-9, 1e-9), 0},
		{"expected CPC", ExpectedCPCRevenueUSD(0.98, 0.004), 0.00392},
		{"CPM revenue", CPMRevenueUSD(4, 2500), 10},
		{"commerce take", CommerceTakeUSD(45, 0.15, 1), 6.75},
		{"commerce take, 40% incremental", CommerceTakeUSD(45, 0.15, 0.4), 2.7},
		{"training FLOPs 70B x 20B", TrainingFLOPs(70e9, 20e9), 8.4e21},
		// 16 Trainium1 chips at 190 TFLOPS BF16 and 30% MFU, then at trn1.32xlarge OD $21.50/h.
		{"training duration", TrainingDurationS(8.4e21, 16, 190e12, 0.3), 8.4e21 / (16 * 190e12 * 0.3)},
		{"training cost", HourlyCostUSD(8.4e21/(16*190e12*0.3), 21.50), 8.4e21 / (16 * 190e12 * 0.3) / 3600 * 21.5},
		{"licensing fee", LicensingFeeUSD(1000, 0.0005), 0.5},
		{"revenue share", RevenueShareUSD(100, 0.3), 30},
	}
	for _, tt := range tests {
		if !near(tt.got, tt.want) {
			t.Errorf("%s = %v, want %v", tt.name, tt.got, tt.want)
		}
	}
	// Reference magnitude, by hand: 106.6 days ($55,007) for the job above.
	if d := TrainingDurationS(8.4e21, 16, 190e12, 0.3) / 86400; math.Abs(d-106.6) > 0.05 {
		t.Errorf("training days %v, want 106.6", d)
	}
	// GPT-3: 175B params x 300B tokens; Brown et al. 2020 (Table D.1) report 3.14e23 FLOPs.
	if f := TrainingFLOPs(175e9, 300e9); math.Abs(f-3.14e23)/3.14e23 > 0.005 {
		t.Errorf("GPT-3 training FLOPs %v, want within 0.5%% of 3.14e23", f)
	}
	// A revenue of ~1e-300 USD (prices of 1e-300 USD/Mtok) gave a margin
	// of -1.2e300, printed as a 300-digit percentage.
	for _, v := range []float64{CostPerMTokUSD(1, 0), GrossMarginFrac(0, 1), GrossMarginFrac(1.3e-300, 0.87), GrossMarginFrac(-5e-10, 1)} {
		if !math.IsNaN(v) {
			t.Errorf("undefined ratio = %v, want NaN", v)
		}
	}
}

func TestListPrices(t *testing.T) {
	// Bedrock on-demand and batch prices from hardware-facts.md §5.
	tests := []struct {
		model          string
		in, out, batch float64
	}{
		{"llama-3.1-8b", 0.22, 0.22, 0.11},
		{"llama-3.1-70b", 0.72, 0.72, 0.36},
		{"llama-3.3-70b", 0.72, 0.72, 0.36},
		{"llama-3.1-405b", 2.40, 2.40, 1.20},
	}
	for _, tt := range tests {
		p, err := LookupListPrice(tt.model)
		if err != nil {
			t.Fatal(err)
		}
		if p.InputUSDPerMTok != tt.in || p.OutputUSDPerMTok != tt.out || !near(DiscountedUSD(p.InputUSDPerMTok, p.BatchDiscountFrac), tt.batch) {
			t.Errorf("%s: %+v; want %v / %v, batch %v", tt.model, p, tt.in, tt.out, tt.batch)
		}
		if !strings.Contains(p.Source, "aws.amazon.com/bedrock/pricing") {
			t.Errorf("%s source %q", tt.model, p.Source)
		}
	}
	if _, err := LookupListPrice("mixtral-8x7b"); err == nil || !strings.Contains(err.Error(), `"mixtral-8x7b"`) || !strings.Contains(err.Error(), "llama-3.1-70b") {
		t.Errorf("unknown model error = %v", err)
	}
}

// TestListPricesAt: the models that list at a price are found by it, both
// where two list alike, and none for a price no model lists; only the
// prices re-read on 2026-07-24 cite that mirror.
func TestListPricesAt(t *testing.T) {
	tests := []struct {
		in, out float64
		want    []string
	}{
		{0.72, 0.72, []string{"llama-3.1-70b", "llama-3.3-70b"}},
		{0.24, 0.97, []string{"llama-4-maverick-17b-128e"}},
		{0.72, 0.22, nil},
		{0, 0, nil},
	}
	for _, tt := range tests {
		var got []string
		for _, p := range ListPricesAt(tt.in, tt.out) {
			got = append(got, p.Model)
		}
		if strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("ListPricesAt(%v, %v) = %v, want %v", tt.in, tt.out, got, tt.want)
		}
	}
	for _, m := range []string{"llama-3.1-8b", "llama-3.3-70b", "llama-3.1-405b"} {
		p, _ := LookupListPrice(m)
		if rechecked := strings.Contains(p.Source, "llm-api-price@8442b939"); rechecked != (m != "llama-3.1-405b") {
			t.Errorf("%s: source %q", m, p.Source)
		}
	}
}

func TestCTR(t *testing.T) {
	tests := []struct {
		name                             string
		base                             float64
		pos                              int
		decay, relevance, latency, fresh float64
		want                             float64
	}{
		{"top slot at the seed", DefaultCTR, 0, 0.7, 1, 1, 1, 0.004},
		{"third slot, less relevant, slow, stale", 0.004, 2, 0.5, 0.8, 0.9, 0.75, 0.004 * 0.25 * 0.8 * 0.9 * 0.75},
		{"clamped to 1", 0.5, 0, 1, 3, 1, 1, 1},
		{"clamped to 0", 0.004, 0, 1, -1, 1, 1, 0},
	}
	for _, tt := range tests {
		if got := CTR(tt.base, tt.pos, tt.decay, tt.relevance, tt.latency, tt.fresh); !near(got, tt.want) {
			t.Errorf("%s: CTR = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestLatencyPenalty(t *testing.T) {
	tests := []struct {
		shape                     PenaltyShape
		latency, thr, loss, floor float64
		want                      float64
	}{
		{PenaltyLinear, 0.2, 0.3, 0.01, 0, 1},
		{PenaltyLinear, 0.3, 0.3, 0.01, 0, 1},
		{PenaltyLinear, 0.4, 0.3, 0.01, 0, 0.99},
		{PenaltyLinear, 0.8, 0.3, 0.01, 0, 0.95},
		{PenaltyLinear, 100, 0.3, 0.01, 0.5, 0.5},
		{PenaltyLinear, 100, 0.3, 0.01, 0, 0},
		{PenaltyExponential, 0.4, 0.3, 0.01, 0, 0.99},
		{PenaltyExponential, 0.8, 0.3, 0.01, 0, math.Pow(0.99, 5)},
		{PenaltyExponential, 1.3, 0.3, 0.5, 0.01, 0.01}, // 0.5^10 < floor
		{PenaltyExponential, 0.5, 0.3, 2, 0, 0},         // loss > 1 means nothing left
	}
	for _, tt := range tests {
		if got := tt.shape.Penalty(tt.latency, tt.thr, tt.loss, tt.floor); !near(got, tt.want) {
			t.Errorf("shape %d: Penalty(%v, %v, %v, %v) = %v, want %v", tt.shape, tt.latency, tt.thr, tt.loss, tt.floor, got, tt.want)
		}
	}
	if got := LatencyPenalty(0.8, 0.3, 0.01, 0); !near(got, 0.95) {
		t.Errorf("LatencyPenalty = %v, want the linear 0.95", got)
	}
}

func TestFreshness(t *testing.T) {
	tests := []struct {
		days, halfLife, floor, want float64
	}{
		{0, 7, 0.5, 1},
		{7, 7, 0.5, 0.75},
		{14, 7, 0.5, 0.625},
		{7000, 7, 0.5, 0.5},
		{7, 7, 0, 0.5},
		{30, 0, 0.5, 1}, // decay disabled
		{-3, 7, 0.5, 1},
	}
	for _, tt := range tests {
		if got := Freshness(tt.days, tt.halfLife, tt.floor); !near(got, tt.want) {
			t.Errorf("Freshness(%v, %v, %v) = %v, want %v", tt.days, tt.halfLife, tt.floor, got, tt.want)
		}
	}
}

// TestPerTokenUSDOrder pins the order PerTokenUSD rounds in: discount,
// then divide, as the simulator billed before it called econ. The golden
// digests pin it for undiscounted prices only (no golden scenario has a
// batch workload); at these prices dividing first, or multiplying by 1e-6,
// gives other bits, and a batch run's revenue would move.
func TestPerTokenUSDOrder(t *testing.T) {
	tests := []struct{ perMTok, discount float64 }{
		{2.4, 0.3},
		{0.22, 0.1},
		{15, 0.1},
		{0.22, 0.5},
		{0.97, 0.3},
	}
	for _, tt := range tests {
		if got, want := PerTokenUSD(tt.perMTok, tt.discount), tt.perMTok*(1-tt.discount)/1e6; got != want {
			t.Errorf("PerTokenUSD(%v, %v) = %v, want %v to the bit", tt.perMTok, tt.discount, got, want)
		}
	}
}
