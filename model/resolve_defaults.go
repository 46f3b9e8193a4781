package model

import (
	"aiecon/model/econ"
	"aiecon/model/llm"
)

// The defaults pass: every zero that means "not given" gets its default,
// with no check and no look at the YAML (docs/scenarios.md lists them, and
// TestScenarioDefaultsMatchTheDocs checks it against what this code does).
// The validation pass runs on the result.

func (r *resolver) defaults() {
	sc := r.sc
	setIfZero(&sc.Seed, 1)
	setIfZero(&sc.Horizon, Hour)
	// The default window is a minute, or the whole horizon when that is
	// shorter: --horizon 30s alone was refused for a window nobody wrote.
	setIfZero(&sc.Window, min(Minute, max(sc.Horizon, Second)))
	for _, d := range []*llm.DType{&sc.Precision.Weights, &sc.Precision.Activations, &sc.Precision.KVCache} {
		setIfZero(d, llm.BF16)
		if p, err := llm.ParseDType(string(*d)); err == nil {
			*d = p // other spellings (bfloat16, awq) as the format's name, before the pools copy the precision
		}
	}
	if e := &sc.Precision.ExpertWeights; *e != "" { // no default: "" is the weights' format
		if p, err := llm.ParseDType(string(*e)); err == nil {
			*e = p
		}
	}
	r.fleetDefaults()
	r.poolDefaults()
	setIfZero(&sc.Router, "session-affinity")
	setIfZero(&sc.RouterLoadBound, 1.5)
	setIfZero(&sc.RouterLoadSlack, new(defaultRouterLoadSlack))
	for i := range sc.Workloads {
		r.workloadDefaults(&sc.Workloads[i])
	}
	r.adsDefaults()
	r.trainingDefaults()
	setIfZero(&sc.Output.RequestSampleRate, 1)
}

// setIfZero sets *v to def when it is the zero value.
func setIfZero[T comparable](v *T, def T) {
	var zero T
	if *v == zero {
		*v = def
	}
}

func (r *resolver) fleetDefaults() {
	f := &r.sc.Fleet
	setIfZero(&f.Count, 1)
	setIfZero(&f.Pricing, "on-demand")
	if f.Pricing == "spot" {
		if f.Spot == nil {
			s := NewSpot()
			f.Spot = &s
		}
	}
	r.replicaDefaults()
	if a := f.Autoscale; a != nil {
		setIfZero(&a.Min, 1)
		setIfZero(&a.Max, max(2*f.Count, a.Min))
		setIfZero(&a.Metric, "utilization")
		setIfZero(&a.Target, map[string]float64{"utilization": 0.7, "queue": 4}[a.Metric])
		setIfZero(&a.Interval, Minute)
	}
}

// neuronMaxModelLen caps the default max_model_len on Neuron: the sequence
// length NxD Inference compiles for by default.
const neuronMaxModelLen = 16384

func (r *resolver) replicaDefaults() {
	rp := &r.sc.Fleet.Replica
	// The instance's default scheduler comes from the catalog (the first it
	// lists); without an instance, vLLM.
	if r.haveInst && len(r.inst.Schedulers) > 0 {
		setIfZero(&rp.Scheduler, r.inst.Schedulers[0])
	}
	setIfZero(&rp.Scheduler, "vllm")
	vllm := rp.Scheduler == "vllm"
	if r.haveInst {
		setIfZero(&rp.TP, r.inst.Devices)
		if rp.TP > 0 && rp.TP <= r.inst.Devices {
			setIfZero(&rp.PerInstance, r.inst.Devices/rp.TP)
		}
	}
	setIfZero(&rp.MaxNumSeqs, pick(vllm, 256, 32))
	neuron := rp.Scheduler == "neuron" || rp.Scheduler == "neuron-chunked" // compiled shapes
	if r.haveArch && rp.MaxModelLen == 0 {
		rp.MaxModelLen = r.arch.MaxContext
		if neuron {
			rp.MaxModelLen = min(rp.MaxModelLen, neuronMaxModelLen)
		}
	}
	switch rp.Scheduler {
	case "vllm":
		setIfZero(&rp.MaxBatchedTokens, 8192)
	case "neuron-chunked":
		setIfZero(&rp.MaxBatchedTokens, min(8192, rp.MaxModelLen))
	default:
		setIfZero(&rp.MaxBatchedTokens, rp.MaxModelLen)
	}
	setIfZero(&rp.KVBlockTokens, pick(neuron, 32, 16)) // 32: Neuron's recommended block for block KV layout
	setIfZero(&rp.Admission, AdmissionOnDemand)
	setIfZero(&rp.KVMemoryFraction, 1)
	if rp.Speculative != nil {
		setIfZero(&rp.Speculative.K, 4)
	}
	// Written out, not left nil: the resolved scenario shows every default.
	setIfZero(&rp.PrefixCaching, new(true))
	if neuron {
		setIfZero(&rp.EnableBucketing, new(true))
	}
	if neuron && rp.MaxModelLen > 0 {
		r.bucketDefaults(rp)
	}
}

// bucketDefaults sets the Neuron schedulers' compiled shapes: one context
// and one sequence shape with enable_bucketing false, else powers of two
// from 128 (Neuron's automatic bucketing).
func (r *resolver) bucketDefaults(rp *Replica) {
	if rp.EnableBucketing != nil && !*rp.EnableBucketing {
		if len(rp.ContextBuckets)+len(rp.SequenceBuckets) > 0 && !r.bucketsAre(rp) {
			r.bucketConflict = true
			return
		}
		rp.ContextBuckets = []int{min(rp.MaxModelLen, rp.MaxBatchedTokens)}
		rp.SequenceBuckets = []int{rp.MaxModelLen}
		return
	}
	if len(rp.ContextBuckets) == 0 {
		rp.ContextBuckets = PowerOfTwoBuckets(128, min(rp.MaxModelLen, rp.MaxBatchedTokens))
	}
	if len(rp.SequenceBuckets) == 0 {
		rp.SequenceBuckets = PowerOfTwoBuckets(128, rp.MaxModelLen)
	}
}

func pick[T any](cond bool, yes, no T) T {
	if cond {
		return yes
	}
	return no
}

func (r *resolver) workloadDefaults(w *Workload) {
	batch := w.Class == ClassBatch
	if w.Priority == byClass {
		w.Priority = pick(batch, DefaultBatchPriority, 0)
	}
	if w.Price.BatchDiscount == byClass {
		w.Price.BatchDiscount = pick(batch, DefaultBatchDiscount, 0)
	}
	r.arrivalsDefaults(&w.Arrivals)
	if w.Class == ClassAgent && w.Agent == nil {
		a := NewAgent()
		w.Agent = &a
	}
	if w.Class == ClassAgent {
		r.agentDefaults(w.Agent)
	}
}

func (r *resolver) arrivalsDefaults(a *Arrivals) {
	if a.Process == "closed" && a.ThinkTime.IsZero() {
		a.ThinkTime = FixedDuration(0) // clients send again as soon as they are answered
	}
	setIfZero(&a.Process, pick(a.Trace != nil, "trace", "poisson"))
	if t := a.Trace; t != nil && a.Process == "trace" {
		setIfZero(&t.TimeScale, 1)
		setIfZero(&t.RateScale, 1)
		setIfZero(&t.Lengths, "trace")
	}
	if a.Diurnal.IsZero() {
		a.Diurnal.Name = "flat"
	}
	normaliseDiurnal(&a.Diurnal)
}

// normaliseDiurnal scales a valid custom profile to mean 1, so the rate
// stays the daily mean (the validation pass reports an invalid one).
func normaliseDiurnal(d *Diurnal) {
	if d.Name != "" || len(d.Points) != 24 {
		return
	}
	sum := 0.0
	for _, x := range d.Points {
		if x < 0 {
			return
		}
		sum += x
	}
	if sum > 0 {
		for i := range d.Points {
			d.Points[i] *= 24 / sum
		}
	}
}

func (r *resolver) agentDefaults(a *Agent) {
	if a.Steps.IsZero() {
		a.Steps = Dist{Kind: "poisson", Mean: 4}
	}
	if a.ToolLatency.IsZero() {
		a.ToolLatency = Dist{Kind: "lognormal", Median: 0.3, P99: 2, Seconds: true}
	}
	if a.ToolResultTokens.IsZero() {
		a.ToolResultTokens = Dist{Kind: "lognormal", Median: 200, P99: 2000}
	}
	if a.Patience.IsZero() {
		a.Patience = Dist{Kind: "lognormal", Median: 8, P99: 60, Seconds: true}
	}
	if a.PatienceOn == "" {
		a.PatienceOn = PatienceTTFT
	}
	if a.Value.LatencySensitive == nil {
		b := r.sc.Ads != nil
		a.Value.LatencySensitive = &b
	}
}

// DefaultAgent is the agent the defaults pass makes of one given no
// field, in a scenario with ads or without: a report compares a resolved
// agent with it to tell aiecon's assumptions from the scenario's.
func DefaultAgent(ads bool) Agent {
	sc := &Scenario{}
	if ads {
		sc.Ads = &Ads{}
	}
	a := NewAgent()
	(&resolver{sc: sc}).agentDefaults(&a)
	return a
}

func (r *resolver) adsDefaults() {
	ad := r.sc.Ads
	if ad == nil {
		return
	}
	if len(ad.Workloads) == 0 {
		for _, i := range r.sc.AgentWorkloads() {
			ad.Workloads = append(ad.Workloads, r.sc.Workloads[i].Name)
		}
	}
	setIfZero(&ad.Slots, 2)
	setIfZero(&ad.Bidders, 8)
	if ad.Bid.IsZero() {
		ad.Bid = Dist{Kind: "lognormal", Median: 0.9, P99: 4}
	}
	if ad.Relevance.IsZero() {
		ad.Relevance = Fixed(1)
	}
	setIfZero(&ad.Pricing, "cpc")
	setIfZero(&ad.CTR, econ.DefaultCTR)
	setIfZero(&ad.PositionDecay, 0.7)
}

func (r *resolver) trainingDefaults() {
	t := r.sc.Training
	if t == nil {
		return
	}
	setIfZero(&t.Every, 7*Day)
	r.trainingParams()
	setIfZero(&t.MFU, econ.DefaultTrainingMFU)
	setIfZero(&t.Where, "dedicated")
	setIfZero(&t.Instance, "trn1.32xlarge")
	setIfZero(&t.Instances, 16)
	setIfZero(&t.HalfLife, 30*Day)
	if t.AgeAtStart == AgeAtStartHalfPeriod {
		t.AgeAtStart = t.Every / 2
	}
	setIfZero(&t.LendBelow, 0.3)
	setIfZero(&t.ReclaimAbove, 0.6)
	setIfZero(&t.MinServing, 1)
	setIfZero(&t.Interval, Minute)
	setIfZero(&t.Kind, llm.FineTuneFull)
	setIfZero(&t.LoRARank, 16)
	setIfZero(&t.MicroBatchTokens, 4096)
	setIfZero(&t.StorageGBPerS, DefaultStorageGBPerS)
	setIfZero(&t.CheckpointEvery, Hour)
}

// trainingParams defaults training.params to the served model's total
// parameters and training.active_params to its active ones: an MoE's
// compute follows the experts a token is routed through, its memory every
// weight. A params given without active_params keeps the model's active
// share (1 for a dense model); without an architecture, params are active.
func (r *resolver) trainingParams() {
	t := r.sc.Training
	if !r.haveArch {
		setIfZero(&t.ActiveParams, t.Params)
		return
	}
	total, active := r.arch.Params()
	if t.Params == 0 {
		t.Params = total
	}
	switch {
	case t.ActiveParams != 0:
	case active == total: // dense: exactly params, no rounding
		t.ActiveParams = t.Params
	case total > 0:
		t.ActiveParams = t.Params * active / total
	}
}

// defaultRouterLoadSlack is router_load_slack's default, in requests
// (docs/model.md, "Prefix cache and routing", says how it was chosen).
const defaultRouterLoadSlack = 2

// maxRouterLoadSlack bounds router_load_slack: beyond it no fleet a
// scenario can describe would ever balance.
const maxRouterLoadSlack = 1_000_000
