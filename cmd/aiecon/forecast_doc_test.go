package main

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"aiecon/hw"
	"aiecon/study/forecast"
)

// TestForecastJSONFieldsDocumented: every top-level field of forecast
// --json is named in docs/forecast.md, in backquotes (`period_hours`,
// which the TRAINING line's retrains a period rest on, was not).
func TestForecastJSONFieldsDocumented(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "forecast.md"))
	if err != nil {
		t.Fatal(err)
	}
	rt := reflect.TypeFor[forecast.Report]()
	for i := range rt.NumField() {
		name, _, _ := strings.Cut(rt.Field(i).Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		if !regexp.MustCompile("`\"?" + regexp.QuoteMeta(name) + "\"?[`:]").Match(doc) {
			t.Errorf("docs/forecast.md does not name the --json field %s", name)
		}
	}
}

// TestForecastDocNightSliceIsCurrent: docs/forecast.md quotes the
// built-in's owned trn2 night slice of quarter 1 (`forecast --samples 1`)
// at the owned cost and rerun at its Capacity Blocks price, the way the
// text says. It quoted $8.21/Mtok and a $57.05 margin, an older build's
// figures, long after the run read $4.90 and $56.96. Quarter 1 alone is
// forecast (--periods 1: a period's runs do not depend on the later ones).
func TestForecastDocNightSliceIsCurrent(t *testing.T) {
	if testing.Short() {
		t.Skip("forecasts one quarter (9 runs) and reruns one slice")
	}
	t.Setenv(hw.ProfileDirEnv, t.TempDir()) // the built-in calibration, whose figures the page quotes
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "forecast.md"))
	if err != nil {
		t.Fatal(err)
	}
	quote := regexp.MustCompile(`night slice of quarter 1 with ` + "`--samples 1`" + `\s+reads (\$[0-9.]+)/Mtok and a (\$[0-9.]+) margin at the owned cost, and\s+(\$[0-9.]+) and (\$[0-9.]+) rerun at\s+that rental price, ` +
		"`aiecon show RUN --yaml=resolved` then `run` with `--set\\s+fleet.pricing=capacity-block --set fleet.price_usd_per_hour=null`").FindStringSubmatch(string(doc))
	if quote == nil {
		t.Fatal("docs/forecast.md no longer quotes the owned trn2's night slice of quarter 1 as the test reads it: update the test with the text")
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "f.duckdb")
	if code, _, errs := cli(t, db, "", "forecast", "--samples", "1", "--periods", "1", "-j", "1", "-q"); code != 0 {
		t.Fatalf("forecast: exit %d: %s", code, errs)
	}
	code, out, errs := cli(t, db, "", "sql", "select f.run_id, printf('$%.2f $%.2f', "+
		"max(case when k.name = 'cost_per_mtok_usd' then k.value end), max(case when k.name = 'margin_usd' then k.value end)) as figures "+
		"from forecast_runs f join kpis k using (run_id) where f.variant = 'owned-trn2' and f.period = 1 and f.slice = 0 and k.scope = '' group by 1")
	row := regexp.MustCompile(`(?m)^([0-9a-z]{15})\s+(\$[0-9.]+) (\$[0-9.]+)\s*$`).FindStringSubmatch(out)
	if code != 0 || row == nil {
		t.Fatalf("sql: exit %d, no run with its figures:\n%s%s", code, out, errs)
	}
	id, owned := row[1], [2]string{row[2], row[3]}
	code, yaml, errs := cli(t, db, "", "show", id, "--yaml=resolved")
	if code != 0 {
		t.Fatalf("show --yaml=resolved: exit %d: %s", code, errs)
	}
	path := filepath.Join(dir, "night.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	rented := runFigures(t, db, path, "--set", "fleet.pricing=capacity-block", "--set", "fleet.price_usd_per_hour=null")
	got := [4]string{owned[0], owned[1], rented[0], rented[1]}
	if want := [4]string{quote[1], quote[2], quote[3], quote[4]}; got != want {
		t.Errorf("docs/forecast.md quotes the night slice as %v per Mtok and margin (owned, then rented); the runs give %v", want, got)
	}
}

// runFigures are the all-costs cost per Mtok and the margin that `run`
// prints for a scenario file with sets.
func runFigures(t *testing.T, db, path string, sets ...string) [2]string {
	t.Helper()
	code, out, errs := cli(t, db, "", append([]string{"run", path}, sets...)...)
	cost := regexp.MustCompile(`(?m)^\s+cost per Mtok\s+(\$[0-9.,]+) all costs`).FindStringSubmatch(out)
	margin := regexp.MustCompile(`(?m)^\s+margin\s+(\$[0-9.,]+) \(`).FindStringSubmatch(out)
	if code != 0 || cost == nil || margin == nil {
		t.Fatalf("run %s: exit %d, no cost per Mtok or margin:\n%s%s", path, code, out, errs)
	}
	return [2]string{cost[1], margin[1]}
}

// TestForecastDocUnfinishedSharesAreCurrent: docs/forecast.md quotes the
// UNFINISHED SESSIONS note of the example forecast at `--samples 1`, the
// share of REVENUE counted for sessions in flight from its smallest to its
// largest period, rented then owned. It quoted 3.3% to 6.7% and 4.7% to
// 9.7% where this build prints 3.2% to 6.5% and 4.9% to 9.9%.
func TestForecastDocUnfinishedSharesAreCurrent(t *testing.T) {
	if testing.Short() {
		t.Skip("forecasts the example's 8 quarters on one sample")
	}
	t.Setenv(hw.ProfileDirEnv, t.TempDir()) // the built-in calibration, whose figures the page quotes
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "forecast.md"))
	if err != nil {
		t.Fatal(err)
	}
	quote := regexp.MustCompile("the example, `--samples 1`:\\s+([0-9.]+%)\\s+to\\s+([0-9.]+%)\\s+rented,\\s+([0-9.]+%)\\s+to\\s+([0-9.]+%)\\s+owned").FindStringSubmatch(string(doc))
	if quote == nil {
		t.Fatal("docs/forecast.md no longer quotes the example's UNFINISHED SESSIONS shares as the test reads them: update the test with the text")
	}
	code, out, errs := cli(t, filepath.Join(t.TempDir(), "f.duckdb"), "", "forecast", filepath.Join("..", "..", "examples", "scenarios", "research-licensing.forecast.yaml"),
		"--samples", "1", "-j", "2", "-q", "--width", "0")
	if code != 0 {
		t.Fatalf("forecast: exit %d: %s", code, errs)
	}
	var got []string
	for _, m := range regexp.MustCompile(`(?m)^UNFINISHED SESSIONS: ([0-9.]+%) to ([0-9.]+%) of REVENUE`).FindAllStringSubmatch(out, -1) {
		got = append(got, m[1], m[2])
	}
	if want := quote[1:]; !slices.Equal(got, want) {
		t.Errorf("docs/forecast.md quotes the shares as %v (rented, then owned); the forecast prints %v:\n%s", want, got, out)
	}
}

// TestForecastHelpPointsToTheKeys: forecast's help and README's command
// table send a newcomer to docs/forecast.md's "The file", where the file's
// keys and their defaults are tabulated (TestForecastDocTabulatesTheKeys):
// both listed features, and the keys were 600 lines into a page neither
// pointed into.
func TestForecastHelpPointsToTheKeys(t *testing.T) {
	long := strings.Join(strings.Fields(newForecastCmd(&env{}).Long), " ")
	if !strings.Contains(long, `docs/forecast.md, "The file"`) || !strings.Contains(long, "procurement.min and max, for one: 1 and 4 x") {
		t.Errorf("forecast --help does not point to the file's keys:\n%s", long)
	}
	// A rented fleet's whole instances double RENT on +5% demand at one
	// instance (review230 F11): the help says so and where it is told.
	if !strings.Contains(long, "rounded up to whole instances") || !strings.Contains(long, `docs/forecast.md, "Fleets: owned or rented"`) {
		t.Errorf("forecast --help does not say a rented fleet rounds up to whole instances:\n%s", long)
	}
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "forecast.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(doc), "\n## Fleets: owned or rented\n") {
		t.Error(`docs/forecast.md has no section "Fleets: owned or rented", which forecast --help points to`)
	}
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(readme), "\n") {
		if strings.HasPrefix(l, "| `forecast ") && !strings.Contains(l, "(docs/forecast.md#the-file)") {
			t.Errorf("README's forecast row does not link the file's keys:\n%s", l)
		}
	}
}
