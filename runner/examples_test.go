package runner

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"aiecon/hw"
	"aiecon/model/kpi"
)

// examplesDir holds the example scenarios shipped for strategists to start
// from; a file there named *.forecast.yaml is a forecast (study/forecast's
// TestExampleForecasts runs those).
const examplesDir = "../examples/scenarios"

// exampleScenarios are the example scenario files: every YAML file of the
// folder but the forecasts, so that a new one is covered without a word.
func exampleScenarios(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(examplesDir, "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range files {
		if !strings.HasSuffix(f, ".forecast.yaml") {
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		t.Fatalf("no example scenarios in %s", examplesDir)
	}
	return out
}

// TestExampleScenarios loads every example scenario as `aiecon run FILE`
// does (strict decoding: an unknown key, a wrong type or a value out of
// range is an error), each of its variants, and simulates a few minutes of
// each, so that a schema or model change that breaks an example fails here
// rather than in a reader's hands. The horizon is cut to keep the test
// fast; each run must serve some requests.
func TestExampleScenarios(t *testing.T) {
	t.Setenv(hw.ProfileDirEnv, t.TempDir()) // the built-in profile, not this host's
	for _, file := range exampleScenarios(t) {
		t.Run(filepath.Base(file), func(t *testing.T) {
			ls, err := LoadVariants(file, []string{"horizon=3m"}, "")
			if err != nil {
				t.Fatalf("aiecon run %s would refuse it: %v", file, err)
			}
			for _, l := range ls {
				out, err := Run(context.Background(), l, Options{})
				if err != nil {
					t.Fatalf("%s: %v", l.Scenario.Name, err)
				}
				if k, ok := out.Result.KPI(kpi.RequestsCompleted, ""); !ok || k.Value <= 0 {
					t.Errorf("%s: no request completed in 3 simulated minutes (%v)", l.Scenario.Name, k.Value)
				}
			}
		})
	}
}
