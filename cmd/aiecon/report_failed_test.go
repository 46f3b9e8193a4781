package main

import (
	"encoding/json"
	"math"
	"path/filepath"
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

// TestSessionsLineSaysPerSessionEnded: run's sessions line says which
// sessions its revenue per session is over, the agent revenue over those
// that ended (completed or abandoned), and the figure is that quotient:
// "$0.4457 per session" read as per completed session ($0.679) or per
// session started.
func TestSessionsLineSaysPerSessionEnded(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "sessions.duckdb")
	code, table, errs := cli(t, db, "", "run", "--set", "horizon=2m", "--width", "0")
	if code != 0 {
		t.Fatalf("run: exit %d: %s", code, errs)
	}
	code, js, errs := cli(t, db, "", "show", "last", "--json")
	var shown struct {
		KPIs []sim.KPI `json:"kpis"`
	}
	if err := json.Unmarshal([]byte(js), &shown); code != 0 || err != nil {
		t.Fatalf("show --json: exit %d, %v: %s", code, err, errs)
	}
	r := runReport{res: &sim.Result{KPIs: shown.KPIs}}
	ended := r.kpi(kpi.SessionsCompleted, "") + r.kpi(kpi.SessionsAbandoned, "")
	agent := r.kpi(kpi.RevenueAgentFeesUSD, "") + r.kpi(kpi.RevenueCommerceUSD, "") + r.kpi(kpi.RevenueAdsUSD, "")
	perSession := r.kpi(kpi.RevenuePerSessionUSD, "")
	if !(ended > 0) || math.Abs(perSession-agent/ended) > 1e-9*agent {
		t.Fatalf("revenue per session %v, want the agent revenue %v over the %v sessions ended", perSession, agent, ended)
	}
	want := fmtUSD(perSession) + " agent revenue per session ended"
	if !strings.Contains(table, want) {
		t.Errorf("run's report lacks %q:\n%s", want, table)
	}
}
