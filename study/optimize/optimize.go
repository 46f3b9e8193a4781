package optimize

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/goccy/go-yaml"

	"aiecon/data"
	"aiecon/hw"
	"aiecon/model"
	"aiecon/model/kpi"
	"aiecon/runner"
	"aiecon/study"
)

// The fleet optimizer: for a scenario's traffic and SLOs, find the cheapest
// fleet (instance type x TP degree x max_num_seqs x instance count) whose
// SLO attainment meets a target for every workload with an SLO, or the
// fleet with the highest margin. Candidates (type, tp, max_num_seqs) that
// cannot hold the model are pruned before anything runs; for each of the
// others the instance count is found by bisection (search.go). Every
// evaluated configuration is a point of one stored sweep whose frozen
// specification zips exactly the evaluated configurations, so
// `aiecon sweep --show` reads it like any sweep.

// Objectives.
const (
	ObjectiveCost   = "cost"   // cheapest fleet (instances' cost per hour) meeting the SLO target
	ObjectiveMargin = "margin" // highest margin among fleets meeting the SLO target
)

// Options describe an optimization.
type Options struct {
	Base study.Base // the scenario whose traffic and SLOs the fleet must serve
	Sets []string   // overrides applied to the scenario first
	// Instances are the candidate types; nil means every catalog instance
	// with a known price for the scenario's pricing.
	Instances []string
	// TP degrees to try; nil means every degree the instance supports.
	TP []int
	// MaxNumSeqs candidates; nil means three per candidate: the scenario's
	// value on its own accelerator family (the scheduler's default on the
	// others), half of it and twice it.
	MaxNumSeqs []int
	Objective  string // ObjectiveCost (default) or ObjectiveMargin
	// SLOTarget is the attainment every workload with an SLO must reach; 0
	// means no constraint (the CLI's default is DefaultSLOTarget).
	SLOTarget float64
	// MaxSessionAbandon, when set, is the highest session abandon rate
	// (session_abandon_rate) any agent workload may have; nil means no
	// limit. It is not on by default: users give up on some sessions at any
	// fleet size (their patience), so no fraction suits every scenario, and
	// one below what the largest fleet reaches would leave no fleet feasible.
	// Per workload, as SLO attainment is: a small agent workload's
	// abandonment would hide in a run-wide rate dominated by a larger one.
	MaxSessionAbandon *float64
	// MaxCount bounds the instance count searched; default DefaultMaxCount.
	MaxCount int
	// Horizon of each evaluation; 0 means the scenario's, at most DefaultEvalHorizon.
	Horizon      model.Duration
	Replications int // runs per configuration, averaged; default 1
	Workers      int
	Store        *data.Store // where Run stores the sweep; Prepare does not read it
	Version      string
	// Progress is called after each round of evaluations.
	Progress func(Round)
	// Planned, when set, is called with the search's size once the
	// candidates are pruned, before round 1 (a search past study.MaxRuns
	// is refused there).
	Planned func(Estimate)
	// RunProgress, when set, is called after each run of a round ends
	// (study.Options.Progress): a round of many replications runs for
	// minutes before Progress.
	RunProgress func(round int, p study.Progress)
}

// maxNumSeqsLimit is the largest max_num_seqs a scenario accepts.
const maxNumSeqsLimit = 4096

// Defaults of Options.
const (
	DefaultMaxCount    = 256
	DefaultSLOTarget   = kpi.DefaultSLOTarget
	DefaultEvalHorizon = 10 * model.Minute
)

// Layout is a candidate fleet layout without its size.
type Layout struct {
	Instance   string
	TP         int
	MaxNumSeqs int
}

func (c Layout) String() string {
	return fmt.Sprintf("%s tp %d max_num_seqs %d", c.Instance, c.TP, c.MaxNumSeqs)
}

// Candidate is a Layout with its price and how its search went.
type Candidate struct {
	Layout
	PriceUSDPerHour float64 // per instance, after the pricing model
	// Price says where PriceUSDPerHour comes from and of when (set when
	// it is not pruned).
	Price Price
	// Pruned says why it was never run (does not fit, no such degree, ...).
	Pruned string
	// Outcome says how its search ended: "min count N" or why it stopped.
	Outcome string
	Best    *Eval // its best evaluated configuration meeting the target
	// Extrapolated are the ways its step-time constants do not cover it,
	// in runner.MainFleetGaps' order (the chip carried over, TP degree,
	// size per device, formats, a mixture of experts, lengths bounded from
	// the scenario, the batch max_num_seqs allows); none when they do, and
	// for a pruned candidate. ExtrapolatedFleet names it as the warning
	// does. The search compares candidates by their simulated step times,
	// so one chosen or rejected here was judged on extrapolated constants.
	Extrapolated      []hw.Gap
	ExtrapolatedFleet string
	// Coverage is run's warning on where its constants come from when they
	// were not cross-validated on its chip (runner.StepTimesCoverageWarning:
	// an estimate, carried over, or thinly fitted); "" when they were.
	Coverage string
	// Scheduler is the scheduler it runs under, as resolved (the
	// scenario's on its own accelerator family, its family's default on
	// another: neuron on a Neuron chip, vllm on a GPU), so that a ranking
	// across families can be read as one of chip and scheduler together.
	Scheduler string
	search    search
	over      []string // override values, one per optimizer path (count excluded)
	// resolved is its scenario at one instance, as it runs (nil where
	// pruned): what its fastest step is priced from.
	resolved *model.Scenario
	family   string
}

// Eval is one evaluated configuration: means over its replications.
type Eval struct {
	Candidate int // index into Result.Candidates
	Layout    Layout
	Count     int
	Point     int // point of the stored sweep
	// Sets are the overrides it ran with beside the search's own (Sets of
	// the options): its layout's and count's, as path=value.
	Sets []string
	Runs int // complete runs
	// FleetPerHourUSD is what the instances cost per hour: the fleet the
	// search sizes (the main pool's alone in a scenario with pools: the
	// others are held as the scenario sets them, HeldPerHourUSD), and
	// what the cost objective ranks. Content licensing
	// paid per use grows with the traffic served, so ranking by the whole
	// cost rate would favour, between fleets of equal price, the one that
	// served less.
	FleetPerHourUSD float64
	// HeldPerHourUSD is what the instances of the pools the search holds
	// fixed (a scenario's pools beside its main one) cost per hour: part
	// of CostPerHourUSD, none of FleetPerHourUSD; 0 without pools. On
	// model-mix FLEET/H read $71.52 for one 70B instance, the 8B pool's
	// $35.76 in it unsaid.
	HeldPerHourUSD float64
	// CostPerHourUSD is the run's whole cost rate: instances, training and
	// content licensing (cost_per_hour_usd).
	CostPerHourUSD float64
	MarginUSD      float64
	RevenueUSD     float64
	// CommerceUSD is the commerce line of RevenueUSD
	// (revenue_commerce_usd), NaN where no run earned any: a margin made
	// of it counts gross where the scenario leaves value.incremental unset.
	CommerceUSD float64
	// RevenueCeilingUSD is the most its arrivals could earn
	// (revenue_ceiling_usd), which bounds the margin of every count.
	RevenueCeilingUSD float64
	// Attainment is the lowest SLO attainment over the workloads with an
	// SLO, what the search ranks and its target bounds; AttainmentWorkload
	// names that workload ("" where none had a request end, or where
	// several share the lowest). It is not the
	// run's overall attainment, over every request under an SLO, which show
	// prints: baseline's 1 x p4d.24xlarge reads 99.3% here
	// (shopping-assistant) and 99.5% there.
	Attainment         float64
	AttainmentWorkload string
	// SessionAbandon is the highest session abandon rate over the agent
	// workloads (sessions abandoned over those that ended), NaN when there
	// is none or none ended a session. Users who give up on slow sessions
	// are lost revenue that SLO attainment does not see: baseline's 2 x
	// trn2.48xlarge met 100% while abandoning 48.2% of its sessions.
	SessionAbandon float64
	// SessionAbandonWorkload names the agent workload whose rate
	// SessionAbandon is ("" where none ended a session, or where several
	// share the highest, as AttainmentWorkload), and SessionFailWorkload
	// the one whose figures SessionFail and SessionsFailed are: the first
	// of those at the highest on such a tie. With several agent workloads
	// a bare maximum read as every workload's, or as the run's.
	SessionAbandonWorkload, SessionFailWorkload string
	// SessionFail is the session fail rate of the workload whose rate
	// SessionAbandon is: the share of its ended sessions the fleet failed
	// (a call dropped at queue_limit or timed out past queue_timeout),
	// counted in SessionAbandon too. Unlike the users who give up, a
	// larger fleet or more queue room brings it lower. NaN where unknown.
	SessionFail float64
	// SessionsFailed is how many sessions of that workload the fleet
	// failed over the horizon (the mean over the replications), the count
	// SessionFail is the share of: --format json gives both beside
	// session_abandon_rate_max. NaN where unknown.
	SessionsFailed float64
	// Attainments and Abandons are each SLO workload's attainment and each
	// agent workload's session abandon rate (means over the replications),
	// by workload name: aiecon's SESSIONS ABANDONED check reads them of the
	// best fleet per workload, as it does of a run.
	Attainments, Abandons map[string]float64
	// AttainmentHalfWidth and MarginHalfWidth are the half-widths of the 95%
	// intervals of Attainment's workload (study.ProportionCI: half its
	// width, as it is not symmetric) and of MarginUSD (t) over the
	// replications: NaN with one, which measures no spread.
	AttainmentHalfWidth, MarginHalfWidth float64
	// AttainmentLow and AttainmentHigh are the ends of Attainment's
	// interval, NaN with one replication.
	AttainmentLow, AttainmentHigh float64
	// Margins are MarginUSD's replications, NaN where one did not complete:
	// replication r of every evaluation runs on one seed, so two
	// evaluations' margins pair by r (PairedMarginGap).
	Margins  []float64
	Feasible bool // Attainment >= the target, SessionAbandon <= its limit if any (and every run complete)
}

// Round is the optimizer's progress after a round of evaluations.
type Round struct {
	N, Evals, Total int // round number, evaluations in it, evaluations so far
	Active          int // candidates still searching
	Best            *Eval
}

// Result is the search and its answer.
type Result struct {
	SweepID   string
	Objective string
	SLOTarget float64
	Horizon   model.Duration
	// Replications are the runs averaged per evaluation.
	Replications int
	SLOs         []string // workloads with an SLO
	Agents       []string // agent workloads, whose session abandonment is measured
	// MaxSessionAbandon is Options.MaxSessionAbandon: nil when not limited.
	MaxSessionAbandon *float64
	// MaxCount is the largest instance count searched (Options.MaxCount).
	MaxCount   int
	Candidates []*Candidate
	// Scenario is the scenario the search started from, with the sets:
	// every evaluation serves its workloads (only the fleet changes), so
	// it says how their revenue is counted.
	Scenario *model.Scenario
	Evals    []*Eval // in evaluation order (= sweep point order)
	Best     *Eval   // nil when no configuration met the target
	Rounds   int
}

// Frontier is the fleet cost/attainment Pareto front of the evaluated
// configurations, cheapest fleet first: without a session abandonment
// limit each has a higher attainment than every cheaper one. With one (MaxSessionAbandon)
// abandonment is a third dimension: a fleet is left out only when another
// is no costlier, attains no less and abandons no more, so the larger
// fleets that abandon fewer sessions, which the limit asks for, are shown
// though they attain no more (all attained 100%, and only the cheapest
// was listed). Of fleets alike in those, the one with the higher margin,
// then the lower abandonment, is listed, as the search ranks them.
func (r *Result) Frontier() []*Eval {
	abandon := func(e *Eval) float64 {
		if r.MaxSessionAbandon == nil {
			return 0 // not a dimension
		}
		if math.IsNaN(e.SessionAbandon) {
			return math.Inf(1) // no session ended: meets no limit
		}
		return e.SessionAbandon
	}
	evs := slices.Clone(r.Evals)
	sort.SliceStable(evs, func(i, j int) bool {
		a, b := evs[i], evs[j]
		if a.FleetPerHourUSD != b.FleetPerHourUSD {
			return a.FleetPerHourUSD < b.FleetPerHourUSD
		}
		if a.Attainment != b.Attainment {
			return a.Attainment > b.Attainment
		}
		if x, y := abandon(a), abandon(b); x != y {
			return x < y
		}
		// Of fleets alike in the front's dimensions the first is kept:
		// the one the search ranks first among them (better), so that the
		// best is the row at its price, not the first evaluated.
		if differ(a.MarginUSD, b.MarginUSD) {
			return a.MarginUSD > b.MarginUSD
		}
		return differ(a.SessionAbandon, b.SessionAbandon) && a.SessionAbandon < b.SessionAbandon
	})
	// Sorted so, whatever dominates a fleet comes before it; and whatever
	// dominates a fleet left out dominates those it does, so checking the
	// ones kept is enough.
	var out []*Eval
	for _, e := range evs {
		if e.Runs == 0 || math.IsNaN(e.Attainment) {
			continue
		}
		if !slices.ContainsFunc(out, func(f *Eval) bool { return f.Attainment >= e.Attainment && abandon(f) <= abandon(e) }) {
			out = append(out, e)
		}
	}
	return out
}

// The scenario paths a candidate sets, in zip order; fleet.count comes last.
var (
	optPaths      = []string{"fleet.instance", "fleet.replica.tp", "fleet.replica.per_instance", "fleet.replica.scheduler", "fleet.replica.max_num_seqs"}
	optResetPaths = []string{"fleet.replica.max_batched_tokens", "fleet.replica.kv_block_tokens", "fleet.replica.context_buckets", "fleet.replica.sequence_buckets"}
)

// optimizer holds the state of one Optimize.
type optimizer struct {
	opts     Options
	base     *runner.Loaded // the scenario with the user's sets
	spec     *study.Spec    // grows a zip row per evaluation
	paths    []string       // zip paths, fleet.count last
	res      *Result
	evals    map[[2]int]*Eval
	baseFam  string
	baseVals yaml.MapSlice // the base with the user's sets, as written
	// marginBound: the revenue ceiling and count x price bound a fleet's
	// margin (maxCount); not with closed-loop arrivals.
	marginBound bool
}

// Run searches the candidates and stores every evaluation in one sweep
// in opts.Store: Prepare, then Search.Run.
func Run(ctx context.Context, opts Options) (*Result, error) {
	s, err := Prepare(opts)
	if err != nil {
		return nil, err
	}
	return s.Run(ctx, opts.Store)
}

// Search is a search whose input is checked and whose candidates and size
// are planned, ready to run.
type Search struct {
	o   *optimizer
	est Estimate
	ran bool // the optimizer's state is one search's
}

// Prepare checks the options (objective, SLO target, max count,
// replications, sets, scenario), prunes the candidates and refuses a
// search too large to run, all without a store (opts.Store is not read):
// a caller that opens or creates its store only after Prepare succeeds
// leaves none behind when the input is refused.
func Prepare(opts Options) (*Search, error) {
	o, err := newOptimizer(opts)
	if err != nil {
		return nil, err
	}
	if err := o.candidates(); err != nil {
		return nil, err
	}
	est := o.estimate()
	if err := est.check(); err != nil {
		return nil, err
	}
	return &Search{o: o, est: est}, nil
}

// Scenario is the scenario the search sizes a fleet for, with the user's
// sets, at the evaluations' horizon (Horizon): what a check of its values
// reads before the search runs.
func (s *Search) Scenario() *model.Scenario {
	sc := *s.o.res.Scenario
	sc.Horizon = s.o.opts.Horizon
	return &sc
}

// Candidates are the layouts the search will try, pruned ones included
// (Candidate.Pruned says why).
func (s *Search) Candidates() []*Candidate { return s.o.res.Candidates }

// Resolved is the candidate's scenario at one instance as it runs (its
// family's scheduler defaults applied), nil where it was pruned: an SLO
// below the fastest step every candidate can take is one no count meets.
func (c *Candidate) Resolved() *model.Scenario { return c.resolved }

// Run runs the prepared search once, storing every evaluation in one
// sweep in store; Options.Planned is called first.
func (s *Search) Run(ctx context.Context, store *data.Store) (*Result, error) {
	if store == nil {
		return nil, errors.New("optimize: no store")
	}
	if s.ran {
		return nil, errors.New("optimize: the search has run; prepare another")
	}
	s.ran, s.o.opts.Store = true, store
	if p := s.o.opts.Planned; p != nil {
		p(s.est)
	}
	return s.o.run(ctx)
}

func inputErr(format string, args ...any) error {
	return &runner.InputError{Err: fmt.Errorf(format, args...)}
}

// checkOptions fills the options' defaults and checks their ranges.
func checkOptions(opts *Options) error {
	if opts.Objective == "" {
		opts.Objective = ObjectiveCost
	}
	if opts.Objective != ObjectiveCost && opts.Objective != ObjectiveMargin {
		return inputErr("objective %q: want %s or %s", opts.Objective, ObjectiveCost, ObjectiveMargin)
	}
	if math.IsNaN(opts.SLOTarget) || opts.SLOTarget < 0 || opts.SLOTarget > 1 {
		return inputErr("SLO target %v: want a fraction from 0 to 1", opts.SLOTarget)
	}
	if l := opts.MaxSessionAbandon; l != nil && !(*l >= 0 && *l <= 1) { // NaN too
		return inputErr("max session abandon %v: want a fraction from 0 to 1", *l)
	}
	if opts.MaxCount == 0 {
		opts.MaxCount = DefaultMaxCount
	}
	if opts.MaxCount < 1 || opts.MaxCount > model.MaxInstances {
		return inputErr("max count %d: want 1 to %d", opts.MaxCount, model.MaxInstances)
	}
	if opts.Replications == 0 {
		opts.Replications = 1
	}
	if opts.Replications < 1 || opts.Replications > study.MaxReplications {
		return inputErr("replications %d: want 1 to %d", opts.Replications, study.MaxReplications)
	}
	if err := RefuseIneffectiveSets(opts.Sets); err != nil {
		return err
	}
	return horizonFromSets(opts)
}

// horizonFromSets takes a horizon=… among the sets as the evaluations'
// horizon (Options.Horizon, --horizon), as run and sweep take it as the
// run's. Left among the sets, it clashed with the horizon the optimizer
// sets on every evaluation ("optimize-baseline:71:3: mapping key "horizon"
// already defined", naming a file the user never wrote), and the scenario
// it set was then cut to DefaultEvalHorizon. Given with Horizon, it is
// refused, as --horizon with --set horizon is.
func horizonFromSets(opts *Options) error {
	var kept []string
	var set, value string
	for _, s := range opts.Sets {
		if ov, err := model.ParseOverride(s); err == nil && ov.Path == "horizon" {
			set, value = s, ov.Value
			continue
		}
		kept = append(kept, s)
	}
	if set == "" {
		return nil
	}
	if opts.Horizon > 0 {
		return inputErr("--set %s and the evaluation horizon %v (--horizon) both set the horizon; give one", set, opts.Horizon)
	}
	h, err := model.ParseDuration(value)
	if err != nil || h < model.Second || h > model.MaxHorizon {
		return inputErr("--set %s: want a duration from 1s to %v, such as 10m (each evaluation's horizon, as --horizon)", set, model.MaxHorizon)
	}
	opts.Horizon, opts.Sets = h, kept
	return nil
}

func newOptimizer(opts Options) (*optimizer, error) {
	if err := checkOptions(&opts); err != nil {
		return nil, err
	}
	b := opts.Base
	baseSets := opts.Sets
	if opts.Horizon > 0 { // the size checked at load is an evaluation's: --horizon 1m was refused for the scenario's 1h
		baseSets = append(slices.Clone(opts.Sets), "horizon="+opts.Horizon.String())
	}
	base, err := runner.LoadSource(b.Name, b.Source, b.Dir, baseSets)
	if err != nil {
		return nil, err
	}
	sc := base.Scenario
	if opts.Horizon == 0 {
		opts.Horizon = min(sc.Horizon, DefaultEvalHorizon)
	}
	o := &optimizer{opts: opts, base: base, evals: map[[2]int]*Eval{}, marginBound: marginBounded(sc)}
	o.res = &Result{Objective: opts.Objective, SLOTarget: opts.SLOTarget, Horizon: opts.Horizon, Replications: opts.Replications,
		MaxSessionAbandon: opts.MaxSessionAbandon, MaxCount: opts.MaxCount, Scenario: sc}
	for _, w := range sc.Workloads {
		if w.SLO.TTFT > 0 || w.SLO.TPOT > 0 {
			o.res.SLOs = append(o.res.SLOs, w.Name)
		}
	}
	for _, i := range sc.AgentWorkloads() {
		o.res.Agents = append(o.res.Agents, sc.Workloads[i].Name)
	}
	if len(o.res.SLOs) == 0 && opts.SLOTarget > 0 {
		return nil, inputErr("scenario %s: no workload has an SLO (slo: {ttft, tpot}), so no fleet can be checked against one; add one, or use the margin objective with SLO target 0", sc.Name)
	}
	if len(o.res.Agents) == 0 && opts.MaxSessionAbandon != nil {
		return nil, inputErr("scenario %s: no workload is an agent (class: agent), so no session can be abandoned; drop the session abandonment limit", sc.Name)
	}
	if inst, err := hw.InstanceByName(sc.Fleet.Instance); err == nil {
		if chip, err := inst.ChipSpec(); err == nil {
			o.baseFam = chip.Family
		}
	}
	merged, err := applySets(b.Source, opts.Sets)
	if err != nil {
		return nil, err
	}
	if err := yaml.UnmarshalWithOptions(merged, &o.baseVals, yaml.UseOrderedMap()); err != nil {
		return nil, fmt.Errorf("scenario %s: %w", sc.Name, err)
	}
	// The sweep's set: the user's overrides, the evaluation horizon, and a
	// static fleet (the optimizer sizes it; an autoscaler would resize it).
	set := sweepSet(opts.Sets, opts.Horizon, sc.Fleet.Autoscale != nil)
	kpis := sweepKPIs(o.res)
	desc := fmt.Sprintf("aiecon optimize %s: objective %s, SLO target %g", sc.Name, opts.Objective, opts.SLOTarget)
	if l := opts.MaxSessionAbandon; l != nil {
		desc += fmt.Sprintf(", session abandonment at most %g", *l)
	}
	o.spec = &study.Spec{Name: "optimize-" + sc.Name, Description: desc,
		Base: b, Set: set, Replications: opts.Replications, Seed: sc.Seed, KPIs: kpis}
	if err := checkSeeds(sc.Seed, opts.Replications); err != nil {
		return nil, err
	}
	return o, nil
}

// sweepKPIs are the KPIs evaluate reads, in the order it reads them: six
// run-wide ones, each SLO workload's attainment, each agent workload's
// session abandon rate, the commerce revenue, then each agent workload's
// session fail rate, then each one's sessions failed (each appended last,
// so every other KPI keeps its place).
func sweepKPIs(res *Result) []study.KPIRef {
	kpis := []study.KPIRef{{Name: kpi.CostPerHourUSD}, {Name: kpi.MarginUSD}, {Name: kpi.RevenueUSD},
		{Name: kpi.PricePerInstanceHourUSD}, {Name: kpi.InstancesAvg}, {Name: kpi.RevenueCeilingUSD}}
	for _, w := range res.SLOs {
		kpis = append(kpis, study.KPIRef{Name: kpi.SLOAttainment, Scope: w})
	}
	for _, w := range res.Agents {
		kpis = append(kpis, study.KPIRef{Name: kpi.SessionAbandonRate, Scope: w})
	}
	kpis = append(kpis, study.KPIRef{Name: kpi.RevenueCommerceUSD})
	for _, w := range res.Agents {
		kpis = append(kpis, study.KPIRef{Name: kpi.SessionFailRate, Scope: w})
	}
	for _, w := range res.Agents {
		kpis = append(kpis, study.KPIRef{Name: kpi.SessionsFailed, Scope: w})
	}
	if sc := res.Scenario; sc != nil && len(sc.Pools) > 0 {
		// Each pool's price and instances, the main (sized) one first:
		// the run-wide pair counted the held pools in the fleet's cost.
		for _, p := range sc.ServingPools() {
			scope := kpi.ModelScope(p.Name)
			kpis = append(kpis, study.KPIRef{Name: kpi.PricePerInstanceHourUSD, Scope: scope}, study.KPIRef{Name: kpi.InstancesAvg, Scope: scope})
		}
	}
	return kpis
}

// marginBounded reports whether a fleet's margin is at most its arrivals'
// revenue ceiling less count x price over the horizon, for every count:
// the arrivals do not depend on the fleet (no closed-loop clients, which
// send again when answered, so that a faster fleet gets more). Every
// instance of the static fleet is paid the whole horizon, a spot one's
// too: an interrupted instance's replacement is paid while it loads
// (TestSpotInterruptions in package sim), so spot pricing keeps the bound.
func marginBounded(sc *model.Scenario) bool {
	for _, w := range sc.Workloads {
		if w.Arrivals.Process == "closed" {
			return false
		}
	}
	return true
}

// checkSeeds refuses replications whose seeds pass 2^63-1: replication r
// runs at seed + r, and above the limit its runs would fail one by one and
// their candidates be called infeasible.
func checkSeeds(seed uint64, replications int) error {
	if last := seed + uint64(max(replications, 1)-1); last > math.MaxInt64 || last < seed {
		return &runner.InputError{Err: fmt.Errorf("seed %d: %d replications take seeds up to %d, past 2^63-1 = %d; lower the seed",
			seed, replications, last, int64(math.MaxInt64))}
	}
	return nil
}

// PairedMarginGap is the mean of a's margin minus b's over the
// replications both completed, with the half-width of its 95% t interval
// (NaN under two pairs). The replications of two evaluations share their
// seeds, so the difference of each pair cancels the noise both see: far
// narrower than the two intervals of the means (±$2.6 against ±$31 for two
// of baseline's trn2 fleets over three replications).
func PairedMarginGap(a, b *Eval) (gap, halfWidth float64) {
	iv := study.PairedCI(a.Margins, b.Margins, study.ConfidenceLevel)
	return iv.Mean, iv.HalfWidth
}
