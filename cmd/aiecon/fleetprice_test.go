package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestFleetPriceDated: the run report printed "capacity-block $39.33/h
// each" for p5.48xlarge, a Capacity Blocks rate of late 2024, beside
// on-demand prices of 2026, with nothing to tell them apart; hw list dated
// it. The FLEET line and show's header now date the price (and name its
// region where it is not us-east-1), as hw list does.
func TestFleetPriceDated(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "p.duckdb")
	p5 := []string{"--set", "fleet.instance=p5.48xlarge", "--set", "fleet.replica.tp=8", "--set", "fleet.replica.scheduler=vllm"}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{append([]string{"--set", "fleet.pricing=capacity-block"}, p5...), "4 x p5.48xlarge, capacity-block $39.33/h each (catalog, us-east-1/2, late 2024)"},
		{nil, "4 x trn2.48xlarge, capacity-block $35.76/h each (catalog, us-east-2, 2026-05-21)"},
	} {
		code, out, errs := cli(t, db, "", append([]string{"run", "baseline", "--horizon", "20s", "--width", "0"}, tt.args...)...)
		if code != 0 {
			t.Fatalf("run %v: exit %d: %s", tt.args, code, errs)
		}
		if !strings.Contains(out, tt.want) {
			t.Errorf("run %v does not say %q:\n%s", tt.args, tt.want, out)
		}
		code, shown, errs := cli(t, db, "", "show", "last", "--width", "0")
		if code != 0 {
			t.Fatalf("show: exit %d: %s", code, errs)
		}
		_, date, _ := strings.Cut(tt.want, "/h each ")
		if !strings.Contains(shown, "/h per instance "+date+"\n") {
			t.Errorf("show of run %v does not date its price %s:\n%s", tt.args, date, shown)
		}
	}
}
