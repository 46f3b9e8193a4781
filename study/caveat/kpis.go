package caveat

import (
	"math"

	"aiecon/sim"
)

// kpiOrNaN reads one run's KPIs by name and scope, a KPI absent reading
// NaN (a run stored before it existed), as run's report reads them.
func kpiOrNaN(kpis []sim.KPI) func(name, scope string) float64 {
	res := &sim.Result{KPIs: kpis}
	return func(name, scope string) float64 {
		if k, ok := res.KPI(name, scope); ok {
			return k.Value
		}
		return math.NaN()
	}
}
