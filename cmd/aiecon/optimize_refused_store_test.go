package main

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestOptimizeRefusedCreatesNoStore: optimize opened (so created and
// migrated) its store before the search checked its input, so a refused
// search, exit 2, left a new ./aiecon.duckdb or --db store behind, and
// under --no-store made its scratch folder. Each input error the search
// finds (not the flag checks before it) now comes before the store.
func TestOptimizeRefusedCreatesNoStore(t *testing.T) {
	for _, tt := range []struct {
		name string
		args []string
	}{
		{"a --set it ignores", []string{"baseline", "--set", "fleet.count=3"}},
		{"an unknown objective", []string{"baseline", "--objective", "fastest"}},
		{"an unknown instance", []string{"baseline", "--instances", "p9.huge"}},
		{"no candidate can run", []string{"baseline", "--tp", "3", "--instances", "trn2.48xlarge"}},
		{"no agent workload", []string{"inferentia-small", "--max-session-abandon", "0.5"}},
		{"too many runs", []string{"baseline", "--replications", "10000"}},
		{"an SLO below every candidate's fastest step", []string{"baseline", "--instances", "trn2.48xlarge", "--set", "workloads[chat].slo.tpot=10ms"}},
	} {
		for _, noStore := range []bool{false, true} {
			name := tt.name
			args := slices.Concat([]string{"optimize"}, tt.args)
			if noStore {
				name += ", --no-store"
				args = append(args, "--no-store")
			}
			t.Run(name, func(t *testing.T) {
				dir := t.TempDir() // before noStoreDirs moves the temporary folder
				scratch := noStoreDirs(t)
				db := filepath.Join(dir, "fresh.duckdb")
				code, _, errs := runMain(t, filepath.Join(dir, "env.duckdb"), slices.Concat(args, []string{"--db", db})...)
				if code != exitUsage {
					t.Fatalf("exit %d, want %d; stderr:\n%s", code, exitUsage, errs)
				}
				if entries, err := os.ReadDir(dir); err != nil || len(entries) > 0 {
					t.Errorf("the refused search left %v in the store's folder (%v); want nothing\n%s", entries, err, errs)
				}
				if left := scratch(); len(left) > 0 {
					t.Errorf("the refused search left %v in the temporary folder; want nothing", left)
				}
			})
		}
	}
}
