package main

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/goccy/go-yaml"

	"aiecon/model"
	"aiecon/model/kpi"
	"aiecon/sim"
)

// TestSLOMetOfAModel: a model's SLO attainment, undefined, reads "no SLO"
// when none of the workloads routed to it sets one, even where another
// workload, served by another model, does; and "-" where one of them does.
func TestSLOMetOfAModel(t *testing.T) {
	r := fakeReport(map[string]float64{})
	sc := r.l.Scenario
	sc.Model.Name = "big"
	sc.Pools = []model.Pool{{Name: "small"}}
	sc.Workloads = []model.Workload{{Name: "chat", SLO: model.SLO{TTFT: model.Duration(time.Second)}}, {Name: "batch"}}
	sc.Routing = &model.Routing{Rule: model.RuleWorkload, Workloads: yaml.MapSlice{{Key: "batch", Value: "small"}}}
	for _, s := range []string{kpi.ModelScope("big"), kpi.ModelScope("small"), "chat", "batch", ""} {
		r.res.KPIs = append(r.res.KPIs, sim.KPI{Name: kpi.SLOAttainment, Scope: s, Value: math.NaN()})
	}
	want := map[string]string{kpi.ModelScope("small"): "no SLO", kpi.ModelScope("big"): "-", "batch": "no SLO", "chat": "-", "": "-"}
	for scope, w := range want {
		if got := r.sloMet(scope); got != w {
			t.Errorf("rule workload, %q: %q, want %q", scope, got, w)
		}
	}
	// Under small-first every request reaches small, so its SLO counts there.
	sc.Routing = &model.Routing{Rule: model.RuleSmallFirst, Small: "small", Large: "big"}
	for _, p := range []string{"small", "big"} {
		if got := r.sloMet(kpi.ModelScope(p)); got != "-" {
			t.Errorf("small-first, model %s: %q, want -", p, got)
		}
	}
}

// TestSLOLineNamesSetTargets: the LATENCY section's SLO line names the
// targets a workload sets and no other: a workload with a TTFT target
// alone read "TTFT <= 1s, TPOT <= 0s", a target no request can meet,
// where 0 means none.
func TestSLOLineNamesSetTargets(t *testing.T) {
	r := fakeReport(map[string]float64{})
	r.width = 0
	sec := model.Duration(time.Second)
	r.l.Scenario.Workloads = []model.Workload{{Name: "chat", SLO: model.SLO{TTFT: sec}}, {Name: "stream", SLO: model.SLO{TPOT: sec / 20}},
		{Name: "api", SLO: model.SLO{TTFT: 2 * sec, TPOT: sec / 10}}, {Name: "batch"}}
	var b strings.Builder
	r.printLatency(&b, nil)
	const want = "SLO: chat TTFT <= 1s; stream TPOT <= 50ms; api TTFT <= 2s, TPOT <= 100ms\n"
	if !strings.Contains(b.String(), want) {
		t.Errorf("LATENCY:\n%s\nwant %q", b.String(), want)
	}
}
