package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"aiecon/data"
	"aiecon/model/format"
	"aiecon/study/forecast"
)

func init() { register(newMergeCmd) }

// mergeLong is the help of the command: what it copies, keeps and refuses.
const mergeLong = `Copy the runs (with all their records), sweeps, sweep points, calibrations,
forecasts and forecast periods of each INPUT store into OUT, creating OUT if
needed. Shards of one sweep ('aiecon sweep FILE --shard i/n') register the
same sweep id, so OUT holds one sweep with every shard's runs, and 'aiecon
sweep --show' summarises it. Shards of one forecast ('aiecon forecast FILE
--shard i/n') likewise register one forecast id: OUT holds one forecast with
every shard's periods (a forecast period is one variant's results for one
sample and period) and the shards' reports joined, whose notes cover them
all, and 'aiecon compare --forecast' compares its variants. A forecast an
input keeps stopped for a resume (its shard was stopped midway) is not
copied, only its runs (as runs of no forecast): merge names it and the
command that finishes it in the input, which, merged again then, adds the
periods it stores.

Every input is checked first (a store file of this aiecon's schema version,
with aiecon's tables, not in use), and nothing is merged if one is refused.
Each input is then merged in one transaction. An id already in OUT with the same
content is skipped, so merging twice changes nothing; an id in OUT with other
content stops the merge at that input, which is left out entirely. Runs an
input left "running" are copied as failed (incomplete), and failed runs
without the partial records they streamed: such a run's writer stopped, or
the input is a copy taken while it ran (a snapshot, a cp of a live store),
and the run's error says which where the writer's PID on this host tells. A run is the same when its
inputs are (scenario, seed, horizon, sweep point, when and by whom it was
started): a run failed in OUT and complete in an input (its shard finished
it later) is replaced by the complete one, and one failed in either is
otherwise kept as OUT has it. The inputs are only read, and must not be in
use by another process. An input that is the output or another input under
another name (a link) is refused, and so is one whose tables were dropped or
altered after it was written. Tables and views an input holds that are not
aiecon's (made with 'aiecon sql --write') are not copied: a warning names
them.

Each run keeps the version of the build that made it (runs.aiecon_version).
An input that adds complete runs of one build to a sweep whose complete runs
in OUT another build made (shards run by two builds), or periods to a
forecast that another build computed, is refused (exit 2) as 'aiecon sweep
--resume' refuses to finish such a sweep: a build may simulate the same point
otherwise, and the summary would pool both builds' runs. The message names
the builds and their runs; --allow-other-build pools them knowingly, with a
warning. Runs of another build that no sweep or forecast pools are merged,
with a note naming the builds. Builds are told apart by that version alone:
builds from source without version control information all record "devel",
so shards from two such builds merge without a word.`

func newMergeCmd(e *env) *cobra.Command {
	// A forecast's shards each stored a report of their own periods; the
	// merged forecast's is theirs joined, so that its notes cover them all.
	opts := data.MergeOptions{ForecastReports: forecast.MergeReports}
	cmd := &cobra.Command{
		Use:   "merge OUT.duckdb INPUT.duckdb...",
		Short: "Combine stores (e.g. the shards of a sweep) into one",
		Long:  mergeLong,
		Example: `  aiecon merge study.duckdb shard-0.duckdb shard-1.duckdb shard-2.duckdb
  aiecon merge study.duckdb results/shard-*.duckdb && aiecon sweep --show last --db study.duckdb`,
		Args: cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runMerge(cmd.Context(), e, opts, args[0], args[1:])
		},
	}
	cmd.Flags().BoolVar(&opts.AllowOtherBuild, "allow-other-build", false,
		"merge runs into a sweep (or periods into a forecast) that another aiecon build made, pooling both builds' runs")
	return cmd
}

// runMerge checks every input, then merges each into out in turn, saying
// what each added, which builds made it and what it leaves out.
func runMerge(ctx context.Context, e *env, opts data.MergeOptions, out string, inputs []string) error {
	if out == data.MemoryPath {
		// An in-memory output is gone when merge exits: it said
		// "merged" and kept nothing.
		return badInput("merge: output %s: a merge is kept in a store file; an in-memory store is gone when merge exits (give OUT a file)", out)
	}
	if err := checkStorePath("merge: output", out); err != nil {
		return err
	}
	if err := checkMergeInputs(out, inputs); err != nil {
		return err
	}
	_, statErr := os.Stat(out)
	created := errors.Is(statErr, fs.ErrNotExist)
	// As run, sweep and forecast open theirs: a held OUT is said at once
	// (merge waited 20 s without a word), and a repair of OUT is said.
	w := writerOptions(e)
	w.NotStoreHint = "merge's OUT, its first argument, is an aiecon store or a path to create one at"
	w.PathArg = "merge's OUT"
	store, err := data.OpenContext(ctx, out, w)
	if err != nil {
		if created {
			data.RemoveCreated(out, err)
		}
		return data.DamagedAt(out, err) // the output, not --db
	}
	closed := false
	defer func() {
		if !closed {
			store.Close()
		}
	}()
	// Every input is checked before the first is merged: one
	// refused after others were merged left OUT half-merged.
	for _, in := range inputs {
		if err := store.CheckMergeInput(ctx, in); err != nil {
			if created {
				closed = true
				store.Close()
				data.RemoveCreated(out, nil)
			}
			fmt.Fprintf(e.stdout, "nothing was merged: %s is refused\n", in)
			return mergeError(err)
		}
	}
	stopped := map[string]map[int]string{} // by forecast id: shard index, its --resume
	for i, in := range inputs {
		st, err := store.MergeWith(ctx, in, opts)
		if err != nil {
			if i > 0 {
				fmt.Fprintf(e.stdout, "merged %d of %d inputs before the error; %s is left out\n", i, len(inputs), in)
			} else if created {
				// Nothing was merged into a store this command
				// created: leave no empty store behind.
				closed = true
				store.Close()
				data.RemoveCreated(out, nil)
			}
			return mergeError(err)
		}
		fmt.Fprintln(e.stdout, mergeLine(in, st))
		reportOwnTables(e, in, st.OwnTables, st.OwnViews)
		reportBuilds(e, out, in, st)
		reportStopped(e, out, in, st.Stopped)
		addStoppedShards(stopped, in, st.Stopped)
	}
	if err := noteIncompleteForecasts(ctx, e, store, stopped); err != nil {
		return err
	}
	// The close checkpoints what was merged into the file: only
	// then is the merge done (a damaged block met there sets the
	// store aside, and the error says where).
	closed = true
	if err := store.Close(); err != nil {
		return data.DamagedAt(out, err)
	}
	fmt.Fprintf(e.stdout, "merged %s into %s\n", plural(len(inputs), "store"), out)
	return nil
}

// mergeError is the command's error for an input's refusal: bad input
// (exit 2) where the input is at fault, as given otherwise.
func mergeError(err error) error {
	if oe, ok := errors.AsType[*data.OtherBuildError](err); ok {
		return badInput("%v; or give --allow-other-build to pool them knowingly", oe)
	}
	if errors.Is(err, data.ErrMergeConflict) || errors.Is(err, data.ErrMergeSchema) {
		return asUsage(err)
	}
	return err
}

// reportOwnTables warns, in one line, of the tables and views of the
// user's own that input in holds, which merge does not copy: they were
// left behind unsaid (views were, even after tables got this warning).
// Where it holds both, each list is led by its kind.
func reportOwnTables(e *env, in string, tables, views []string) {
	type kind struct {
		what string
		own  []string
	}
	var kinds []kind
	for _, k := range []kind{{"table", tables}, {"view", views}} {
		if len(k.own) > 0 {
			kinds = append(kinds, k)
		}
	}
	if len(kinds) == 0 {
		return
	}
	var held, lists []string
	for _, k := range kinds {
		held = append(held, plural(len(k.own), k.what))
		list := strings.Join(k.own, ", ")
		if len(kinds) > 1 {
			list = k.what + "s: " + list
		}
		lists = append(lists, list)
	}
	// A table's name is the user's, and may hold an escape sequence.
	fmt.Fprintf(e.stderr, "aiecon: warning: %s holds %s of its own, not copied (merge copies aiecon's tables and views only): %s\n",
		format.Typed(in), strings.Join(held, " and "), format.Visible(strings.Join(lists, "; ")))
}

// reportBuilds warns of the sweeps and forecasts the merge of in pooled
// with another build's work (--allow-other-build), and notes runs of a
// build that out held none of, which no summary pools but a comparison
// or a query across runs may.
func reportBuilds(e *env, out, in string, st data.MergeStats) {
	for _, mix := range st.Pooled {
		fmt.Fprintf(e.stderr, "warning: %s; pooling its runs with the output's, as --allow-other-build asks\n", mix.Finding(in))
	}
	if len(st.Pooled) > 0 || len(st.HeldBuilds) == 0 {
		return
	}
	if nb := data.NewBuilds(st.CopiedBuilds, st.HeldBuilds); len(nb) > 0 {
		fmt.Fprintf(e.stdout, "note: %s adds complete runs made by %s to %s, whose complete runs were made by %s; "+
			"no sweep or forecast pools them, and each run keeps its build in runs.aiecon_version\n",
			in, buildCounts(nb), out, buildCounts(st.HeldBuilds))
	}
}

// reportStopped notes each forecast that input in keeps stopped for a
// resume, which the merge does not copy (data.merger.stopped says why):
// it copied what such a forecast keeps without a word, into a store that
// could not resume it once another shard of its id was stored there, and
// the merged forecast lacked the stopped shard's periods, unsaid.
func reportStopped(e *env, out, in string, kept []data.KeptForecast) {
	for _, k := range kept {
		why := ""
		if k.Shard != "" {
			why = fmt.Sprintf(" (a stopped shard is resumed in its own store: %s joins every shard of the split under that one id, "+
				"and a resume there is refused once another shard's forecast is stored)", out)
		}
		fmt.Fprintf(e.stdout, "note: %s holds %s; %s has its runs, as runs of no forecast, and not the forecast%s: "+
			"finish it with: %s; then merge %s again, which adds the periods it stores and skips the runs already merged\n",
			in, keptForecastWords(k), out, why, keptResumeCommand(in, k), in)
	}
}

// buildCounts names builds with their runs: "aiecon v1 (3), aiecon v2 (1)".
func buildCounts(bs []data.BuildCount) string {
	var parts []string
	for _, b := range bs {
		name := "aiecon " + b.Version
		if b.Version == "" {
			name = "an aiecon that recorded no version"
		}
		parts = append(parts, fmt.Sprintf("%s (%d)", name, b.Runs))
	}
	return strings.Join(parts, ", ")
}

// checkMergeInputs refuses an input that is the output store or another
// input, by path or as the same file under another name (a symbolic or hard
// link: DuckDB refused the link to the output with a binder error, exit 1),
// and an input that does not exist.
func checkMergeInputs(out string, inputs []string) error {
	outAbs, _ := filepath.Abs(out)
	outInfo, _ := os.Stat(out) // nil when the output is yet to be created
	var seen []os.FileInfo
	for _, in := range inputs {
		fi, err := os.Stat(in)
		if abs, _ := filepath.Abs(in); abs == outAbs || (err == nil && outInfo != nil && os.SameFile(fi, outInfo)) {
			return badInput("input %s is the output store", in)
		}
		if err := data.CheckOrphanLog(in); err != nil {
			return badInput("input %s: %v", in, err)
		}
		if err != nil {
			return badInput("input %s: %v", in, err)
		}
		for _, prev := range seen {
			if os.SameFile(fi, prev) {
				return badInput("input %s is given twice", in)
			}
		}
		seen = append(seen, fi)
	}
	return nil
}

// mergeLine says what merging one input copied and found already there.
func mergeLine(in string, st data.MergeStats) string {
	line := fmt.Sprintf("%s: %s copied, %d already there; %s new, %d already there; %s, %s copied",
		in, plural(st.Runs, "run"), st.RunsPresent, plural(st.Sweeps, "sweep"), st.SweepsPresent, plural(st.Points, "sweep point"), plural(st.Calibrations, "calibration"))
	if st.Forecasts+st.ForecastsPresent > 0 {
		line += fmt.Sprintf("; %s new, %d already there, %s copied", plural(st.Forecasts, "forecast"), st.ForecastsPresent, plural(st.ForecastPeriods, "forecast period"))
	}
	line += interruptedPart(st)
	if st.Replaced > 0 {
		their := "their"
		if st.Replaced == 1 {
			their = "its"
		}
		line += "; " + plural(st.Replaced, "failed run") + " replaced by " + their + " complete copy"
	}
	return line
}

// interruptedPart says how many of the input's runs were left "running",
// copied as failed and so incomplete in OUT, and why where it is known: a
// run still being written by a live process was caught by a copy of its
// store, not stopped, and "interrupted" alone read as if its writer had
// died.
func interruptedPart(st data.MergeStats) string {
	var parts []string
	if st.InterruptedGone > 0 {
		parts = append(parts, plural(st.InterruptedGone, "interrupted run")+" (writer gone) copied as failed")
	}
	if st.InterruptedAlive > 0 {
		parts = append(parts, plural(st.InterruptedAlive, "run")+" still running when the input was copied, copied as failed (incomplete here)")
	}
	if n := st.Interrupted - st.InterruptedGone - st.InterruptedAlive; n > 0 {
		parts = append(parts, plural(n, "run")+" left running in the input (its writer stopped, or the input was copied while it ran) copied as failed (incomplete here)")
	}
	if len(parts) == 0 {
		return ""
	}
	return "; " + strings.Join(parts, "; ")
}

// addStoppedShards adds to stopped (by forecast id, then shard index) the
// --resume of each shard that input in keeps stopped midway.
func addStoppedShards(stopped map[string]map[int]string, in string, kept []data.KeptForecast) {
	for _, k := range kept {
		i, _, ok := strings.Cut(k.Shard, "/")
		idx, err := strconv.Atoi(i)
		if !ok || err != nil {
			continue
		}
		if stopped[k.ID] == nil {
			stopped[k.ID] = map[int]string{}
		}
		stopped[k.ID][idx] = keptResumeCommand(in, k)
	}
}

// noteIncompleteForecasts notes each split forecast that out holds some
// shards of alone (forecast.Incomplete): a merge that left a shard out
// said nothing, and the store then read as the whole forecast. Where the
// shard it lacks is one an input keeps stopped (stopped, by forecast id
// and shard index, with its --resume), the note gives that --resume in
// place of running the shard anew, into another store, beside
// reportStopped's note saying to resume it, which redid its finished runs.
func noteIncompleteForecasts(ctx context.Context, e *env, out *data.Store, stopped map[string]map[int]string) error {
	ids, err := out.ForecastIDs(ctx)
	if err != nil {
		return err
	}
	for _, id := range ids {
		f, err := out.Forecast(ctx, id)
		if err != nil {
			return err
		}
		note, err := incompleteForecast(ctx, out, f, stopped[id])
		if err != nil {
			return err
		}
		if note != "" {
			fmt.Fprintf(e.stdout, "note: %s\n", note)
		}
	}
	return nil
}
