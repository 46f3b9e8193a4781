package main

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
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
}

func init() { register(newForecastCmd) }

func newForecastCmd(e *env) *cobra.Command {
	var f forecastFlags
	cmd := &cobra.Command{
		Use:   "forecast [FILE.yaml | BUILTIN]",
		Short: "Forecast a service's P&L over months or quarters from simulated representative days",
		Long: `Run a multi-period forecast (docs/forecast.md): a base scenario, periods, demand
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
'aiecon merge OUT SHARD...' gives one forecast with every period.`,
		Example: `  aiecon forecast
  aiecon forecast my-plan.yaml -j 2 --json
  aiecon forecast --samples 1 --periods 4 --no-store
  aiecon plot last --kind forecast -o fan.png
  aiecon compare --forecast last
  aiecon forecast plan.yaml --shards 4 --db /out/shard-{shard}.duckdb`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := refuseNonPositive(cmd, "samples", "periods", "shards"); err != nil {
				return err
			}
			arg := ""
			if len(args) == 1 {
				arg = args[0]
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
	if shard.Count > 1 && f.noStore {
		return badInput("--shard %d/%d with --no-store: a shard is only useful stored, to be merged", shard.Index, shard.Count)
	}
	if err := shardDB(e, shard); err != nil {
		return err
	}
	fc, err := forecast.Load(arg)
	if err != nil {
		return err
	}
	if err := fc.SetSamples(f.samples); err != nil {
		return asUsage(err)
	}
	if err := fc.Truncate(f.periods); err != nil {
		return asUsage(err)
	}
	if err := fc.CheckShard(shard); err != nil { // before the store is opened: nothing is written
		return asUsage(err)
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
	if !f.noStore {
		if store, err = data.OpenContext(ctx, e.dbPath, writerOptions(e)); err != nil {
			return err
		}
		defer closeStore(store, &err)
	}
	started := time.Now()
	runs, err := executeForecast(ctx, e, fc, f.jobs, shard, store)
	if err != nil {
		return err
	}
	report := forecast.NewReport(fc, forecast.Aggregate(fc, runs), len(runs))
	report.SetShard(shard)
	if store != nil {
		if report.ID, err = forecast.Save(ctx, store, fc, report, runs, aieconVersion()); err != nil {
			return err
		}
	}
	if !e.quiet {
		where := "not stored"
		if report.ID != "" {
			where = "stored as " + report.ID + " in " + store.Path()
		}
		part := ""
		if shard.Count > 1 {
			part = " (" + shard.String() + ")"
		}
		fmt.Fprintf(e.stderr, "forecast %s%s: %d runs in %s on %s, %s\n", fc.Spec.Name, part, len(runs),
			time.Since(started).Round(time.Millisecond), plural(f.jobs, "worker"), where)
	}
	if f.json {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(report)
	}
	width := reportWidth(e, f.width)
	return report.WriteTextProse(e.stdout, wrappedProse(width))
}

// executeForecast runs a forecast's jobs with a progress bar; stopped
// early, it says what the store keeps of it.
func executeForecast(ctx context.Context, e *env, fc *forecast.Forecast, workers int, shard study.ShardSpec, store *data.Store) ([]forecast.RunResult, error) {
	jobs := len(fc.ShardJobs(shard))
	progress := newCountProgress(e, jobs, "forecast "+fc.Spec.Name)
	var mu sync.Mutex
	finished := 0
	runs, err := forecast.Execute(ctx, fc, forecast.Options{Workers: workers, Store: store, Version: aieconVersion(),
		Shard: shard, Progress: func(done, total int) {
			mu.Lock() // workers report outside Execute's lock: keep the largest count
			finished = max(finished, done)
			mu.Unlock()
			progress.set(done, total)
		}})
	progress.finish()
	if err != nil && store != nil && finished > 0 {
		return nil, fmt.Errorf("forecast %s stopped after %d of its %d runs: %w\n(the forecast is stored only once every run has finished, "+
			"so it was not; the %d runs that finished stay in %s as ordinary runs named %s/..., and a rerun does not reuse them)",
			fc.Spec.Name, finished, jobs, err, finished, store.Path(), fc.Spec.Name)
	}
	return runs, err
}

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
