package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"aiecon/model"
)

// overloadedKPIs are a run whose batch slots stayed full (its report warns
// OVERLOADED), steadyKPIs one that kept up.
var (
	steadyKPIs = map[string]float64{"requests_arrived": 10000, "requests_unfinished": 50, "in_system_avg": 44, "batch_occupancy": 0.55,
		"kv_utilization": 0.05, "replicas_up_avg": 8, "queue_p90_s": 0.1, "cost_per_mtok_usd": 3.49}
	overloadedKPIs = map[string]float64{"requests_arrived": 20000, "requests_unfinished": 4888, "in_system_avg": 2000, "batch_occupancy": 0.996,
		"kv_utilization": 0.05, "replicas_up_avg": 8, "queue_p90_s": 300, "queue_depth_avg": 1900, "cost_per_mtok_usd": 1.13}
)

// TestVariantComparisonOverload: run's COMPARISON marks a variant whose
// fleet fell behind (its report warns OVERLOADED, the check a sweep's
// OVERLOADED column counts) and warns, in the table and in --json's
// comparison_warnings, that its cost per Mtok is no saving: p5-chat-api's
// double-rate read as -68% cost per Mtok and +54% margin without a word.
// Variants that all keep up get neither the row nor the warning.
func TestVariantComparisonOverload(t *testing.T) {
	variant := func(name string, kpis map[string]float64) runReport {
		r := fakeReport(kpis)
		r.l.Scenario.Name = "p5-chat-api/" + name
		return r
	}
	half, target, double := variant("half-rate", steadyKPIs), variant("target", steadyKPIs), variant("double-rate", overloadedKPIs)
	const warn = "WARNING: OVERLOADED: double-rate's fleet fell behind its traffic (its report warns OVERLOADED or SATURATED), " +
		"so its latency, cost per Mtok and margin describe a backlog"
	checkComparisonWarning(t, "one overloaded", []runReport{half, target, double}, warn)
	checkComparisonWarning(t, "all keep up", []runReport{half, target}, "")
	checkComparisonWarning(t, "two overloaded", []runReport{half, double, variant("triple-rate", overloadedKPIs)},
		"WARNING: OVERLOADED: the fleets of double-rate and triple-rate fell behind their traffic (their reports warn")

	for _, tt := range []struct {
		name string
		reps []runReport
		row  string // "" = no row
	}{
		{"one overloaded", []runReport{half, target, double}, "fleet kept up yes yes OVERLOADED"},
		{"all keep up", []runReport{half, target}, ""},
	} {
		var b strings.Builder
		if err := printVariantComparison(&b, tt.reps); err != nil {
			t.Fatal(err)
		}
		flat := strings.Join(strings.Fields(b.String()), " ")
		if tt.row != "" && !strings.Contains(flat, tt.row) || tt.row == "" && strings.Contains(flat, "fleet kept up") {
			t.Errorf("%s: want row %q:\n%s", tt.name, tt.row, b.String())
		}
	}
}

// TestVariantComparisonNamesHorizon: the COMPARISON header says that its
// revenue and margin are totals over the horizon, not per hour, beside its
// cost per hour: trn2-shopping-ads' "$84.50/h" sat beside a 30-minute
// margin of $59.98. Variants of different horizons name each.
func TestVariantComparisonNamesHorizon(t *testing.T) {
	variant := func(name string, h time.Duration) runReport {
		r := fakeReport(map[string]float64{"revenue_usd": 100, "margin_usd": 60, "cost_per_hour_usd": 84.5})
		r.l.Scenario.Name, r.l.Scenario.Horizon = "s/"+name, model.Duration(h)
		return r
	}
	for _, tt := range []struct {
		name string
		reps []runReport
		want string
	}{
		{"one horizon", []runReport{variant("a", 30*time.Minute), variant("b", 30*time.Minute)},
			"COMPARISON (change against a; revenue, revenue lost and margin are totals over 30m, not per hour)"},
		{"two horizons", []runReport{variant("a", 30*time.Minute), variant("b", time.Hour)},
			"totals over each variant's horizon (30m, 1h), not per hour"},
	} {
		var b strings.Builder
		if err := printVariantComparison(&b, tt.reps); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), tt.want) {
			t.Errorf("%s: lacks %q:\n%s", tt.name, tt.want, b.String())
		}
	}
}

// TestCompareMarksOverloadedRun: aiecon compare marks a stored run whose
// report warned OVERLOADED (the baseline on one trn2.48xlarge) and warns
// on stderr and in --format json that its cost per Mtok is no saving; the
// run that kept up is not marked. csv and json name the run by its id, the
// table's "run 2" being a label they lack.
func TestCompareMarksOverloadedRun(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("simulates two runs")
	}
	db := filepath.Join(t.TempDir(), "x.duckdb")
	var ids []string
	for _, set := range []string{"fleet.count=4", "fleet.count=1"} {
		code, _, errs := cli(t, db, "", "run", "--horizon", "3m", "--set", set)
		if code != 0 {
			t.Fatalf("run --set %s: exit %d: %s", set, code, errs)
		}
		_, out, _ := cli(t, db, "", "sql", "--format", "csv", "SELECT run_id FROM runs ORDER BY started_at DESC LIMIT 1")
		ids = append(ids, strings.TrimSpace(strings.Split(strings.TrimSpace(out), "\n")[1]))
	}
	code, out, errs := cli(t, db, "", append([]string{"compare"}, ids...)...)
	if code != 0 {
		t.Fatalf("compare: exit %d: %s", code, errs)
	}
	lines := strings.Split(out, "\n")
	if strings.Contains(lines[0], "OVERLOADED") || !strings.HasSuffix(lines[1], "complete  OVERLOADED") {
		t.Errorf("compare marks %q and %q, want run 2 alone OVERLOADED", lines[0], lines[1])
	}
	if !strings.Contains(errs, "aiecon: OVERLOADED: run 2's fleet fell behind its traffic") {
		t.Errorf("stderr lacks the overload warning:\n%s", errs)
	}
	code, out, errs = cli(t, db, "", append([]string{"compare", "--format", "json"}, ids...)...)
	var v struct {
		Runs []struct {
			Overloaded *bool `json:"overloaded"`
		} `json:"runs"`
		Warnings []string `json:"warnings"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &v) != nil {
		t.Fatalf("compare --format json: exit %d: %s%s", code, out, errs)
	}
	if len(v.Runs) != 2 || v.Runs[0].Overloaded == nil || *v.Runs[0].Overloaded || v.Runs[1].Overloaded == nil || !*v.Runs[1].Overloaded {
		t.Errorf("json runs' overloaded %+v, want false, true", v.Runs)
	}
	// csv and json head the runs by id, not "run 2": the warnings name them so
	byID := "OVERLOADED: run " + ids[1] + "'s fleet fell behind its traffic"
	if len(v.Warnings) == 0 || !strings.HasPrefix(v.Warnings[0], byID) {
		t.Errorf("json warnings %q, want the overload warning first, naming %s", v.Warnings, ids[1])
	}
	if !strings.Contains(errs, "aiecon: "+byID) {
		t.Errorf("compare --format json's stderr lacks %q:\n%s", byID, errs)
	}
	code, out, errs = cli(t, db, "", append([]string{"compare", "--format", "csv"}, ids...)...)
	if code != 0 || !strings.Contains(out, ids[1]+"_delta") || !strings.Contains(errs, "aiecon: "+byID) || strings.Contains(errs, "run 2") {
		t.Errorf("compare --format csv: exit %d, stderr %q; want the overload warning naming %s", code, errs, ids[1])
	}
}
