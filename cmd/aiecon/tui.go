package main

import (
	"os"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"aiecon/data"
	"aiecon/model"
	"aiecon/tui"
)

func init() { register(newTuiCmd) }

func newTuiCmd(e *env) *cobra.Command {
	var snapshot bool
	cmd := &cobra.Command{
		Use:   "tui",
		Short: "The terminal dashboard: browse, compare, query and launch runs",
		Long: `The terminal dashboard over the store (--db, $AIECON_DB, ./aiecon.duckdb).

Screens: Runs (every run with its headline KPIs, sweeps and forecasts folded;
/ filters, s sorts, space marks, c compares), Run (KPI cards, charts over
simulated time, breakdowns by workload and replica, the stored requests),
Compare (runs side by side with deltas), Sweep (points as a table and a
heatmap), Forecast (a stored forecast's P&L per period and variant), SQL (a
read-only console with CSV/Parquet export) and Launch (run a scenario with
live progress). ? lists the keys, : opens the command palette, esc goes
back, q quits. NO_COLOR is honoured. docs/tui.md is the guide.

The dashboard opens the store read-only and only while it reads, so other
aiecon commands can write it meanwhile; when another process holds the
file it says so, keeps what it showed, retries, and offers a snapshot copy.`,
		Example: `  aiecon tui
  aiecon tui --db runs/fleet.duckdb
  aiecon tui --snapshot          # read a copy while a long run writes the file`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			out, ok := e.stdout.(*os.File)
			if !ok || !term.IsTerminal(out.Fd()) {
				return model.Input("tui needs a terminal, and standard output is not one; in scripts use `aiecon runs`, `aiecon show` or `aiecon sql`")
			}
			opts := tuiOptions(e, snapshot)
			return tui.Run(cmd.Context(), opts, tea.WithInput(e.stdin), tea.WithOutput(out))
		},
	}
	cmd.Flags().BoolVar(&snapshot, "snapshot", false, "read a snapshot copy of the store (for a file another process is writing)")
	return cmd
}

// tuiOptions are the dashboard's options: the store, the version its
// launched runs record, the overload checks that aiecon sweep marks
// points with (sweepOverloadCheck) and aiecon compare marks runs with
// (overloadedRuns), so that its sweep and compare screens mark the same
// points and runs, and the warnings aiecon show prints for a run
// (storedWarnings), which its run screen shows.
func tuiOptions(e *env, snapshot bool) tui.Options {
	return tui.Options{Path: e.dbPath, Version: aieconVersion(), Snapshot: snapshot, Overload: sweepOverloadCheck, RunsOverloaded: overloadedRuns,
		RunWarnings: func(d *data.RunDetail) []string { return storedWarnings(d, e.dbPath) }}
}
