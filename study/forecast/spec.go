package forecast

import (
	"github.com/goccy/go-yaml"

	"aiecon/model"
)

// Spec is a forecast file: a base scenario, the periods, how demand, prices,
// the roadmap and licensing move over them, the fleet variants compared, and
// the uncertain inputs drawn for Monte Carlo. docs/forecast.md is the user's
// reference; every field is described there.
type Spec struct {
	Name        string        `yaml:"name"`
	Description string        `yaml:"description,omitempty"`
	Base        string        `yaml:"base"`          // built-in scenario or file (relative to the forecast file)
	Set         yaml.MapSlice `yaml:"set,omitempty"` // overrides for every run, as --set paths
	Seed        uint64        `yaml:"seed,omitempty"`
	Periods     Periods       `yaml:"periods"`
	Day         Day           `yaml:"day"`
	// Workloads maps a base workload name to how its demand and price move.
	Workloads  map[string]WorkloadPlan `yaml:"workloads,omitempty"`
	Roadmap    []Step                  `yaml:"roadmap,omitempty"`
	Licensing  []Contract              `yaml:"licensing,omitempty"`
	Variants   []Variant               `yaml:"variants"`
	MonteCarlo *MonteCarlo             `yaml:"monte_carlo,omitempty"`
}

// Periods is the forecast's calendar.
type Periods struct {
	Count  int    `yaml:"count"`  // 1..20
	Length string `yaml:"length"` // month | quarter; default quarter
}

// Day is how a period is sampled: representative days, each simulated as
// Slices stretches of Horizon spread evenly over the 24 hours (stratified
// over the diurnal curve), scaled up to the period.
type Day struct {
	Days    int            `yaml:"days,omitempty"`    // representative days per period (each slice of each day its own seed: seed + day x slices + slice); default 1
	Slices  int            `yaml:"slices,omitempty"`  // default 4 (centred on 03:00, 09:00, 15:00 and 21:00 unless start_hour says otherwise)
	Horizon model.Duration `yaml:"horizon,omitempty"` // simulated time per slice; default 20m
	// StartHour is the hour of the middle of the first slice; unset, the
	// middle of its share (3 with 4 slices). A pointer, so 0 (midnight)
	// can be asked for.
	StartHour *float64 `yaml:"start_hour,omitempty"`
}

// WorkloadPlan moves one workload's demand and price over the periods.
type WorkloadPlan struct {
	// Growth is the compound demand growth, over the span it names
	// (0.1/quarter = +10% a quarter, converted to the periods' length) or,
	// a bare number, per period (growth.go); Curve, instead, gives the
	// demand multiplier of every period.
	Growth Growth    `yaml:"growth,omitempty"`
	Curve  []float64 `yaml:"curve,omitempty"`
	// Elasticity of demand to price (constant elasticity: volume x
	// (p/p0)^e); default 0 (inelastic).
	Elasticity float64 `yaml:"elasticity,omitempty"`
	// Prices lists price multipliers on the base scenario's prices (token
	// prices and the agent session fee), each from a period on.
	Prices []PriceStep `yaml:"prices,omitempty"`
}

// PriceStep is a price multiplier from a period on.
type PriceStep struct {
	From       int     `yaml:"from"`
	Multiplier float64 `yaml:"multiplier"`
}

// Step is a roadmap entry: scenario overrides from a period on (a newer
// model, another instance for a rented fleet, a training cadence).
type Step struct {
	From int           `yaml:"from"`
	Note string        `yaml:"note,omitempty"`
	Set  yaml.MapSlice `yaml:"set"`
}

// Contract is a content-licensing contract (kinds in econ.ContractKinds).
type Contract struct {
	Name      string  `yaml:"name"`
	Kind      string  `yaml:"kind"`
	Workload  string  `yaml:"workload,omitempty"`    // per-use kinds: the agent workload whose retrievals it covers
	FeePerDoc float64 `yaml:"fee_per_doc,omitempty"` // per-document, minimum-guarantee: USD per document
	Share     float64 `yaml:"share,omitempty"`       // revenue-share: fraction of the workload's session revenue
	AnnualUSD float64 `yaml:"annual_usd,omitempty"`  // flat: the fee; minimum-guarantee: the minimum
	From      int     `yaml:"from,omitempty"`        // first period in force; default 1
	// TrueUp is when a minimum guarantee's shortfall is settled:
	// econ.TrueUpAnnual (the default: once a contract year, from From) or
	// econ.TrueUpPeriod (every period). Other kinds take none.
	TrueUp string `yaml:"true_up,omitempty"`
	// ProvenanceTokens adds this many tokens per retrieved document (the
	// citation and source metadata a provenance trail carries).
	ProvenanceTokens int `yaml:"provenance_tokens,omitempty"`
}

// Variant is one fleet strategy compared over the same demand.
type Variant struct {
	Name        string        `yaml:"name"`
	Description string        `yaml:"description,omitempty"`
	Set         yaml.MapSlice `yaml:"set,omitempty"`
	Procurement Procurement   `yaml:"procurement"`
	Ownership   *OwnershipIn  `yaml:"ownership,omitempty"`
	Roadmap     []Step        `yaml:"roadmap,omitempty"`
}

// Procurement is how a variant gets capacity.
type Procurement struct {
	Mode string `yaml:"mode"` // owned | rented
	// Owned: servers in service in period 1, orders, and the lead time in
	// periods from an order to service; Burst rented instances may be added
	// above the owned ones by the autoscaler, at the fleet's rental price.
	Initial  int     `yaml:"initial,omitempty"`
	LeadTime int     `yaml:"lead_time,omitempty"`
	Orders   []Order `yaml:"orders,omitempty"`
	Burst    int     `yaml:"burst,omitempty"`
	// Rented: the autoscaler's bounds (instances), default 1 and 4 x the
	// base fleet count.
	Min int `yaml:"min,omitempty"`
	Max int `yaml:"max,omitempty"`
	// TermYears is how long the variant's reservations (its fleet's or
	// pools' instances at fleet.pricing: reserved) are held and billed: 1
	// or 3 years, AWS's Reserved Instance terms; 0 (unset) is 3. A term
	// must have a published rate: the catalog's reserved rates fit 3-year
	// terms, so 1 needs the plan's own rate (fleet.price_usd_per_hour).
	TermYears int `yaml:"term_years,omitempty"`
	// Reserved: a rented fleet on demand holds this many instances of its
	// period-1 instance reserved in every period (renewed at each term's
	// end while the fleet runs that instance: after a roadmap step to
	// another, what is held is paid idle to its term's end and not
	// renewed), and only the demand above them runs on on-demand instances
	// (overflow.go). ReservedUSDPerHour is the plan's reserved rate for
	// them; unset, the catalog's.
	Reserved           int      `yaml:"reserved,omitempty"`
	ReservedUSDPerHour *float64 `yaml:"reserved_usd_per_hour,omitempty"`
	// Payment is how the variant's reservations are paid: no-upfront
	// (unset), billed by the hour over the term, or all-upfront, the
	// term's cost booked in the period a reservation is bought (upfront.go).
	Payment string `yaml:"payment,omitempty"`
}

// Order buys servers in a period; they serve LeadTime periods later.
type Order struct {
	Period  int `yaml:"period"`
	Servers int `yaml:"servers"`
}

// OwnershipIn overrides the owned-server economics (per server); unset
// fields take the defaults of ownership.go where a public figure exists.
type OwnershipIn struct {
	ServerUSD             *float64 `yaml:"server_usd,omitempty"`        // accelerators and host
	NetworkShare          *float64 `yaml:"network_share,omitempty"`     // network as a fraction of total hardware cost
	ResidualFraction      *float64 `yaml:"residual_fraction,omitempty"` // of capex
	LifeYears             *float64 `yaml:"life_years,omitempty"`
	Method                string   `yaml:"method,omitempty"`
	PowerKW               *float64 `yaml:"power_kw,omitempty"`
	DrawFraction          *float64 `yaml:"draw_fraction,omitempty"`
	PUE                   *float64 `yaml:"pue,omitempty"`
	ElectricityUSDPerKWh  *float64 `yaml:"electricity_usd_per_kwh,omitempty"`
	FacilityUSDPerKWMonth *float64 `yaml:"facility_usd_per_kw_month,omitempty"`
	OpsUSDPerYear         *float64 `yaml:"ops_usd_per_year,omitempty"`
}

// MonteCarlo draws uncertain inputs once per sample (held for every period
// and variant, so variants are compared on the same futures).
type MonteCarlo struct {
	Samples int    `yaml:"samples"`
	Seed    uint64 `yaml:"seed,omitempty"`
	// Growth multiplies every workload's growth rate, or a curve's
	// deviation from 1 (1 + (c - 1) x g); Price multiplies every
	// workload's token prices and session fee; CTR the ads' click-through; Conversion
	// the agents' conversion. Elasticity replaces the elasticity of every
	// workload that has one (a workload left inelastic stays so).
	Growth     *Draw `yaml:"growth,omitempty"`
	Price      *Draw `yaml:"price,omitempty"`
	CTR        *Draw `yaml:"ctr,omitempty"`
	Conversion *Draw `yaml:"conversion,omitempty"`
	Elasticity *Draw `yaml:"elasticity,omitempty"`
}

// Draw is one uncertain input: uniform (min, max), triangular (min, mode,
// max) or normal (mean, std, truncated to [min, max] when given).
type Draw struct {
	Dist string   `yaml:"dist"`
	Min  *float64 `yaml:"min,omitempty"`
	Max  *float64 `yaml:"max,omitempty"`
	Mode float64  `yaml:"mode,omitempty"`
	Mean float64  `yaml:"mean,omitempty"`
	Std  float64  `yaml:"std,omitempty"`
}
