package forecast

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"aiecon/data"
	"aiecon/model/format"
	"aiecon/study"
)

// Sharding spreads a forecast over machines the way `aiecon sweep --shard`
// spreads a sweep: shard i of n runs the (variant, sample, period) groups g
// with g mod n == i, each group whole (all its days and slices), so every
// period a shard stores is final; the periods of a contract year that an
// annual true-up settles are one group, as the period closing the year
// books a top-up on all their fees. Every shard derives the same forecast id,
// so `aiecon merge` puts their period rows under one forecast.

// ShardJobs are the jobs of shard s, in Jobs order (all of them when s
// is not a split).
func (f *Forecast) ShardJobs(s study.ShardSpec) []Job {
	all := f.Jobs()
	if s.Count <= 1 {
		return all
	}
	out := make([]Job, 0, len(all)/s.Count+1)
	for _, j := range all {
		if s.Has(j.ShardUnit) {
			out = append(out, j)
		}
	}
	return out
}

// Groups counts the (variant, sample, period) groups a shard takes whole
// (Job.ShardUnit); the periods an annual true-up joins are one group
// (periodBlocks).
func (f *Forecast) Groups() int { return len(f.Variants) * len(f.samples()) * f.blockCount() }

// blockCount is how many blocks the periods make (periodBlocks).
func (f *Forecast) blockCount() int {
	b := f.periodBlocks()
	if len(b) == 0 {
		return 0
	}
	return b[len(b)-1] + 1
}

// CheckShard refuses a split into more shards than the forecast has
// groups: each shard past the group count would run nothing. Refusing
// only an index at or past it let a mistyped n (--shard 3/40 for 3/4)
// run its shard under a forecast id of its own (n is part of it), so
// neither split could ever be merged whole, and nothing said so.
func (f *Forecast) CheckShard(s study.ShardSpec) error {
	n := f.Groups()
	if s.Count <= 1 || s.Count <= n {
		return nil
	}
	count := format.Plural
	periods := count(f.Spec.Periods.Count, "period")
	if b := f.blockCount(); b != f.Spec.Periods.Count {
		periods = count(b, "span") + " of periods (an annual true-up keeps each contract year's periods in one group, " +
			"as the period that closes the year books a top-up on all their fees)"
	}
	idle := fmt.Sprintf("shard %d", n)
	if s.Count-n > 1 {
		idle = fmt.Sprintf("shards %d to %d", n, s.Count-1)
	}
	return fmt.Errorf("%s: forecast %s has %s (%s x %s x %s), and shard i/n runs the groups g with g mod n = i, "+
		"so %s of the %d would run nothing; split it into at most %s", s, f.Spec.Name,
		count(n, "(variant, sample, period) group"), count(len(f.Variants), "variant"),
		count(len(f.samples()), "sample"), periods, idle, s.Count, count(n, "shard"))
}

// ShardID is the forecast id every shard of one split derives from the
// forecast file, its base scenario's text, the samples and periods it runs
// with and the shard count, or "" (a fresh id) when s is not a split.
func (f *Forecast) ShardID(s study.ShardSpec) string {
	if s.Count <= 1 {
		return ""
	}
	key := fmt.Sprintf("forecast\x00%s\x00%s\x00%s\x00samples=%d\x00periods=%d\x00shards=%s", f.Spec.Name, f.Text, f.baseSrc,
		len(f.samples()), f.Spec.Periods.Count, strconv.Itoa(s.Count))
	return data.DerivedID([]byte(key))
}

// Incomplete is the warning for stored forecast f, a split one whose
// store (where) holds fewer of its (variant, sample, period) groups than
// it has (groups: data.Store.ForecastGroupsStored): its totals, bands,
// paired changes and plot read the stored groups alone. A store that one
// shard of two was merged into read as the whole forecast, and compare
// took its missing samples for a forecast of one sample. "" for a
// forecast stored whole, or not split, or without a readable report.
//
// stopped are the shards, by index, that another store keeps stopped
// midway, each with the command that finishes it there: such a shard is
// finished, not run anew (which redid its finished runs in another store).
func Incomplete(f data.Forecast, groups int, where string, stopped map[int]string) string {
	r, ok := storedReport(f.ReportJSON)
	if !ok || r.Shard == "" {
		return ""
	}
	want := len(r.Fleets) * f.Samples * f.Periods
	if groups >= want {
		return ""
	}
	// A report merge joined names every shard it holds ("0/3, 2/3",
	// MergeReports); each names the split's count.
	held, n, missing := heldShards(r.Shard)
	what := "shard " + r.Shard
	if len(held) > 1 {
		what = "shards " + r.Shard
	}
	return fmt.Sprintf("forecast %s (%s) is incomplete: it was split into %d shards (--shard i/n), and %s holds %d of its %d "+
		"(variant, sample, period) groups (%s x %s x %s), those of %s, so its totals, bands and medians cover those alone; %s",
		f.ID, f.Name, n, where, groups, want, format.Plural(len(r.Fleets), "variant"), format.Plural(f.Samples, "sample"),
		format.Plural(f.Periods, "period"), what, completeWith(f, n, missing, stopped))
}

// heldShards reads the shards a report names ("0/3, 2/3": MergeReports
// joins them) into their indexes, the split's count and the indexes of
// the shards it lacks.
func heldShards(names string) (held []int, n int, missing []int) {
	have := map[int]bool{}
	for name := range strings.SplitSeq(names, ", ") {
		i, c, _ := strings.Cut(name, "/")
		idx, err1 := strconv.Atoi(i)
		count, err2 := strconv.Atoi(c)
		if err1 != nil || err2 != nil {
			continue
		}
		held, n, have[idx] = append(held, idx), count, true
	}
	for i := range n {
		if !have[i] {
			missing = append(missing, i)
		}
	}
	return held, n, missing
}

// completeWith says how to complete split forecast f of n shards that
// lacks shards missing: the command that runs them, naming a built-in by
// its name and a file of the user's FILE (the store keeps its text, not
// its path), with the sample and period counts its id derives from, each
// into a store of its own, and the merge. Naming every shard's store to
// merge left the user to work out which shard it lacked.
func completeWith(f data.Forecast, n int, missing []int, stopped map[int]string) string {
	var finish []string
	missing = slices.DeleteFunc(slices.Clone(missing), func(i int) bool {
		if cmd, ok := stopped[i]; ok {
			finish = append(finish, fmt.Sprintf("shard %d/%d stopped midway: finish it with: %s; then merge its store again", i, n, cmd))
			return true
		}
		return false
	})
	rest := runMissing(f, n, missing)
	if len(finish) > 0 && len(missing) == 0 {
		rest = ""
	}
	return strings.Join(slices.DeleteFunc(append(finish, rest), func(s string) bool { return s == "" }), "; ")
}

// runMissing says how to run the shards missing of split forecast f of n
// shards anew; for none missing, to merge every shard's store.
func runMissing(f data.Forecast, n int, missing []int) string {
	arg := BuiltinOf(sha256Hex([]byte(f.SpecYAML)))
	if arg == "" {
		arg = "FILE"
	}
	run := func(shard string) string {
		return fmt.Sprintf("aiecon forecast %s --samples %d --periods %d --shard %s/%d --db shard-%s.duckdb", arg, f.Samples, f.Periods, shard, n, shard)
	}
	var names []string
	for _, i := range missing {
		names = append(names, fmt.Sprintf("%d/%d", i, n))
	}
	switch len(missing) {
	case 0: // the groups it lacks are of shards it names
		return "merge every shard's store into one (aiecon merge OUT SHARD...) and read that"
	case 1:
		return fmt.Sprintf("shard %s is missing: run %s and merge its store with the others (aiecon merge OUT SHARD...)", names[0], run(strconv.Itoa(missing[0])))
	}
	return fmt.Sprintf("shards %s are missing: run %s for each i of them and merge their stores with the others (aiecon merge OUT SHARD...)",
		strings.Join(names, ", "), run("i"))
}
