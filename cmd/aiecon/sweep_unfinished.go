package main

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"aiecon/data"
	"aiecon/study"
)

// sweepResumeCommand is the command that finishes sweep id in the store at
// db: the runs it lacks, failed or interrupted ones included, for the
// shard given where the sweep was sharded.
func sweepResumeCommand(db, id string, shard study.ShardSpec) string {
	cmd := fmt.Sprintf("aiecon sweep --resume %s --db %s", id, db)
	if shard.Count > 1 {
		cmd += " --shard " + strconv.Itoa(shard.Index) + "/" + strconv.Itoa(shard.Count)
	}
	return cmd
}

// sweepGap is what a shard of a stored sweep lacks: how many of its runs
// are not complete, of how many, and the command that finishes them.
// `sweep --show` says it in its text, as runs_incomplete and
// resume_command in its JSON, which had said nothing of it, so a script
// reading the JSON took a killed sweep's runs for all of them, and with
// its CSV in a note on stderr.
type sweepGap struct {
	Pending, Total int
	Resume         string // "" when nothing is pending; several joined by "and", for prose
	// Resumes are the commands one by one, one per shard with runs
	// pending: in JSON a list, since a script ran resume_command's
	// "CMD --shard 0/4 and CMD --shard 2/4" as one bad command line.
	Resumes []string
	// Shards are the shards a shard's store recorded running (sweep_shards)
	// where --show was given no --shard: the gap is of those shards alone,
	// the other shards' runs being in their own stores.
	Shards []study.ShardSpec
	// Unrecorded: the store records no shard of the sweep (stored before
	// sweep_shards), so it may be a shard's, whose resume needs --shard.
	Unrecorded bool
}

// line is the text's sentence on the gap; "" when there is none and the
// store is not a shard's.
func (g sweepGap) line() string {
	if g.Pending == 0 {
		if len(g.Shards) == 0 {
			return ""
		}
		return fmt.Sprintf("%s complete (%s; the other shards' runs are in their own stores, for aiecon merge)",
			shardWords(g.Shards), plural(g.Total, "run"))
	}
	of := ""
	if len(g.Shards) > 0 {
		of = " of " + shardWords(g.Shards)
	}
	hint := ""
	if g.Unrecorded {
		hint = " (with --shard I/N in a shard's store)"
	}
	return fmt.Sprintf("%d of %s%s are not complete (not run, failed or interrupted); finish with: %s%s",
		g.Pending, plural(g.Total, "run"), of, g.Resume, hint)
}

// shardWords names shards: "shard 1/2", "shards 0/4, 2/4".
func shardWords(shards []study.ShardSpec) string {
	var ids []string
	for _, sh := range shards {
		ids = append(ids, strconv.Itoa(sh.Index)+"/"+strconv.Itoa(sh.Count))
	}
	if len(ids) == 1 {
		return "shard " + ids[0]
	}
	return "shards " + strings.Join(ids, ", ")
}

// unfinishedRuns says how many of the shard's runs of sweep id the store
// lacks complete, and the command that finishes them. A sweep killed
// (kill -9, a lost machine) printed no resume command, and `sweep --show`
// summarised the runs it had as if they were all: "10 complete runs" of
// 18, the missing points at RUNS 0. With no --shard, a store that records
// running only some shards (sweep_shards, as doctor reads it) is checked
// on those shards' points: counting the whole sweep, --show told a
// complete shard's store to --resume without --shard, which ran the other
// shards' points there, and a merge then held two runs of each.
func unfinishedRuns(ctx context.Context, e *env, store *data.Store, id string, plan *study.Plan, shard study.ShardSpec) (sweepGap, error) {
	shards := []study.ShardSpec{shard}
	var g sweepGap
	if shard.Count <= 1 {
		recorded, err := store.SweepShards(ctx, id)
		if err != nil {
			return sweepGap{}, err
		}
		g.Unrecorded = len(recorded) == 0
		if len(recorded) > 0 && !coversAll(recorded, len(plan.Points)) {
			shards = shards[:0]
			for _, sh := range recorded {
				shards = append(shards, study.ShardSpec{Index: sh.Index, Count: sh.Count})
			}
			g.Shards = shards
		}
	}
	var resume []string
	for _, sh := range shards {
		pending, complete, err := study.Pending(ctx, store, id, plan, sh)
		if err != nil {
			return sweepGap{}, err
		}
		g.Pending += len(pending)
		g.Total += len(pending) + complete
		if len(pending) > 0 {
			resume = append(resume, sweepResumeCommand(e.dbPath, id, sh))
		}
	}
	g.Resume, g.Resumes = strings.Join(resume, " and "), resume
	return g, nil
}

// reportUnfinishedSweeps notes each sweep of the store that lacks complete
// runs, with the command that finishes it: doctor named the forecasts a
// kill stopped, and not the sweeps. A shard's store holds its shard's runs
// alone: where the store records the shards it ran (sweep_shards), each
// is checked on its own points and named, complete or with the --resume
// --shard that finishes it; a sweep stored before they were recorded is
// noted as a whole, with a word on shards. A note, which fails nothing.
func reportUnfinishedSweeps(ctx context.Context, e *env, s *data.Store) {
	sweeps, err := s.Sweeps(ctx)
	if err != nil {
		fmt.Fprintf(e.stdout, "sweeps unfinished: not checked: %s\n", oneLineErr(err))
		return
	}
	noted, sharded := 0, false
	for _, w := range sweeps {
		runs, err := s.SweepRuns(ctx, w.ID)
		var shards []data.SweepShard
		if err == nil {
			shards, err = s.SweepShards(ctx, w.ID)
		}
		if err != nil {
			fmt.Fprintf(e.stdout, "sweeps unfinished: sweep %s not checked: %s\n", w.ID, oneLineErr(err))
			continue
		}
		complete := map[[2]int]bool{}
		for _, r := range runs {
			if r.Status == data.StatusComplete && r.Point < w.Points && r.Replication < w.Replications {
				complete[[2]int{r.Point, r.Replication}] = true
			}
		}
		if len(shards) > 0 && !coversAll(shards, w.Points) {
			sharded = true
			noted += noteShards(e, w, shards, complete)
			continue
		}
		total := w.Points * w.Replications
		if len(complete) >= total {
			continue
		}
		noted++
		if len(shards) > 0 { // recorded: the store ran (or merged) every shard
			fmt.Fprintf(e.stdout, "note: sweep %s (%s) has %d of %s complete (no damage); finish it with: %s\n",
				w.Name, w.ID, len(complete), plural(total, "run"), sweepResumeCommand(e.dbPath, w.ID, study.ShardSpec{}))
			continue
		}
		fmt.Fprintf(e.stdout, "note: sweep %s (%s) has %d of %s complete (no damage; in a shard's store, the other shards' runs are elsewhere); "+
			"finish it with: %s (with --shard I/N in a shard's store)\n",
			w.Name, w.ID, len(complete), plural(total, "run"), sweepResumeCommand(e.dbPath, w.ID, study.ShardSpec{}))
	}
	if noted == 0 && sharded {
		fmt.Fprintln(e.stdout, "sweeps unfinished: none (no sweep lacks a complete run of the shards stored here)")
	} else if noted == 0 {
		fmt.Fprintln(e.stdout, "sweeps unfinished: none (no sweep lacks a complete run)")
	}
}

// coversAll reports whether the shards hold every one of n points (a
// sweep run whole, or every shard's store merged).
func coversAll(shards []data.SweepShard, n int) bool {
	for p := range n {
		if !slices.ContainsFunc(shards, func(sh data.SweepShard) bool { return p%sh.Count == sh.Index }) {
			return false
		}
	}
	return true
}

// noteShards says, for each shard of sweep w that the store holds, whether
// every run of its points is complete, and otherwise how to finish it. The
// other shards' runs are in their own stores, which is no gap. It returns
// how many shards it noted unfinished.
func noteShards(e *env, w data.Sweep, shards []data.SweepShard, complete map[[2]int]bool) int {
	noted := 0
	for _, sh := range shards {
		done, total := 0, 0
		for p := sh.Index; p < w.Points; p += sh.Count {
			for rep := range w.Replications {
				total++
				if complete[[2]int{p, rep}] {
					done++
				}
			}
		}
		spec := study.ShardSpec{Index: sh.Index, Count: sh.Count}
		if done == total {
			fmt.Fprintf(e.stdout, "sweep %s (%s): shard %d/%d complete (%s; the other shards' runs are in their own stores, for aiecon merge)\n",
				w.Name, w.ID, sh.Index, sh.Count, plural(total, "run"))
			continue
		}
		noted++
		fmt.Fprintf(e.stdout, "note: sweep %s (%s): shard %d/%d has %d of %s complete (no damage); finish it with: %s\n",
			w.Name, w.ID, sh.Index, sh.Count, done, plural(total, "run"), sweepResumeCommand(e.dbPath, w.ID, spec))
	}
	return noted
}
