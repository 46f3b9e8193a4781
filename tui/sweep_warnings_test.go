package tui

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"aiecon/data"
	"aiecon/model/kpi"
	"aiecon/runner"
	"aiecon/sim"
	"aiecon/study"
)

// sweepWithAbandonment is a store with a sweep of baseline (gross
// commerce, trn2.48xlarge on constants too few to cross-validate) whose
// two points' runs abandoned a third of their shopping sessions at 100%
// SLO attainment: aiecon sweep warns COMMERCE COUNTED GROSS and SESSIONS
// ABANDONED of it, and optimize, of such candidates, the thin fit.
func sweepWithAbandonment(t *testing.T) (path, id string) {
	ctx := context.Background()
	path, st, _, id := registeredSweep(t, "name: warn\nbase: baseline\nparameters:\n  fleet.count: [2, 4]\nreplications: 1\nkpis: [margin_usd]\n")
	for pt := range 2 {
		w, err := st.BeginRun(ctx, data.RunInfo{Name: "warn", ScenarioYAML: "name: warn\n", Seed: 1, Version: "test", SweepID: id, SweepPoint: pt})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Begin(sim.RunMeta{Scenario: "warn", Seed: 1, HorizonNs: 60e9, WindowNs: 10e9, RequestSampleRate: 1}); err != nil {
			t.Fatal(err)
		}
		const shop = "shopping-assistant"
		kpis := []sim.KPI{{Name: kpi.MarginUSD, Value: 500, Unit: "USD"}, {Name: kpi.RevenueUSD, Value: 654, Unit: "USD"},
			{Name: kpi.RevenueCommerceUSD, Value: 641, Unit: "USD"},
			{Name: kpi.SessionAbandonRate, Scope: shop, Value: 0.346, Unit: "fraction"}, {Name: kpi.SessionsAbandoned, Scope: shop, Value: 503},
			{Name: kpi.SessionsCompleted, Scope: shop, Value: 951}, {Name: kpi.SLOAttainment, Scope: shop, Value: 1, Unit: "fraction"}}
		if err := w.End(sim.Summary{KPIs: kpis}); err != nil {
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

// TestSweepScreenWarns: the sweep screen shows the warnings aiecon sweep
// prints under its summary (COMMERCE COUNTED GROSS, SESSIONS ABANDONED)
// and optimize prints of the fleets it evaluated (STEP TIMES THINLY
// FITTED), tallied by the CLI's code over the runs the overload check
// visits: their names on a line at 80x24, in full under i, scrolled by
// the table's keys (the points' keys do nothing there), folded by i or
// esc; a second load, whose check the memo answers, keeps them. It showed
// none of them.
func TestSweepScreenWarns(t *testing.T) {
	path, id := sweepWithAbandonment(t)
	sh := testShared()
	sh.opts.Overload = func(context.Context, *data.Store) study.OverloadCheck {
		return func(*runner.Loaded, string, []sim.KPI) (bool, error) { return false, nil }
	}
	sh.overMemo, sh.caveats = study.NewOverloadMemo(), &sweepCaveats{}
	sh.conn = newConn(path, -1)
	defer sh.conn.close()
	for load := range 2 {
		s := newSweepScreen(sh, id)
		s.resize(80, 24)
		m := s.load()().(sweepsLoadedMsg)
		if m.err != nil || m.overloadErr != nil {
			t.Fatal(m.err, m.overloadErr)
		}
		s.update(m)
		v := ansi.Strip(s.view(80, 24))
		flat := strings.Join(strings.Fields(v), " ")
		for _, want := range []string{"⚠ COMMERCE COUNTED GROSS · SESSIONS ABANDONED · STEP TIMES THINLY FITTED (trn2.48xlarge)", "i: in full"} {
			if !strings.Contains(flat, want) {
				t.Errorf("load %d: the screen does not name the warnings %q:\n%s", load+1, want, v)
			}
		}
		checkFits(t, v, 80, 24)
		s.update(keyMsg("i"))
		v = ansi.Strip(s.view(80, 24))
		flat = strings.Join(strings.Fields(v), " ")
		for _, want := range []string{"SESSIONS ABANDONED: in 2 of the 2 runs counted, as aiecon run warns",
			"shopping-assistant abandons 34.6% of its agent sessions (503 of 1,454 ended) while its SLO is met on 100.0%", "warning lines 1–"} {
			if !strings.Contains(flat, want) {
				t.Errorf("load %d: in full, the screen does not say %q:\n%s", load+1, want, v)
			}
		}
		checkFits(t, v, 80, 24)
		if cmd := s.update(keyMsg("enter")); cmd != nil {
			t.Errorf("enter opened a point's run from under the warnings")
		}
		s.update(keyMsg("down"))
		if s.warnOff != 1 {
			t.Errorf("down scrolled the warnings to line %d, want 1", s.warnOff)
		}
		if !s.back() || s.warnFull {
			t.Errorf("esc did not fold the warnings")
		}
	}
}

// checkFits fails where a view is wider or taller than the screen.
func checkFits(t *testing.T, v string, w, h int) {
	t.Helper()
	lines := strings.Split(v, "\n")
	if len(lines) > h {
		t.Errorf("the view is %d lines, want at most %d:\n%s", len(lines), h, v)
	}
	for _, l := range lines {
		if ansi.StringWidth(l) > w {
			t.Errorf("line wider than %d: %q", w, l)
		}
	}
}

// TestSweepWarningsOnTheSmallestTerminal: on a 12-row terminal the app
// shows 10 rows of a screen laid out for 12 (keepLastLine), and the
// warnings in full page by those: the status names the lines shown, and G
// shows the last. Paged on 12, the status named two lines clipped away and
// G stopped two short of the end.
func TestSweepWarningsOnTheSmallestTerminal(t *testing.T) {
	path, id := sweepWithAbandonment(t)
	sh := testShared()
	sh.opts.Overload = func(context.Context, *data.Store) study.OverloadCheck {
		return func(*runner.Loaded, string, []sim.KPI) (bool, error) { return false, nil }
	}
	sh.overMemo, sh.caveats = study.NewOverloadMemo(), &sweepCaveats{}
	sh.conn = newConn(path, -1)
	defer sh.conn.close()
	const w, h, shown = 50, minBodyH, minBodyH - 2
	s := newSweepScreen(sh, id)
	s.resize(w, h)
	m := s.load()().(sweepsLoadedMsg)
	if m.err != nil || m.overloadErr != nil {
		t.Fatal(m.err, m.overloadErr)
	}
	s.update(m)
	s.update(keyMsg("i"))
	text := s.warnText(w)
	for _, k := range []string{"", "G"} {
		if k != "" {
			s.update(keyMsg(k))
		}
		s.setVisibleRows(shown) // as App.View does
		v := ansi.Strip(keepLastLine(s.view(w, h), shown))
		lines := strings.Split(v, "\n")
		var from, to, n int
		if _, err := fmt.Sscanf(lines[len(lines)-1], "warning lines %d–%d of %d", &from, &to, &n); err != nil || n != len(text) {
			t.Fatalf("after %q: status %q (%v), want warning lines a–b of %d", k, lines[len(lines)-1], err, len(text))
		}
		for i := from - 1; i < to; i++ {
			if !strings.Contains(v, strings.TrimSpace(text[i])) {
				t.Errorf("after %q: the status names warning line %d, %q, which is not shown:\n%s", k, i+1, text[i], v)
			}
		}
		if k == "G" && to != n {
			t.Errorf("G shows lines %d–%d of %d, not the last", from, to, n)
		}
	}
}
