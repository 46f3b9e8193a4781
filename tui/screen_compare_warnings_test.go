package tui

import (
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
