package tui

import (
	"context"
	"math"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"aiecon/data"
	"aiecon/model/kpi"
	"aiecon/sim"
	"aiecon/study"
)

// pairedRun is one stored run of a paired sweep's fixture.
type pairedRun struct {
	point, rep      int
	seed            uint64
	margin, revenue float64
}

// pairedSweep stores a sweep of fleet.count 4, 8, 16 with the runs given,
// KPIs margin_usd and revenue_usd, and returns the store's path and the
// sweep's id.
func pairedSweep(t *testing.T, reps int, runs []pairedRun) (path, id string) {
	t.Helper()
	ctx := context.Background()
	spec := "name: pair\nbase: baseline\nparameters:\n  fleet.count: [4, 8, 16]\nreplications: " + string(rune('0'+reps)) + "\nkpis: [margin_usd, revenue_usd]\n"
	path, st, p, id := registeredSweep(t, spec)
	for _, r := range runs {
		w, err := st.BeginRun(ctx, data.RunInfo{Name: "pair", ScenarioYAML: "name: pair\n", Seed: r.seed, Version: "test",
			SweepID: id, SweepPoint: r.point, Replication: r.rep, ParamsJSON: p.Points[r.point].ParamsJSON()})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Begin(sim.RunMeta{Scenario: "pair", Seed: r.seed, HorizonNs: 60e9, WindowNs: 10e9, RequestSampleRate: 1}); err != nil {
			t.Fatal(err)
		}
		sum := sim.Summary{KPIs: []sim.KPI{{Name: kpi.MarginUSD, Value: r.margin, Unit: "USD"}, {Name: kpi.RevenueUSD, Value: r.revenue, Unit: "USD"}}}
		if err := w.End(sum); err != nil {
			t.Fatal(err)
		}
		if err := w.Finish(0.1); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	return path, id
}

// threeByThree are 3 points x 3 replications, replication r of every
// point on seed 10+r, with margins whose paired differences are far
// narrower than the points' spread.
func threeByThree() []pairedRun {
	var runs []pairedRun
	for pt, shift := range []float64{0, 5, -3} {
		for r, base := range []float64{100, 140, 70} {
			runs = append(runs, pairedRun{point: pt, rep: r, seed: uint64(10 + r), margin: base + shift + float64(r*pt), revenue: 2*base + float64(pt)})
		}
	}
	return runs
}

// openPaired opens sweep id's screen at w x h on the store at path, loads
// it, and presses d on the table's row of point vs; it returns the screen
// with the paired differences read.
func openPaired(t *testing.T, path, id string, vs, w, h int) *sweepScreen {
	t.Helper()
	sh := testShared()
	sh.conn = newConn(path, -1)
	t.Cleanup(func() { sh.conn.close() })
	s := newSweepScreen(sh, id)
	s.resize(w, h)
	for _, m := range msgsOf(s.load()) {
		if lm, ok := m.(sweepsLoadedMsg); ok && lm.err != nil {
			t.Fatal(lm.err)
		}
		s.update(m)
	}
	for s.tbl.selected() != s.rowOfPoint(vs) {
		s.update(tea.KeyPressMsg{Code: tea.KeyDown})
	}
	cmd := s.update(tea.KeyPressMsg{Code: 'd', Text: "d"})
	if s.paired == nil || !s.paired.loading {
		t.Fatalf("d did not start the paired view: %+v", s.paired)
	}
	msgs := msgsOf(cmd)
	if len(msgs) != 1 {
		t.Fatalf("d sent %v, want the paired differences", msgs)
	}
	if m, ok := msgs[0].(sweepPairedMsg); !ok || m.err != nil {
		t.Fatalf("d sent %#v", msgs[0])
	}
	s.update(msgs[0])
	return s
}

// storedValues are a KPI's values of sweep id's runs as the store gives
// them, by point, then replication (NaN where a replication has no run).
func storedValues(t *testing.T, path, id, name string, reps int) map[int][]float64 {
	t.Helper()
	st, err := data.Open(path, data.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rows, err := st.SweepKPIs(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	out := map[int][]float64{}
	for _, r := range rows {
		if r.Name != name || r.Scope != "" {
			continue
		}
		if out[r.Point] == nil {
			out[r.Point] = []float64{math.NaN(), math.NaN(), math.NaN()}[:reps]
		}
		out[r.Point][r.Replication] = r.Value
	}
	return out
}

// TestSweepPairedMatchesPairedCI: d on a point shows every other point's
// margin less that point's, paired by replication, with the interval
// study.PairedCI gives on the stored runs' values, and says the
// reference is the reference rather than showing it a zero.
func TestSweepPairedMatchesPairedCI(t *testing.T) {
	path, id := pairedSweep(t, 3, threeByThree())
	vals := storedValues(t, path, id, kpi.MarginUSD, 3)
	s := openPaired(t, path, id, 0, 120, 30)
	view := s.view(120, 30)
	for _, pt := range []int{1, 2} {
		want := study.PairedCI(vals[pt], vals[0], study.ConfidenceLevel)
		got := s.paired.diffs[pt].KPIs[0]
		if want.N != 3 || got.N != want.N || math.Abs(got.Mean-want.Mean) > 1e-9 || math.Abs(got.HalfWidth-want.HalfWidth) > 1e-9 {
			t.Errorf("point %d: margin difference %+v, study.PairedCI on the stored runs %+v", pt, got, want)
		}
		if cellText := pairedCell(want, "USD"); !strings.Contains(view, cellText) {
			t.Errorf("point %d: the view lacks %q:\n%s", pt, cellText, view)
		}
	}
	for _, want := range []string{"Paired Δ from point 0 (count=4)", "Δ MARGIN", "Δ REVENUE", "PAIRS", "reference: the Δ are from it"} {
		if !strings.Contains(view, want) {
			t.Errorf("the view lacks %q:\n%s", want, view)
		}
	}
}

// TestSweepPairedSaysWhatDoesNotPair: a point whose replication ran on
// another seed than the reference's shows words, not a number, and the
// reason when selected; the others still show; a sweep of one
// replication (one seed a point) says so instead of a table.
func TestSweepPairedSaysWhatDoesNotPair(t *testing.T) {
	runs := threeByThree()
	runs[8].seed = 99 // point 2, replication 2
	path, id := pairedSweep(t, 3, runs)
	s := openPaired(t, path, id, 0, 80, 24)
	if _, ok := s.paired.diffs[2]; ok {
		t.Error("point 2 has differences though its replication 2 ran on seed 99")
	}
	if s.paired.diffs[1].Pairs != 3 {
		t.Errorf("point 1 paired %d replications, want 3", s.paired.diffs[1].Pairs)
	}
	for s.tbl.selected() != s.rowOfPoint(2) {
		s.update(tea.KeyPressMsg{Code: tea.KeyDown})
	}
	view := s.view(80, 24)
	row := lineWith(view, "not seed-paired")
	if row == "" || strings.Contains(row, "±") || strings.Contains(row, "$") {
		t.Errorf("point 2's row %q, want words and no number:\n%s", row, view)
	}
	if !strings.Contains(view, "ran on seed 99") {
		t.Errorf("the selected point's reason is missing:\n%s", view)
	}
	fitsIn(t, view, 80, 24)

	path, id = pairedSweep(t, 1, []pairedRun{{0, 0, 10, 100, 200}, {1, 0, 10, 104, 200}, {2, 0, 10, 98, 200}})
	s = openPaired(t, path, id, 0, 80, 24)
	view = s.view(80, 24)
	if words := strings.Join(strings.Fields(ansi.Strip(view)), " "); !strings.Contains(words, "sweep pair has 1 replication per point") || strings.Contains(view, "±") {
		t.Errorf("a sweep of one replication shows:\n%s", view)
	}
	fitsIn(t, view, 80, 24)
}

// TestSweepPairedLeaves: d on the reference, or esc, goes back to the
// KPIs and the heatmap; d on another point makes it the reference.
func TestSweepPairedLeaves(t *testing.T) {
	path, id := pairedSweep(t, 3, threeByThree())
	s := openPaired(t, path, id, 1, 120, 30)
	s.update(tea.KeyPressMsg{Code: tea.KeyDown})
	cmd := s.update(tea.KeyPressMsg{Code: 'd', Text: "d"})
	if s.paired == nil || s.paired.vs != 2 || cmd == nil {
		t.Fatalf("d on point 2: paired %+v", s.paired)
	}
	s.update(tea.KeyPressMsg{Code: 'd', Text: "d"})
	if s.paired != nil || !strings.Contains(s.view(120, 30), "Heatmap") {
		t.Error("d on the reference did not go back to the KPIs")
	}
	s.update(tea.KeyPressMsg{Code: 'd', Text: "d"})
	if !s.back() || s.paired != nil || s.back() {
		t.Error("esc did not leave the paired view first, then the screen")
	}
}

// lineWith is the first line of text holding sub, "" where none does.
func lineWith(text, sub string) string {
	for l := range strings.Lines(text) {
		if strings.Contains(l, sub) {
			return l
		}
	}
	return ""
}

// fitsIn fails where a view is wider or taller than w x h.
func fitsIn(t *testing.T, view string, w, h int) {
	t.Helper()
	lines := strings.Split(view, "\n")
	if len(lines) > h {
		t.Errorf("%d lines, more than %d", len(lines), h)
	}
	for _, l := range lines {
		if lipgloss.Width(l) > w {
			t.Errorf("line wider than %d: %q", w, l)
		}
	}
}

// TestSweepPairedScrollsKPIs: where the KPIs' differences do not all fit
// the width, the status line says which show and →/← bring the others.
func TestSweepPairedScrollsKPIs(t *testing.T) {
	path, id := pairedSweep(t, 3, threeByThree())
	s := openPaired(t, path, id, 0, 44, 24)
	view := s.view(44, 24)
	if !strings.Contains(view, "Δ MARGIN") || strings.Contains(view, "Δ REVENUE") || !strings.Contains(view, "KPIs 1–1 of 2") {
		t.Fatalf("at 44 columns:\n%s", view)
	}
	s.update(tea.KeyPressMsg{Code: tea.KeyRight})
	view = s.view(44, 24)
	if strings.Contains(view, "Δ MARGIN") || !strings.Contains(view, "Δ REVENUE") || !strings.Contains(view, "KPIs 2–2 of 2") {
		t.Errorf("after →:\n%s", view)
	}
	s.update(tea.KeyPressMsg{Code: tea.KeyRight}) // the last shows already
	s.update(tea.KeyPressMsg{Code: tea.KeyLeft})
	if view = s.view(44, 24); !strings.Contains(view, "Δ MARGIN") {
		t.Errorf("after → → ←:\n%s", view)
	}
	fitsIn(t, view, 44, 24)
}
