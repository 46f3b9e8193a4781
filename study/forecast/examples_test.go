package forecast

import (
	"context"
	"io"
	"path/filepath"
	"testing"

	"aiecon/hw"
)

// TestExampleForecasts loads every example forecast (a *.forecast.yaml
// file in examples/scenarios, beside the scenarios it names as its base)
// as `aiecon forecast FILE` does, strictly, and runs its nominal inputs
// (one sample) over its first five periods, far enough for the examples'
// later contracts and roadmap steps to start, and prints its report: a
// schema change that breaks an example fails here. A new file is covered
// by the glob.
func TestExampleForecasts(t *testing.T) {
	t.Setenv(hw.ProfileDirEnv, t.TempDir()) // the built-in profile, not this host's
	files, err := filepath.Glob(filepath.Join("..", "..", "examples", "scenarios", "*.forecast.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no example forecasts in examples/scenarios (%v)", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			f, err := Load(file)
			if err != nil {
				t.Fatalf("aiecon forecast %s would refuse it: %v", file, err)
			}
			if err := f.SetSamples(1); err != nil {
				t.Fatal(err)
			}
			if err := f.Truncate(min(5, f.Spec.Periods.Count)); err != nil {
				t.Fatal(err)
			}
			runs, err := Execute(context.Background(), f, Options{Workers: 2})
			if err != nil {
				t.Fatal(err)
			}
			periods := Aggregate(f, runs)
			if len(periods) != len(f.Variants)*f.Spec.Periods.Count {
				t.Errorf("%d periods aggregated, want %d variants x %d periods", len(periods), len(f.Variants), f.Spec.Periods.Count)
			}
			for _, p := range periods {
				if !(p.RevenueUSD > 0) {
					t.Errorf("%s period %d: revenue %v, want some", p.Variant, p.Period, p.RevenueUSD)
				}
			}
			if err := NewReport(f, periods, len(runs)).WriteText(io.Discard); err != nil {
				t.Fatal(err)
			}
		})
	}
}
