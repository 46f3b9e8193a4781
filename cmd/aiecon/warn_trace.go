package main

import (
	"fmt"
	"strings"
	"time"
)

// traceCuts warn of each arrival trace the horizon cut short: its later
// rows were not replayed, so the run covers only the trace's start, which
// nothing else in the report shows. The counts are the simulation's own
// (sim.Result.TraceCuts).
func (r runReport) traceCuts() []string {
	var ws []string
	for _, c := range r.res.TraceCuts {
		path := ""
		if j, err := r.l.Scenario.WorkloadIndex(c.Workload); err == nil {
			if tr := r.l.Scenario.Workloads[j].Arrivals.Trace; tr != nil {
				path = " " + tr.Path
			}
		}
		rows := "rows"
		if c.Total == 1 {
			rows = "row"
		}
		ws = append(ws, fmt.Sprintf("TRACE CUT AT THE HORIZON: %s of the %s %s of workload %s's trace%s arrive at or after the %v horizon "+
			"(from %v to %v, time_scale applied) and were not replayed; a horizon past %v replays it whole, loop: true repeats it.",
			fmtCount(float64(c.Rows)), fmtCount(float64(c.Total)), rows, c.Workload, path, r.l.Scenario.Horizon,
			roundedDuration(c.FirstNs), roundedDuration(c.LastNs), roundedDuration(c.LastNs)))
	}
	return ws
}

// roundedDuration is ns to the second (the millisecond under a minute), as
// a clock reads: 1h59m59s, 1h, 4.5s.
func roundedDuration(ns int64) string {
	d := time.Duration(ns)
	if d >= time.Minute {
		d = d.Round(time.Second)
	} else {
		d = d.Round(time.Millisecond)
	}
	s := d.String()
	for _, zero := range []string{"m0s", "h0m"} { // 1h0m0s: 1h0m, then 1h
		if strings.HasSuffix(s, zero) {
			s = s[:len(s)-2]
		}
	}
	return s
}
