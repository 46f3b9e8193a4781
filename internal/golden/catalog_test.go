package golden

import (
	"testing"

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
	runBuiltins(t, func(l *runner.Loaded, _ *sim.MemorySink, res *sim.Result) {
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
	})
	for _, d := range kpi.All() {
		if !seen[d.Name] {
			t.Errorf("catalog KPI %s is emitted by no built-in scenario", d.Name)
		}
	}
}
