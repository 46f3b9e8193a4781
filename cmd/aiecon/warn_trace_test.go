package main

import (
	"strings"
	"testing"

	"aiecon/model"
	"aiecon/sim"
)

// TestTraceCutWarns: a run whose horizon cut its arrival trace short says
// so, with the simulation's count of rows left out and their span; a run
// whose trace was replayed whole says nothing of it.
func TestTraceCutWarns(t *testing.T) {
	for _, c := range []struct {
		name      string
		cuts      []sim.TraceCut
		want, not []string
	}{
		{"cut", []sim.TraceCut{{Workload: "chat", Rows: 3600, Total: 7200, FirstNs: 3600e9, LastNs: 7199e9}},
			[]string{"TRACE CUT AT THE HORIZON: 3,600 of the 7,200 rows of workload chat's trace day.csv arrive at or after the 1h horizon " +
				"(from 1h to 1h59m59s, time_scale applied) and were not replayed; a horizon past 1h59m59s replays it whole"}, nil},
		{"under a minute", []sim.TraceCut{{Workload: "chat", Rows: 1, Total: 1, FirstNs: 4.5e9, LastNs: 4.5e9}},
			[]string{"1 of the 1 row of workload chat's trace day.csv", "(from 4.5s to 4.5s"}, nil},
		{"whole", nil, nil, []string{"TRACE CUT"}},
	} {
		r := fakeReport(nil)
		r.l.Scenario.Horizon = model.Hour
		r.l.Scenario.Workloads = []model.Workload{{Name: "chat", Arrivals: model.Arrivals{Process: "trace", Trace: &model.TraceReplay{Path: "day.csv"}}}}
		r.res.TraceCuts = c.cuts
		checkWarnings(t, c.name, strings.Join(r.warnings(), "\n"), c.want, c.not)
	}
}
