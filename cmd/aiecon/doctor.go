package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"aiecon/data"
)

func init() { register(newDoctorCmd) }

// doctorLong is the help of the command: what it checks, copies and names.
const doctorLong = `Check a damaged store (--db; a store DuckDB refuses, or one a command set
aside as PATH.corrupt-TIME) and write what can be saved of it to a new store
(--out, by default PATH.salvaged-TIME.duckdb). The input is never changed.

First it checks DuckDB's checksum of both database headers and of every block
itself, and says which blocks are damaged. When both headers are intact, a few
blocks are not and the write-ahead log is there, a checkpoint was cut short
(by a kill -9, or by a write that failed, on a full disk say): doctor repairs
a copy (the checksums of the torn blocks recomputed, the log
replayed) and keeps it only if every row of every table reads back and every
complete run has the record counts it was stored with. Commands that write
do the same repair in place on their own.

Other damage, or a repair that does not hold up: it copies every complete run
that DuckDB can still read in full, with all its records, and says what was
copied and what was lost. Each run is copied whole or not at all, so a run
with a damaged block is left out and named, except that a run whose latency
sketches alone cannot be read is copied without them and named (a sweep
then averages its percentiles, as for a run stored before schema 11); failed and interrupted runs are
left behind, and so is a run with fewer records than it was stored with.
Sweeps, their points, calibrations and forecasts (their periods, and their
links to the runs copied) are copied where they read, and so is what a
forecast stopped midway keeps for a resume: doctor names each such forecast
with the --resume that finishes it in the copy. A store an older
aiecon wrote is copied at its schema version and the copy migrated to this
aiecon's, as opening the store read-write would migrate it. What the store
holds beside aiecon's schema (a column added to one of its tables, your own
tables and views) is not copied: doctor names it, and the store keeps it.
A column of aiecon's that the store lacks (dropped after it was written) is
filled in the copy with its default, or NULL, and doctor names it and how;
where the column admits neither (NOT NULL without a default), the runs with
rows in its table are left out, each named with the column.
A view of aiecon's that was dropped or replaced by one with other columns
fails the commands that read it. One replaced by other SQL with the same
columns, or a function or macro named like a DuckDB built-in, would make
them print what that SQL computes, so the read-only commands (runs, show,
compare, export, plot, sweep --show) refuse such a store (exit 2) and the
commands that write warn of it as they open the store: doctor names them,
and the copy has aiecon's views and none of the store's functions (or put
them back or drop them with aiecon sql --write). Rows whose run has no
runs row (a DELETE on runs alone leaves them, since no foreign key ties
them) are counted by table and not copied.

Point --db at the salvaged file, or move it in place of the old store, to go
on working with it. A store in which nothing is damaged (every checksum
holds, the schema is aiecon's, every complete run reads back in full) needs
no copy: doctor says so and writes none, unless --copy asks for one (a store
of the complete runs alone) or --out names where to write it. Tables and
views of your own are not damage: doctor names them, and the store keeps
them. Nor is a forecast stopped midway and never resumed, whose finished
runs the store keeps for a resume: doctor notes each, with the command
that finishes it and the one that drops what it keeps. Nor is a sweep that
lacks complete runs (killed, or with runs that failed): doctor notes each,
with the --resume that finishes it. A shard's store ('aiecon sweep --shard
i/n') holds its shard's runs alone: doctor checks that shard's points and
says "shard i/n complete", or gives the --resume --shard i/n that finishes
it (a sweep stored before schema version 32, which records no shard, is
noted as a whole, and its --resume takes the shard's --shard). Another
program's DuckDB file (no aiecon
schema_version table) holds nothing to salvage: doctor says so and writes
nothing.`

func newDoctorCmd(e *env) *cobra.Command {
	var out string
	var keep bool
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "Repair a damaged store, or copy the complete runs it still holds into a new one",
		Long:  doctorLong,
		Example: `  aiecon doctor --db aiecon.duckdb.corrupt-20261204T153012.000Z
  aiecon doctor --db runs.duckdb.corrupt-20261204T153012.000Z --out runs.duckdb`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var err error
			if out, keep, err = doctorOutput(e, out, keep || cmd.Flags().Changed("out")); err != nil {
				return err
			}
			if err := refuseInUse(cmd.Context(), e.dbPath); err != nil {
				return err
			}
			torn, sound := reportBlocks(e, e.dbPath)
			views := false // the store's views are not aiecon's: the copy's are
			if sound {
				var err error
				if sound, views, err = reportSchema(cmd.Context(), e); err != nil {
					return err
				}
			}
			if sound {
				reportStoreNotes(cmd.Context(), e)
			}
			if torn {
				rep, err := data.RepairCopy(cmd.Context(), e.dbPath, out)
				if err == nil {
					fmt.Fprintf(e.stdout, "%s into %s: every run is there; point --db at it or move it in place of the old store\n", rep, out)
					return nil
				}
				fmt.Fprintf(e.stdout, "not repaired: %s\nsalvaging the complete runs instead\n", oneLineErr(err))
			}
			if sound && !keep {
				if _, ok, err := checkComplete(cmd.Context(), e); err != nil || ok {
					return err
				}
			}
			prog := newDoctorProgress(e)
			st, err := data.SalvageProgress(cmd.Context(), e.dbPath, out, prog.copied)
			prog.finish()
			if err != nil {
				return err
			}
			if !keep && undamaged(st, sound) {
				if err := removeStoreFile(out); err != nil {
					return fmt.Errorf("doctor: nothing was damaged, but the copy %s it read the runs back into could not be removed: %w", out, err)
				}
				return reportNoCopy(e, st)
			}
			return reportSalvage(cmd.Context(), e, st, out, sound, views, keep)
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "the new store to write; naming it asks for the copy, as --copy does (default, where one is needed or --copy asks: --db PATH.salvaged-TIME.duckdb)")
	cmd.Flags().BoolVar(&keep, "copy", false, "write the copy of the complete runs even when nothing is damaged")
	return cmd
}

// doctorOutput checks doctor's input and the copy's path before any block
// is read, and gives the path (a default beside the store when none is
// named) and whether a copy was asked for (keep: --copy, or --out named,
// since a file named is a copy asked for: it was written, then deleted).
func doctorOutput(e *env, out string, keep bool) (string, bool, error) {
	if err := checkStorePath("doctor: --out", out); err != nil {
		return "", false, err
	}
	if err := data.CheckOrphanLog(e.dbPath); err != nil {
		return "", false, badInput("doctor: %v", err)
	}
	if _, err := os.Stat(e.dbPath); err != nil {
		return "", false, badInput("doctor: %v", err)
	}
	if out == "" {
		out = e.dbPath + ".salvaged-" + time.Now().UTC().Format("20060102T150405Z") + ".duckdb"
	}
	if _, err := os.Stat(out); err == nil {
		return "", false, badInput("doctor: --out %s exists; give a new file", out)
	}
	if err := data.CheckOrphanLog(out); err != nil {
		return "", false, badInput("doctor: --out: %v", err) // the new store would delete it
	}
	if keep { // a copy asked for: refused now, not after the whole input is read
		if err := data.CheckSalvageOutput(out); err != nil {
			return "", false, badInput("doctor: --out: %v", err)
		}
	}
	return out, keep, nil
}

// undamaged says that a salvage found nothing to salvage: the checksums
// and schema are sound (so nothing was migrated or filled in) and every
// complete run, sweep and forecast read back whole. Its copy holds what
// the store holds, less the failed runs and rows of no run, which no
// command reads, and what is not aiecon's (st.LeftOut: the user's tables
// and views, which are not damage and which the store keeps).
func undamaged(st data.SalvageStats, sound bool) bool {
	return sound && len(st.Lost) == 0 && len(st.Extras) == 0 && len(st.Filled) == 0 && len(st.NoSketches) == 0 &&
		st.MigratedFrom == 0
}

// checkComplete reads every complete run of a store whose checksums and
// schema are sound, all at once and without copying (data.CheckComplete),
// and where nothing is damaged says so (ok): doctor copied the whole store
// run by run to learn that, about 30 ms of CPU a run and the store's size
// again on disk, then deleted the copy. Where the check finds a flaw (or
// cannot check), doctor salvages as before, which names what is lost.
func checkComplete(ctx context.Context, e *env) (st data.SalvageStats, ok bool, err error) {
	prog := newDoctorProgress(e)
	st, flaw, err := data.CheckComplete(ctx, e.dbPath, prog.checked)
	prog.finish()
	switch {
	case err != nil && ctx.Err() != nil:
		return st, false, fmt.Errorf("doctor: %w", err)
	case err != nil || flaw != nil:
		// The salvage gives a store it cannot check its own error, as
		// before, and copies and names what it can.
		return st, false, nil
	}
	return st, true, reportNoCopy(e, st)
}

// reportNoCopy says that a store was found undamaged and that no copy of
// it is kept (doctor always wrote one, and left a copy of a healthy store
// for the user to find and delete).
func reportNoCopy(e *env, st data.SalvageStats) error {
	fmt.Fprintf(e.stdout, "checked %s, %s and %s of %s: each read back in full\n",
		plural(st.Runs, "complete run"), plural(st.Sweeps, "sweep"), plural(st.Forecasts, "forecast"), e.dbPath)
	if len(st.LeftOut) > 0 {
		fmt.Fprintf(e.stdout, "not aiecon's, and no damage (the store keeps them, unchanged): %s\n", strings.Join(st.LeftOut, "; "))
	}
	fmt.Fprintf(e.stdout, "nothing was damaged: every checksum holds and every complete run read back in full, "+
		"so %s needs no repair; no copy is kept (doctor --copy keeps one, of the complete runs alone)\n", e.dbPath)
	return nil
}

// removeStoreFile removes the store file at path (a link's target, which
// DuckDB wrote; the link is the user's) and its log, if any.
func removeStoreFile(path string) error {
	file, err := filepath.EvalSymlinks(path)
	if err != nil {
		return err
	}
	for _, p := range []string{file, file + ".wal"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

// reportSalvage says what a salvage copied into out and what it lost;
// sound says that the checksums and schema found nothing damaged, views
// that the store's views are not aiecon's (the copy's are), asked that
// --copy or --out asked for the copy. It fails when a complete run was lost.
func reportSalvage(ctx context.Context, e *env, st data.SalvageStats, out string, sound, views, asked bool) error {
	fmt.Fprintf(e.stdout, "salvaged %s, %s and %s from %s into %s\n",
		plural(st.Runs, "complete run"), plural(st.Sweeps, "sweep"), plural(st.Forecasts, "forecast"), e.dbPath, out)
	if st.Stopped > 0 {
		reportCopiedForecasts(ctx, e, out)
	}
	if st.MigratedFrom > 0 {
		fmt.Fprintf(e.stdout, "the copy was made at the store's schema version %d and migrated to this aiecon's %d, as opening the store read-write would migrate it\n",
			st.MigratedFrom, data.SchemaVersion())
	}
	if len(st.LeftOut) > 0 {
		fmt.Fprintf(e.stdout, "left out, as not aiecon's (the store keeps them, unchanged): %s\n", strings.Join(st.LeftOut, "; "))
	}
	if len(st.Filled) > 0 {
		fmt.Fprintf(e.stdout, "filled in, as the store lacks these columns of aiecon's (dropped after it was written): %s\n", strings.Join(st.Filled, "; "))
	}
	if views {
		// Only now: before the copy was written the advice pointed at a
		// file a failed salvage (a full disk) removed.
		advice := ""
		if len(st.LeftOut) > 0 {
			advice = ", once what is left out is kept elsewhere"
		}
		fmt.Fprintf(e.stdout, "the copy %s has aiecon's views: point --db at it or move it in place of the old store%s\n", out, advice)
	}
	if st.NotComplete > 0 {
		fmt.Fprintf(e.stdout, "left behind %d failed or interrupted runs (not complete)\n", st.NotComplete)
	}
	for _, l := range st.NoSketches {
		fmt.Fprintf(e.stdout, "copied %s without its latency sketches, which could not be read: %s\n", l.What, oneLineErr(l.Err))
	}
	if len(st.NoSketches) > 0 {
		keep := "the " + plural(len(st.NoSketches), "run") + " copied without latency sketches keep their"
		if len(st.NoSketches) == 1 {
			keep = "the 1 run copied without latency sketches keeps its"
		}
		fmt.Fprintf(e.stdout, "%s KPIs and records; a sweep summary averages their percentiles instead of pooling them, as for runs stored before schema version 11\n",
			keep)
	}
	for _, l := range append(st.Lost, st.Extras...) {
		fmt.Fprintf(e.stdout, "lost %s: %s\n", l.What, oneLineErr(l.Err))
	}
	if len(st.Lost) > 0 {
		were := "were"
		if len(st.Lost) == 1 {
			were = "was"
		}
		return fmt.Errorf("%s could not be read in full or carried and %s not copied (each named above, with why; the store keeps them)",
			plural(len(st.Lost), "complete run"), were)
	}
	if sound && len(st.Extras) == 0 && len(st.Filled) == 0 && len(st.NoSketches) == 0 {
		copied := "the copy holds the same complete runs"
		if asked {
			copied = "the copy --copy or --out asked for holds the same complete runs"
		}
		fmt.Fprintf(e.stdout, "nothing was damaged: every checksum holds and every complete run read back in full, "+
			"so %s needs no repair (%s)\n", e.dbPath, copied)
	}
	return nil
}

// reportBlocks says what DuckDB's own checksums say of the file, block by
// block, before DuckDB is asked to read it: which blocks are damaged, and
// whether the damage is that of a write cut short (a kill, a full disk),
// which it reports;
// sound says every header and block checksum holds.
func reportBlocks(e *env, path string) (torn, sound bool) {
	c, err := data.CheckBlocks(path)
	if err != nil {
		fmt.Fprintf(e.stdout, "block check: %v\n", err)
		return false, false
	}
	fmt.Fprintf(e.stdout, "block check: %s\n", c)
	if c.Torn() {
		// A hypothesis the repair tests (a log beside the file, a short last
		// block past what the header counts), not yet a finding.
		fmt.Fprintln(e.stdout, "  both headers are intact and a block is not, as a checkpoint cut short leaves them "+
			"(by a kill -9, or by a write that failed, on a full disk say; docs/sweeps.md, Damaged stores): trying a repair")
	}
	return c.Torn(), len(c.Bad) == 0 && c.Headers[0].Valid && c.Headers[1].Valid
}

// refuseInUse fails when another process holds the store at path: its
// blocks may be read in the middle of a write, and DuckDB opens it neither
// to check its schema nor to salvage it, whose error said that nothing
// could be read from a store that is only busy. Any other failure to open
// it is for the checks that follow to judge.
func refuseInUse(ctx context.Context, path string) error {
	s, err := data.OpenContext(ctx, path, data.Options{ReadOnly: true})
	if err == nil {
		s.Close() //nolint:errcheck // a read-only store writes nothing as it closes
		return nil
	}
	if le, ok := errors.AsType[*data.LockedError](err); ok {
		return inUseError(le)
	}
	return nil
}

// inUseError is doctor's refusal of a store another process holds.
func inUseError(le *data.LockedError) error {
	return fmt.Errorf("doctor: %w\n(doctor checked and copied nothing: a store in use is busy, which is no sign of damage; "+
		"run doctor again once that process has closed it)", le)
}

// reportStoreNotes opens the sound store once, read-only, for the notes
// that read it (rows of no run, forecasts kept stopped, unfinished
// sweeps): each opened it on its own, three opens of one file. Where it
// will not open, each says it was not checked.
func reportStoreNotes(ctx context.Context, e *env) {
	s, err := data.OpenContext(ctx, e.dbPath, data.Options{ReadOnly: true, PathArg: e.dbArg()})
	if err != nil {
		for _, label := range []string{"rows of no run", "forecasts stopped", "sweeps unfinished"} {
			fmt.Fprintf(e.stdout, "%s: not checked: %s\n", label, oneLineErr(err))
		}
		return
	}
	defer s.Close()
	reportOrphans(ctx, e, s)
	reportKeptForecasts(ctx, e, s)
	reportUnfinishedSweeps(ctx, e, s)
}

// reportOrphans says which tables hold rows whose run has no runs row (a
// DELETE on runs alone leaves them: no foreign key ties them), which no
// command reads as a run's and the salvage does not copy, and how to
// delete them in place.
func reportOrphans(ctx context.Context, e *env, s *data.Store) {
	orphans, err := s.OrphanRows(ctx)
	if err != nil {
		fmt.Fprintf(e.stdout, "rows of no run: not checked: %s\n", oneLineErr(err))
		return
	}
	if len(orphans) == 0 {
		fmt.Fprintln(e.stdout, "rows of no run: none (every row with a run_id has its run in runs)")
		return
	}
	var found []string
	for _, o := range orphans {
		found = append(found, fmt.Sprintf("%s %s", fmtCount(float64(o.Rows)), o.Table))
	}
	fmt.Fprintf(e.stdout, "rows of no run: %s rows have a run_id with no runs row (a DELETE on runs alone leaves them; "+
		"the copy leaves them out); to delete them in place, for each table T: "+
		"aiecon sql --write \"DELETE FROM T WHERE run_id NOT IN (SELECT run_id FROM runs)\"\n", strings.Join(found, ", "))
}

// reportKeptForecasts notes each forecast the store keeps stopped for a
// resume (forecast_checkpoints), with the command that finishes it and the
// one that drops what it keeps, as forecast's stop message gives them:
// nothing but storing the forecast removes those rows, so one never
// resumed kept them for good, and doctor said nothing of them. They are
// no damage: a note, which fails nothing.
func reportKeptForecasts(ctx context.Context, e *env, s *data.Store) {
	kept, err := s.KeptForecasts(ctx)
	if err != nil {
		fmt.Fprintf(e.stdout, "forecasts stopped: not checked: %s\n", oneLineErr(err))
		return
	}
	if len(kept) == 0 {
		fmt.Fprintln(e.stdout, "forecasts stopped: none (no forecast keeps runs for a resume)")
		return
	}
	for _, k := range kept {
		fmt.Fprintf(e.stdout, "note: %s (no damage: nothing but storing the forecast removes what it keeps); "+
			"finish it with: %s; or, not to finish it, drop what it keeps (its runs stay, as runs of no forecast) with: %s\n",
			keptForecastWords(k), keptResumeCommand(e.dbPath, k), dropCheckpointsCommand(e, k.ID))
	}
}

// reportCopiedForecasts names each stopped forecast the salvage copied
// what it keeps for a resume of into out, with the --resume that finishes
// it there: the copy is the store to go on with, and the commands doctor
// gave above name the damaged one.
func reportCopiedForecasts(ctx context.Context, e *env, out string) {
	s, err := data.OpenContext(ctx, out, data.Options{ReadOnly: true})
	if err != nil {
		fmt.Fprintf(e.stdout, "forecasts stopped in the copy: not listed: %s\n", oneLineErr(err))
		return
	}
	defer s.Close()
	kept, err := s.KeptForecasts(ctx)
	if err != nil {
		fmt.Fprintf(e.stdout, "forecasts stopped in the copy: not listed: %s\n", oneLineErr(err))
		return
	}
	for _, k := range kept {
		fmt.Fprintf(e.stdout, "the copy holds %s; finish it there with: %s\n", keptForecastWords(k), keptResumeCommand(out, k))
	}
}

// oneLineErr keeps a driver error, which may span lines, on one.
func oneLineErr(err error) string { return strings.Join(strings.Fields(err.Error()), " ") }

// reportSchema says whether the store's tables and views are those the
// migrations define (whole), and whether its views are not (views): a view
// dropped, or replaced by one with other columns, fails every command that
// reads it while every checksum holds, and doctor called such a store
// healthy. The salvaged copy is a new store, with aiecon's views.
// Another program's DuckDB file is an error: there is nothing to salvage,
// and salvaging on printed DuckDB's binder error on its own runs table.
func reportSchema(ctx context.Context, e *env) (whole, views bool, err error) {
	vc, err := data.CheckViews(ctx, e.dbPath)
	if older, ok := errors.AsType[*data.OlderSchemaError](err); ok {
		// Its advice, to open the store read-write, would migrate a
		// store that may be damaged; the salvage migrates its copy.
		fmt.Fprintf(e.stdout, "schema: version %d, older than this aiecon's %d (its views are not checked); the salvage below migrates its copy\n",
			older.Version, older.Want)
		return false, false, nil
	}
	if le, ok := errors.AsType[*data.LockedError](err); ok {
		return false, false, inUseError(le) // another process opened it since refuseInUse looked
	}
	switch {
	case errors.Is(err, data.ErrForeignDatabase):
		return false, false, fmt.Errorf("doctor: nothing to salvage: %w", err)
	case err != nil:
		msg := oneLineErr(err)
		if de, ok := errors.AsType[*data.SchemaDiffError](err); ok {
			// Its advice is to run doctor, which is what runs now.
			msg = de.Finding() + "; the salvage below copies the runs it can still read into a new store"
		}
		fmt.Fprintf(e.stdout, "schema: %s\n", msg)
		return false, false, nil
	case len(vc.Missing) > 0 || len(vc.Changed) > 0 || len(vc.Redefined) > 0 || len(vc.Functions) > 0:
		var found []string
		if len(vc.Missing) > 0 {
			found = append(found, "views missing: "+strings.Join(vc.Missing, ", "))
		}
		if len(vc.Changed) > 0 {
			found = append(found, "views not as aiecon defines them: "+strings.Join(vc.Changed, ", "))
		}
		if len(found) > 0 {
			found[len(found)-1] += " (commands that read them fail)"
		}
		if len(vc.Redefined) > 0 {
			found = append(found, "views with aiecon's columns and other SQL: "+strings.Join(vc.Redefined, ", ")+
				" (the read-only commands, runs, show, compare, export, plot and sweep --show, refuse the store (exit 2) "+
				"rather than print what that SQL computes, and the commands that write warn of it)")
		}
		if len(vc.Functions) > 0 {
			found = append(found, "functions or macros named like DuckDB's built-ins: "+strings.Join(vc.Functions, ", ")+
				" (every query over the store runs them in the built-ins' place; the copy has none of them, "+
				"or drop them with `aiecon sql --write 'DROP MACRO NAME'`)")
		}
		fmt.Fprintf(e.stdout, "schema: %s\n", strings.Join(found, "; "))
		return false, true, nil
	}
	fmt.Fprintln(e.stdout, "schema: every table and view is there")
	return true, false, nil
}
