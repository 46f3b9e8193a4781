package main

import (
	"strings"
	"testing"
	"text/tabwriter"

	"aiecon/model/kpi"
	"aiecon/sim"
)

// TestSessionsLineSaysWhichTheFleetFailed: sessions_abandoned counts the
// sessions the fleet failed (a call dropped or timed out) with those whose
// users gave up, so run's sessions line and show's say how many failed
// where some did; a run where none did, or stored before sessions_failed,
// reads as before, and show prints no line of its own.
func TestSessionsLineSaysWhichTheFleetFailed(t *testing.T) {
	base := []sim.KPI{{Name: kpi.SessionsAbandoned, Value: 457}, {Name: kpi.SessionAbandonRate, Value: 0.457}}
	failed := func(n float64) []sim.KPI {
		return append(append([]sim.KPI(nil), base...), sim.KPI{Name: kpi.SessionsFailed, Value: n},
			sim.KPI{Name: kpi.SessionFailRate, Value: n / 1000})
	}
	for _, tt := range []struct {
		name   string
		kpis   []sim.KPI
		clause string
		show   string // "": no line
	}{
		{"some failed", failed(106), "; 106 of them failed by the fleet, 10.6% of those ended: a call dropped or timed out",
			"  sessions  457 abandoned (45.7%; 106 of them failed by the fleet, 10.6% of those ended: a call dropped or timed out)"},
		{"none failed", failed(0), "", ""},
		{"stored before sessions_failed", base, "", ""},
	} {
		if got := failedClause(tt.kpis); got != tt.clause {
			t.Errorf("%s: run's clause %q, want %q", tt.name, got, tt.clause)
		}
		var b strings.Builder
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		printFailedSessions(tw, tt.kpis)
		if err := tw.Flush(); err != nil {
			t.Fatal(err)
		}
		if got := strings.TrimRight(b.String(), "\n"); got != tt.show {
			t.Errorf("%s: show's line %q, want %q", tt.name, got, tt.show)
		}
	}
}
