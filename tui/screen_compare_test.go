package tui

import (
	"database/sql"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"aiecon/data"
	"aiecon/model"
	"aiecon/model/format"
	"aiecon/model/kpi"
)

// compareOf is a comparison of two runs with the given horizons (seconds)
// and the KPIs given as name: baseline and other value.
func compareOf(horizons [2]float64, kpis map[string][2]float64) *data.Comparison {
	cmp := &data.Comparison{Runs: []data.RunSummary{
		{ID: "1m1q01zz5b0c7d9", Name: "a-run-with-a-rather-long-name-that-cuts-the-header", Status: data.StatusComplete, HorizonS: horizons[0]},
		{ID: "1m1q02zz5b0c7d9", Name: "another-run-with-a-long-name-that-cuts-it-too", Status: data.StatusComplete, HorizonS: horizons[1]},
	}}
	for n, v := range kpis {
		d := v[1] - v[0]
		cmp.Rows = append(cmp.Rows, data.CompareRow{Name: n, Unit: kpi.Get(n).Unit,
			Values: v[:], Delta: []float64{0, d}, RelDelta: []float64{0, d / v[0]}})
	}
	return cmp
}

// TestCompareWarnsOfHorizons: runs of different horizons show the CLI's
// warning within the width, and their changes are not called good or bad
// (revenue falls 98% from 48h to 1h by the horizon alone).
func TestCompareWarnsOfHorizons(t *testing.T) {
	kpis := map[string][2]float64{kpi.RevenueUSD: {30879, 506.10}}
	tests := []struct {
		name     string
		horizons [2]float64
		warn     bool
		tone     tone
	}{
		{"same horizon", [2]float64{3600, 3600}, false, toneBad},
		{"48h against 1h", [2]float64{172800, 3600}, true, toneNone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newCompareScreen(testShared(), []string{"a", "b"})
			s.resize(80, 24)
			s.update(compareLoadedMsg{addr: addr{s.sid}, cmp: compareOf(tt.horizons, kpis)})
			v := ansi.Strip(s.view(80, 24))
			for _, l := range strings.Split(v, "\n") {
				if lipgloss.Width(l) > 80 {
					t.Errorf("line wider than 80 columns: %q", l)
				}
			}
			flat := strings.Join(strings.Fields(v), " ")
			const want = "the runs simulated different horizons (2d, 1h): totals such as revenue, cost and counts differ by that alone"
			if got := strings.Contains(flat, want); got != tt.warn {
				t.Errorf("warning shown: %v, want %v:\n%s", got, tt.warn, v)
			}
			if got := s.tbl.rows[0][3].tone; got != tt.tone {
				t.Errorf("revenue change toned %v, want %v", got, tt.tone)
			}
			if n := strings.Count(v, "\n") + 1; n > 24 {
				t.Errorf("the view is %d lines, want at most 24:\n%s", n, v)
			}
		})
	}
}

// TestCompareWarnsOfSeedOnly: runs of one scenario that differ only in
// their seeds say that their changes are noise, as aiecon compare does, and
// leave them uncoloured.
func TestCompareWarnsOfSeedOnly(t *testing.T) {
	s := newCompareScreen(testShared(), []string{"a", "b"})
	s.resize(80, 24)
	cmp := compareOf([2]float64{3600, 3600}, map[string][2]float64{kpi.RevenueUSD: {596, 480}})
	cmp.SeedOnly = true
	s.update(compareLoadedMsg{addr: addr{s.sid}, cmp: cmp})
	v := ansi.Strip(s.view(80, 24))
	if flat := strings.Join(strings.Fields(v), " "); !strings.Contains(flat, "the runs differ only in their seeds, as far as the store tells (scenario and aiecon version): every difference below is simulation noise") {
		t.Errorf("no seed-only warning:\n%s", v)
	}
	if got := s.tbl.rows[0][3].tone; got != toneNone {
		t.Errorf("revenue change toned %v, want none", got)
	}
}

// TestCompareWarnsOfFreshness: runs of which one models freshness and the
// other not show the CLI's warning, and keep their changes coloured (only
// ads and commerce carry it); runs that agree show none.
func TestCompareWarnsOfFreshness(t *testing.T) {
	for _, tt := range []struct {
		name    string
		trained [2]bool
		warn    bool
	}{{"retraining added", [2]bool{false, true}, true}, {"both train", [2]bool{true, true}, false}} {
		s := newCompareScreen(testShared(), []string{"a", "b"})
		s.resize(80, 24)
		cmp := compareOf([2]float64{3600, 3600}, map[string][2]float64{kpi.RevenueUSD: {653, 616}})
		cmp.Freshness = []sql.NullBool{{Bool: tt.trained[0], Valid: true}, {Bool: tt.trained[1], Valid: true}}
		s.update(compareLoadedMsg{addr: addr{s.sid}, cmp: cmp})
		v := ansi.Strip(s.view(80, 24))
		flat := strings.Join(strings.Fields(v), " ")
		if got := strings.Contains(flat, "not by an effect of retraining"); got != tt.warn {
			t.Errorf("%s: warning shown %v, want %v:\n%s", tt.name, got, tt.warn, v)
		}
		if got := s.tbl.rows[0][3].tone; got != toneBad {
			t.Errorf("%s: revenue fall toned %v, want bad", tt.name, got)
		}
	}
}

// TestCompareWarnsOfPricing: runs that pay under different pricing models
// show the CLI's warning with each run's pricing and price date, named by
// the screen's letters, within 80x24; the cost change stays coloured (a
// cost paid is a cost whichever the pricing model).
func TestCompareWarnsOfPricing(t *testing.T) {
	sc := func(instance, pricing string) *model.Scenario {
		s := &model.Scenario{}
		s.Fleet.Instance, s.Fleet.Pricing = instance, pricing
		return s
	}
	for _, tt := range []struct {
		name    string
		pricing [2]string
		warn    bool
	}{{"capacity blocks against on-demand", [2]string{"capacity-block", "on-demand"}, true}, {"both on-demand", [2]string{"on-demand", "on-demand"}, false}} {
		s := newCompareScreen(testShared(), []string{"a", "b"})
		s.resize(80, 24)
		cmp := compareOf([2]float64{3600, 3600}, map[string][2]float64{kpi.CostUSD: {55.04, 71.52}})
		price := func(string) float64 { return 55.04 }
		cmp.Pricing = [][]data.FleetPricing{data.FleetPricings(sc("p5.48xlarge", tt.pricing[0]), func(string) float64 { return 39.33 }),
			data.FleetPricings(sc("p5.48xlarge", tt.pricing[1]), price)}
		if !tt.warn {
			cmp.Pricing[0] = data.FleetPricings(sc("p5.48xlarge", tt.pricing[0]), price)
		}
		s.update(compareLoadedMsg{addr: addr{s.sid}, cmp: cmp})
		v := ansi.Strip(s.view(80, 24))
		flat := strings.Join(strings.Fields(v), " ")
		want := "A pays p5.48xlarge capacity-block $39.33/h (catalog, us-east-1/2, late 2024), B pays p5.48xlarge on-demand $55.04/h (catalog, 2026-07-20)"
		if got := strings.Contains(flat, want); got != tt.warn {
			t.Errorf("%s: warning %q shown %v, want %v:\n%s", tt.name, want, got, tt.warn, v)
		}
		if got := s.tbl.rows[0][3].tone; got != toneBad {
			t.Errorf("%s: cost rise toned %v, want bad", tt.name, got)
		}
		if n := strings.Count(v, "\n") + 1; n > 24 {
			t.Errorf("%s: the view is %d lines, want at most 24:\n%s", tt.name, n, v)
		}
	}
}

// TestCompareFreshnessNamesLetters: the freshness warning names runs by
// the screen's letters, listed with "and" (it said "run 3 has … the
// baseline, run 2 have none" over columns labelled A, B, C).
func TestCompareFreshnessNamesLetters(t *testing.T) {
	s := newCompareScreen(testShared(), []string{"a", "b", "c"})
	s.cmp = &data.Comparison{Runs: make([]data.RunSummary, 3),
		Freshness: []sql.NullBool{{Bool: false, Valid: true}, {Bool: false, Valid: true}, {Bool: true, Valid: true}}}
	flat := strings.Join(strings.Fields(strings.Join(s.warning(200), " ")), " ")
	if !strings.Contains(flat, "C has a training block") || !strings.Contains(flat, "A and B have none") || strings.Contains(flat, "run ") {
		t.Errorf("warning %q, want C has … A and B have none", flat)
	}
}

// TestCompareRunsShownWithTheirDeltas: a run's column shows only with its
// change (ΔC), and the note counts the runs that show: at 81 columns with
// 9 runs it said "2 of 9 runs fit" over a third run C without ΔC (it says
// "runs A–B of 9" now, ←/→ scrolling the others in). Below
// 80 columns the note was cut off the info line; it takes lines of its
// own there, within the screen's height.
func TestCompareRunsShownWithTheirDeltas(t *testing.T) {
	cmp := &data.Comparison{}
	row := data.CompareRow{Name: kpi.RevenueUSD, Unit: kpi.Get(kpi.RevenueUSD).Unit}
	for i := range 9 {
		cmp.Runs = append(cmp.Runs, data.RunSummary{ID: fixtureID(i + 1), Name: "run", Status: data.StatusComplete, HorizonS: 3600})
		v := 1000 + 10*float64(i)
		row.Values = append(row.Values, v)
		row.Delta = append(row.Delta, v-1000)
		row.RelDelta = append(row.RelDelta, (v-1000)/1000)
	}
	cmp.Rows = []data.CompareRow{row}
	refs := make([]string, len(cmp.Runs))
	for w := 40; w <= 200; w++ {
		s := newCompareScreen(testShared(), refs)
		s.resize(w, 25)
		s.update(compareLoadedMsg{addr: addr{s.sid}, cmp: cmp})
		v := ansi.Strip(s.view(w, 25))
		idx, _ := s.tbl.layout()
		shown := map[string]bool{}
		for _, i := range idx {
			shown[s.tbl.cols[i].title] = true
		}
		runs := 0
		for i := range cmp.Runs {
			l := runLetter(i)
			if shown[l] {
				runs++
			}
			if i > 0 && shown[l] != shown["Δ"+l] {
				t.Errorf("%d columns: %s shown %v, Δ%s shown %v:\n%s", w, l, shown[l], l, shown["Δ"+l], v)
			}
		}
		flat := strings.Join(strings.Fields(v), " ")
		note := fmt.Sprintf("runs A–%s of %d · ←/→ more", runLetter(runs-1), len(cmp.Runs))
		if runs == 1 {
			note = fmt.Sprintf("1 of %d runs fit", len(cmp.Runs))
		}
		if runs < len(cmp.Runs) && !strings.Contains(flat, note) {
			t.Errorf("%d columns: %d runs shown, the note says otherwise:\n%s", w, runs, v)
		}
		if runs == 1 && !strings.Contains(flat, "the baseline alone: widen the terminal to compare") {
			t.Errorf("%d columns: the baseline alone shows and the note does not say so:\n%s", w, v)
		}
		if n := strings.Count(v, "\n") + 1; n > 25 {
			t.Errorf("%d columns: the view is %d lines, want at most 25", w, n)
		}
	}
}

// TestCompareNoArrowForAChangeShownAsZero: a change that its text shows
// as nothing (a difference within floating-point noise, which the
// formatters print as zero) has no arrow and no colour, which would call
// it a change worth reading. A change the text can show (1 against
// 0.99999: -0.001 pp) keeps its arrow.
func TestCompareNoArrowForAChangeShownAsZero(t *testing.T) {
	s := newCompareScreen(testShared(), []string{"a", "b"})
	s.resize(100, 24)
	cmp := compareOf([2]float64{3600, 3600}, map[string][2]float64{kpi.Utilization: {1, 1 - 1e-13}, kpi.RevenueUSD: {1000, 1000 + 1e-10}})
	s.update(compareLoadedMsg{addr: addr{s.sid}, cmp: cmp})
	for _, row := range s.tbl.rows {
		d := row[3]
		if strings.ContainsAny(d.text, "▲▼") || d.tone != toneMuted {
			t.Errorf("%s: change %q toned %v, want no arrow, muted", row[0].text, d.text, d.tone)
		}
	}
	cmp = compareOf([2]float64{3600, 3600}, map[string][2]float64{kpi.Utilization: {1, 0.99999}})
	s.update(compareLoadedMsg{addr: addr{s.sid}, cmp: cmp})
	found := false
	for _, row := range s.tbl.rows {
		if row[0].text != "busy time" {
			continue
		}
		found = true
		if d := row[3]; !strings.Contains(d.text, "▼ -0.001 pp") {
			t.Errorf("busy time 100%% against 99.999%%: change %q, want ▼ -0.001 pp", d.text)
		}
	}
	if !found {
		t.Error("no busy time row")
	}
}

// TestCompareAtTheSmallestSize: at 40x12, the smallest terminal the
// dashboard draws in, three runs compared show the baseline alone, and
// the note that says so was cut to "whole run · headline KPIs (a: all) ·
// 1 …". It shows whole, on lines of its own.
func TestCompareAtTheSmallestSize(t *testing.T) {
	s := startSession(t, testOptions(fixturePath), 100, 30)
	s.wait("9 of 9 runs")
	s.press("end", "space", "up", "up", "space", "up", "up", "space", "c")
	s.wait("baseline of the deltas", "ΔC")
	s.send(tea.WindowSizeMsg{Width: 40, Height: 12})
	scr := s.wait("1 of 3 runs fit")
	if flat := strings.Join(strings.Fields(scr), " "); !strings.Contains(flat, "1 of 3 runs fit, the baseline alone: widen the terminal to compare") {
		t.Errorf("the note is cut:\n%s", scr)
	}
	if n := strings.Count(scr, "\n") + 1; n != 12 {
		t.Errorf("the screen is %d lines, want 12:\n%s", n, scr)
	}
}

func TestRunLetter(t *testing.T) {
	for i, want := range map[int]string{0: "A", 1: "B", 25: "Z", 26: "AA", 27: "AB", 51: "AZ", 52: "BA", 701: "ZZ", 702: "AAA"} {
		if got := runLetter(i); got != want {
			t.Errorf("runLetter(%d) = %q, want %q", i, got, want)
		}
	}
}

// TestCompareManyRuns: 27 runs compared name the 27th AA, not A again, and
// their legend folds to leave the table its floor (its header and five
// KPIs), with a line that names the runs left out: one line a run took
// every line of an 80x24 screen, and the table showed no KPI. With the
// horizon warning too, the warnings fold to a line.
var runNameRE = regexp.MustCompile(`^run\d\d$`)

func TestCompareManyRuns(t *testing.T) {
	for _, horizons := range [][2]float64{{3600, 3600}, {3600, 600}} {
		cmp := &data.Comparison{}
		for i := range 27 {
			cmp.Runs = append(cmp.Runs, data.RunSummary{ID: fmt.Sprintf("1m1q%02dzz5b0c7d9", i+1), Name: fmt.Sprintf("run%02d", i+1),
				Status: data.StatusComplete, Seed: uint64(i + 1), HorizonS: horizons[min(i, 1)]})
		}
		for _, n := range headlineKPIs {
			cmp.Rows = append(cmp.Rows, data.CompareRow{Name: n, Unit: kpi.Get(n).Unit,
				Values: make([]float64, 27), Delta: make([]float64, 27), RelDelta: make([]float64, 27)})
		}
		for _, sz := range [][2]int{{80, 22}, {120, 38}, {40, 12}} {
			w, h := sz[0], sz[1]
			s := newCompareScreen(testShared(), make([]string, 27))
			s.resize(w, h)
			s.update(compareLoadedMsg{addr: addr{s.sid}, cmp: cmp})
			v := ansi.Strip(s.view(w, h))
			lines := strings.Split(v, "\n")
			if len(lines) > h {
				t.Errorf("%dx%d: the view is %d lines:\n%s", w, h, len(lines), v)
			}
			header := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, "KPI ") })
			if header < 0 || min(len(lines), h)-header-1 < minCompareTableLines-1 {
				t.Errorf("%dx%d: want the table's header and %d KPIs on screen:\n%s", w, h, minCompareTableLines-1, v)
			}
			seen := map[string]bool{}
			listed := 0
			for _, l := range lines {
				if f := strings.Fields(l); len(f) > 1 && runNameRE.MatchString(f[1]) {
					if seen[f[0]] {
						t.Errorf("%dx%d: two runs are named %s:\n%s", w, h, f[0], v)
					}
					seen[f[0]], listed = true, listed+1
				}
			}
			fold := fmt.Sprintf("… %d more runs, %s to AA", 27-listed, runLetter(listed))
			if w >= 80 {
				fold += ": a taller terminal lists them"
			}
			switch {
			case listed == 27 && !seen["AA"]:
				t.Errorf("%dx%d: the 27th run is not AA:\n%s", w, h, v)
			case listed < 27 && !strings.Contains(v, fold):
				t.Errorf("%dx%d: %d runs listed, and not %q:\n%s", w, h, listed, fold, v)
			case listed == 27 && h < 30:
				t.Errorf("%dx%d: the legend lists every run, where it must fold:\n%s", w, h, v)
			}
		}
	}
}

// TestCompareUncoloursOverloaded: the changes of a run that fell behind
// its traffic, or of every run against a baseline that did, are left
// uncoloured, as the OVERLOADED warning above them says they are no
// saving: an overloaded run's lower cost per Mtok was green under it.
// Runs that kept up keep their colours.
func TestCompareUncoloursOverloaded(t *testing.T) {
	for _, tt := range []struct {
		name string
		over []bool
		tone tone
	}{
		{"none overloaded", []bool{false, false}, toneGood},
		{"no check", nil, toneGood},
		{"B overloaded", []bool{false, true}, toneNone},
		{"baseline overloaded", []bool{true, false}, toneNone},
	} {
		s := newCompareScreen(testShared(), []string{"a", "b"})
		s.resize(80, 24)
		cmp := compareOf([2]float64{1800, 1800}, map[string][2]float64{kpi.CostPerMTokUSD: {1.75, 1.13}})
		cmp.Overloaded = tt.over
		s.update(compareLoadedMsg{addr: addr{s.sid}, cmp: cmp})
		if got := s.tbl.rows[0][3].tone; got != tt.tone {
			t.Errorf("%s: cost per Mtok fall toned %v, want %v", tt.name, got, tt.tone)
		}
	}
}

func TestCompareScreen(t *testing.T) {
	s := newCompareScreen(testShared(), []string{"a", "b"})
	s.resize(100, 28)
	cmp := &data.Comparison{
		Runs: []data.RunSummary{{ID: "1m1q01zz5b0c7d9", Name: "one", Status: data.StatusComplete}, {ID: "1m1q02zz5b0c7d9", Name: "two", Status: data.StatusComplete}},
		Rows: []data.CompareRow{
			{Scope: "", Name: "cost_per_mtok_usd", Unit: "USD/Mtok", Values: []float64{4, 3}, Delta: []float64{0, -1}, RelDelta: []float64{0, -0.25}},
			{Scope: "", Name: "ttft_p99_s", Unit: "s", Values: []float64{1, 2}, Delta: []float64{0, 1}, RelDelta: []float64{0, 1}},
			{Scope: "chat", Name: "ttft_p99_s", Unit: "s", Values: []float64{1, 1}, Delta: []float64{0, 0}, RelDelta: []float64{0, 0}},
		},
	}
	s.update(compareLoadedMsg{addr: addr{s.sid}, cmp: cmp})
	if len(s.tbl.rows) != 2 {
		t.Fatalf("%d rows, want the 2 whole-run KPIs", len(s.tbl.rows))
	}
	cost, ttft := s.tbl.rows[0][3], s.tbl.rows[1][3] // KPI, A, B, ΔB
	if cost.text != "▼ -25.0%" || cost.tone != toneGood {
		t.Errorf("cheaper: %q tone %d", cost.text, cost.tone)
	}
	if ttft.text != "▲ +100%" || ttft.tone != toneBad {
		t.Errorf("slower: %q tone %d", ttft.text, ttft.tone)
	}
	s.update(keyMsg("w"))
	if s.scope != "chat" || len(s.tbl.rows) != 1 {
		t.Errorf("w: scope %q, %d rows", s.scope, len(s.tbl.rows))
	}
	if cmd := s.update(keyMsg("b")); cmd == nil || s.refs[0] != "1m1q02zz5b0c7d9" {
		t.Errorf("b: refs %q, want the second run first and a reload", s.refs)
	}
}

// nineRuns is a comparison of 9 runs of one KPI each, run i's revenue
// 1000+10i, and, where rows > 1, that many more KPIs.
func nineRuns(rows int) *data.Comparison {
	cmp := &data.Comparison{}
	names := []string{kpi.RevenueUSD}
	for _, d := range kpi.All() {
		if len(names) >= rows {
			break
		}
		if d.Name != kpi.RevenueUSD {
			names = append(names, d.Name)
		}
	}
	for i := range 9 {
		cmp.Runs = append(cmp.Runs, data.RunSummary{ID: fixtureID(i + 1), Name: "run", Status: data.StatusComplete, HorizonS: 3600})
	}
	for _, n := range names {
		row := data.CompareRow{Name: n, Unit: kpi.Get(n).Unit}
		for i := range 9 {
			v := 1000 + 10*float64(i)
			row.Values = append(row.Values, v)
			row.Delta = append(row.Delta, v-1000)
			row.RelDelta = append(row.RelDelta, (v-1000)/1000)
		}
		cmp.Rows = append(cmp.Rows, row)
	}
	return cmp
}

// TestCompareScrollsRuns: of 9 runs at 80 columns, where two fit, →/l
// scroll the runs after the baseline in, one at a time, the KPI names and
// the baseline A staying, up to the last run and no further; ←/h go back
// to B. The note says which runs show and help lists the keys. b only
// rotated the baseline: A against C never showed.
func TestCompareScrollsRuns(t *testing.T) {
	s := newCompareScreen(testShared(), make([]string, 9))
	s.resize(80, 24)
	s.update(compareLoadedMsg{addr: addr{s.sid}, cmp: nineRuns(1)})
	shown := func() string {
		idx, _ := s.tbl.layout()
		var titles []string
		for _, i := range idx {
			titles = append(titles, s.tbl.cols[i].title)
		}
		return strings.Join(titles, " ")
	}
	steps := []struct {
		key, cols, note string
	}{
		{"", "KPI A B ΔB", "runs A–B of 9 · ←/→ more"},
		{"right", "KPI A C ΔC", "runs A, C of 9 · ←/→ more"},
		{"l", "KPI A D ΔD", "runs A, D of 9 · ←/→ more"},
		{"right", "KPI A E ΔE", "runs A, E of 9 · ←/→ more"},
		{"right", "KPI A F ΔF", "runs A, F of 9"},
		{"right", "KPI A G ΔG", "runs A, G of 9"},
		{"right", "KPI A H ΔH", "runs A, H of 9"},
		{"right", "KPI A I ΔI", "runs A, I of 9"},
		{"right", "KPI A I ΔI", "runs A, I of 9"}, // the last run shows: no further
		{"left", "KPI A H ΔH", "runs A, H of 9"},
		{"h", "KPI A G ΔG", "runs A, G of 9"},
	}
	for i, st := range steps {
		if st.key != "" {
			s.update(keyMsg(st.key))
		}
		v := ansi.Strip(s.view(80, 24))
		if got := shown(); got != st.cols {
			t.Errorf("step %d (%s): columns %q, want %q:\n%s", i, st.key, got, st.cols, v)
		}
		if !strings.Contains(v, st.note) {
			t.Errorf("step %d (%s): the note is not %q:\n%s", i, st.key, st.note, v)
		}
	}
	// ΔG is G's change against A, not against the run before it.
	if got, want := s.tbl.rows[0][2].text, fmtUnit(1060, kpi.Get(kpi.RevenueUSD).Unit); got != want {
		t.Errorf("G's revenue %q, want %q", got, want)
	}
	if got := s.tbl.rows[0][3].text; !strings.Contains(got, "+6.0%") {
		t.Errorf("ΔG %q, want +6.0%% against A", got)
	}
	var help []string
	for _, k := range s.keys() {
		help = append(help, k.Help().Key+" "+k.Help().Desc)
	}
	if !slices.Contains(help, "←/→ more runs") {
		t.Errorf("help does not list ←/→: %q", help)
	}
	// With room for every run, the keys are not offered.
	s.resize(300, 24)
	for range 8 {
		s.update(keyMsg("left"))
	}
	for _, k := range s.keys() {
		if k.Help().Key == "←/→" {
			t.Errorf("at 300 columns, where every run shows, help offers ←/→")
		}
	}
}

// TestCompareSaysTheRow: the info line says which row the cursor is on of
// how many, as the KPIs tab does: with all KPIs the table scrolls, and
// nothing said how far.
func TestCompareSaysTheRow(t *testing.T) {
	s := newCompareScreen(testShared(), make([]string, 9))
	s.resize(80, 24)
	cmp := nineRuns(40)
	s.update(compareLoadedMsg{addr: addr{s.sid}, cmp: cmp})
	s.update(keyMsg("a"))
	n := len(s.tbl.rows)
	if n < 30 {
		t.Fatalf("%d rows, want a table taller than the screen", n)
	}
	for _, tt := range []struct {
		key  string
		want string
	}{
		{"", fmt.Sprintf("row 1 of %d", n)},
		{"down", fmt.Sprintf("row 2 of %d", n)},
		{"G", fmt.Sprintf("row %d of %d", n, n)},
	} {
		if tt.key != "" {
			s.update(keyMsg(tt.key))
		}
		v := ansi.Strip(s.view(80, 24))
		if !strings.Contains(v, tt.want) {
			t.Errorf("after %q: no %q:\n%s", tt.key, tt.want, v)
		}
		if l := strings.Count(v, "\n") + 1; l > 24 {
			t.Errorf("after %q: %d lines", tt.key, l)
		}
	}
}

// TestCompareMarksUnitsDiffer: ad_bid_scale between a cpc and a cpm run
// (data.CompareRow.UnitNote) shows "≠ units" in its Δ cell, with a line
// above the table naming the KPI, the runs and the two units, where the
// cell showed the undefined mark, read as a KPI one run lacks, while
// aiecon compare said the units differ. Runs whose units agree keep their
// change, and a screen without such a row has no legend line.
func TestCompareMarksUnitsDiffer(t *testing.T) {
	const note = "units differ: per click under cpc, per thousand impressions under cpm"
	bid := data.CompareRow{Name: kpi.AdBidScale, Unit: kpi.Get(kpi.AdBidScale).Unit, Values: []float64{1, 4, 1.5},
		Delta: []float64{0, math.NaN(), 0.5}, RelDelta: []float64{0, math.NaN(), 0.5}, UnitNote: []string{"", note, ""}}
	const legend = "≠ units · ad bid scale, B against A: per click under cpc, per thousand impressions under cpm"
	for _, tt := range []struct {
		name       string
		unitNote   []string
		wantB      string // B's Δ cell
		wantLegend bool
	}{
		{"cpc against cpm", bid.UnitNote, unitsDifferMark, true},
		{"units agree", nil, format.Undefined, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			row := bid
			row.UnitNote = tt.unitNote
			cmp := &data.Comparison{Rows: []data.CompareRow{row}}
			for i := range 3 {
				cmp.Runs = append(cmp.Runs, data.RunSummary{ID: fixtureID(i + 1), Name: "ads", Status: data.StatusComplete, HorizonS: 3600})
			}
			s := newCompareScreen(testShared(), []string{"a", "b", "c"})
			s.all = true
			s.resize(80, 24)
			s.update(compareLoadedMsg{addr: addr{s.sid}, cmp: cmp})
			if got := strings.TrimSpace(s.tbl.rows[0][3].text); got != tt.wantB {
				t.Errorf("B's Δ cell %q, want %q", got, tt.wantB)
			}
			if got := s.tbl.rows[0][5].text; !strings.Contains(got, "+50.0%") {
				t.Errorf("C's Δ cell %q, want its change", got)
			}
			v := ansi.Strip(s.view(80, 24))
			for _, l := range strings.Split(v, "\n") {
				if lipgloss.Width(l) > 80 {
					t.Errorf("line wider than 80 columns: %q", l)
				}
			}
			flat := strings.Join(strings.Fields(v), " ")
			if got := strings.Contains(flat, legend); got != tt.wantLegend {
				t.Errorf("legend shown %v, want %v:\n%s", got, tt.wantLegend, v)
			}
			if n := strings.Count(v, "\n") + 1; n > 24 {
				t.Errorf("the view is %d lines, want at most 24:\n%s", n, v)
			}
		})
	}
}
