package main

import (
	"context"
	"strings"
	"testing"
)

// TestSweepOverloadCheck: a sweep's run is flagged exactly when its run
// report would warn OVERLOADED or SATURATED, from the same checks; other
// fleet warnings (a mostly idle fleet) flag nothing.
func TestSweepOverloadCheck(t *testing.T) {
	steady := map[string]float64{"requests_arrived": 10000, "requests_unfinished": 50, "in_system_avg": 44, "batch_occupancy": 0.55,
		"kv_utilization": 0.05, "replicas_up_avg": 8, "queue_p90_s": 0.1}
	with := func(k string, v float64, more ...any) map[string]float64 {
		m := map[string]float64{k: v}
		for n, x := range steady {
			if _, ok := m[n]; !ok {
				m[n] = x
			}
		}
		for i := 0; i < len(more); i += 2 {
			m[more[i].(string)] = more[i+1].(float64)
		}
		return m
	}
	tests := []struct {
		name string
		kpis map[string]float64
		want bool
	}{
		{"steady", steady, false},
		{"mostly idle", with("batch_occupancy", 0.08), false},
		{"slots full", with("batch_occupancy", 0.99), true},
		{"growing queue", with("requests_unfinished", 3000, "in_system_avg", 1600.0, "queue_depth_avg", 1400.0), true},
		{"drops", with("requests_dropped", 500), true},
		{"nothing arrived", with("requests_arrived", 0), false},
	}
	check := sweepOverloadCheck(context.Background(), nil)
	for _, tt := range tests {
		r := fakeReport(tt.kpis)
		got, err := check(r.l, "run", r.res.KPIs)
		if err != nil {
			t.Fatal(err)
		}
		warned := strings.Contains(strings.Join(r.fleetWarnings(), "\n"), "OVERLOADED") ||
			strings.Contains(strings.Join(r.fleetWarnings(), "\n"), "SATURATED")
		if got != tt.want || got != warned {
			t.Errorf("%s: flagged %v, run warns overload %v; want %v", tt.name, got, warned, tt.want)
		}
	}
}
