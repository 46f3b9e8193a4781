package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
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
		code, out, errs := cli(t, db, "", "sweep", path, "-q", "-j", "1", "--width", "0")
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
		gross := slices.ContainsFunc(sum.Warnings, func(w string) bool { return strings.HasPrefix(w, head) })
		if got := gross; got != tt.want || sum.Warnings == nil {
			t.Errorf("%s: JSON warnings %q, want the gross commerce one: %v", tt.name, sum.Warnings, tt.want)
		}
	}
}
