package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"aiecon/data"
	"aiecon/runner"
)

type runFlags struct {
	seed    uint64
	horizon string
	sets    []string
	json    bool
	noStore bool
	name    string
	variant string
	// calibration is --calibration: a profile file or "latest".
	calibration string
}

func init() { register(newRunCmd) }

func newRunCmd(e *env) *cobra.Command {
	var f runFlags
	cmd := &cobra.Command{
		Use:   "run [FILE.yaml | BUILTIN]",
		Short: "Simulate a scenario and print its latency, throughput and economics",
		Long: `Simulate a scenario: a YAML file, or a built-in scenario by name (see
'aiecon scenarios'). With no argument it runs the built-in default, baseline.

A scenario that defines variants (named what-ifs, e.g. the same traffic on
GPUs and on Trainium) runs every variant and ends with a comparison table;
--variant runs one.

The run is stored in the DuckDB store (--db, $AIECON_DB, ./aiecon.duckdb) unless
--no-store is given; its id is printed so 'aiecon show', 'compare', 'plot' and
'export' can find it. Step times come from the built-in calibration profile,
unless --calibration or the scenario's hardware.calibration names another
('aiecon calibrate' saves them; --calibration latest takes the newest).`,
		Example: `  aiecon run
  aiecon run gpu-vs-trainium --seed 7 --horizon 2h
  aiecon run my-fleet.yaml --set fleet.count=8 --set workloads[chat].arrivals.rate=20/s
  aiecon run baseline --json --no-store | jq '.kpis[] | select(.name=="cost_per_mtok_usd")'`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			arg := ""
			if len(args) == 1 {
				arg = args[0]
			}
			return runScenario(cmd.Context(), e, cmd, arg, f)
		},
	}
	cmd.Flags().Uint64Var(&f.seed, "seed", 0, "random seed (default: the scenario's)")
	cmd.Flags().StringVar(&f.horizon, "horizon", "", "simulated time, e.g. 30m, 2h, 1d (default: the scenario's)")
	cmd.Flags().StringArrayVar(&f.sets, "set", nil, "override a scenario field, `path=value` (repeatable), e.g. fleet.count=8")
	cmd.Flags().BoolVar(&f.json, "json", false, "print the results as JSON")
	cmd.Flags().BoolVar(&f.noStore, "no-store", false, "do not store the run in the DuckDB store")
	cmd.Flags().StringVar(&f.name, "name", "", "name of the stored run (default: the scenario's name)")
	cmd.Flags().StringVar(&f.variant, "variant", "", "run only this variant of a scenario that defines variants")
	addCalibrationFlag(cmd.Flags(), &f.calibration)
	return cmd
}

func runScenario(ctx context.Context, e *env, cmd *cobra.Command, arg string, f runFlags) error {
	sets := append([]string(nil), f.sets...)
	if cmd.Flags().Changed("seed") {
		sets = append(sets, fmt.Sprintf("seed=%d", f.seed))
	}
	if f.horizon != "" {
		sets = append(sets, "horizon="+f.horizon)
	}
	sets, err := withCalibration(e, sets, f.calibration)
	if err != nil {
		return err
	}
	loaded, err := runner.LoadVariants(arg, sets, f.variant)
	if err != nil {
		return err
	}
	opts := runner.Options{Version: aieconVersion()}
	if !f.noStore {
		store, err := data.Open(e.dbPath, data.Options{})
		if err != nil {
			return err
		}
		defer store.Close()
		opts.Store = store
	}
	var reports []runReport
	for i, l := range loaded {
		if f.name != "" {
			opts.Name = f.name
			if len(loaded) > 1 {
				opts.Name += "/" + strings.TrimPrefix(l.Scenario.Name, strings.SplitN(l.Scenario.Name, "/", 2)[0]+"/")
			}
		}
		bar := newSimProgress(e, int64(l.Scenario.Horizon), fmt.Sprintf("simulating %s (%d/%d)", l.Scenario.Name, i+1, len(loaded)))
		opts.Progress = bar.update
		out, err := runner.Run(ctx, l, opts)
		bar.done()
		if err != nil {
			return err
		}
		rep := runReport{l: l, res: out.Result, wall: out.Wall, runID: out.RunID, dbPath: e.dbPath, calibration: out.Calibration}
		reports = append(reports, rep)
		if !f.json {
			if i > 0 {
				fmt.Fprintln(e.stdout, strings.Repeat("-", 78))
			}
			if err := rep.print(e.stdout); err != nil {
				return err
			}
		}
	}
	if f.json {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if len(reports) == 1 {
			return enc.Encode(reports[0].jsonView())
		}
		views := make([]any, len(reports))
		for i, r := range reports {
			views[i] = r.jsonView()
		}
		return enc.Encode(map[string]any{"variants": views})
	}
	if len(reports) > 1 {
		return printVariantComparison(e.stdout, reports)
	}
	return nil
}
