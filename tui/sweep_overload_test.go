package tui

import (
	"context"
	"reflect"
	"sync/atomic"
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

// TestSweepLoadAgainRemembersOverload: the sweep screen opened again (or
// refreshed) in the same session does not resolve and check again the
// runs it checked (a 100-point sweep spent most of its load there), and
// marks the points as the first load did.
func TestSweepLoadAgainRemembersOverload(t *testing.T) {
	path, id := sweepOf100(t)
	var calls atomic.Int64
	check := func(ctx context.Context, st *data.Store) study.OverloadCheck {
		inner := occupancyCheck(ctx, st)
		return func(l *runner.Loaded, runID string, kpis []sim.KPI) (bool, error) {
			calls.Add(1)
			return inner(l, runID, kpis)
		}
	}
	sh := testShared()
	sh.opts.Overload = check
	sh.overMemo = study.NewOverloadMemo()
	sh.conn = newConn(path, -1)
	defer sh.conn.close()
	load := func() map[int]int {
		m := newSweepScreen(sh, id).load()().(sweepsLoadedMsg)
		if m.err != nil || m.overloadErr != nil {
			t.Fatal(m.err, m.overloadErr)
		}
		return m.overloaded
	}
	first := load()
	if calls.Load() != 100 {
		t.Fatalf("the first load checked %d runs, want 100", calls.Load())
	}
	if len(first) != 10 || first[9] != 1 || first[99] != 1 || first[8] != 0 {
		t.Fatalf("first load's marks %v: want the points of occupancy 0.9 marked", first)
	}
	again := load()
	if n := calls.Load(); n != 100 {
		t.Errorf("the second load checked %d runs again", n-100)
	}
	if !reflect.DeepEqual(first, again) {
		t.Errorf("the second load marks %v, the first %v", again, first)
	}
}
