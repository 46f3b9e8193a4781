package sim

import (
	"testing"

	kpicat "aiecon/model/kpi"
)

// agentPoolScenario routes an agent workload to a pool of its own (an 8B
// model, KV blocks of 128 tokens) beside a main pool serving a trickle of
// api traffic; main is the main pool's replica line.
func agentPoolScenario(main string) string {
	return `name: pools
seed: 1
horizon: 10m
model: llama-3.1-70b
fleet:
  instance: p5.48xlarge
  count: 1
  replica: ` + main + `
pools:
  - name: agentpool
    model: llama-3.1-8b
    fleet: {instance: p5.48xlarge, count: 1, replica: {tp: 1, kv_block_tokens: 128, max_model_len: 8192}}
routing: {rule: workload, workloads: {agent: agentpool}}
workloads:
  - name: agent
    class: agent
    arrivals: {process: poisson, rate: 1/s}
    prompt_tokens: 50
    output_tokens: 50
    price: {input_per_mtok: 1, output_per_mtok: 1}
    agent:
      system_prompt_tokens: 2000
      steps: 3
      tool_latency: 100ms
      tool_result_tokens: 100
      patience: {dist: lognormal, median: 3s, p99: 20s}
      value: {fee: 0.01}
  - name: chat
    class: api
    arrivals: {process: poisson, rate: 0.1/s}
    prompt_tokens: 50
    output_tokens: 50
`
}

// TestAgentPoolOwnsItsCallsArithmetic: what an agent workload routed to a
// pool of its own caches, and what its sessions would have earned without
// contention, are that pool's: the main pool's KV block size, context
// window and hardware do not move them. Before, prefix blocks were counted
// in the main pool's block size (16-token blocks read as 128-token ones
// made nearly every prompt cached), and the counterfactual priced the
// calls on the main pool's 70B model.
func TestAgentPoolOwnsItsCallsArithmetic(t *testing.T) {
	mains := []string{
		"{tp: 8, kv_block_tokens: 128, max_model_len: 8192}",
		"{tp: 8, kv_block_tokens: 16, max_model_len: 8192}",
		"{tp: 8, kv_block_tokens: 128, max_model_len: 2048}",
	}
	names := []struct{ name, scope string }{
		{kpicat.PrefixCacheHitRate, "agent"},
		{kpicat.InputTokensPrefilled, "agent"},
		{kpicat.RevenueLostToQueueingUSD, ""},
		{kpicat.RevenueLostToServiceTimeUSD, ""},
	}
	var first []float64
	for i, m := range mains {
		res, _ := run(t, scenario(t, agentPoolScenario(m)))
		for j, n := range names {
			v := kpi(t, res, n.name, n.scope)
			if i == 0 {
				first = append(first, v)
				continue
			}
			if v != first[j] {
				t.Errorf("main pool %s: %s (%q) = %v, want %v as with %s", m, n.name, n.scope, v, first[j], mains[0])
			}
		}
	}
	if first[0] <= 0 || first[0] >= 0.99 || first[3] <= 0 {
		t.Errorf("hit rate %v, lost to service time %v: the case does not exercise the cache and the counterfactual", first[0], first[3])
	}
}
