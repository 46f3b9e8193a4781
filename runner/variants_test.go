package runner

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// variantsScenario writes a scenario of n variants, each a fleet count.
func variantsScenario(t *testing.T, n int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString(`name: v
horizon: 10s
model: llama-3.1-8b
fleet: {instance: p5.48xlarge, count: 1, replica: {tp: 8}}
workloads:
  - {name: chat, class: api, arrivals: {rate: 2/s}, prompt_tokens: 100, output_tokens: 10}
variants:
`)
	for i := range n {
		fmt.Fprintf(&b, "  - {name: v%d, description: \"count %d\", set: {fleet.count: %d}}\n", i, i+1, i+1)
	}
	path := filepath.Join(t.TempDir(), "s.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestVariantsLoadInLinearWork: each variant was loaded from the whole file,
// its list of variants included, so N variants cost N^2 (200 took 18.6 s,
// 800 131 s). Eight times the variants must take about eight times the
// allocations (counted, so the check does not depend on the machine's
// speed); quadratic loading took over thirty times.
func TestVariantsLoadInLinearWork(t *testing.T) {
	allocs := func(n int) float64 {
		path := variantsScenario(t, n)
		return testing.AllocsPerRun(1, func() {
			ls, err := LoadVariants(path, nil, "")
			if err != nil || len(ls) != n {
				t.Fatalf("%d variants: loaded %d, %v", n, len(ls), err)
			}
			if got := ls[n-1].Scenario.Fleet.Count; got != n {
				t.Fatalf("variant v%d has fleet.count %d", n-1, got)
			}
		})
	}
	small, large := allocs(32), allocs(256)
	if ratio := large / small; ratio > 12 {
		t.Fatalf("256 variants took %.0f allocations, %.1f times 32 variants' %.0f: loading is not linear in the variants", large, ratio, small)
	}
}
