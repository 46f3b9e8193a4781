package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"math"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"aiecon/data"
)

// pairedFixture stores one forecast of two variants, owned-trn2 (the
// first) and rented-p5en, over 2 quarters: each line's horizon total in
// sample i is the base's and the variant's i-th figure, half in each
// quarter. Only the first n samples are stored.
func pairedFixture(t *testing.T, n int) string {
	t.Helper()
	lines := map[string][2][]float64{
		// Differences 10, -10, 30, 20, -20: sorted -20, -10, 10, 20, 30,
		// quantile_cont's P10 at rank 0.4 is -20 + 0.4 x 10 = -16, P50 10,
		// P90 at rank 3.6 is 20 + 0.6 x 10 = 26; higher is better: 3 of 5.
		// The difference of the medians is 330 - 300 = 30, not 10.
		"operating_margin_usd": {{100, 200, 300, 400, 500}, {110, 190, 330, 420, 480}},
		// Differences 5, -2, 0.001, 30, -5: sorted -5, -2, 0.001, 5, 30,
		// P10 -5 + 0.4 x 3 = -3.8, P50 0.001, P90 5 + 0.6 x 25 = 20; lower
		// is better: 2 of 5, and 0.001 is within half a cent: 1 equal.
		"cost_usd": {{10, 20, 30, 40, 50}, {15, 18, 30.001, 70, 45}},
		// An estimate for the sessions left running: higher in every
		// sample, and no better for it (a slower fleet's backlog).
		"revenue_unfinished_counted_usd": {{1, 1, 1, 1, 1}, {2, 2, 2, 2, 2}},
	}
	path := filepath.Join(t.TempDir(), "f.duckdb")
	s, err := data.Open(path, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var vals []data.ForecastValue
	for v, variant := range []string{"owned-trn2", "rented-p5en"} {
		for metric, totals := range lines {
			for sample := range n {
				for q := 1; q <= 2; q++ {
					vals = append(vals, data.ForecastValue{Variant: variant, Sample: sample, Period: q, Metric: metric, Unit: "USD",
						Value: totals[v][sample] / 2})
				}
			}
		}
	}
	if _, err := s.SaveForecast(context.Background(), data.ForecastInfo{Name: "plan", PeriodLength: "quarter", Periods: 2, Samples: n}, vals, nil); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestCompareForecastPairedBands: within one forecast, compare --forecast
// shows each variant's change against the first sample by sample, its
// P10, P50 and P90 (quantile_cont over the samples' differences, by hand
// above) and the share of the samples in which the variant is better
// (higher margins, lower costs), with a sentence on the operating margin;
// the table stays within 100 columns, and csv and json carry all of it.
// It printed the paired median alone, no spread and no share.
func TestCompareForecastPairedBands(t *testing.T) {
	t.Parallel()
	db := pairedFixture(t, 5)
	code, out, errs := cli(t, db, "", "compare", "--forecast", "last")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{
		`(?m)^rented-p5en minus owned-trn2 in the same sample, over 5 samples that share their draws:$`,
		`(?m)^CHANGE OVER THE HORIZON \(USD\) +P10 +P50 +P90 +BETTER IN$`,
		`(?m)^operating_margin_usd +-\$16\.00 +\+\$10\.00 +\+\$26\.00 +60%$`,
		`(?m)^cost_usd +-\$3\.80 +\+\$0\.0010 +\+\$20\.00 +40%, 20% equal$`,
		`(?m)^rented-p5en beats owned-trn2 on operating_margin_usd in 3 of 5 samples \(60%\)\.$`,
		`(?m)^revenue_unfinished_counted_usd +\+\$1\.00 +\+\$1\.00 +\+\$1\.00 +-$`,
		`lower costs, reserved_idle_usd,\s+reserved_repriced_usd\s+and\s+the\s+sessions' revenue lost to latency and left unfinished;\s+"-"\s+on\s+\*_unfinished_counted_usd`,
	} {
		if !regexp.MustCompile(want).MatchString(out) {
			t.Errorf("the table lacks %s:\n%s", want, out)
		}
	}
	for _, line := range strings.Split(out, "\n") {
		if len(line) > 100 && !strings.Contains(line, ": ") { // a caveat's paragraph wraps in the terminal
			t.Errorf("a line of %d columns: %q", len(line), line)
		}
	}

	_, out, _ = cli(t, db, "", "compare", "--forecast", "last", "--format", "json")
	var cols []forecastColumn
	if err := json.Unmarshal([]byte(out), &cols); err != nil || len(cols) != 2 {
		t.Fatalf("--format json: %v\n%s", err, out)
	}
	got := cols[1].Paired["operating_margin_usd"]
	if cols[1].PairedWith != "owned-trn2" || got.P10 == nil || math.Abs(*got.P10+16) > 1e-9 || got.P50 != 10 || got.P90 == nil ||
		math.Abs(*got.P90-26) > 1e-9 || got.Samples != 5 || got.Better == nil || *got.Better != 3 || got.Equal != 0 ||
		got.BetterShare == nil || *got.BetterShare != 0.6 || cols[0].Paired != nil {
		t.Errorf("--format json: %s, against %q: want p10 -16, p50 10, p90 26, 3 better of 5 (0.6), against owned-trn2", js(got), cols[1].PairedWith)
	}

	_, out, _ = cli(t, db, "", "compare", "--forecast", "last", "--format", "csv")
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	row := map[string]string{}
	for _, rec := range recs[1:] {
		if rec[2] == "rented-p5en" && rec[3] == "cost_usd" {
			for i, h := range recs[0] {
				row[h] = rec[i]
			}
		}
	}
	want := map[string]string{"paired_with": "owned-trn2", "paired_samples": "5", "delta_p10_usd": "-3.8", "delta_p90_usd": "20",
		"samples_better": "2", "samples_worse": "2", "samples_equal": "1"}
	for k, w := range want {
		v, err := strconv.ParseFloat(row[k], 64)
		if row[k] != w && (err != nil || math.Abs(v-mustFloat(w)) > 1e-9) {
			t.Errorf("--format csv: rented-p5en cost_usd %s = %q, want %s\n%s", k, row[k], w, out)
		}
	}
}

// TestCompareForecastOneSample: with one sample the change has no spread
// and no share of samples: the table says so rather than print a band of
// zero width, and json leaves them null.
func TestCompareForecastOneSample(t *testing.T) {
	t.Parallel()
	db := pairedFixture(t, 1)
	_, out, _ := cli(t, db, "", "compare", "--forecast", "last", "--width", "0")
	if !strings.Contains(out, "(one sample: the spread of the change and the share of samples in which a variant is better are unavailable;") ||
		strings.Contains(out, "BETTER IN") || strings.Contains(out, "beats") {
		t.Errorf("one sample:\n%s", out)
	}
	_, out, _ = cli(t, db, "", "compare", "--forecast", "last", "--format", "json")
	var cols []forecastColumn
	if err := json.Unmarshal([]byte(out), &cols); err != nil || len(cols) != 2 {
		t.Fatalf("--format json: %v\n%s", err, out)
	}
	if got := cols[1].Paired["operating_margin_usd"]; got.P10 != nil || got.P90 != nil || got.BetterShare != nil || got.P50 != 10 || got.Samples != 1 {
		t.Errorf("one sample, --format json: %s; want p10, p90 and better_share null, p50 10", js(got))
	}
}

func mustFloat(s string) float64 {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		panic(err)
	}
	return v
}

func js(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
