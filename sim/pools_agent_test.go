package sim

import (
	"math"
	"testing"

	"aiecon/hw"
	kpicat "aiecon/model/kpi"
	"aiecon/model/llm"
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

// TestPoolsPricedByTheirOwnChip: a profile's device timings of one chip
// price that chip's pool only. The runner used to hand the main pool's
// chip's efficiency to every pool, so timings imported for Trainium2 priced
// the H100 pool's GEMMs too.
func TestPoolsPricedByTheirOwnChip(t *testing.T) {
	sc := scenario(t, `name: mix
horizon: 1m
model: llama-3.3-70b
fleet: {instance: trn2.48xlarge, count: 1, pricing: capacity-block, replica: {tp: 32}}
pools:
  - name: small
    model: llama-3.1-8b
    fleet: {instance: p5.48xlarge, count: 1, replica: {tp: 1, scheduler: vllm}}
routing: {rule: small-first, small: small, large: llama-3.3-70b, escalation: 0.2}
workloads:
  - {name: chat, class: api, arrivals: {rate: 1/s}, prompt_tokens: 100, output_tokens: 10}
`)
	builtin, err := hw.BuiltinProfile()
	if err != nil {
		t.Fatal(err)
	}
	imported := *builtin
	imported.Imported = []hw.ImportedCalibration{{Chip: "Trainium2", DType: llm.BF16, PeakFLOPSPerS: 83.2e12, BytesPerS: 2.9e12,
		Measurements: []hw.Measurement{{Batch: 1, M: 4096, N: 4096, K: 4096, Seconds: 1}}}} // about 0.2% of peak
	gemm := func(p *hw.Profile) []float64 {
		w, err := New(Config{Scenario: sc, Profile: p})
		if err != nil {
			t.Fatal(err)
		}
		var e []float64
		for _, pl := range w.pools {
			e = append(e, pl.perf.Eff.GEMM(1, 4096, 4096, 4096, llm.BF16))
		}
		return e
	}
	base, withTrn2 := gemm(builtin), gemm(&imported)
	if !(withTrn2[0] < base[0]/10) {
		t.Errorf("Trainium2 pool: efficiency %v with its imported timings, %v without: the import was not used", withTrn2[0], base[0])
	}
	if withTrn2[1] != base[1] {
		t.Errorf("H100 pool: efficiency %v with Trainium2's timings imported, %v without", withTrn2[1], base[1])
	}
}

// TestModelCostPerMTokOverItsCallsTokens: a model's cost per Mtok of a mix
// is over its calls' tokens counted as the run's figure counts them, the
// prompt's cached tokens too, so that the two mean the same thing; it was
// over the prompt tokens prefilled alone.
func TestModelCostPerMTokOverItsCallsTokens(t *testing.T) {
	res, _ := run(t, scenario(t, agentPoolScenario("{tp: 8, kv_block_tokens: 128, max_model_len: 8192}")))
	scope := kpicat.ModelScope("agentpool")
	if hit := kpi(t, res, kpicat.PrefixCacheHitRate, scope); !(hit > 0) {
		t.Fatalf("agentpool hit rate %v: the case caches nothing", hit)
	}
	simS := float64(res.SimNs) / 1e9
	tokens := (kpi(t, res, kpicat.InputTokensPerS, scope) + kpi(t, res, kpicat.OutputTokensPerS, scope)) * simS
	want := kpi(t, res, kpicat.CostInstancesUSD, scope) / tokens * 1e6
	if got := kpi(t, res, kpicat.CostPerMTokInstancesUSD, scope); math.Abs(got-want) > 1e-9*want {
		t.Errorf("agentpool cost per Mtok %v, want its instance cost over its calls' prompt and output tokens %v", got, want)
	}
}
