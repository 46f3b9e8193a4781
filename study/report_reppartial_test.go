package study

import (
	"encoding/csv"
	"encoding/json"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"aiecon/data"
)

// TestMonteCarloReplicationPartialMarked: with replications, a sample's
// value is over its runs, and a KPI defined in some of them alone (a TTFT
// where one replication completed nothing, a KPI that runs stored before
// aiecon reported it lack) rests on those: the MEAN is marked (j partial)
// with j such samples, beside (n=k) where samples lack it altogether, and
// the note under the table says why, as a grid point's (n=k) does. The
// table marked only the samples that define the KPI in no run, so a row
// whose every sample rested on one of its 3 replications read as resting
// on all of them. The JSON gives j as partial_samples, and so does the
// CSV's column of that name on each KPI's distribution row (empty on a
// probability row), before horizon_s and sim_s, which stay last: the CSV
// gave no j at all.
func TestMonteCarloReplicationPartialMarked(t *testing.T) {
	ttft, failed, margin := KPIRef{Name: "ttft_p99_s"}, KPIRef{Name: "sessions_failed"}, KPIRef{Name: "margin_usd"}
	kpis := []KPIRef{ttft, failed, margin}
	const reps = 2
	row := func(smp, rep int, k KPIRef, v float64) data.SweepKPI {
		return data.SweepKPI{RunID: "r" + strconv.Itoa(smp*reps+rep), Point: smp, Replication: rep, Seed: uint64(smp*reps + rep),
			Scope: k.Scope, Name: k.Name, Value: v}
	}
	every := func(smp int) []data.SweepKPI {
		var rows []data.SweepKPI
		for rep := range reps {
			rows = append(rows, row(smp, rep, ttft, 0.5+float64(rep)), row(smp, rep, failed, 2), row(smp, rep, margin, 10))
		}
		return rows
	}
	tests := []struct {
		name    string
		rows    []data.SweepKPI
		means   []string // the MEAN cell of each KPI's line
		partial []int    // each KPI's partial_samples in the JSON
		notes   []string // under the table; none with "partial" where nil
	}{
		{"every replication defines every KPI", append(append(every(0), every(1)...), every(2)...),
			[]string{"1", "2", "10"}, []int{0, 0, 0}, nil},
		{"undefined in a replication, lacking in another", append(append(every(0), every(1)...),
			// sample 2: replication 0 completed nothing (no TTFT) and
			// replication 1 was stored before sessions_failed was.
			row(2, 0, ttft, math.NaN()), row(2, 0, failed, 2), row(2, 0, margin, 10),
			row(2, 1, ttft, 3), row(2, 1, margin, 10)),
			[]string{"1.667 (1 partial)", "2 (1 partial)", "10"}, []int{1, 1, 0},
			[]string{"(j partial) after a MEAN: in j of the row's samples the KPI rests on some of the sample's replications, not all",
				"sessions_failed: runs stored before aiecon reported the KPI lack it, and are left out, not read as 0; " +
					"ttft_p99_s: undefined in the others"}},
		{"a sample without it too", append(every(0),
			row(1, 0, ttft, math.NaN()), row(1, 0, failed, 2), row(1, 0, margin, 10),
			row(1, 1, ttft, 2), row(1, 1, failed, 2), row(1, 1, margin, 10),
			row(2, 0, ttft, math.NaN()), row(2, 0, failed, 2), row(2, 0, margin, 10),
			row(2, 1, ttft, math.NaN()), row(2, 1, failed, 2), row(2, 1, margin, 10)),
			[]string{"1.5 (n=2, 1 partial)", "2", "10"}, []int{1, 0, 0},
			[]string{"(n=k) after a MEAN: the KPI's MEAN to P95 rest on k of the row's SAMPLES, not all",
				"(j partial) after a MEAN", "ttft_p99_s: undefined in the others"}},
	}
	for _, tt := range tests {
		const samples = 3
		p := &Plan{Spec: &Spec{Name: "s", Replications: reps, KPIs: kpis}, Groups: 1, Samples: samples}
		for smp := range samples {
			p.Points = append(p.Points, Point{Index: smp, Sample: smp})
		}
		s := &Summary{KPIs: kpis, Units: make([]string, len(kpis)), Replications: reps}
		values, _, _ := collectRuns(tt.rows, p, s)
		var err error
		s.MonteCarlo, err = monteCarloSpread(p, s, values, func(pt, k int, _ bool) (Interval, error) {
			return pointInterval(kpis[k].Name, values[pt], nil, k), nil
		})
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		if err := s.WriteTable(&b); err != nil {
			t.Fatal(err)
		}
		got := b.String()
		lines := strings.Split(got, "\n")
		for k, want := range tt.means {
			// ROW, SAMPLES, KPI, MEAN, ...
			if cells := regexp.MustCompile(`  +`).Split(lines[1+k], -1); len(cells) < 4 || cells[3] != want {
				t.Errorf("%s: %s's MEAN in %q, want %q:\n%s", tt.name, kpis[k], cells, want, got)
			}
		}
		if tt.notes == nil && strings.Contains(got, "partial") {
			t.Errorf("%s: a partial mark where every replication defines every KPI:\n%s", tt.name, got)
		}
		for _, note := range tt.notes {
			if !strings.Contains(got, note) {
				t.Errorf("%s: want note %q:\n%s", tt.name, note, got)
			}
		}
		checkPartialCSV(t, tt.name, s, tt.partial)
		js, err := json.Marshal(s.JSONView())
		if err != nil {
			t.Fatal(err)
		}
		var view struct {
			MonteCarlo []struct {
				KPIs map[string]struct {
					Partial *int `json:"partial_samples"`
				} `json:"kpis"`
			} `json:"montecarlo"`
		}
		if err := json.Unmarshal(js, &view); err != nil {
			t.Fatal(err)
		}
		for k, want := range tt.partial {
			if len(view.MonteCarlo) != 1 {
				t.Fatalf("%s: %d Monte Carlo rows in the JSON, want 1", tt.name, len(view.MonteCarlo))
			}
			if got := view.MonteCarlo[0].KPIs[kpis[k].String()].Partial; got == nil || *got != want {
				t.Errorf("%s: %s's partial_samples %v, want %d", tt.name, kpis[k], got, want)
			}
		}
	}
}

// checkPartialCSV checks s's Monte Carlo CSV: partial_samples just before
// horizon_s and sim_s, want[k] on KPI k's distribution row, empty on the
// probability rows.
func checkPartialCSV(t *testing.T, name string, s *Summary, want []int) {
	t.Helper()
	var b strings.Builder
	if err := s.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(b.String())).ReadAll()
	if err != nil || len(recs) < 1+len(want) {
		t.Fatalf("%s: CSV (%v) has %d lines, want %d KPI rows:\n%s", name, err, len(recs), len(want), b.String())
	}
	head := recs[0]
	if n := len(head); n < 3 || strings.Join(head[n-3:], ",") != "partial_samples,horizon_s,sim_s" {
		t.Fatalf("%s: CSV header %q does not end in partial_samples,horizon_s,sim_s", name, head)
	}
	col := len(head) - 3
	for _, rec := range recs[1:] {
		switch rec[3] { // statistic
		case "distribution":
			k := slices.IndexFunc(s.KPIs, func(r KPIRef) bool { return r.String() == rec[4] })
			if k < 0 || rec[col] != strconv.Itoa(want[k]) {
				t.Errorf("%s: CSV %s partial_samples %q, want %d", name, rec[4], rec[col], want[k])
			}
		case "probability":
			if rec[col] != "" {
				t.Errorf("%s: CSV probability row %s partial_samples %q, want empty", name, rec[4], rec[col])
			}
		}
	}
}

// TestPartialLegendForPoints: the note a screen of points (the dashboard's
// sweep screen) prints under its (n=k) marks is the one aiecon sweep
// prints under its grid table, with, where the points are a Monte Carlo
// study's samples, what the CLI's rows count as (j partial); none
// without a mark. PartialMark marks a value resting on some runs only.
func TestPartialLegendForPoints(t *testing.T) {
	for _, tt := range []struct {
		name       string
		names      []string
		lacked     []bool
		monteCarlo bool
		want       string
	}{
		{"none", nil, nil, false, ""},
		{"undefined", []string{"ttft_p99_s[chat]"}, []bool{false}, false, "(n=k) after a value: it rests on k of the point's RUNS, not all; " +
			"ttft_p99_s[chat]: undefined in the others (none of what it measures in those runs)"},
		{"lacked and undefined", []string{"a", "b"}, []bool{true, false}, false, "(n=k) after a value: it rests on k of the point's RUNS, not all; " +
			"a: runs stored before aiecon reported the KPI lack it, and are left out, not read as 0; " +
			"b: undefined in the others (none of what it measures in those runs)"},
		{"samples", []string{"b"}, []bool{false}, true, "(n=k) after a value: it rests on k of the point's RUNS, not all; " +
			"a point is a Monte Carlo sample, and aiecon sweep marks a row's MEAN (j partial) for j samples marked so; " +
			"b: undefined in the others (none of what it measures in those runs)"},
	} {
		if got := PartialLegend(tt.names, tt.lacked, tt.monteCarlo); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
	for _, tt := range []struct {
		n, runs int
		want    string
	}{{2, 3, " (n=2)"}, {3, 3, ""}, {0, 3, ""}} {
		if got := PartialMark(tt.n, tt.runs); got != tt.want || Partial(tt.n, tt.runs) != (tt.want != "") {
			t.Errorf("PartialMark(%d, %d) = %q, Partial %v; want %q", tt.n, tt.runs, got, Partial(tt.n, tt.runs), tt.want)
		}
	}
}
