package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"runtime"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"aiecon/data"
	"aiecon/model"
	"aiecon/model/format"
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

PRICES lists each instance type's price per hour with where it comes from
and of when (its catalog region and date, source and label; 'aiecon hw show
INSTANCE' gives the source in full). Catalog prices differ in date: under
BEST, PRICES OF DIFFERENT DATES warns when two prices compared are dated more
than 6 months apart, and PRICE FROM A MIRROR when one is read from a
third-party copy of the vendor's page beside one that is not.

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
does not see it. Under BEST, SESSIONS ABANDONED warns as 'aiecon run' does
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
// prints the result.
func runOptimize(ctx context.Context, e *env, f optimizeFlags, args []string) (err error) {
	if err := checkOptimizeFlags(f); err != nil {
		return err
	}
	warnRepeatedSets(e.stderr, f.sets)
	arg := ""
	if len(args) == 1 {
		arg = args[0]
	}
	name, src, dir, err := runner.ReadSource(arg)
	if err != nil {
		return err
	}
	sets, err := withCalibration(e, f.sets, f.calibration)
	if err != nil {
		return err
	}
	opts := optimize.Options{Base: study.Base{Ref: arg, Name: name, Source: src, Dir: dir}, Sets: sets,
		Instances: f.instances, TP: f.tp, MaxNumSeqs: f.seqs, Objective: f.objective, SLOTarget: f.sloTarget,
		MaxCount: f.maxCount, Replications: f.replications, Workers: f.jobs, Version: aieconVersion()}
	if f.abandonSet {
		opts.MaxSessionAbandon = &f.maxAbandon
	}
	if f.horizon != "" {
		if err := flagAndSet(f.sets, "horizon", "horizon", f.horizon); err != nil {
			return err
		}
		if opts.Horizon, err = model.ParseDuration(f.horizon); err != nil || opts.Horizon < model.Second || opts.Horizon > model.MaxHorizon {
			return badInput("--horizon %q: want a duration from 1s to %v, such as 10m", f.horizon, model.MaxHorizon)
		}
	}
	noteMasked(e.stderr, name, src, dir, f.sets, f.horizon)
	noteReplaced(e.stderr, f)
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
	opts.Store = store
	if !e.quiet {
		opts.Progress = func(r optimize.Round) {
			best := "none meets the target yet"
			if r.Best != nil {
				best = fmt.Sprintf("best %s at %s/h", r.Best.Describe(), fmtUSD(r.Best.FleetPerHourUSD))
			}
			fmt.Fprintf(e.stderr, "round %d: %s (%d in all), %d candidates searching; %s\n", r.N, plural(r.Evals, "evaluation"), r.Total, r.Active, best)
		}
		opts.Planned = func(est optimize.Estimate) { fmt.Fprintf(e.stderr, "optimize: %s\n", est) }
		opts.RunProgress = newRoundProgress(e.stderr, time.Now).update
	}
	res, err := optimize.Run(ctx, opts)
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

// errNoFleet is optimize's error when the search ran and no fleet met the
// target: the command exited 0 then, so a script or CI job could not tell
// "none" from an answer without parsing the report. It is a failure while
// running (exit 1), not bad input (exit 2): the flags and scenario were
// valid, the evaluations ran and are stored, and the full report, NO FLEET
// MET THE TARGET and best: null in --format json, is printed first.
var errNoFleet = errors.New("no fleet met the target: the report on stdout says what each candidate reached and which flags widen the search")

// reportOptimize prints the search's report, as JSON or as the text
// report with its extrapolation warnings.
func reportOptimize(e *env, f optimizeFlags, res *optimize.Result) error {
	if f.format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(optimizeJSON(res, storedAt(e)))
	}
	width := reportWidth(e, f.width)
	if err := printOptimize(e.stdout, res, storedAt(e), width); err != nil {
		return err
	}
	return printExtrapWarnings(e.stdout, res, width)
}

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
	fmt.Fprintf(p.w, "round %d: %d of %d runs ended (%d failed), %s; ETA %s\n",
		round, ended, pr.Total, pr.Failed, elapsed.Round(time.Second), eta.Round(time.Second))
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

// noiseNote warns when the best meets the SLO target by less than its
// noise. Over replications that is the 95% interval of its attainment
// (study.ProportionCI) reaching below the target (inferentia-small's 7 x
// g5.xlarge read 99.05% on three replications against 99%, the interval
// 0.47 points either side); on one, which measures no spread, a margin
// under half the shortfall from 100% (it met 99.0% at seed 1 and missed at
// seeds 2-4 and over an hour).
func noiseNote(res *optimize.Result) string {
	b := res.Best
	if b == nil || res.SLOTarget <= 0 {
		return ""
	}
	over := b.Attainment - res.SLOTarget
	if lo := b.AttainmentLow; res.Replications >= 2 && !math.IsNaN(lo) {
		if lo >= res.SLOTarget {
			return ""
		}
		return fmt.Sprintf("NEAR THE TARGET: %s meets %s by %.2f points on %s of %s, inside its 95%% interval (%.2f%% to %.2f%%); "+
			"more --replications or a longer --horizon says whether it holds", b.Describe(), fmtTarget(res.SLOTarget),
			100*over, plural(res.Replications, "replication"), res.Horizon, 100*lo, 100*b.AttainmentHigh)
	}
	if over >= (1-res.SLOTarget)/2 {
		return ""
	}
	return fmt.Sprintf("NEAR THE TARGET: %s meets %s by %.2f points on %s of %s, within what another seed moves; "+
		"--replications 5 or a longer --horizon says whether it holds", b.Describe(), fmtTarget(res.SLOTarget),
		100*over, plural(res.Replications, "replication"), res.Horizon)
}

// marginNote says, under the margin objective, which fleets of another
// price the best cannot be told from: neighbouring fleets are often within
// the noise (baseline's trn2 best moved from 2 to 6 instances with the
// seed), and a cheaper one so tied is the same answer at a lower price.
// Every feasible fleet is compared with the best (marginTies), not only
// the runner-up by mean: on baseline, 3 x p5.48xlarge trailed the best 2 x
// by a nearly constant $1.31 (one instance's cost), so its gap cleared
// zero, while 1 x, at half the best's price, trailed by $1.18 ± $3.89 and
// led on one seed, and the note said nothing. The cheaper tied fleets are
// named, cheapest first; with none, the tied fleet of a higher price with
// the highest margin.
func marginNote(res *optimize.Result) string {
	b := res.Best
	if b == nil || res.Objective != optimize.ObjectiveMargin {
		return ""
	}
	ties := marginTies(res)
	if len(ties) == 0 {
		return ""
	}
	paired := res.Replications >= 2
	head, tail := "CLOSE MARGINS", "more --replications tells them apart"
	if !paired {
		head, tail = "ONE SEED'S MARGIN", "one replication measures no noise, and a seed can reorder fleets this close: --replications 5 gives intervals"
	}
	var cheaper []marginTie
	for _, t := range ties {
		if t.e.FleetPerHourUSD < b.FleetPerHourUSD {
			cheaper = append(cheaper, t)
		}
	}
	if len(cheaper) == 0 {
		t := slices.MaxFunc(ties, func(x, y marginTie) int { return cmp.Compare(x.e.MarginUSD, y.e.MarginUSD) })
		return fmt.Sprintf("%s: %s, at %s/h, earns %s less over %s, %s; %s", head, t.e.Describe(), fmtUSD(t.e.FleetPerHourUSD),
			fmtUSD(t.gap), res.Horizon, t.within(b, paired), tail)
	}
	first := cheaper[0]
	note := fmt.Sprintf("%s: a cheaper fleet, %s, at %s/h against the best's %s/h, earns %s less over %s, %s", head,
		first.e.Describe(), fmtUSD(first.e.FleetPerHourUSD), fmtUSD(b.FleetPerHourUSD), fmtUSD(first.gap), res.Horizon, first.within(b, paired))
	const listed = 3 // cheaper fleets named beside the first
	var also []string
	for _, t := range cheaper[1:min(len(cheaper), 1+listed)] {
		gap := fmtUSD(t.gap) + " less"
		if paired {
			gap += ", ±" + fmtUSD(t.hw)
		}
		also = append(also, fmt.Sprintf("%s at %s/h (%s)", t.e.Describe(), fmtUSD(t.e.FleetPerHourUSD), gap))
	}
	if len(also) > 0 {
		note += "; so do " + strings.Join(also, ", ")
		if more := len(cheaper) - 1 - len(also); more > 0 {
			note += fmt.Sprintf(" and %s more", plural(more, "cheaper fleet"))
		}
	}
	return note + "; the best's lead may be noise: " + tail
}

// marginTie is a feasible fleet whose margin the evaluations cannot tell
// from the best's: gap is the best's margin less its own (paired by seed
// over replications), hw the half-width of the gap's 95% interval (NaN on
// one replication).
type marginTie struct {
	e       *optimize.Eval
	gap, hw float64
}

// within says why the tie is one: the paired interval, or on one
// replication the gap's share of the best's margin.
func (t marginTie) within(best *optimize.Eval, paired bool) string {
	if paired {
		return fmt.Sprintf("within the 95%% interval of the difference paired by seed (±%s)", fmtUSD(t.hw))
	}
	rel, why := format.RelChange(best.MarginUSD-t.gap, best.MarginUSD)
	if why != "" || math.IsNaN(rel) {
		// A share of a margin at or next to zero, or of one the tie's is on
		// the other side of zero from, means nothing (1,000% of $0.10).
		if !(math.Abs(best.RevenueUSD) > 0) {
			return fmt.Sprintf("%s apart (the best's margin, %s, is too near zero for a share of it, and it earns no revenue)",
				fmtUSD(t.gap), fmtUSD(best.MarginUSD))
		}
		return fmt.Sprintf("%s of the best's revenue (its margin, %s, is too near zero for a share of it)",
			fmtPct(t.gap/math.Abs(best.RevenueUSD)), fmtUSD(best.MarginUSD))
	}
	return fmt.Sprintf("%s of the best's margin", fmtPct(-rel))
}

// marginTies are the feasible fleets of another price than the best's
// whose margin is within the noise of the best's, cheapest first, one per
// price (of its layouts so tied, the one that earned most): one that
// differs from the best only in its replica layout is the same purchase.
// Over replications, which run on shared seeds (replication r of every
// evaluation on one seed), a fleet is tied when the interval of its gap
// paired by seed (optimize.PairedMarginGap) reaches zero. One replication
// measures no noise: there a gap under 5% of the best's revenue is within
// what a seed moves (revenue moves by a share of itself, commerce 2.3%
// over an hour of baseline, more over shorter runs), so a thin margin can
// be overturned by a gap far larger than a share of the margin.
func marginTies(res *optimize.Result) []marginTie {
	b := res.Best
	byPrice := map[float64]marginTie{}
	for _, e := range res.Evals {
		if !e.Feasible || e.FleetPerHourUSD == b.FleetPerHourUSD {
			continue
		}
		t := marginTie{e: e, gap: b.MarginUSD - e.MarginUSD, hw: math.NaN()}
		if res.Replications >= 2 {
			t.gap, t.hw = optimize.PairedMarginGap(b, e)
			if math.IsNaN(t.hw) || t.gap > t.hw {
				continue
			}
		} else if !(t.gap < 0.05*math.Abs(b.RevenueUSD)) {
			continue
		}
		if prev, ok := byPrice[e.FleetPerHourUSD]; !ok || e.MarginUSD > prev.e.MarginUSD {
			byPrice[e.FleetPerHourUSD] = t
		}
	}
	ties := make([]marginTie, 0, len(byPrice))
	for _, t := range byPrice {
		ties = append(ties, t)
	}
	slices.SortFunc(ties, func(x, y marginTie) int { return cmp.Compare(x.e.FleetPerHourUSD, y.e.FleetPerHourUSD) })
	return ties
}

// optimizeGoal is what the search looked for, as the first line says it.
func optimizeGoal(res *optimize.Result) string {
	var cons []string
	if res.SLOTarget > 0 || res.Objective == optimize.ObjectiveCost {
		cons = append(cons, fmt.Sprintf("SLO attainment >= %s for %s", fmtTarget(res.SLOTarget), strings.Join(res.SLOs, ", ")))
	}
	if l := res.MaxSessionAbandon; l != nil {
		cons = append(cons, fmt.Sprintf("session abandonment <= %s for %s", fmtTarget(*l), strings.Join(res.Agents, ", ")))
	}
	if res.Objective == optimize.ObjectiveCost {
		return "the cheapest fleet with " + strings.Join(cons, " and ")
	}
	if len(cons) == 0 {
		return "the fleet with the highest margin"
	}
	return "the fleet with the highest margin among those with " + strings.Join(cons, " and ")
}

// printBest prints the BEST line and the notes under it (optimizeNotes),
// or says that no fleet met the target and which flags widen it, wrapped
// to width (wrapWriter; 0: one line each).
func printBest(w io.Writer, res *optimize.Result, width int) {
	pw := newWrapWriter(w, width)
	defer pw.Flush()
	b := res.Best
	if b != nil {
		abandon := ""
		if len(res.Agents) > 0 {
			abandon = ", session abandonment " + fmtPct(b.SessionAbandon)
		}
		fmt.Fprintf(pw, "BEST  %s: %s/h (%s/h with training and licensing), SLO attainment %s%s%s, margin %s over %s\n", b.Describe(),
			fmtUSD(b.FleetPerHourUSD), fmtUSD(b.CostPerHourUSD), fmtPct(b.Attainment), worstWorkload(res, b), abandon, fmtUSD(b.MarginUSD), res.Horizon)
	}
	for _, note := range optimizeNotes(res) {
		fmt.Fprintln(pw, note)
	}
	if b != nil {
		fmt.Fprintln(pw)
	}
}

// optimizeNotes are the lines the table prints under its BEST line (the
// noise, margin, free-fleet, same-price, abandonment (run's check, then
// the fleets that abandoned fewer), gross-commerce and
// price notes, and the schedulers the candidates ran under), or in its
// place where no fleet met the target (noFleetNote, and the schedulers);
// --format json gives them as "notes", from here, so that it says what
// the table says.
func optimizeNotes(res *optimize.Result) []string {
	if res.Best == nil {
		return slices.DeleteFunc([]string{noFleetNote(res), schedulerNote(res)}, func(n string) bool { return n == "" })
	}
	notes := []string{noiseNote(res), marginNote(res), freeNote(res), samePriceNote(res), bestAbandonedNote(res), abandonNote(res), commerceNote(res),
		optimize.BestPriceNote(res)}
	notes = append(notes, optimize.PriceNotes(res.Prices())...)
	notes = append(notes, schedulerNote(res))
	return slices.DeleteFunc(notes, func(n string) bool { return n == "" })
}

// noFleetNote says that no fleet met the target and which flags widen it:
// where a session abandonment limit bound, the lowest abandonment evaluated.
func noFleetNote(res *optimize.Result) string {
	if least := abandonBinds(res); least != nil {
		lead := fmt.Sprintf("NO FLEET MET THE TARGET: the lowest session abandonment evaluated was %s (%s, at %s/h), above the limit %s; ",
			fmtPct(least.SessionAbandon), least.Describe(), fmtUSD(least.FleetPerHourUSD), fmtTarget(*res.MaxSessionAbandon))
		if least.SessionFail > 0 {
			// The fleet's failures are no floor: more instances (or queue
			// room) drop and time out fewer calls.
			return lead + fmt.Sprintf("%s of the sessions that ended there the fleet failed (a call dropped at queue_limit or timed out "+
				"past queue_timeout), which a larger fleet (--max-count) or more queue room does bring lower; the other %s, users "+
				"out of patience, a larger fleet may not: raise --max-count, or --max-session-abandon (see each candidate below)",
				fmtPct(least.SessionFail), fmtPct(least.SessionAbandon-least.SessionFail))
		}
		return lead + fmt.Sprintf("users abandon some sessions at any fleet size (their patience), so a larger fleet (--max-count) "+
			"may not bring it lower: --max-session-abandon should be at least %s (see each candidate below)", fmtPct(least.SessionAbandon))
	}
	widen := "raise --max-count or lower --slo-target"
	if res.MaxSessionAbandon != nil {
		widen = "raise --max-count or --max-session-abandon, or lower --slo-target"
	}
	return fmt.Sprintf("NO FLEET MET THE TARGET (see each candidate below; %s)", widen)
}

// worstWorkload is " (worst workload: NAME)" after an evaluation's SLO
// attainment where several workloads have an SLO: the figure is the lowest
// of theirs, which the search ranks and the target bounds, not the run's
// over all its requests that show and run print (baseline's best read
// 99.3% here, shopping-assistant's, and 99.5% in show). "" with one
// workload under an SLO, whose figure is the run's, and where several
// share the lowest (the search names none of them: none is the worst).
func worstWorkload(res *optimize.Result, e *optimize.Eval) string {
	if len(res.SLOs) < 2 || e.AttainmentWorkload == "" {
		return ""
	}
	return " (worst workload: " + e.AttainmentWorkload + ")"
}

// abandonBinds returns, when no fleet is feasible and the session
// abandonment limit is what kept out a fleet that met the SLO target, the
// evaluated fleet that abandoned the fewest sessions; nil otherwise. Then
// "raise --max-count" misleads: abandonment falls with the count towards
// what users' patience leaves (baseline on trn2 levels off near 27%), and
// no fleet meets a limit below that.
func abandonBinds(res *optimize.Result) *optimize.Eval {
	l := res.MaxSessionAbandon
	if res.Best != nil || l == nil {
		return nil
	}
	var least *optimize.Eval
	binds := false
	for _, e := range res.Evals {
		if e.Runs == 0 || math.IsNaN(e.SessionAbandon) {
			continue
		}
		if (res.SLOTarget <= 0 || e.Attainment >= res.SLOTarget) && e.SessionAbandon > *l { // as the search's feasible
			binds = true
		}
		if least == nil || e.SessionAbandon < least.SessionAbandon ||
			e.SessionAbandon == least.SessionAbandon && e.FleetPerHourUSD < least.FleetPerHourUSD {
			least = e
		}
	}
	if !binds {
		return nil
	}
	return least
}

// abandonNote says, under the cost objective (the margin objective counts
// an abandoned session's lost revenue already) and when session
// abandonment is not limited, that a fleet the search evaluated abandoned
// clearly fewer sessions (5 points or more) than the best: a larger one,
// or one of the same price that met the target too (a layout that won
// less on SLO attainment, which the search ranks first). The SLOs can be
// met while users give up on slow sessions (baseline's 2 x trn2.48xlarge
// met 100% and lost 48.2% of its sessions, 33.3% at 4). Below 5 points it
// is within what a seed moves over a short horizon. Its label, FEWER
// SESSIONS ABANDONED, is not run's SESSIONS ABANDONED (bestAbandonedNote),
// which weighs the best's abandonment alone.
func abandonNote(res *optimize.Result) string {
	b := res.Best
	if b == nil || res.Objective != optimize.ObjectiveCost || res.MaxSessionAbandon != nil || math.IsNaN(b.SessionAbandon) {
		return ""
	}
	var less *optimize.Eval
	for _, e := range res.Evals {
		alike := e.FleetPerHourUSD == b.FleetPerHourUSD && e.Feasible && e != b
		if e.Runs > 0 && (e.FleetPerHourUSD > b.FleetPerHourUSD || alike) && e.SessionAbandon <= b.SessionAbandon-0.05 &&
			(less == nil || e.SessionAbandon < less.SessionAbandon ||
				e.SessionAbandon == less.SessionAbandon && e.FleetPerHourUSD < less.FleetPerHourUSD) {
			less = e
		}
	}
	if less == nil {
		return ""
	}
	at := "at " + fmtUSD(less.FleetPerHourUSD) + "/h"
	if less.FleetPerHourUSD == b.FleetPerHourUSD {
		at = fmt.Sprintf("at the same %s/h, meeting the target too (SLO attainment %s)", fmtUSD(less.FleetPerHourUSD), fmtPct(less.Attainment))
	}
	return fmt.Sprintf("FEWER SESSIONS ABANDONED: %s abandons %s of its agent sessions, %s abandons %s %s; "+
		"--max-session-abandon FRACTION makes the search count that", b.Describe(), fmtPct(b.SessionAbandon),
		less.Describe(), fmtPct(less.SessionAbandon), at)
}

// samePriceNote says, under the cost objective, that a fleet of the best's
// price that met the target too earned a higher margin: at one price the
// search ranks SLO attainment first (the best served a little more
// within its SLOs) and the margin only after it, so the layout that
// earned more is named rather than hidden behind the best (a frontier
// lists one fleet per price).
//
// A free best (fleet.price_usd_per_hour: 0) is compared with free fleets of
// its own count alone: the search takes the fewest free instances before
// SLO attainment (freeNote names a larger one that earned more), so "at
// one price the search ranks SLO attainment before margin" would misstate
// why a larger one lost.
func samePriceNote(res *optimize.Result) string {
	b := res.Best
	if b == nil || res.Objective != optimize.ObjectiveCost || math.IsNaN(b.MarginUSD) {
		return ""
	}
	var more *optimize.Eval
	for _, e := range res.Evals {
		if b.FleetPerHourUSD == 0 && e.Count != b.Count {
			continue
		}
		if e != b && e.Feasible && e.FleetPerHourUSD == b.FleetPerHourUSD && e.MarginUSD > b.MarginUSD &&
			(more == nil || e.MarginUSD > more.MarginUSD) {
			more = e
		}
	}
	if more == nil {
		return ""
	}
	abandon := ""
	if len(res.Agents) > 0 && !math.IsNaN(more.SessionAbandon) {
		abandon = fmt.Sprintf(", session abandonment %s against %s", fmtPct(more.SessionAbandon), fmtPct(b.SessionAbandon))
	}
	return fmt.Sprintf("SAME PRICE, HIGHER MARGIN: %s costs the same %s/h and meets the target too, with SLO attainment %s "+
		"against the best's %s, and earns %s against %s over %s%s; at one price the search ranks SLO attainment before margin",
		more.Describe(), fmtUSD(b.FleetPerHourUSD), fmtPct(more.Attainment), fmtPct(b.Attainment), fmtUSD(more.MarginUSD),
		fmtUSD(b.MarginUSD), res.Horizon, abandon)
}

// freeNote says how the best was chosen when it is free and another free
// fleet met the target too (fleet.price_usd_per_hour: 0, capacity already
// paid for): every count of a free candidate costs $0/h, so cost breaks
// no tie. The cost objective takes the fewest instances among them (the
// search's better), and the note names the larger free fleet that earned
// the most where it earned more, which only --objective margin would
// pick; the margin objective ranks them by margin, and the note names the
// smallest that met the target where the best is not it. "" otherwise.
func freeNote(res *optimize.Result) string {
	b := res.Best
	if b == nil || b.FleetPerHourUSD != 0 {
		return ""
	}
	n := 0
	var least, richest *optimize.Eval
	for _, e := range res.Evals {
		if !e.Feasible || e.FleetPerHourUSD != 0 {
			continue
		}
		n++
		if least == nil || e.Count < least.Count {
			least = e
		}
		if e.Count > b.Count && e.MarginUSD > b.MarginUSD && (richest == nil || e.MarginUSD > richest.MarginUSD) {
			richest = e
		}
	}
	if n < 2 {
		return ""
	}
	head := fmt.Sprintf("FREE FLEET: %d evaluated fleets met the target at $0/h (the scenario's price of 0), so cost breaks no tie: ", n)
	if res.Objective == optimize.ObjectiveMargin {
		smallest := "it is also the smallest that did"
		if least.Count < b.Count {
			smallest = fmt.Sprintf("the smallest that did is %s, at SLO attainment %s", least.Describe(), fmtPct(least.Attainment))
		}
		return head + "the search ranks margin (the objective), then SLO attainment, then session abandonment, " +
			"then the candidates' order and fewer instances; " + smallest
	}
	larger := "no larger one earned more"
	if richest != nil {
		larger = fmt.Sprintf("a larger one earned more: %s, %s against %s over %s (--objective margin ranks free fleets by what they earn)",
			richest.Describe(), fmtUSD(richest.MarginUSD), fmtUSD(b.MarginUSD), res.Horizon)
	}
	return head + "the cost objective takes the fewest instances among them, then SLO attainment, then margin, " +
		"then session abandonment, then the candidates' order; it is the smallest that did, and " + larger
}

// storedAt is the store a command's runs are kept in: "" with --no-store.
func storedAt(e *env) string {
	if e.noStore {
		return ""
	}
	return e.dbPath
}

// printOptimize prints the search's text report, its prose wrapped to
// width (wrapWriter; 0: one line each), its tables never; dbPath "": the
// evaluations were not stored (--no-store).
func printOptimize(w io.Writer, res *optimize.Result, dbPath string, width int) error {
	fprintWrapped(w, width, "optimize: %s; %s simulated per evaluation\n", optimizeGoal(res), res.Horizon)
	nPruned := 0
	for _, c := range res.Candidates {
		if c.Pruned != "" {
			nPruned++
		}
	}
	stored := fmt.Sprintf("stored as sweep %s in %s", res.SweepID, dbPath)
	if dbPath == "" {
		stored = "not stored (--no-store)"
	}
	fprintWrapped(w, width, "%d candidates (instance x tp x max_num_seqs), %d pruned before running; %s in %s, %s\n\n",
		len(res.Candidates), nPruned, plural(len(res.Evals), "evaluation"), plural(res.Rounds, "round"), stored)

	printBest(w, res, width)

	if err := printFrontier(w, res, width); err != nil {
		return err
	}

	fmt.Fprintln(w, "\nCANDIDATES")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  INSTANCE\tTP\tSEQS\t$/H EACH\tEXTRAP\tEVALS\tOUTCOME")
	evals := map[int]int{}
	for _, e := range res.Evals {
		evals[e.Candidate]++
	}
	for i, c := range res.Candidates {
		if c.Pruned == "" {
			outcome := c.Outcome
			if c.Best != nil {
				outcome += fmt.Sprintf(" (%s/h)", fmtUSD(c.Best.FleetPerHourUSD))
			}
			fmt.Fprintf(tw, "  %s\t%d\t%d\t%s\t%s\t%d\t%s\n", c.Instance, c.TP, c.MaxNumSeqs, fmtUSD(c.PriceUSDPerHour), extrapMark(c), evals[i], outcome)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fprintWrapped(w, width, "%s\n", extrapLegend(res))
	if err := printPrices(w, res, width); err != nil {
		return err
	}
	if pruned := optimize.PrunedSummary(res.Candidates); len(pruned) > 0 {
		fmt.Fprintln(w, "\nPRUNED (never run)")
		for _, line := range pruned {
			fprintWrapped(w, width, "  %s\n", line)
		}
	}
	return nil
}

// printPrices says where each instance type's price comes from and of
// when: the search ranks fleets by prices whose sources differ in date
// (a Capacity Blocks rate of 2026 beside one of late 2024).
func printPrices(w io.Writer, res *optimize.Result, width int) error {
	fprintWrapped(w, width, "%s\n", "\nPRICES (per instance-hour, as the search compared them; aiecon hw show INSTANCE gives each source)")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, p := range res.Prices() {
		when := p.When()
		if when == "" {
			when = "fleet.price_usd_per_hour"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", p.Instance, fmtUSD(p.USDPerHour), p.From, when)
	}
	return tw.Flush()
}

func optimizeJSON(res *optimize.Result, dbPath string) any {
	num := func(v float64) any {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil
		}
		return v
	}
	eval := func(e *optimize.Eval) any {
		if e == nil {
			return nil
		}
		return map[string]any{"instance": e.Layout.Instance, "tp": e.Layout.TP, "max_num_seqs": e.Layout.MaxNumSeqs, "count": e.Count,
			"fleet_cost_per_hour_usd": num(e.FleetPerHourUSD), "cost_per_hour_usd": num(e.CostPerHourUSD), "slo_attainment_min": num(e.Attainment),
			"slo_attainment_min_workload": nullIfEmpty(e.AttainmentWorkload), "margin_usd": num(e.MarginUSD),
			"revenue_usd": num(e.RevenueUSD), "revenue_ceiling_usd": num(e.RevenueCeilingUSD), "session_abandon_rate_max": num(e.SessionAbandon), "feasible": e.Feasible, "sweep_point": e.Point, "runs": e.Runs,
			"slo_attainment_min_ci95_half_width": num(e.AttainmentHalfWidth), "slo_attainment_min_ci95_low": num(e.AttainmentLow),
			"slo_attainment_min_ci95_high": num(e.AttainmentHigh), "margin_usd_ci95_half_width": num(e.MarginHalfWidth),
			"step_times_extrapolated": len(gapsJSON(candidateOf(res, e))) > 0, "step_times_extrapolations": gapsJSON(candidateOf(res, e))}
	}
	var front, evs, cands []any
	for _, e := range res.Frontier() {
		front = append(front, eval(e))
	}
	for _, e := range res.Evals {
		evs = append(evs, eval(e))
	}
	for _, c := range res.Candidates {
		cands = append(cands, map[string]any{"instance": c.Instance, "tp": c.TP, "max_num_seqs": c.MaxNumSeqs,
			"price_per_instance_hour_usd": num(c.PriceUSDPerHour), "price_source": c.Price.From, "price_date": c.Price.When(),
			"pruned": c.Pruned, "outcome": c.Outcome, "best": eval(c.Best),
			"step_times_extrapolated": len(c.Extrapolated) > 0, "step_times_extrapolations": gapsJSON(c)})
	}
	notes := optimize.PriceNotes(res.Prices())
	if n := optimize.BestPriceNote(res); n != "" {
		notes = append(notes, n)
	}
	if notes == nil {
		notes = []string{}
	}
	var maxAbandon any
	if l := res.MaxSessionAbandon; l != nil {
		maxAbandon = *l
	}
	var store any = dbPath
	if dbPath == "" {
		store = nil // --no-store: nothing was stored
	}
	return map[string]any{"sweep_id": res.SweepID, "store": store, "objective": res.Objective, "slo_target": res.SLOTarget,
		"slo_workloads": res.SLOs, "agent_workloads": res.Agents, "max_session_abandon": maxAbandon, "horizon": res.Horizon.String(), "rounds": res.Rounds, "best": eval(res.Best),
		"frontier": front, "evaluations": evs, "candidates": cands, "price_notes": notes, "notes": optimizeNotes(res),
		"extrapolation_warnings": extrapNotes(res)}
}

// nullIfEmpty is s, or JSON null for "" (the worst workload of an
// evaluation where no request ended).
func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// printFrontier prints the cost/attainment frontier of the evaluations,
// the best marked (and listed even where it is off the frontier).
func printFrontier(w io.Writer, res *optimize.Result, width int) error {
	legend := newWrapWriter(w, width) // the heading's lines, wrapped
	fmt.Fprintln(legend, "FRONTIER (fleet cost against the lowest SLO attainment of the workloads; * = best, listed even off the frontier;")
	fmt.Fprintf(legend, "FLEET/H is what the instances cost, which the search ranks; TOTAL/H adds training and content licensing;\n"+
		"MARGIN is each evaluation's over its %s horizon, not per hour;\n", res.Horizon)
	fmt.Fprintln(legend, "EXTRAP marks step times extrapolated beyond their constants' measurements, as under CANDIDATES)")
	agents := len(res.Agents) > 0
	if agents {
		fmt.Fprintln(legend, "ABANDON is the highest session abandon rate of the agent workloads: users who gave up on a slow session, "+
			"and sessions the fleet failed (a call dropped or timed out)")
		if res.MaxSessionAbandon != nil {
			// The limit makes abandonment a dimension of the front: the
			// larger fleets that abandon fewer sessions are listed too.
			fmt.Fprintln(legend, "with --max-session-abandon the frontier ranks it too: a fleet is listed unless another is no costlier, no lower in SLO and no higher in ABANDON")
		}
	}
	if err := legend.Flush(); err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	head := "  COUNT\tINSTANCE\tTP\tSEQS\tFLEET/H\tTOTAL/H\tSLO\t"
	if agents {
		head += "ABANDON\t"
	}
	fmt.Fprintln(tw, head+"MARGIN\tEXTRAP\tPOINT")
	rows := res.Frontier()
	if res.Best != nil && !slices.Contains(rows, res.Best) {
		// The best margin need not be on the cost/attainment frontier: show
		// it where its cost puts it, marked, all the same.
		i := 0
		for i < len(rows) && rows[i].FleetPerHourUSD <= res.Best.FleetPerHourUSD {
			i++
		}
		rows = slices.Insert(rows, i, res.Best)
	}
	for _, e := range rows {
		mark := " "
		if e == res.Best {
			mark = "*"
		}
		abandon := ""
		if agents {
			abandon = fmtPct(e.SessionAbandon) + "\t"
		}
		fmt.Fprintf(tw, "%s %d\t%s\t%d\t%d\t%s\t%s\t%s\t%s%s\t%s\t%d\n", mark, e.Count, e.Layout.Instance, e.Layout.TP, e.Layout.MaxNumSeqs,
			fmtUSD(e.FleetPerHourUSD), fmtUSD(e.CostPerHourUSD), fmtPct(e.Attainment), abandon, fmtUSD(e.MarginUSD), evalMark(res, e), e.Point)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return nil
}
