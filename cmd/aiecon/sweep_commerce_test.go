package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"aiecon/model/kpi"
	"aiecon/runner"
	"aiecon/sim"
)

// TestSweepWarnsGrossCommerce: a sweep summary that reports a margin or
// revenue KPI over runs whose commerce is counted gross (baseline's
// shopping-assistant, value.incremental unset) ends with run's COMMERCE
// COUNTED GROSS and its share of the revenue, in the table and in JSON's
// warnings; one that reports neither, or whose commerce is incremental,
// does not. docs/sweeps.md's fleet-pair read "the fourth instance earns
// $2.18 more" off 98% gross commerce with no word of it.
func TestSweepWarnsGrossCommerce(t *testing.T) {
	if testing.Short() {
		t.Skip("simulates three sweeps of one run")
	}
	dir := t.TempDir()
	for _, tt := range []struct {
		name, kpis, set string
		want            bool
	}{
		{"margin over gross commerce", "[margin_usd]", "", true},
		{"revenue over gross commerce", "[revenue_usd, cost_per_mtok_usd]", "", true},
		{"no revenue KPI", "[cost_per_mtok_usd]", "", false},
		{"incremental commerce", "[margin_usd]", "  workloads[shopping-assistant].agent.value.incremental: 0.25\n", false},
	} {
		spec := "name: gross\nbase: baseline\nset:\n  horizon: 2m\n" + tt.set + "parameters:\n  fleet.count: [4]\nreplications: 1\nkpis: " + tt.kpis + "\n"
		path := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "-")+".yaml")
		if err := os.WriteFile(path, []byte(spec), 0o644); err != nil {
			t.Fatal(err)
		}
		db := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "-")+".duckdb")
		code, out, errs := cli(t, db, "", "sweep", path, "-q", "-j", "1")
		if code != exitOK {
			t.Fatalf("%s: exit %d: %s", tt.name, code, errs)
		}
		const head = "COMMERCE COUNTED GROSS: the commerce line ("
		if got := strings.Contains(out, head) && strings.Contains(out, "% of revenue) is the take on every order of a converted shopping-assistant session"); got != tt.want {
			t.Errorf("%s: the table warns of gross commerce %v, want %v:\n%s", tt.name, got, tt.want, out)
		}
		code, js, errs := cli(t, db, "", "sweep", "--show", "last", "--format", "json")
		if code != exitOK {
			t.Fatalf("%s: --show --format json: exit %d: %s", tt.name, code, errs)
		}
		var sum struct {
			Warnings []string `json:"warnings"`
		}
		if err := json.Unmarshal([]byte(js), &sum); err != nil {
			t.Fatal(err)
		}
		if got := len(sum.Warnings) == 1 && strings.HasPrefix(sum.Warnings[0], head); got != tt.want || sum.Warnings == nil {
			t.Errorf("%s: JSON warnings %q, want the gross commerce one: %v", tt.name, sum.Warnings, tt.want)
		}
	}
}

// TestGrossTallyMixed: over runs of which some credit only incremental
// orders, the warning's share is the gross runs' and it says for how many
// runs it holds; over incremental runs alone, or runs that earned no
// commerce, there is none.
func TestGrossTallyMixed(t *testing.T) {
	load := func(sets ...string) *runner.Loaded {
		l, err := runner.Load("baseline", sets)
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	gross, incr := load(), load("workloads[shopping-assistant].agent.value.incremental=0.25")
	run := func(commerce, revenue float64) []sim.KPI {
		return []sim.KPI{{Name: kpi.RevenueCommerceUSD, Value: commerce}, {Name: kpi.RevenueUSD, Value: revenue},
			{Name: kpi.RevenueUSD, Scope: "chat", Value: 1000}} // a workload's, not the run's
	}
	var mixed, none, free grossTally
	mixed.add(gross, run(90, 100))
	mixed.add(incr, run(20, 30))
	mixed.add(gross, run(60, 100))
	none.add(incr, run(20, 30))
	free.add(gross, run(0, 10))
	w := mixed.warning()
	if !strings.Contains(w, "the commerce line (75% of revenue)") || !strings.HasSuffix(w, "It holds for 2 of the 3 runs that earned commerce; "+
		"the others credit only the orders value.incremental says the assistant causes, so their margins differ from these by that as well as by the parameters swept.") {
		t.Errorf("mixed runs: %q", w)
	}
	if w := none.warning(); w != "" {
		t.Errorf("incremental runs warned: %q", w)
	}
	if w := free.warning(); w != "" {
		t.Errorf("runs without commerce warned: %q", w)
	}
}
