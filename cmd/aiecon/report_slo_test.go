package main

import (
	"math"
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
