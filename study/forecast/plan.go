package forecast

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/goccy/go-yaml"

	"aiecon/model"
	"aiecon/model/econ"
)

// Job is one simulation of a forecast: a slice of a representative day of
// one period, for one variant, under one sample's inputs.
type Job struct {
	Variant, Sample int
	Period          int // 1-based
	Day, Slice      int
	// Group numbers the job's (variant, sample, period) in Jobs order.
	Group int
	// ShardUnit numbers the job's (variant, sample, block of periods) in
	// Jobs order: the unit a shard takes whole, so that every period it
	// stores is complete. A block is one period, or the periods of a
	// contract year an annual true-up settles (periodBlocks), since the
	// period that closes the year books a top-up on all their fees.
	ShardUnit int
	// Sets are the scenario overrides of the run, after the forecast's set.
	Sets []string
	// OwnedServers in service in the period (0 for a rented fleet).
	OwnedServers int
	// OwnedUSDPerHour is the price the run pays per owned server-hour
	// (ownedRunPrice): the period's owned cost, where OwnedPriced; 0 where
	// the run pays the fleet's rental price (a rented fleet, or vp.rentedRuns).
	OwnedUSDPerHour float64
	// OwnedPriced says the run pays OwnedUSDPerHour for its owned servers
	// (runsPayOwned): 0 is a price there, servers that cost nothing an hour.
	OwnedPriced bool
	// RentedSized is a rented fleet's count before rounding up to whole
	// instances (rentedCount); 0 for an owned fleet.
	RentedSized float64
	// TrainingQuota is what the slice owes of the day's fleet-idle
	// retrain, in multiples of its own share (training.quota; training.go),
	// in the periods that train on the fleet; 0 in the others.
	TrainingQuota float64
}

// jobName labels a job's stored run.
func (f *Forecast) jobName(j Job) string {
	return fmt.Sprintf("%s/%s/s%d/p%d/d%d/h%d", f.Spec.Name, f.Variants[j.Variant].Name, j.Sample, j.Period, j.Day, j.Slice)
}

// Jobs lists every run of the forecast in a fixed order: variant, sample,
// period, day, slice. Every variant and period of a sample uses the same
// seeds, so differences between them are mostly not sampling noise (common
// random numbers); each Monte Carlo sample has its own (sliceSeed).
func (f *Forecast) Jobs() []Job {
	var out []Job
	samples := f.samples()
	group, unit, blocks := -1, -1, f.periodBlocks()
	for v, vp := range f.Variants {
		pricing := make([][]string, f.Spec.Periods.Count+1) // the same in every sample
		for k := 1; k <= f.Spec.Periods.Count; k++ {
			switch {
			case vp.runsPayOwned():
			case f.roadmapStepAt(vp, k):
				pricing[k] = f.paidPricing(vp, k)
			default:
				pricing[k] = pricing[k-1]
			}
		}
		for _, in := range samples {
			for k := 1; k <= f.Spec.Periods.Count; k++ {
				group++
				if k == 1 || blocks[k-1] != blocks[k-2] {
					unit++ // a new block: an annual true-up keeps a contract year's periods in one
				}
				period, volumes := f.periodSets(vp, in, k)
				period = append(period, pricing[k]...)
				ws := f.workloadsIn(vp, k)
				var quotas []float64
				if vp.idleIn(k) {
					quotas = f.troughQuotas(ws, volumes)
				}
				for d := 0; d < f.Spec.Day.Days; d++ {
					for s := 0; s < f.Spec.Day.Slices; s++ {
						sets := append(append([]string(nil), period...), f.sliceSets(in.Sample, d, s)...)
						sets = append(sets, f.rateSets(ws, volumes, s)...)
						sets = append(sets, f.capacitySets(vp, k, volumes, s)...)
						j := Job{Variant: v, Sample: in.Sample, Period: k, Day: d, Slice: s, Group: group, ShardUnit: unit, Sets: sets}
						if vp.Owned != nil {
							j.OwnedServers, j.OwnedUSDPerHour, j.OwnedPriced = vp.Servers[k-1], f.ownedRunPrice(vp, k), vp.runsPayOwned()
						} else {
							_, j.RentedSized = f.rentedCount(vp, k, volumes, s)
						}
						if quotas != nil {
							j.TrainingQuota = quotas[s]
							j.Sets = append(j.Sets, "training.quota="+num(quotas[s]))
						}
						out = append(out, j)
					}
				}
			}
		}
	}
	return out
}

func num(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// periodSets are the overrides of a variant in period k under inputs in:
// the variant's set, the roadmap so far, capacity, prices, and the
// licensing contracts in force; and each workload's demand volume, which
// rateSets turns into each slice's arrival rate. Prices, conversion and
// click-through are the variant's in the period (workloadsIn) times the
// period's price ratio and the sample's draws.
func (f *Forecast) periodSets(vp *VariantPlan, in Inputs, k int) (sets []string, volumes []float64) {
	add := func(path string, v any) { sets = append(sets, fmt.Sprintf("%s=%v", path, v)) }
	sets = f.roadmapSets(vp, k)
	ws := f.workloadsIn(vp, k)
	for _, w := range ws {
		dm := f.demand(w, in, k)
		volumes = append(volumes, dm.Volume)
		at := "workloads[" + w.Name + "]"
		if dm.PriceRatio != 1 {
			add(at+".price.input_per_mtok", num(w.Price.InputPerMTok*dm.PriceRatio))
			add(at+".price.output_per_mtok", num(w.Price.OutputPerMTok*dm.PriceRatio))
			if c := w.Price.CachedInputPerMTok; c != nil { // absent, it follows the input price
				add(at+".price.cached_input_per_mtok", num(*c*dm.PriceRatio))
			}
			if w.Agent != nil {
				add(at+".agent.value.fee", num(w.Agent.Value.Fee*dm.PriceRatio))
			}
		}
		if w.Agent != nil && in.Conversion != 1 {
			add(at+".agent.value.conversion", num(math.Min(1, w.Agent.Value.Conversion*in.Conversion)))
		}
	}
	if ads := f.adsIn(vp, k); ads != nil && in.CTR != 1 {
		add("ads.ctr", num(math.Min(1, ads.CTR*in.CTR)))
	}
	return append(sets, f.contractSets(ws, k)...), volumes
}

// roadmapSets are a variant's overrides in period k: its set, then the
// forecast's and its own roadmap steps from period k or before.
func (f *Forecast) roadmapSets(vp *VariantPlan, k int) []string {
	entries := f.roadmapEntries(vp, k)
	sets := make([]string, len(entries))
	for i, e := range entries {
		sets[i] = e.String()
	}
	return sets
}

// roadmapEntries are roadmapSets, each entry with where the file writes
// its set (variants[1].set, roadmap[0].set).
func (f *Forecast) roadmapEntries(vp *VariantPlan, k int) []setEntry {
	entries := entriesOf(vp.at+".set", vp.Set)
	for _, st := range f.timeline(vp) {
		if st.From <= k {
			entries = append(entries, entriesOf(st.at+".set", st.Set)...)
		}
	}
	return entries
}

// entriesOf are the entries of set, written at at, as setStrings gives
// them (checked in Parse).
func entriesOf(at string, set yaml.MapSlice) []setEntry {
	ovs, _ := model.Variant{Set: set}.Overrides()
	out := make([]setEntry, len(ovs))
	for i, o := range ovs {
		out[i] = setEntry{at: at, path: o.Path, value: o.Value}
	}
	return out
}

// stepSets are the sets of the forecast's and the variant's roadmap steps
// from period k or before, in the order they apply (timeline).
func (f *Forecast) stepSets(vp *VariantPlan, k int) []string {
	var sets []string
	for _, st := range f.timeline(vp) {
		if st.From <= k {
			ss, _ := setStrings(st.Set)
			sets = append(sets, ss...)
		}
	}
	return sets
}

// placedStep is a roadmap step and where the file writes it
// (roadmap[0], variants[1].roadmap[2]).
type placedStep struct {
	Step
	at string
}

// timeline is the forecast's and a variant's roadmap steps in the order
// they apply: by period (from), the forecast's before the variant's
// within one period, then in file order; a later one wins where two set
// one path. A roadmap is a timeline: applied in list order, a step "from
// 3" listed before one "from 2" was undone by it in every period, and a
// variant's step from 2 undid a forecast-wide one from 4.
func (f *Forecast) timeline(vp *VariantPlan) []placedStep {
	var steps []placedStep
	for i, st := range f.Spec.Roadmap {
		steps = append(steps, placedStep{st, fmt.Sprintf("roadmap[%d]", i)})
	}
	for i, st := range vp.Roadmap {
		steps = append(steps, placedStep{st, fmt.Sprintf("%s.roadmap[%d]", vp.at, i)})
	}
	slices.SortStableFunc(steps, func(a, b placedStep) int { return cmp.Compare(a.From, b.From) })
	return steps
}

// roadmapStepAt says whether a variant's scenario may change in period
// k: the first period, or one a step of the forecast's or the variant's
// roadmap starts in. Between them only demand, prices and contracts change.
func (f *Forecast) roadmapStepAt(vp *VariantPlan, k int) bool {
	if k == 1 {
		return true
	}
	for _, steps := range [][]Step{f.Spec.Roadmap, vp.Roadmap} {
		for _, st := range steps {
			if st.From == k {
				return true
			}
		}
	}
	return false
}

// Demand is a workload's volume and price in a period relative to the base
// scenario.
type Demand struct {
	Growth     float64 // demand multiplier before the price response
	PriceRatio float64 // p / p0
	Elasticity float64
	Volume     float64 // Growth x (p/p0)^elasticity
}

func (f *Forecast) demand(w model.Workload, in Inputs, k int) Demand {
	plan := f.Spec.Workloads[w.Name]
	d := Demand{Growth: 1, PriceRatio: in.Price, Elasticity: plan.Elasticity}
	if len(plan.Curve) > 0 {
		d.Growth = curveGrowth(plan.Curve[k-1], in.Growth)
	} else {
		d.Growth = econ.CompoundGrowth(plan.Growth.PerPeriod(in.Growth, f.PeriodHours), k-1)
	}
	for _, ps := range plan.Prices {
		if ps.From <= k {
			d.PriceRatio = ps.Multiplier * in.Price
		}
	}
	// The draw is the uncertainty of an elasticity the plan states: a
	// workload it left inelastic stays so (a shopping agent's sessions, its
	// commerce most of the revenue, moved with every price draw as chat's
	// did when the draw replaced every workload's).
	if in.Elasticity != nil && plan.Elasticity != 0 {
		d.Elasticity = *in.Elasticity
	}
	d.Volume = d.Growth * econ.ElasticVolume(d.PriceRatio, d.Elasticity)
	return d
}

// curveGrowth is a curve's demand multiplier c under a growth draw g,
// which scales its deviation from 1: 1 + (c - 1) x g, written c x g +
// (1 - g) so that the nominal draw (g = 1) gives c itself, however small
// (1 + (1e-17 - 1) is 0). It is used as it is: a multiplier was floored at
// 0.01 without a word, running a curve of 1e-6 at 10,000 times the traffic
// it asked for, and a draw that took a curve to 0 or below ran it at 0.01
// too. checkDrawRange refuses draws that leave a curve's multiplier out of
// (0, maxMultiplier], as checkDemand refuses such a curve.
func curveGrowth(c, g float64) float64 { return c*g + (1 - g) }

// contractSets prices each per-use contract in force through the
// simulator's retrieval fields: it replaces the workload's fee and share.
// Provenance tokens add to the tokens per document of ws, the variant's
// workloads in the period.
func (f *Forecast) contractSets(ws []model.Workload, k int) []string {
	var sets []string
	for _, c := range f.Spec.Licensing {
		if !perUse(c.Kind) || max(c.From, 1) > k {
			continue
		}
		i := slices.IndexFunc(ws, func(w model.Workload) bool { return w.Name == c.Workload })
		w := ws[i] // checked in checkLicensing; resolveDemand keeps the base's names
		at := "workloads[" + c.Workload + "].agent.retrieval."
		fee, share := c.FeePerDoc, 0.0
		if c.Kind == econ.ContractRevenueShare {
			fee, share = 0, c.Share
		}
		sets = append(sets, at+"fee_per_doc="+num(fee), at+"revenue_share="+num(share))
		if c.ProvenanceTokens > 0 {
			sets = append(sets, fmt.Sprintf("%stokens_per_doc=%d", at, w.Agent.Retrieval.TokensPerDoc+c.ProvenanceTokens))
		}
	}
	return sets
}

// rateSets give each workload of ws (a variant's in a period, workloadsIn)
// that arrives at a rate its rate in a slice: its own rate times the
// period's volume times stratum, the slice's correction for its diurnal
// curve (see stratum). A trace, burst or closed workload keeps its own
// arrivals (the plan scales none of them: checkWorkloads, checkDemand).
func (f *Forecast) rateSets(ws []model.Workload, volumes []float64, slice int) []string {
	var sets []string
	for i, w := range ws {
		if p := w.Arrivals.Process; p != "poisson" && p != "gamma" {
			continue
		}
		rate := w.Arrivals.Rate.PerSecond() * volumes[i] * f.stratum(w, slice)
		sets = append(sets, "workloads["+w.Name+"].arrivals.rate="+num(rate)+"/s")
	}
	return sets
}

// stratum is the factor that makes a slice's run stand for its share of the
// day: the diurnal curve's mean over the share over its mean over the
// slice's window. Every total of the run is scaled by the share's hours over
// the window's (Scale), so without it the arrivals, and every line they
// drive, would be the window's rate times the share's hours: with the
// default curve and 3 slices, 7.6% over the day's (the windows sample the
// curve at three points, whose mean is not the day's). With it, each
// slice's expected arrivals are exactly its share's, and the run's load is
// the share's mean load. Workloads whose arrivals the curve does not drive
// (trace, burst, closed) get 1.
func (f *Forecast) stratum(w model.Workload, slice int) float64 {
	if p := w.Arrivals.Process; p != "poisson" && p != "gamma" {
		return 1
	}
	win := w.Arrivals.Diurnal.Mean(f.sliceWindow(slice))
	if win <= 0 {
		return 1
	}
	return w.Arrivals.Diurnal.Mean(f.sliceShare(slice)) / win
}

// capacitySets sizes the fleet of one slice. An owned fleet serves with
// the servers in service (the autoscaler, the scenario's in the period or
// one burst needs, may only add rented burst above them), priced at their owned cost per server-hour (ownedRunPrice). A
// rented fleet is sized to the slice's demand: the base count times the
// workloads' volumes times their diurnal curves' means over the slice's
// share of the day, weighted by their load (sliceLoad) (the load rateSets gives the slice), rounded up
// within min..max, and held for the slice (the scenario's autoscaler, if
// it has one in the period, pinned to it), as an autoscaler tracking the
// day would have it. Scaling within a slice of minutes would mostly
// measure the slice's cold start (docs/forecast.md).
func (f *Forecast) capacitySets(vp *VariantPlan, k int, volumes []float64, slice int) []string {
	p := vp.Procurement
	if vp.Owned != nil {
		n := vp.Servers[k-1]
		sets := []string{fmt.Sprintf("fleet.count=%d", n)}
		if p.Burst > 0 || vp.autoscaledIn(k) {
			sets = append(sets, fmt.Sprintf("fleet.autoscale.min=%d", n), fmt.Sprintf("fleet.autoscale.max=%d", n+p.Burst))
		}
		if vp.runsPayOwned() {
			sets = append(sets, "fleet.pricing=owned", "fleet.price_usd_per_hour="+num(f.ownedRunPrice(vp, k)))
		}
		return sets
	}
	count, _ := f.rentedCount(vp, k, volumes, slice)
	sets := []string{fmt.Sprintf("fleet.count=%d", count)}
	if vp.autoscaledIn(k) {
		sets = append(sets, fmt.Sprintf("fleet.autoscale.min=%d", count), fmt.Sprintf("fleet.autoscale.max=%d", count))
	}
	return sets
}

// rentedCount is a rented fleet's count in a slice (capacitySets), and
// the count its demand asks for before rounding up to whole instances,
// within min..max as the count is (sized): the gap between them is
// rounding alone, which the WHOLE INSTANCES note reads.
func (f *Forecast) rentedCount(vp *VariantPlan, k int, volumes []float64, slice int) (count int, sized float64) {
	p := vp.Procurement
	raw := float64(vp.BaseCount) * f.sliceLoad(f.workloadsIn(vp, k), volumes, slice)
	count = int(math.Ceil(raw - 1e-9))
	count = min(max(count, p.Min), p.Max)
	return count, min(max(raw, float64(p.Min)), float64(p.Max))
}

// sliceLoad is a slice's demand relative to the variant's scenario's mean:
// the workloads' volumes times their diurnal curves (of ws, the variant's
// workloads in the period) over the slice's share of the day (the load
// rateSets gives the slice), averaged with each workload's weight in the
// scenario's own load (loadWeight). The largest workload's alone sized the
// whole fleet: a small workload growing 2.2x rented 2.2x the fleet while
// the bulk of the load stayed flat. Without any weight (no workload arrives
// at a rate) the largest is taken, as the plan scales none of them.
func (f *Forecast) sliceLoad(ws []model.Workload, volumes []float64, slice int) float64 {
	largest, load, weights := 0.0, 0.0, 0.0
	for i, w := range ws {
		l := volumes[i] * w.Arrivals.Diurnal.Mean(f.sliceShare(slice))
		largest = math.Max(largest, l)
		wt := loadWeight(w)
		load += wt * l
		weights += wt
	}
	if weights <= 0 {
		return largest
	}
	return load / weights
}

// loadWeight is a workload's share of its scenario's serving load, in
// tokens per second at its own rate: arrivals times model calls per arrival
// times the mean prompt plus output tokens of a call. An agent's call reads
// the system prompt, the user's message and the context its earlier calls
// built (each one's output and tool result: on average (steps - 1) / 2 of
// them), cached or not, as its KV cache holds them. It is an estimate
// (prompt tokens cost a replica less than output tokens), good enough to
// weigh one workload's growth against the others'; 0 for a workload that
// does not arrive at a rate (trace, burst, closed: the plan scales none).
func loadWeight(w model.Workload) float64 {
	if p := w.Arrivals.Process; p != "poisson" && p != "gamma" {
		return 0
	}
	calls, prompt, out := 1.0, w.PromptTokens.ExpectedValue(), w.OutputTokens.ExpectedValue()
	if a := w.Agent; a != nil {
		calls = math.Max(1, a.Steps.ExpectedValue())
		step := a.ToolResultTokens.ExpectedValue() + out
		prompt += float64(a.SystemPromptTokens) + (calls-1)/2*step
	}
	return w.Arrivals.Rate.PerSecond() * calls * math.Max(prompt+out, 1)
}

// sliceSets place a run in its representative day: its seed, horizon and
// the hour of day its workloads start at. A slice never drains: it stands
// for its share of the day, and a drained run's extra time (and its cost
// and revenue) would be counted into the period on top of that share.
func (f *Forecast) sliceSets(sample, day, slice int) []string {
	d := f.Spec.Day
	start, _ := f.sliceWindow(slice)
	start = math.Mod(start+24, 24)
	sets := []string{fmt.Sprintf("seed=%d", f.sliceSeed(sample, day, slice)), "horizon=" + d.Horizon.String(), "drain=false"}
	for _, w := range f.workloadsOf() {
		sets = append(sets, "workloads["+w.Name+"].arrivals.start_hour="+num(start))
	}
	return sets
}

// sliceSeed is the seed of a representative day's slice in a Monte Carlo
// sample: seed + (sample x days + day) x slices + slice.
//
// Each slice of each day has its own: slices sharing one drew the same
// random numbers at two loads alike, so their errors did not average out
// as the SAMPLING note assumes. Each sample has its own too: samples that
// shared them drew one simulation error for every future, so the P10..P90
// bands left it out (the built-in's first quarter read 86.0%..86.0%
// whatever its conversion multipliers). Variants and periods of a sample
// share them (common random numbers).
func (f *Forecast) sliceSeed(sample, day, slice int) uint64 {
	return f.Spec.Seed + uint64((sample*f.Spec.Day.Days+day)*f.Spec.Day.Slices+slice)
}

// sliceCentre is the hour of day at the middle of a slice: its share of
// the day and its simulated window are both centred on it.
func (f *Forecast) sliceCentre(slice int) float64 {
	d := f.Spec.Day
	return math.Mod(*d.StartHour+float64(slice)*24/float64(d.Slices), 24)
}

// sliceWindow is the span of hours a slice simulates (it may start before
// midnight: hours wrap).
func (f *Forecast) sliceWindow(slice int) (from, to float64) {
	c, half := f.sliceCentre(slice), f.Spec.Day.Horizon.Seconds()/7200
	return c - half, c + half
}

// sliceShare is the span of hours a slice stands for: 24 / slices.
func (f *Forecast) sliceShare(slice int) (from, to float64) {
	c, half := f.sliceCentre(slice), 12/float64(f.Spec.Day.Slices)
	return c - half, c + half
}

// SimHoursPerPeriod is the simulated time behind each period of a variant.
func (f *Forecast) SimHoursPerPeriod() float64 {
	d := f.Spec.Day
	return float64(d.Days*d.Slices) * d.Horizon.Seconds() / 3600
}

// Scale multiplies a period's simulated totals up to the period.
func (f *Forecast) Scale() float64 { return f.PeriodHours / f.SimHoursPerPeriod() }
