package tui

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"aiecon/data"
	"aiecon/model/kpi"
)

func TestRepresentative(t *testing.T) {
	run := func(id string, rep int, status string) data.RunSummary {
		return data.RunSummary{ID: id, Replication: rep, Status: status}
	}
	ok, failed := data.StatusComplete, data.StatusFailed
	for _, tc := range []struct {
		name string
		runs []data.RunSummary
		want string
	}{
		{"replication 1 started first", []data.RunSummary{run("r1", 1, ok), run("r0", 0, ok)}, "r0"},
		{"a complete run beats a failed lower replication", []data.RunSummary{run("f0", 0, failed), run("r1", 1, ok)}, "r1"},
		{"the oldest of a resumed replication", []data.RunSummary{run("f0", 0, failed), run("r0", 0, ok), run("r0b", 0, ok)}, "r0"},
		{"only failed runs", []data.RunSummary{run("f1", 1, failed), run("f0", 0, failed)}, "f0"},
		{"no runs", nil, ""},
	} {
		got, found := representative(data.SweepPoint{Runs: tc.runs})
		if got.ID != tc.want || found != (tc.want != "") {
			t.Errorf("%s: got %q (%v), want %q", tc.name, got.ID, found, tc.want)
		}
	}
}

// The heatmap's shades must keep orders of magnitude apart: with a TTFT
// p99 range reaching 457 s, a linear scale shaded 34.7 s like 0.7 s.
func TestSweepHeatmapScale(t *testing.T) {
	for _, tc := range []struct {
		name  string
		kpi   int // index into heatKPIs
		vals  []float64
		want  []string
		scale string
	}{
		{"wide positive range: log", 2, []float64{457, 34.7, 0.708, 0.701},
			[]string{"░ 457 s", "▒ 34.7 s", "█ 708 ms", "█ 701 ms"}, "log scale"},
		{"narrow range: linear", 0, []float64{1, 2, 3, 3},
			[]string{"█ $1.00", "▓ $2.00", "░ $3.00"}, "linear scale"},
		{"negative values: linear", 1, []float64{-50, 1, 400, 400},
			[]string{"░ -$50.00", "░ $1.00", "█ $400.00"}, "linear scale"},
		// A fraction stays linear however wide: on a log scale 50% and
		// 100% SLO attainment would shade alike.
		{"a fraction: linear", 3, []float64{0.0085, 0.5, 1, 1},
			[]string{"░ 0.9%", "▒ 50.0%", "█ 100%"}, "linear scale"},
	} {
		s := newSweepScreen(testShared(), "sw")
		s.resize(100, 28)
		var pts []data.SweepPoint
		for i, v := range tc.vals {
			r := data.RunSummary{Status: data.StatusComplete}
			switch tc.kpi {
			case 0:
				r.CostPerMTokUSD = v
			case 1:
				r.MarginUSD = v
			case 2:
				r.TTFTP99S = v
			case 3:
				r.SLOAttainment = v
			}
			pts = append(pts, data.SweepPoint{Point: i, ParamsJSON: fmt.Sprintf(`{"n": %d}`, i+1), Runs: []data.RunSummary{r}})
		}
		s.update(sweepsLoadedMsg{addr: addr{s.sid}, sweeps: []data.Sweep{{ID: "sw", Name: "grid", Points: len(pts), Replications: 1}}, points: pts})
		s.kpi = tc.kpi
		hm := ansi.Strip(s.heatmap(100))
		for _, want := range append(tc.want, tc.scale) {
			if !strings.Contains(hm, want) {
				t.Errorf("%s: heatmap lacks %q:\n%s", tc.name, want, hm)
			}
		}
	}
}

// TestSweepPointsPoolRatios: a point's gross margin is its runs' totals'
// ratio, as aiecon sweep prints it, not the mean of their ratios: a run
// that earned nothing has no ratio, but its cost counts. Margins 80 and
// -40 on revenues 100 and 0 read 40%, not 80%.
func TestSweepPointsPoolRatios(t *testing.T) {
	s := newSweepScreen(testShared(), "sw")
	s.resize(120, 28)
	runs := []data.RunSummary{
		{ID: "r1", Status: data.StatusComplete, GrossMargin: 0.8, RevenueUSD: 100},
		{ID: "r2", Status: data.StatusComplete, Replication: 1, GrossMargin: math.NaN(), RevenueUSD: 0},
	}
	kpis := runKPIs{
		"r1": {"gross_margin": 0.8, "revenue_usd": 100, "cost_instances_usd": 15, "cost_licensing_usd": 5},
		"r2": {"gross_margin": math.NaN(), "revenue_usd": 0, "cost_instances_usd": 40, "cost_licensing_usd": 0},
	}
	pts := []data.SweepPoint{{Point: 0, ParamsJSON: `{"n": 1}`, Runs: runs}}
	s.update(sweepsLoadedMsg{addr: addr{s.sid}, sweeps: []data.Sweep{{ID: "sw", Name: "grid", Points: 1, Replications: 2}}, points: pts, kpis: kpis})
	gm := slices.IndexFunc(heatKPIs, func(h struct {
		name string
		get  func(r data.RunSummary) float64
		fmt  func(float64) string
	}) bool {
		return h.name == kpi.GrossMargin
	})
	if got := s.points[0].interval(gm).Mean; math.Abs(got-0.4) > 1e-12 {
		t.Errorf("gross margin %v, want the pooled 0.4", got)
	}
	if got := s.points[0].interval(4).Mean; got != 50 { // revenue, a total: the mean
		t.Errorf("revenue %v, want the mean 50", got)
	}
}

// TestSweepCompareSaysWhichRuns: with replications, c compares one run a
// point while the table pools them all, and the compare screen is told so;
// the goodput column carries its unit.
func TestSweepCompareSaysWhichRuns(t *testing.T) {
	s := newSweepScreen(testShared(), "sw")
	s.resize(120, 28)
	pt := func(n int, id string) data.SweepPoint {
		return data.SweepPoint{Point: n, ParamsJSON: fmt.Sprintf(`{"n": %d}`, n), Runs: []data.RunSummary{
			{ID: id + "1", Status: data.StatusComplete, Replication: 1, GoodputRPS: 3},
			{ID: id + "0", Status: data.StatusComplete, Replication: 0, GoodputRPS: 3}}}
	}
	s.update(sweepsLoadedMsg{addr: addr{s.sid}, sweeps: []data.Sweep{{ID: "sw", Name: "grid", Points: 2, Replications: 2}},
		points: []data.SweepPoint{pt(0, "a"), pt(1, "b")}})
	m, ok := msgsOf(s.update(keyMsg("c")))[0].(openCompareMsg)
	if !ok || strings.Join(m.refs, ",") != "a0,b0" || !strings.Contains(m.note, "replication r0's runs") || !strings.Contains(m.note, "pools") {
		t.Errorf("c sent %#v, want r0's runs and a note saying so", m)
	}
	if v := ansi.Strip(s.view(120, 28)); !strings.Contains(v, "3.00/s") {
		t.Errorf("the GOODPUT column has no unit:\n%s", v)
	}
	a := New(Options{Path: "/nonexistent/store.duckdb"})
	a.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	a.Update(openCompareMsg{refs: m.refs, note: m.note})
	if a.notice != m.note {
		t.Errorf("the compare screen opened with notice %q, want the note", a.notice)
	}
}

func TestSweepScreenAxesAndHeatmap(t *testing.T) {
	s := newSweepScreen(testShared(), "sw")
	s.resize(100, 28)
	run := func(cost float64) []data.RunSummary {
		return []data.RunSummary{{Status: data.StatusComplete, CostPerMTokUSD: cost}}
	}
	pts := []data.SweepPoint{
		{Point: 0, ParamsJSON: `{"rate": "100/s", "n": 4}`, Runs: run(1)},
		{Point: 1, ParamsJSON: `{"rate": "20/s", "n": 4}`, Runs: run(2)},
		{Point: 2, ParamsJSON: `{"rate": "100/s", "n": 8}`, Runs: run(3)},
		{Point: 3, ParamsJSON: `{"rate": "20/s", "n": 8}`}, // not run yet
	}
	s.update(sweepsLoadedMsg{addr: addr{s.sid}, sweeps: []data.Sweep{{ID: "sw", Name: "grid", Points: 4, Replications: 1}}, points: pts})
	if v := ansi.Strip(s.view(100, 28)); !strings.Contains(v, "4 points × 1 replication\n") {
		t.Errorf("the header does not read \"4 points × 1 replication\":\n%s", v)
	}
	var vals []string
	for _, p := range s.axisValues("rate") {
		vals = append(vals, p.value)
	}
	if strings.Join(vals, ",") != "20/s,100/s" {
		t.Errorf("rate axis %q, want numeric order", vals)
	}
	hm := ansi.Strip(s.heatmap(100))
	// Lower cost is better: $1.00 is the best cell, $3.00 the worst; the
	// point with no run shows a dash.
	for _, want := range []string{"█ $1.00", "░ $3.00", "n \\ rate", "—", "lower is better"} {
		if !strings.Contains(hm, want) {
			t.Errorf("heatmap lacks %q:\n%s", want, hm)
		}
	}
	s.update(keyMsg("x")) // two parameters: x and y swap
	if s.xParam() != "n" || s.yParam() != "rate" {
		t.Errorf("after x: x=%q y=%q", s.xParam(), s.yParam())
	}
	if m, ok := msgsOf(s.update(keyMsg("c")))[0].(openCompareMsg); !ok || len(m.refs) != 3 {
		t.Errorf("c sent %#v, want the three points with runs", m)
	}
}
