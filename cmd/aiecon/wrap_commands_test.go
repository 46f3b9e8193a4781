package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"aiecon/hw"
	"aiecon/study/optimize"
)

// checkWrapped fails unless got, a report wrapped to width, has the words
// of flat, the same report at --width 0, and no line over width but
// flat's own table rows (columns apart by two spaces or more, unchanged),
// and unless something wrapped.
func checkWrapped(t *testing.T, got, flat string, width int) {
	t.Helper()
	if g, w := strings.Fields(got), strings.Fields(flat); !slices.Equal(g, w) {
		t.Errorf("the words differ from --width 0's:\n%s\nagainst\n%s", got, flat)
	}
	flatLines := strings.Split(flat, "\n")
	for _, l := range strings.Split(got, "\n") {
		row := slices.Contains(flatLines, l) && strings.Count(strings.TrimSpace(l), "  ") >= 2
		if utf8.RuneCountInString(l) > width && !row && len(strings.Fields(l)) > 2 {
			t.Errorf("line of %d characters, over %d: %q", utf8.RuneCountInString(l), width, l)
		}
	}
	if strings.Count(got, "\n") <= strings.Count(flat, "\n") {
		t.Errorf("nothing wrapped at %d:\n%s", width, got)
	}
}

// TestOptimizeReportWraps: optimize's head, BEST line, notes, legend and
// WARNING paragraphs wrap to the width, its CANDIDATES, FRONTIER and
// PRICES rows never.
func TestOptimizeReportWraps(t *testing.T) {
	size := hw.Gap{Axis: hw.AxisSize, Brief: "4.4B per device", Detail: "4.4B active parameters per device (71B at TP 16), while ..."}
	prompt := hw.Gap{Axis: hw.AxisPrompt, Brief: "prompts to 8,191 tokens", Detail: "prompts to 8,191 tokens, while the measurements they were fitted to reached 2,048"}
	for _, res := range []*optimize.Result{
		extrapResult(optimize.ObjectiveCost, []hw.Gap{size}, []hw.Gap{prompt}, 1),
		abandonResult([]string{"shopping-assistant"}),
	} {
		text := func(width int) string {
			var b strings.Builder
			if err := printOptimize(&b, res, "x.duckdb", width); err != nil {
				t.Fatal(err)
			}
			if err := printExtrapWarnings(&b, res, width); err != nil {
				t.Fatal(err)
			}
			return b.String()
		}
		checkWrapped(t, text(60), text(0), 60)
	}
}

// TestSweepCompareWarningsWrap: sweep's summary (its head and warning
// paragraphs) and compare's warnings on stderr wrap to --width, their
// tables never; --width 0 leaves each on one line.
func TestSweepCompareWarningsWrap(t *testing.T) {
	if testing.Short() {
		t.Skip("simulates a sweep of two runs")
	}
	dir := t.TempDir()
	spec := "name: wrap\nbase: baseline\nset:\n  horizon: 3m\nparameters:\n  fleet.count: [4, 1]\nreplications: 1\nkpis: [margin_usd, cost_per_mtok_usd]\n"
	path := filepath.Join(dir, "wrap.yaml")
	if err := os.WriteFile(path, []byte(spec), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "wrap.duckdb")
	run := func(args ...string) (string, string) {
		t.Helper()
		code, out, errs := cli(t, db, "", args...)
		if code != exitOK {
			t.Fatalf("%q: exit %d: %s", args, code, errs)
		}
		return out, errs
	}
	run("sweep", path, "-q", "-j", "1")
	flat, _ := run("sweep", "--show", "last", "--width", "0")
	if !strings.Contains(flat, "COMMERCE COUNTED GROSS") {
		t.Fatalf("the sweep has no warning to wrap:\n%s", flat)
	}
	got, _ := run("sweep", "--show", "last", "--width", "60")
	checkWrapped(t, got, flat, 60)

	ids, _ := run("sql", "--format", "csv", "SELECT run_id FROM runs ORDER BY started_at")
	args := append([]string{"compare"}, strings.Fields(ids)[1:]...)
	tableFlat, flatErr := run(append(args, "--width", "0")...)
	if !strings.Contains(flatErr, "aiecon: OVERLOADED") {
		t.Fatalf("compare has no warning to wrap:\n%s", flatErr)
	}
	table, gotErr := run(append(args, "--width", "60")...)
	if table != tableFlat {
		t.Errorf("compare's table changed with --width 60:\n%s\nagainst\n%s", table, tableFlat)
	}
	checkWrapped(t, gotErr, flatErr, 60)
}

// TestForecastNotesWrap: forecast's notes (above and under each variant's
// table) and compare --forecast's caveats wrap to --width, the tables
// never.
func TestForecastNotesWrap(t *testing.T) {
	if testing.Short() {
		t.Skip("simulates a forecast")
	}
	db := filepath.Join(t.TempDir(), "f.duckdb")
	run := func(args ...string) string {
		t.Helper()
		code, out, errs := cli(t, db, "", args...)
		if code != exitOK {
			t.Fatalf("%q: exit %d: %s", args, code, errs)
		}
		return out
	}
	flat := run("forecast", "--periods", "1", "--samples", "1", "-q", "--width", "0")
	got := run("forecast", "--periods", "1", "--samples", "1", "-q", "--no-store", "--width", "60")
	checkWrapped(t, got, flat, 60)
	// compare --forecast's totals table is split to fit the width instead
	// (TestCompareForecastFitsWidth): its prose is checked without it, and
	// its figures are the one table's.
	cmpGot, cmpFlat := run("compare", "--forecast", "last", "--width", "60"), run("compare", "--forecast", "last", "--width", "0")
	checkWrapped(t, withoutTotals(cmpGot), withoutTotals(cmpFlat), 60)
	if got, want := figures(cmpGot, "TOTAL OVER"), figures(cmpFlat, "TOTAL OVER"); got != want {
		t.Errorf("compare --forecast at --width 60 prints the totals\n%s\nwant those of --width 0\n%s", got, want)
	}
}

// withoutTotals is compare --forecast's output without its totals tables.
func withoutTotals(out string) string {
	totals := map[string]bool{}
	for _, l := range totalsLines(out, "TOTAL OVER") {
		totals[l] = true
	}
	var kept []string
	for _, l := range strings.Split(out, "\n") {
		if !totals[l] {
			kept = append(kept, l)
		}
	}
	return strings.Join(kept, "\n")
}
