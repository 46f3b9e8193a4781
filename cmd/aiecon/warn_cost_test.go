package main

import (
	"path/filepath"
	"strings"
	"testing"
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
