package forecast

import (
	"fmt"
	"strconv"

	"aiecon/data"
	"aiecon/study"
)

// Sharding spreads a forecast over machines the way `aiecon sweep --shard`
// spreads a sweep: shard i of n runs the (variant, sample, period) groups g
// with g mod n == i, each group whole (all its days and slices), so every
// period a shard stores is final. Every shard derives the same forecast id,
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
		if s.Has(j.Group) {
			out = append(out, j)
		}
	}
	return out
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
