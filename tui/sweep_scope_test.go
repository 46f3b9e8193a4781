package tui

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"aiecon/data"
	"aiecon/study"
)

// TestSweepOverloadNotRanked: a point whose runs aiecon run's overload
// check flags shows aiecon sweep's OVERLOADED k/n, and its heatmap cell,
// the cheapest per Mtok because its fleet fell behind, is marked ! and
// ranked nowhere, not shaded best (review87 B4).
func TestSweepOverloadNotRanked(t *testing.T) {
	s := newSweepScreen(testShared(), "sw")
	s.resize(120, 30)
	var pts []data.SweepPoint
	for i, cost := range []float64{3.33, 4.34, 5.5} {
		var runs []data.RunSummary
		for r := range 4 {
			runs = append(runs, data.RunSummary{ID: fmt.Sprintf("p%dr%d", i, r), Status: data.StatusComplete, Replication: r, CostPerMTokUSD: cost})
		}
		pts = append(pts, data.SweepPoint{Point: i, ParamsJSON: fmt.Sprintf(`{"fleet.count": %d}`, i+1), Runs: runs})
	}
	s.update(sweepsLoadedMsg{addr: addr{s.sid}, sweeps: []data.Sweep{{ID: "sw", Name: "grid", Points: 3, Replications: 4}},
		points: pts, overloaded: map[int]int{0: 4}})
	hm := ansi.Strip(s.heatmap(120))
	for _, want := range []string{"! $3.33", "█ $4.34", "░ $5.50", "! OVERLOADED"} {
		if !strings.Contains(hm, want) {
			t.Errorf("heatmap lacks %q:\n%s", want, hm)
		}
	}
	v := ansi.Strip(s.view(120, 30))
	if !strings.Contains(v, "OVERLOADED") || !strings.Contains(v, "4/4") || !strings.Contains(v, "3 points (1 OVERLOADED)") {
		t.Errorf("the table does not mark point 0 OVERLOADED 4/4:\n%s", v)
	}
	// Unchecked, the screen says so rather than showing no mark.
	s.update(sweepsLoadedMsg{addr: addr{s.sid}, sweeps: []data.Sweep{{ID: "sw", Name: "grid", Points: 3, Replications: 4}},
		points: pts, overloadErr: errNoOverloadCheck})
	if v := ansi.Strip(s.view(200, 30)); !strings.Contains(v, "not checked for overload") || strings.Contains(v, "OVERLOADED") {
		t.Errorf("an unchecked sweep reads as checked:\n%s", v)
	}
}

// TestSweepHeatmapSlices: where the sweep varies a parameter on neither
// axis, a cell says it is the mean of how many points over which
// parameters, and s pins that parameter to one value at a time, whose
// cells are the points' own figures (review87 B5).
func TestSweepHeatmapSlices(t *testing.T) {
	s := newSweepScreen(testShared(), "sw")
	s.resize(120, 30)
	var pts []data.SweepPoint
	for i, cost := range []float64{1, 3, 2, 6} { // count 1..2 x seqs 128, 256 at one instance type
		r := data.RunSummary{ID: fmt.Sprint("r", i), Status: data.StatusComplete, CostPerMTokUSD: cost}
		pts = append(pts, data.SweepPoint{Point: i, Runs: []data.RunSummary{r},
			ParamsJSON: fmt.Sprintf(`{"fleet.instance": "p5", "fleet.replica.tp": 8, "fleet.count": %d, "fleet.replica.max_num_seqs": %d}`, 1+i/2, 128<<(i%2))})
	}
	s.update(sweepsLoadedMsg{addr: addr{s.sid}, sweeps: []data.Sweep{{ID: "sw", Name: "grid", Points: 4, Replications: 1}}, points: pts})
	hm := ansi.Strip(s.heatmap(120))
	if !strings.Contains(hm, "a cell: mean of 4 points over count, max_num_seqs") || !strings.Contains(hm, "$3.00") {
		t.Errorf("the heatmap does not say its cell is a mean of 4 points:\n%s", hm)
	}
	for i, want := range []string{"at count 1, max_num_seqs 128 (1 of 4)", "at count 1, max_num_seqs 256 (2 of 4)",
		"at count 2, max_num_seqs 128 (3 of 4)", "at count 2, max_num_seqs 256 (4 of 4)", "a cell: mean of 4 points"} {
		s.update(keyMsg("s"))
		hm := ansi.Strip(s.heatmap(120))
		cost := []string{"$1.00", "$3.00", "$2.00", "$6.00", "$3.00"}[i]
		if !strings.Contains(hm, want) || !strings.Contains(hm, cost) {
			t.Errorf("after %d s: heatmap lacks %q or %s:\n%s", i+1, want, cost, hm)
		}
	}
	if s.heatHeight() != strings.Count(s.heatmap(s.w), "\n")+1 {
		t.Errorf("heatHeight %d does not count the heatmap's lines", s.heatHeight())
	}
}

// TestSweepScopeAsCLI: the SLO and TTFT P99 columns open on the scope
// aiecon sweep shows (its specification's slo_attainment[chat]; the
// worst workload where it names several, as optimize ranks), pooled as
// it pools them, name their scope, and w cycles the whole run, each
// workload and the worst (review87 B6).
func TestSweepScopeAsCLI(t *testing.T) {
	kpis := runKPIs{
		"a": {"slo_attainment": 0.9, "slo_requests": 400, "slo_attainment[chat]": 0.5, "slo_requests[chat]": 100,
			"slo_attainment[shop]": 0.95, "slo_requests[shop]": 100, "ttft_p99_s[chat]": 10, "ttft_p99_s[shop]": 1},
		"b": {"slo_attainment": 0.9, "slo_requests": 400, "slo_attainment[chat]": 1, "slo_requests[chat]": 300,
			"slo_attainment[shop]": 0.99, "slo_requests[shop]": 100, "ttft_p99_s[chat]": 20, "ttft_p99_s[shop]": 3},
	}
	runs := []data.RunSummary{{ID: "a", Status: data.StatusComplete, SLOAttainment: 0.9, TTFTP99S: 5},
		{ID: "b", Status: data.StatusComplete, Replication: 1, SLOAttainment: 0.9, TTFTP99S: 7}}
	pts := []data.SweepPoint{{Point: 0, ParamsJSON: `{"n": 1}`, Runs: runs}}
	for _, tc := range []struct {
		name  string
		refs  []study.KPIRef
		cycle []string // the SLO column's title and value, then after each w
	}{
		{"one workload named", []study.KPIRef{{Name: "slo_attainment", Scope: "chat"}},
			[]string{"SLO CHAT 87.5% 15.0 s", "SLO SHOP 97.0% 2.00 s", "SLO WORST 87.5% 15.0 s", "SLO ALL 90.0% 6.00 s"}},
		{"several named (optimize)", []study.KPIRef{{Name: "slo_attainment", Scope: "chat"}, {Name: "slo_attainment", Scope: "shop"}},
			[]string{"SLO WORST 87.5% 15.0 s", "SLO ALL 90.0% 6.00 s"}},
		{"none named", nil, []string{"SLO ALL 90.0% 6.00 s", "SLO CHAT 87.5% 15.0 s"}},
	} {
		s := newSweepScreen(testShared(), "sw")
		s.resize(140, 20)
		s.update(sweepsLoadedMsg{addr: addr{s.sid}, sweeps: []data.Sweep{{ID: "sw", Name: "grid", Points: 1, Replications: 2}},
			points: pts, kpis: kpis, kpiRefs: tc.refs})
		for i, want := range tc.cycle {
			f := strings.Fields(want)
			title, slo, ttft := f[0]+" "+f[1], f[2], f[3]+" "+f[4]
			p := &s.points[0]
			got := fmtPct(s.valueOf(p, 3))
			v := ansi.Strip(s.view(140, 20))
			if got != slo || fmtSeconds(s.valueOf(p, 2)) != ttft || !strings.Contains(v, title) || !strings.Contains(v, "TTFT P99 "+f[1]) {
				t.Errorf("%s, after %d w: %s %s, want %s:\n%s", tc.name, i, got, fmtSeconds(s.valueOf(p, 2)), want, v)
			}
			s.update(keyMsg("w"))
		}
	}
	// The pooled chat attainment is aiecon sweep's: the requests' share,
	// (0.5·100 + 1·300) / 400, not the runs' mean 0.75.
	if got := (&sweepScreen{}).scopeName(); got != "" {
		t.Errorf("a screen without workloads reads scope %q", got)
	}
	if v := pooledValues(runs, kpis, nil, true, "chat")[3].Mean; math.Abs(v-0.875) > 1e-12 {
		t.Errorf("chat's pooled attainment %v, want 0.875", v)
	}
}
