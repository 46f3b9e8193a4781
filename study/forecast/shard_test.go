package forecast

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"aiecon/data"
	kpicat "aiecon/model/kpi"
	"aiecon/runner"
	"aiecon/study"
)

// storeForecast runs shard s of f into a new store at path and returns the
// forecast id it stored.
func storeForecast(t *testing.T, f *Forecast, s study.ShardSpec, path string) string {
	t.Helper()
	ctx := context.Background()
	st, err := data.Open(path, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	runs, err := Execute(ctx, f, Options{Workers: 2, Store: st, Shard: s})
	if err != nil {
		t.Fatal(err)
	}
	r := NewReport(f, Aggregate(f, runs), len(runs))
	r.SetShard(s)
	id, err := Save(ctx, st, f, "", r, runs, "test")
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// forecastRows lists a store's period rows and run links of one forecast
// without ids (run ids differ between stores), sorted.
func forecastRows(t *testing.T, path, id string) (periods, links []string) {
	t.Helper()
	st, err := data.Open(path, data.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, q := range []struct {
		dst *[]string
		sql string
	}{
		{&periods, `SELECT variant || '|' || sample || '|' || period || '|' || metric || '|' || unit || '|' || coalesce(CAST(value AS VARCHAR), 'NULL') FROM forecast_periods WHERE forecast_id = ?`},
		{&links, `SELECT variant || '|' || sample || '|' || period || '|' || day || '|' || slice FROM forecast_runs WHERE forecast_id = ?`},
	} {
		rows, err := st.DB().QueryContext(context.Background(), q.sql, id)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			*q.dst = append(*q.dst, s)
		}
		rows.Close()
		slices.Sort(*q.dst)
	}
	return periods, links
}

// The shards of a split forecast, merged, hold exactly the unsharded
// forecast's period rows and run links, under one forecast id; each shard
// runs only its own groups, each group whole.
//
// Trued up annually (small's guarantee), the quarter that closes a
// contract year books a top-up on the fees of the quarters before, so a
// shard takes them whole: shard 1/2 ran the second quarters alone, and
// stored their top-up on their own fees.
func TestShardsUnionEqualsUnsharded(t *testing.T) {
	for _, tt := range []struct {
		name   string
		src    string
		shards int
	}{
		{"annual true-up", small, 2},
		{"true-up every period", seasonal(2, ", true_up: period"), 3},
	} {
		t.Run(tt.name, func(t *testing.T) { checkShardsUnion(t, parse(t, tt.src), tt.shards) })
	}
}

// checkShardsUnion is TestShardsUnionEqualsUnsharded for one forecast
// split into n shards.
func checkShardsUnion(t *testing.T, f *Forecast, n int) {
	dir := t.TempDir()
	whole := filepath.Join(dir, "whole.duckdb")
	wantPeriods, wantLinks := forecastRows(t, whole, storeForecast(t, f, study.ShardSpec{}, whole))
	if len(wantPeriods) == 0 || len(wantLinks) != len(f.Jobs()) {
		t.Fatalf("unsharded: %d period rows, %d run links; want rows and %d links", len(wantPeriods), len(wantLinks), len(f.Jobs()))
	}
	t.Run(fmt.Sprintf("%d shards", n), func(t *testing.T) {
		merged := filepath.Join(dir, fmt.Sprintf("merged-%d.duckdb", n))
		out, err := data.Open(merged, data.Options{})
		if err != nil {
			t.Fatal(err)
		}
		var id string
		jobs := 0
		for i := range n {
			s := study.ShardSpec{Index: i, Count: n}
			for _, j := range f.ShardJobs(s) {
				if j.ShardUnit%n != i {
					t.Fatalf("shard %d/%d runs group %d", i, n, j.ShardUnit)
				}
				jobs++
			}
			path := filepath.Join(dir, fmt.Sprintf("shard-%d-%d.duckdb", n, i))
			got := storeForecast(t, f, s, path)
			if id != "" && got != id {
				t.Fatalf("shard %d stored forecast %s, shard 0 %s: shards must derive one id", i, got, id)
			}
			id = got
			if _, err := out.Merge(context.Background(), path); err != nil {
				t.Fatal(err)
			}
		}
		if jobs != len(f.Jobs()) {
			t.Fatalf("shards ran %d jobs, want %d", jobs, len(f.Jobs()))
		}
		if err := out.Close(); err != nil {
			t.Fatal(err)
		}
		periods, links := forecastRows(t, merged, id)
		if !slices.Equal(periods, wantPeriods) || !slices.Equal(links, wantLinks) {
			t.Fatalf("merged shards: %d period rows, %d links; want the unsharded %d and %d\nfirst rows %q\nwant %q",
				len(periods), len(links), len(wantPeriods), len(wantLinks), periods[:min(3, len(periods))], wantPeriods[:3])
		}
	})
}

// TestShardWithoutGroupsRefused: a split into more shards than the
// forecast has (variant, sample, period) groups is refused, naming the
// group count and the shards that would run nothing; every shard of a
// split into at most that many runs. Refusing only an index at or past the
// group count accepted --shard 3/40 (a typo for 3/4) on a forecast of
// more than 3 groups, under a forecast id of its own that no merge could
// complete.
func TestShardWithoutGroupsRefused(t *testing.T) {
	f := parse(t, seasonal(2, ", true_up: period")) // 2 variants x 1 sample x 2 periods
	if n := f.Groups(); n != 4 {
		t.Fatalf("%d groups, want 4", n)
	}
	for i := range 4 {
		if err := f.CheckShard(study.ShardSpec{Index: i, Count: 4}); err != nil {
			t.Errorf("shard %d/4: %v", i, err)
		}
	}
	for _, tt := range []struct {
		shard study.ShardSpec
		idle  string
	}{
		{study.ShardSpec{Index: 4, Count: 5}, "shard 4 of the 5"},
		{study.ShardSpec{Index: 0, Count: 5}, "shard 4 of the 5"},
		{study.ShardSpec{Index: 3, Count: 40}, "shards 4 to 39 of the 40"},
	} {
		_, err := Execute(context.Background(), f, Options{Shard: tt.shard})
		var ie *runner.InputError
		want := tt.shard.String() + ": forecast small has 4 (variant, sample, period) groups (2 variants x 1 sample x 2 periods), " +
			"and shard i/n runs the groups g with g mod n = i, so " + tt.idle + " would run nothing; split it into at most 4 shards"
		if !errors.As(err, &ie) || err.Error() != want {
			t.Errorf("%s: %v, want an input error %q", tt.shard, err, want)
		}
	}
	// Trued up annually, the guarantee joins the two quarters in one group.
	f = parse(t, small)
	want := "shard 0/3: forecast small has 2 (variant, sample, period) groups (2 variants x 1 sample x 1 span of periods " +
		"(an annual true-up keeps each contract year's periods in one group, as the period that closes the year books a top-up on all their fees)), " +
		"and shard i/n runs the groups g with g mod n = i, so shard 2 of the 3 would run nothing; split it into at most 2 shards"
	if err := f.CheckShard(study.ShardSpec{Index: 0, Count: 3}); err == nil || err.Error() != want {
		t.Errorf("annual true-up, shard 0/3: %v, want %q", err, want)
	}
}

// TestIncomplete: a split forecast's store that holds fewer (variant,
// sample, period) groups than the forecast has (not every shard merged
// into it) is named incomplete, with the counts, the shards it lacks and
// the command that runs them (a built-in by its name, a file of the
// user's as FILE); one that holds them all, a forecast never split, or one
// without a readable report is not. Such a store read as the whole
// forecast, and compare took its missing samples for a forecast of one
// sample; then the warning named the shards held, not those to run.
func TestIncomplete(t *testing.T) {
	shard := `{"name": "plan", "shard": "0/2", "fleets": [{"variant": "a"}, {"variant": "b"}]}`
	builtin, err := Builtin(DefaultBuiltin)
	if err != nil {
		t.Fatal(err)
	}
	head := "forecast 1m9aaaaaaaaaaaa (plan) is incomplete: it was split into "
	// The shards other stores keep stopped, with their --resume, by case.
	stopped := map[string]map[int]string{
		"the missing shard stopped":    {1: "RESUME-1"},
		"one of three missing stopped": {2: "RESUME-2", 0: "RESUME-0 (held whole: not named)"},
	}
	for _, tt := range []struct {
		name   string
		spec   string
		report string
		groups int
		want   string
	}{
		{"half merged", "name: plan", shard, 6, head + "2 shards (--shard i/n), and s.duckdb holds 6 of its 12 " +
			"(variant, sample, period) groups (2 variants x 3 samples x 2 periods), those of shard 0/2, so its totals, bands and medians cover those alone; " +
			"shard 1/2 is missing: run aiecon forecast FILE --samples 3 --periods 2 --shard 1/2 --db shard-1.duckdb and merge its store with the others (aiecon merge OUT SHARD...)"},
		// merge joins the reports of the shards it holds, and the report
		// names them all: the count is read from the first.
		{"two of three merged", "name: plan", `{"name": "plan", "shard": "0/3, 2/3", "fleets": [{"variant": "a"}, {"variant": "b"}]}`, 8,
			head + "3 shards (--shard i/n), and s.duckdb holds 8 of its 12 " +
				"(variant, sample, period) groups (2 variants x 3 samples x 2 periods), those of shards 0/3, 2/3, so its totals, bands and medians cover those alone; " +
				"shard 1/3 is missing: run aiecon forecast FILE --samples 3 --periods 2 --shard 1/3 --db shard-1.duckdb and merge its store with the others (aiecon merge OUT SHARD...)"},
		{"one of four, a built-in", string(builtin), `{"name": "plan", "shard": "2/4", "fleets": [{"variant": "a"}, {"variant": "b"}]}`, 3,
			head + "4 shards (--shard i/n), and s.duckdb holds 3 of its 12 " +
				"(variant, sample, period) groups (2 variants x 3 samples x 2 periods), those of shard 2/4, so its totals, bands and medians cover those alone; " +
				"shards 0/4, 1/4, 3/4 are missing: run aiecon forecast " + DefaultBuiltin + " --samples 3 --periods 2 --shard i/4 --db shard-i.duckdb " +
				"for each i of them and merge their stores with the others (aiecon merge OUT SHARD...)"},
		// Every shard named, yet groups lacking: no shard to run.
		{"every shard named, groups lacking", "name: plan", `{"name": "plan", "shard": "0/2, 1/2", "fleets": [{"variant": "a"}, {"variant": "b"}]}`, 10,
			head + "2 shards (--shard i/n), and s.duckdb holds 10 of its 12 " +
				"(variant, sample, period) groups (2 variants x 3 samples x 2 periods), those of shards 0/2, 1/2, so its totals, bands and medians cover those alone; " +
				"merge every shard's store into one (aiecon merge OUT SHARD...) and read that"},
		// A missing shard kept stopped is finished, not run anew (which
		// redid its finished runs into another store); one alone missing
		// besides it is still run (review287 M1).
		{"the missing shard stopped", "name: plan", shard, 6, head + "2 shards (--shard i/n), and s.duckdb holds 6 of its 12 " +
			"(variant, sample, period) groups (2 variants x 3 samples x 2 periods), those of shard 0/2, so its totals, bands and medians cover those alone; " +
			"shard 1/2 stopped midway: finish it with: RESUME-1; then merge its store again"},
		{"one of three missing stopped", "name: plan", `{"name": "plan", "shard": "0/3", "fleets": [{"variant": "a"}, {"variant": "b"}]}`, 4,
			head + "3 shards (--shard i/n), and s.duckdb holds 4 of its 12 " +
				"(variant, sample, period) groups (2 variants x 3 samples x 2 periods), those of shard 0/3, so its totals, bands and medians cover those alone; " +
				"shard 2/3 stopped midway: finish it with: RESUME-2; then merge its store again; " +
				"shard 1/3 is missing: run aiecon forecast FILE --samples 3 --periods 2 --shard 1/3 --db shard-1.duckdb and merge its store with the others (aiecon merge OUT SHARD...)"},
		{"every shard merged", "name: plan", shard, 12, ""},
		{"never split", "name: plan", `{"name": "plan", "fleets": [{"variant": "a"}, {"variant": "b"}]}`, 6, ""},
		{"no readable report", "name: plan", "", 6, ""},
	} {
		f := data.Forecast{ID: "1m9aaaaaaaaaaaa", Name: "plan", Periods: 2, Samples: 3, SpecYAML: tt.spec, ReportJSON: tt.report}
		if got := Incomplete(f, tt.groups, "s.duckdb", stopped[tt.name]); got != tt.want {
			t.Errorf("%s:\n%q\nwant\n%q", tt.name, got, tt.want)
		}
	}
}

// TestShardReportText: a shard's own report lists each variant's periods
// in order and marks each band with the samples it rests on where the
// shard ran fewer than the forecast draws (OF k beside the band, and a
// note under the header's OF n, the forecast's count); the whole
// forecast's report marks none. A shard's periods come in the order of its
// groups, sample before period, so shard 1/3 of 3 samples x 2 periods
// (groups 1, sample 0 period 2, and 4, sample 2 period 1) listed period 2
// above period 1, and its bands of one sample read as bands of 3.
func TestShardReportText(t *testing.T) {
	f := parse(t, `name: plan
base: baseline
periods: {count: 2, length: quarter}
day: {slices: 1, horizon: 1m}
variants:
  - name: small
    procurement: {mode: rented, min: 1, max: 2}
monte_carlo: {samples: 3, growth: {dist: uniform, min: 0.5, max: 1.5}}
`)
	report := func(s study.ShardSpec) (*Report, string) {
		var runs []RunResult
		for i, j := range f.ShardJobs(s) {
			n := float64(1 + j.Sample)
			runs = append(runs, RunResult{Job: j, RunID: fmt.Sprintf("run%d", i), SimHours: f.SimHoursPerPeriod(),
				KPIs: map[string]float64{kpicat.CostInstancesUSD: n * 10 * f.SimHoursPerPeriod(), kpicat.PricePerInstanceHourUSD: 10,
					kpicat.InstancesAvg: n}})
		}
		r := NewReport(f, Aggregate(f, runs), len(runs))
		r.SetShard(s)
		var b strings.Builder
		if err := r.WriteText(&b); err != nil {
			t.Fatal(err)
		}
		return r, b.String()
	}
	for _, tt := range []struct {
		name    string
		shard   study.ShardSpec
		periods []int
		marks   []string // the OF k beside each period's band, in order
		note    bool
	}{
		{"whole", study.ShardSpec{}, []int{1, 2}, []string{"", ""}, false},
		{"shard 1/3", study.ShardSpec{Index: 1, Count: 3}, []int{1, 2}, []string{" OF 1", " OF 1"}, true},
		{"shard 0/2", study.ShardSpec{Index: 0, Count: 2}, []int{1}, []string{""}, false}, // every sample of period 1
	} {
		r, text := report(tt.shard)
		var periods []int
		for _, s := range r.Summary {
			periods = append(periods, s.Period)
		}
		if !slices.Equal(periods, tt.periods) {
			t.Errorf("%s: summary of periods %v, want %v", tt.name, periods, tt.periods)
		}
		if !strings.Contains(text, "OPER% P10..P90 OF 3") {
			t.Errorf("%s: the header lacks the forecast's 3 samples:\n%s", tt.name, text)
		}
		var rows []string
		for _, line := range strings.Split(text, "\n") {
			if f := strings.Fields(line); len(f) > 1 && (f[0] == "1" || f[0] == "2") && f[1] == "-" {
				rows = append(rows, line)
			}
		}
		for i, row := range rows {
			if i >= len(tt.marks) {
				break
			}
			if want := tt.marks[i]; !regexp.MustCompile(`\.\.\S+` + regexp.QuoteMeta(want) + `\s*$`).MatchString(row) {
				t.Errorf("%s: row %d %q, want its band to end %q", tt.name, i, row, tt.marks[i])
			}
		}
		if len(rows) != len(tt.marks) {
			t.Errorf("%s: %d period rows, want %d:\n%s", tt.name, len(rows), len(tt.marks), text)
		}
		note := "shard 1/3 ran fewer of them for some periods, whose bands, marked OF k, rest on those k alone"
		if got := strings.Contains(strings.Join(strings.Fields(text), " "), note); got != tt.note {
			t.Errorf("%s: the note %q there: %v, want %v:\n%s", tt.name, note, got, tt.note, text)
		}
	}
}
