package forecast

import (
	"fmt"
	"math"
	"strings"

	"aiecon/model"
	"aiecon/model/econ"
)

// Figure is one input of the ownership economics with where it came from.
type Figure struct {
	Value  float64 `json:"value"`
	Label  string  `json:"label"` // OFF (vendor or filing), 3P (third party), EST (arithmetic shown), GIVEN (the forecast file)
	Source string  `json:"source"`
}

// Owned-server defaults. Each cites the public document it comes from;
// figures nobody has published (a trn2 or an HGX H200 server's price, a
// facility's cost per kW) have no default and the forecast file must give them.
var (
	defaultLife = Figure{5, "OFF", "Amazon FY2024 10-K (filed 2025-02-07): useful life of a subset of its servers and networking equipment 6 -> 5 years from 2025-01-01; EPOCH get_server_lifetime also uses 5 y"}
	// An owned server sits in the owner's or a colocation facility, not in
	// AWS's (whose fleet-wide PUE is 1.14 in 2025): the industry's average.
	defaultPUE = Figure{1.54, "3P", "Uptime Institute global data center survey 2025, weighted average PUE 1.54 (1.58 in 2023), as reported by thefreesheet.com (2026-01-19)"}
	// US industrial electricity, 2025 annual average.
	defaultElectricity = Figure{0.0826, "3P", "US industrial electricity, 2025 annual average: EIA series as used by epoch-research/training-cost-trends@263c40a1 cost_analysis_standalone.py energy_price"}
	defaultDraw        = Figure{0.75, "3P", "epoch-research/training-cost-trends@263c40a1 server_TDP_fraction (GPU training draw; inference may draw less)"}
	// The network's share of total cluster hardware cost.
	defaultNetworkShare = Figure{0.19, "3P", "epoch-research/training-cost-trends@263c40a1 CLUSTER_INTERCONNECT_COST_FRACTION"}
	defaultResidual     = Figure{0, "EST", "no resale assumed (conservative)"}
	defaultMethod       = econ.StraightLine
)

// serverFacts are the per-instance figures with a public source.
type serverFacts struct {
	ServerUSD *Figure // accelerators and host, without network
	PowerKW   *Figure // server maximum power
}

// dgxRatio is DGX H100 server power over its GPUs' TDP: 10.2 kW / (8 x 0.7 kW).
const dgxRatio = 10.2 / (8 * 0.7)

var serverCatalog = map[string]serverFacts{
	"p5.48xlarge": {
		ServerUSD: &Figure{296_644, "3P", "Supermicro HGX H100 8-GPU at 37,080.50 USD/GPU (dihuni.com, 2024-03-21) via epoch-research/training-cost-trends@263c40a1 data/Hardware prices.csv"},
		PowerKW:   &Figure{10.2, "OFF", "DGX H100 maximum power 10.2 kW (NVIDIA) via epoch-research/training-cost-trends@263c40a1 chip_to_server_power"},
	},
	"p5en.48xlarge": {
		PowerKW: &Figure{8 * 0.7 * dgxRatio, "EST", "8 x H200 TDP 700 W (NVIDIA datasheet, epoch-research/training-cost-trends chip dataset) x the DGX H100 server/GPU power ratio 1.82"},
	},
	"trn2.48xlarge": {
		PowerKW: &Figure{16 * 0.5 * dgxRatio, "EST", "16 x Trainium2 at about 500 W (SemiAnalysis Trn2 deep dive, 2024-12-03, via epoch-research/training-cost-trends chip dataset) x the DGX H100 server/chip power ratio 1.82"},
	},
}

// OwnedEconomics is a variant's resolved ownership and the provenance of
// each figure, for the fleet-economics table.
type OwnedEconomics struct {
	Instance string
	econ.Ownership
	Figures []NamedFigure
	// ListUSDPerHour is what renting the same instance costs under the
	// variant's fleet pricing (what burst capacity pays), for comparison;
	// 0 when unknown.
	ListUSDPerHour float64
}

// NamedFigure is a Figure with the field it fills.
type NamedFigure struct {
	Field string `json:"field"`
	Figure
}

// resolveOwnership fills an owned variant's economics from its overrides
// and the defaults, reporting every figure that has neither.
func resolveOwnership(instance string, in *OwnershipIn, at string, s *source) OwnedEconomics {
	if in == nil {
		in = &OwnershipIn{}
	}
	facts := serverCatalog[instance]
	out := OwnedEconomics{Instance: instance}
	nerrs := len(s.errs)
	checkOwnershipIn(in, at, s)
	pick := func(field string, given *float64, def *Figure) float64 {
		switch {
		case given != nil:
			from := "the forecast file"
			if strings.HasPrefix(s.file, "built-in forecast ") {
				// Not the user's figure but the product's, for illustration.
				from = "an ASSUMPTION of the " + s.file + ", for illustration: no public figure; give your own"
			}
			out.Figures = append(out.Figures, NamedFigure{field, Figure{*given, "GIVEN", from}})
			return *given
		case def != nil:
			out.Figures = append(out.Figures, NamedFigure{field, *def})
			return def.Value
		}
		s.errf(at, "%s: no public figure for %s; give %s.%s", field, instance, at, field)
		return 0
	}
	server := pick("server_usd", in.ServerUSD, facts.ServerUSD)
	share := pick("network_share", in.NetworkShare, &defaultNetworkShare)
	if !(share >= 0 && share < 1) { // refused by checkOwnershipIn
		share = 0
	}
	// The network is `share` of the total, so it adds share/(1-share) of the server.
	out.CapexUSD = server / (1 - share)
	out.Figures = append(out.Figures, NamedFigure{"capex_usd", Figure{out.CapexUSD, "EST", "server_usd / (1 - network_share)"}})
	out.ResidualUSD = out.CapexUSD * pick("residual_fraction", in.ResidualFraction, &defaultResidual)
	out.LifeYears = pick("life_years", in.LifeYears, &defaultLife)
	out.Method = in.Method
	if out.Method == "" {
		out.Method = defaultMethod
	}
	out.PowerKW = pick("power_kw", in.PowerKW, facts.PowerKW)
	out.DrawFraction = pick("draw_fraction", in.DrawFraction, &defaultDraw)
	out.PUE = pick("pue", in.PUE, &defaultPUE)
	out.ElectricityUSDPerKWh = pick("electricity_usd_per_kwh", in.ElectricityUSDPerKWh, &defaultElectricity)
	out.FacilityUSDPerKWMonth = pick("facility_usd_per_kw_month", in.FacilityUSDPerKWMonth, nil)
	out.OpsUSDPerYear = pick("ops_usd_per_year", in.OpsUSDPerYear, nil)
	if len(s.errs) == nerrs {
		if err := out.Validate(); err != nil {
			s.errf(at, "%v", err)
		}
	}
	return out
}

// MinLifeYears is the shortest life_years an ownership may give: a month.
// Servers written off faster are no economics of owning (the shortest
// useful lives in public filings are years), and a life of 1e-9 years
// spread the capex over 0.03 s, a cost per server-hour of 1e20.
const MinLifeYears = 1.0 / 12

// checkOwnershipIn refuses each ownership figure the file writes out of its
// range, at its line and as written: they were checked only once combined,
// so server_usd: -1 read "capex -1.2345679012345678: must be > 0" (with
// the network's share added) and .nan a server-hour cost of NaN. Every
// figure is bounded by model.MaxMagnitude, as every number of a scenario
// and a contract's amounts are: server_usd: 1e16 (or a life, a PUE or a
// cost of 1e300) was accepted, its cost per server-hour under the bound
// checkOwnedPrice puts on the sum, or past it there but refused at the
// ownership block rather than at the figure.
func checkOwnershipIn(in *OwnershipIn, at string, s *source) {
	check := func(field string, v *float64, want string, ok func(float64) bool) {
		switch {
		case v == nil:
		case math.IsNaN(*v) || math.IsInf(*v, 0):
			s.errf(at+"."+field, "%v is not a number; want %s", *v, want)
		case !ok(*v):
			s.errf(at+"."+field, "%g: want %s", *v, want)
		case math.Abs(*v) > model.MaxMagnitude:
			s.errf(at+"."+field, "%g is out of range (at most %g in magnitude, as every number of a scenario)", *v, model.MaxMagnitude)
		}
	}
	nonNegative := func(x float64) bool { return x >= 0 }
	fraction := func(x float64) bool { return x >= 0 && x <= 1 }
	// 0 is a price, as a token price's 0 is (model/zeros.go): servers
	// already owned or donated cost no capital, and still draw power and
	// take space and staff (capitalNote says so).
	check("server_usd", in.ServerUSD, "a price of 0 or more (USD a server, accelerators and host; 0 for servers already owned or donated)", nonNegative)
	check("network_share", in.NetworkShare, "a fraction in [0, 1)", func(x float64) bool { return x >= 0 && x < 1 })
	check("residual_fraction", in.ResidualFraction, "a fraction of the capex in [0, 1]", fraction)
	check("life_years", in.LifeYears, fmt.Sprintf("a life of at least %.4g years (a month)", MinLifeYears), func(x float64) bool { return x >= MinLifeYears })
	check("power_kw", in.PowerKW, "a power of 0 kW or more", nonNegative)
	check("draw_fraction", in.DrawFraction, "a fraction in [0, 1]", fraction)
	check("pue", in.PUE, "a PUE of 1 or more", func(x float64) bool { return x >= 1 })
	check("electricity_usd_per_kwh", in.ElectricityUSDPerKWh, "a price of 0 or more", nonNegative)
	check("facility_usd_per_kw_month", in.FacilityUSDPerKWMonth, "a cost of 0 or more", nonNegative)
	check("ops_usd_per_year", in.OpsUSDPerYear, "a cost of 0 or more", nonNegative)
	if m := in.Method; m != "" && m != econ.StraightLine && m != econ.DecliningBalance {
		s.errf(at+".method", "%q: want %s or %s", m, econ.StraightLine, econ.DecliningBalance)
	}
}

func (o OwnedEconomics) String() string {
	h := o.LifetimeHourlyCost()
	return fmt.Sprintf("%s owned: %.2f USD/h (depreciation %.2f, power %.2f, facility %.2f, operations %.2f)",
		o.Instance, h.TotalUSD(), h.DepreciationUSD, h.PowerUSD, h.FacilityUSD, h.OpsUSD)
}

// ownedRunPrice is what an owned variant's runs of period k pay per
// instance-hour (fleet.pricing owned, fleet.price_usd_per_hour): the
// period's owned cost, each cohort's depreciation at its age plus power,
// facility and operations (ownedCosts), over its server-hours. A slice's
// run holds the period's servers for its whole window, so its instance
// cost scaled to the period is the period's owned cost, and its cost,
// USD/Mtok and margin are the forecast's. Power is charged at the average
// draw (draw_fraction) busy or idle, as the period's POWER is, so the price
// does not follow the slice's load: a night slice costs what a peak one
// does. It is 0 where the runs pay the fleet's rental price (the variant
// is rented, or a run cannot hold the owned price alone: vp.rentedRuns,
// which jobDescription names), and where the servers cost nothing an hour
// (server_usd, power and the rest all 0): a price, as fleet.price_usd_per_hour's
// 0 is (runsPayOwned tells the two apart). Such runs paid the rental price.
func (f *Forecast) ownedRunPrice(vp *VariantPlan, k int) float64 {
	if !vp.runsPayOwned() {
		return 0
	}
	return max(f.ownedUSDPerHour(vp, k), 0)
}

// runsPayOwned reports whether the variant's runs pay its owned cost per
// server-hour (ownedRunPrice, 0 included) rather than a rental price.
func (vp *VariantPlan) runsPayOwned() bool { return vp.Owned != nil && vp.rentedRuns == "" }

// ownedUSDPerHour is an owned fleet's cost per server-hour in period k:
// what ownedCosts charges the period over its servers' hours.
func (f *Forecast) ownedUSDPerHour(vp *VariantPlan, k int) float64 {
	var p Period
	f.ownedCosts(vp, k, &p)
	return (p.CostDepreciationUSD + p.CostPowerUSD + p.CostFacilityOpsUSD) / (float64(vp.Servers[k-1]) * f.PeriodHours)
}
