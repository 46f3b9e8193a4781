package forecast

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"aiecon/hw"
	"aiecon/model/format"
	"aiecon/study"
)

// Report is a finished forecast: what --json prints and the store keeps.
type Report struct {
	ID          string `json:"forecast_id,omitempty"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	PeriodLen   string `json:"period_length"`
	// PeriodHours is a period's length in hours (Forecast.PeriodHours).
	PeriodHours float64 `json:"period_hours,omitempty"`
	Periods     int     `json:"periods"`
	Samples     int     `json:"samples"`
	Runs        int     `json:"runs"`
	// Shard is the part of a split forecast this report covers, "i/n"
	// (shard.go); its summary holds that shard's periods only.
	Shard    string `json:"shard,omitempty"`
	shard    study.ShardSpec
	SimHours float64         `json:"simulated_hours_per_period"`
	Fleets   []FleetEconomy  `json:"fleets"`
	Summary  []PeriodSummary `json:"summary"`
	// Growth is each workload's demand growth with its unit (growth.go):
	// as the file states it and per period; a report stored before it has
	// none, its growth in the stored file alone.
	Growth []GrowthLine `json:"demand_growth,omitempty"`
	// TrueUps say when each minimum guarantee's shortfall was settled
	// (trueup.go); a report stored before has none, and trued up every
	// period.
	TrueUps []TrueUpTerms `json:"guarantee_true_ups,omitempty"`
	// Prices are the plan's price steps (report_prices.go) and FlatFees
	// its flat licensing contracts, which the PRICES and LICENSING lines
	// name; a report stored before has none.
	Prices   []PriceLine `json:"price_steps,omitempty"`
	FlatFees []FlatFee   `json:"flat_licensing,omitempty"`
	// PriceSets are the prices the roadmap steps set (report_prices.go),
	// which the PRICES line names after the steps; a report stored before
	// has none.
	PriceSets []PriceSet `json:"price_sets,omitempty"`
	// GrossCommerce names the agent workloads whose commerce credits every
	// order of a converted session (value.incremental unset) in some
	// variant and period; GrossCommerceBy says in which (a report stored
	// before it has the names alone).
	GrossCommerce   []string          `json:"gross_commerce_workloads,omitempty"`
	GrossCommerceBy []GrossCommerceIn `json:"gross_commerce_by_variant,omitempty"`
	// IdleTrainingInTroughs says that the forecast's fleet-idle retrains
	// were owed by the day's troughs (training.go); a report stored before
	// they were lent replicas in every slice, and its note says so.
	IdleTrainingInTroughs bool `json:"fleet_idle_training_in_troughs,omitempty"`
	// ElasticityDrawn names the workloads whose elasticity the Monte Carlo
	// elasticity draw replaces (those the plan gives one), Inelastic the
	// others, which stay inelastic; both empty without the draw.
	ElasticityDrawn []string `json:"elasticity_drawn_workloads,omitempty"`
	Inelastic       []string `json:"inelastic_workloads,omitempty"`
	// SampleDraws are each sample's drawn inputs and seeds (sampledraws.go);
	// none without monte_carlo, and in a report stored before they were
	// kept, whose draws are the stored file's to redraw.
	SampleDraws []SampleDraws `json:"sample_draws,omitempty"`
	// AbandonmentAssumptions names the base's agent workloads' fields
	// their abandonment rests on (abandonmentAssumptions), and
	// AbandonmentAssumptionsBy each variant's, as its scenarios in the
	// periods give them, for the ABANDONMENT DECIDES THE COMPARISON note
	// (a report stored before it has the base's alone).
	AbandonmentAssumptions   string            `json:"abandonment_assumptions,omitempty"`
	AbandonmentAssumptionsBy map[string]string `json:"abandonment_assumptions_by_variant,omitempty"`
	// AbandonmentValuesBy are those fields' values by variant, each with
	// its periods, so that the note states what the variants share once
	// and only what differs by variant (a report stored before it gives
	// each variant's AbandonmentAssumptionsBy whole).
	AbandonmentValuesBy map[string][]AssumedValue `json:"abandonment_values_by_variant,omitempty"`
	// ReservedIdleGross says that each period's reserved_idle_usd (and its
	// pools' usd) is the idle reservations' cost alone, the repricing of
	// the instances run on them apart (reserved_repriced_usd). A report
	// stored before held their sum there; storedReport takes the repricing
	// back out (grossIdle).
	ReservedIdleGross bool `json:"reserved_idle_usd_gross,omitempty"`
	// metricNames makes the notes name the stored metrics' lines, not the
	// table's columns (words): StoredCaveats reads the report for compare
	// --forecast, which prints those lines alone.
	metricNames bool
	// idleStoredNet: a stored report read that held the repricing in
	// reserved_idle_usd (grossIdle), whose period rows have no
	// reserved_repriced_usd.
	idleStoredNet bool
}

// FleetEconomy is a variant's cost per instance-hour: the internal cost of
// an owned server beside the price of renting one under the variant's fleet
// pricing (list_usd_per_hour: on-demand, Capacity Blocks, reserved or spot,
// as the RENT note names it: rentPricing).
type FleetEconomy struct {
	Variant        string  `json:"variant"`
	Instance       string  `json:"instance"`
	Mode           string  `json:"mode"`
	ListUSDPerHour float64 `json:"list_usd_per_hour,omitempty"`
	// OwnedUSDPerHour is nil for a rented fleet; 0 for servers that cost
	// nothing an hour, which omitempty on a number left out of --json.
	OwnedUSDPerHour *float64      `json:"owned_usd_per_hour,omitempty"`
	Breakdown       *HourlyParts  `json:"owned_breakdown,omitempty"`
	Figures         []NamedFigure `json:"figures,omitempty"`
	Capital         *Capital      `json:"capital,omitempty"`
	// BlocksBySlice: a fleet at the Capacity Blocks rate sized slice by
	// slice, and the bounds it is sized within: a rented fleet's
	// procurement.min and max, an owned one's 0 and procurement.burst.
	// What its slices paid for is each period's instances_slice_min and
	// _max, as the note gives it. The keys were *_sized_by_slice, which
	// read as those counts (a note saying "2 to 8 instances" beside
	// [1, 12]); UnmarshalJSON reads a report stored under them.
	BlocksBySlice *[2]int `json:"capacity_blocks_sizing_bounds,omitempty"`
	// ReservedBySlice: the same at the reserved rate, a committed price
	// paid for every hour of the term.
	ReservedBySlice *[2]int `json:"reserved_sizing_bounds,omitempty"`
	// ReservedAutoscaled: a model mix's pools that the same note speaks of,
	// those at the reserved rate whose own autoscaler moves them.
	ReservedAutoscaled []AutoscaledPool `json:"reserved_autoscaled_pools,omitempty"`
	// PoolRenames are the model mix's pools the roadmap renames, whose
	// reservations are reported under their first name.
	PoolRenames []PoolRename `json:"pool_renames,omitempty"`
	// Rent is the rental price (ListUSDPerHour from period 1) with its
	// pricing, source and the periods the roadmap changes it from.
	Rent []RentStep `json:"rent,omitempty"`
	// Training is the basis of the TRAIN column: the dedicated cluster,
	// its price and the cadence, from each period they change.
	Training []TrainBasis `json:"training,omitempty"`
	// Burst is an owned fleet's procurement.burst (0 for a rented fleet,
	// and in a report stored before it was kept), and BurstNeverUp the
	// periods in which its instances cannot serve in any slice
	// (burstTimings' never), nil where they can.
	Burst        int          `json:"burst,omitempty"`
	BurstNeverUp *BurstTiming `json:"burst_never_up,omitempty"`
	// BurstLate: the periods in which the burst first serves
	// burstLateShare or more into each slice (burstTimings), nil where none.
	BurstLate *BurstTiming `json:"burst_late,omitempty"`
	// TermYears is the variant's procurement.term_years, the years its
	// reservations are held (0: unset, reservedTermYears; and in a report
	// stored before it was kept, which held every reservation 3 years).
	TermYears int `json:"reserved_term_years,omitempty"`
	// Reserved is a rented fleet's procurement.reserved: the instances
	// held reserved with the demand above them on demand (overflow.go).
	Reserved int `json:"reserved_with_overflow,omitempty"`
	// ReservedUSDPerHour is the reserved rate procurement.reserved bills
	// (overflowRate), from ReservedRateSource: the plan's
	// procurement.reserved_usd_per_hour or the catalog's. The report named
	// neither, only the on-demand price the overflow runs at.
	ReservedUSDPerHour float64 `json:"reserved_with_overflow_usd_per_hour,omitempty"`
	ReservedRateSource string  `json:"reserved_with_overflow_rate_source,omitempty"`
	// Rented is a rented fleet's sizing (nil for an owned one), kept so
	// that the report can tell a fleet scaled up from an idle base.
	Rented *RentedSizing `json:"rented_sizing,omitempty"`
	// StepTimesSource is what the step-time constants of the variant's
	// runs were fitted to (run's "step times" line) and StepTimeWarnings
	// the warnings its runs give on them (Report.stepTimes).
	StepTimesSource  string   `json:"step_times_source,omitempty"`
	StepTimeWarnings []string `json:"step_time_warnings,omitempty"`
}

// UnmarshalJSON reads a fleet as stored, and one stored when the sizing
// bounds were keyed capacity_blocks_sized_by_slice and
// reserved_sized_by_slice under those keys, so that a stored forecast
// keeps its notes.
func (fe *FleetEconomy) UnmarshalJSON(b []byte) error {
	type plain FleetEconomy // without this method
	var v struct {
		plain
		LegacyBlocks   *[2]int `json:"capacity_blocks_sized_by_slice"`
		LegacyReserved *[2]int `json:"reserved_sized_by_slice"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*fe = FleetEconomy(v.plain)
	if fe.BlocksBySlice == nil {
		fe.BlocksBySlice = v.LegacyBlocks
	}
	if fe.ReservedBySlice == nil {
		fe.ReservedBySlice = v.LegacyReserved
	}
	return nil
}

// RentedSizing is how a rented fleet is sized slice by slice: BaseCount
// (the variant's fleet.count) times the slice's demand, between Min and Max.
type RentedSizing struct {
	BaseCount int `json:"base_count"`
	Min       int `json:"min"`
	Max       int `json:"max"`
}

// Capital is what an owned fleet's servers cost to buy, against what the
// periods' depreciation charged: the report is a P&L, and the servers'
// book value left at the end is in no line of it.
type Capital struct {
	Servers        int     `json:"servers"` // delivered within the forecast
	CapexUSD       float64 `json:"capex_usd"`
	DepreciatedUSD float64 `json:"depreciated_usd"` // over the forecast's periods (the DEPREC column's sum)
	BookValueUSD   float64 `json:"book_value_usd"`  // left at the forecast's end
	// LateServers were ordered within the periods for delivery after the
	// last one (LateOrders, LateCapexUSD: what they commit): neither bought
	// nor charged here. --periods cutting a plan short leaves such orders,
	// and a count alone hid the $1.23M the built-in's quarter-5 order
	// commits when only 6 quarters are printed.
	LateServers  int         `json:"late_servers,omitempty"`
	LateCapexUSD float64     `json:"late_capex_usd,omitempty"`
	LateOrders   []LateOrder `json:"late_orders,omitempty"`
}

// LateOrder is an order placed within the periods and delivered after them.
type LateOrder struct {
	Period   int `json:"period"` // placed
	Servers  int `json:"servers"`
	Delivery int `json:"delivery"` // the period it serves from
}

// capital sums an owned fleet's cohorts delivered within the periods.
func (f *Forecast) capital(vp *VariantPlan) *Capital {
	o := vp.Owned.Ownership
	n := f.Spec.Periods.Count
	c := &Capital{}
	for _, co := range vp.Cohorts {
		if co.Period > n { // delivered after the last period (--periods): counted below
			continue
		}
		end := float64(n-co.Period+1) * f.PeriodYears // age at the end of the last period
		c.Servers += co.Servers
		c.CapexUSD += float64(co.Servers) * o.CapexUSD
		c.BookValueUSD += float64(co.Servers) * o.BookValueUSD(end)
	}
	for _, od := range vp.Procurement.Orders {
		if at := od.Period + vp.Procurement.LeadTime; od.Period <= n && at > n {
			c.LateServers += od.Servers
			c.LateCapexUSD += float64(od.Servers) * o.CapexUSD
			c.LateOrders = append(c.LateOrders, LateOrder{Period: od.Period, Servers: od.Servers, Delivery: at})
		}
	}
	c.DepreciatedUSD = c.CapexUSD - c.BookValueUSD
	return c
}

// lateOrders lists orders delivered after the last period: "4 ordered in
// quarter 5 for quarter 7".
func (r *Report) lateOrders(orders []LateOrder) string {
	var parts []string
	for _, o := range orders {
		parts = append(parts, fmt.Sprintf("%d ordered in %s %d for %s %d", o.Servers, r.PeriodLen, o.Period, r.PeriodLen, o.Delivery))
	}
	return strings.Join(parts, ", ")
}

// HourlyParts is the owned cost per server-hour by line.
type HourlyParts struct {
	DepreciationUSD float64 `json:"depreciation_usd"`
	PowerUSD        float64 `json:"power_usd"`
	FacilityUSD     float64 `json:"facility_usd"`
	OpsUSD          float64 `json:"ops_usd"`
}

// SetShard marks the report as shard s of a split forecast.
func (r *Report) SetShard(s study.ShardSpec) {
	if s.Count > 1 {
		r.shard, r.Shard = s, fmt.Sprintf("%d/%d", s.Index, s.Count)
	}
}

// inVariantOrder is a copy of periods sorted as sortPeriods sorts them,
// by f's variants.
func inVariantOrder(f *Forecast, periods []Period) []Period {
	var variants []string
	for _, vp := range f.Variants {
		variants = append(variants, vp.Name)
	}
	out := slices.Clone(periods)
	sortPeriods(variants, out)
	return out
}

// NewReport assembles a report from a forecast's periods.
func NewReport(f *Forecast, periods []Period, runs int) *Report {
	r := &Report{Name: f.Spec.Name, Description: f.Spec.Description, PeriodLen: f.Spec.Periods.Length,
		PeriodHours: f.PeriodHours, Periods: f.Spec.Periods.Count, Samples: len(f.samples()), Runs: runs,
		SimHours: f.SimHoursPerPeriod(), Summary: Summarize(inVariantOrder(f, periods)), Growth: f.growthLines(), TrueUps: f.trueUpTerms(),
		ReservedIdleGross: true, Prices: f.priceLines(), PriceSets: f.priceSets(), FlatFees: f.flatFeeLines(),
		SampleDraws: f.sampleDraws()}
	r.bookTrueUps()
	for _, vp := range f.Variants {
		// Loaded once: poolTracks loads the variant's scenario of every
		// period, and both the autoscaled pools and the renames read it.
		tracks := f.poolTracks(vp)
		fe := FleetEconomy{Variant: vp.Name, Instance: vp.Instance, Mode: vp.Procurement.Mode, ListUSDPerHour: f.rentPrice(vp.Variant),
			Rent: f.rentSteps(vp), Training: f.trainBases(vp), ReservedAutoscaled: reservedAutoscaled(tracks),
			PoolRenames: poolRenames(tracks), TermYears: vp.Procurement.TermYears,
			Reserved: vp.Procurement.Reserved}
		if fe.Reserved > 0 {
			fe.ReservedUSDPerHour, _ = f.overflowRate(vp) // checked in checkOverflow
			fe.ReservedRateSource = overflowRateSource(vp)
		}
		if len(fe.Rent) > 0 && fe.Rent[0].From == 1 {
			// Period 1's price and instance, a roadmap step from period 1
			// included, as the RENT note under the column gives them.
			fe.ListUSDPerHour, fe.Instance = fe.Rent[0].USDPerHour, fe.Rent[0].Instance
		}
		if vp.Owned != nil {
			h := vp.Owned.LifetimeHourlyCost()
			total := h.TotalUSD()
			fe.OwnedUSDPerHour = &total
			fe.Breakdown = &HourlyParts{h.DepreciationUSD, h.PowerUSD, h.FacilityUSD, h.OpsUSD}
			fe.Figures = vp.Owned.Figures
			fe.Capital = f.capital(vp)
			fe.Burst = vp.Procurement.Burst
			fe.BurstNeverUp, fe.BurstLate = f.burstTimings(vp)
		}
		// Rented instances sized slice by slice: a rented fleet between min
		// and max, or an owned fleet's burst above its servers.
		lo, hi := 0, 0
		if p := vp.Procurement; p.Mode == "rented" {
			lo, hi = p.Min, p.Max
			fe.Rented = &RentedSizing{BaseCount: vp.BaseCount, Min: p.Min, Max: p.Max}
		} else {
			hi = p.Burst
		}
		if lo < hi {
			// The pricing the RENT note names (rentPricing): a price the
			// plan sets at on-demand over a base at the Capacity Blocks
			// rate is not paid in blocks.
			if slices.ContainsFunc(fe.Rent, func(st RentStep) bool { return st.Pricing == hw.PricingCapacityBlock }) {
				fe.BlocksBySlice = &[2]int{lo, hi}
			}
			if slices.ContainsFunc(fe.Rent, func(st RentStep) bool { return st.Pricing == hw.PricingReserved }) {
				fe.ReservedBySlice = &[2]int{lo, hi}
			}
		}
		r.Fleets = append(r.Fleets, fe)
	}
	r.GrossCommerceBy = f.grossCommerceBy()
	r.GrossCommerce = grossWorkloads(r.GrossCommerceBy)
	r.AbandonmentAssumptions = abandonmentAssumptions(f.workloadsOf())
	r.AbandonmentAssumptionsBy = f.variantAssumptions()
	r.AbandonmentValuesBy = f.variantValues()
	if mc := f.Spec.MonteCarlo; mc != nil && mc.Elasticity != nil && r.Samples > 1 {
		r.ElasticityDrawn = f.elasticWorkloads()
		for _, w := range f.workloadsOf() {
			if !slices.Contains(r.ElasticityDrawn, w.Name) {
				r.Inelastic = append(r.Inelastic, w.Name)
			}
		}
	}
	for _, vp := range f.Variants {
		r.IdleTrainingInTroughs = r.IdleTrainingInTroughs || slices.Contains(vp.IdleTraining, true)
	}
	r.stepTimes(f)
	return r
}

// WriteText prints the fleet economics and one period table per variant
// (medians over the samples, with the operating margin's P10-P90 when
// there are several).
func (r *Report) WriteText(w io.Writer) error { return r.WriteTextProse(w, nil) }

// Prose writes one paragraph of the text report's prose (a note, never a
// table row) and its newline: aiecon forecast passes one that wraps it to
// the terminal's width, as its other reports wrap theirs; nil writes it
// as it is, one line.
type Prose func(w io.Writer, paragraph string) error

// plainProse is the Prose of WriteText: each paragraph on one line.
func plainProse(w io.Writer, p string) error {
	_, err := fmt.Fprintln(w, p)
	return err
}

// WriteTextProse is WriteText with every note written through prose.
func (r *Report) WriteTextProse(w io.Writer, prose Prose) error {
	if prose == nil {
		prose = plainProse
	}
	prose(w, fmt.Sprintf("forecast %s: %s, %s, %s (%.2g simulated hours per period)",
		r.Name, format.Plural(r.Periods, r.PeriodLen), format.Plural(r.Samples, "sample"), format.Plural(r.Runs, "run"), r.SimHours))
	notes := []string{}
	if r.Samples > 1 {
		notes = append(notes, "figures are medians (P50) over the samples; lines need not add up to the median total", r.bandsNote(), r.elasticityNote())
	} else if r.Samples == 1 {
		notes = append(notes, oneSampleNote)
	}
	for _, note := range append(notes, r.drawsNote(), r.growthNote(), r.pricesNote(), r.licensingNote(), r.trueUpNote()) {
		if note != "" {
			prose(w, note)
		}
	}
	fmt.Fprintln(w)
	if err := r.writeFleets(w, false, prose); err != nil {
		return err
	}
	for _, note := range []string{r.CommerceNote(), r.FreshnessNote(), r.AbandonmentNote()} {
		if note != "" {
			prose(w, note)
		}
	}
	fmt.Fprintln(w)
	prose(w, r.columnsNote())
	for _, fe := range r.Fleets {
		fmt.Fprintf(w, "\n%s (%s %s)\n", fe.Variant, fe.Mode, r.fleetInstances(fe))
		if err := r.writeVariant(w, fe.Variant, prose); err != nil {
			return err
		}
	}
	return nil
}

// oneSampleNote says what a single sample is: one draw of the simulation,
// whose slices' seeds every period and variant shares (sliceSeed), so a
// seed that draws many sessions lifts every period alike. The example's
// --samples 1 read its first quarter above the 20-sample P90, and its
// whole plan about 10% above what other seeds give, without a word.
const oneSampleNote = "ONE SAMPLE: every figure is one draw of the simulation, and the periods and variants share its seeds, " +
	"so a seed that draws more (or fewer) sessions than most sits high (or low) in every period alike: the gaps between " +
	"variants are sounder than the level. --samples 20 or more shows the spread over seeds."

// columnsNote says what the variants' tables' columns hold and in what
// unit: they had no units and no legend, so TOKENS, the revenue of token
// sales in USD a period, read as a count of tokens beside a USD/Mtok
// column, and SERVERS 0 under a rented fleet as no capacity. INST is what
// the runs ran: called the instances paid for, it read beside a reserved
// fleet's RENT, which pays idle reservations too, as $28.6/h on a $20 rate.
func (r *Report) columnsNote() string {
	return fmt.Sprintf("COLUMNS: SERVERS are the owned servers in service (- for a rented fleet) and INST the instances run on "+
		"average (a reserved fleet's reservations held idle are paid in RENT, not counted in INST: RESERVED INSTANCES IDLE "+
		"gives them); REVENUE to TRAIN are USD a %[1]s: REVENUE = TOKENS (token sales) + AGENT (agent session fees) + COMMERCE (the take on "+
		"agents' orders) + ADS, and the costs RENT (rented instances, and reserved ones held and not run), DEPREC, POWER, FAC+OPS (facility and operations), LICENSE and "+
		"TRAIN; GROSS%% and OPER%% are the margins on REVENUE before and after TRAIN; USD/Mtok is every cost per million tokens "+
		"billed; HEADROOM is the share of the busiest slice's batch slots or KV cache left free, SLO the share of requests within "+
		"their SLO, ABANDON the share of agent sessions abandoned.", r.PeriodLen)
}

// bandsNote says how many samples the P10..P90 bands rest on: the
// built-in draws 4, and a band of 4 samples is not a 10-90 range of the
// outcomes, only an interpolation between the two lowest and the two
// highest (type-7 quantiles, up to 10 samples).
func (r *Report) bandsNote() string {
	note := fmt.Sprintf("P10..P90 bands rest on %d Monte Carlo samples", r.Samples)
	if r.Samples <= 10 {
		note += "; with so few, P10 and P90 are interpolated between the two lowest and the two highest samples, not " +
			"estimates of the tails (more monte_carlo.samples, or --samples, make them estimates)"
	}
	if r.someSamples() {
		shards := "shard " + r.Shard
		if strings.Contains(r.Shard, ", ") {
			shards = "shards " + r.Shard
		}
		note += fmt.Sprintf("; %s ran fewer of them for some periods, whose bands, marked OF k, rest on those k alone", shards)
	}
	return note
}

// someSamples says that some period of the report holds fewer samples
// than the forecast draws: a shard's (or shards merged, not all of them),
// which runs whole (variant, sample, period) groups, so a period's samples
// may be spread over shards. Its bands rest on the samples it holds, and
// the header's OF n, the forecast's count, read as the band's.
func (r *Report) someSamples() bool {
	return slices.ContainsFunc(r.Summary, func(s PeriodSummary) bool { return s.Samples < r.Samples })
}

// elasticityNote says which workloads' elasticity the Monte Carlo draw
// replaces: those the plan gives one; a workload left inelastic stays so,
// and its volume does not follow the price draw.
func (r *Report) elasticityNote() string {
	if len(r.ElasticityDrawn) == 0 {
		return ""
	}
	note := "the elasticity draw replaces the elasticity of " + strings.Join(r.ElasticityDrawn, ", ")
	if len(r.Inelastic) > 0 {
		note += "; " + strings.Join(r.Inelastic, ", ") + ", left inelastic by the plan, stay inelastic"
	}
	return note
}

// WriteSources prints the fleet economics with the value, label and
// source of every ownership figure; it needs no runs.
func (r *Report) WriteSources(w io.Writer) error {
	fmt.Fprintf(w, "forecast %s: where each ownership figure comes from\n\n", r.Name)
	return r.writeFleets(w, true, plainProse)
}

func (r *Report) writeFleets(w io.Writer, sources bool, prose Prose) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "FLEET\tINSTANCE\tMODE\tRENT USD/h\tOWNED USD/h\tDEPRECIATION\tPOWER\tFACILITY\tOPERATIONS")
	for _, fe := range r.Fleets {
		owned := []string{"-", "-", "-", "-", "-"}
		if b := fe.Breakdown; b != nil {
			owned = []string{money(*fe.OwnedUSDPerHour), money(b.DepreciationUSD), money(b.PowerUSD), money(b.FacilityUSD), money(b.OpsUSD)}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", fe.Variant, r.fleetInstances(fe), fe.Mode, fleetRent(fe), strings.Join(owned, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if note := r.rentNote(); note != "" {
		prose(w, note)
	}
	if !sources {
		return prose(w, "(owned cost per server-hour over its life, busy or idle; --sources lists where each figure comes from)")
	}
	for _, fe := range r.Fleets {
		for _, fg := range fe.Figures {
			fmt.Fprintf(w, "  %s %s = %.6g [%s] %s\n", fe.Variant, fg.Field, fg.Value, fg.Label, fg.Source)
		}
	}
	return nil
}

// fleetRent is the FLEET table's RENT cell: the rental price, in
// parentheses for an owned fleet, which pays none for its servers (the
// price is its comparator, and what burst capacity would pay; rentNote
// says so): "owned ... RENT 35.8" read as a rent in a table of costs.
func fleetRent(fe FleetEconomy) string {
	if fe.Mode == Owned && fe.ListUSDPerHour > 0 {
		return "(" + money(fe.ListUSDPerHour) + ")"
	}
	return money(fe.ListUSDPerHour)
}

func (r *Report) writeVariant(w io.Writer, variant string, prose Prose) error {
	if prose == nil {
		prose = plainProse
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := "PERIOD\tSERVERS\tINST\tREVENUE\tTOKENS\tAGENT\tCOMMERCE\tADS\tRENT\tDEPREC\tPOWER\tFAC+OPS\tLICENSE\tTRAIN\tGROSS%\tOPER%\tUSD/Mtok\tHEADROOM\tSLO\tABANDON\t"
	if r.Samples > 1 {
		head += fmt.Sprintf("OPER%% P10..P90 OF %d\t", r.Samples)
	}
	fmt.Fprintln(tw, head)
	for _, s := range r.Summary {
		if s.Variant != variant {
			continue
		}
		b := func(m string) float64 { return float64(s.Bands[m].P50) }
		servers := "-" // a rented fleet owns none, which 0 read as no capacity
		if fe := r.fleet(variant); fe == nil || fe.Mode != "rented" {
			servers = fmt.Sprint(s.Periods[0].OwnedServers)
		}
		row := []string{fmt.Sprint(s.Period), servers, fmt.Sprintf("%.1f", b("instances_avg")),
			money(b("revenue_usd")), money(b("revenue_api_usd")), money(b("revenue_agent_fees_usd")), money(b("revenue_commerce_usd")),
			money(b("revenue_ads_usd")), money(b("cost_rent_usd")), money(b("cost_depreciation_usd")), money(b("cost_power_usd")),
			money(b("cost_facility_ops_usd")), money(b("cost_licensing_usd")), money(b("cost_training_usd")),
			pct(b("gross_margin")), pct(b("operating_margin")), money(b("cost_per_mtok_usd")),
			pct(b("headroom")), pct(b("slo_attainment")), pct(b("session_abandon_rate"))}
		if r.Samples > 1 {
			om := s.Bands["operating_margin"]
			band := pct(float64(om.P10)) + ".." + pct(float64(om.P90))
			if s.Samples < r.Samples { // a shard's period, of the samples it ran alone (bandsNote)
				band += fmt.Sprintf(" OF %d", s.Samples)
			}
			row = append(row, band)
		}
		fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	notes := append([]string{r.cumMarginNote(variant)}, r.notes(variant, r.trainNote(variant))...)
	if fe := r.fleet(variant); fe != nil && fe.StepTimesSource != "" {
		notes = append(notes, "step times: "+fe.StepTimesSource)
	}
	for _, note := range append(notes, r.stepTimeWarnings(variant)...) {
		if note != "" {
			if err := prose(w, note); err != nil {
				return err
			}
		}
	}
	return nil
}

// notes are a variant's notes in the order the table prints them, train
// being the training note in its place ("" where Caveats leaves it out):
// one list, so that a note added to the table is repeated by compare
// --forecast and the dashboard too (the two lists were written twice, and
// docs/forecast.md's copy of them had already fallen behind).
func (r *Report) notes(variant, train string) []string {
	return []string{r.sloRiskNote(variant), r.burstNeverUpNote(variant), r.burstLateNote(variant), r.capitalNote(variant), r.blocksNote(variant),
		r.reservedNote(variant), r.reservedIdleNote(variant), r.upfrontNote(variant), r.idleBaseNote(variant), r.wholeInstancesNote(variant), r.samplingNote(variant), r.unfinishedNote(variant), train,
		r.idleTrainingNote(variant)}
}

// fleet is a variant's fleet economics; nil for a variant the report
// does not have.
func (r *Report) fleet(variant string) *FleetEconomy {
	for i := range r.Fleets {
		if r.Fleets[i].Variant == variant {
			return &r.Fleets[i]
		}
	}
	return nil
}

// stepTimeWarnings are the warnings a variant's runs give on their
// step-time constants (Report.stepTimes); none for a report stored before
// they were kept.
func (r *Report) stepTimeWarnings(variant string) []string {
	if fe := r.fleet(variant); fe != nil {
		return fe.StepTimeWarnings
	}
	return nil
}

// Caveats are the notes under a variant's table that say its totals lean
// one way, hide a risk (a fleet overloaded in some samples, burst paid
// for and never up, the servers' price left out of a P&L, rent understated,
// scaled from an idle base or stepping with whole instances,
// training overstated, latency and cost resting on step-time constants
// fitted thinly or not to its chip) or are known only roughly (SAMPLING):
// compare --forecast repeats them with CommerceNote, and the dashboard's
// forecast screen names them, so that a comparison of totals is not read
// without them. The sampling note was left out as being about noise, not
// a lean; but it is the one that says a total is known to ±20% or ±100%,
// which compare's exact dollars hide, and between two forecasts, which
// share no seeds, its vs column carries all of that noise.
func (r *Report) Caveats(variant string) []string {
	var out []string
	for _, note := range append(r.notes(variant, ""), r.stepTimeWarnings(variant)...) {
		if note != "" {
			out = append(out, note)
		}
	}
	return out
}

// idleBaseOccupancy is the batch occupancy under which a rented fleet's
// busiest slice reads as idle: 2% of its batch slots. Batch occupancy is
// not utilisation: a prefill-bound replica (long prompts, chunked prefill)
// can be busy with a few sequences in flight (the built-in's rented p5en
// fills 7-10% of its batch slots in its busiest slices yet abandons about
// 16% of its agent sessions), so no share of the slots proves a fleet
// idle. 2% is under a third of a sequence in flight on the Neuron default
// of 16 slots and about 5 of vLLM's 256; the note also asks that the fleet
// scaled above procurement.min, says "batch slots", not "capacity", and
// gives the remedy rather than a verdict.
const idleBaseOccupancy = 0.02

// idleBaseNote says when a rented fleet was scaled up from a base
// fleet.count far above what its traffic needs: each slice's count is
// fleet.count x the slice's demand (capacitySets), so an idle base grows
// with demand and RENT with it while the fleet stays idle, which decides a
// rented-against-owned comparison against renting. It fires when the
// busiest slice of every period of every sample filled under
// idleBaseOccupancy of its batch slots and some period paid for more
// than procurement.min instances.
func (r *Report) idleBaseNote(variant string) string {
	var rs *RentedSizing
	for _, fe := range r.Fleets {
		if fe.Variant == variant {
			rs = fe.Rented
		}
	}
	if rs == nil {
		return ""
	}
	most, seen, scaled := 0.0, false, false
	for _, s := range r.Summary {
		if s.Variant != variant {
			continue
		}
		for _, p := range s.Periods {
			occ := 1 - float64(p.Headroom)
			if math.IsNaN(occ) || occ >= idleBaseOccupancy { // unknown, or busy enough
				return ""
			}
			most, seen = math.Max(most, occ), true
			// Whole instances are held for whole slices, so a slice above
			// min lifts the average by far more than this float residue.
			scaled = scaled || p.InstancesAvg > float64(rs.Min)+1e-6
		}
	}
	if !seen || !scaled {
		return ""
	}
	// %.2g, not pct: its one decimal prints an occupancy of 0.04% as 0.0%.
	return fmt.Sprintf("RENTED FLEET SCALED FROM AN IDLE BASE: each slice rents fleet.count (%d) x the slice's demand, and the busiest "+
		"slice of every %s filled at most %.2g%% of its batch slots or KV cache, yet the fleet was paid for more than procurement.min (%d) "+
		"instances: %s grows with demand from a base the traffic does not need, which counts against renting. Size "+
		"fleet.count for volume 1 (e.g. with aiecon optimize on the base scenario) or lower procurement.max (%d).",
		rs.BaseCount, r.PeriodLen, 100*most, rs.Min, r.words().rent, rs.Max)
}

// capitalNote says what an owned fleet's servers cost and what of it the
// table charged: compared over a few years, depreciation leaves most of a
// young fleet's price out of the costs, so owning can read cheaper than it
// paid.
func (r *Report) capitalNote(variant string) string {
	for _, fe := range r.Fleets {
		if fe.Variant != variant || fe.Capital == nil {
			continue
		}
		c := fe.Capital
		// Capex includes the servers' share of the network (server_usd /
		// (1 - network_share)): $8.02M for the built-in's 26 trn2 at
		// $250k read as a mistake against 26 x 250k = $6.5M.
		their := "their"
		if c.Servers == 1 {
			their = "its"
		}
		note := fmt.Sprintf("CAPITAL: %s bought for $%s, %s share of the network (ownership.network_share) included; %s $%s "+
			"of it over its %s and leaves $%s of book value at "+
			"the end. It is a P&L, not cash: the servers are paid when bought, and neither the cost of capital nor the book value "+
			"left is in any line.", format.Plural(c.Servers, "server"), money(c.CapexUSD), their, r.words().depreciates, money(c.DepreciatedUSD),
			format.Plural(r.Periods, r.PeriodLen), money(c.BookValueUSD))
		if c.CapexUSD == 0 {
			note = r.noCapitalNote(c)
		}
		if c.LateServers > 0 {
			more, are := fmt.Sprintf("%d more servers", c.LateServers), "are"
			if c.LateServers == 1 {
				more, are = "1 more server", "is"
			}
			committed := fmt.Sprintf("$%s committed (%s)", money(c.LateCapexUSD), r.lateOrders(c.LateOrders))
			if c.CapexUSD == 0 { // no capital: nothing is committed
				committed = r.lateOrders(c.LateOrders)
			}
			note += fmt.Sprintf(" %s, ordered for delivery after the last period, %s in none of it: %s.", more, are, committed)
		}
		return note
	}
	return ""
}

// noCapitalNote is capitalNote's for servers that cost no capital
// (ownership.server_usd: 0, a price as a token price's 0 is: hardware
// already owned or donated). "bought for $0 ... depreciates $0" read as a
// figure missing; and a fleet charged no capital reads cheaper than any
// rent, which prices the hardware, by the servers' whole worth.
func (r *Report) noCapitalNote(c *Capital) string {
	their := "their"
	if c.Servers == 1 {
		their = "its"
	}
	return fmt.Sprintf("CAPITAL: none: the %s cost no capital (ownership.server_usd: 0, already owned or donated), so %s nothing "+
		"and %s owned cost is power, facility and operations alone. Against renting, owning is cheaper here by the servers' "+
		"whole worth: what they would fetch sold, or cost to replace, is in no line.",
		format.Plural(c.Servers, "server"), r.words().depreciates, their)
}

// idleTrainingNote says how a fleet-idle retrain was simulated and what it
// still overstates. The day's share is owed by the slices below the day's
// mean demand (training.go), so peak slices lend nothing; but a slice is a
// run of minutes that pays a whole restart (checkpoint load and warm-up)
// before it trains, where a trough of hours pays one for hours of work, so
// the troughs' lent hours (and what serving loses in them) are overstated,
// and what their runs cannot train is billed in TRAIN. All of it leans
// against the fleet that trains on its idle servers; training.where:
// dedicated bounds TRAIN from above. A report stored before the troughs
// owed the work says that it lent at every hour. A variant that was to
// train on its idle servers and lent nothing says so (nothingLentNote):
// silent, its TRAIN read as idle training that cost nothing extra.
func (r *Report) idleTrainingNote(variant string) string {
	most, at, low, lowAt := 0.0, 0, math.Inf(1), 0
	var idle []int // the periods that train on the fleet
	for _, s := range r.Summary {
		if s.Variant != variant {
			continue
		}
		for _, p := range s.Periods {
			if p.TrainingLentShare > most {
				most, at = p.TrainingLentShare, p.Period
			}
			if c := float64(p.TrainingIdleCoverage); c < low {
				low, lowAt = c, p.Period
			}
			if !math.IsNaN(float64(p.TrainingIdleCoverage)) && !slices.Contains(idle, p.Period) {
				idle = append(idle, p.Period)
			}
		}
	}
	if most == 0 {
		return r.nothingLentNote(idle)
	}
	if !r.IdleTrainingInTroughs {
		return fmt.Sprintf("IDLE-CAPACITY TRAINING: up to %.0f%% of the simulated replica-hours went to training the retrain (period %d). "+
			"This forecast was run when each slice started with a retrain due, so replicas were lent at every hour of the day, "+
			"peak hours too: what serving loses to it (abandoned sessions, commerce) is likely overstated. Run it again, "+
			"or compare training.where: dedicated.", 100*most, at)
	}
	note := fmt.Sprintf("IDLE-CAPACITY TRAINING: each day's share of the retrain is trained in the slices below the day's mean demand, "+
		"each in proportion to how far below it is; the other slices lend no replicas. Up to %.0f%% of the simulated replica-hours "+
		"went to training (period %d)", 100*most, at)
	train := r.words().train
	if lowAt > 0 && low < 0.995 {
		note += fmt.Sprintf(", and the lent replicas trained as little as %.0f%% of the work owed (period %d): the rest is billed in %s "+
			"at the dedicated cluster's price", 100*low, lowAt, train)
	}
	return note + ". A slice is a run of minutes that pays a whole restart (checkpoint load and warm-up) before it trains, where " +
		"a night's trough pays one for hours of work, so the troughs' lent hours, what serving loses in them and " + train + " are " +
		"likely overstated, against training on idle servers; training.where: dedicated bounds " + train + " from above."
}

// nothingLentNote says that a variant whose retrain was to be trained on
// its idle servers lent none (idle: the periods it was to), so that TRAIN
// is every retrain bought on the dedicated cluster; "" for a variant that
// never trains on its fleet. The report cannot say which condition held
// the lender back; the slices' runs count it (training_held_*).
// A report stored before the troughs owed the work may lack the coverage
// (read back as 0, not undefined), so it gets none.
func (r *Report) nothingLentNote(idle []int) string {
	if len(idle) == 0 || !r.IdleTrainingInTroughs {
		return ""
	}
	slices.Sort(idle)
	return fmt.Sprintf("IDLE-CAPACITY TRAINING: no replica was lent to the retrain in %s, so %s is every retrain bought on the "+
		"dedicated cluster. A replica is lent only while no request waits, demand (running plus waiting over the batch slots) "+
		"is below training.lend_below, and the others can take its load: spare batch slots and KV blocks where a request joins "+
		"the running batch (vllm, neuron-chunked), a whole replica's worth of idle time where a prefill stops it (neuron). "+
		"The trough slices' runs count the decisions each condition held back: training_held_demand, training_held_waiting and "+
		"training_held_busy among their KPIs (aiecon show RUN).", r.periodList(idle), r.words().train)
}

// samplingNote warns when a line that carries a material share of a
// variant's revenue rests on few simulated sessions or requests: the
// simulated hours are scaled by Scale() to the period, so the line is
// known to about 1/sqrt(n) of itself, n its effective events
// (Period.CommerceEvents; the sessions completed for the agent fees, the
// requests and sessions for the tokens), whatever the table's digits say.
// The agent fees were left out, and a plan whose revenue was 98% fees on
// 35 simulated sessions a period printed to the dollar without a word.
func (r *Report) samplingNote(variant string) string {
	const share, tolerance = 0.1, 0.05
	worst, n, at := 0.0, 0.0, 0
	var what samplingLine
	for _, s := range r.Summary {
		if s.Variant != variant {
			continue
		}
		for _, p := range s.Periods {
			for _, l := range samplingLines(p) {
				if p.RevenueUSD <= 0 || l.usd < share*p.RevenueUSD || l.n <= 0 {
					continue
				}
				if e := 1 / math.Sqrt(l.n); e > worst {
					worst, what, n, at = e, l, l.n, p.Period
				}
			}
		}
	}
	if worst <= tolerance {
		return ""
	}
	gaps := "Variants and periods share their random draws, so the gaps between them are tighter than that."
	name := what.column + " revenue"
	if r.metricNames { // compare --forecast prints the stored lines, and may set two forecasts side by side
		name = what.metric
		gaps = "The variants and periods of one forecast share their random draws, so the gaps between them are tighter than that; " +
			"two forecasts share none."
	}
	// A tenth under 10: 1.64 sessions printed as 2 beside its ±78%.
	count := fmt.Sprintf("%.0f", n)
	if n < 9.95 {
		count = fmt.Sprintf("%.1f", n)
	}
	return fmt.Sprintf("SAMPLING: its %s is worth as few as %s independent simulated %s a period (period %d), so it is "+
		"known to about ±%.0f%% or better (one standard error, 1/sqrt(n), of a compound Poisson sum; abandonment that rises with "+
		"load damps the bursts, so the spread over seeds can be smaller); more day.days or a longer day.horizon narrows it "+
		"(4x the simulated time halves it). %s", name, count, what.unit, at, 100*worst, gaps)
}

// samplingLine is a revenue line the SAMPLING note weighs: its USD, the
// independent simulated events n it rests on, what they are, and its
// names in the table and the store.
type samplingLine struct {
	column, metric, unit string
	usd, n               float64
}

// samplingLines are a period's revenue lines with the events each rests on.
func samplingLines(p Period) []samplingLine {
	return []samplingLine{
		{"commerce", "revenue_commerce_usd", "sessions", p.RevenueCommerceUSD, p.CommerceEvents},
		{"ads", "revenue_ads_usd", "sessions", p.RevenueAdsUSD, p.AdsEvents},
		{"agent fee", "revenue_agent_fees_usd", "sessions completed", p.RevenueAgentFeesUSD, p.AgentFeeEvents},
		{"token", "revenue_api_usd", "requests and agent sessions", p.RevenueAPIUSD, p.TokenEvents},
	}
}

// money prints USD compactly: 1.23M, 45.6k, 7.89; from a thousand billions
// on with an exponent (2.5e+298, not 2.5e+298B, nor 1e+03B for 1e12), and
// an infinity as +Inf (not +InfB). A value that rounds up to the next
// suffix takes it: 1M, not 1e+03k.
func money(x float64) string {
	switch a := math.Abs(x); {
	case math.IsNaN(x):
		return "-"
	case math.IsInf(x, 0):
		return strconv.FormatFloat(x, 'g', -1, 64)
	case a == 0:
		return "0"
	case a >= 999.5e9:
		return fmt.Sprintf("%.3g", x)
	default:
		for _, u := range []struct {
			div    float64
			suffix string
		}{{1e9, "B"}, {1e6, "M"}, {1e3, "k"}} {
			if a >= 0.9995*u.div {
				return fmt.Sprintf("%.3g", x/u.div) + u.suffix
			}
		}
	}
	return fmt.Sprintf("%.3g", x)
}

// pct prints a fraction as the CLI's reports do: 12.3%, "-" when undefined,
// never wider than a dozen characters (format.Pct).
func pct(x float64) string { return format.Pct(x) }

// FreshnessNote warns when some variants or periods of the forecast have a
// training block and others none. With one, the model's freshness
// multiplies click-through and conversion; without, freshness is not
// modelled and they are taken as given, as of a model that never ages
// (docs/model.md, "Freshness"). So ads and commerce step down where a
// roadmap adds retraining (0.94 at a monthly cadence's mid-point in the
// built-in), which reads as retraining losing revenue when it is a change
// of model. A training block over no ads and no conversion (Period.
// FreshnessMultipliesNothing) is on neither side: its revenue is the same
// without one, and compare and run's variant comparison leave such a run
// out by the same rule (model.Scenario.FreshnessMultiplies).
func (r *Report) FreshnessNote() string {
	with, without := map[string][]int{}, map[string][]int{}
	for _, s := range r.Summary {
		if _, ok := summaryFreshness(s); ok {
			with[s.Variant] = append(with[s.Variant], s.Period)
		} else if !summaryTrains(s) {
			without[s.Variant] = append(without[s.Variant], s.Period)
		}
	}
	if len(with) == 0 || len(without) == 0 {
		return ""
	}
	sum, n := 0.0, 0
	for _, s := range r.Summary {
		if x, ok := summaryFreshness(s); ok {
			sum, n = sum+x, n+1
		}
	}
	return fmt.Sprintf("FRESHNESS MODELLED IN PART: with a training block (%s) the model's freshness multiplies click-through "+
		"and conversion (by %.3f on average); without one (%s) freshness is not modelled and the base click-through and "+
		"conversion are taken as they are, as of a model that never ages. %s step between them by that change of "+
		"model, not by an effect of retraining (docs/model.md, \"Freshness\"); give every period a training block (a long "+
		"training.every for a model seldom retrained) to compare like with like.", r.spans(with), sum/float64(n), r.spans(without),
		r.words().adsCommerce)
}

// spans names the periods of each variant, in report order: "quarters
// 1-4 of every variant" when every variant has the same ones.
func (r *Report) spans(periods map[string][]int) string {
	var parts []string
	same := true
	vs := r.variants()
	for _, v := range vs {
		if ks, ok := periods[v]; ok {
			parts = append(parts, v+" "+r.periodList(ks))
		}
		same = same && slices.Equal(periods[v], periods[vs[0]])
	}
	if same && len(vs) > 1 {
		return r.periodList(periods[vs[0]]) + " of every variant"
	}
	return strings.Join(parts, ", ")
}

// summaryFreshness is a period's freshness multiplier averaged over the
// samples that model it over ads or commerce; false when none does.
func summaryFreshness(s PeriodSummary) (float64, bool) {
	sum, n := 0.0, 0
	for _, p := range s.Periods {
		if p.Freshness != nil && !p.FreshnessMultipliesNothing {
			sum, n = sum+*p.Freshness, n+1
		}
	}
	if n == 0 {
		return 0, false
	}
	return sum / float64(n), true
}

// summaryTrains says some of a period's samples have a training block,
// whether or not its freshness multiplies anything they earn.
func summaryTrains(s PeriodSummary) bool {
	return slices.ContainsFunc(s.Periods, func(p Period) bool { return p.Freshness != nil })
}

// variants are the report's variants in summary order.
func (r *Report) variants() []string {
	var out []string
	for _, s := range r.Summary {
		if !slices.Contains(out, s.Variant) {
			out = append(out, s.Variant)
		}
	}
	return out
}

// periodList writes ascending periods as runs: "quarters 1-4, 7".
func (r *Report) periodList(ks []int) string {
	var parts []string
	for i := 0; i < len(ks); {
		j := i
		for j+1 < len(ks) && ks[j+1] == ks[j]+1 {
			j++
		}
		part := fmt.Sprint(ks[i])
		if j > i {
			part += fmt.Sprintf("-%d", ks[j])
		}
		parts = append(parts, part)
		i = j + 1
	}
	unit := r.PeriodLen
	if len(ks) > 1 {
		unit += "s"
	}
	return unit + " " + strings.Join(parts, ", ")
}

// StoredCaveats are the notes of a stored forecast's report on a
// variant's totals: the forecast's (COMMERCE COUNTED GROSS, FRESHNESS
// MODELLED IN PART, ABANDONMENT DECIDES THE COMPARISON) and the variant's
// own (Report.Caveats), each naming the stored metrics' lines
// (revenue_commerce_usd, cost_rent_usd, cost_training_usd), which compare
// --forecast prints, rather than the table's columns. The report is the one the
// forecast printed; a merged forecast's is its shards' reports merged
// (MergeReports), whose figures cover every period once all its shards
// are merged; before, the notes say which shards they cover. A
// forecast stored without a readable report has none. aiecon compare
// --forecast prints them under its totals; the dashboard names them.
func StoredCaveats(reportJSON, variant string) []string {
	r, ok := storedReport(reportJSON)
	if !ok {
		return nil
	}
	return r.storedCaveats(variant)
}

// StoredCaveatNames are the titles of StoredCaveats' notes (each starts
// "TITLE: ..."), for the dashboard, which has no room for the notes
// themselves; the two whose size decides how far a total can be read
// carry it, from the notes' own figures: "UNFINISHED SESSIONS 38.7% to
// 40.4% of revenue", "RESERVED INSTANCES IDLE $108k". Named alone, the
// largest share of a forecast's revenue read as a footnote.
func StoredCaveatNames(reportJSON, variant string) []string {
	r, ok := storedReport(reportJSON)
	if !ok {
		return nil
	}
	var names []string
	for _, n := range r.storedCaveats(variant) {
		t, _, ok := strings.Cut(n, ": ")
		if !ok || t != strings.ToUpper(t) {
			continue
		}
		switch t {
		case "UNFINISHED SESSIONS":
			if lo, hi, worst := r.unfinishedShares(variant); worst != nil {
				t += " " + shareSpan(lo, hi) + " of revenue"
			}
		case "RESERVED INSTANCES IDLE":
			if parts, total, _ := r.reservedIdle(variant); len(parts) > 0 {
				t += " $" + money(total)
			}
		}
		names = append(names, t)
	}
	return names
}

// storedReport reads a stored forecast's report, naming the stored
// metrics' lines in its notes; false where there is none readable.
func storedReport(reportJSON string) (*Report, bool) {
	var r Report
	if reportJSON == "" || json.Unmarshal([]byte(reportJSON), &r) != nil {
		return nil, false
	}
	r.metricNames = true
	r.grossIdle()
	return &r, true
}

// storedCaveats is StoredCaveats of a report read.
func (r *Report) storedCaveats(variant string) []string {
	var notes []string
	for _, note := range []string{r.CommerceNote(), r.FreshnessNote(), r.AbandonmentNote()} {
		if note != "" {
			notes = append(notes, note)
		}
	}
	notes = append(notes, r.Caveats(variant)...)
	switch {
	case r.Shard == "" || len(notes) == 0:
	case strings.Contains(r.Shard, ", "): // shards merged, not all of them (MergeReports)
		notes = append(notes, fmt.Sprintf("(these notes are the merged reports of shards %s: their figures cover those shards' periods only)", r.Shard))
	default:
		notes = append(notes, fmt.Sprintf("(these notes are shard %s's report's: its figures cover that shard's periods only)", r.Shard))
	}
	return notes
}
