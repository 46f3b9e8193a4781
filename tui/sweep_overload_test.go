package tui

import (
	"context"
	"testing"

	"aiecon/data"
	"aiecon/model/kpi"
	"aiecon/runner"
	"aiecon/sim"
	"aiecon/study"
)

// TestSweepLoadChecksOverload: loading a sweep asks the dashboard's
// overload check (Options.Overload, aiecon run's in the binary) of the
// runs aiecon sweep counts, and marks each point with the count aiecon
// sweep's summary gives for the same check; a later duplicate of a
// replication is not asked (review87 B4).
func TestSweepLoadChecksOverload(t *testing.T) {
	ctx := context.Background()
	path, st, p, id := registeredSweep(t, "name: over\nbase: baseline\nparameters:\n  fleet.count: [1, 3]\nreplications: 2\nkpis: [cost_per_mtok_usd]\n")
	flag := map[string]bool{}
	for i, r := range []struct {
		point, rep int
		over       bool
	}{{0, 0, true}, {0, 1, true}, {1, 0, false}, {1, 1, true}, {1, 1, true}} {
		w, err := st.BeginRun(ctx, data.RunInfo{Name: "over", ScenarioYAML: "name: over\n", Seed: uint64(i + 1), Version: "test",
			SweepID: id, SweepPoint: r.point, Replication: r.rep})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Begin(sim.RunMeta{Scenario: "over", Seed: uint64(i + 1), HorizonNs: 60e9, WindowNs: 10e9, RequestSampleRate: 1}); err != nil {
			t.Fatal(err)
		}
		if err := w.End(sim.Summary{KPIs: []sim.KPI{{Name: kpi.CostPerMTokUSD, Value: 3, Unit: "USD/Mtok"}}}); err != nil {
			t.Fatal(err)
		}
		if err := w.Finish(0.1); err != nil {
			t.Fatal(err)
		}
		flag[w.ID()] = r.over
	}
	check := func(context.Context, *data.Store) study.OverloadCheck {
		return func(_ *runner.Loaded, runID string, _ []sim.KPI) (bool, error) { return flag[runID], nil }
	}
	want, err := study.SummarizeChecked(ctx, st, id, p, study.ShardSpec{}, check(ctx, st))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	sh := testShared()
	sh.opts.Overload = check
	sh.conn = newConn(path, -1)
	defer sh.conn.close()
	s := newSweepScreen(sh, id)
	s.resize(120, 28)
	msgs := msgsOf(s.load())
	if m := msgs[0].(sweepsLoadedMsg); m.err != nil || m.overloadErr != nil {
		t.Fatal(m.err, m.overloadErr)
	}
	s.update(msgs[0])
	for i, ps := range want.Points {
		if got := s.points[i].overloaded; got != ps.Overloaded || s.overErr != nil {
			t.Errorf("point %d: %d overloaded runs (%v), aiecon sweep's summary %d", i, got, s.overErr, ps.Overloaded)
		}
	}
	if want.Points[0].Overloaded != 2 || want.Points[1].Overloaded != 1 {
		t.Fatalf("the summary counts %d and %d, want 2 and 1", want.Points[0].Overloaded, want.Points[1].Overloaded)
	}
}
