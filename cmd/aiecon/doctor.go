package main

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"aiecon/data"
)

func init() { register(newDoctorCmd) }

func newDoctorCmd(e *env) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "Copy the complete runs a damaged store still holds into a new store",
		Long: `Read the store (--db; typically a damaged one that a command set aside as
PATH.corrupt-TIME) read-only and copy every complete run that DuckDB can still
read in full, with all its records, into a new store (--out, by default
PATH.salvaged-TIME.duckdb), then say what was copied and what was lost. The
input is never changed. Each run is copied whole or not at all, so a run with
a damaged block is left out and named; failed and interrupted runs are left
behind. Sweeps, their points and calibrations are copied where they read.

Point --db at the salvaged file, or move it in place of the old store, to go
on working with it.`,
		Example: `  aiecon doctor --db aiecon.duckdb.corrupt-20261204T153012.000Z
  aiecon doctor --db runs.duckdb.corrupt-20261204T153012.000Z --out runs.duckdb`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if _, err := os.Stat(e.dbPath); err != nil {
				return badInput("doctor: %v", err)
			}
			if out == "" {
				out = e.dbPath + ".salvaged-" + time.Now().UTC().Format("20060102T150405Z") + ".duckdb"
			}
			if _, err := os.Stat(out); err == nil {
				return badInput("doctor: --out %s exists; give a new file", out)
			}
			st, err := data.Salvage(cmd.Context(), e.dbPath, out)
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "salvaged %d complete runs and %d sweeps from %s into %s\n", st.Runs, st.Sweeps, e.dbPath, out)
			if st.NotComplete > 0 {
				fmt.Fprintf(e.stdout, "left behind %d failed or interrupted runs (not complete)\n", st.NotComplete)
			}
			for _, l := range append(st.Lost, st.Extras...) {
				fmt.Fprintf(e.stdout, "lost %s: %s\n", l.What, oneLineErr(l.Err))
			}
			if len(st.Lost) > 0 {
				return fmt.Errorf("%d complete runs could not be read in full and were not copied", len(st.Lost))
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "the new store to write (default: --db PATH.salvaged-TIME.duckdb)")
	return cmd
}

// oneLineErr keeps a driver error, which may span lines, on one.
func oneLineErr(err error) string { return strings.Join(strings.Fields(err.Error()), " ") }
