package sim

import (
	"math"
	"strings"
	"testing"

	kpicat "aiecon/model/kpi"
)

// billedTokens are a workload's tokens billed in a run: the prompt tokens
// of its completed requests, cached or prefilled, and their output tokens
// (its output token rate over the run's simulated seconds).
func billedTokens(t *testing.T, res *Result, w string) float64 {
	t.Helper()
	simS := float64(res.SimNs) / 1e9
	return kpi(t, res, kpicat.InputTokensPrefilled, w) + kpi(t, res, kpicat.InputTokensCached, w) +
		kpi(t, res, kpicat.OutputTokensPerS, w)*simS
}

// attributedUSD is the cost attributed to a workload: its cost per Mtok
// attributed times its Mtok billed.
func attributedUSD(t *testing.T, res *Result, w string) float64 {
	t.Helper()
	return kpi(t, res, kpicat.CostPerMTokAttributedUSD, w) * billedTokens(t, res, w) / 1e6
}

// The cost attributed to the workloads adds up to the run's cost, so one
// workload alone reads the run's cost per Mtok; in a model mix routed by
// workload each workload carries its own pool's instances, not a blend of
// the pools' (the 70B's p5 serves chat alone, the 8B's code alone).
func TestAttributedCostAddsUpToTheRunsCost(t *testing.T) {
	short := func(s string) string { return strings.Replace(s, "horizon: 10m", "horizon: 2m", 1) }
	for _, tt := range []struct {
		name, src string
		pools     map[string]string // workload: the model scope whose instances it alone pays
	}{
		{"one workload", short(small8b), nil},
		{"agents beside chat, training and licensing", short(agentsAds) + "training: {tokens: 1e9, where: dedicated}\n", nil},
		{"model mix by workload", short(mixScenario("routing: {rule: workload, workloads: {code: small}}")),
			map[string]string{"chat": kpicat.ModelScope("llama-3.3-70b"), "code": kpicat.ModelScope("small")}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sc := scenario(t, tt.src)
			res, _ := run(t, sc)
			cost, sum := kpi(t, res, kpicat.CostUSD, ""), 0.0
			for _, w := range sc.Workloads {
				sum += attributedUSD(t, res, w.Name)
			}
			if math.Abs(sum-cost) > 1e-9*cost {
				t.Errorf("the workloads' attributed costs add up to %v, the run's cost is %v", sum, cost)
			}
			if len(sc.Workloads) == 1 {
				w := sc.Workloads[0].Name
				if got, want := kpi(t, res, kpicat.CostPerMTokAttributedUSD, w), kpi(t, res, kpicat.CostPerMTokUSD, ""); math.Abs(got-want) > 1e-9*want {
					t.Errorf("%s's cost per Mtok attributed %v, want the run's %v", w, got, want)
				}
			}
			for w, scope := range tt.pools {
				if got, want := attributedUSD(t, res, w), kpi(t, res, kpicat.CostInstancesUSD, scope); math.Abs(got-want) > 1e-9*want {
					t.Errorf("%s is attributed %v, want its pool's instances (%s) %v", w, got, scope, want)
				}
			}
		})
	}
}

// On one fleet, a workload's share of the instances (training follows
// them) is prefill's share of the replica time spread over the prompt
// tokens prefilled plus decode's over the output tokens: the shopping
// agent's prompts are mostly cached, its outputs long, and chat's the
// other way round, so shares by tokens alone would misprice both. chat
// retrieves nothing, so it pays no licensing.
func TestAttributedCostWeighsPrefillAndDecode(t *testing.T) {
	sc := scenario(t, strings.Replace(agentsAds, "horizon: 10m", "horizon: 2m", 1)+"training: {tokens: 1e9, where: dedicated}\n")
	res, _ := run(t, sc)
	simS := float64(res.SimNs) / 1e9
	instances := kpi(t, res, kpicat.CostInstancesUSD, "")
	prompt := kpi(t, res, kpicat.InputTokensPerS, "") * simS
	prefillShare := kpi(t, res, kpicat.CostPerMTokInputUSD, "") * prompt / 1e6 / instances
	var prefilled, output float64
	for _, w := range sc.Workloads {
		prefilled += kpi(t, res, kpicat.InputTokensPrefilled, w.Name)
		output += kpi(t, res, kpicat.OutputTokensPerS, w.Name) * simS
	}
	share := prefillShare*kpi(t, res, kpicat.InputTokensPrefilled, "chat")/prefilled +
		(1-prefillShare)*kpi(t, res, kpicat.OutputTokensPerS, "chat")*simS/output
	want := (instances + kpi(t, res, kpicat.CostTrainingUSD, "")) * share
	if got := attributedUSD(t, res, "chat"); math.Abs(got-want) > 1e-6*want {
		t.Errorf("chat is attributed %v, want %v: prefill's share %.3f of the time over its prompt tokens prefilled, decode's over its output",
			got, want, prefillShare)
	}
	byTokens := instances * billedTokens(t, res, "chat") / (prompt + output)
	if math.Abs(byTokens-want) < 0.01*want {
		t.Fatalf("a share by tokens billed (%v) is within 1%% of %v: the test tells the two attributions apart by nothing", byTokens, want)
	}
}

// A workload whose calls a pool served but none of which completed (a
// model mix's small model answered them and escalated them, and the large
// model finished none by the horizon) billed no token: its cost per Mtok
// is NaN, and the replica time its calls took is carried by the workloads
// that billed tokens, as a pool that completed no call is, so the
// attributed costs still add up to the run's. Its share was left with it,
// in no workload's figure: chat alone carried only its own pool's cost.
func TestAttributedCostOfAWorkloadThatBilledNoToken(t *testing.T) {
	w, err := New(Config{Scenario: scenario(t, mixScenario("routing: {rule: workload, workloads: {code: small}}")), Sink: &MemorySink{}})
	if err != nil {
		t.Fatal(err)
	}
	now := int64(60e9)
	for i, pl := range w.pools { // chat served by the 70B, code by the 8B
		w.addPaid(pl, 0, 1) // one instance each, paid from the start
		pl.served[i] = servedTokens{prefilled: 1000, output: 100}
	}
	chat := &w.workloads[0].stats
	chat.inputTok, chat.outputTok = 1000, 100 // code completed none
	got := map[string]float64{}
	w.attributedKPIs(func(name, scope string, v float64) {
		if name == kpicat.CostPerMTokAttributedUSD {
			got[scope] = v
		}
	}, now, 0)
	instances := w.pools[0].instanceUSD(now) + w.pools[1].instanceUSD(now)
	if want := instances / 1100 * 1e6; math.Abs(got["chat"]-want) > 1e-9*want || !(w.pools[1].instanceUSD(now) > 0) {
		t.Errorf("chat's cost per Mtok attributed %v, want the run's instances (%v) over its 1,100 tokens, %v", got["chat"], instances, want)
	}
	if !math.IsNaN(got["code"]) {
		t.Errorf("code billed no token; its cost per Mtok attributed is %v, want NaN", got["code"])
	}
}
