package main

import (
	"math"
	"path/filepath"
	"strings"
	"testing"

	"aiecon/model"
	"aiecon/sim"
)

// TestPricedBelowCostRunAndShow: run warns PRICED BELOW COST where a
// workload's token price is below the cost attributed to it, with both
// figures (p5-chat-api's target sold chat at $0.72 per Mtok against $1.75
// of cost and said so only in its margin line), and show repeats it from
// the stored KPIs; at a price above the cost it says nothing.
func TestPricedBelowCostRunAndShow(t *testing.T) {
	db := filepath.Join(t.TempDir(), "cost.duckdb")
	scenario := "../../examples/scenarios/p5-chat-api.yaml"
	code, out, errs := cli(t, db, "", "run", scenario, "--variant", "target", "--set", "horizon=5m")
	if code != 0 {
		t.Fatalf("run: exit %d: %s", code, errs)
	}
	below := warningLine(out, "PRICED BELOW COST:")
	if !strings.HasPrefix(below, "PRICED BELOW COST: chat earns $0.72 per Mtok against $1.") || !strings.Contains(below, "of attributed cost, 4") {
		t.Fatalf("run's PRICED BELOW COST line %q, want chat's $0.72 against about $1.75 (about 41%%):\n%s", below, out)
	}
	code, shown, errs := cli(t, db, "", "show", "last")
	if code != 0 {
		t.Fatalf("show: exit %d: %s", code, errs)
	}
	if got := warningLine(shown, "PRICED BELOW COST:"); got != below {
		t.Errorf("show's PRICED BELOW COST line %q, want run's %q", got, below)
	}
	code, out, errs = cli(t, db, "", "run", scenario, "--variant", "target", "--set", "horizon=5m", "--no-store",
		"--set", "workloads[chat].price.input_per_mtok=2", "--set", "workloads[chat].price.output_per_mtok=2")
	if code != 0 {
		t.Fatalf("run at $2: exit %d: %s", code, errs)
	}
	if got := warningLine(out, "PRICED BELOW COST:"); got != "" {
		t.Errorf("at $2 per Mtok run warns %q", got)
	}
}

// TestPriceNotJudgedRun: a priced workload whose requests arrived but none
// completed has no cost per Mtok (NaN), so PRICED BELOW COST said nothing
// of it; the run's warnings (and show's, the same checks) say PRICE NOT
// JUDGED, naming it, and PRICED BELOW COST stays silent.
func TestPriceNotJudgedRun(t *testing.T) {
	r := fakeReport(map[string]float64{"margin_usd": -3})
	r.l.Scenario.Workloads = []model.Workload{{Name: "chat", Class: model.ClassAPI, Price: model.Price{InputPerMTok: 0.72, OutputPerMTok: 0.72}}}
	r.res.KPIs = append(r.res.KPIs, sim.KPI{Name: "requests_arrived", Scope: "chat", Value: 40},
		sim.KPI{Name: "requests_completed", Scope: "chat", Value: 0},
		sim.KPI{Name: "cost_per_mtok_attributed_usd", Scope: "chat", Value: math.NaN()},
		sim.KPI{Name: "revenue_per_mtok_api_usd", Scope: "chat", Value: math.NaN()})
	got := strings.Join(r.warnings(), "\n")
	if !strings.Contains(got, "PRICE NOT JUDGED: chat completed none of its 40 requests") || strings.Contains(got, "PRICED BELOW COST") {
		t.Errorf("want PRICE NOT JUDGED naming chat and no PRICED BELOW COST, got:\n%s", got)
	}
}
