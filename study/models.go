package study

import (
	"math"

	"aiecon/model"
	"aiecon/model/kpi"
)

// ModelRow is one model of a model mix as run's MODELS table gives it:
// the calls it completed (an escalated request is a call to each model),
// its share of the requests' final answers, its escalations, its calls'
// latency from their arrival at it, its SLO attainment, and its
// instances' cost over the run and per million tokens of the calls it
// completed (escalated ones too, which only large bills). The run's
// report and the dashboard's Workloads tab read them from here, so that
// both give a model the same figures.
type ModelRow struct {
	Pool                              string
	Calls, Answered, Escalated        float64
	TTFTP50, TTFTP99, TPOTP99, E2EP99 float64
	SLO                               float64
	Cost, CostPerMTok                 float64
	// NoSLO: the attainment is undefined because no workload routing can
	// send to the model has an SLO, so it reads "no SLO" rather than "-".
	NoSLO bool
}

// ModelRows are the MODELS table's rows of a model mix, its serving pools
// in order (the main one first), read by get (a KPI by name and scope, NaN
// when absent); none for a scenario of one model.
func ModelRows(sc *model.Scenario, get func(name, scope string) float64) []ModelRow {
	if len(sc.Pools) == 0 {
		return nil
	}
	var out []ModelRow
	for _, p := range sc.ServingPools() {
		s := kpi.ModelScope(p.Name)
		out = append(out, ModelRow{Pool: p.Name, Calls: get(kpi.RequestsCompleted, s), Answered: get(kpi.AnsweredShare, s),
			Escalated: get(kpi.Escalations, s), TTFTP50: get(kpi.TTFTP50S, s), TTFTP99: get(kpi.TTFTP99S, s),
			TPOTP99: get(kpi.TPOTP99S, s), E2EP99: get(kpi.E2EP99S, s), SLO: get(kpi.SLOAttainment, s),
			Cost: get(kpi.CostInstancesUSD, s), CostPerMTok: get(kpi.CostPerMTokInstancesUSD, s), NoSLO: NoSLO(sc, get, s)})
	}
	return out
}

// NoSLO reports whether a scope's SLO attainment is undefined because no
// request in it has an SLO (a workload without one; the run when no
// workload has one; a model when none of the workloads routing can send
// to it has one): it reads "no SLO" rather than 100%.
func NoSLO(sc *model.Scenario, get func(name, scope string) float64, scope string) bool {
	if !math.IsNaN(get(kpi.SLOAttainment, scope)) {
		return false
	}
	for _, w := range sc.Workloads {
		if w.SLO.Set() && InScope(sc, w.Name, scope) {
			return false
		}
	}
	return true
}

// InScope reports whether a workload's requests can count in a scope: the
// run's (""), the workload's own, or a model's that routing can send them
// to (under rule workload, the model routing.workloads names, else the
// main one; under the other rules, any model).
func InScope(sc *model.Scenario, workload, scope string) bool {
	if scope == "" || scope == workload {
		return true
	}
	pool, ok := kpi.ModelOf(scope)
	if !ok {
		return false
	}
	if sc.Routing == nil || sc.Routing.Rule != model.RuleWorkload {
		return true
	}
	to, ok := sc.Routing.PoolWorkloads()[workload]
	if !ok {
		to = sc.MainPoolName()
	}
	return to == pool
}
