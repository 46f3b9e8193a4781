package main

import (
	"context"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"aiecon/data"
)

// wideForecastLines are lines a forecast stores, the longest names among
// them, with totals in the millions.
var wideForecastLines = []string{"revenue_usd", "cost_depreciation_usd", "revenue_lost_to_latency_usd",
	"revenue_unfinished_counted_usd", "sessions_revenue_lost_to_latency_usd", "operating_margin_usd"}

// wideForecastFixture stores forecasts named as given, each of three
// variants over 2 quarters and 3 samples, into one store, and returns the
// store and the forecasts' ids.
func wideForecastFixture(t *testing.T, names ...string) (string, []string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "f.duckdb")
	s, err := data.Open(path, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var ids []string
	for f, name := range names {
		var vals []data.ForecastValue
		for v, variant := range []string{"owned-trn2", "rented-p5en", "rented-trn2-cb"} {
			for m, metric := range wideForecastLines {
				for sample := range 3 {
					for q := 1; q <= 2; q++ {
						vals = append(vals, data.ForecastValue{Variant: variant, Sample: sample, Period: q, Metric: metric, Unit: "USD",
							Value: float64(1_234_567*(m+1)+sample*10_000+v*345_678) * float64(1+f) * 10})
					}
				}
			}
		}
		id, err := s.SaveForecast(context.Background(), data.ForecastInfo{Name: name, PeriodLength: "quarter", Periods: 2, Samples: 3}, vals, nil)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return path, ids
}

// TestCompareForecastFitsWidth: with three variants the totals table was
// 103 columns at the default width of 100 (its lines' names set its
// width), and a table does not wrap. Where it does not fit --width, the
// variants go into tables of as many as fit, each naming the lines, and
// every figure of the one table is still printed; a forecast's name and
// id then stand on header lines of their own. Where it fits (or --width
// 0), it is the one table as before.
func TestCompareForecastFitsWidth(t *testing.T) {
	t.Parallel()
	one, _ := wideForecastFixture(t, "research-licensing")
	_, whole, _ := cli(t, one, "", "compare", "--forecast", "last", "--width", "0")
	if w := widest(whole, "TOTAL OVER"); w <= 100 {
		t.Fatalf("the fixture's table is %d columns, not wider than 100:\n%s", w, whole)
	}
	for _, width := range []string{"100", "80"} {
		t.Run(width, func(t *testing.T) {
			code, out, errs := cli(t, one, "", "compare", "--forecast", "last", "--width", width)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errs)
			}
			limit := map[string]int{"100": 100, "80": 80}[width]
			if w := widest(out, "TOTAL OVER"); w > limit {
				t.Errorf("a totals line of %d columns at --width %s:\n%s", w, width, out)
			}
			if got, want := figures(out, "TOTAL OVER"), figures(whole, "TOTAL OVER"); got != want {
				t.Errorf("--width %s prints the figures\n%s\nwant those of the one table\n%s", width, got, want)
			}
			if n := strings.Count(out, "TOTAL OVER THE HORIZON (P50, USD)"); n < 2 {
				t.Errorf("--width %s: %d tables, want the variants split:\n%s", width, n, out)
			}
			if !regexp.MustCompile(`(?m)^TOTAL OVER THE HORIZON \(P50, USD\) +owned-trn2 +rented-p5en +vs owned-trn2 *$`).MatchString(out) {
				t.Errorf("--width %s: the first table is not owned-trn2 and rented-p5en against it:\n%s", width, out)
			}
			// The sentences over and under each change's table are prose,
			// and so is the footnote under them, which was broken by hand
			// at up to 95 columns.
			if !strings.Contains(out, "(P10, P50, P90: quantiles") {
				t.Fatalf("--width %s: no footnote under the change tables:\n%s", width, out)
			}
			for _, line := range strings.Split(out, "\n") {
				if utf8.RuneCountInString(line) > limit {
					t.Errorf("--width %s: a line of %d columns: %q", width, utf8.RuneCountInString(line), line)
				}
			}
		})
	}

	two, ids := wideForecastFixture(t, "research-licensing", "research-licensing-b")
	_, whole, _ = cli(t, two, "", "compare", "--forecast", ids[0], ids[1], "--width", "0")
	code, out, errs := cli(t, two, "", "compare", "--forecast", ids[0], ids[1], "--width", "80")
	if code != 0 {
		t.Fatalf("two forecasts: exit %d: %s", code, errs)
	}
	if w := widest(out, "TOTAL OVER"); w > 80 {
		t.Errorf("two forecasts: a totals line of %d columns at --width 80:\n%s", w, out)
	}
	if got, want := figures(out, "TOTAL OVER"), figures(whole, "TOTAL OVER"); got != want {
		t.Errorf("two forecasts at --width 80 print the figures\n%s\nwant those of the one table\n%s", got, want)
	}
	if !regexp.MustCompile(`(?m)^TOTAL OVER THE HORIZON \(P50, USD\) +research-licensing-b +vs *$`).MatchString(out) ||
		!regexp.MustCompile(`(?m)^ +rented-p5en +owned-trn2 *$`).MatchString(out) ||
		!regexp.MustCompile(`(?m)^ +\(`+ids[1]+`\) +\(`+ids[0]+`\) *$`).MatchString(out) {
		t.Errorf("two forecasts at --width 80: no header lines of names and of ids:\n%s", out)
	}
}

// TestCompareForecastNarrowWidth: at --width 60 one variant's figure and
// its change were a table of 78 columns (two forecasts: their names and
// ids stacked) or 64 (one forecast), since a variant was the least the
// totals table split. They now go into tables of their own, the change's
// headed by its variant over what it is against, every figure still
// printed in the same order, and every line of the report keeps to 60.
func TestCompareForecastNarrowWidth(t *testing.T) {
	t.Parallel()
	one, oneIDs := wideForecastFixture(t, "research-licensing")
	two, twoIDs := wideForecastFixture(t, "research-licensing", "research-licensing-b")
	for _, tt := range []struct {
		name string
		db   string
		ids  []string
		vs   *regexp.Regexp // a change's own table's header
	}{
		{"one forecast", one, oneIDs, regexp.MustCompile(`(?m)^TOTAL OVER THE HORIZON \(P50, USD\) +rented-p5en *\n +vs owned-trn2 *\n`)},
		{"two forecasts", two, twoIDs, regexp.MustCompile(`(?m)^TOTAL OVER THE HORIZON \(P50, USD\) +research-licensing-b *\n +rented-p5en *\n +\(` +
			twoIDs[1] + `\) *\n +vs *\n +owned-trn2 *\n +\(` + twoIDs[0] + `\) *\n`)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"compare", "--forecast"}, tt.ids...)
			_, whole, _ := cli(t, tt.db, "", append(args, "--width", "0")...)
			code, out, errs := cli(t, tt.db, "", append(args, "--width", "60")...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errs)
			}
			for _, line := range strings.Split(out, "\n") {
				if utf8.RuneCountInString(line) > 60 {
					t.Errorf("a line of %d columns at --width 60: %q", utf8.RuneCountInString(line), line)
				}
			}
			if got, want := figures(out, "TOTAL OVER"), figures(whole, "TOTAL OVER"); got != want {
				t.Errorf("--width 60 prints the figures\n%s\nwant those of the one table\n%s", got, want)
			}
			if !tt.vs.MatchString(out) {
				t.Errorf("no table of rented-p5en's change alone, headed by it over what it is against:\n%s", out)
			}
		})
	}
}

// TestCompareForecastWidth40: at --width 40 the lines' names alone take
// 38 columns (sessions_revenue_lost_to_latency_usd and its gap), so a
// table of one figure was still 48 to 51 columns, its header 59 with a
// forecast's name. A name that leaves its figure no room now stands on a
// line of its own with the figure under it, the header's labels under its
// title, and every line of the report keeps to 40, every figure printed
// in the same order as in the one table. Only a single word longer than
// the width may pass it (TestCompareForecastCaveatsWidth40).
func TestCompareForecastWidth40(t *testing.T) {
	t.Parallel()
	one, oneIDs := wideForecastFixture(t, "research-licensing")
	two, twoIDs := wideForecastFixture(t, "research-licensing", "research-licensing-b")
	for _, tt := range []struct {
		name   string
		db     string
		ids    []string
		header *regexp.Regexp // a totals table's header, its labels under its title
	}{
		{"one forecast", one, oneIDs, regexp.MustCompile(`(?m)^TOTAL OVER THE HORIZON \(P50, USD\)\n +rented-p5en\n +vs owned-trn2\n`)},
		{"two forecasts", two, twoIDs, regexp.MustCompile(`(?m)^TOTAL OVER THE HORIZON \(P50, USD\)\n  research-licensing-b\n  rented-p5en\n  \(` +
			twoIDs[1] + `\)\n  vs\n  owned-trn2\n  \(` + twoIDs[0] + `\)\n`)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"compare", "--forecast"}, tt.ids...)
			_, whole, _ := cli(t, tt.db, "", append(args, "--width", "0")...)
			code, out, errs := cli(t, tt.db, "", append(args, "--width", "40")...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errs)
			}
			for _, line := range strings.Split(out, "\n") {
				if utf8.RuneCountInString(line) > 40 {
					t.Errorf("a line of %d columns at --width 40: %q", utf8.RuneCountInString(line), line)
				}
			}
			for _, head := range []string{"TOTAL OVER", "CHANGE OVER"} {
				if got, want := figures(out, head), figures(whole, head); got != want {
					t.Errorf("--width 40 prints the figures of %s\n%s\nwant those of the one table\n%s", head, got, want)
				}
			}
			if !tt.header.MatchString(out) {
				t.Errorf("no header of rented-p5en's change with its labels under the title:\n%s", out)
			}
			if !regexp.MustCompile(`(?m)^sessions_revenue_lost_to_latency_usd\n +[-+]?\$[0-9,]+\n`).MatchString(out) {
				t.Errorf("the longest name is not over its figure:\n%s", out)
			}
			if !regexp.MustCompile(`(?m)^revenue_usd +\$[0-9,]+$`).MatchString(out) {
				t.Errorf("a short name is not beside its figure:\n%s", out)
			}
		})
	}
}

// TestCompareForecastCaveatsWidth40: the notes under the comparison wrap
// to --width 40, but a single word longer than 40 (a scenario path the
// note names) cannot be broken without changing what it names: it stands
// alone on its line, the only line past the width.
func TestCompareForecastCaveatsWidth40(t *testing.T) {
	const long = "workloads[shopping-assistant].agent.value.incremental" // 53 columns
	cols := []forecastColumn{{Forecast: "a1", Name: "plan", Variant: "owned-trn2", Caveats: []string{
		"COMMERCE COUNTED GROSS: revenue_commerce_usd is the take on every order of a converted session; set " + long +
			" (the share of those orders the assistant causes) in the forecast's set to credit only those."}}}
	var b strings.Builder
	writeCaveats(&b, cols, "", 40)
	over := 0
	for _, line := range strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n") {
		if utf8.RuneCountInString(line) <= 40 {
			continue
		}
		if fields := strings.Fields(line); len(fields) != 1 || fields[0] != long {
			t.Errorf("a line of %d columns that is not the one word too long for it: %q", utf8.RuneCountInString(line), line)
		}
		over++
	}
	if over != 1 {
		t.Errorf("%d lines past 40, want the one of %s alone:\n%s", over, long, b.String())
	}
}

// widest is the widest line of the tables that start with a line
// beginning with head, up to the first line that is no table's.
func widest(out, head string) int {
	n := 0
	for _, line := range totalsLines(out, head) {
		n = max(n, utf8.RuneCountInString(line))
	}
	return n
}

// figures are the dollar figures of the tables' rows, by line name, in
// the order printed: the same set whichever way the columns are split, or
// a name stacked over its figure (stackedTable).
func figures(out, head string) string {
	byLine := map[string][]string{}
	var order []string
	stacked := "" // a line's name on a line of its own, its figure under it
	for _, line := range totalsLines(out, head) {
		fields := strings.Fields(line)
		if len(fields) == 1 && strings.HasSuffix(fields[0], "_usd") {
			stacked = fields[0]
			continue
		}
		switch {
		case stacked != "" && len(fields) > 0 && strings.HasPrefix(line, " "):
			fields = append([]string{stacked}, fields...)
		case strings.HasPrefix(line, " "):
			fields = nil // a header's label, or prose wrapped under the table: no row's name is indented
		}
		stacked = ""
		if len(fields) < 2 || !strings.HasSuffix(fields[0], "_usd") {
			continue
		}
		if _, ok := byLine[fields[0]]; !ok {
			order = append(order, fields[0])
		}
		byLine[fields[0]] = append(byLine[fields[0]], fields[1:]...)
	}
	var b strings.Builder
	for _, l := range order {
		b.WriteString(l + " " + strings.Join(byLine[l], " ") + "\n")
	}
	return b.String()
}

// totalsLines are the lines of the totals tables: from each line starting
// with head to the blank line or note after it.
func totalsLines(out, head string) []string {
	var lines []string
	in := false
	for _, line := range strings.Split(out, "\n") {
		switch {
		case strings.HasPrefix(line, head):
			in = true
		case line == "" || strings.HasPrefix(line, "("):
			in = false
		}
		if in {
			lines = append(lines, line)
		}
	}
	return lines
}

// TestCompareForecastChangeTablesFitWidth: the change tables under the
// totals, a line's P10, P50, P90 and BETTER IN, were never split, so a
// change in the billions with a share of equal samples made them 106
// columns at --width 100 (and 93 in the millions, past 80). Where one does
// not fit, its columns go into tables of as many as fit, each naming the
// lines, with every figure of the one table; at --width 0 it is one table.
func TestCompareForecastChangeTablesFitWidth(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "f.duckdb")
	s, err := data.Open(path, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// The second variant's change, sample by sample: worse, equal, better twice
	// on revenue, so BETTER IN reads "50%, 25% equal".
	change := []float64{-12_345_678_901, 0, 23_456_789_012, 34_567_890_123}
	var vals []data.ForecastValue
	for m, metric := range wideForecastLines {
		for sample, d := range change {
			base := float64(1_000_000_000 * (m + 1))
			vals = append(vals, data.ForecastValue{Variant: "owned-trn2", Sample: sample, Period: 1, Metric: metric, Unit: "USD", Value: base},
				data.ForecastValue{Variant: "rented-p5en", Sample: sample, Period: 1, Metric: metric, Unit: "USD", Value: base + d})
		}
	}
	_, err = s.SaveForecast(context.Background(), data.ForecastInfo{Name: "billions", PeriodLength: "quarter", Periods: 1, Samples: 4}, vals, nil)
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	const head = "CHANGE OVER THE HORIZON (USD)"
	_, whole, _ := cli(t, path, "", "compare", "--forecast", "last", "--width", "0")
	if n := strings.Count(whole, head); n != 1 {
		t.Fatalf("--width 0: %d change tables, want 1:\n%s", n, whole)
	}
	if w := widest(whole, head); w <= 100 {
		t.Fatalf("the fixture's change table is %d columns, not wider than 100:\n%s", w, whole)
	}
	for _, limit := range []int{100, 80} {
		width := strconv.Itoa(limit)
		t.Run(width, func(t *testing.T) {
			code, out, errs := cli(t, path, "", "compare", "--forecast", "last", "--width", width)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errs)
			}
			if w := widest(out, head); w > limit {
				t.Errorf("a change table line of %d columns at --width %s:\n%s", w, width, out)
			}
			if got, want := figures(out, head), figures(whole, head); got != want {
				t.Errorf("--width %s prints the changes\n%s\nwant those of the one table\n%s", width, got, want)
			}
			if n := strings.Count(out, head); n < 2 {
				t.Errorf("--width %s: %d change tables, want the columns split:\n%s", width, n, out)
			}
			if !regexp.MustCompile(`(?m)^CHANGE OVER THE HORIZON \(USD\) +P10 `).MatchString(out) {
				t.Errorf("--width %s: the first change table does not start at P10:\n%s", width, out)
			}
		})
	}
}
