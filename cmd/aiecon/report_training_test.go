package main

import (
	"encoding/json"
	"strings"
	"testing"

	"aiecon/model"
)

// TestTrainingCoverageQuota: training_idle_coverage is of the work the run
// owes, which a training.quota makes that many pro-rata shares (none at 0),
// so the line names the quota rather than the pro-rata share.
func TestTrainingCoverageQuota(t *testing.T) {
	q := func(v float64) *float64 { return &v }
	tests := []struct {
		name  string
		quota *float64
		cov   float64
		want  string
	}{
		{"no quota, all done", nil, 1, "; lent replicas did this run's pro-rata share of it"},
		{"no quota, part done", nil, 0.25, "; lent replicas did 25.0% of this run's pro-rata share, the dedicated cluster is billed for the rest"},
		{"quota 0", q(0), 1, "; this run owes nothing (quota 0): nothing lent"},
		{"quota 0.5, all done", q(0.5), 1, "; lent replicas did all of the work this run owes (quota 0.5: 0.5 pro-rata shares)"},
		{"quota 1, all done", q(1), 1, "; lent replicas did all of the work this run owes (quota 1: 1 pro-rata share)"},
		{"quota 3, part done", q(3), 0.641, "; lent replicas did 64.1% of the work this run owes (quota 3: 3 pro-rata shares), the dedicated cluster is billed for the rest"},
	}
	for _, tt := range tests {
		r := fakeReport(map[string]float64{"training_idle_coverage": tt.cov})
		r.l.Scenario.Training = &model.Training{Where: "fleet-idle", Quota: tt.quota}
		if got := r.trainingCoverage(); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
		if tt.quota != nil && strings.Contains(r.trainingCoverage(), "did this run's pro-rata share") {
			t.Errorf("%s: a quota run is said to have done its pro-rata share", tt.name)
		}
	}
	if got := fakeReport(nil).trainingCoverage(); got != "" {
		t.Errorf("no coverage KPI: got %q", got)
	}
}

// TestTrainingCoverageSaysWhyHeld: a run whose lent replicas did less than
// it owed says what held the lender back, from the training_held_* KPIs
// (review99 F1: "0.0% ..." with no reason), and the time the job lost to
// checkpoint loads, warm-ups and redone work beside it, the larger first
// (review102 B3); a stored run without them, or one that did all it owed,
// adds nothing.
func TestTrainingCoverageSaysWhyHeld(t *testing.T) {
	tests := []struct {
		name string
		kpis map[string]float64
		want []string // "" entries: none
	}{
		{"held by demand", map[string]float64{"training_idle_coverage": 0, "training_held_demand": 30, "training_held_waiting": 0, "training_held_busy": 0},
			[]string{"did 0.0% of", ": serving held the lender back at 30 of its decisions (30 with demand at or above training.lend_below 0.3"}},
		{"waiting and busy", map[string]float64{"training_idle_coverage": 0.5, "training_held_demand": 0, "training_held_waiting": 4, "training_held_busy": 114},
			[]string{"at 118 of its decisions (4 with requests waiting; 114 with less than a replica's worth of time idle", "(scheduler neuron)"}},
		// review102 B3: a 1 TB checkpoint's load took most of a 10-minute
		// run, serving held one decision; serving was blamed alone.
		{"restart-bound", map[string]float64{"training_idle_coverage": 0.435, "training_held_waiting": 1, "training_time_lost_hours": 0.11},
			[]string{": mostly 0.11 h of the job's time lost to checkpoint loads and writes, warm-ups and redone work; also serving held the lender back at 1 of its decisions (1 with requests waiting), 0.02 h at training.interval 1m"}},
		{"serving-bound", map[string]float64{"training_idle_coverage": 0.1, "training_held_demand": 30, "training_time_lost_hours": 0.05},
			[]string{": mostly serving held the lender back at 30 of its decisions", "0.50 h at training.interval 1m; also 0.05 h of the job's time lost"}},
		{"alike", map[string]float64{"training_idle_coverage": 0.1, "training_held_demand": 6, "training_time_lost_hours": 0.08},
			[]string{": serving held the lender back at 6 of", "0.10 h at training.interval 1m; and 0.08 h of the job's time lost"}},
		{"restarts only", map[string]float64{"training_idle_coverage": 0.3, "training_time_lost_hours": 0.2},
			[]string{"billed for the rest: 0.20 h of the job's time lost to checkpoint loads"}},
	}
	for _, tt := range tests {
		r := fakeReport(tt.kpis)
		r.l.Scenario.Training = &model.Training{Where: "fleet-idle", LendBelow: 0.3, Interval: 60 * model.Second}
		r.l.Scenario.Fleet.Replica.Scheduler = "neuron"
		got := r.trainingCoverage()
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: %q does not say %q", tt.name, got, w)
			}
		}
	}
	for _, kpis := range []map[string]float64{{"training_idle_coverage": 0.2}, {"training_idle_coverage": 1, "training_held_demand": 3}} {
		r := fakeReport(kpis)
		r.l.Scenario.Training = &model.Training{Where: "fleet-idle", LendBelow: 0.3}
		if got := r.trainingCoverage(); strings.Contains(got, "held the lender back") {
			t.Errorf("%v: %q", kpis, got)
		}
	}
}

// TestVariantComparisonFreshness: run's COMPARISON warns, as aiecon compare
// does, when some variants have a training block and others none: their
// revenue differs by freshness being modelled or not, not by retraining.
// A variant whose agent sells no ads and converts no orders has nothing
// for freshness to multiply, and is left out.
func TestVariantComparisonFreshness(t *testing.T) {
	variantConverting := func(name string, training bool, conversion float64) runReport {
		r := fakeReport(map[string]float64{"revenue_usd": 100})
		r.l.Scenario.Name = "s/" + name
		r.l.Scenario.Workloads = []model.Workload{{Name: "shop", Class: model.ClassAgent, Agent: &model.Agent{Value: model.Value{Conversion: conversion}}}}
		if training {
			r.l.Scenario.Training = &model.Training{Where: "dedicated"}
		}
		return r
	}
	variant := func(name string, training bool) runReport { return variantConverting(name, training, 0.03) }
	const warn = "WARNING: model freshness is modelled in some variants only: "
	tests := []struct {
		name string
		reps []runReport
		want string // "" = no warning
	}{
		{"none trains", []runReport{variant("a", false), variant("b", false)}, ""},
		{"all train", []runReport{variant("a", true), variant("b", true)}, ""},
		{"some train", []runReport{variant("plain", false), variant("weekly", true), variant("daily", true)},
			warn + "weekly, daily have a training block, so the model's freshness multiplies their click-through and conversion; plain has none"},
		{"trains, nothing to multiply", []runReport{variant("plain", false), variantConverting("weekly", true, 0)}, ""},
		{"one of two multiplies", []runReport{variant("plain", false), variantConverting("weekly", true, 0), variant("daily", true)},
			warn + "daily has a training block"},
	}
	for _, tt := range tests {
		checkComparisonWarning(t, tt.name, tt.reps, tt.want)
	}
}

// checkComparisonWarning checks that run's COMPARISON of reps prints want
// ("" = no WARNING at all) and that --json carries it, less "WARNING: ",
// first in comparison_warnings (an empty list where none).
func checkComparisonWarning(t *testing.T, name string, reps []runReport, want string) {
	t.Helper()
	var b strings.Builder
	if err := printVariantComparison(&b, reps); err != nil {
		t.Fatal(err)
	}
	got := b.String()
	if want == "" && strings.Contains(got, "WARNING") {
		t.Errorf("%s: warned:\n%s", name, got)
	}
	if want != "" && !strings.Contains(got, want) {
		t.Errorf("%s: lacks %q:\n%s", name, want, got)
	}
	var jb strings.Builder
	if err := writeRunJSON(&jb, reps); err != nil {
		t.Fatal(err)
	}
	var v struct {
		Warnings []string `json:"comparison_warnings"`
	}
	if err := json.Unmarshal([]byte(jb.String()), &v); err != nil || v.Warnings == nil {
		t.Fatalf("%s: --json has no comparison_warnings list (%v):\n%s", name, err, jb.String())
	}
	if w := strings.TrimPrefix(want, "WARNING: "); (w == "") != (len(v.Warnings) == 0) ||
		(w != "" && !strings.Contains(v.Warnings[0], w)) {
		t.Errorf("%s: --json comparison_warnings %q, want %q", name, v.Warnings, w)
	}
}

// TestLendingCostLine: training on lent replicas bills $0, so the report
// says what lending took from serving: the replica-hours lent and the
// waiting of requests while replicas were lent, as a share of all of it.
// A run that lends to no training job has no such line.
func TestLendingCostLine(t *testing.T) {
	r := fakeReport(map[string]float64{"training_replica_hours": 59.06, "training_lent_wait_hours": 2.84, "queue_depth_avg": 0.1386})
	r.res.SimNs = 24 * 3600e9
	var b strings.Builder
	r.printLendingCost(&b)
	want := "  lending's cost\t59.1 replica-h lent (2.46 fewer replicas serving on average); requests waited 2.84 request-h while replicas were lent (85.4% of all waiting); " +
		"its price in latency and abandoned sessions: compare --set training.where=dedicated\n"
	if b.String() != want {
		t.Errorf("got  %q\nwant %q", b.String(), want)
	}
	b.Reset()
	r = fakeReport(map[string]float64{"queue_depth_avg": 0.1})
	r.res.SimNs = 24 * 3600e9
	r.printLendingCost(&b)
	if b.Len() != 0 {
		t.Errorf("no lending KPIs, yet: %q", b.String())
	}
}

// TestTrainingLinePricing: the training line says what one instance of the
// dedicated cluster was billed an hour and under which pricing, since the
// cluster is priced on-demand whatever fleet.pricing says and the line gave
// the cost alone (review84 R8: $13,861 a retrain on-demand, $5,284 at the
// reserved rate). A price the catalog no longer gives gets no date.
func TestTrainingLinePricing(t *testing.T) {
	const hours = 40.29
	tests := []struct {
		name  string
		price *float64 // training.price_usd_per_hour, nil unset
		usd   float64  // what an instance-hour was billed
		want  string
	}{
		{"catalog on-demand", nil, 21.50, "16 x trn1.32xlarge at $21.5/h each, the catalog's on-demand price of 2026-07-20 whatever fleet.pricing says; training.price_usd_per_hour sets another)"},
		{"the scenario's price", model.USD(8.197), 8.197, "16 x trn1.32xlarge at $8.197/h each, training.price_usd_per_hour)"},
		{"an older catalog's price", nil, 24.78, "16 x trn1.32xlarge at $24.78/h each)"},
	}
	for _, tt := range tests {
		r := fakeReport(map[string]float64{"training_cost_per_retrain_usd": hours * 16 * tt.usd, "training_retrain_hours": hours})
		r.l.Scenario.Fleet.Pricing = "capacity-block"
		r.l.Scenario.Training = &model.Training{Where: "dedicated", Instance: "trn1.32xlarge", Instances: 16, PriceUSDPerHour: tt.price}
		var b strings.Builder
		r.printTraining(&b)
		if !strings.Contains(b.String(), tt.want) {
			t.Errorf("%s: got %q, want it to contain %q", tt.name, b.String(), tt.want)
		}
	}
}
