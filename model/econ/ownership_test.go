package econ

import (
	"math"
	"testing"
)

func TestDepreciation(t *testing.T) {
	sl := Ownership{CapexUSD: 300_000, ResidualUSD: 30_000, LifeYears: 5}
	ddb := Ownership{CapexUSD: 100_000, ResidualUSD: 10_000, LifeYears: 5, Method: DecliningBalance}
	tests := []struct {
		name      string
		got, want float64
	}{
		{"straight line, year 1: 270k/5", sl.DepreciationUSD(0, 1), 54_000},
		{"straight line, a quarter", sl.DepreciationUSD(1, 1.25), 13_500},
		{"straight line, book at 2.5 y", sl.BookValueUSD(2.5), 165_000},
		{"straight line, before service", sl.DepreciationUSD(-1, 0), 0},
		{"straight line, after the life", sl.DepreciationUSD(5, 7), 0},
		// 2/5 of the book each year, 100k -> 60k -> 36k -> 21.6k -> 12.96k,
		// then the last year stops at the 10k residual.
		{"declining, year 1: 40% of 100k", ddb.DepreciationUSD(0, 1), 40_000},
		{"declining, year 2: 40% of 60k", ddb.DepreciationUSD(1, 2), 24_000},
		{"declining, year 4: 40% of 21.6k", ddb.DepreciationUSD(3, 4), 8_640},
		{"declining, year 5: down to the residual", ddb.DepreciationUSD(4, 5), 2_960},
		{"declining, half of year 2", ddb.DepreciationUSD(1, 1.5), 12_000},
	}
	for _, tt := range tests {
		if !near(tt.got, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}

// Whatever the method and however the life is cut into periods, the
// charges add up to capex minus residual.
func TestDepreciationSumsToCapexMinusResidual(t *testing.T) {
	for _, o := range []Ownership{
		{CapexUSD: 300_000, ResidualUSD: 30_000, LifeYears: 5},
		{CapexUSD: 300_000, LifeYears: 6, Method: StraightLine},
		{CapexUSD: 100_000, ResidualUSD: 10_000, LifeYears: 5, Method: DecliningBalance},
		{CapexUSD: 100_000, ResidualUSD: 0, LifeYears: 4.5, Method: DecliningBalance},
	} {
		for _, step := range []float64{1.0 / 12, 0.25, 1} {
			sum := 0.0
			for a := 0.0; a < o.LifeYears+2; a += step {
				d := o.DepreciationUSD(a, a+step)
				if d < -1e-9 {
					t.Fatalf("%+v: negative charge %v at age %v", o, d, a)
				}
				sum += d
			}
			if want := o.CapexUSD - o.ResidualUSD; math.Abs(sum-want) > 1e-6 {
				t.Errorf("%s life %v, steps of %v y: sum %v, want %v", o.Method, o.LifeYears, step, sum, want)
			}
		}
	}
}

func TestHourlyCost(t *testing.T) {
	// A DGX-H100-like server: 10.2 kW maximum, 75% average draw, PUE 1.15,
	// 0.0826 USD/kWh, 150 USD per kW-month, 20k USD a year of operations.
	o := Ownership{CapexUSD: 300_000, ResidualUSD: 30_000, LifeYears: 5, PowerKW: 10.2, DrawFraction: 0.75,
		PUE: 1.15, ElectricityUSDPerKWh: 0.0826, FacilityUSDPerKWMonth: 150, OpsUSDPerYear: 20_000}
	h := o.LifetimeHourlyCost()
	tests := []struct {
		name      string
		got, want float64
	}{
		{"depreciation 270k over 43,800 h", h.DepreciationUSD, 270_000.0 / 43_800},
		{"power 10.2 x 0.75 x 1.15 x 0.0826", h.PowerUSD, 0.7266735},
		{"facility 150 x 10.2 x 12 / 8760", h.FacilityUSD, 18_360.0 / 8760},
		{"operations 20k / 8760", h.OpsUSD, 20_000.0 / 8760},
		{"total", h.TotalUSD(), 270_000.0/43_800 + 0.7266735 + 18_360.0/8760 + 20_000.0/8760},
	}
	for _, tt := range tests {
		if !near(tt.got, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, tt.got, tt.want)
		}
	}
	if err := o.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestOwnershipValidate(t *testing.T) {
	ok := Ownership{CapexUSD: 1, LifeYears: 5, PUE: 1}
	tests := []struct {
		name string
		edit func(*Ownership)
	}{
		{"negative capex", func(o *Ownership) { o.CapexUSD = -1 }},
		{"NaN capex", func(o *Ownership) { o.CapexUSD = math.NaN() }},
		{"residual above capex", func(o *Ownership) { o.ResidualUSD = 2 }},
		{"no life", func(o *Ownership) { o.LifeYears = 0 }},
		{"unknown method", func(o *Ownership) { o.Method = "sum-of-years" }},
		{"PUE below 1", func(o *Ownership) { o.PUE = 0.9 }},
		{"draw above 1", func(o *Ownership) { o.DrawFraction = 1.5 }},
		{"negative operations", func(o *Ownership) { o.OpsUSDPerYear = -1 }},
	}
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid ownership refused: %v", err)
	}
	// A capex of 0 is servers already owned or donated: a price, as a
	// token price's 0 is; it was refused. It writes nothing down.
	owned := ok
	owned.CapexUSD = 0
	if err := owned.Validate(); err != nil || owned.DepreciationUSD(0, 5) != 0 || owned.LifetimeHourlyCost().DepreciationUSD != 0 {
		t.Errorf("capex 0: %v, depreciation %v", err, owned.DepreciationUSD(0, 5))
	}
	for _, tt := range tests {
		o := ok
		tt.edit(&o)
		if o.Validate() == nil {
			t.Errorf("%s: accepted", tt.name)
		}
	}
}

func TestDemandAndContracts(t *testing.T) {
	tests := []struct {
		name      string
		got, want float64
	}{
		{"inelastic price cut keeps volume", ElasticVolume(0.8, 0), 1},
		{"unit elastic price cut: volume 1/0.8", ElasticVolume(0.8, -1), 1.25},
		{"elasticity -1.11, price x0.8", ElasticVolume(0.8, -1.11), math.Exp(-1.11 * math.Log(0.8))},
		{"price rise, elastic", ElasticVolume(2, -2), 0.25},
		{"growth 10% for 4 periods", CompoundGrowth(0.1, 4), 1.4641},
		{"no growth yet", CompoundGrowth(0.5, 0), 1},
		{"flat 20M a year over a quarter", FlatFeeUSD(20e6, 0.25), 5e6},
		{"guarantee binds: use 3M < 20M/4", GuaranteeShortfallUSD(3e6, 20e6, 0.25), 2e6},
		{"use above the guarantee", GuaranteeShortfallUSD(7e6, 20e6, 0.25), 0},
		// A year of seasonal use, 3M + 4M + 6M + 9M = 22M, reaches the 20M
		// a year: trued up annually nothing is owed, quarterly 2M + 1M.
		{"annual true-up, use above", GuaranteeShortfallUSD(22e6, 20e6, 1), 0},
		{"quarterly true-up of the low quarters", GuaranteeShortfallUSD(3e6, 20e6, 0.25) + GuaranteeShortfallUSD(4e6, 20e6, 0.25), 3e6},
		{"half a year, pro-rated: 10M less 7M", GuaranteeShortfallUSD(7e6, 20e6, 0.5), 3e6},
	}
	for _, tt := range tests {
		if !near(tt.got, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}
