package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// An agent-only scenario's calls are billed per token: run's revenue line
// called that line "API tokens" although no API workload served a request.
func TestRevenueLineNamesTokens(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	sc := filepath.Join(dir, "agent.yaml")
	if err := os.WriteFile(sc, []byte(`name: agent-tokens
seed: 7
horizon: 5m
model: llama-3.3-70b
fleet: {instance: trn2.48xlarge, count: 1, pricing: capacity-block, replica: {tp: 32}}
workloads:
  - name: shopper
    class: agent
    arrivals: {process: poisson, rate: 0.5/s}
    prompt_tokens: {dist: lognormal, median: 50, p99: 300}
    output_tokens: {dist: lognormal, median: 150, p99: 600, max: 1000}
    price: {input_per_mtok: 0.72, output_per_mtok: 0.72}
    agent:
      system_prompt_tokens: 1200
      steps: {dist: poisson, mean: 3}
      value: {fee: 0.001, conversion: 0.03, order_value: 80, take_rate: 0.1, incremental: 0.2}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := cli(t, filepath.Join(dir, "s.duckdb"), "", "run", sc)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var line string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "revenue ") {
			line = l
		}
	}
	if !strings.Contains(line, "(tokens $") || strings.Contains(line, "(tokens $0,") || strings.Contains(out, "API tokens") {
		t.Errorf("revenue line %q; want the agent's token billing as tokens:\n%s", line, out)
	}
}
