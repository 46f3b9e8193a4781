package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"aiecon/data"
	"aiecon/model"
	"aiecon/study"
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

// TestInterruptedSweepSummaryMarksOverload: the summary printed after
// Ctrl-C still marks the overloaded points. Its overload check parses each
// point's scenario again, and the stop that ends every parse at the first
// signal (model.StopOn, closed here as the signal closes it) ended those
// parses: the summary lost its OVERLOADED column, with a note blaming the
// signal for "reading built-in baseline".
func TestInterruptedSweepSummaryMarksOverload(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "s.duckdb")
	spec := "name: one\nbase: baseline\nset: {horizon: 10m}\nparameters:\n  fleet.count: [1]\nreplications: 1\n"
	if err := os.WriteFile(filepath.Join(dir, "s.yaml"), []byte(spec), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := cli(t, db, "", "sweep", filepath.Join(dir, "s.yaml"), "-q"); code != exitOK || !strings.Contains(out, "OVERLOADED") {
		t.Fatalf("the sweep (exit %d) does not mark its one point:\n%s%s", code, out, errs)
	}
	store, err := data.Open(db, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	id, plan, err := storedSweep(context.Background(), store, "last")
	if err != nil {
		t.Fatal(err)
	}
	stopped := make(chan struct{})
	close(stopped)
	release := model.StopOn(stopped)
	defer release()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errs bytes.Buffer
	e := &env{stdout: &out, stderr: &errs, dbPath: db, releaseStop: release}
	if err := printFinished(ctx, e, sweepFlags{format: "table", vs: -1}, store, plan, id, study.ShardSpec{Count: 1}, &study.Outcome{Total: 1, Done: 1, Interrupted: true}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "OVERLOADED") || strings.Contains(errs.String(), "note:") {
		t.Errorf("after the stop signal, the summary:\n%s%s\nwant the point marked OVERLOADED, no note", out.String(), errs.String())
	}
}

// TestOverloadNoteSaysASignalStoppedIt: a check a further stop signal ends
// says so, and how to see the marks, rather than an error about reading a
// scenario.
func TestOverloadNoteSaysASignalStoppedIt(t *testing.T) {
	for _, tt := range []struct {
		err  error
		want string
	}{
		{fmt.Errorf("point 0 (fleet.count=1): %w (interrupt) while reading built-in baseline", model.ErrInterrupted),
			"a stop signal ended the check of the runs for overload, so no point is marked OVERLOADED; 'aiecon sweep --show 1abc --db x.duckdb' checks them"},
		{errors.New("checking run r: no such run"), "the runs were not checked for overload, so no point is marked OVERLOADED: checking run r: no such run"},
	} {
		var errs bytes.Buffer
		overloadNote(&env{stderr: &errs, dbPath: "x.duckdb"}, &study.Summary{SweepID: "1abc", OverloadErr: tt.err})
		if !strings.Contains(errs.String(), tt.want) {
			t.Errorf("%v: note %q, want %q", tt.err, errs.String(), tt.want)
		}
	}
}
