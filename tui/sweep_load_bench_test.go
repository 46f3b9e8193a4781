package tui

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"aiecon/data"
	"aiecon/model/kpi"
	"aiecon/runner"
	"aiecon/sim"
	"aiecon/study"
)

// sweepOf100 registers a sweep of 100 points (ten fleet sizes by ten
// batch limits, one replication, as an optimize search stores) and writes
// one complete run for each, with the KPIs the overload check reads.
func sweepOf100(tb testing.TB) (path, id string) {
	tb.Helper()
	var counts, seqs []string
	for i := 1; i <= 10; i++ {
		counts = append(counts, fmt.Sprint(i))
		seqs = append(seqs, fmt.Sprint(16*i))
	}
	spec := "name: big\nbase: baseline\nparameters:\n  fleet.count: [" + strings.Join(counts, ", ") +
		"]\n  fleet.replica.max_num_seqs: [" + strings.Join(seqs, ", ") + "]\nkpis: [cost_per_mtok_usd]\n"
	path, st, p, id := registeredSweep(tb, spec)
	defer st.Close()
	ctx := context.Background()
	for i := range p.Points {
		w, err := st.BeginRun(ctx, data.RunInfo{Name: "big", ScenarioYAML: "name: big\n", Seed: uint64(i + 1), Version: "test",
			SweepID: id, SweepPoint: i})
		if err != nil {
			tb.Fatal(err)
		}
		if err := w.Begin(sim.RunMeta{Scenario: "big", Seed: uint64(i + 1), HorizonNs: 60e9, WindowNs: 10e9, RequestSampleRate: 1}); err != nil {
			tb.Fatal(err)
		}
		kpis := []sim.KPI{{Name: kpi.CostPerMTokUSD, Value: float64(i), Unit: "USD/Mtok"},
			{Name: "requests_arrived", Value: 1000, Unit: "requests"}, {Name: "batch_occupancy", Value: float64(i%10) / 10, Unit: "ratio"}}
		if err := w.End(sim.Summary{KPIs: kpis}); err != nil {
			tb.Fatal(err)
		}
		if err := w.Finish(0.1); err != nil {
			tb.Fatal(err)
		}
	}
	return path, id
}

// occupancyCheck flags a run whose batch slots were mostly full, reading
// its scenario as aiecon run's check does.
func occupancyCheck(context.Context, *data.Store) study.OverloadCheck {
	return func(l *runner.Loaded, _ string, kpis []sim.KPI) (bool, error) {
		if l == nil || l.Scenario == nil {
			return false, fmt.Errorf("no scenario")
		}
		for _, k := range kpis {
			if k.Name == "batch_occupancy" && k.Scope == "" {
				return k.Value > 0.85, nil
			}
		}
		return false, nil
	}
}

// BenchmarkSweepLoad measures the sweep screen's load Cmd for a sweep of
// 100 points (its points, pooled KPIs and sketches, and the overload
// check of each point's run), the store already open: "first" as the
// sweep is first opened, "again" as it is opened again (or refreshed) in
// the same session, the check's answers remembered.
//
//	go test ./tui -run '^$' -bench SweepLoad -benchtime 10x
func BenchmarkSweepLoad(b *testing.B) {
	path, id := sweepOf100(b)
	sh := testShared()
	sh.opts.Overload = occupancyCheck
	sh.conn = newConn(path, -1)
	defer sh.conn.close()
	load := func(b *testing.B) {
		m := newSweepScreen(sh, id).load()().(sweepsLoadedMsg)
		if m.err != nil || m.overloadErr != nil || len(m.points) != 100 {
			b.Fatal(m.err, m.overloadErr, len(m.points))
		}
	}
	b.Run("first", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			sh.overMemo = study.NewOverloadMemo()
			load(b)
		}
	})
	b.Run("again", func(b *testing.B) {
		sh.overMemo = study.NewOverloadMemo()
		load(b)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			load(b)
		}
	})
}
