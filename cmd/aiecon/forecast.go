package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"aiecon/data"
	"aiecon/study"
	"aiecon/study/forecast"
)

type forecastFlags struct {
	width   widthFlag
	jobs    int
	samples int
	periods int
	json    bool
	noStore bool
	sources bool
	shard   string
	shards  int
	resume  string
}

func init() { register(newForecastCmd) }

// forecastLong is forecast's help text.
const forecastLong = `Run a multi-period forecast (docs/forecast.md): a base scenario, periods, demand
growth and price elasticity per workload, a hardware and model roadmap, owned or
rented capacity, training and licensing contracts, compared across fleet
variants. Each period is simulated as representative days at request level and
scaled to the period; Monte Carlo samples of the uncertain inputs give P10, P50
and P90 per period. The variants and periods of a sample use the same seeds;
each sample has its own.

The file's keys and what each left out takes are tabulated in docs/forecast.md,
"The file" (a rented variant's procurement.min and max, for one: 1 and 4 x the
base scenario's fleet.count).

A rented fleet is sized per slice of the day and rounded up to whole
instances, so RENT and USD/Mtok step: on a fleet of a few instances, +5%
demand can add a whole one (docs/forecast.md, "Fleets: owned or rented"; the
report says WHOLE INSTANCES where rounding adds more than a tenth).

With no argument it runs the built-in trainium-amortization forecast: owned trn2
vs rented p5en vs owned p5en over 12 quarters. The forecast and its runs are
stored (--db) unless --no-store is given; 'aiecon plot FORECAST --kind forecast'
draws its fan chart and 'aiecon compare --forecast FORECAST' compares its
variants.

To spread a forecast over machines, give each one --shard i/n (0-based) and
its own --db, or --shards n to take i from JOB_COMPLETION_INDEX or
SLURM_ARRAY_TASK_ID; "{shard}" in --db is replaced by i (refused with no shard given). Shard i runs the
(variant, sample, period) groups g with g mod n = i, each whole, and stores
them under the forecast id every shard derives from the file, so
'aiecon merge OUT SHARD...' gives one forecast with every period.

A forecast is stored once every run has finished. Stopped before (Ctrl-C,
a lost machine), it keeps each run it finished, and --resume FORECAST (the
id the stop message names, a prefix, or "last") with the same file,
--samples, --periods and --shard runs only the rest and stores the
forecast as a whole run would; a changed file, base scenario, build or
calibration profile file is refused (exit 2), naming what changed.
Progress, on stderr: a bar on a terminal, else a line per run, with a line
on what a resume has left to do and one on what the forecast took. -q
(--quiet) silences the progress only: the report and its warnings, and the
notes and warnings on stderr, still print.`

func newForecastCmd(e *env) *cobra.Command {
	var f forecastFlags
	cmd := &cobra.Command{
		Use:   "forecast [FILE.yaml | BUILTIN]",
		Short: "Forecast a service's P&L over months or quarters from simulated representative days",
		Long:  forecastLong,
		Example: `  aiecon forecast
  aiecon forecast my-plan.yaml -j 2 --json
  aiecon forecast --samples 1 --periods 4 --no-store
  aiecon plot last --kind forecast -o fan.png
  aiecon compare --forecast last
  aiecon forecast plan.yaml --shards 4 --db /out/shard-{shard}.duckdb
  aiecon forecast plan.yaml --samples 8 --resume last`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := refuseNonPositive(cmd, "samples", "periods", "shards"); err != nil {
				return err
			}
			if cmd.Flags().Changed("resume") && strings.TrimSpace(f.resume) == "" {
				// "" is how the flag says "not given": a new forecast ran.
				return badInput("--resume: empty forecast id; give the id the stop message names, a prefix of it, or \"last\"")
			}
			arg, err := fileArg(args, "forecast")
			if err != nil {
				return err
			}
			return runForecastCmd(cmd.Context(), e, arg, f)
		},
	}
	fl := cmd.Flags()
	fl.IntVarP(&f.jobs, "jobs", "j", runtime.GOMAXPROCS(0), "runs in parallel; the default is the number of CPUs")
	fl.IntVar(&f.samples, "samples", 0, "Monte Carlo samples (default: the file's; 1 runs the nominal inputs only)")
	fl.IntVar(&f.periods, "periods", 0, "forecast only the first `n` periods (default: all)")
	fl.BoolVar(&f.json, "json", false, "print the report as JSON")
	fl.BoolVar(&f.noStore, "no-store", false, "do not store the forecast or its runs")
	fl.BoolVar(&f.sources, "sources", false, "list where every ownership figure comes from, without running the forecast")
	fl.StringVar(&f.shard, "shard", "", "run only shard `i/n` (0-based) of the (variant, sample, period) groups")
	fl.IntVar(&f.shards, "shards", 0, "run shard i of `n`, i from $JOB_COMPLETION_INDEX or $SLURM_ARRAY_TASK_ID")
	fl.StringVar(&f.resume, "resume", "", "finish a stopped `FORECAST` (id, prefix or \"last\") of the same file and flags: run only the runs it has not")
	addWidthFlag(cmd, &f.width)
	return cmd
}

func runForecastCmd(ctx context.Context, e *env, arg string, f forecastFlags) (err error) {
	if err := checkJobs(f.jobs); err != nil {
		return err
	}
	shard, err := shardFlags(f.shard, f.shards)
	if err != nil {
		return err
	}
	if f.resume != "" && (f.noStore || f.sources) {
		return badInput("--resume finishes a stopped forecast in the store: --no-store and --sources do not apply")
	}
	if shard.Count > 1 && f.noStore {
		return badInput("--shard %d/%d with --no-store: a shard is only useful stored, to be merged", shard.Index, shard.Count)
	}
	if err := shardDB(e, shard); err != nil {
		return err
	}
	fc, err := loadForecast(arg, f, shard)
	if err != nil {
		return err
	}
	if f.sources { // the figures are the file's and the catalog's: nothing to run
		report := forecast.NewReport(fc, nil, 0)
		if f.json {
			enc := json.NewEncoder(e.stdout)
			enc.SetIndent("", "  ")
			return enc.Encode(map[string]any{"name": report.Name, "fleets": report.Fleets})
		}
		return report.WriteSources(e.stdout)
	}
	var store *data.Store
	if f.resume != "" {
		if err := checkForecastResumeRef(ctx, e, f.resume); err != nil {
			return err
		}
	}
	if !f.noStore {
		if store, err = data.OpenContext(ctx, e.dbPath, writerOptions(e)); err != nil {
			return err
		}
		defer closeStore(store, &err)
	}
	run := forecastRun{fc: fc, arg: arg, flags: f, shard: shard, store: store}
	if err := run.prepare(ctx, e); err != nil {
		return err
	}
	started := time.Now()
	runs, err := run.execute(ctx, e)
	if err != nil {
		return err
	}
	report := forecast.NewReport(fc, forecast.Aggregate(fc, runs), len(runs))
	report.SetShard(shard)
	if store != nil {
		if report.ID, err = forecast.Save(ctx, store, fc, run.id, report, runs, aieconVersion()); err != nil {
			if ctx.Err() == nil {
				return err
			}
			// Stopped while storing: every run is kept for a resume, which
			// then only stores.
			kept := "its " + plural(len(runs), "run") + " are kept"
			if len(runs) == 1 {
				kept = "its 1 run is kept"
			}
			return fmt.Errorf("%w\n(%s for it in %s: store it with: %s)", err, kept, store.Path(), run.resumeCommand(e))
		}
	}
	if !e.quiet {
		run.sayDone(e, len(runs), report.ID, time.Since(started))
	}
	if f.json {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(report)
	}
	width := reportWidth(e, f.width)
	return report.WriteTextProse(e.stdout, wrappedProse(width))
}

// loadForecast reads the forecast file (or built-in) arg and applies the
// flags that decide its runs, refusing (exit 2) values it cannot take,
// all before the store is opened: nothing is written.
func loadForecast(arg string, f forecastFlags, shard study.ShardSpec) (*forecast.Forecast, error) {
	fc, err := forecast.Load(arg)
	if err != nil {
		return nil, err
	}
	if err := fc.SetSamples(f.samples); err != nil {
		return nil, asUsage(err)
	}
	if err := fc.Truncate(f.periods); err != nil {
		return nil, asUsage(err)
	}
	if err := fc.CheckShard(shard); err != nil {
		return nil, asUsage(err)
	}
	return fc, nil
}

// sayDone is the line on stderr that closes a forecast: its runs, how
// many a resume reused, the time, the workers and where it is stored
// (id "" when not).
func (r *forecastRun) sayDone(e *env, runs int, id string, took time.Duration) {
	where := "not stored"
	if id != "" {
		where = "stored as " + id + " in " + r.store.Path()
	}
	part, reused := "", ""
	if r.shard.Count > 1 {
		part = " (" + r.shard.String() + ")"
	}
	if len(r.reuse) > 0 {
		reused = fmt.Sprintf(" (%d of them finished before it was resumed)", len(r.reuse))
	}
	fmt.Fprintf(e.stderr, "forecast %s%s: %s%s in %s on %s, %s\n", r.fc.Spec.Name, part, plural(runs, "run"), reused,
		took.Round(time.Millisecond), plural(r.flags.jobs, "worker"), where)
}

// checkForecastResumeRef refuses a --resume forecast the store holds no
// unfinished forecast of before the read-write open, which migrates a
// store of an older schema one way, as sweep's checkResumeRef does: a
// mistyped id upgraded the store, then was refused. It reads the store
// read-only as it is (data.Options.OlderSchema); one it cannot open so
// (missing, held, damaged) is the read-write open's to report, and any
// other doubt prepare's.
func checkForecastResumeRef(ctx context.Context, e *env, ref string) error {
	return checkRefReadOnly(ctx, e, "forecast "+ref, data.ErrNoForecastCheckpoint, func(s *data.Store) error {
		_, err := s.ResolveForecastCheckpoint(ctx, ref)
		return err
	})
}

// forecastRun is one forecast command's execution: the forecast, how it
// was asked for (to name the command that resumes it), the id it stores
// under and the runs it reuses.
type forecastRun struct {
	fc    *forecast.Forecast
	arg   string // the FILE or BUILTIN argument, as given
	flags forecastFlags
	shard study.ShardSpec
	store *data.Store // nil with --no-store
	id    string      // "" with --no-store
	reuse map[forecast.JobKey]forecast.RunResult
}

// prepare picks the id the forecast stores under: a resumed forecast's,
// a shard's derived one, or a fresh one; resuming, it reads back what the
// stopped forecast kept, refusing one that changed (exit 2).
func (r *forecastRun) prepare(ctx context.Context, e *env) error {
	switch {
	case r.store == nil:
		return nil
	case r.flags.resume == "":
		r.id = r.fc.ShardID(r.shard)
		if r.id == "" {
			r.id = data.NewID()
			return nil
		}
		return r.checkShardID(ctx, e)
	}
	id, err := r.resumeID(ctx, e)
	if err != nil {
		return err
	}
	if err := r.refuseStored(ctx, id); err != nil {
		return err
	}
	if r.reuse, err = forecast.Resumed(ctx, r.store, r.fc, id, r.shard, aieconVersion()); err != nil {
		return err
	}
	files, err := r.store.ForecastCheckpointCalibrations(ctx, id)
	if err != nil {
		return err
	}
	if f, path, state := changedProfile(files); state != "" {
		return badInput("forecast %s cannot be resumed so: the runs it finished (run %s among them) were priced by the calibration profile %s "+
			"as it was then, and the file %s: the runs left would be priced by another profile; put that file back at the path, or run the forecast anew",
			id, f.RunID, path, state)
	}
	r.id = id
	return nil
}

// checkShardID refuses (exit 2), before any run, a shard whose id the
// store already holds. Every shard of one split of a file has the same id
// (the merge joins them by it), so each needs its own --db: stored, a
// shard's forecast made Save fail after every run; kept by a stopped run
// of a shard, a fresh run wrote its runs beside the kept ones, which a
// resume of either then refused.
func (r *forecastRun) checkShardID(ctx context.Context, e *env) error {
	if err := r.refuseStored(ctx, r.id); err != nil {
		return err
	}
	if _, err := r.store.ResolveForecastCheckpoint(ctx, r.id); err == nil {
		return badInput("%s keeps a stopped run of a shard of this forecast (forecast %s; every shard of a split has that id, "+
			"so give each shard its own --db): finish it with the --shard it ran, as: %s; or drop what it keeps "+
			"(its runs stay, as runs of no forecast) with: %s, and run the shard again", r.store.Path(), r.id,
			r.resumeCommandFor(e, r.id), dropCheckpointsCommand(e, r.id))
	}
	return nil
}

// refuseStored refuses (exit 2) a forecast id the store holds stored
// whole: Save would refuse it only after every run.
func (r *forecastRun) refuseStored(ctx context.Context, id string) error {
	if done, err := r.store.ResolveForecast(ctx, id); err == nil && done == id {
		return badInput("%s already holds forecast %s, stored (a shard of this split stored there before? every shard has that id): "+
			"nothing to run; give each shard its own --db, or read it with 'aiecon compare --forecast %s'", r.store.Path(), id, id)
	}
	return nil
}

// execute runs the forecast's jobs (those it does not reuse) with
// progress; stopped early, it says what the store keeps of it and the
// command that finishes it.
func (r *forecastRun) execute(ctx context.Context, e *env) ([]forecast.RunResult, error) {
	jobs := len(r.fc.ShardJobs(r.shard)) - len(r.reuse)
	if !e.quiet && len(r.reuse) > 0 {
		fmt.Fprintf(e.stderr, "forecast %s (%s) in %s: %s to do, %d finished before\n", r.fc.Spec.Name, r.id, r.store.Path(), plural(jobs, "run"), len(r.reuse))
	}
	var (
		check    *checkProgress    // made at the first group checked, which gives their number
		progress *forecastProgress // after the check: its bar would sit under the check's
		mu       sync.Mutex
		finished int
	)
	checked := func(done, total int) { // one call at a time (Options.Checked)
		if check == nil {
			check = newCheckProgress(e, "forecast", r.fc.Spec.Name, "groups", total)
		}
		check.set(done)
	}
	endCheck := func() {
		if check != nil {
			check.finish()
			check = nil
		}
	}
	runs, err := forecast.Execute(ctx, r.fc, forecast.Options{Workers: r.flags.jobs, Store: r.store, Version: aieconVersion(),
		Shard: r.shard, ID: r.id, Reuse: r.reuse, Checked: checked, Progress: func(p forecast.Progress) {
			mu.Lock() // workers report outside Execute's lock: keep the largest count
			finished = max(finished, p.Done)
			if progress == nil { // every check is done before the first run
				endCheck()
				progress = newForecastProgress(e, jobs, r.fc.Spec.Name)
			}
			bar := progress
			mu.Unlock()
			bar.update(p)
		}})
	endCheck()
	if progress != nil {
		progress.finish()
	}
	if kept := finished + len(r.reuse); err != nil && r.store != nil && kept > 0 {
		return nil, fmt.Errorf("forecast %s stopped after %d of its %s: %w\n(the forecast is stored only once every run has finished; "+
			"the %s that finished %s kept for it in %s: finish with: %s; or, not to finish it, drop what is kept for it "+
			"(its runs stay, as runs of no forecast) with: %s)",
			r.fc.Spec.Name, kept, plural(jobs+len(r.reuse), "run"), err, plural(kept, "run"), isAre(kept), r.store.Path(), r.resumeCommand(e),
			dropCheckpointsCommand(e, r.id))
	}
	return runs, err
}

// isAre is the verb of plural(n, ...).
func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

// resumeCommand is the command line that finishes this forecast: its
// argument and the flags that decide its runs, as given, and --resume.
func (r *forecastRun) resumeCommand(e *env) string { return r.resumeCommandFor(e, r.id) }

// resumeCommandFor is resumeCommand resuming forecast id.
func (r *forecastRun) resumeCommandFor(e *env, id string) string {
	words := []string{"aiecon", "forecast"}
	if r.arg != "" {
		words = append(words, shellQuote(r.arg))
	}
	if r.flags.samples != 0 {
		words = append(words, "--samples", strconv.Itoa(r.flags.samples))
	}
	if r.flags.periods != 0 {
		words = append(words, "--periods", strconv.Itoa(r.flags.periods))
	}
	if r.shard.Count > 1 {
		words = append(words, "--shard", strconv.Itoa(r.shard.Index)+"/"+strconv.Itoa(r.shard.Count))
	}
	return strings.Join(append(words, "--resume", id, "--db", shellQuote(e.dbPath)), " ")
}

// keptResumeCommand is resumeCommand for forecast k that the store at db
// keeps stopped, read from what it keeps: the store holds the forecast
// file as its SHA-256 alone, so the command names a built-in by its name
// and a file of the user's as FILE; --samples and --periods are the
// counts it ran (the file's own, given again, change nothing).
func keptResumeCommand(db string, k data.KeptForecast) string {
	arg := forecast.BuiltinOf(k.PlanSHA256)
	if arg == "" {
		arg = "FILE"
	}
	return storedResumeCommand(db, k.ID, arg, k.ForecastFingerprint)
}

// storedResumeCommand is resumeCommand for forecast id, stopped in the
// store at db with fingerprint fp, its file named arg.
func storedResumeCommand(db, id, arg string, fp data.ForecastFingerprint) string {
	r := forecastRun{id: id, arg: arg, flags: forecastFlags{samples: fp.Samples, periods: fp.Periods}}
	if fp.Shard != "" {
		r.shard, _ = study.ParseShard(fp.Shard) // one it cannot read is named by none: the resume's refusal names it
	}
	return r.resumeCommandFor(&env{dbPath: db}, id)
}

// keptForecastWords describe forecast k that a store keeps stopped, for
// doctor and merge: its id and shard, the runs it keeps and when the last
// finished.
func keptForecastWords(k data.KeptForecast) string {
	what := "forecast " + k.ID
	if k.Shard != "" {
		what += " (shard " + k.Shard + ")"
	}
	what += fmt.Sprintf(" stopped before it was stored, keeping %s for a resume", plural(k.Runs, "finished run"))
	if k.Complete < k.Runs {
		what += fmt.Sprintf(" (%d of them no longer complete, which a resume runs again)", k.Runs-k.Complete)
	}
	if !k.LastFinished.IsZero() {
		what += ", the last finished " + k.LastFinished.UTC().Format("2006-01-02 15:04 UTC")
	}
	return what
}

// dropCheckpointsSQL deletes what unfinished forecast id keeps for a
// resume (forecast_checkpoints), which nothing else removes but storing
// the forecast: a forecast never resumed keeps its rows for good. Its runs
// stay, as ordinary runs.
func dropCheckpointsSQL(id string) string {
	return "DELETE FROM forecast_checkpoints WHERE forecast_id = '" + id + "'"
}

// dropCheckpointsCommand is the command line that runs dropCheckpointsSQL
// on the store; an id is of 0-9 and a-z alone, so double quotes hold it.
func dropCheckpointsCommand(e *env, id string) string {
	return `aiecon sql --write "` + dropCheckpointsSQL(id) + `" --db ` + shellQuote(e.dbPath)
}

// forecastProgress shows a forecast's runs done on stderr: a bar on a
// terminal, otherwise (a log, CI, nohup) one line per run with an ETA, as
// a sweep's; nothing with --quiet.
type forecastProgress struct {
	bar   *countProgress
	w     io.Writer // lines, when not nil
	total int
}

func newForecastProgress(e *env, total int, name string) *forecastProgress {
	p := &forecastProgress{bar: newCountProgress(e, total, "forecast "+name), total: total}
	if p.bar.bar == nil && !e.quiet && total > 0 {
		p.w = e.stderr
	}
	return p
}

func (p *forecastProgress) update(pr forecast.Progress) {
	p.bar.set(pr.Done, pr.Total)
	if p.w == nil {
		return
	}
	elapsed := time.Since(pr.Started)
	eta := time.Duration(float64(elapsed) / float64(pr.Done) * float64(pr.Total-pr.Done))
	j := pr.Last
	fmt.Fprintf(p.w, "[%*d/%d] %s sample %d period %d day %d slice %d done in %s; %d done, ETA %s\n",
		len(strconv.Itoa(pr.Total)), pr.Done, pr.Total, pr.Variant, j.Sample, j.Period, j.Day, j.Slice, fmtWall(pr.Wall),
		pr.Done, eta.Round(time.Second))
}

func (p *forecastProgress) finish() { p.bar.finish() }

// countProgress shows runs done on stderr when it is a terminal.
type countProgress struct{ bar *progressbar.ProgressBar }

func newCountProgress(e *env, total int, desc string) *countProgress {
	return newCountProgressOf(e, total, desc, "runs")
}

// newCountProgressOf is a progress bar counting units ("runs", "points").
func newCountProgressOf(e *env, total int, desc, units string) *countProgress {
	if e.quiet || !stderrIsTerminal(e) || total == 0 {
		return &countProgress{}
	}
	return &countProgress{bar: progressbar.NewOptions(total,
		progressbar.OptionSetWriter(e.stderr),
		progressbar.OptionSetDescription(desc),
		progressbar.OptionShowCount(),
		progressbar.OptionSetItsString(units),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionFullWidth(),
	)}
}

func (p *countProgress) set(done, _ int) {
	if p.bar != nil {
		_ = p.bar.Set(done)
	}
}

func (p *countProgress) finish() {
	if p.bar != nil {
		_ = p.bar.Finish()
	}
}
