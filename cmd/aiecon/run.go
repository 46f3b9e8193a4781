package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"aiecon/data"
	"aiecon/model"
	"aiecon/runner"
)

type runFlags struct {
	seed    seedFlag
	horizon horizonFlag
	sets    []string
	json    bool
	noStore bool
	name    string
	variant string
	// calibration is --calibration: a profile file or "latest".
	calibration string
	width       widthFlag
}

func init() { register(newRunCmd) }

// runLong is run's help: what it prints, warns of, and stores.
const runLong = `Simulate a scenario: a YAML file, or a built-in scenario by name (see
'aiecon scenarios'). With no argument it runs the built-in default, baseline.

A scenario that defines variants (named what-ifs, e.g. the same traffic on
GPUs and on Trainium) runs every variant and ends with a comparison table,
whose header says that its revenue and margin are totals over the horizon
(beside a cost per hour) and which marks a variant whose report warned
OVERLOADED or SATURATED, with a warning that its cost per Mtok is no saving;
--variant runs one.

--json prints one shape with or without variants: {"runs": [RUN, ...]}, one
RUN per variant (one for a scenario without variants), each with run_id,
scenario, variant, overrides, seed, horizon_s, wall_s, events, calibration,
kpis (name, scope, value, unit; value null when undefined), replicas (id,
instance, iterations, busy_ns, up_ns, prefill_tokens, decode_tokens,
preemptions, completed: show --json's keys for them, which adds type and
tp; the store's replicas table names id replica_id) and warnings (the
warnings below, [] when none); beside "runs", comparison_warnings holds the
variants' comparison's ([] when none).

After the report, run prints its warnings, each led by its label
(docs/model.md, "Fleet-sizing warnings", describes each):

Fleet sizing, each but NO TRAFFIC with the optimize command that sizes it:
  OVERLOADED: the fleet fell behind its traffic: requests left unfinished
    by a queue that grows, or over 1% dropped by a full queue or timed out;
    batch slots over 95% full; a drained run that spent long on a backlog;
    or users giving up (over a quarter of the sessions, or of the requests
    by queue timeout) while the KV cache is 90% full or requests are
    preempted for it, or while 90% or more of the batch slots are filled.
  SATURATED: a closed loop's clients with more requests queued than served
    on average (each judged on the workloads' own requests, an open-loop
    workload's queue apart from a closed loop's).
  GROWING QUEUE: an open-loop queue grew, but beside closed-loop clients
    whose own requests grew too, so the run cannot tell it from a backlog.
  MOSTLY IDLE: under 20% of batch slots filled; IDLE SLOTS where a neuron
    fleet's prefills, not its slots, may bind, or where a fleet of one
    instance iterated over 80% of the time (its empty slots a setting).
  NO TRAFFIC: no request arrived in the horizon.
The fleet and its prices:
  UNUSED DEVICES: an instance's devices that hold no replica, paid idle.
  CAPACITY BLOCKS AUTOSCALED, RESERVED FLEET AUTOSCALED, OWNED FLEET
    AUTOSCALED: an autoscaled fleet whose pricing is paid whether it runs
    or not, billed by the second.
  SCALE-UPS PAID, NEVER UP: fleet.autoscale.interval plus provision_delay
    reach the horizon, so the instances the autoscaler added were paid and
    never served.
  FP8 ACTIVATIONS RUN IN BF16: fp8 activations on Ampere GPUs, which have
    no fp8 arithmetic.
  HEADS NOT DIVISIBLE BY TP: a TP degree that splits the attention heads.
  RETRAINS OVERLAP: a retrain takes longer than its cadence.
  PRICES OF DIFFERENT DATES: catalog prices quoted far apart in time.
Revenue and users:
  NO TOKEN PRICE: a workload with no token price earns $0.
  TOKEN PRICE OF ANOTHER MODEL: a workload billed at another model's price.
  PRICED BELOW COST, PRICE NOT JUDGED: a token price below the attributed
    cost per Mtok, or a priced workload that completed nothing to judge.
  SESSIONS ABANDONED: an agent workload abandons more than a tenth of its
    sessions while its SLO reads as met, 90% or more (its SLO attainment
    counts the calls served, not the users who gave up).
  COMMERCE COUNTED GROSS: an agent's commerce counted with
    value.incremental unset.
  ADS.ABANDON_PER_AD HAS NO EFFECT, ADS.RELEVANCE DRAWS 0, ADS.PAID_CPC
    DEFAULT DROPPED: an ads setting with no effect, or dropped.
  TRACE CUT AT THE HORIZON: an arrival trace's later rows not replayed.
Values in range that make the run describe nothing meant:
  SUSPECT VALUE: an instance price over 10x its on-demand list price, a
    token price over 1,000x the catalog's dearest, an SLO target below the
    fastest step a replica can take, a rate expected to send under one
    request in the horizon, a closed loop's think time as long as the
    horizon, more replicas than requests expected, or a horizon (without
    drain) shorter than a request takes on an idle replica; each names its
    field and value (docs/scenarios.md, "Suspect values").
Step times and calibration:
  STEP TIMES ARE AN ESTIMATE, STEP TIMES BY TRANSFER, STEP TIMES THINLY
    FITTED: the step-time constants were not fitted to published
    measurements of the instance's chip: fitted to none (an estimate),
    fitted to other chips of its family and carried over (B200, L4, L40S,
    A10G, A100-40GB, Trainium3), or fitted to too few to cross-validate
    (Trainium2).
  STEP TIMES EXTRAPOLATED: the fleet lies outside the measurements they
    were fitted to: active parameters per device more than 2x from the
    fitted ones, a TP degree more than 2x from the fitted degrees (TP 8 on
    NeuronCore-v2 constants fitted at TP 24-32) or above 1 where every row
    ran on one device, a weight format no row stored, prompts whose 99th
    percentile over the calls routed to the fleet, served or not, passes
    the longest fitted, or contexts (prompt plus output) whose 99th
    percentile is more than 2x the longest fitted, a max_num_seqs more
    than 2x the largest batch (static, or a loop's clients) fitted
    (Trainium2's rows ran 1 and 2 sequences at once), a mixture of experts
    on constants fitted to dense models only, or speculative decoding,
    which no fitted row used and no published speculative row validates
    (docs/calibration.md).
  THIN DEVICE CALIBRATION, POORLY FITTED CALIBRATION, SERVING CONSTANTS
    FROM ANOTHER STRUCTURE: caveats of the calibration profile that priced
    the run.

The FLEET "step times" line says what the constants were fitted to
(stack, static batches or loops, chips, and "carried over" to a chip not
among them), their cross-validated error, what checks continuous batching
where the fit had no loop, and, briefly, where the fleet is EXTRAPOLATED.

The run is stored in the DuckDB store (--db, $AIECON_DB, ./aiecon.duckdb) unless
--no-store is given; its id is printed so 'aiecon show', 'compare', 'plot' and
'export' can find it. Step times come from the built-in calibration profile,
unless --calibration or the scenario's hardware.calibration names another
('aiecon calibrate' saves them; --calibration latest takes the newest).

-q (--quiet) silences the progress only: the bar a terminal shows on stderr
while the run simulates. The report and its warnings, and the notes and
warnings on stderr, still print.`

func newRunCmd(e *env) *cobra.Command {
	var f runFlags
	cmd := &cobra.Command{
		Use:   "run [FILE.yaml | BUILTIN]",
		Short: "Simulate a scenario and print its latency, throughput and economics",
		Long:  runLong,
		Example: `  aiecon run
  aiecon run gpu-vs-trainium --seed 7 --horizon 2h
  aiecon run my-fleet.yaml --set fleet.count=8 --set workloads[chat].arrivals.rate=20/s
  aiecon run gpu-vs-trainium --json --no-store | jq -r '.runs[] | [.scenario, (.kpis[] | select(.name=="cost_per_mtok_usd" and .scope=="") | .value)] | @tsv'`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			arg, err := fileArg(args, "run")
			if err != nil {
				return err
			}
			return runScenario(cmd.Context(), e, cmd, arg, f)
		},
	}
	cmd.Flags().Var(&f.seed, "seed", "random seed, 1 to 2^63-1 (default: the scenario's)")
	cmd.Flags().Var(&f.horizon, "horizon", "simulated time, e.g. 30m, 2h, 1d (default: the scenario's)")
	addSetFlag(cmd.Flags(), &f.sets, "override a scenario field, `path=value` (repeatable), e.g. fleet.count=8; an empty value is refused, path=null resets a field to its default, ads=null removes an optional block")
	cmd.Flags().BoolVar(&f.json, "json", false, "print the results as JSON")
	cmd.Flags().BoolVar(&f.noStore, "no-store", false, "do not store the run in the DuckDB store")
	cmd.Flags().StringVar(&f.name, "name", "", "name of the stored run (default: the scenario's name, with the --set overrides in brackets: \"baseline [fleet.count=8]\")")
	cmd.Flags().StringVar(&f.variant, "variant", "", "run only this variant of a scenario that defines variants")
	addCalibrationFlag(cmd.Flags(), &f.calibration)
	addWidthFlag(cmd, &f.width)
	return cmd
}

// runFlagOverrides are --seed, --horizon and --calibration as overrides,
// which an error names as typed, in the order the run's name lists them.
func runFlagOverrides(e *env, cmd *cobra.Command, f runFlags) ([]model.Override, error) {
	var flags []model.Override
	if cmd.Flags().Changed("seed") {
		if err := flagAndSet(f.sets, "seed", "seed", f.seed.String()); err != nil {
			return nil, err
		}
		flags = append(flags, runner.FlagOverride("--seed", "seed", f.seed.String()))
	}
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
	return flags, nil
}

func runScenario(ctx context.Context, e *env, cmd *cobra.Command, arg string, f runFlags) (err error) {
	if cmd.Flags().Changed("name") && strings.TrimSpace(f.name) == "" {
		// As --db "" and an empty --set are: --name "$NAME" with NAME unset
		// stored the run under the scenario's name without a word.
		return badInput("--name: empty name (an unset shell variable?); give a name, or leave --name out for the scenario's")
	}
	if cmd.Flags().Changed("variant") && strings.TrimSpace(f.variant) == "" {
		// --variant "$V" with V unset ran every variant, three times the
		// work, without a word.
		return badInput("--variant: empty name (an unset shell variable?); give one of the scenario's variants, or leave --variant out to run them all")
	}
	if msg := model.BadLabel(f.name); msg != "" {
		// The dashboard and every listing print the stored name.
		return badInput("--name: %s", msg)
	}
	warnRepeatedSets(e.stderr, f.sets)
	width := reportWidth(e, f.width)
	flags, err := runFlagOverrides(e, cmd, f)
	if err != nil {
		return err
	}
	loaded, err := runner.LoadVariantsWith(arg, f.sets, flags, f.variant)
	if err != nil {
		return err
	}
	for _, l := range loaded {
		if f.noStore {
			// The row budget sampled the request rows to store; with no
			// store they go nowhere, and its note said a sample was stored.
			if err := l.Unsample(); err != nil {
				return err
			}
		}
		for _, n := range l.Notes {
			fmt.Fprintln(e.stderr, "aiecon: note: "+n)
		}
	}
	for _, n := range runner.MaskedByOverrides(loaded[0]) { // LoadVariants returns one at least
		fmt.Fprintln(e.stderr, "aiecon: note: "+n)
	}
	opts := runner.Options{Version: aieconVersion()}
	if !f.noStore {
		store, oerr := data.OpenContext(ctx, e.dbPath, writerOptions(e))
		if oerr != nil {
			return oerr
		}
		defer closeStore(store, &err)
		opts.Store = store
	}
	var reports []runReport
	for i, l := range loaded {
		rep, err := runVariant(ctx, e, l, i, len(loaded), f, opts, width)
		if rep != nil {
			reports = append(reports, *rep)
		}
		if err != nil {
			if rep != nil && f.json { // simulated, not stored: the results go out all the same
				err = errors.Join(err, writeRunJSON(e.stdout, reports))
			}
			return err
		}
	}
	if f.json {
		return writeRunJSON(e.stdout, reports)
	}
	if len(reports) > 1 {
		return printVariantComparison(e.stdout, reports)
	}
	return nil
}

// runVariant runs variant i of n and prints its report unless --json. A
// run simulated in full whose storing failed (a full disk) is reported all
// the same, with no run id, and returned with the error: the run printed
// nothing, and the results were lost with the store.
func runVariant(ctx context.Context, e *env, l *runner.Loaded, i, n int, f runFlags, opts runner.Options, width int) (*runReport, error) {
	if f.name != "" {
		opts.Name = f.name
		if n > 1 {
			opts.Name += "/" + strings.TrimPrefix(l.Scenario.Name, strings.SplitN(l.Scenario.Name, "/", 2)[0]+"/")
		}
	}
	bar := newSimProgress(e, int64(l.Scenario.Horizon), fmt.Sprintf("simulating %s (%d/%d)", l.Scenario.Name, i+1, n))
	opts.Progress = bar.update
	out, err := runner.Run(ctx, l, opts)
	bar.done()
	if err != nil && ctx.Err() != nil && opts.Store != nil {
		err = fmt.Errorf("%w; stopped by a signal: a run it had begun is kept as failed with what it had stored, runs before it are complete; run the command again to redo it", err)
	}
	if out == nil {
		return nil, err
	}
	if err != nil {
		err = fmt.Errorf("%w (the results printed are the simulation's; the store does not hold the run as complete)", err)
	}
	rep := runReport{l: l, res: out.Result, wall: out.Wall, runID: out.RunID, dbPath: e.dbPath, calibration: out.Calibration, profile: out.Profile, width: width}
	if f.json {
		return &rep, err
	}
	if i > 0 {
		fmt.Fprintln(e.stdout, strings.Repeat("-", 78))
	}
	if perr := rep.print(e.stdout); perr != nil {
		return &rep, errors.Join(err, perr)
	}
	werr := rep.printWarnings(e.stdout)
	if err == nil && werr == nil && ctx.Err() != nil {
		// A stop signal while the report printed: the run is complete,
		// but the warnings that parse the scenario again were cut short,
		// and exit 0 told a job manager that sent SIGTERM that nothing
		// was stopped.
		again := "run it again for them"
		if rep.runID != "" {
			again = "aiecon show " + rep.runID + " prints them again"
		}
		werr = fmt.Errorf("%w while the report printed; the run is complete, but its warnings may not be: %s", ctx.Err(), again)
	}
	return &rep, errors.Join(err, werr)
}

// writeRunJSON prints the runs in the one documented --json shape,
// {"runs": [...]}, whether the scenario has variants or not, and the
// warnings of the variants' comparison ("comparison_warnings", [] when
// none), which the table prints under its COMPARISON.
func writeRunJSON(out io.Writer, reps []runReport) error {
	views := make([]any, len(reps))
	for i, r := range reps {
		views[i] = r.jsonView()
	}
	warnings := []string{}
	if len(reps) > 1 {
		warnings = append(warnings, variantWarnings(reps)...)
	}
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	return enc.Encode(map[string]any{"runs": views, "comparison_warnings": warnings})
}

// writerOptions open the store read-write: when a reader (the dashboard, a
// query) holds the file, say so and wait for it, up to data.DefaultLockWait,
// rather than fail next to it; when the open repaired a checkpoint torn by a
// kill or a failed write, say so and where the damaged original was kept;
// when the close's checkpoint failed (a full disk), warn that the runs are
// in the log.
func writerOptions(e *env) data.Options {
	return data.Options{OnLockWait: func(le *data.LockedError) {
		who := "another process"
		if le.PID > 0 {
			who = fmt.Sprintf("%s (PID %d)", le.Program, le.PID)
		}
		fmt.Fprintf(e.stderr, "aiecon: the store %s is in use by %s; waiting up to %s for it\n", le.Path, who, data.DefaultLockWait)
	}, OnRepair: func(r data.RepairReport) {
		fmt.Fprintf(e.stderr, "aiecon: the store %s: %s\n", r.Path, r)
	}, OnWarning: func(err error) {
		fmt.Fprintf(e.stderr, "aiecon: warning: %v\n", err)
	}, OnMigrate: func(path string, from, to int) {
		older := strconv.Itoa(from)
		if to-1 > from {
			older = fmt.Sprintf("%d to %d", from, to-1)
		}
		fmt.Fprintf(e.stderr, "aiecon: migrated the store %s from schema version %d to %d; the upgrade is one way: "+
			"aiecon builds of schema version %s can no longer open it\n", path, from, to, older)
	}, PathArg: e.dbArg()}
}
