package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"aiecon/data"
	"aiecon/model"
	"aiecon/runner"
	"aiecon/study"
	"aiecon/study/optimize"
)

type optimizeFlags struct {
	sets         []string
	instances    []string
	tp, seqs     []int
	objective    string
	sloTarget    float64
	maxAbandon   float64 // --max-session-abandon; limits only when abandonSet
	abandonSet   bool
	maxCount     int
	horizon      string
	replications int
	jobs         int
	format       string
	calibration  string
	noStore      bool // --no-store: the evaluations go to a scratch store removed at exit
	width        widthFlag
}

func init() { register(newOptimizeCmd) }

// optimizeLong is optimize's help.
const optimizeLong = `Search instance type x TP degree x max_num_seqs x instance count for the
cheapest fleet (cost per hour) whose SLO attainment reaches --slo-target for
every workload with an SLO, serving the scenario's traffic; or, with
--objective margin, the fleet with the highest margin among those.
Where no fleet evaluated meets the target, the report is printed in full
(NO FLEET MET THE TARGET in place of BEST; "best": null in --format json),
the evaluations are stored as ever, and the command exits 1, so that a
script can tell; bad input (a flag, the scenario) exits 2 before anything
runs.

Candidates that cannot hold the model (weights plus one max_model_len request
of KV cache per replica), have no price, or lack the scenario's compute
format are pruned before anything runs. For each other candidate the instance
count is found by doubling then bisection (SLO attainment is taken as
monotone in the count); a count whose cost exceeds the best fleet found so
far is never run. With --objective margin, a count whose instances alone cost
more than the revenue ceiling leaves above the best margin found so far is
never run (revenue_ceiling_usd: what the arrivals could earn, served at once,
which no fleet exceeds; not with closed-loop arrivals, of which a faster
fleet gets more). Each evaluation simulates --horizon (default: the
scenario's, at most 10m); every one is stored as a point of one sweep,
which 'aiecon sweep --show' summarises (with --no-store, in a temporary
store removed when the command ends, on an error or a stop signal too:
the report is the same, and says nothing was stored). The frontier printed is the
cost/attainment Pareto front of what was evaluated. Before round 1 the
search's size is printed on stderr (round 1's runs, and about the most it
runs); one past 1,000,000 runs, a sweep's budget, is refused before
anything runs. A round that runs long shows its runs ended, with an ETA.

Candidates default to every catalog instance with a known price for the
scenario's pricing, every TP degree it supports, and three max_num_seqs: the
scenario's (each scheduler's default on other accelerator families), half and
twice it. An owned fleet's price (pricing: owned) is what one of its own
instance type costs its owner, so only that type is searched, and --instances
naming another is refused: to compare types, choose a rented pricing (--set
fleet.pricing=capacity-block prices the others at the catalog's rate and
keeps the scenario's price for its own type). The search keeps the scenario's
other scheduler settings on its own family and uses the defaults elsewhere.
An autoscaler in the scenario is removed: the optimizer sizes a static fleet
(a --set of a field of fleet.autoscale is refused). The search sets the
instance count of every evaluation, so --set fleet.count is refused too.
Each candidate sets its TP degree, replicas per instance (as many as fit)
and batch limit as well: a --set of fleet.replica.tp (without --tp),
fleet.replica.per_instance or fleet.replica.max_num_seqs (beside
--max-num-seqs) changes only the scenario the search starts from, which
must load (--set fleet.instance=p5.48xlarge may need --set
fleet.replica.tp=8, or =null, all devices), and a note on stderr says so
(not of a reset to null, which asks for nothing the search overrides);
--tp 8 searches TP 8 alone.

In a scenario that serves several models (pools:), the search sizes the
main pool (the scenario's model on fleet.*) alone, and holds the others as
the scenario sets them (POOLS HELD names them and their cost): FLEET/H is
the main pool's instances, TOTAL/H adds the held pools; --set
pools[NAME].fleet.count changes one. Where SLO attainment stops rising
with the count (a held pool, or each request's own service time, keeps it
down), NO FLEET MET THE TARGET says so rather than suggest a larger
--max-count. A scenario's variants are not applied: the search sizes its
base, and VARIANTS NOT APPLIED gives the --set that sizes each. With
several replications the first line says how many and their seeds;
--format json gives each figure's 95% interval.

PRICES lists each instance type's price per hour with where it comes from
and of when (its catalog region and date, source and label; 'aiecon hw show
INSTANCE' gives the source in full). Catalog prices differ in date: under
BEST, PRICES OF DIFFERENT DATES warns when two prices compared are dated more
than 6 months apart, and PRICES OF DIFFERENT SOURCES when they are sourced
unalike, naming each not read from the vendor's page and how it is sourced:
a third-party copy of that page, a third party's quote, or no public source.

Fleets of one price go to the higher SLO attainment, then the higher margin,
then the lower session abandonment; SAME PRICE, HIGHER MARGIN under BEST names
a fleet of the best's price that met the target at a lower attainment and
earned more. A fleet priced at 0 (fleet.price_usd_per_hour: 0, capacity
already paid for) costs $0/h at every count, so it is the cheapest, and
among free fleets the cost objective takes the fewest instances that meet
the target; FREE FLEET under BEST says so, and names a larger free fleet
that earned more (--objective margin ranks them by margin).
--format json gives the lines under BEST (or NO FLEET MET THE TARGET in its
place) as notes, and the price notes among them as price_notes too.

The search compares fleets by simulated step times, whose constants were
fitted to measurements of a few layouts. Each candidate is checked, as it
would run, against them as run's STEP TIMES EXTRAPOLATED does (size per
device, TP degree, weight format, a mixture of experts, batch limit, and
prompt and context lengths, these bounded from the scenario: each
workload's 99th percentiles, an agent's context grown over its steps, cut
to max_model_len), and for constants carried over to its chip from other
chips (run's STEP TIMES BY TRANSFER). The EXTRAP column of FRONTIER and
CANDIDATES marks the axes a candidate is extrapolated on, a letter each (X
chip carried over, T TP degree, S size per device, W weight format, E
experts' format, M mixture of experts, P prompt length, C context length,
B batch, D speculative decoding; - none), with a legend under CANDIDATES; --format json gives each
axis's figures (step_times_extrapolations). A WARNING under the tables
names the axes when the best fleet rests on extrapolated constants, and
when a candidate rejected where it would otherwise have been chosen does
(it missed the target at a fleet cheaper than the best, or, under
--objective margin, earning more; with no fleet meeting the target, any):
then the choice between instance types rests partly on extrapolation.
Constants not cross-validated on a candidate's chip (run's STEP TIMES
THINLY FITTED, BY TRANSFER, ARE AN ESTIMATE) are named in that WARNING
for every instance type evaluated, the ones dearer than the best too.

Under BEST, COMMERCE COUNTED GROSS says, as run does, when the margin
rests on commerce counted gross (value.incremental unset), with its share
of the best's revenue; SCHEDULERS DIFFER names the scheduler each
instance type's candidates ran under (each family's own) where they
differ, so the ranking is one of chip and scheduler together.

Where the scenario has agent workloads, each fleet's session abandonment
(the highest session_abandon_rate of the agent workloads: users who gave up
on slow sessions, and sessions the fleet failed, a call dropped or timed
out) is printed beside its SLO attainment, as SLO attainment
does not see it; with several agent workloads, FRONTIER's ABANDON follows
each rate with a key to its workload, listed above the table, as its SLO
follows the lowest attainment with the key of the workload whose it is
where several workloads have an SLO. Under BEST, SESSIONS ABANDONED warns as 'aiecon run' does
where the best abandons more than a tenth of an agent workload's sessions
while meeting its SLO, and FEWER SESSIONS ABANDONED names an evaluated fleet
that abandoned 5 points fewer. --max-session-abandon FRACTION also requires it to be at
most FRACTION for a fleet to count (taken as monotone in the count too),
and makes it a dimension of the FRONTIER: a fleet is listed unless another
is no costlier, no lower in attainment and no higher in abandonment. It
is not on by default: some sessions are abandoned at any fleet size (users'
patience), so no one fraction suits every scenario.`

func newOptimizeCmd(e *env) *cobra.Command {
	var f optimizeFlags
	cmd := &cobra.Command{
		Use:   "optimize [FILE.yaml | BUILTIN]",
		Short: "Find the cheapest fleet that meets a scenario's SLOs, or the most profitable one",
		Long:  optimizeLong,
		Example: `  aiecon optimize baseline
  aiecon optimize baseline --instances trn2.48xlarge,p5.48xlarge --max-num-seqs 8,16,32 -j 2
  aiecon optimize my-fleet.yaml --objective margin --slo-target 0.95 --horizon 30m
  aiecon optimize baseline --instances trn2.48xlarge --max-session-abandon 0.4
  aiecon optimize baseline --instances trn2.48xlarge --no-store`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f.abandonSet = cmd.Flags().Changed("max-session-abandon")
			return runOptimize(cmd.Context(), e, f, args)
		},
	}
	fl := cmd.Flags()
	addSetFlag(fl, &f.sets, "override a scenario field first, `path=value` (repeatable; an empty value is refused, path=null resets a field to its default, ads=null removes an optional block)")
	fl.StringSliceVar(&f.instances, "instances", nil, "candidate instance `types` (default: every one with a known price)")
	fl.IntSliceVar(&f.tp, "tp", nil, "candidate TP `degrees` (default: every supported one)")
	fl.IntSliceVar(&f.seqs, "max-num-seqs", nil, "candidate scheduler batch `limits` (default: the scenario's, half and twice it)")
	fl.StringVar(&f.objective, "objective", optimize.ObjectiveCost, "cost (cheapest meeting the SLOs) or margin (most profitable meeting them)")
	fl.Float64Var(&f.sloTarget, "slo-target", optimize.DefaultSLOTarget, "SLO attainment every workload with an SLO must reach (0: none)")
	fl.Float64Var(&f.maxAbandon, "max-session-abandon", 0, "highest session abandon rate any agent workload may have, a `fraction` from 0 to 1 (default: no limit)")
	fl.IntVar(&f.maxCount, "max-count", optimize.DefaultMaxCount, "largest instance count searched")
	fl.StringVar(&f.horizon, "horizon", "", "simulated `duration` per evaluation (default: the scenario's, at most 10m)")
	fl.IntVar(&f.replications, "replications", 1, "runs per configuration (seeds seed+0..n-1), pooled: SLO attainment and the other ratios over the runs' totals, as a sweep pools them")
	fl.IntVarP(&f.jobs, "jobs", "j", runtime.GOMAXPROCS(0), "runs in parallel; the default is the number of CPUs")
	fl.StringVar(&f.format, "format", "table", "output format: table or json")
	addCalibrationFlag(fl, &f.calibration)
	fl.BoolVar(&f.noStore, "no-store", false, "evaluate in a temporary store removed at exit: print the report, store nothing")
	addWidthFlag(cmd, &f.width)
	return cmd
}

// runOptimize checks the flags, runs the search with progress on stderr and
// prints the result. The search is planned, and so its input checked,
// before the store is opened, as run loads its scenario first: a refused
// search (a --set it ignores, a bad objective, one too large to run)
// created and migrated ./aiecon.duckdb or the --db store for nothing.
func runOptimize(ctx context.Context, e *env, f optimizeFlags, args []string) (err error) {
	opts, err := optimizeOptions(e, f, args)
	if err != nil {
		return err
	}
	search, err := optimize.Prepare(opts)
	if err != nil {
		return err
	}
	if err := checkOptimizeSuspects(e.stderr, search, opts.SLOTarget); err != nil {
		return err
	}
	if f.noStore {
		cleanup, err := useScratchStore(e, "optimize")
		if err != nil {
			return err
		}
		defer cleanup() // after closeStore: deferred calls run last first
	}
	store, err := data.OpenContext(ctx, e.dbPath, writerOptions(e))
	if err != nil {
		return err
	}
	defer closeStore(store, &err)
	res, err := search.Run(ctx, store)
	if err != nil {
		if res != nil && res.SweepID != "" && !e.noStore {
			fmt.Fprintf(e.stderr, "the evaluations so far are stored as sweep %s in %s\n", res.SweepID, e.dbPath)
		}
		return err
	}
	if err := reportOptimize(e, f, res); err != nil {
		return err
	}
	if res.Best == nil {
		return errNoFleet
	}
	return nil
}

// optimizeOptions checks the flags and reads the scenario into the
// search's options, with its progress lines on stderr unless quiet, and
// prints the notes on the scenario file's values the flags replace.
func optimizeOptions(e *env, f optimizeFlags, args []string) (optimize.Options, error) {
	if err := checkOptimizeFlags(f); err != nil {
		return optimize.Options{}, err
	}
	warnRepeatedSets(e.stderr, f.sets)
	arg, err := fileArg(args, "optimize")
	if err != nil {
		return optimize.Options{}, err
	}
	name, src, dir, err := runner.ReadSource(arg)
	if err != nil {
		return optimize.Options{}, err
	}
	sets, err := withCalibration(e, f.sets, f.calibration)
	if err != nil {
		return optimize.Options{}, err
	}
	opts := optimize.Options{Base: study.Base{Ref: arg, Name: name, Source: src, Dir: dir}, Sets: sets,
		Instances: f.instances, TP: f.tp, MaxNumSeqs: f.seqs, Objective: f.objective, SLOTarget: f.sloTarget,
		MaxCount: f.maxCount, Replications: f.replications, Workers: f.jobs, Version: aieconVersion()}
	if f.abandonSet {
		opts.MaxSessionAbandon = &f.maxAbandon
	}
	if f.horizon != "" {
		if err := flagAndSet(f.sets, "horizon", "horizon", f.horizon); err != nil {
			return optimize.Options{}, err
		}
		if opts.Horizon, err = model.ParseDuration(f.horizon); err != nil || opts.Horizon < model.Second || opts.Horizon > model.MaxHorizon {
			return optimize.Options{}, badInput("--horizon %q: want a duration from 1s to %v, such as 10m", f.horizon, model.MaxHorizon)
		}
	}
	noteMasked(e.stderr, name, src, dir, f.sets, f.horizon)
	noteReplaced(e.stderr, f)
	if !e.quiet {
		opts.Progress = func(r optimize.Round) {
			best := "none meets the target yet"
			if r.Best != nil {
				best = fmt.Sprintf("best %s at %s/h", r.Best.Describe(), fmtUSD(r.Best.FleetPerHourUSD))
			}
			fmt.Fprintf(e.stderr, "round %d: %s (%d in all), %s searching; %s\n", r.N, plural(r.Evals, "evaluation"), r.Total, plural(r.Active, "candidate"), best)
		}
		opts.Planned = func(est optimize.Estimate) { fmt.Fprintf(e.stderr, "optimize: %s\n", est) }
		opts.RunProgress = newRoundProgress(e.stderr, time.Now).update
	}
	return opts, nil
}

// errNoFleet is optimize's error when the search ran and no fleet met the
// target: the command exited 0 then, so a script or CI job could not tell
// "none" from an answer without parsing the report. It is a failure while
// running (exit 1), not bad input (exit 2): the flags and scenario were
// valid, the evaluations ran and are stored, and the full report, NO FLEET
// MET THE TARGET and best: null in --format json, is printed first.
var errNoFleet = errors.New("no fleet met the target: the report on stdout says what each candidate reached and which flags widen the search")

// roundProgress shows, in a round that runs long (many replications), how
// many of its runs have ended: the round's own line comes only when it
// ends, and 600,000 runs printed nothing for hours. A line once the round
// has run progressAfter, then at most every progressEvery, as sweep's
// check lines are; a round of a few seconds prints none.
type roundProgress struct {
	w     io.Writer
	now   func() time.Time
	round int
	lineThrottle
}

func newRoundProgress(w io.Writer, now func() time.Time) *roundProgress {
	return &roundProgress{w: w, now: now}
}

func (p *roundProgress) update(round int, pr study.Progress) {
	if round != p.round {
		p.round, p.lineThrottle = round, lineThrottle{start: pr.Started}
	}
	t := p.now()
	ended := pr.Done + pr.Failed
	if ended == 0 || !p.due(t) {
		return
	}
	elapsed := t.Sub(pr.Started)
	eta := time.Duration(float64(elapsed) / float64(ended) * float64(pr.Total-ended))
	fmt.Fprintf(p.w, "round %d: %d of %s ended (%d failed), %s; ETA %s\n",
		round, ended, plural(pr.Total, "run"), pr.Failed, elapsed.Round(time.Second), eta.Round(time.Second))
}

// noteMasked prints, as run does, a note on each of the scenario file's own
// invalid values that --set or --horizon replaces, so that the search goes
// ahead but the user learns the file is broken there; and one on the
// scenario's autoscaler, which the search removes (it sizes a static
// fleet), so that a user who wrote one learns that it is not evaluated.
func noteMasked(w io.Writer, name string, src []byte, dir string, sets []string, horizon string) {
	if horizon != "" {
		sets = append(slices.Clone(sets), "horizon="+horizon)
	}
	l, err := runner.LoadSource(name, src, dir, sets)
	if err != nil {
		return // the search reports it
	}
	for _, n := range runner.MaskedByOverrides(l) {
		fmt.Fprintln(w, "aiecon: note: "+n)
	}
	if l.Scenario.Fleet.Autoscale != nil && optimize.RefuseIneffectiveSets(sets) == nil { // a refused --set made it: the refusal says so
		fmt.Fprintln(w, "aiecon: note: the scenario's autoscaler (fleet.autoscale) is removed: optimize sizes a static fleet, each evaluation a fixed count")
	}
}

// noteReplaced prints a note on each --set of a field the search replaces
// on every candidate (optimize.ReplacedSets: a TP degree without --tp, a
// per_instance, a max_num_seqs beside --max-num-seqs), which it takes, as
// the scenario must load, but which does not shape the candidates: a user
// who asked for TP 24 got every degree without a word. None where a --set
// is refused, which says why.
func noteReplaced(w io.Writer, f optimizeFlags) {
	if optimize.RefuseIneffectiveSets(f.sets) != nil {
		return
	}
	for _, n := range optimize.ReplacedSets(f.sets, f.tp, f.seqs) {
		fmt.Fprintln(w, "aiecon: note: "+n)
	}
}

// checkOptimizeFlags refuses counts below 1: the search reads a zero as
// "the default", which is not what someone typing --max-count 0 meant. A
// session abandonment limit or SLO target outside 0..1 (or NaN, which pflag
// parses) and a count past the search's bound are refused here, naming the
// flag, before the scenario is read: the search's own checks came after it
// and named no flag ("max count 1000000000: want 1 to 100000").
func checkOptimizeFlags(f optimizeFlags) error {
	if err := checkFormat(f.format, "table", "json"); err != nil {
		return err
	}
	if err := checkJobs(f.jobs); err != nil {
		return err
	}
	if f.instances != nil && len(f.instances) == 0 { // --instances '': pflag's empty, not nil, list
		return badInput("--instances: empty list")
	}
	if err := checkListedOnce(f); err != nil {
		return err
	}
	if f.abandonSet && !(f.maxAbandon >= 0 && f.maxAbandon <= 1) { // NaN too
		return badInput("--max-session-abandon %v: want a fraction from 0 to 1", f.maxAbandon)
	}
	if !(f.sloTarget >= 0 && f.sloTarget <= 1) { // NaN too
		return badInput("--slo-target %v: want a fraction from 0 to 1", f.sloTarget)
	}
	for _, l := range []struct {
		flag string
		vals []int
		most int // 0: no bound here
	}{{"--max-count", []int{f.maxCount}, model.MaxInstances}, {"--replications", []int{f.replications}, study.MaxReplications},
		{"--tp", f.tp, 0}, {"--max-num-seqs", f.seqs, 0}} {
		for _, v := range l.vals {
			if v < 1 {
				return badInput("%s %d: want 1 or more", l.flag, v)
			}
			if l.most > 0 && v > l.most {
				return badInput("%s %d: want 1 to %d", l.flag, v, l.most)
			}
		}
	}
	return nil
}

// checkListedOnce refuses a value listed twice in --instances, --tp or
// --max-num-seqs, as a sweep refuses one on a grid axis: each candidate
// would be simulated and listed twice (instance types compared as their
// names are looked up, ignoring case), and a repeat is more often a typo
// for another value than a wish to run one twice.
func checkListedOnce(f optimizeFlags) error {
	if v, ok := firstRepeat(f.instances, strings.ToLower); ok {
		return badInput("--instances: %s is listed twice; list each instance type once", v)
	}
	same := func(v int) int { return v }
	if v, ok := firstRepeat(f.tp, same); ok {
		return badInput("--tp: %d is listed twice; list each TP degree once", v)
	}
	if v, ok := firstRepeat(f.seqs, same); ok {
		return badInput("--max-num-seqs: %d is listed twice; list each batch limit once", v)
	}
	return nil
}

// firstRepeat is the first value of vs whose key an earlier one shares.
func firstRepeat[T any, K comparable](vs []T, key func(T) K) (T, bool) {
	seen := map[K]bool{}
	for _, v := range vs {
		if seen[key(v)] {
			return v, true
		}
		seen[key(v)] = true
	}
	var zero T
	return zero, false
}
