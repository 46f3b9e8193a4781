package study

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"

	"aiecon/data"
	"aiecon/hw"
	"aiecon/model"
	"aiecon/runner"
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
	ObjectiveCost   = "cost"   // cheapest cost per hour meeting the SLO target
	ObjectiveMargin = "margin" // highest margin among fleets meeting the SLO target
)

// OptimizeOptions describe an optimization.
type OptimizeOptions struct {
	Base Base     // the scenario whose traffic and SLOs the fleet must serve
	Sets []string // overrides applied to the scenario first
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
	// MaxCount bounds the instance count searched; default DefaultMaxCount.
	MaxCount int
	// Horizon of each evaluation; 0 means the scenario's, at most DefaultEvalHorizon.
	Horizon      model.Duration
	Replications int // runs per configuration, averaged; default 1
	Workers      int
	Store        *data.Store
	Version      string
	// Progress is called after each round of evaluations.
	Progress func(Round)
}

// maxNumSeqsLimit is the largest max_num_seqs a scenario accepts.
const maxNumSeqsLimit = 4096

// Defaults of OptimizeOptions.
const (
	DefaultMaxCount    = 256
	DefaultSLOTarget   = 0.99
	DefaultEvalHorizon = 10 * model.Minute
)

// Config is a candidate fleet layout without its size.
type Config struct {
	Instance   string
	TP         int
	MaxNumSeqs int
}

func (c Config) String() string {
	return fmt.Sprintf("%s tp %d max_num_seqs %d", c.Instance, c.TP, c.MaxNumSeqs)
}

// Candidate is a Config with its price and how its search went.
type Candidate struct {
	Config
	PriceUSDPerHour float64 // per instance, after the pricing model
	// Pruned says why it was never run (does not fit, no such degree, ...).
	Pruned string
	// Outcome says how its search ended: "min count N" or why it stopped.
	Outcome string
	Best    *Eval // its best evaluated configuration meeting the target
	search  search
	over    []string // override values, one per optimizer path (count excluded)
	family  string
}

// Eval is one evaluated configuration: means over its replications.
type Eval struct {
	Candidate      int // index into OptimizeResult.Candidates
	Config         Config
	Count          int
	Point          int // point of the stored sweep
	Runs           int // complete runs
	CostPerHourUSD float64
	MarginUSD      float64
	RevenueUSD     float64
	// Attainment is the lowest SLO attainment over the workloads with an SLO.
	Attainment float64
	Feasible   bool // Attainment >= the target (and every run complete)
}

// Round is the optimizer's progress after a round of evaluations.
type Round struct {
	N, Evals, Total int // round number, evaluations in it, evaluations so far
	Active          int // candidates still searching
	Best            *Eval
}

// OptimizeResult is the search and its answer.
type OptimizeResult struct {
	SweepID    string
	Objective  string
	SLOTarget  float64
	Horizon    model.Duration
	SLOs       []string // workloads with an SLO
	Candidates []*Candidate
	Evals      []*Eval // in evaluation order (= sweep point order)
	Best       *Eval   // nil when no configuration met the target
	Rounds     int
}

// Frontier is the cost/attainment Pareto front of the evaluated
// configurations: cheapest first, each with a higher attainment than every
// cheaper one.
func (r *OptimizeResult) Frontier() []*Eval {
	evs := slices.Clone(r.Evals)
	sort.SliceStable(evs, func(i, j int) bool {
		if evs[i].CostPerHourUSD != evs[j].CostPerHourUSD {
			return evs[i].CostPerHourUSD < evs[j].CostPerHourUSD
		}
		return evs[i].Attainment > evs[j].Attainment
	})
	var out []*Eval
	best := math.Inf(-1)
	for _, e := range evs {
		if e.Runs > 0 && !math.IsNaN(e.Attainment) && e.Attainment > best {
			out = append(out, e)
			best = e.Attainment
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
	opts     OptimizeOptions
	base     *runner.Loaded // the scenario with the user's sets
	spec     *Spec          // grows a zip row per evaluation
	paths    []string       // zip paths, fleet.count last
	res      *OptimizeResult
	evals    map[[2]int]*Eval
	baseFam  string
	baseVals yaml.MapSlice // the base with the user's sets, as written
}

// Optimize searches the candidates and stores every evaluation in one sweep.
func Optimize(ctx context.Context, opts OptimizeOptions) (*OptimizeResult, error) {
	o, err := newOptimizer(opts)
	if err != nil {
		return nil, err
	}
	if err := o.candidates(); err != nil {
		return nil, err
	}
	return o.run(ctx)
}

func inputErr(format string, args ...any) error {
	return &runner.InputError{Err: fmt.Errorf(format, args...)}
}

func newOptimizer(opts OptimizeOptions) (*optimizer, error) {
	if opts.Objective == "" {
		opts.Objective = ObjectiveCost
	}
	if opts.Objective != ObjectiveCost && opts.Objective != ObjectiveMargin {
		return nil, inputErr("objective %q: want %s or %s", opts.Objective, ObjectiveCost, ObjectiveMargin)
	}
	if math.IsNaN(opts.SLOTarget) || opts.SLOTarget < 0 || opts.SLOTarget > 1 {
		return nil, inputErr("SLO target %v: want a fraction from 0 to 1", opts.SLOTarget)
	}
	if opts.MaxCount == 0 {
		opts.MaxCount = DefaultMaxCount
	}
	if opts.MaxCount < 1 || opts.MaxCount > model.MaxInstances {
		return nil, inputErr("max count %d: want 1 to %d", opts.MaxCount, model.MaxInstances)
	}
	if opts.Replications == 0 {
		opts.Replications = 1
	}
	if opts.Replications < 1 || opts.Replications > MaxReplications {
		return nil, inputErr("replications %d: want 1 to %d", opts.Replications, MaxReplications)
	}
	if opts.Store == nil {
		return nil, errors.New("optimize: no store")
	}
	b := opts.Base
	base, err := runner.LoadSource(b.Name, b.Source, b.Dir, opts.Sets)
	if err != nil {
		return nil, err
	}
	sc := base.Scenario
	if opts.Horizon == 0 {
		opts.Horizon = min(sc.Horizon, DefaultEvalHorizon)
	}
	o := &optimizer{opts: opts, base: base, evals: map[[2]int]*Eval{}}
	o.res = &OptimizeResult{Objective: opts.Objective, SLOTarget: opts.SLOTarget, Horizon: opts.Horizon}
	for _, w := range sc.Workloads {
		if w.SLO.TTFT > 0 || w.SLO.TPOT > 0 {
			o.res.SLOs = append(o.res.SLOs, w.Name)
		}
	}
	if len(o.res.SLOs) == 0 && opts.SLOTarget > 0 {
		return nil, inputErr("scenario %s: no workload has an SLO (slo: {ttft, tpot}), so no fleet can be checked against one; add one, or use the margin objective with SLO target 0", sc.Name)
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
	set := []model.Override{}
	for _, s := range opts.Sets {
		ov, _ := model.ParseOverride(s)
		set = append(set, ov)
	}
	set = append(set, model.Override{Path: "horizon", Value: opts.Horizon.String()})
	if sc.Fleet.Autoscale != nil {
		set = append(set, model.Override{Path: "fleet.autoscale", Value: "null"})
	}
	kpis := []KPIRef{{Name: "cost_per_hour_usd"}, {Name: "margin_usd"}, {Name: "revenue_usd"}}
	for _, w := range o.res.SLOs {
		kpis = append(kpis, KPIRef{Name: "slo_attainment", Scope: w})
	}
	o.spec = &Spec{Name: "optimize-" + sc.Name, Description: fmt.Sprintf("aiecon optimize %s: objective %s, SLO target %g", sc.Name, opts.Objective, opts.SLOTarget),
		Base: b, Set: set, Replications: opts.Replications, Seed: sc.Seed, KPIs: kpis}
	return o, nil
}

func applySets(src []byte, sets []string) ([]byte, error) {
	var ovs []model.Override
	for _, s := range sets {
		o, err := model.ParseOverride(s)
		if err != nil {
			return nil, &runner.InputError{Err: err}
		}
		ovs = append(ovs, o)
	}
	out, err := model.ApplyOverrides(src, ovs)
	if err != nil {
		return nil, &runner.InputError{Err: err}
	}
	return out, nil
}

// givenValue is the value the base (with the user's sets) writes at a
// dotted path of plain keys, as YAML, and whether it writes one.
func (o *optimizer) givenValue(path string) (string, bool) {
	var cur any = o.baseVals
	for _, k := range strings.Split(path, ".") {
		m, ok := cur.(yaml.MapSlice)
		if !ok {
			return "", false
		}
		found := false
		for _, it := range m {
			if fmt.Sprint(it.Key) == k {
				cur, found = it.Value, true
				break
			}
		}
		if !found {
			return "", false
		}
	}
	text, err := flowYAML(cur)
	return text, err == nil
}

// pricePerHour is what sim charges for one instance: the scenario's price
// when it sets one for its own instance type, else the catalog's for the
// pricing model (spot: on-demand minus the discount).
func pricePerHour(inst *hw.Instance, f model.Fleet) (float64, bool) {
	if f.PriceUSDPerHour > 0 {
		return f.PriceUSDPerHour, true
	}
	p := inst.OnDemand
	if f.Pricing == "reserved" {
		p = inst.RIEffective
	}
	if !p.Known {
		return 0, false
	}
	v := p.SI()
	if f.Pricing == "spot" && f.Spot != nil {
		v *= 1 - f.Spot.Discount
	}
	return v, true
}

// candidates enumerates (instance, tp, max_num_seqs) and prunes those that
// cannot run: no price, an unsupported degree, weights and one request's KV
// cache that do not fit in device memory (the scenario's own validation),
// or a chip without the scenario's compute format.
func (o *optimizer) candidates() error {
	sc := o.base.Scenario
	names := o.opts.Instances
	if names == nil {
		for _, in := range hw.Instances() {
			if _, ok := pricePerHour(in, model.Fleet{Pricing: sc.Fleet.Pricing}); ok || in.Name == sc.Fleet.Instance && sc.Fleet.PriceUSDPerHour > 0 {
				names = append(names, in.Name)
			}
		}
		sort.Strings(names)
	}
	resets := false
	for _, n := range names {
		in, err := hw.InstanceByName(n)
		if err != nil {
			return &runner.InputError{Err: err}
		}
		chip, err := in.ChipSpec()
		if err != nil {
			return err
		}
		resets = resets || chip.Family != o.baseFam
	}
	o.paths = append([]string(nil), optPaths...)
	if resets {
		o.paths = append(o.paths, optResetPaths...)
	}
	if _, ok := o.givenValue("fleet.price_usd_per_hour"); ok {
		o.paths = append(o.paths, "fleet.price_usd_per_hour")
	}
	o.paths = append(o.paths, "fleet.count")

	for _, n := range names {
		in, _ := hw.InstanceByName(n)
		chip, _ := in.ChipSpec()
		degrees, _ := in.TPDegrees()
		tps := o.opts.TP
		if tps == nil {
			tps = degrees
		}
		for _, tp := range tps {
			seqs := o.opts.MaxNumSeqs
			if seqs == nil {
				// The scenario's value (or the scheduler's default), with half
				// and twice it; a candidate that cannot run is listed once.
				probe := &Candidate{Config: Config{Instance: n, TP: tp}, family: chip.Family}
				o.prepare(probe, in, chip, degrees)
				if probe.Pruned != "" {
					o.res.Candidates = append(o.res.Candidates, probe)
					continue
				}
				v := probe.MaxNumSeqs
				for _, s := range []int{v / 2, v, 2 * v} {
					if s >= 1 && s <= maxNumSeqsLimit && !slices.Contains(seqs, s) {
						seqs = append(seqs, s)
					}
				}
			}
			for _, s := range seqs {
				c := &Candidate{Config: Config{Instance: n, TP: tp, MaxNumSeqs: s}, family: chip.Family}
				o.res.Candidates = append(o.res.Candidates, c)
				o.prepare(c, in, chip, degrees)
			}
		}
	}
	if len(o.res.Candidates) == 0 {
		return inputErr("no candidate instance types (none has a known %s price; give --instances and set fleet.price_usd_per_hour)", sc.Fleet.Pricing)
	}
	return nil
}

// prepare sets a candidate's overrides and validates it with one instance.
func (o *optimizer) prepare(c *Candidate, in *hw.Instance, chip *hw.Chip, degrees []int) {
	sc := o.base.Scenario
	if !slices.Contains(degrees, c.TP) {
		c.Pruned = fmt.Sprintf("tp %d is not a supported degree on %s (allowed: %s)", c.TP, in.Name, joinInts(degrees))
		return
	}
	same := chip.Family == o.baseFam
	for _, p := range o.paths[:len(o.paths)-1] {
		var v string
		switch p {
		case "fleet.instance":
			v = in.Name
		case "fleet.replica.tp":
			v = strconv.Itoa(c.TP)
		case "fleet.replica.per_instance":
			v = "0" // as many replicas as fit
		case "fleet.replica.max_num_seqs":
			v = strconv.Itoa(c.MaxNumSeqs)
			if c.MaxNumSeqs == 0 && same {
				v = strconv.Itoa(sc.Fleet.Replica.MaxNumSeqs)
			}
		case "fleet.price_usd_per_hour":
			v = "0"
			if in.Name == sc.Fleet.Instance {
				v, _ = o.givenValue(p)
			}
		default: // scheduler settings: the scenario's on its own family, defaults elsewhere
			v = map[bool]string{true: "[]", false: "0"}[strings.HasSuffix(p, "buckets")]
			if p == "fleet.replica.scheduler" {
				v = `""`
			}
			if g, ok := o.givenValue(p); ok && same {
				v = g
			}
		}
		c.over = append(c.over, v)
	}
	l, err := o.load(c, 1, 0)
	if err != nil {
		c.Pruned = pruneReason(err)
		return
	}
	rsc := l.Scenario
	if c.MaxNumSeqs == 0 { // show and store the value that runs
		c.MaxNumSeqs = rsc.Fleet.Replica.MaxNumSeqs
		c.over[slices.Index(o.paths, "fleet.replica.max_num_seqs")] = strconv.Itoa(c.MaxNumSeqs)
	}
	if dev := hw.DeviceOf(chip); !dev.Supports(rsc.Precision.Activations) {
		c.Pruned = fmt.Sprintf("%s has no %s compute", chip.Name, rsc.Precision.Activations)
		return
	}
	price, ok := pricePerHour(in, rsc.Fleet)
	if !ok {
		c.Pruned = fmt.Sprintf("the catalog has no %s price for %s", rsc.Fleet.Pricing, in.Name)
		return
	}
	c.PriceUSDPerHour = price
}

func joinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, ", ")
}

// pruneReason is the validation message without the file and --set prefixes.
func pruneReason(err error) string {
	var errs model.Errors
	if errors.As(err, &errs) && len(errs) > 0 {
		e := errs[0]
		if e.Field != "" {
			return e.Field + ": " + e.Msg
		}
		return e.Msg
	}
	return err.Error()
}

// overrides are a candidate's zip values with the count.
func (o *optimizer) overrides(c *Candidate, count int) []string {
	return append(slices.Clone(c.over), strconv.Itoa(count))
}

// load resolves a candidate at a count as a run would.
func (o *optimizer) load(c *Candidate, count, rep int) (*runner.Loaded, error) {
	var sets []string
	for _, s := range o.spec.Set {
		sets = append(sets, s.String())
	}
	for i, v := range o.overrides(c, count) {
		sets = append(sets, o.paths[i]+"="+v)
	}
	sets = append(sets, fmt.Sprintf("seed=%d", o.spec.Seed+uint64(rep)))
	b := o.opts.Base
	return runner.LoadSource(b.Name, b.Source, b.Dir, sets)
}
