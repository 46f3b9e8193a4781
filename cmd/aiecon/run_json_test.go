package main

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"

	"aiecon/sim"
)

// TestRunJSONReplicaKeys: run --json's replicas carry snake_case keys, the
// keys show --json gives the same replica (which adds type and tp), not
// the Go field names.
func TestRunJSONReplicaKeys(t *testing.T) {
	r := fakeReport(map[string]float64{"revenue_usd": 1})
	r.res.Replicas = []sim.ReplicaRecord{{ID: 1, Instance: 2, Iterations: 3, BusyNs: 4, UpNs: 5, PrefillTok: 6, DecodeTok: 7, Preemptions: 8, Completed: 9}}
	var b strings.Builder
	if err := writeRunJSON(&b, []runReport{r}); err != nil {
		t.Fatal(err)
	}
	var v struct {
		Runs []struct {
			Replicas []map[string]float64 `json:"replicas"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(b.String()), &v); err != nil || len(v.Runs) != 1 || len(v.Runs[0].Replicas) != 1 {
		t.Fatalf("run --json (%v):\n%s", err, b.String())
	}
	got := v.Runs[0].Replicas[0]
	want := map[string]float64{"id": 1, "instance": 2, "iterations": 3, "busy_ns": 4, "up_ns": 5, "prefill_tokens": 6,
		"decode_tokens": 7, "preemptions": 8, "completed": 9}
	for k, w := range want {
		if g, ok := got[k]; !ok || g != w {
			t.Errorf("replicas[0].%s = %v (present %v), want %v", k, g, ok, w)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("replicas[0] has key %q (keys: %v)", k, slices.Sorted(maps.Keys(got)))
		}
	}
}
