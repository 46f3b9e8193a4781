package study

import (
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"aiecon/data"
)

// cellStarts returns the rune offsets at which a table line's cells start
// (cells are separated by two or more spaces; a cell may hold single ones).
func cellStarts(line string) []int {
	starts := []int{0}
	for _, m := range regexp.MustCompile(`  +`).FindAllStringIndex(line, -1) {
		starts = append(starts, utf8.RuneCountInString(line[:m[1]]))
	}
	return starts
}

// TestMonteCarloTableAligned: every line's cells start where the header's
// do, across grid rows whose numbers differ in width and past the shorter
// threshold lines, and no line ends in padding.
func TestMonteCarloTableAligned(t *testing.T) {
	margin, slo := KPIRef{Name: "margin_usd"}, KPIRef{Name: "slo_attainment", Scope: "chat"}
	group := func(g int, count string, scale float64) GroupSpread {
		return GroupSpread{
			Group: g, Params: []Param{{Path: "fleet.count", Value: Value{YAML: count}}}, Samples: 40,
			KPIs: []Spread{
				{N: 40, Mean: -3.316 * scale, SD: 39.16 * scale, P5: -76.35 * scale, P50: -0.1462, P95: 49.98 * scale},
				{N: 40, Mean: 0.9703, SD: 0.0005569 * scale, P5: 0.8926, P50: 0.9838, P95: math.NaN()},
			},
			Probabilities: []float64{0.5, 0.625}, ProbabilityN: []int{40, 40},
		}
	}
	s := &Summary{
		KPIs:       []KPIRef{margin, slo},
		Units:      []string{"USD", "fraction"},
		MonteCarlo: []GroupSpread{group(0, "4", 1), group(1, "16", 1000)},
		Thresholds: []Threshold{{KPI: margin, Op: "<", Value: 0}, {KPI: slo, Op: "<", Value: 0.99}},
	}
	var b strings.Builder
	if err := s.WriteTable(&b); err != nil {
		t.Fatal(err)
	}
	table, note, _ := strings.Cut(b.String(), "\n\n")
	if !strings.Contains(note, "P5 and P95 rest on 40 Monte Carlo samples per row") || strings.Contains(note, "interpolated") ||
		!strings.Contains(b.String(), "50.0% [35.2%, 64.8%]") {
		t.Errorf("the samples note or the probability's interval is missing:\n%s", b.String())
	}
	lines := strings.Split(table, "\n")
	if len(lines) != 1+2*4 {
		t.Fatalf("%d lines, want 9:\n%s", len(lines), b.String())
	}
	head := cellStarts(lines[0])
	if len(head) != 9 {
		t.Fatalf("header has %d cells, want 9: %q", len(head), lines[0])
	}
	for i, l := range lines {
		if strings.HasSuffix(l, " ") {
			t.Errorf("line %d ends in spaces: %q", i, l)
		}
		got := cellStarts(l)
		if len(got) > len(head) || !slices.Equal(got, head[:len(got)]) {
			t.Errorf("line %d cells start at %v, header's at %v:\n%s", i, got, head, b.String())
		}
	}
}

// TestCSVNamesPooledKPIs: a script reading the CSV can tell a KPI pooled as
// the runs' totals' ratio from one averaged over them, in a grid's column
// names and in a Monte Carlo row's replications column.
func TestCSVNamesPooledKPIs(t *testing.T) {
	margin, revenue := KPIRef{Name: "gross_margin"}, KPIRef{Name: "revenue_usd"}
	grid := &Summary{
		KPIs:   []KPIRef{margin, revenue},
		Units:  []string{"fraction", "USD"},
		Points: []PointStats{{KPIs: []Interval{{N: 2, Mean: 0.5, HalfWidth: 0.1}, {N: 2, Mean: 10, HalfWidth: 1}}}},
	}
	var b strings.Builder
	if err := grid.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	head, _, _ := strings.Cut(b.String(), "\n")
	if want := "point,params_json,runs,gross_margin_pooled,gross_margin_ci95_low,gross_margin_ci95_high,gross_margin_n,revenue_usd_mean,"; !strings.HasPrefix(head, want) {
		t.Errorf("grid header %q, want it to start %q", head, want)
	}
	mc := &Summary{
		KPIs:       []KPIRef{margin, revenue},
		Units:      []string{"fraction", "USD"},
		MonteCarlo: []GroupSpread{{Samples: 3, KPIs: []Spread{{N: 3, Mean: 0.5}, {N: 3, Mean: 10}}, HorizonS: 600, SimS: 600}},
	}
	b.Reset()
	if err := mc.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	// replications, then partial_samples, before horizon_s and sim_s,
	// which come last.
	if len(lines) != 3 || !strings.HasSuffix(lines[0], ",probability,probability_ci95_low,probability_ci95_high,replications,partial_samples,horizon_s,sim_s") ||
		!strings.HasSuffix(lines[1], ",pooled,0,600,600") || !strings.HasSuffix(lines[2], ",mean,0,600,600") {
		t.Errorf("Monte Carlo CSV does not say how a sample combines its replications:\n%s", b.String())
	}
}

// TestMonteCarloSamplesNote: with few samples the table says its P5 and
// P95 are interpolations between the extreme samples.
func TestMonteCarloSamplesNote(t *testing.T) {
	k := KPIRef{Name: "margin_usd"}
	s := &Summary{KPIs: []KPIRef{k}, Units: []string{"USD"}, Thresholds: []Threshold{{KPI: k, Op: "<", Value: 0}},
		MonteCarlo: []GroupSpread{{Samples: 6, KPIs: []Spread{{N: 6}}, Probabilities: []float64{0}, ProbabilityN: []int{6}}}}
	var b strings.Builder
	if err := s.WriteTable(&b); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); !strings.Contains(got, "rest on 6 Monte Carlo samples per row; with so few they are interpolated") ||
		!strings.Contains(got, "0.0% [0.0%, 39.0%]") {
		t.Errorf("six samples:\n%s", got)
	}
}

// TestProbabilityOverDefinedSamples: a threshold's probability and its
// interval rest on the samples that define its KPI; the interval was taken
// over every sample of the row (0 of 2 defined, of 10, printed [0%, 27.8%]
// where 0 of 2 gives [0%, 65.8%]).
func TestProbabilityOverDefinedSamples(t *testing.T) {
	k := KPIRef{Name: "slo_attainment", Scope: "shopping-assistant"}
	s := &Summary{KPIs: []KPIRef{k}, Units: []string{"fraction"}, Thresholds: []Threshold{{KPI: k, Op: "<", Value: 0.99}},
		MonteCarlo: []GroupSpread{{Samples: 10, KPIs: []Spread{{N: 2}}, Probabilities: []float64{0}, ProbabilityN: []int{2}}}}
	var b strings.Builder
	if err := s.WriteTable(&b); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); !strings.Contains(got, "0.0% [0.0%, 65.8%]") || !regexp.MustCompile(`\n0\s+2\s+P\(`).MatchString(got) {
		t.Errorf("a probability over 2 defined samples of 10:\n%s", got)
	}
	b.Reset()
	if err := s.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), ",probability,slo_attainment[shopping-assistant] < 0.99,fraction,2,") {
		t.Errorf("the CSV's probability row does not give its 2 samples in n:\n%s", b.String())
	}
}

// TestProbabilityIntervalInEveryFormat: a threshold's 95% Wilson interval
// is in the CSV and the JSON as in the table; only the table gave it
// (P(margin_usd < 0) 42.9% [15.8%, 75.0%] over 7 samples).
func TestProbabilityIntervalInEveryFormat(t *testing.T) {
	k := KPIRef{Name: "margin_usd"}
	s := &Summary{KPIs: []KPIRef{k}, Units: []string{"USD"}, Thresholds: []Threshold{{KPI: k, Op: "<", Value: 0}},
		MonteCarlo: []GroupSpread{{Samples: 7, KPIs: []Spread{{N: 7}}, Probabilities: []float64{3.0 / 7}, ProbabilityN: []int{7}}}}
	var b strings.Builder
	if err := s.WriteTable(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "42.9% [15.8%, 75.0%]") {
		t.Errorf("table:\n%s", b.String())
	}
	b.Reset()
	if err := s.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	row := map[string]string{}
	head, probs := strings.Split(lines[0], ","), strings.Split(lines[len(lines)-1], ",")
	for i := range min(len(head), len(probs)) {
		row[head[i]] = probs[i]
	}
	near := func(got string, want float64) bool {
		v, err := strconv.ParseFloat(got, 64)
		return err == nil && math.Abs(v-want) < 5e-4
	}
	if !near(row["probability_ci95_low"], 0.158) || !near(row["probability_ci95_high"], 0.750) {
		t.Errorf("CSV probability row %v, want ci95 0.158 to 0.750:\n%s", row, b.String())
	}
	mc := s.JSONView().(map[string]any)["montecarlo"].([]any)[0].(map[string]any)
	los, _ := mc["probability_ci_low"].(map[string]any)
	his, _ := mc["probability_ci_high"].(map[string]any)
	lo, _ := los["margin_usd < 0"].(float64)
	hi, _ := his["margin_usd < 0"].(float64)
	if math.Abs(lo-0.158) > 5e-4 || math.Abs(hi-0.750) > 5e-4 {
		t.Errorf("JSON interval [%v, %v], want [0.158, 0.750]", lo, hi)
	}
}

// TestBlankParamColumnsLeftOut: a parameter no point gives a value (the
// optimizer's scheduler "" and buckets [] off their family) prints no
// column; one that some point sets keeps its column, blank cells included.
func TestBlankParamColumnsLeftOut(t *testing.T) {
	v := func(s string) Value { return Value{YAML: s} }
	point := func(i int, buckets string) PointStats {
		return PointStats{Point: Point{Index: i, Params: []Param{{"fleet.instance", v("trn2.48xlarge")},
			{"fleet.replica.scheduler", v(`""`)}, {"fleet.replica.per_instance", v("null")},
			{"fleet.replica.context_buckets", v(buckets)}}}, Runs: 1, KPIs: []Interval{{N: 1, Mean: 2}}}
	}
	s := &Summary{KPIs: []KPIRef{{Name: "margin_usd"}}, Units: []string{"USD"}, Points: []PointStats{point(0, "[]"), point(1, "[]")}}
	var b strings.Builder
	if err := s.WriteTable(&b); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); !strings.HasPrefix(got, "POINT  fleet.instance  RUNS") || strings.Contains(got, `""`) || strings.Contains(got, "[]") {
		t.Errorf("blank columns printed:\n%s", got)
	}
	s.Points[1] = point(1, "[1024, 2048]")
	b.Reset()
	if err := s.WriteTable(&b); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); !strings.Contains(got, "fleet.replica.context_buckets") || !strings.Contains(got, "[1024, 2048]") ||
		strings.Contains(got, "fleet.replica.scheduler") {
		t.Errorf("a column some point sets:\n%s", got)
	}
}

// TestPartialValuesMarked: a value that rests on fewer runs than its
// point's RUNS says so in the table, and the note under it says why. A
// sweep resumed on an older store pooled session_fail_rate and
// sessions_failed over the one new run while RUNS said 3 and nothing
// marked them; the CSV and the JSON gave n=1.
func TestPartialValuesMarked(t *testing.T) {
	// training_achieved_hours is undefined in a run that finished no
	// retrain, and averaged, not pooled. (This test named
	// cost_per_session_usd before it was a KPI; it is now a ratio a sweep
	// pools.)
	failed, achieved, margin := KPIRef{Name: "sessions_failed"}, KPIRef{Name: "training_achieved_hours"}, KPIRef{Name: "margin_usd"}
	kpis := []KPIRef{failed, achieved, margin}
	row := func(rep int, k KPIRef, v float64) data.SweepKPI {
		return data.SweepKPI{RunID: "r" + strconv.Itoa(rep), Replication: rep, Seed: uint64(rep), Scope: k.Scope, Name: k.Name, Value: v}
	}
	tests := []struct {
		name  string
		rows  []data.SweepKPI
		cells []string // the point's KPI cells
		note  string   // "" where no note is due
	}{
		{"every run has every KPI", []data.SweepKPI{
			row(0, failed, 9), row(0, achieved, 0.5), row(0, margin, 10),
			row(1, failed, 7), row(1, achieved, 0.4), row(1, margin, 12)},
			[]string{"8 [0, 20.71]", "0.45 [0, 1.085]", "11 ± 12.71"}, ""},
		{"stored before a KPI, undefined in a run", []data.SweepKPI{
			row(0, failed, 9), row(0, achieved, 0.5), row(0, margin, 10),
			row(1, achieved, math.NaN()), row(1, margin, 12),
			row(2, achieved, 0.4), row(2, margin, 14)},
			[]string{"9 (n=1)", "0.45 [0, 1.085] (n=2)", "12 ± 4.968"},
			"(n=k) after a value: it rests on k of the point's RUNS, not all; sessions_failed: runs stored before aiecon reported " +
				"the KPI lack it, and are left out, not read as 0; training_achieved_hours: undefined in the others"},
	}
	for _, tt := range tests {
		p := &Plan{Spec: &Spec{Name: "s", Replications: 3, KPIs: kpis}, Points: []Point{{Index: 0}}}
		s := &Summary{KPIs: kpis, Units: make([]string, len(kpis))}
		values, _, _ := collectRuns(tt.rows, p, s)
		ps := PointStats{Point: p.Points[0], KPIs: make([]Interval, len(kpis))}
		for k := range kpis {
			ps.KPIs[k] = pointInterval(kpis[k].Name, values[0], nil, k)
		}
		for _, rv := range values[0] {
			if rv != nil {
				ps.Runs++
			}
		}
		s.Points = []PointStats{ps}
		var b strings.Builder
		if err := s.WriteTable(&b); err != nil {
			t.Fatal(err)
		}
		got := b.String()
		lines := strings.Split(got, "\n")
		if cells := regexp.MustCompile(`  +`).Split(lines[1], -1); !slices.Equal(cells[len(cells)-len(kpis):], tt.cells) {
			t.Errorf("%s: cells %q, want %q:\n%s", tt.name, cells, tt.cells, got)
		}
		if tt.note == "" && strings.Contains(got, "(n=") || tt.note != "" && !strings.Contains(got, tt.note) {
			t.Errorf("%s: want note %q:\n%s", tt.name, tt.note, got)
		}
	}
}

// TestMonteCarloPartialMarked: a Monte Carlo row's KPI that rests on fewer
// samples than its SAMPLES (undefined in some: a session KPI where no
// session ended, a TTFT where nothing completed; or lacking in runs stored
// before aiecon reported it) is marked (n=k) after its MEAN, as a grid's
// value is, and the note under the table says why. The table printed
// SAMPLES 6 beside a TTFT P95 that rested on 2, and only the CSV and the
// JSON gave n.
func TestMonteCarloPartialMarked(t *testing.T) {
	// As in TestPartialValuesMarked, a KPI a run can leave undefined.
	failed, achieved, margin := KPIRef{Name: "sessions_failed"}, KPIRef{Name: "training_achieved_hours"}, KPIRef{Name: "margin_usd"}
	kpis := []KPIRef{failed, achieved, margin}
	row := func(smp int, k KPIRef, v float64) data.SweepKPI {
		return data.SweepKPI{RunID: "r" + strconv.Itoa(smp), Point: smp, Seed: uint64(smp), Scope: k.Scope, Name: k.Name, Value: v}
	}
	tests := []struct {
		name  string
		rows  []data.SweepKPI
		means []string // the MEAN cell of each KPI's line
		notes []string // under the table; none with "(n=" where nil
	}{
		{"every sample defines every KPI", []data.SweepKPI{
			row(0, failed, 1), row(0, achieved, 0.5), row(0, margin, 10),
			row(1, failed, 3), row(1, achieved, 0.7), row(1, margin, 12)},
			[]string{"2", "0.6", "11"}, nil},
		{"stored before a KPI, undefined in a sample", []data.SweepKPI{
			row(0, achieved, 0.5), row(0, margin, 10),
			row(1, achieved, math.NaN()), row(1, margin, 12),
			row(2, failed, 2), row(2, achieved, 0.7), row(2, margin, 14)},
			[]string{"2 (n=1)", "0.6 (n=2)", "12"},
			[]string{"P5 and P95 rest on 3 Monte Carlo samples per row, k where the MEAN says (n=k);",
				"(n=k) after a MEAN: the KPI's MEAN to P95 rest on k of the row's SAMPLES, not all",
				"sessions_failed: runs stored before aiecon reported the KPI lack it, and are left out, not read as 0; " +
					"training_achieved_hours: undefined in the others"}},
	}
	for _, tt := range tests {
		const samples = 3
		p := &Plan{Spec: &Spec{Name: "s", Replications: 1, KPIs: kpis}, Groups: 1, Samples: samples}
		for smp := range samples {
			p.Points = append(p.Points, Point{Index: smp, Sample: smp})
		}
		s := &Summary{KPIs: kpis, Units: make([]string, len(kpis))}
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
		if tt.notes == nil && strings.Contains(got, "(n=") {
			t.Errorf("%s: an (n=k) where every sample defines every KPI:\n%s", tt.name, got)
		}
		for _, note := range tt.notes {
			if !strings.Contains(got, note) {
				t.Errorf("%s: want note %q:\n%s", tt.name, note, got)
			}
		}
	}
}

// TestTableAttainmentOffTheTarget: a sweep cell's SLO attainment, its
// interval's ends and a Monte Carlo row's quantiles never print as the
// default target 0.99 when they are not it (Sig4 printed 0.98996 as 0.99,
// a miss that read as met); other KPIs keep four significant digits.
func TestTableAttainmentOffTheTarget(t *testing.T) {
	slo, cost := KPIRef{Name: "slo_attainment", Scope: "chat"}, KPIRef{Name: "cost_per_mtok_usd"}
	grid := &Summary{KPIs: []KPIRef{slo, cost}, Units: []string{"fraction", "USD/Mtok"}, Points: []PointStats{{
		Point: Point{Params: []Param{{Path: "fleet.count", Value: Value{YAML: "12"}}}}, Runs: 2,
		KPIs: []Interval{{N: 2, Mean: 0.98996, Lo: 0.98, Hi: 0.990001, Bounded: true, HalfWidth: 0.01}, {N: 2, Mean: 0.98996, HalfWidth: 0.1}},
	}}}
	mc := &Summary{KPIs: []KPIRef{slo}, Units: []string{"fraction"}, MonteCarlo: []GroupSpread{{
		Group: 0, Params: []Param{{Path: "fleet.count", Value: Value{YAML: "12"}}}, Samples: 40,
		KPIs: []Spread{{N: 40, Mean: 0.98996, SD: 0.001, P5: 0.97, P50: 0.989999, P95: 0.99}},
	}}}
	tests := []struct {
		name string
		s    *Summary
		want []string
	}{
		{"grid", grid, []string{"0.98996 [0.98, 0.990001]", "0.99 ± 0.1"}},
		{"Monte Carlo", mc, []string{"0.98996", "0.989999", "0.99\n"}},
	}
	for _, tt := range tests {
		var b strings.Builder
		if err := tt.s.WriteTable(&b); err != nil {
			t.Fatal(err)
		}
		for _, w := range tt.want {
			if !strings.Contains(b.String(), w) {
				t.Errorf("%s: table lacks %q:\n%s", tt.name, w, b.String())
			}
		}
	}
}
