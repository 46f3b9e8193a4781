package forecast

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	kpicat "aiecon/model/kpi"
)

// TestAbandonmentNote: where the margin between the best variant and
// another is mostly revenue the other loses to latency, the report says
// that abandonment rests on the patience and the tool calls' lengths,
// naming their fields; not where the gap is costs, nor for a report
// stored without the assumptions. The built-in's owned-p5en beat
// owned-trn2 by commerce lost to abandonment with no word of it.
func TestAbandonmentNote(t *testing.T) {
	f := parse(t, small)
	assumptions := NewReport(f, nil, 0).AbandonmentAssumptions
	for _, w := range []string{"workloads[shopping-assistant].agent.patience (median 20 s, p99 120 s, on ttft",
		"workloads[shopping-assistant].agent.tool_call_tokens (unset"} {
		if !strings.Contains(assumptions, w) {
			t.Errorf("assumptions %q: no %q", assumptions, w)
		}
	}
	type totals struct{ om, lost float64 }
	tests := []struct {
		name        string
		best, other [2]totals // per sample
		assumptions string
		want        string // "" for no note
	}{
		{"abandonment", [2]totals{{10e6, 1e6}, {12e6, 1e6}}, [2]totals{{6e6, 4e6}, {8e6, 4e6}}, assumptions,
			"best's operating margin over the horizon is $4M above other's, and $3M of that is revenue other loses to latency beyond what best loses (40.0% against 10.0%"},
		{"costs", [2]totals{{10e6, 1e6}, {12e6, 1e6}}, [2]totals{{6e6, 2e6}, {8e6, 2e6}}, assumptions, ""},
		{"stored before", [2]totals{{10e6, 1e6}, {12e6, 1e6}}, [2]totals{{6e6, 4e6}, {8e6, 4e6}}, "", ""},
	}
	for _, tt := range tests {
		r := &Report{PeriodLen: "quarter", Periods: 1, Samples: 2, AbandonmentAssumptions: tt.assumptions}
		for _, v := range []struct {
			name    string
			t       [2]totals
			abandon Ratio
		}{{"best", tt.best, 0.1}, {"other", tt.other, 0.4}} {
			var ps []Period
			for s, x := range v.t {
				ps = append(ps, Period{Variant: v.name, Sample: s, Period: 1, OperatingMarginUSD: x.om, RevenueLostToLatencyUSD: x.lost, SessionAbandon: v.abandon})
			}
			r.Summary = append(r.Summary, Summarize(ps)...)
		}
		note := r.AbandonmentNote()
		if tt.want == "" {
			if note != "" {
				t.Errorf("%s: noted %q", tt.name, note)
			}
			continue
		}
		if !strings.HasPrefix(note, "ABANDONMENT DECIDES THE COMPARISON: "+tt.want) || !strings.Contains(note, tt.assumptions) {
			t.Errorf("%s: note %q\nwant %q and the assumptions", tt.name, note, tt.want)
		}
		body, _ := json.Marshal(r)
		if !slices.Contains(StoredCaveats(string(body), "other"), note) {
			t.Errorf("%s: not among the stored report's caveats", tt.name)
		}
	}
}

// TestPeriodLostToLatency: a period's revenue lost to latency is its runs'
// scaled to the period; a run without the KPI adds nothing.
func TestPeriodLostToLatency(t *testing.T) {
	f := parse(t, small)
	var runs []RunResult
	for i, lost := range []float64{3, 5} {
		runs = append(runs, RunResult{Job: Job{Variant: 1, Period: 1, Slice: i}, SimHours: f.Spec.Day.Horizon.Seconds() / 3600,
			KPIs: map[string]float64{kpicat.RevenueLostToLatencyUSD: lost}})
	}
	runs = append(runs, RunResult{Job: Job{Variant: 1, Period: 1}, SimHours: f.Spec.Day.Horizon.Seconds() / 3600, KPIs: map[string]float64{}})
	p := f.period(1, 0, 1, runs)
	if !near(p.RevenueLostToLatencyUSD, 8*f.Scale()) {
		t.Errorf("lost to latency %v, want %v", p.RevenueLostToLatencyUSD, 8*f.Scale())
	}
}
