package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"aiecon/data"
	"aiecon/study/forecast"
)

// Bad forecast input exits 2 (the input-error code) and names what is wrong.
func TestForecastExitCodes(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("AIECON_DB", filepath.Join(dir, "x.duckdb"))
	t.Setenv("AIECON_CONFIG_DIR", filepath.Join(dir, "config"))
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("name: bad\nbase: baseline\nperiods: {count: 99}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"forecast", bad}, "bad.yaml:3:18: periods.count: 99: want 1..20 periods"},
		{[]string{"forecast", filepath.Join(dir, "missing.yaml")}, "missing.yaml"},
		{[]string{"forecast", "no-such-builtin"}, `no built-in forecast "no-such-builtin"`},
		{[]string{"forecast", "--periods", "13"}, "--periods 13: forecast trainium-amortization has 12 periods"},
		{[]string{"forecast", "--samples", "1", "-j", "0"}, "--jobs 0"},
		{[]string{"plot", "last", "--kind", "forecast"}, "no such store"},
		{[]string{"forecast", "--shard", "2/2"}, `shard "2/2": want i/n with 0 <= i < n`},
		{[]string{"forecast", "--shard", "0/2", "--shards", "2"}, "give --shard i/n or --shards n, not both"},
		{[]string{"forecast", "--shard", "1/2", "--no-store"}, "--shard 1/2 with --no-store"},
	} {
		var out, errb bytes.Buffer
		if code := Main(tt.args, strings.NewReader(""), &out, &errb); code != exitUsage || !strings.Contains(errb.String(), tt.want) {
			t.Errorf("aiecon %s: exit %d, stderr %q; want exit %d mentioning %q", strings.Join(tt.args, " "), code, errb.String(), exitUsage, tt.want)
		}
	}
}

// forecastFixture stores forecasts of one name and variant ("plan",
// "owned") whose periods are the given quarter counts, each period's
// revenue $100, and returns the store and their ids.
func forecastFixture(t *testing.T, quarters ...int) (string, []string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "f.duckdb")
	s, err := data.Open(path, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var ids []string
	for _, n := range quarters {
		var vals []data.ForecastValue
		for p := 1; p <= n; p++ {
			vals = append(vals, data.ForecastValue{Variant: "owned", Period: p, Metric: "revenue_usd", Unit: "USD", Value: 100})
		}
		id, err := s.SaveForecast(context.Background(), data.ForecastInfo{Name: "plan", PeriodLength: "quarter", Periods: n, Samples: 1}, vals, nil)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return path, ids
}

// TestCompareForecastsApart: columns of different forecasts carry their
// forecast's id (two forecasts of one file share name and variants), and
// totals over different horizons are warned about, on stderr and in JSON.
func TestCompareForecastsApart(t *testing.T) {
	t.Parallel()
	db, ids := forecastFixture(t, 4, 3, 4)
	for _, tt := range []struct {
		name    string
		refs    []string
		head    string // the table's header names these
		warning string // "" = none
	}{
		{"one forecast", ids[:1], "owned", ""},
		{"same horizon", []string{ids[0], ids[2]}, "plan/owned (" + ids[0] + ")  plan/owned (" + ids[2] + ")  vs plan/owned (" + ids[0] + ")", ""},
		{"4 quarters against 3", ids[:2], "plan/owned (" + ids[1] + ")  vs plan/owned (" + ids[0] + ")",
			"the forecasts cover different horizons (" + ids[0] + " 4 quarters, " + ids[1] + " 3 quarters)"},
	} {
		code, out, errs := cli(t, db, "", append([]string{"compare", "--forecast", "--width", "0"}, tt.refs...)...)
		head, _, _ := strings.Cut(out, "\n")
		if code != 0 || !strings.Contains(head, tt.head) || (tt.head == "owned" && strings.Contains(head, ids[0])) {
			t.Errorf("%s: exit %d, header %q; want it to name %q", tt.name, code, head, tt.head)
		}
		if !strings.Contains(errs, tt.warning) || (tt.warning == "") != (errs == "") {
			t.Errorf("%s: stderr %q, want %q", tt.name, errs, tt.warning)
		}
		_, out, _ = cli(t, db, "", append([]string{"compare", "--forecast", "--format", "json"}, tt.refs...)...)
		var cols []map[string]any // as a script reads it
		if err := json.Unmarshal([]byte(out), &cols); err != nil || len(cols) != len(tt.refs) {
			t.Fatalf("%s: --format json: %v\n%s", tt.name, err, out)
		}
		last := cols[len(cols)-1]
		if want := tt.warning != ""; (last["warning"] != nil) != want || cols[0]["warning"] != nil || last["periods"] == nil {
			t.Errorf("%s: JSON columns %v; want a warning on the last: %v", tt.name, cols, want)
		}
	}
}

// TestCompareForecastListedTwice: a forecast named twice, by the same
// reference or by two that resolve to it, is refused as compare RUN RUN
// refuses a run listed twice, rather than compared with itself at deltas
// of 0.
func TestCompareForecastListedTwice(t *testing.T) {
	t.Parallel()
	db, ids := forecastFixture(t, 4, 3)
	for _, refs := range [][]string{{"last", "last"}, {ids[0], ids[1], ids[0]}, {ids[1], "last"}} {
		code, out, errs := cli(t, db, "", append([]string{"compare", "--forecast"}, refs...)...)
		if code != 2 || out != "" || !strings.Contains(errs, "is listed twice") {
			t.Errorf("compare --forecast %v: exit %d, stdout %q, stderr %q; want exit 2 naming the forecast listed twice", refs, code, out, errs)
		}
	}
}

// TestCompareForecastCaveats: compare --forecast repeats the notes of the
// forecast's report that say its totals lean one way or are known only
// roughly, so that a comparison is not read without them: the forecast's
// own once (COMMERCE COUNTED GROSS, naming compare's lines, not the
// forecast table's columns; FRESHNESS MODELLED IN PART), a variant's under
// its name (IDLE-CAPACITY TRAINING; SAMPLING, which it left out, so a
// total known to about ±20% read to the dollar); under the table, in each
// JSON column, and on stderr beside CSV. A forecast stored without a
// report has none.
func TestCompareForecastCaveats(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "f.duckdb")
	s, err := data.Open(path, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	freshness := 0.94
	r := forecast.Report{GrossCommerce: []string{"shop"}, IdleTrainingInTroughs: true, PeriodLen: "quarter", Summary: []forecast.PeriodSummary{
		{Variant: "owned", Period: 1, Periods: []forecast.Period{{Variant: "owned", Period: 1, TrainingLentShare: 0.19, TrainingIdleCoverage: 0.4,
			Freshness: &freshness, Headroom: 0.5, SLOAttainment: 1}}},
		{Variant: "rented", Period: 1, Periods: []forecast.Period{{Variant: "rented", Period: 1, Headroom: 0.5, SLOAttainment: 1,
			RevenueUSD: 1000, RevenueCommerceUSD: 900, CommerceEvents: 25, TrainingIdleCoverage: forecast.Ratio(math.NaN())}}}, // not fleet-idle
	}}
	body, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var vals []data.ForecastValue
	for _, v := range []string{"owned", "rented"} {
		vals = append(vals, data.ForecastValue{Variant: v, Period: 1, Metric: "revenue_usd", Unit: "USD", Value: 100})
	}
	if _, err := s.SaveForecast(context.Background(), data.ForecastInfo{Name: "plan", PeriodLength: "quarter", Periods: 1, Samples: 1,
		ReportJSON: string(body)}, vals, nil); err != nil {
		t.Fatal(err)
	}
	s.Close()
	gross, idle := "\nCOMMERCE COUNTED GROSS: ", "\nowned: IDLE-CAPACITY TRAINING: each day's share of the retrain is trained in the slices below"
	fresh := "\nFRESHNESS MODELLED IN PART: with a training block (owned quarter 1)"
	sampling := "\nrented: SAMPLING: its revenue_commerce_usd is worth as few as 25 independent simulated sessions a period (period 1), so it is known to about ±20%"
	if _, out, _ := cli(t, path, "", "compare", "--forecast", "last", "--width", "0"); strings.Count(out, gross) != 1 || strings.Count(out, fresh) != 1 ||
		!strings.Contains(out, idle) || strings.Count(out, "rented: ") != 1 || !strings.Contains(out, sampling) {
		t.Errorf("table: want the gross-commerce and freshness notes once, owned's idle-training note and rented's sampling note:\n%s", out)
	}
	// The forecast's table has COMMERCE, GROSS% and OPER% columns; compare has lines.
	if _, out, _ := cli(t, path, "", "compare", "--forecast", "last", "--width", "0"); !strings.Contains(out, gross+"revenue_commerce_usd is the take") ||
		!strings.Contains(out, "gross_margin_usd and operating_margin_usd rest on it") || strings.Contains(out, "GROSS%") || strings.Contains(out, "COMMERCE column") {
		t.Errorf("table: the gross-commerce note names columns compare does not print:\n%s", out)
	}
	_, out, _ := cli(t, path, "", "compare", "--forecast", "last", "--format", "json")
	var cols []struct {
		Variant string   `json:"variant"`
		Caveats []string `json:"caveats"`
	}
	if err := json.Unmarshal([]byte(out), &cols); err != nil || len(cols) != 2 || len(cols[0].Caveats) != 3 || len(cols[1].Caveats) != 3 {
		t.Errorf("JSON: %v, columns %+v; want owned and rented with three caveats each", err, cols)
	}
	if _, _, errs := cli(t, path, "", "compare", "--forecast", "last", "--format", "csv"); !strings.Contains(errs, "aiecon: COMMERCE COUNTED GROSS") ||
		!strings.Contains(errs, "aiecon: FRESHNESS MODELLED IN PART") || !strings.Contains(errs, "aiecon: owned: IDLE-CAPACITY TRAINING") ||
		!strings.Contains(errs, "aiecon: rented: SAMPLING") {
		t.Errorf("CSV: stderr %q lacks the notes", errs)
	}
	db, _ := forecastFixture(t, 1)
	if _, out, _ := cli(t, db, "", "compare", "--forecast", "last"); strings.Contains(out, "COMMERCE") || strings.Contains(out, "IDLE") {
		t.Errorf("a forecast stored without a report: %s", out)
	}
}

// TestCompareForecastHelpMatchesOutputs: the help says which output gives
// which percentile of the totals. It promised P10 and P90 beside the
// median, which only --format csv and json give: the table prints P50.
func TestCompareForecastHelpMatchesOutputs(t *testing.T) {
	cols := []forecastColumn{{Forecast: "a1", Name: "plan", Variant: "owned",
		Totals: map[string][3]float64{"revenue_usd": {1000, 2000, 3000}}}}
	var table, csv strings.Builder
	if err := compareForecastsTable(&table, cols, []string{"revenue_usd"}, 0); err != nil {
		t.Fatal(err)
	}
	if err := compareForecastsCSV(&csv, cols, []string{"revenue_usd"}); err != nil {
		t.Fatal(err)
	}
	inTable := strings.Contains(table.String(), "$1,000") && strings.Contains(table.String(), "$3,000")
	inCSV := strings.Contains(csv.String(), "p10_usd") && strings.Contains(csv.String(), "p90_usd")
	long := strings.Join(strings.Fields(newCompareCmd(&env{}).Long), " ")
	says := strings.Contains(long, "--format csv or json adds their P10 and P90")
	if !strings.Contains(table.String(), "P50") || !strings.Contains(table.String(), "$2,000") || inTable || !inCSV || !says {
		t.Errorf("the table gives P10 and P90: %v, the CSV: %v; the help says only csv and json do: %v\n%s\n%s", inTable, inCSV, says, long, table.String())
	}
}

// A note only some variants of a forecast share names them: the p5en step
// times' warning, which two of the built-in's three variants have, was
// printed unlabelled, as if it covered the trn2 variant too. One every
// variant has stays unlabelled, one of a single variant names it.
func TestCaveatsNameTheVariantsTheyCover(t *testing.T) {
	const p5en, all, trn2 = "STEP TIMES EXTRAPOLATED: p5en ...", "COMMERCE COUNTED GROSS: ...", "STEP TIMES EXTRAPOLATED: trn2 ..."
	cols := []forecastColumn{
		{Forecast: "a1", Name: "plan", Variant: "owned-trn2", Caveats: []string{all, trn2}},
		{Forecast: "a1", Name: "plan", Variant: "rented-p5en", Caveats: []string{all, p5en}},
		{Forecast: "a1", Name: "plan", Variant: "owned-p5en", Caveats: []string{all, p5en}},
		{Forecast: "b2", Name: "plan-b", Variant: "x", Caveats: []string{p5en}},
		{Forecast: "b2", Name: "plan-b", Variant: "y", Caveats: []string{p5en}},
		{Forecast: "b2", Name: "plan-b", Variant: "z"},
	}
	for _, tt := range []struct {
		cols []forecastColumn
		want []string
	}{
		{cols[:3], []string{all, "owned-trn2: " + trn2, "rented-p5en, owned-p5en: " + p5en}},
		{cols, []string{"plan (a1): " + all, "plan/owned-trn2 (a1): " + trn2, "plan/rented-p5en, owned-p5en (a1); plan-b/x, y (b2): " + p5en}},
	} {
		var b strings.Builder
		writeCaveats(&b, tt.cols, "", 0)
		if got := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n"); !slices.Equal(got, tt.want) {
			t.Errorf("caveats of %d columns:\n%s\nwant:\n%s", len(tt.cols), strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
		}
	}
}

// TestCaveatsOncePerForecast: a note that two forecasts both have (commerce
// counted gross) is printed once, naming each forecast, with its variants
// where not all of them have it; one that every column of every forecast
// has, once, unlabelled. The same paragraph was printed once per forecast,
// word for word (and, before that, the second forecast's copy was dropped,
// so that the note read as the first forecast's alone).
func TestCaveatsOncePerForecast(t *testing.T) {
	const gross, steps = "COMMERCE COUNTED GROSS: ...", "STEP TIMES EXTRAPOLATED: ..."
	cols := []forecastColumn{
		{Forecast: "a1", Name: "plan", Variant: "owned", Caveats: []string{gross, steps}},
		{Forecast: "a1", Name: "plan", Variant: "rented", Caveats: []string{gross, steps}},
		{Forecast: "b2", Name: "plan-b", Variant: "owned", Caveats: []string{gross, steps}},
		{Forecast: "b2", Name: "plan-b", Variant: "rented", Caveats: []string{steps}},
	}
	var b strings.Builder
	writeCaveats(&b, cols, "", 0)
	want := "plan (a1); plan-b/owned (b2): " + gross + "\n" + steps + "\n"
	if got := b.String(); got != want {
		t.Errorf("caveats:\n%s\nwant each note once, naming what it covers:\n%s", got, want)
	}
}

// TestEmptyShardAndForecast: a split into more shards than (variant,
// sample, period) groups is refused before the store is opened, naming the group count (it
// stored an empty forecast, exit 0); compare --forecast on an empty
// forecast, as such a shard stored before, says so and exits 2 (it printed
// a bare title, exit 0, which read as every total zero).
func TestEmptyShardAndForecast(t *testing.T) {
	dir := t.TempDir()
	plan := filepath.Join(dir, "plan.yaml")
	src := "name: plan\nbase: baseline\nperiods: {count: 2}\nday: {slices: 1, horizon: 1m}\nvariants:\n  - {name: rented, procurement: {mode: rented}}\n"
	if err := os.WriteFile(plan, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "shard.duckdb")
	code, _, errs := cli(t, db, "", "forecast", plan, "--shard", "2/3")
	if want := "shard 2/3: forecast plan has 2 (variant, sample, period) groups (1 variant x 1 sample x 2 periods), " +
		"and shard i/n runs the groups g with g mod n = i, so shard 2 of the 3 would run nothing"; code != exitUsage || !strings.Contains(errs, want) {
		t.Errorf("--shard 2/3: exit %d, stderr %q; want exit %d with %q", code, errs, exitUsage, want)
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("the refused shard left a store behind (%v)", err)
	}

	s, err := data.Open(db, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	id, err := s.SaveForecast(context.Background(), data.ForecastInfo{Name: "plan", PeriodLength: "quarter", Periods: 2, Samples: 1,
		ReportJSON: `{"name": "plan", "shard": "2/3"}`}, nil, nil)
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	code, out, errs := cli(t, db, "", "compare", "--forecast", id)
	want := "forecast " + id + " (plan) has no periods stored: nothing to compare (it is shard 2/3 of a split forecast"
	if code != exitUsage || !strings.Contains(errs, want) || out != "" {
		t.Errorf("compare --forecast on an empty forecast: exit %d, stdout %q, stderr %q; want exit %d with %q", code, out, errs, exitUsage, want)
	}
}

// TestRefusedContractStoresNothing: a contract amount out of range is
// refused before anything runs, at its line, and leaves no store. A .nan
// annual amount ran the whole forecast, stored its runs, then failed
// writing the report ("json: unsupported value: NaN"); a per-use fee of
// 1e308 was refused as the runs were planned, as a --set nobody typed.
func TestRefusedContractStoresNothing(t *testing.T) {
	dir := t.TempDir()
	const plan = "name: plan\nbase: baseline\nperiods: {count: 1}\nday: {slices: 1, horizon: 1m}\nlicensing:\n  - %s\n" +
		"variants:\n  - {name: rented, procurement: {mode: rented}}\n"
	for i, tt := range []struct{ contract, want string }{
		{"{name: archive, kind: flat, annual_usd: .nan}", "plan.yaml:6:45: licensing[0].annual_usd: NaN: want a finite amount from 0 to 1e+15"},
		{"{name: docs, kind: per-document, workload: shopping-assistant, fee_per_doc: 1e308}",
			"plan.yaml:6:81: licensing[0].fee_per_doc: 1e+308: want a finite amount from 0 to 1e+15"},
	} {
		path := filepath.Join(dir, "plan.yaml")
		if err := os.WriteFile(path, []byte(strings.Replace(plan, "%s", tt.contract, 1)), 0o644); err != nil {
			t.Fatal(err)
		}
		db := filepath.Join(dir, fmt.Sprintf("s%d.duckdb", i))
		code, _, errs := cli(t, db, "", "-q", "forecast", path, "--samples", "1")
		if code != exitUsage || !strings.Contains(errs, tt.want) || strings.Contains(errs, "--set") {
			t.Errorf("%s: exit %d, stderr %q; want exit %d with %q", tt.contract, code, errs, exitUsage, tt.want)
		}
		if _, err := os.Stat(db); !os.IsNotExist(err) {
			t.Errorf("%s: the refused forecast left a store behind (%v)", tt.contract, err)
		}
	}
}
