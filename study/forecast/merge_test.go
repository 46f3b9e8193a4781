package forecast

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	kpicat "aiecon/model/kpi"
	"aiecon/study"
)

// TestMergeReportsCoverEveryPeriod: the shards of a split forecast, their
// reports merged (aiecon merge), give the report of the forecast run
// whole, byte for byte, whichever shard comes first and however often one
// is merged: the merged store kept the first shard's, and its RESERVED
// INSTANCES IDLE named quarter 3 alone of the 2 and 3 whose idle
// instances RENT holds. Shards merged short of all of them say which
// they cover.
func TestMergeReportsCoverEveryPeriod(t *testing.T) {
	f := parse(t, seasonalReserved+"    roadmap:\n      - {from: 3, set: {fleet.pricing: on-demand}}\n")
	var runs []RunResult
	for k, n := range []float64{5, 2, 2, 5} {
		rate := []float64{8.197, 8.197, 21.50, 21.50}[k]
		runs = append(runs, RunResult{Job: Job{Period: k + 1}, RunID: fmt.Sprintf("run%d", k+1), SimHours: f.SimHoursPerPeriod(),
			KPIs: map[string]float64{kpicat.CostInstancesUSD: n * rate * f.SimHoursPerPeriod(), kpicat.PricePerInstanceHourUSD: rate,
				kpicat.InstancesAvg: n}})
	}
	whole := storedJSON(t, NewReport(f, Aggregate(f, runs), len(runs)))
	// shard is shard i of n's report: the periods k with (k-1) mod n = i,
	// as one variant and one sample make each period a group.
	shard := func(i, n int) string {
		var mine []RunResult
		for _, r := range runs {
			if (r.Period-1)%n == i {
				mine = append(mine, r)
			}
		}
		r := NewReport(f, Aggregate(f, mine), len(mine))
		r.SetShard(study.ShardSpec{Index: i, Count: n})
		return storedJSON(t, r)
	}
	merge := func(reports ...string) string {
		out := reports[0]
		for _, in := range reports[1:] {
			var err error
			if out, err = MergeReports(out, in); err != nil {
				t.Fatal(err)
			}
		}
		return out
	}
	s0, s1 := shard(0, 2), shard(1, 2)
	for name, got := range map[string]string{"0 then 1": merge(s0, s1), "1 then 0": merge(s1, s0), "1 twice": merge(s0, s1, s1, s0)} {
		if got != whole {
			t.Errorf("shards %s merged:\n%s\nwant the whole forecast's:\n%s", name, got, whole)
		}
	}
	for _, pair := range [][2]string{{"", whole}, {whole, ""}} { // a forecast stored without a report
		if got, err := MergeReports(pair[0], pair[1]); err != nil || got != whole {
			t.Errorf("merging %q with %q: %v; want the one report kept", pair[0], pair[1], err)
		}
	}
	note := strings.Join(StoredCaveats(merge(s0, s1), "rented"), "\n")
	checkNote(t, "merged", note, []string{"3 in quarter 2 ($53.9k), 3 in quarter 3 ($53.9k); $108k in all.",
		"$58.3k less in quarter 3, $146k less in quarter 4."})
	if strings.Contains(note, "(these notes are") {
		t.Errorf("the merged forecast's notes say they cover some shards only:\n%s", note)
	}
	part := merge(shard(2, 3), shard(0, 3)) // quarters 3, then 1 and 4
	checkNote(t, "two shards of three", strings.Join(StoredCaveats(part, "rented"), "\n"), []string{
		"3 in quarter 3 ($53.9k); $53.9k in all.", "(these notes are the merged reports of shards 0/3, 2/3: their figures cover those shards' periods only)"})
	// Shards stored before reserved_idle_usd was split from the repricing:
	// the merged report keeps their form, merged alone or with a shard
	// stored after, so that it reads as the whole forecast's old report
	// does (marked gross, its net periods read as the idle cost).
	old := func(js string) string {
		var r Report
		if err := json.Unmarshal([]byte(js), &r); err != nil {
			t.Fatal(err)
		}
		r.netIdle()
		r.Summary = Summarize(slices.Concat(periodsOf(r.Summary)...))
		return storedJSON(t, &r)
	}
	for name, got := range map[string]string{"both older": merge(old(s0), old(s1)), "one older": merge(s0, old(s1))} {
		if want := old(whole); got != want {
			t.Errorf("%s shards merged:\n%s\nwant the whole forecast's older report:\n%s", name, got, want)
		}
	}
	var r Report
	if err := json.Unmarshal([]byte(part), &r); err != nil || r.Runs != 3 || len(r.Summary) != 3 || r.Summary[0].Period != 1 || r.Summary[2].Period != 4 {
		t.Errorf("two shards of three: %d runs, summary %+v (%v); want 3 runs, quarters 1, 3, 4 in order", r.Runs, r.Summary, err)
	}
}

// storedJSON is a report as the store keeps it.
func storedJSON(t *testing.T, r *Report) string {
	t.Helper()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// periodsOf lists each summary's periods.
func periodsOf(summary []PeriodSummary) [][]Period {
	var out [][]Period
	for _, s := range summary {
		out = append(out, s.Periods)
	}
	return out
}
