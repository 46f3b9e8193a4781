package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSweepSaysItsHorizon: sweep and sweep --show say, above the KPI table,
// what horizon the revenue and margin totals cover (a 20-minute sweep's
// totals read as over no stated time).
func TestSweepSaysItsHorizon(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("AIECON_CONFIG_DIR", filepath.Join(dir, "config"))
	db := filepath.Join(dir, "s.duckdb")
	spec := filepath.Join(dir, "h.yaml")
	if err := os.WriteFile(spec, []byte("name: h\nbase: baseline\nset: {horizon: 1m}\nkpis: [revenue_usd, margin_usd]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	const want = "\neach run simulated 1m: totals such as revenue_usd, margin_usd and the counts are over that horizon, not per hour\n"
	for _, args := range [][]string{{"sweep", spec, "-q", "--width", "0"}, {"sweep", "--show", "last", "--width", "0"}} {
		code, out, errs := cli(t, db, "", args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
		if head, _, _ := strings.Cut(out, "\nKPI "); !strings.Contains(head+"\n", want) {
			t.Errorf("%v: the header lacks %q:\n%s", args, strings.TrimSpace(want), out)
		}
	}
}
