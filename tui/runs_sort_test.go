package tui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"aiecon/data"
)

// TestRunsSortPerHourWhereHorizonsDiffer: margin and revenue are totals
// over a run's simulated time, so where the runs listed simulated
// different times the sort ranks them per hour, and the header and the
// status line say so; where they simulated one time, by the totals.
func TestRunsSortPerHourWhereHorizonsDiffer(t *testing.T) {
	for _, tc := range []struct {
		name             string
		shortHorizonS    float64
		sorts            int // presses of s: 2 margin, 5 revenue
		wantFirst        string
		wantHead, wantSt string
		notSt            string
	}{
		// $44.61 over 5m is $535/h, more than the 1h run's $509.84.
		{"margin, 5m beside 1h", 300, 2, "short", "MARGIN↓", "sorted by margin per hour ↓ (horizons differ)", ""},
		{"margin, one horizon", 3600, 2, "long", "MARGIN↓", "sorted by margin ↓", "per hour"},
		{"revenue, 5m beside 1h", 300, 5, "short", "REVENUE↓", "sorted by revenue per hour ↓ (horizons differ)", ""},
		{"cost per Mtok is a rate", 300, 1, "short", "$/MTOK↑", "sorted by cost/Mtok ↑", "per hour"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newRunsScreen(testShared())
			s.resize(120, 20)
			long := summary("1m1q01aaaaaaaaa", "long", 5, 509.84)
			long.RevenueUSD = 600
			short := summary("1m1q02aaaaaaaaa", "short", 3, 44.61)
			short.HorizonS, short.RevenueUSD = tc.shortHorizonS, 60
			s.update(runsLoadedMsg{addr: addr{s.sid}, runs: []data.RunSummary{long, short}})
			for range tc.sorts {
				s.update(keyMsg("s"))
			}
			if got := rowLabels(s); got[0] != tc.wantFirst {
				t.Errorf("rows %q, want %s first", got, tc.wantFirst)
			}
			v := ansi.Strip(s.view(120, 20))
			lines := strings.Split(v, "\n")
			// The cells are totals: no "/h" over them (review287 L2).
			if !strings.Contains(lines[0], tc.wantHead) || strings.Contains(lines[0], "/h") {
				t.Errorf("header %q lacks %q, or says /h over totals", lines[0], tc.wantHead)
			}
			if !strings.Contains(v, tc.wantSt) || tc.notSt != "" && strings.Contains(v, tc.notSt) {
				t.Errorf("status should say %q (not %q):\n%s", tc.wantSt, tc.notSt, v)
			}
		})
	}
}

// TestRunsSortShownWithLongLabel: the sort stays on the status line when
// the selected row's label is too long to sit beside it (the label is cut
// instead), and the sorted column's header carries the arrow.
func TestRunsSortShownWithLongLabel(t *testing.T) {
	for _, w := range []int{80, 120} {
		s := newRunsScreen(testShared())
		s.resize(w, 20)
		r := summary("1m1q03aaaaaaaaa", "baseline "+strings.Repeat("[horizon=30d] ", 8), 5, 100)
		s.update(runsLoadedMsg{addr: addr{s.sid}, runs: []data.RunSummary{r, summary("1m1q02aaaaaaaaa", "other", 3, 50)}})
		s.update(keyMsg("s"))
		s.update(keyMsg("s"))
		s.update(keyMsg("o"))
		lines := strings.Split(ansi.Strip(s.view(w, 20)), "\n")
		status := lines[len(lines)-1]
		if !strings.HasPrefix(status, "2 of 2 runs · sorted by margin ↑ · baseline") {
			t.Errorf("at %d columns the status line %q lost the sort or the label", w, status)
		}
		if !strings.Contains(lines[0], "MARGIN↑") {
			t.Errorf("at %d columns the header %q has no sort arrow", w, lines[0])
		}
	}
}

// TestRunsSortKeepsReplicationsUnderTheirPoint: a sorted, unfolded sweep
// ranks its points by their parent run (the lowest replication) and keeps
// each point's other replications right under it, sorted among
// themselves; sorted run by run, they scattered away from their point.
func TestRunsSortKeepsReplicationsUnderTheirPoint(t *testing.T) {
	const sw = "1m1s01aaaaaaaaa"
	// point, replication, margin
	runs := []struct {
		point, rep int
		margin     float64
	}{{0, 0, 5}, {0, 1, 13}, {0, 2, 1}, {1, 0, 9}, {1, 1, 2}, {1, 2, 11}, {2, 0, 7}, {2, 1, 3}}
	for _, tc := range []struct {
		name  string
		sorts int
		asc   bool
		want  string
	}{
		// The parents by margin (9, 7, 5), each point's replications after
		// it by margin.
		{"margin down", 2, false, "x1|x1 r2|x1 r1|x2|x2 r1|x0|x0 r1|x0 r2"},
		{"margin up", 2, true, "x0|x0 r2|x0 r1|x2|x2 r1|x1|x1 r1|x1 r2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newRunsScreen(testShared())
			s.resize(120, 30)
			var rs []data.RunSummary
			for i, r := range runs {
				m := summary(fmt.Sprintf("1m1q%02daaaaaaaaa", 10+i), "pt", 1, r.margin)
				m.SweepID, m.SweepPoint, m.Replication = sw, r.point, r.rep
				rs = append(rs, m)
			}
			params := map[int]string{}
			for p := range 3 {
				params[p] = fmt.Sprintf(`{"fleet.count": %d}`, p)
			}
			s.update(runsLoadedMsg{addr: addr{s.sid}, runs: rs,
				sweeps: []data.Sweep{{ID: sw, Name: "grid", Points: 3, Replications: 3}},
				params: map[string]map[int]string{sw: params}})
			s.update(keyMsg("right"))
			for range tc.sorts {
				s.update(keyMsg("s"))
			}
			if tc.asc {
				s.update(keyMsg("o"))
			}
			var got []string
			for _, l := range rowLabels(s)[1:] {
				got = append(got, strings.TrimLeft(l, "├└ "))
			}
			if strings.Join(got, "|") != tc.want {
				t.Errorf("rows %q, want %s", got, tc.want)
			}
		})
	}
}

// TestRunsSortKeepsSamplesUnderTheirVariant: a sorted, unfolded forecast
// keeps each variant's runs (its samples, periods, days and slices)
// together, the variants ranked by their first run in the sort's order and
// each one's runs by the sort; sorted run by run, the variants' samples
// interleaved (owned s1 q2, rented s1 q1, owned s2 q2, ...).
func TestRunsSortKeepsSamplesUnderTheirVariant(t *testing.T) {
	const fc = "1m1f01aaaaaaaaa"
	runs := []struct {
		variant        string
		sample, period int
		margin         float64
	}{
		{"owned", 1, 1, 5}, {"owned", 1, 2, 13}, {"owned", 2, 1, 1}, {"owned", 2, 2, 9},
		{"rented", 1, 1, 11}, {"rented", 1, 2, 2}, {"rented", 2, 1, 7}, {"rented", 2, 2, 3},
	}
	for _, tc := range []struct {
		name string
		asc  bool
		want string
	}{
		// owned's best run (13) ranks it first; each variant's runs by margin.
		{"margin down", false, "owned s1 q2|owned s2 q2|owned s1 q1|owned s2 q1|rented s1 q1|rented s2 q1|rented s2 q2|rented s1 q2"},
		{"margin up", true, "owned s2 q1|owned s1 q1|owned s2 q2|owned s1 q2|rented s1 q2|rented s2 q2|rented s2 q1|rented s1 q1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newRunsScreen(testShared())
			s.resize(120, 30)
			var rs []data.RunSummary
			places := map[string]forecastRun{}
			for i, r := range runs {
				m := summary(fmt.Sprintf("1m1q%02daaaaaaaaa", 10+i), "plan", 1, r.margin)
				rs = append(rs, m)
				places[m.ID] = forecastRun{forecast: fc, name: "plan", periodLength: "quarter", samples: 2,
					variant: r.variant, sample: r.sample, period: r.period}
			}
			s.update(runsLoadedMsg{addr: addr{s.sid}, runs: rs, forecasts: places})
			s.update(keyMsg("right"))
			for range 2 { // margin
				s.update(keyMsg("s"))
			}
			if tc.asc {
				s.update(keyMsg("o"))
			}
			var got []string
			for _, l := range rowLabels(s)[1:] {
				got = append(got, strings.TrimSuffix(strings.TrimLeft(l, "├└ "), " d0 h0"))
			}
			if strings.Join(got, "|") != tc.want {
				t.Errorf("rows %q, want %s", got, tc.want)
			}
		})
	}
}
