package main

import (
	"path/filepath"
	"strings"
	"testing"

	"aiecon/hw"
)

// TestOptimizeSuspectValues: optimize applies run's SUSPECT VALUE checks
// to its scenario before round 1. A TPOT target below the fastest step of
// every candidate refuses the search when it needs SLO attainment (it
// doubled each candidate to 256 instances at 0% and advised "raise
// --max-count"), judged against the candidates' fleets, not the
// scenario's; the other checks, and the SLO one without a target, are
// warnings on stderr and the search runs.
func TestOptimizeSuspectValues(t *testing.T) {
	t.Setenv(hw.ProfileDirEnv, t.TempDir()) // the built-in profile, not this host's
	for _, tt := range []struct {
		name     string
		args     []string
		code     int
		want     []string
		notWant  string
		searched bool
	}{
		{"a TPOT target below trn2's fastest step", []string{"--instances", "trn2.48xlarge", "--set", "workloads[chat].slo.tpot=10ms"}, exitUsage, []string{
			"aiecon: no fleet can meet the SLO target 0.99: SUSPECT VALUE: workloads[chat].slo.tpot is 10ms, below the fastest a " +
				"replica can emit a token (the fastest of the 4 candidates, llama-3.3-70b on trn2.48xlarge at tp 64: ",
			"fix the target, or search without one (--slo-target 0)"}, "round 1", false},
		// p5.48xlarge steps faster than trn2 at tp 32 (24 ms): the
		// scenario's own fleet is not what the target is judged against.
		{"a TPOT target only trn2 cannot meet", []string{"--instances", "trn2.48xlarge,p5.48xlarge", "--tp", "32,8", "--set",
			"workloads[chat].slo.tpot=20ms", "--max-count", "1", "--horizon", "30s"}, exitOK, nil, "SUSPECT VALUE", true},
		{"no SLO target: a warning", []string{"--instances", "trn2.48xlarge", "--tp", "32", "--set", "workloads[chat].slo.tpot=10ms", "--set", "workloads[chat].price.output_per_mtok=1e15",
			"--slo-target", "0", "--objective", "margin", "--max-count", "1", "--horizon", "30s"}, exitOK, []string{
			"aiecon: warning: SUSPECT VALUE: workloads[chat].price.output_per_mtok is $1e+15 per million tokens",
			"aiecon: warning: SUSPECT VALUE: workloads[chat].slo.tpot is 10ms"}, "no fleet can meet", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if tt.searched && testing.Short() {
				t.Skip("runs a search")
			}
			args := append([]string{"optimize", "baseline", "--max-num-seqs", "16", "--no-store"}, tt.args...)
			code, _, errs := cli(t, filepath.Join(t.TempDir(), "s.duckdb"), "", args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, tt.code, errs)
			}
			for _, w := range tt.want {
				if !strings.Contains(errs, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errs)
				}
			}
			if tt.notWant != "" && strings.Contains(errs, tt.notWant) {
				t.Errorf("stderr has %q:\n%s", tt.notWant, errs)
			}
		})
	}
}
