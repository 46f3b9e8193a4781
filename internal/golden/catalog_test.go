package golden

import (
	"context"
	"testing"

	"aiecon/model"
	"aiecon/model/kpi"
	"aiecon/runner"
	"aiecon/sim"
)

// TestSimulatorKPIsAreInTheCatalog runs every built-in scenario and variant
// and checks that each KPI
// the simulator emits is in the catalog with the catalog's unit, and that
// every KPI of the catalog is emitted by some built-in, so the catalog
// describes exactly what runs report.
func TestSimulatorKPIsAreInTheCatalog(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every built-in scenario")
	}
	isolate(t)
	seen := map[string]bool{}
	for _, name := range model.BuiltinNames() {
		ls, err := runner.LoadVariants(name, nil, "")
		if err != nil {
			t.Fatalf("loading %s: %v", name, err)
		}
		for _, l := range ls {
			cal, err := runner.LoadCalibration(l.Scenario)
			if err != nil {
				t.Fatal(err)
			}
			w, err := sim.New(sim.Config{Scenario: l.Scenario, Efficiency: cal.Eff, Serving: cal.Serving, Sink: &sim.MemorySink{}, TraceDir: l.TraceDir})
			if err != nil {
				t.Fatalf("%s: %v", l.Scenario.Name, err)
			}
			res, err := w.Run(context.Background())
			if err != nil {
				t.Fatalf("%s: %v", l.Scenario.Name, err)
			}
			for _, k := range res.KPIs {
				d, ok := kpi.Lookup(k.Name)
				switch {
				case !ok:
					t.Errorf("%s emits %s, which is not in the catalog (model/kpi)", l.Scenario.Name, k.Name)
				case d.Unit != k.Unit:
					t.Errorf("%s emits %s in %q, the catalog says %q", l.Scenario.Name, k.Name, k.Unit, d.Unit)
				}
				seen[k.Name] = true
			}
		}
	}
	for _, d := range kpi.All() {
		if !seen[d.Name] {
			t.Errorf("catalog KPI %s is emitted by no built-in scenario", d.Name)
		}
	}
}
