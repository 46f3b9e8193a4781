package main

import (
	"encoding/json"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"aiecon/runner"
)

// TestRunNoStoreSamplesNothing: a run past the request-row budget stores
// a sample of its requests and says so; under --no-store it said so too
// ("storing a sample of 0.33 of them") though nothing is stored. There the
// rows go nowhere, so it samples none and says nothing, and its KPIs,
// which count every request, are the stored sampled run's.
func TestRunNoStoreSamplesNothing(t *testing.T) {
	t.Setenv(runner.EnvMaxRequestRows, "100") // 1m of baseline arrives more
	const note = "storing a sample of"
	kpis := map[bool]any{}
	for _, tt := range []struct {
		noStore bool
		note    bool
	}{{false, true}, {true, false}} {
		args := []string{"run", "baseline", "--horizon", "1m", "--json"}
		if tt.noStore {
			args = append(args, "--no-store")
		}
		code, out, errs := runMain(t, filepath.Join(t.TempDir(), "s.duckdb"), args...)
		if code != exitOK {
			t.Fatalf("%v: exit %d; stderr:\n%s", args, code, errs)
		}
		if got := strings.Contains(errs, note); got != tt.note {
			t.Errorf("%v: stderr says %q: %v, want %v; stderr:\n%s", args, note, got, tt.note, errs)
		}
		var res struct {
			Runs []struct {
				KPIs any `json:"kpis"`
			} `json:"runs"`
		}
		if err := json.Unmarshal([]byte(out), &res); err != nil || len(res.Runs) != 1 {
			t.Fatalf("%v: %d runs in the JSON (%v):\n%s", args, len(res.Runs), err, out)
		}
		kpis[tt.noStore] = res.Runs[0].KPIs
	}
	if !reflect.DeepEqual(kpis[false], kpis[true]) {
		t.Errorf("the KPIs differ between the stored, sampled run and the --no-store one:\n%v\n%v", kpis[false], kpis[true])
	}
}
