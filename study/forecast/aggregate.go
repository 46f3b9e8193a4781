package forecast

import (
	"encoding/json"
	"maps"
	"math"
	"slices"

	"aiecon/model/econ"
	kpicat "aiecon/model/kpi"
	"aiecon/model/stats"
)

// Period is one period of one variant under one sample's inputs: the
// simulated representative days scaled to the period, plus the costs that
// do not depend on traffic (owned servers, flat and guaranteed licensing).
type Period struct {
	Variant string `json:"variant"`
	Sample  int    `json:"sample"`
	Period  int    `json:"period"`

	RevenueAPIUSD       float64 `json:"revenue_api_usd"`
	RevenueAgentFeesUSD float64 `json:"revenue_agent_fees_usd"`
	RevenueCommerceUSD  float64 `json:"revenue_commerce_usd"`
	RevenueAdsUSD       float64 `json:"revenue_ads_usd"`
	RevenueUSD          float64 `json:"revenue_usd"`
	// RevenueUnfinishedUSD is the part of RevenueUSD (and of its lines)
	// counted for the agent sessions still running at the slices' ends
	// (Unfinished); UnfinishedValueUSD what those sessions could still earn
	// served at once, the most they could add; LicensingUnfinishedUSD the
	// part of CostLicensingUSD counted for the steps they had left. A
	// report stored before they were counted reads 0.
	RevenueUnfinishedUSD   float64 `json:"revenue_unfinished_counted_usd"`
	UnfinishedValueUSD     float64 `json:"revenue_unfinished_usd"`
	LicensingUnfinishedUSD float64 `json:"licensing_unfinished_counted_usd"`

	CostRentUSD         float64 `json:"cost_rent_usd"`
	CostDepreciationUSD float64 `json:"cost_depreciation_usd"`
	CostPowerUSD        float64 `json:"cost_power_usd"`
	CostFacilityOpsUSD  float64 `json:"cost_facility_ops_usd"`
	CostLicensingUSD    float64 `json:"cost_licensing_usd"`
	// CostLicensingUSD by kind of charge, which add up to it: the per-use
	// fees the sessions caused (per-document and revenue shares, a
	// guarantee's documents and the unfinished sessions' steps too), the
	// flat fees in force, and the minimum guarantees' top-ups the period
	// books, by contract in LicensingTrueUpBy. LICENSE lumped them, so a
	// flat fee's start or a guarantee's $874k top-up could not be told
	// from the fees. A report stored before they were kept reads 0.
	LicensingPerUseUSD float64            `json:"licensing_per_use_usd,omitempty"`
	LicensingFlatUSD   float64            `json:"licensing_flat_usd,omitempty"`
	LicensingTrueUpUSD float64            `json:"licensing_true_up_usd,omitempty"`
	LicensingTrueUpBy  map[string]float64 `json:"licensing_true_up_by_contract,omitempty"`
	CostTrainingUSD    float64            `json:"cost_training_usd"`
	CostUSD            float64            `json:"cost_usd"`

	// Gross margin is revenue less the cost of serving it (infrastructure
	// and licensing); operating margin also takes off training.
	GrossMarginUSD     float64 `json:"gross_margin_usd"`
	GrossMargin        Ratio   `json:"gross_margin"`
	OperatingMarginUSD float64 `json:"operating_margin_usd"`
	OperatingMargin    Ratio   `json:"operating_margin"`

	MTok float64 `json:"mtok"`
	// CostPerMTokUSD is every cost (infrastructure, licensing and training)
	// per million tokens billed (cached prompt tokens too), as the run KPI of that name counts it;
	// CostPerMTokInfraUSD only the infrastructure's (rent, depreciation,
	// power, facility and operations), what the fleets alone cost. The
	// forecast's cost_per_mtok_usd was the latter, so one name meant two
	// things in one store (owned-trn2's quarter 5: $317k against $359k).
	CostPerMTokUSD      Ratio `json:"cost_per_mtok_usd"`
	CostPerMTokInfraUSD Ratio `json:"cost_per_mtok_infra_usd"`
	OwnedServers        int   `json:"owned_servers"`
	// InstancesAvg are the instances the runs ran on average, owned and
	// rented: a reserved fleet's idle reservations (ReservedIdle), paid in
	// CostRentUSD, are not among them.
	InstancesAvg float64 `json:"instances_avg"`
	// InstancesSliceMin and InstancesSliceMax are the fewest and the most
	// instances a slice paid for on average (its runs' instances_avg), so
	// that a note on a rented fleet can say what it paid for, not the
	// procurement bounds, and tell a fleet that followed the day's curve
	// (slices of a day that differ) from one that held a count all day.
	// Absent from a report stored before they were kept.
	InstancesSliceMin float64 `json:"instances_slice_min,omitempty"`
	InstancesSliceMax float64 `json:"instances_slice_max,omitempty"`
	// InstancesSized is what a rented fleet's demand asked for before each
	// slice's count was rounded up to whole instances (fleet.count x the
	// slice's demand within min..max), averaged over the slices: INST over
	// it is what rounding adds (the WHOLE INSTANCES note). Absent for an
	// owned fleet and from a report stored before it was kept.
	InstancesSized float64 `json:"instances_sized,omitempty"`
	// Headroom is the share of the busiest slice's admitting capacity left
	// free: 1 - the larger of its batch occupancy and its KV cache's
	// (slotsOrKVHeld).
	Headroom      Ratio `json:"headroom"`
	SLOAttainment Ratio `json:"slo_attainment"`
	// SessionAbandon is the share of agent sessions that ended abandoned,
	// pooled over the slices: SLO attainment counts requests, so a fleet
	// whose users give up on slow sessions kept 100% there.
	SessionAbandon Ratio `json:"session_abandon_rate"`
	// SessionFail is the part of SessionAbandon the fleet failed (a call
	// dropped or timed out: the run KPI sessions_failed over the same
	// ended sessions), so that a forecast tells a fleet short of queue room
	// from users short of patience. Undefined (NaN, null) where a slice's
	// run counted abandoned sessions but not the failed ones, and on a
	// report stored before it was kept (UnmarshalJSON): unknown, not 0.
	SessionFail Ratio `json:"session_fail_rate"`
	// SessionsLostToLatencyUSD is the revenue the slices' agent sessions
	// lost to latency against an instantaneous model (abandoned sessions,
	// ads' latency penalty), scaled to the period: what the abandonment note
	// weighs, since the users' patience decides it. It is the run's
	// revenue_lost_to_latency_usd less the API and batch requests dropped or
	// timed out, which no patience decides; it was stored under that KPI's
	// name, which now reads the larger figure (UnmarshalJSON reads it back).
	SessionsLostToLatencyUSD float64 `json:"sessions_revenue_lost_to_latency_usd"`
	// RequestsDone are every workload's completed requests, as the run KPI
	// requests_completed counts them; SessionsEnded the agent sessions
	// completed or abandoned.
	RequestsDone  float64 `json:"requests_completed"`
	SessionsEnded float64 `json:"sessions_ended"`
	// AgentRequestsArrived and SessionsStarted are the populations per-use
	// licensing is charged on, the denominators of LicensingPerReq and
	// LicensingPerSes: every model call the agent sessions sent, served or
	// not, and every session started, those still running at a slice's end
	// too. A report stored before they were kept reads 0.
	AgentRequestsArrived float64 `json:"agent_requests_arrived"`
	SessionsStarted      float64 `json:"sessions_started"`
	// LicensingPerReq and LicensingPerSes are the per-use licensing the
	// runs simulate (per-document fees and revenue shares, those of a
	// minimum guarantee's documents too) per agent request arrived (a
	// session's model call: its documents are licensed as it is sent) and
	// per agent session started: the sessions' retrievals cause it. An
	// identical contract reads the same per request on every fleet; over
	// the completed requests it read dearer where more users gave up. Flat
	// fees and a guarantee's top-up, which no session causes, are in
	// CostLicensingUSD only.
	LicensingPerReq Ratio `json:"licensing_per_request_usd"`
	LicensingPerSes Ratio `json:"licensing_per_session_usd"`
	// CommerceEvents and AdsEvents are how many independent simulated
	// events of equal value the commerce and ads lines are worth, pooled
	// over the slices ((sum x)^2 / sum x^2 over the sessions' amounts x,
	// unscaled): a line is known to about 1/sqrt(n) of itself.
	CommerceEvents float64 `json:"commerce_effective_events"`
	AdsEvents      float64 `json:"ads_effective_events"`
	// AgentFeeEvents and TokenEvents are the same for the agent fees and
	// the token sales, from the slices' counts, unscaled: a fee is paid per
	// completed session, so the sessions completed; tokens are billed per
	// request, but an agent session's calls arrive together, so the other
	// workloads' requests completed (the requests completed less the
	// agent calls arrived, a lower bound) plus the agent sessions ended.
	// A report stored before they were kept reads 0: not checked.
	AgentFeeEvents float64 `json:"agent_fee_events,omitempty"`
	TokenEvents    float64 `json:"token_events,omitempty"`
	// TrainingLentShare is the share of the simulated replica-hours spent
	// training a fleet-idle retrain (0 without one); replicas lent but still
	// draining or switching count in neither part.
	TrainingLentShare float64 `json:"training_lent_share"`
	// TrainingIdleCoverage is the share of the period's fleet-idle retrain
	// work that the lent replicas trained (the rest is in TRAIN, billed on
	// the dedicated cluster): the slices' coverages weighted by what each
	// owed (its quota). Undefined (null) without a fleet-idle retrain.
	TrainingIdleCoverage Ratio `json:"training_idle_coverage"`
	// Freshness is the mean multiplier the model's freshness put on
	// click-through and conversion over the simulated slices; null where
	// the period's scenario has no training block, so that freshness is not
	// modelled (the base figures are taken as they are): a forecast that
	// mixes the two is warned about (Report.FreshnessNote).
	Freshness *float64 `json:"freshness"`
	// FreshnessMultipliesNothing says the period's training block
	// multiplies nothing it earns (no ads, no conversion; every run's
	// RunResult.FreshnessInert), so its ads and commerce are what they
	// would be without one and FreshnessNote leaves it out. Absent from a
	// report stored before it was, which reads as multiplying, as then.
	FreshnessMultipliesNothing bool `json:"freshness_multiplies_nothing,omitempty"`
	// TrainingRetrainHours and TrainingPerRetrainUSD are one retrain's
	// duration and cost on the dedicated cluster, as the runs report them
	// (training_retrain_hours, training_cost_per_retrain_usd); 0 without
	// training.
	TrainingRetrainHours  float64 `json:"training_retrain_hours,omitempty"`
	TrainingPerRetrainUSD float64 `json:"training_cost_per_retrain_usd,omitempty"`
	// ReservedIdle and ReservedIdleUSD are the instances a rented fleet at
	// the reserved rate holds, reserved for a busier period earlier in the
	// term, without running them (averaged over the period, as INST is),
	// and what they cost (never below 0): a reservation is paid to its
	// term's end, so CostRentUSD includes ReservedIdleUSD (reservedIdle). 0
	// elsewhere, and in a report stored before they were kept (whose RENT
	// left them out). With a model mix they add up the main fleet's and the
	// pools' at the reserved rate, and ReservedIdlePools gives each pool's
	// part, by pool name (none where no pool holds any idle).
	// ReservedRepricedUSD is what billing the instances run on demand on a
	// reservation at its rate changes the runs' rent by
	// (IdleReservation.RepricedUSD, below 0 where on-demand is dearer), which
	// CostRentUSD includes too. A report stored before
	// Report.ReservedIdleGross held their sum in ReservedIdleUSD
	// (storedReport takes the repricing back out).
	ReservedIdle        float64                    `json:"reserved_idle_instances,omitempty"`
	ReservedIdleUSD     float64                    `json:"reserved_idle_usd,omitempty"`
	ReservedIdlePools   map[string]IdleReservation `json:"reserved_idle_pools,omitempty"`
	ReservedRepricedUSD float64                    `json:"reserved_repriced_usd,omitempty"`
	// ReservedUpfrontUSD is what paying the reservations all up front
	// changes RENT by (IdleReservation.UpfrontUSD): a term's cost where one
	// is bought, less the hourly charges of those held; 0 unpaid up front.
	ReservedUpfrontUSD float64 `json:"reserved_upfront_usd,omitempty"`
	// ReservedBeyondUSD is the part of ReservedUpfrontUSD booked for
	// periods after the forecast's last (IdleReservation.BeyondUSD).
	ReservedBeyondUSD float64 `json:"reserved_upfront_beyond_horizon_usd,omitempty"`

	// Demand is each workload's demand in the period under the sample's
	// draws (Forecast.demand): growth, price ratio, elasticity and the
	// volume they make, so that a price step and the volume it moved can
	// be traced. A report stored before it was kept has none.
	Demand []WorkloadDemand `json:"demand,omitempty"`

	RunIDs []string `json:"run_ids,omitempty"`
}

// WorkloadDemand is one workload's Demand in a period, by name.
type WorkloadDemand struct {
	Workload   string  `json:"workload"`
	Growth     float64 `json:"growth"`      // demand multiplier before the price response
	PriceRatio float64 `json:"price_ratio"` // p / p0: the plan's step times the price draw
	Elasticity float64 `json:"elasticity"`  // 0: inelastic
	Volume     float64 `json:"volume"`      // growth x price_ratio^elasticity, on the base scenario's rate
}

// extensive are the whole-run KPIs that add up over time and scale to the period.
var extensive = []string{kpicat.RevenueAPIUSD, kpicat.RevenueAgentFeesUSD, kpicat.RevenueCommerceUSD, kpicat.RevenueAdsUSD,
	kpicat.CostInstancesUSD, kpicat.CostTrainingUSD, kpicat.CostLicensingUSD, kpicat.RequestsCompleted,
	kpicat.SessionsStarted, kpicat.SessionsCompleted, kpicat.SessionsAbandoned, kpicat.SessionsFailed}

// failRate is the period's session_fail_rate from its runs' summed KPIs
// (sum): NaN where a run counts abandoned sessions but not the failed
// ones, since a run result without sessions_failed (a simulator before
// the KPI) would read as failing none, and the rate would be too low.
func failRate(runs []RunResult, sum map[string]float64) Ratio {
	for _, r := range runs {
		_, abandoned := r.KPIs[kpicat.SessionsAbandoned]
		if _, failed := r.KPIs[kpicat.SessionsFailed]; abandoned && !failed {
			return Ratio(math.NaN())
		}
	}
	return safeDiv(sum[kpicat.SessionsFailed], sum[kpicat.SessionsCompleted]+sum[kpicat.SessionsAbandoned])
}

// Aggregate turns run results into periods, one per variant, sample and
// period, in that order.
func Aggregate(f *Forecast, runs []RunResult) []Period {
	groups := map[groupKey][]RunResult{}
	var order []groupKey
	for _, r := range runs {
		k := groupKey{r.Variant, r.Sample, r.Period}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], r)
	}
	topUps := f.guaranteeTopUps(groups)
	out := make([]Period, 0, len(order))
	idle := f.reservedIdle(poolsPaid(groups))
	inputs := f.samples()
	for _, k := range order {
		var topUp float64
		for _, c := range slices.Sorted(maps.Keys(topUps[k])) { // a fixed order, for the same sum every time
			topUp += topUps[k][c]
		}
		p := f.period(k.v, k.s, k.k, groups[k], topUp, idle[[3]int{k.v, k.s, k.k}])
		p.LicensingTrueUpBy = topUps[k]
		if k.s >= 0 && k.s < len(inputs) {
			p.Demand = f.periodDemand(f.Variants[k.v], inputs[k.s], k.k)
		}
		out = append(out, p)
	}
	return out
}

// periodDemand is each workload's demand in a variant's period under a
// sample's inputs, as periodSets priced and scaled its runs.
func (f *Forecast) periodDemand(vp *VariantPlan, in Inputs, k int) []WorkloadDemand {
	var out []WorkloadDemand
	for _, w := range f.workloadsIn(vp, k) {
		d := f.demand(w, in, k)
		out = append(out, WorkloadDemand{Workload: w.Name, Growth: d.Growth, PriceRatio: d.PriceRatio, Elasticity: d.Elasticity, Volume: d.Volume})
	}
	return out
}

// period scales one period's runs. Every simulated hour stands for
// Scale() hours of the period. topUp is the minimum guarantees' true-up
// the period books (guaranteeTopUps). RENT adds what the fleet pays for
// reservations it holds and does not run (idle), which no run sees.
func (f *Forecast) period(v, sample, k int, runs []RunResult, topUp float64, idle IdleReservation) Period {
	vp := f.Variants[v]
	scale := f.Scale()
	sum := map[string]float64{}
	var tokens, ended, sloMet, rent, paidHours, peakOcc, lentHours, replicaHours float64
	var lostToLatency, agentArrivals float64
	var commerceSq, adsSq float64 // the slices' sums of squares, for the pooled effective events
	unfinished, unfinishedLicensing := sumUnfinished(runs)
	p := Period{Variant: vp.Name, Sample: sample, Period: k}
	for _, r := range runs {
		for _, name := range extensive {
			sum[name] += r.KPIs[name]
		}
		simS := r.SimHours * 3600
		// Tokens billed as run counts them (cost_per_mtok_usd): every
		// prompt token, those found in the prefix cache too, plus output.
		tokens += r.KPIs[kpicat.InputTokensPrefilled] + r.KPIs[kpicat.InputTokensCached] + r.KPIs[kpicat.OutputTokensPerS]*simS
		// SLO attainment's own denominator (slo_requests), so that the
		// pooled figure is the share over all the slices' requests under
		// an SLO. A slice whose workloads set no SLO has no attainment and
		// adds nothing to it.
		if att := r.KPIs[kpicat.SLOAttainment]; !math.IsNaN(att) {
			e := r.KPIs[kpicat.SLORequests]
			ended += e
			sloMet += att * e
		}
		rent += rentedUSD(r)
		agentArrivals += r.AgentRequestsArrived
		lostToLatency += nanZero(r.KPIs[kpicat.RevenueLostToLatencyUSD]) - r.RequestsLostUSD
		paidHours += r.KPIs[kpicat.InstancesAvg] * r.SimHours
		p.sliceInstances(r.KPIs[kpicat.InstancesAvg])
		lentHours += nanZero(r.KPIs[kpicat.TrainingReplicaHours])
		replicaHours += nanZero(r.KPIs[kpicat.ReplicasUpAvg]) * r.SimHours
		peakOcc = math.Max(peakOcc, slotsOrKVHeld(r.KPIs))
		p.TrainingRetrainHours = math.Max(p.TrainingRetrainHours, nanZero(r.KPIs[kpicat.TrainingRetrainHours]))
		p.TrainingPerRetrainUSD = math.Max(p.TrainingPerRetrainUSD, nanZero(r.KPIs[kpicat.TrainingCostPerRetrainUSD]))
		commerceSq += sumOfSquares(r.KPIs[kpicat.RevenueCommerceUSD], r.KPIs[kpicat.RevenueCommerceEvents])
		adsSq += sumOfSquares(r.KPIs[kpicat.RevenueAdsUSD], r.KPIs[kpicat.RevenueAdsEvents])
		if r.RunID != "" {
			p.RunIDs = append(p.RunIDs, r.RunID)
		}
	}
	p.revenueLines(sum, unfinished, scale)
	p.CostRentUSD = cancelled(rent*scale, idle.USD, idle.RepricedUSD, idle.UpfrontUSD)
	p.ReservedIdle, p.ReservedIdleUSD, p.ReservedIdlePools = idle.Instances, idle.USD, idle.Pools
	p.ReservedRepricedUSD, p.ReservedUpfrontUSD, p.ReservedBeyondUSD = idle.RepricedUSD, idle.UpfrontUSD, idle.BeyondUSD
	p.SessionsLostToLatencyUSD = lostToLatency * scale
	p.CostTrainingUSD = sum[kpicat.CostTrainingUSD] * scale
	perUseLicensing := sum[kpicat.CostLicensingUSD] * scale
	p.licensing(perUseLicensing, unfinishedLicensing*scale, f.flatFees(k), topUp)
	f.ownedCosts(vp, k, &p)
	infra := p.CostRentUSD + p.CostDepreciationUSD + p.CostPowerUSD + p.CostFacilityOpsUSD
	p.CostUSD = infra + p.CostLicensingUSD + p.CostTrainingUSD
	p.GrossMarginUSD = p.RevenueUSD - infra - p.CostLicensingUSD
	p.OperatingMarginUSD = p.GrossMarginUSD - p.CostTrainingUSD
	p.GrossMargin = Ratio(econ.GrossMarginFrac(p.RevenueUSD, infra+p.CostLicensingUSD))
	p.OperatingMargin = Ratio(econ.GrossMarginFrac(p.RevenueUSD, p.CostUSD))
	p.MTok = tokens * scale / 1e6
	p.CostPerMTokUSD = Ratio(econ.CostPerMTokUSD(p.CostUSD, int64(tokens*scale)))
	p.CostPerMTokInfraUSD = Ratio(econ.CostPerMTokUSD(infra, int64(tokens*scale)))
	p.InstancesAvg = paidHours / f.SimHoursPerPeriod()
	p.InstancesSized = sizedInstances(runs)
	p.Headroom = Ratio(1 - peakOcc)
	p.SLOAttainment = safeDiv(sloMet, ended)
	p.RequestsDone = sum[kpicat.RequestsCompleted] * scale
	p.SessionsEnded = (sum[kpicat.SessionsCompleted] + sum[kpicat.SessionsAbandoned]) * scale
	p.SessionAbandon = safeDiv(sum[kpicat.SessionsAbandoned], sum[kpicat.SessionsCompleted]+sum[kpicat.SessionsAbandoned])
	p.SessionFail = failRate(runs, sum)
	p.samplingEvents(sum, commerceSq, adsSq, agentArrivals)
	if lentHours > 0 {
		p.TrainingLentShare = lentHours / (lentHours + replicaHours)
	}
	p.TrainingIdleCoverage = idleCoverage(vp, k, runs)
	p.Freshness = meanFreshness(runs)
	p.FreshnessMultipliesNothing = freshnessInert(runs)
	p.unitLicensing(perUseLicensing, agentArrivals*scale, sum[kpicat.SessionsStarted]*scale)
	return p
}

// licensing splits LICENSE into the per-use fees (with those of the calls
// left unfinished at the horizon), the flat fees and the guarantees'
// top-up, which add up to it.
func (p *Period) licensing(perUse, unfinished, flat, topUp float64) {
	p.LicensingUnfinishedUSD = unfinished
	p.LicensingPerUseUSD = perUse + unfinished
	p.LicensingFlatUSD, p.LicensingTrueUpUSD = flat, topUp
	p.CostLicensingUSD = p.LicensingPerUseUSD + p.LicensingFlatUSD + p.LicensingTrueUpUSD
}

// samplingEvents sets the independent simulated events each revenue line
// rests on (the SAMPLING note's n), from the slices' summed KPIs, the sums
// of squares of their commerce and ads amounts and the agent calls
// arrived, all unscaled.
func (p *Period) samplingEvents(sum map[string]float64, commerceSq, adsSq, agentArrivals float64) {
	p.CommerceEvents = stats.EffectiveEvents(sum[kpicat.RevenueCommerceUSD], commerceSq)
	p.AdsEvents = stats.EffectiveEvents(sum[kpicat.RevenueAdsUSD], adsSq)
	p.AgentFeeEvents = sum[kpicat.SessionsCompleted]
	p.TokenEvents = math.Max(sum[kpicat.RequestsCompleted]-agentArrivals, 0) + sum[kpicat.SessionsCompleted] + sum[kpicat.SessionsAbandoned]
}

// sumUnfinished adds up what the runs' unfinished sessions are counted
// for; licensingUSD is their licensing in all (guaranteeTopUps weighs it
// by workload against a minimum guarantee).
func sumUnfinished(runs []RunResult) (u Unfinished, licensingUSD float64) {
	for _, r := range runs {
		for i, usd := range r.Unfinished.Lines {
			u.Lines[i] += usd
		}
		u.ValueUSD += r.Unfinished.ValueUSD
		for _, w := range slices.Sorted(maps.Keys(r.Unfinished.Licensing)) { // a fixed order, for the same sum every time
			licensingUSD += r.Unfinished.Licensing[w]
		}
	}
	return u, licensingUSD
}

// sizedInstances is the runs' RentedSized averaged over their simulated
// hours (the slices run alike long); 0 for an owned fleet's.
func sizedInstances(runs []RunResult) float64 {
	var sum, hours float64
	for _, r := range runs {
		sum += r.RentedSized * r.SimHours
		hours += r.SimHours
	}
	if hours == 0 {
		return 0
	}
	return sum / hours
}

// revenueLines sets the period's revenue by line and in all from the
// slices' sums and what their unfinished sessions are counted for (by
// line, Unfinished.Lines), each simulated hour standing for scale hours.
func (p *Period) revenueLines(sum map[string]float64, u Unfinished, scale float64) {
	unfinished := u.Lines
	p.UnfinishedValueUSD = u.ValueUSD * scale
	p.RevenueAPIUSD = (sum[kpicat.RevenueAPIUSD] + unfinished[lineTokens]) * scale
	p.RevenueAgentFeesUSD = (sum[kpicat.RevenueAgentFeesUSD] + unfinished[lineFees]) * scale
	p.RevenueCommerceUSD = (sum[kpicat.RevenueCommerceUSD] + unfinished[lineCommerce]) * scale
	p.RevenueAdsUSD = (sum[kpicat.RevenueAdsUSD] + unfinished[lineAds]) * scale
	p.RevenueUSD = p.RevenueAPIUSD + p.RevenueAgentFeesUSD + p.RevenueCommerceUSD + p.RevenueAdsUSD
	p.RevenueUnfinishedUSD = (unfinished[lineTokens] + unfinished[lineFees] + unfinished[lineCommerce] + unfinished[lineAds]) * scale
}

// unitLicensing sets the per-use licensing per agent request arrived and
// per agent session started (LicensingPerReq, LicensingPerSes): the
// populations it is charged on. Per session ended, the unfinished
// sessions' licensing was counted without them. It is the licensing the
// runs simulated, without what is counted for the steps the unfinished
// sessions had left (LicensingUnfinishedUSD), whose requests never arrived.
func (p *Period) unitLicensing(perUseUSD, agentRequestsArrived, sessionsStarted float64) {
	p.AgentRequestsArrived, p.SessionsStarted = agentRequestsArrived, sessionsStarted
	p.LicensingPerReq = safeDiv(perUseUSD, agentRequestsArrived)
	p.LicensingPerSes = safeDiv(perUseUSD, sessionsStarted)
}

// UnmarshalJSON reads a period as stored, and a report stored when the
// sessions' lost to latency was keyed revenue_lost_to_latency_usd (the
// run KPI's name, which counts API and batch drops too) under its own key,
// so that compare --forecast still gives that forecast's abandonment note.
// A report stored before session_fail_rate was kept reads it NaN, not 0.
func (p *Period) UnmarshalJSON(b []byte) error {
	type plain Period // without this method
	var v struct {
		plain
		Legacy *float64 `json:"revenue_lost_to_latency_usd"`
	}
	v.SessionFail = Ratio(math.NaN()) // kept where the key is absent
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*p = Period(v.plain)
	if v.Legacy != nil { // only a report stored before the rename has it
		p.SessionsLostToLatencyUSD = *v.Legacy
	}
	return nil
}

// sliceInstances widens the period's range of a slice's paid instances
// to take in one run's; a run that reports none leaves it.
func (p *Period) sliceInstances(n float64) {
	if math.IsNaN(n) || n <= 0 {
		return
	}
	if p.InstancesSliceMax == 0 || n < p.InstancesSliceMin {
		p.InstancesSliceMin = n
	}
	p.InstancesSliceMax = math.Max(p.InstancesSliceMax, n)
}

// slotsOrKVHeld is the share of a slice's admitting capacity in use: a new
// request needs a batch slot and KV blocks for its context, so the fuller
// of the two binds (aiecon run warns of a KV cache full with slots free,
// kvBound). Busy time is not counted: a replica iterates whenever any
// request is in flight, so on a continuous-batching GPU it reads near 100%
// from light load up (the built-in's rented p5en at 7% of its slots:
// 99.96%), and under the neuron scheduler too (the built-in's owned trn2
// in quarter 12, 99.7% busy at 22% of its slots, still iterates 98% of
// the time on twice the servers, and saturates its slots only at about
// 2.9 times the load). Neither does it measure how far demand can grow:
// occupancy grows faster than load, as steps slow with more sequences
// in flight (that trn2 slice's 22% came to 69% at twice the load).
func slotsOrKVHeld(kpis map[string]float64) float64 {
	return math.Max(nanZero(kpis[kpicat.BatchOccupancy]), nanZero(kpis[kpicat.KVUtilization]))
}

// rentedUSD is what a run paid for rented instances: its instance cost
// less its owned servers' hours at the price it paid for them. That is
// their owned cost where the run paid it (Job.OwnedPriced), so that
// pools rented beside the main fleet are counted at their own price, else
// the run's price per instance-hour (the fleet's rental price; the mean over
// the pools with a model mix). ownedCosts charges the owned servers.
func rentedUSD(r RunResult) float64 {
	price := r.KPIs[kpicat.PricePerInstanceHourUSD]
	if r.OwnedPriced { // 0 included: servers that cost nothing an hour
		price = r.OwnedUSDPerHour
	}
	owned := float64(r.OwnedServers) * r.SimHours * price
	if extra := r.KPIs[kpicat.CostInstancesUSD] - owned; extra > 1e-9*owned { // not rounding residue
		return extra
	}
	return 0
}

// idleCoverage is the share of a period's fleet-idle retrain work that the
// lent replicas trained: each slice's coverage weighted by the work it owed,
// its quota (the slices run alike long). NaN where the period does not
// train on the fleet.
func idleCoverage(vp *VariantPlan, k int, runs []RunResult) Ratio {
	if !vp.idleIn(k) {
		return Ratio(math.NaN())
	}
	var owed, trained float64
	for _, r := range runs {
		owed += r.TrainingQuota
		trained += r.TrainingQuota * nanZero(r.KPIs[kpicat.TrainingIdleCoverage])
	}
	return safeDiv(trained, owed)
}

// meanFreshness is the runs' freshness multiplier averaged over their
// simulated hours; nil when none of them models freshness.
func meanFreshness(runs []RunResult) *float64 {
	var sum, hours float64
	for _, r := range runs {
		if r.Freshness != nil {
			sum += *r.Freshness * r.SimHours
			hours += r.SimHours
		}
	}
	if hours == 0 {
		return nil
	}
	mean := sum / hours
	return &mean
}

// freshnessInert says some of the runs have a training block and none of
// those has freshness multiply anything it earns.
func freshnessInert(runs []RunResult) bool {
	trains := false
	for _, r := range runs {
		if r.Freshness != nil && !r.FreshnessInert {
			return false
		}
		trains = trains || r.Freshness != nil
	}
	return trains
}

// ownedCosts charges an owned fleet's servers for the whole period, busy
// or idle: each cohort's depreciation at its age, and power, facility and
// operations per server-hour.
func (f *Forecast) ownedCosts(vp *VariantPlan, k int, p *Period) {
	if vp.Owned == nil {
		return
	}
	o := vp.Owned.Ownership
	for _, c := range vp.Cohorts {
		if c.Period > k {
			continue
		}
		age := float64(k-c.Period) * f.PeriodYears
		p.CostDepreciationUSD += float64(c.Servers) * o.DepreciationUSD(age, age+f.PeriodYears)
	}
	n := vp.Servers[k-1]
	hours := float64(n) * f.PeriodHours
	p.OwnedServers = n
	p.CostPowerUSD = hours * o.PowerUSDPerHour()
	p.CostFacilityOpsUSD = hours * (o.FacilityUSDPerHour() + o.OpsUSDPerHour())
}

// flatFees are the flat licensing fees of period k, which the simulator
// does not see (a minimum guarantee's top-up is guaranteeTopUps').
func (f *Forecast) flatFees(k int) float64 {
	var usd float64
	for _, c := range f.Spec.Licensing {
		if c.Kind == econ.ContractFlat && max(c.From, 1) <= k {
			usd += econ.FlatFeeUSD(c.AnnualUSD, f.PeriodYears)
		}
	}
	return usd
}

func nanZero(x float64) float64 {
	if math.IsNaN(x) {
		return 0
	}
	return x
}

func safeDiv(a, b float64) Ratio {
	if b == 0 {
		return Ratio(math.NaN())
	}
	return Ratio(a / b)
}

// Ratio is a derived figure that is undefined (NaN) when its denominator is
// zero, e.g. a margin without revenue; it is null in JSON.
type Ratio float64

// MarshalJSON writes NaN and infinities as null.
func (r Ratio) MarshalJSON() ([]byte, error) {
	if math.IsNaN(float64(r)) || math.IsInf(float64(r), 0) {
		return []byte("null"), nil
	}
	return json.Marshal(float64(r))
}

// UnmarshalJSON reads null back as NaN, so that a stored report read again
// (compare --forecast reads its notes) keeps an undefined figure undefined
// rather than 0.
func (r *Ratio) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*r = Ratio(math.NaN())
		return nil
	}
	return json.Unmarshal(b, (*float64)(r))
}

// sumOfSquares recovers a run's sum of squared per-session amounts from its
// line and effective events n = (sum x)^2 / sum x^2 (zero without either).
func sumOfSquares(line, n float64) float64 {
	if !(n > 0) || math.IsNaN(line) {
		return 0
	}
	return line * line / n
}

// cancelled sums terms that may cancel exactly in arithmetic, as a period
// paid all up front does (its runs' rent, the repricing, the idle part and
// the hourly charges prepaid), and gives 0 where what is left is rounding
// residue, a billionth of the terms or less: RENT read -7.28e-12 in the
// table, the JSON and forecast_periods.
func cancelled(terms ...float64) float64 {
	var sum, size float64
	for _, t := range terms {
		sum += t
		size += math.Abs(t)
	}
	if math.Abs(sum) <= 1e-9*size {
		return 0
	}
	return sum
}
