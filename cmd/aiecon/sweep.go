package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"aiecon/data"
	"aiecon/model"
	"aiecon/model/format"
	"aiecon/runner"
	"aiecon/sim"
	"aiecon/study"
)

type sweepFlags struct {
	jobs         int
	sets         []string
	replications int
	seed         seedFlag
	horizon      horizonFlag
	resume, show string
	shard        string
	shards       int
	sweepID      string
	format       string
	dryRun       bool
	noStore      bool // --no-store: runs in a scratch store removed at exit
	calibration  string
	otherBuild   bool // --allow-other-build
	vs           int  // --vs: the point the others' paired differences are from; -1 without
	width        widthFlag
}

// shardIndexEnv are the variables batch engines set to a task's index, in
// the order --shards consults them: a Kubernetes Indexed Job's pods, then a
// Slurm job array's tasks (run it as --array=0-<n-1>).
var shardIndexEnv = []string{"JOB_COMPLETION_INDEX", "SLURM_ARRAY_TASK_ID"}

func init() { register(newSweepCmd) }

func newSweepCmd(e *env) *cobra.Command {
	var f sweepFlags
	cmd := &cobra.Command{
		Use:   "sweep [FILE.yaml]",
		Short: "Run a parameter sweep or Monte Carlo study in parallel and summarise its KPIs",
		Long: `Run every point of a sweep file (a base scenario, parameters to vary as lists,
ranges or zipped lists, replications, KPIs, and optionally Monte Carlo
distributions; see docs/sweeps.md) on -j workers. Every point is validated
before anything runs; every run is stored, linked to the sweep. The summary
gives each KPI's mean and 95% confidence interval across replications (for
Monte Carlo: its percentiles and threshold probabilities across samples).
The KPI names a sweep file's kpis takes are those 'aiecon show RUN' lists
under KPIS ('aiecon run --json': kpis[].name), a workload's written
name[workload]; an unknown one is refused with the nearest names.
An OVERLOADED column counts the runs (Monte Carlo: samples) whose report
would warn OVERLOADED or SATURATED, as 'aiecon run' does: their latency and
cost per token describe a backlog, not a load the fleet sustains. A summary
with a revenue or margin KPI ends with run's COMMERCE COUNTED GROSS when its
runs' commerce credits every order of a converted session (value.incremental
unset), and any summary with run's SESSIONS ABANDONED when a run it counts
abandons more than a tenth of an agent workload's sessions while its SLO
reads as met (90% or more, or none). Before them come run's SUSPECT VALUE
checks over the points (once a field, with the points it fired at), and
after them the points' step-times coverage by instance type (STEP TIMES
THINLY FITTED, ...) and SCHEDULERS DIFFER, as optimize and the dashboard
print them; all are "warnings" in --format json.

Replication r of every point uses seed+r (common random numbers), so the
differences between points are not noise. --vs N adds, for every other point
and KPI, its mean difference from point N paired by replication, with the
95% t interval of the per-replication differences (* where it excludes 0);
a KPI the summary pools (a ratio of totals, a latency percentile) is paired
by each replication's own value, and says so.

Ctrl-C stops cleanly: finished runs stay, runs in flight are marked failed,
and 'aiecon sweep --resume SWEEP' runs exactly the rest. A killed process loses
at most the runs in flight: two per worker, one simulating, one committing.
A resume refuses when the sweep's complete runs were made by another aiecon
build, or resolve their scenario otherwise in this one: the summary would
pool both builds' runs (--allow-other-build pools them knowingly).

To spread a sweep over machines, give each one --shard i/n (0-based; points p
with p mod n = i) and its own --db, or --shards n to take i from
JOB_COMPLETION_INDEX (Kubernetes Indexed Job) or SLURM_ARRAY_TASK_ID; "{shard}"
in --db is replaced by i (refused with no shard given). Shards derive the same sweep id, so
'aiecon merge OUT SHARD...' gives one sweep. Rerunning a shard resumes it.

--no-store runs the sweep in a temporary store, removed when the command
ends (on an error or a stop signal too): the summary is the one a stored
sweep prints, and says that nothing was stored; there is nothing to resume,
show or list afterwards.

-q (--quiet) silences the progress only: the line on stderr that says how
many runs are to do, and the bar (a line per run where stderr is not a
terminal). The summary and its warnings, and the notes and warnings on
stderr, still print.`,
		Example: `  aiecon sweep fleet-size.yaml -j 2
  aiecon sweep fleet-size.yaml --set horizon=30m --replications 5 --format csv > fleet.csv
  aiecon sweep fleet-size.yaml --no-store
  aiecon sweep --resume last
  aiecon sweep --show 1m8a0ggx064mt
  aiecon sweep --show last --vs 3
  aiecon sweep fleet-size.yaml --shards 8 --db /out/shard-{shard}.duckdb`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := refuseNonPositive(cmd, "replications", "shards"); err != nil {
				return err
			}
			if !cmd.Flags().Changed("vs") {
				f.vs = -1
			} else if f.vs < 0 {
				return badInput("--vs %d: want a point's index, 0 or more", f.vs)
			}
			return runSweepCmd(cmd.Context(), e, cmd, args, f)
		},
	}
	addSweepFlags(cmd, &f)
	return cmd
}

func runSweepCmd(ctx context.Context, e *env, cmd *cobra.Command, args []string, f sweepFlags) (err error) {
	if err := checkSweepArgs(args, f); err != nil {
		return err
	}
	shard, err := sweepShard(f)
	if err != nil {
		return err
	}
	if err := shardDB(e, shard); err != nil {
		return err
	}
	if f.show != "" {
		return showSweep(ctx, e, f, shard)
	}
	if f.vs >= 0 && f.dryRun {
		return badInput("--vs pairs the runs of a sweep; --dry-run runs none")
	}
	var plan *study.Plan
	var store *data.Store
	var id string
	if f.resume != "" {
		if len(f.sets) > 0 || f.replications != 0 || f.seed != 0 || f.horizon != "" || f.sweepID != "" || f.dryRun || f.calibration != "" {
			return badInput("--resume runs the stored sweep as it was defined: --set, --replications, --seed, --horizon, --sweep-id, --calibration and --dry-run do not apply")
		}
		if store, id, plan, err = openResumed(ctx, e, f, shard); err != nil {
			return err
		}
		defer closeStore(store, &err)
	} else {
		if f.sweepID != "" && !data.ValidID(f.sweepID) { // before --dry-run, which would call the sweep valid
			return badInput("--sweep-id %q: want %d characters of 0-9 and a-z without i, l, o, u", f.sweepID, data.IDLength)
		}
		if plan, err = planSweep(e, args[0], f); err != nil {
			return err
		}
		if err := checkVs(plan, shard, f.vs); err != nil {
			return err
		}
		if err := checkShardPoints(plan, shard); err != nil {
			return err
		}
		if err := checkPlan(ctx, e, plan); err != nil {
			return err
		}
		if f.dryRun {
			return printPlan(e.stdout, plan, shard)
		}
		switch {
		case f.sweepID != "":
			id = f.sweepID
		case shard.Count > 1:
			id = plan.DerivedID()
		default:
			id = data.NewID()
		}
		if f.noStore {
			cleanup, err := useScratchStore(e, "sweep")
			if err != nil {
				return err
			}
			defer cleanup() // after closeStore: deferred calls run last first
		}
		if store, err = data.OpenContext(ctx, e.dbPath, writerOptions(e)); err != nil {
			return err
		}
		defer closeStore(store, &err)
		if _, err := study.Register(ctx, store, plan, id); err != nil {
			return err
		}
	}
	return executeSweep(ctx, e, f, store, plan, id, shard)
}

// addSweepFlags registers sweep's flags on cmd, into f.
func addSweepFlags(cmd *cobra.Command, f *sweepFlags) {
	fl := cmd.Flags()
	fl.IntVarP(&f.jobs, "jobs", "j", runtime.GOMAXPROCS(0), "runs in parallel; the default is the number of CPUs")
	addSetFlag(fl, &f.sets, "override a field of every point, `path=value` (repeatable; after the file's set; an empty value is refused, path=null resets a field to its default, ads=null removes an optional block)")
	fl.IntVar(&f.replications, "replications", 0, "replications per point (default: the file's)")
	fl.Var(&f.seed, "seed", "seed of replication 0 (default: the file's, else the base scenario's)")
	fl.Var(&f.horizon, "horizon", "simulated time of every point, e.g. 10m (same as --set horizon=...)")
	fl.StringVar(&f.resume, "resume", "", "finish a stored `SWEEP` (id, prefix or \"last\"): run what is not complete")
	fl.StringVar(&f.show, "show", "", "print the summary of a stored `SWEEP` without running anything")
	fl.StringVar(&f.shard, "shard", "", "run only shard `i/n` (0-based) of the points")
	fl.IntVar(&f.shards, "shards", 0, "run shard i of `n`, i from $JOB_COMPLETION_INDEX or $SLURM_ARRAY_TASK_ID")
	fl.StringVar(&f.sweepID, "sweep-id", "", "register the sweep under this `id` (default: new; shards: derived from the file)")
	fl.StringVar(&f.format, "format", "table", "summary format: table, csv or json")
	fl.BoolVar(&f.dryRun, "dry-run", false, "validate the points and KPIs (a brief unstored probe of the first point) and list the points; store nothing")
	fl.BoolVar(&f.noStore, "no-store", false, "run the sweep in a temporary store removed at exit: print its summary, store nothing (no --resume or --show of it)")
	addCalibrationFlag(fl, &f.calibration)
	fl.IntVar(&f.vs, "vs", 0, "add each point's KPIs less point `N`'s, paired by replication (common seeds), with their 95% t intervals")
	fl.BoolVar(&f.otherBuild, "allow-other-build", false, "resume a sweep whose complete runs another aiecon build made (or that resolve their scenario otherwise), pooling both builds' runs")
	addWidthFlag(cmd, &f.width)
}

// checkSweepArgs refuses what sweep cannot start from: a format it does not
// write, not exactly one of a FILE, --resume and --show, --no-store with
// what reads a stored sweep, and a bad -j.
func checkSweepArgs(args []string, f sweepFlags) error {
	if err := checkFormat(f.format, "table", "csv", "json"); err != nil {
		return err
	}
	given := 0
	for _, b := range []bool{len(args) == 1, f.resume != "", f.show != ""} {
		if b {
			given++
		}
	}
	if given != 1 {
		return badInput("give one of: a sweep FILE, --resume SWEEP or --show SWEEP")
	}
	if _, err := fileArg(args, "sweep"); err != nil {
		return err
	}
	if err := checkNoStore(f); err != nil {
		return err
	}
	return checkJobs(f.jobs)
}

// checkNoStore refuses --no-store with what reads or writes a stored
// sweep: --resume and --show read one, and a shard is only of use stored,
// to be merged.
func checkNoStore(f sweepFlags) error {
	switch {
	case !f.noStore:
	case f.resume != "", f.show != "":
		return badInput("--no-store runs a sweep FILE without storing it; --resume and --show read a stored sweep")
	case f.shard != "" || f.shards != 0:
		return badInput("--no-store with --shard or --shards: a shard is only useful stored, to be merged")
	}
	return nil
}

// checkPlan resolves every point of a new sweep, with progress (about 2
// ms a point on a core: a large grid says so rather than sitting silent for
// minutes), then probes the KPIs on the first point, unstored, so that
// --dry-run calls valid only what the sweep will run.
func checkPlan(ctx context.Context, e *env, plan *study.Plan) error {
	check := newCheckProgress(e, "sweep", plan.Spec.Name, "points", len(plan.Points))
	err := plan.Validate(ctx, check.set)
	check.finish()
	if err != nil {
		return err
	}
	return plan.CheckKPIs(ctx)
}

// sweepShard reads --shard or --shards (with the batch engine's index).
func sweepShard(f sweepFlags) (study.ShardSpec, error) { return shardFlags(f.shard, f.shards) }

// shardFlags reads --shard i/n or --shards n (i from the batch engine's
// index), for sweeps and forecasts alike.
func shardFlags(shard string, shards int) (study.ShardSpec, error) {
	switch {
	case shard != "" && shards != 0:
		return study.ShardSpec{}, badInput("give --shard i/n or --shards n, not both")
	case shard != "":
		s, err := study.ParseShard(shard)
		return s, asUsage(err)
	case shards < 0:
		return study.ShardSpec{}, badInput("--shards %d: want 1 or more", shards)
	case shards > 0:
		for _, name := range shardIndexEnv {
			if v := os.Getenv(name); v != "" {
				s, err := study.ParseShard(v + "/" + strconv.Itoa(shards))
				if err != nil {
					return s, badInput("--shards %d with %s=%q: %v", shards, name, v, err)
				}
				return s, nil
			}
		}
		return study.ShardSpec{}, badInput("--shards %d: none of %s is set; give --shard i/%d", shards, strings.Join(shardIndexEnv, ", "), shards)
	}
	return study.ShardSpec{}, nil
}

// planSweep reads a sweep file with the command line's overrides.
func planSweep(e *env, file string, f sweepFlags) (*study.Plan, error) {
	warnRepeatedSets(e.stderr, f.sets)
	var flags []model.Override // --horizon is an override an error names as typed
	if f.horizon != "" {
		if err := flagAndSet(f.sets, "horizon", "horizon", string(f.horizon)); err != nil {
			return nil, err
		}
		flags = append(flags, runner.FlagOverride("--horizon", "horizon", string(f.horizon)))
	}
	calibration, ok, err := calibrationOverride(e, f.sets, f.calibration)
	if err != nil {
		return nil, err
	}
	if ok { // after the others, as the run's name lists them
		flags = append(flags, calibration)
	}
	sp, err := study.LoadSpecWith(file, f.sets, flags)
	if err != nil {
		return nil, err
	}
	if f.replications != 0 {
		if f.replications < 1 || f.replications > study.MaxReplications {
			return nil, badInput("--replications %d: want 1 to %d", f.replications, study.MaxReplications)
		}
		sp.Replications = f.replications
	}
	if f.seed != 0 {
		sp.Seed = uint64(f.seed)
	}
	return study.NewPlan(sp)
}

// storedSweep finds a sweep in the store and expands its frozen spec.
func storedSweep(ctx context.Context, store *data.Store, ref string) (string, *study.Plan, error) {
	id, err := store.ResolveSweep(ctx, ref)
	if err != nil {
		return "", nil, asUsage(err)
	}
	sw, err := store.Sweep(ctx, id)
	if err != nil {
		return "", nil, err
	}
	plan, err := study.PlanFromFrozen("sweep "+id, []byte(sw.SpecYAML))
	if err != nil {
		return "", nil, fmt.Errorf("sweep %s was not made by 'aiecon sweep' (or by another version): %w", id, err)
	}
	if len(plan.Points) != sw.Points || plan.Spec.Replications != sw.Replications {
		return "", nil, fmt.Errorf("sweep %s: its stored specification expands to %s x %s, but the store lists %d x %d",
			id, plural(len(plan.Points), "point"), plural(plan.Spec.Replications, "replication"), sw.Points, sw.Replications)
	}
	return id, plan, nil
}

// openResumed opens the store read-write for --resume and reads the
// stored sweep it names, once checkResumeRef found it there.
func openResumed(ctx context.Context, e *env, f sweepFlags, shard study.ShardSpec) (store *data.Store, id string, plan *study.Plan, err error) {
	if err := checkResumeRef(ctx, e, f.resume); err != nil {
		return nil, "", nil, err
	}
	if store, err = data.OpenContext(ctx, e.dbPath, writerOptions(e)); err != nil {
		return nil, "", nil, err
	}
	if id, plan, err = storedSweep(ctx, store, f.resume); err == nil {
		err = checkVs(plan, shard, f.vs)
	}
	if err != nil {
		closeStore(store, &err)
		return nil, "", nil, err
	}
	for _, n := range plan.StoredNotes() {
		fmt.Fprintf(e.stderr, "warning: sweep %s's base scenario: %s\n", id, n)
	}
	return store, id, plan, nil
}

// checkResumeRef refuses a --resume sweep the store does not hold before
// the read-write open, which migrates a store of an older schema one way:
// `sweep --resume nosuch` upgraded the store, then said no such sweep. It
// reads the store read-only as it is (data.Options.OlderSchema); one it
// cannot open so (missing, held, damaged) is the read-write open's to
// report, and any other doubt storedSweep's.
func checkResumeRef(ctx context.Context, e *env, ref string) error {
	return checkRefReadOnly(ctx, e, "sweep "+ref, data.ErrSweepNotFound, func(s *data.Store) error {
		_, err := s.ResolveSweep(ctx, ref)
		return err
	})
}

// checkRefReadOnly opens the store read-only as it is and refuses (exit
// 2) what resolve, reading it, reports as notFound; a store it cannot
// open so, or any other error, is left to the read-write open and what
// follows it. A --db path with no file is refused first, naming it: a
// resume finishes work a store holds, and the read-write open created an
// empty store at a mistyped path before the resume was refused.
func checkRefReadOnly(ctx context.Context, e *env, what string, notFound error, resolve func(*data.Store) error) error {
	if e.dbPath != data.MemoryPath {
		if _, err := os.Stat(e.dbPath); errors.Is(err, fs.ErrNotExist) {
			return badInput("--resume %s: there is no store at %s (--db), so nothing to resume; nothing was created", what, e.dbPath)
		}
	}
	s, err := data.OpenContext(ctx, e.dbPath, data.Options{ReadOnly: true, OlderSchema: true, PathArg: e.dbArg()})
	if err != nil {
		return nil
	}
	defer s.Close()
	if err := resolve(s); errors.Is(err, notFound) {
		return asUsage(err)
	}
	return nil
}

func showSweep(ctx context.Context, e *env, f sweepFlags, shard study.ShardSpec) error {
	store, err := openStore(e, true)
	if err != nil {
		return err
	}
	defer store.Close()
	id, plan, err := storedSweep(ctx, store, f.show)
	if err != nil {
		return err
	}
	if err := checkVs(plan, shard, f.vs); err != nil { // before reading every run back
		return err
	}
	sum, warnings, err := summarizeSweep(ctx, store, id, plan, shard)
	if err != nil {
		return err
	}
	if err := pairSummary(sum, f.vs); err != nil {
		return err
	}
	gap, err := unfinishedRuns(ctx, e, store, id, plan, shard)
	if err != nil {
		return err
	}
	return printSummary(e, f.format, sum, nil, shard, warnings, &gap, reportWidth(e, f.width))
}

func executeSweep(ctx context.Context, e *env, f sweepFlags, store *data.Store, plan *study.Plan, id string, shard study.ShardSpec) error {
	prog := newSweepProgress(e, plan.Spec.Name)
	opts := study.Options{Store: store, SweepID: id, Workers: f.jobs, Shard: shard, Version: aieconVersion(), Progress: prog.update}
	// What this store runs of the sweep, so that doctor tells a shard's
	// store, which holds that shard's runs alone, from a sweep lacking runs.
	if err := store.RecordSweepShard(ctx, id, data.SweepShard{Index: shard.Index, Count: max(shard.Count, 1)}); err != nil {
		return err
	}
	pending, complete, err := study.Pending(ctx, store, id, plan, shard)
	if err != nil {
		return err
	}
	if len(pending) > 0 {
		if err := checkOrigin(ctx, e, f, store, plan, id); err != nil {
			return err
		}
		if err := checkCalibrationFiles(ctx, store, id); err != nil {
			return err
		}
	}
	if !e.quiet {
		fmt.Fprintf(e.stderr, "sweep %s (%s) %s: %s x %s, %s; %s to do, %d already complete; %s\n",
			plan.Spec.Name, id, storeIn(e), plural(len(plan.Points), "point"), plural(plan.Spec.Replications, "replication"), shard,
			plural(len(pending), "run"), complete, plural(min(f.jobs, max(len(pending), 1)), "worker"))
	}
	prog.start(len(pending))
	out, err := study.Execute(ctx, plan, opts)
	prog.done()
	if err != nil {
		return err
	}
	if err := printFinished(ctx, e, f, store, plan, id, shard, out); err != nil {
		return err
	}
	resume := "finish with: " + sweepResumeCommand(e.dbPath, id, shard)
	failed := fmt.Sprintf("see 'aiecon runs --sweep %s --status failed'; rerun them with: %s", id, strings.TrimPrefix(resume, "finish with: "))
	if e.noStore { // the store is gone once the command ends
		resume = "nothing was stored (--no-store), so there is nothing to resume: run the sweep again"
		failed = "nothing was stored (--no-store): run the sweep again without it to keep the failed runs for 'aiecon runs --status failed'"
	}
	switch {
	case out.Interrupted:
		return fmt.Errorf("interrupted: %d of %s done now (%d failed); runs in flight are marked failed; %s",
			out.Done, plural(out.Total, "run"), out.Failed, resume)
	case out.Failed > 0:
		first := out.Failures[0]
		msg := fmt.Sprintf("%d of %s failed (first: point %d replication %d: %v); %s",
			out.Failed, plural(out.Total, "run"), first.Point, first.Replication, first.Err, failed)
		if out.Stopped {
			msg = "stopped after " + strconv.Itoa(study.DefaultMaxConsecutiveFailures) + " failures in a row: " + msg
		}
		return errors.New(msg)
	}
	return nil
}

// printFinished prints the summary of what a sweep's execution finished,
// interrupted or not. After Ctrl-C the command's context is cancelled, but
// what finished is still worth showing, OVERLOADED marks included: the
// summary reads the store with a context that is not, and its overload
// check parses each point's scenario again with the stop that ends every
// YAML parse at the first signal (model.StopOn) lifted, for the signal
// that stopped the sweep has been heard. A further signal past the grace
// of the first ends the process (stopWatch), the check with it.
func printFinished(ctx context.Context, e *env, f sweepFlags, store *data.Store, plan *study.Plan, id string, shard study.ShardSpec, out *study.Outcome) error {
	if ctx.Err() != nil && e.releaseStop != nil {
		e.releaseStop()
	}
	sctx := context.WithoutCancel(ctx)
	sum, warnings, err := summarizeSweep(sctx, store, id, plan, shard)
	if err != nil {
		return err
	}
	if err := pairSummary(sum, f.vs); err != nil {
		return err
	}
	return printSummary(e, f.format, sum, out, shard, warnings, nil, reportWidth(e, f.width))
}

// checkVs refuses, before anything runs (or a stored sweep is read back),
// a --vs that the summary could not pair: a Monte Carlo study (its samples
// run on seeds of their own), one replication (no interval), a point the
// sweep (or shard) does not have, or one point alone. It is the summary's
// own refusal (study.Plan.PairRefusal), so that the words do not depend on
// when it is caught. Seeds the store records otherwise are PairAgainst's
// to refuse.
func checkVs(plan *study.Plan, shard study.ShardSpec, vs int) error {
	if vs < 0 {
		return nil
	}
	if err := plan.PairRefusal(shard, vs); err != nil {
		return asUsage(fmt.Errorf("--vs %d: %w", vs, err))
	}
	return nil
}

// checkShardPoints refuses a split into more shards than the sweep has
// points, as a forecast's is refused past its groups: shard i of n runs
// the points p with p mod n = i, so a shard past the last point runs
// nothing, and --shard 3/40 (a typo for 3/4) stored an empty sweep under
// an id of its own (n is part of it) that no merge could complete.
func checkShardPoints(plan *study.Plan, shard study.ShardSpec) error {
	n := len(plan.Points)
	if shard.Count <= 1 || shard.Count <= n {
		return nil
	}
	idle := fmt.Sprintf("shard %d", n)
	if shard.Count-n > 1 {
		idle = fmt.Sprintf("shards %d to %d", n, shard.Count-1)
	}
	return badInput("%s: sweep %s has %s, and shard i/n runs the points p with p mod n = i, so %s of the %d would run nothing; "+
		"split it into at most %s", shard, plan.Spec.Name, plural(n, "point"), idle, shard.Count, plural(n, "shard"))
}

// pairSummary adds the paired differences from point vs (--vs) to a
// summary; a refusal is the user's input error.
func pairSummary(sum *study.Summary, vs int) error {
	if vs < 0 {
		return nil
	}
	if err := sum.PairAgainst(vs); err != nil {
		return asUsage(fmt.Errorf("--vs %d: %w", vs, err))
	}
	return nil
}

// checkOrigin refuses to add runs to a sweep whose complete runs another
// build made (study.CheckOrigin), unless --allow-other-build, which pools
// them with a warning.
func checkOrigin(ctx context.Context, e *env, f sweepFlags, store *data.Store, plan *study.Plan, id string) error {
	err := study.CheckOrigin(ctx, store, id, plan, aieconVersion())
	oe, ok := errors.AsType[*study.OriginError](err)
	switch {
	case !ok:
		return err
	case f.otherBuild:
		fmt.Fprintf(e.stderr, "warning: %s; pooling its runs with this build's, as --allow-other-build asks\n", oe.Finding())
		return nil
	}
	return badInput("%v; or give --allow-other-build to pool them knowingly", oe)
}

// checkCalibrationFiles refuses, before anything runs, to add runs to a
// sweep whose complete runs were priced by a profile file that has changed
// at its path since (or is gone): the rest would be priced by another
// profile, and the summary would pool both. Each point left would be
// refused too (study.Calibrations), but one by one, after the header.
func checkCalibrationFiles(ctx context.Context, store *data.Store, id string) error {
	files, err := store.SweepCalibrationFiles(ctx, id)
	if err != nil {
		return err
	}
	if f, path, state := changedProfile(files); state != "" {
		return badInput("sweep %s: its complete runs (run %s among them) were priced by the calibration profile %s as it was then, and the file %s: "+
			"the runs left would be priced by another profile; put that file back at the path, or run the sweep anew", id, f.RunID, path, state)
	}
	return nil
}

// changedProfile is the first of files (the profile files a resumed
// study's runs recorded) that has changed at its path since, or is gone:
// the file, its path and how (profileFileState); state "" when none has.
func changedProfile(files []data.SweepCalibrationFile) (f data.SweepCalibrationFile, path, state string) {
	for _, f := range files {
		path := runCalibration(f.ResolvedYAML)
		if state := profileFileState(path, f.SHA256); state != "" {
			return f, path, state
		}
	}
	return data.SweepCalibrationFile{}, "", ""
}

// overloadNote says why a summary has no OVERLOADED marks where its check
// failed: the KPIs stand; only the marks are missing.
func overloadNote(e *env, sum *study.Summary) {
	switch {
	case sum.OverloadErr == nil:
	case errors.Is(sum.OverloadErr, model.ErrInterrupted) && e.noStore:
		fmt.Fprintf(e.stderr, "aiecon: note: a stop signal ended the check of the runs for overload, so no point is marked OVERLOADED; the runs were not stored (--no-store)\n")
	case errors.Is(sum.OverloadErr, model.ErrInterrupted):
		fmt.Fprintf(e.stderr, "aiecon: note: a stop signal ended the check of the runs for overload, so no point is marked OVERLOADED; 'aiecon sweep --show %s --db %s' checks them\n",
			sum.SweepID, e.dbPath)
	default:
		fmt.Fprintf(e.stderr, "aiecon: note: the runs were not checked for overload, so no point is marked OVERLOADED: %v\n", sum.OverloadErr)
	}
}

// printSummary prints a sweep's summary in its format, with the warnings
// summarizeSweep gives: in the table under it, in JSON as "warnings" ([]
// when none), with CSV on stderr (printSummaryCSV). gap (--show's; nil for
// a sweep just run, whose outcome says what failed) is the runs not
// complete: a line under the text's head, runs_incomplete,
// resume_command (null when none, or when several shards need one) and
// resume_commands (every one) in JSON, with shards_stored in a
// shard's store, a note on stderr with CSV. The
// text's prose (its head, the notes on its figures, the warnings) wraps to
// width (wrapWriter; 0: one line each), its tables never.
func printSummary(e *env, format string, sum *study.Summary, out *study.Outcome, shard study.ShardSpec, warnings []string, gap *sweepGap, width int) error {
	switch format {
	case "json":
		return printSummaryJSON(e, sum, out, shard, warnings, gap)
	case "csv":
		return printSummaryCSV(e, sum, warnings, gap)
	}
	what := plural(sum.Runs, "complete run")
	if out != nil {
		what = fmt.Sprintf("%s done in %s, %d failed, %d complete before", plural(out.Done, "run"), fmtWall(out.Wall), out.Failed, out.Skipped)
	}
	where := ""
	if shard.Count > 1 {
		where = ", " + shard.String()
	}
	overloadNote(e, sum)
	head := newWrapWriter(e.stdout, width)
	fmt.Fprintf(head, "sweep %s (id %s%s) %s: %s\n", sum.Name, sum.SweepID, where, storeIn(e), what)
	if gap != nil && gap.line() != "" {
		fmt.Fprintln(head, gap.line())
	}
	if h := sum.HorizonLine(); h != "" {
		fmt.Fprintln(head, h)
	}
	fmt.Fprintf(head, "%s\n\n", summaryMethod(sum))
	if len(sum.MeanPercentiles) > 0 {
		var names []string
		for _, k := range sum.MeanPercentiles {
			names = append(names, k.String())
		}
		fmt.Fprintf(head, "%s: the mean of the runs' own percentiles, biased low for short runs: some runs were stored before the store kept latency sketches (schema 11); the sweep run into a new store pools their requests\n\n", strings.Join(names, ", "))
	}
	if note := averagedRatiosNote(sum, sum.AveragedRatios()); note != "" {
		fmt.Fprintf(head, "%s\n\n", note)
	}
	if err := head.Flush(); err != nil {
		return err
	}
	if err := sum.WriteTableProse(e.stdout, wrappedProse(width)); err != nil {
		return err
	}
	if len(sum.Missing) > 0 {
		var names []string
		for _, k := range sum.Missing {
			names = append(names, k.String())
		}
		fprintWrapped(e.stdout, width, "\nno complete run has %s\n", strings.Join(names, ", "))
	}
	if sum.Paired != nil {
		fmt.Fprintln(e.stdout)
		if err := sum.WritePaired(e.stdout, wrappedProse(width)); err != nil {
			return err
		}
	}
	for _, w := range warnings { // under the paired differences too, which are of the same margins
		if err := fprintWrapped(e.stdout, width, "\n%s\n", w); err != nil {
			return err
		}
	}
	return nil
}

// printSummaryCSV is printSummary's --format csv: the summary's rows on
// stdout, pure CSV, one row per point, and on stderr what the text and
// the JSON say beside them and a row has no place for: why no point is
// marked OVERLOADED where the check failed, the runs not complete with the
// command that finishes them (gap), and the warnings, each a line of its
// own. A script reading the CSV of a killed sweep took its rows for all
// of its runs, with no word of the --resume that finishes them.
func printSummaryCSV(e *env, sum *study.Summary, warnings []string, gap *sweepGap) error {
	overloadNote(e, sum)
	if gap != nil && gap.line() != "" {
		fmt.Fprintf(e.stderr, "aiecon: note: %s\n", gap.line())
	}
	for _, w := range warnings {
		fmt.Fprintf(e.stderr, "aiecon: %s\n", w)
	}
	return sum.WriteCSV(e.stdout)
}

// printSummaryJSON is printSummary's --format json: the summary's JSON
// view with the store, the warnings, the shard, a run's outcome and
// --show's runs not complete.
func printSummaryJSON(e *env, sum *study.Summary, out *study.Outcome, shard study.ShardSpec, warnings []string, gap *sweepGap) error {
	v := sum.JSONView().(map[string]any)
	v["store"], v["warnings"] = e.dbPath, warnings
	if e.noStore {
		v["store"] = nil // nothing was stored
	}
	if shard.Count > 1 {
		v["shard"] = shard.String()
	}
	if out != nil {
		v["runs_done"], v["runs_failed"], v["runs_skipped"], v["interrupted"] = out.Done, out.Failed, out.Skipped, out.Interrupted
		v["wall_s"] = out.Wall.Seconds()
	}
	if gap != nil {
		// resume_command holds one command line or null, never two
		// joined; resume_commands holds every one ([] when none).
		v["runs_incomplete"], v["resume_command"], v["resume_commands"] = gap.Pending, nil, []string{}
		if len(gap.Resumes) == 1 {
			v["resume_command"] = gap.Resumes[0]
		}
		if len(gap.Resumes) > 0 {
			v["resume_commands"] = gap.Resumes
		}
		if len(gap.Shards) > 0 { // a shard's store: the counts are of these shards
			var ids []string
			for _, sh := range gap.Shards {
				ids = append(ids, fmt.Sprintf("%d/%d", sh.Index, sh.Count))
			}
			v["shards_stored"] = ids
		}
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// averagedRatiosNote says how the summary takes the ratio KPIs rs that it
// averages over a point's runs rather than pooling their totals (some runs
// do not give them): nothing with one replication, whose one run's ratio
// is the point's either way (it said "with a t interval" where there is
// none), and for Monte Carlo a sample's mean, which has no interval of
// its own.
func averagedRatiosNote(sum *study.Summary, rs []string) string {
	switch {
	case len(rs) == 0 || sum.Replications == 1:
		return ""
	case sum.MonteCarlo != nil:
		return fmt.Sprintf("%s: a sample's value is the mean of its runs' own ratios, not pooled: some runs do not give the totals they are taken from", strings.Join(rs, ", "))
	}
	return fmt.Sprintf("%s: the mean of the runs' own ratios with a t interval, not pooled: some runs do not give the totals they are taken from", strings.Join(rs, ", "))
}

// summaryMethod is the line above a sweep's table that says what its
// figures are: Monte Carlo distributions, one replication's values, or
// means with their intervals, and which KPIs are pooled or cut at their
// bounds.
func summaryMethod(sum *study.Summary) string {
	switch {
	case sum.MonteCarlo != nil:
		pooled := ""
		if ps := study.Pooled(sum.KPIs); len(ps) > 0 {
			pooled = "; " + strings.Join(ps, ", ") + ": their totals' ratio"
		}
		if ps := sum.PooledPercentiles(); len(ps) > 0 {
			pooled += "; " + strings.Join(ps, ", ") + ": the percentile of their requests"
		}
		return fmt.Sprintf("KPI distributions across Monte Carlo samples (a sample: the mean of its %s%s)", plural(sum.Replications, "replication"), pooled)
	case sum.Replications == 1:
		return "KPI values of one replication per point (no confidence interval: use --replications 2 or more)"
	default:
		pooled := ""
		if ps := study.Pooled(sum.KPIs); len(ps) > 0 {
			pooled = "; " + strings.Join(ps, ", ") + " pooled: the runs' totals' ratio"
			if study.HasProportion(sum.KPIs) {
				pooled += "; a proportion [low, high]: Wilson, widened by the runs' spread"
			}
		}
		if ps := sum.PooledPercentiles(); len(ps) > 0 {
			pooled += "; " + strings.Join(ps, ", ") + ": the percentile of the runs' pooled requests [bootstrap interval, widened by the latency sketch's ±" +
				format.PctGiven(sim.SketchAccuracy) + "; [-] under " + strconv.Itoa(study.MinBootstrapRuns) + " runs, too few to resample]"
		}
		if ks := sum.ClampedKPIs(); len(ks) > 0 {
			pooled += "; " + strings.Join(ks, ", ") + ": [low, high] cut at the values the KPI can take"
		}
		return fmt.Sprintf("KPI mean ± %.0f%% confidence half-width across %d replications (Student t%s)", 100*study.ConfidenceLevel, sum.Replications, pooled)
	}
}

// plural is format.Plural, under the short name this package's many
// messages use.
func plural(n int, what string) string { return format.Plural(n, what) }

// printPlan lists the points of a sweep (--dry-run).
func printPlan(w io.Writer, plan *study.Plan, shard study.ShardSpec) error {
	n := 0
	for _, pt := range plan.Points {
		if shard.Has(pt.Index) {
			fmt.Fprintf(w, "%6d  %s\n", pt.Index, pt.Describe())
			n++
		}
	}
	fmt.Fprintf(w, "sweep %s: %s (%s) x %s = %s, seeds from %d; every point is valid\n",
		plan.Spec.Name, plural(n, "point"), shard, plural(plan.Spec.Replications, "replication"), plural(n*plan.Spec.Replications, "run"), plan.Seed)
	return nil
}

// sweepProgress shows runs done/failed with an ETA on stderr: a bar on a
// terminal, otherwise one line per run (batch logs), nothing with --quiet.
type sweepProgress struct {
	e     *env
	name  string
	bar   *progressbar.ProgressBar
	lines bool
}

func newSweepProgress(e *env, name string) *sweepProgress {
	return &sweepProgress{e: e, name: name}
}

func (p *sweepProgress) start(total int) {
	if p.e.quiet || total == 0 {
		return
	}
	if !stderrIsTerminal(p.e) {
		p.lines = true
		return
	}
	p.bar = progressbar.NewOptions(total,
		progressbar.OptionSetWriter(p.e.stderr),
		progressbar.OptionSetDescription("sweep "+p.name),
		progressbar.OptionShowCount(),
		progressbar.OptionSetItsString("runs"),
		progressbar.OptionShowIts(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionFullWidth(),
	)
}

func (p *sweepProgress) update(pr study.Progress) {
	ended := pr.Done + pr.Failed
	switch {
	case p.bar != nil:
		// The bar counts the runs ended; the description says how many failed.
		p.bar.Describe(fmt.Sprintf("sweep %s (%d failed)", p.name, pr.Failed))
		_ = p.bar.Set(ended)
	case p.lines:
		status := "done"
		if pr.Last.Err != nil {
			status = "FAILED: " + pr.Last.Err.Error()
		}
		elapsed := time.Since(pr.Started)
		eta := time.Duration(float64(elapsed) / float64(ended) * float64(pr.Total-ended))
		fmt.Fprintf(p.e.stderr, "[%*d/%d] point %d replication %d %s in %s; %d done, %d failed, ETA %s\n",
			len(strconv.Itoa(pr.Total)), ended, pr.Total, pr.Last.Point, pr.Last.Replication, status, fmtWall(pr.Last.Wall),
			pr.Done, pr.Failed, eta.Round(time.Second))
	}
}

func (p *sweepProgress) done() {
	if p.bar != nil {
		_ = p.bar.Finish()
	}
}
