package forecast

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	kpicat "aiecon/model/kpi"
	"aiecon/runner"
	"aiecon/study"
)

// seasonal is small over count quarters with the guarantee's true-up and
// first period set (%[1]s, %[2]s are the contract's extra fields).
func seasonal(count int, extra string) string {
	src := strings.Replace(small, "periods: {count: 2, length: quarter}", fmt.Sprintf("periods: {count: %d, length: quarter}", count), 1)
	return strings.Replace(src, "annual_usd: 1e6}", "annual_usd: 1e6"+extra+"}", 1)
}

// seasonalRuns are one rented run a quarter whose per-document fees,
// scaled to the quarter, are fees[k-1] (USD).
func seasonalRuns(f *Forecast, fees []float64) []RunResult {
	var runs []RunResult
	for i, usd := range fees {
		sim := usd / f.Scale()
		runs = append(runs, RunResult{Job: Job{Variant: 1, Period: i + 1}, SimHours: 0.05,
			KPIs: map[string]float64{kpicat.CostLicensingUSD: sim}, Licensing: map[string]float64{"shopping-assistant": sim}})
	}
	return runs
}

// TestGuaranteeTrueUp: a minimum guarantee of $1M a year over a seasonal
// workload whose per-document fees are $100k, $200k, $300k and $500k in
// its four quarters, then $100k and $300k. Public guarantees are stated
// per year (OpenAI-Dotdash Meredith's, about $16M a year), and trued up
// every quarter the low quarters paid $250k each, their shortfall never
// offset by the high ones: the default, annual, books each contract
// year's shortfall in the quarter that closes it, and a forecast that ends
// inside a year settles the part it covers against the guarantee
// pro-rated to it. The flat archive fee is $10k a quarter from quarter 2.
func TestGuaranteeTrueUp(t *testing.T) {
	fees := []float64{100e3, 200e3, 300e3, 500e3, 100e3, 300e3}
	for _, tt := range []struct {
		name, extra string
		periods     int // --periods; 0: all 6
		want        []float64
	}{
		// Year 1's $1.1M of fees reach the $1M: nothing is owed. Year 2's
		// two quarters owe half of it, $500k: $400k of fees, $100k booked
		// in quarter 6.
		{"annual by default", "", 0, []float64{100e3, 210e3, 310e3, 510e3, 110e3, 410e3}},
		{"annual", ", true_up: annual", 0, []float64{100e3, 210e3, 310e3, 510e3, 110e3, 410e3}},
		// Every quarter pays at least $250k: 150k + 50k in year 1, 150k in
		// quarter 5.
		{"every period", ", true_up: period", 0, []float64{250e3, 260e3, 310e3, 510e3, 260e3, 310e3}},
		// Cut at quarter 5, the forecast holds a quarter of year 2: it owes
		// $250k, $100k of fees, and books the $150k in quarter 5.
		{"partial year", "", 5, []float64{100e3, 210e3, 310e3, 510e3, 260e3}},
		// The contract years count from the contract's first quarter, 3:
		// quarters 3 to 6 accrue $1.2M, nothing owed (counted from quarter
		// 1, quarters 5 and 6 would owe $100k).
		{"from quarter 3", ", from: 3", 0, []float64{100e3, 210e3, 310e3, 510e3, 110e3, 310e3}},
	} {
		f := parse(t, seasonal(6, tt.extra))
		if err := f.Truncate(tt.periods); err != nil {
			t.Fatal(err)
		}
		periods := Aggregate(f, seasonalRuns(f, fees[:f.Spec.Periods.Count]))
		var sum, wantSum float64
		for i, p := range periods {
			sum += p.CostLicensingUSD
			wantSum += tt.want[i]
			if !near(p.CostLicensingUSD, tt.want[i]) || !near(p.CostUSD-p.CostLicensingUSD, periods[0].CostUSD-periods[0].CostLicensingUSD) {
				t.Errorf("%s: quarter %d: licensing $%.0f (cost $%.0f), want $%.0f", tt.name, p.Period, p.CostLicensingUSD, p.CostUSD, tt.want[i])
			}
		}
		if len(periods) != len(tt.want) || !near(sum, wantSum) {
			t.Errorf("%s: %d quarters, licensing $%.0f, want %d and $%.0f", tt.name, len(periods), sum, len(tt.want), wantSum)
		}
	}
}

// TestTrueUpRefusedAtItsLine: a true-up that is none, or on a contract
// with no minimum, is refused at its field.
func TestTrueUpRefusedAtItsLine(t *testing.T) {
	for _, tt := range []struct{ name, src, want string }{
		{"unknown", seasonal(2, ", true_up: yearly"),
			`test.yaml:10:125: licensing[0].true_up: "yearly": want annual (the shortfall below the guarantee settled once a contract year, the default) or period (every quarter)`},
		{"empty", seasonal(2, `, true_up: ""`), `licensing[0].true_up: "": want annual`},
		{"a number", seasonal(2, ", true_up: 12"), `licensing[0].true_up: "12": want annual`},
		{"on a flat fee", strings.Replace(small, "annual_usd: 40000, from: 2}", "annual_usd: 40000, from: 2, true_up: annual}", 1),
			`test.yaml:11:70: licensing[1].true_up: "annual": a flat contract has no minimum to true up; true_up is a minimum-guarantee's`},
	} {
		_, err := Parse("test.yaml", []byte(tt.src), "")
		var ie *runner.InputError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want an input error with %q", tt.name, err, tt.want)
		}
	}
}

// TestAnnualTrueUpShardsByContractYear: a shard takes whole the periods a
// true-up adds up, since the period that closes a contract year books a
// top-up on all their fees; without an annual true-up, each period is its
// own group.
func TestAnnualTrueUpShardsByContractYear(t *testing.T) {
	for _, tt := range []struct {
		name   string
		src    string
		groups int
	}{
		{"annual over 6 quarters: years 1-4 and 5-6", seasonal(6, ""), 2 * 2},
		{"annual from quarter 3: 1, 2 and 3-6", seasonal(6, ", from: 3"), 2 * 3},
		{"every period", seasonal(6, ", true_up: period"), 2 * 6},
	} {
		f := parse(t, tt.src)
		if n := f.Groups(); n != tt.groups {
			t.Errorf("%s: %d groups, want %d", tt.name, n, tt.groups)
		}
		shardOf := map[[2]int]int{} // (variant, period) -> the shard that runs it
		for i := range 3 {
			for _, j := range f.ShardJobs(study.ShardSpec{Index: i, Count: 3}) {
				shardOf[[2]int{j.Variant, j.Period}] = i
			}
		}
		for v := range f.Variants {
			for _, sp := range f.trueUpSpans(f.Spec.Licensing[0]) {
				for k := sp.From; k <= sp.To; k++ {
					if a, b := shardOf[[2]int{v, k}], shardOf[[2]int{v, sp.To}]; a != b {
						t.Errorf("%s: variant %d's quarter %d runs in shard %d/3, the quarter %d that trues it up in %d/3", tt.name, v, k, a, sp.To, b)
					}
				}
			}
		}
	}
}

// TestTrueUpLine: the report says how each guarantee was trued up, in the
// text and in --json, and the dashboard reads the same words back from the
// stored report.
func TestTrueUpLine(t *testing.T) {
	for _, tt := range []struct{ name, src, want string }{
		{"annual, a partial year", seasonal(6, ""),
			"TRUE-UP (minimum guarantees, in LICENSE): guarantee (shopping-assistant's minimum of $1M a year) trued up annually from quarter 1: " +
				"each contract year's shortfall below it is booked in the quarter that closes the year (4; 6 pro-rated), the quarters before show the per-document " +
				"fees alone; the forecast ends 2 quarters into a contract year, settled in quarter 6 against the guarantee pro-rated to them ($500k)"},
		{"every period", seasonal(2, ", true_up: period"),
			"TRUE-UP (minimum guarantees, in LICENSE): guarantee (shopping-assistant's minimum of $1M a year) trued up every quarter (true_up: period): " +
				"each quarter from quarter 1 pays at least $250k"},
	} {
		f := parse(t, tt.src)
		r := NewReport(f, nil, 0)
		var text strings.Builder
		if err := r.WriteText(&text); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(text.String(), tt.want+"\n") {
			t.Errorf("%s: the text has no line\n%s\n%s", tt.name, tt.want, text.String())
		}
		js, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		if got := StoredTrueUps(string(js)); "TRUE-UP (minimum guarantees, in LICENSE): "+got != tt.want {
			t.Errorf("%s: stored, the dashboard reads %q", tt.name, got)
		}
	}
	// A guarantee from quarter 3 of a forecast cut at quarter 2 is never
	// in force: the report names no true-up for it.
	f := parse(t, seasonal(6, ", from: 3"))
	if err := f.Truncate(2); err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	if err := NewReport(f, nil, 0).WriteText(&text); err != nil || strings.Contains(text.String(), "TRUE-UP") {
		t.Errorf("a guarantee never in force: %v, a TRUE-UP line in\n%s", err, text.String())
	}
	if got := StoredTrueUps(`{"name": "old"}`); got != "" {
		t.Errorf("a report stored before the true-up was kept: %q, want none", got)
	}
}
