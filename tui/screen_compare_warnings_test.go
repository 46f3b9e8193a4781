package tui

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
	"github.com/charmbracelet/x/ansi"

	"aiecon/data"
	"aiecon/model"
	"aiecon/model/kpi"
)

// sixPricedRuns is a comparison of six runs of mixed horizons and pricing,
// the review's repro: four pay trn2 Capacity Blocks, one p5 on-demand and
// one p4de Capacity Blocks, over every headline KPI.
func sixPricedRuns() *data.Comparison {
	fleet := func(instance, pricing string, usd float64) []data.FleetPricing {
		sc := &model.Scenario{}
		sc.Fleet.Instance, sc.Fleet.Pricing = instance, pricing
		return data.FleetPricings(sc, func(string) float64 { return usd })
	}
	trn2 := func() []data.FleetPricing { return fleet("trn2.48xlarge", "capacity-block", 35.7608) }
	cmp := &data.Comparison{Pricing: [][]data.FleetPricing{fleet("p5.48xlarge", "on-demand", 55.04), trn2(), trn2(),
		fleet("p4de.24xlarge", "capacity-block", 14.77), trn2(), trn2()}}
	for i, h := range []float64{3600, 3600, 600, 600, 3600, 1800} {
		cmp.Runs = append(cmp.Runs, data.RunSummary{ID: fixtureID(i + 1), Name: "fleet-size: x4 workloads[chat].arrivals.rate=10/s r2",
			Status: data.StatusComplete, HorizonS: h})
	}
	for _, n := range headlineKPIs {
		cmp.Rows = append(cmp.Rows, data.CompareRow{Name: n, Unit: kpi.Get(n).Unit,
			Values: make([]float64, 6), Delta: make([]float64, 6), RelDelta: make([]float64, 6)})
	}
	return cmp
}

// TestCompareKeepsTheTableUnderLongWarnings: at 80 columns six runs' horizon
// and pricing warnings took every line of the screen, the table's header
// too. The warnings now fold to leave the table its header and five rows,
// with a line that says how many lines are left out and that i shows them;
// i shows them whole, and the runs that pay alike share one clause.
func TestCompareKeepsTheTableUnderLongWarnings(t *testing.T) {
	for _, h := range []int{16, 20, 21, 22} {
		s := newCompareScreen(testShared(), make([]string, 6))
		s.resize(80, h)
		s.update(compareLoadedMsg{addr: addr{s.sid}, cmp: sixPricedRuns()})
		v := ansi.Strip(s.view(80, h))
		lines := strings.Split(v, "\n")
		if len(lines) > h {
			t.Errorf("h=%d: the view is %d lines:\n%s", h, len(lines), v)
		}
		header := -1
		for i, l := range lines {
			if strings.HasPrefix(l, "KPI ") {
				header = i
			}
		}
		if header < 0 || len(lines)-header-1 < minCompareTableLines-1 {
			t.Errorf("h=%d: want the table's header and %d rows on screen:\n%s", h, minCompareTableLines-1, v)
		}
		if !strings.Contains(v, "more lines of warnings: i to read them in full") {
			t.Errorf("h=%d: no note of the folded warnings:\n%s", h, v)
		}
		s.update(keyMsg("i"))
		if scrolls := s.warnPage(80, h) > 0; scrolls != slices.ContainsFunc(s.keys(), func(b key.Binding) bool {
			return b.Help().Desc == "scroll warnings"
		}) {
			t.Errorf("h=%d: the warnings in full scroll: %v, but the help says otherwise", h, scrolls)
		}
		flat := strings.Join(strings.Fields(readWholeWarnings(t, s, h)), " ")
		for _, want := range []string{
			"B, C, E and F pay trn2.48xlarge capacity-block $35.76/h (catalog, us-east-2, 2026-05-21), D pays p4de.24xlarge",
			`as well as by the fleets; to compare the fleets alone`, `(docs/model.md, "Prices")`,
		} {
			if !strings.Contains(flat, want) {
				t.Errorf("h=%d: with i, the whole warning lacks %q:\n%s", h, want, flat)
			}
		}
		if strings.Contains(flat, "more lines of warnings") {
			t.Errorf("h=%d: with i, the warnings are still folded:\n%s", h, flat)
		}
	}
}

// readWholeWarnings is every warning line the compare screen s shows in
// full, in h lines, scrolled down a line at a time from the top to the
// bottom: each view must fit h, keep the table's header, and show every
// line in turn (cut to the screen once, the warnings lost their end, and
// nothing said so).
func readWholeWarnings(t *testing.T, s *compareScreen, h int) string {
	t.Helper()
	all := s.warning(80)
	seen := map[string]bool{}
	for range len(all) {
		lines := strings.Split(ansi.Strip(s.view(80, h)), "\n")
		if len(lines) > h {
			t.Fatalf("h=%d: the view with the warnings in full is %d lines:\n%s", h, len(lines), strings.Join(lines, "\n"))
		}
		if !slices.ContainsFunc(lines, func(l string) bool { return strings.HasPrefix(l, "KPI ") }) {
			t.Errorf("h=%d: the warnings in full hide the table's header:\n%s", h, strings.Join(lines, "\n"))
		}
		for _, l := range lines {
			seen[l] = true
		}
		s.update(keyMsg("down"))
	}
	var read []string
	for i, l := range all {
		if !seen[l] {
			t.Errorf("h=%d: warning line %d of %d never shows, scrolled or not: %q", h, i+1, len(all), l)
		}
		read = append(read, l)
	}
	return strings.Join(read, "\n")
}

// TestCompareWarningsOnTheSmallestTerminal: on a 12-row terminal the app
// shows 10 rows of a screen laid out for 12 (keepLastLine), 9 under a
// banner, and the compare screen lays out its legend, warnings and table
// in those, as the run and sweep screens page their warnings: folded, the
// note of the lines left out and the table's header show; in full, the
// status names lines that show, and G shows the last. Laid out for 12, the
// rows above the last were clipped unsaid: under a banner the status of
// the warnings in full, and the table's header and rows.
func TestCompareWarningsOnTheSmallestTerminal(t *testing.T) {
	const w, h = 80, minBodyH
	for _, shown := range []int{h - 2, h - 3} {
		s := newCompareScreen(testShared(), make([]string, 6))
		s.resize(w, h)
		s.update(compareLoadedMsg{addr: addr{s.sid}, cmp: sixPricedRuns()})
		text := s.warning(w)
		view := func() (string, []string) { // as App.View shows it
			if c, ok := screen(s).(clippedScreen); ok {
				c.setVisibleRows(shown)
			}
			laid := s.view(w, h)
			if n := strings.Count(laid, "\n") + 1; n > shown {
				t.Errorf("shown=%d: the screen is laid out in %d lines, the rows above its last clipped unsaid", shown, n)
			}
			v := ansi.Strip(keepLastLine(laid, shown))
			return v, strings.Split(v, "\n")
		}
		v, lines := view()
		if !strings.Contains(v, "more lines of warnings: i to read them in full") || !slices.ContainsFunc(lines, func(l string) bool { return strings.HasPrefix(l, "KPI ") }) {
			t.Errorf("shown=%d: folded, want the note of the lines left out and the table's header:\n%s", shown, v)
		}
		s.update(keyMsg("i"))
		for _, k := range []string{"", "G"} {
			if k != "" {
				s.update(keyMsg(k))
			}
			v, lines := view()
			var from, to, n int
			at := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, "⚠ warning lines ") })
			if at < 0 {
				t.Errorf("shown=%d, after %q: no status of the warnings in full:\n%s", shown, k, v)
				continue
			}
			if _, err := fmt.Sscanf(lines[at], "⚠ warning lines %d–%d of %d", &from, &to, &n); err != nil || n != len(text) {
				t.Fatalf("shown=%d, after %q: status %q (%v), want warning lines a–b of %d", shown, k, lines[at], err, len(text))
			}
			for i := from - 1; i < to; i++ {
				if !slices.Contains(lines, text[i]) {
					t.Errorf("shown=%d, after %q: the status names warning line %d, %q, which is not shown:\n%s", shown, k, i+1, text[i], v)
				}
			}
			if k == "G" && to != n {
				t.Errorf("shown=%d: G shows lines %d–%d of %d, not the last", shown, from, to, n)
			}
		}
	}
}
