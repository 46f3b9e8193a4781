package sim

import (
	"context"
	"testing"

	"aiecon/hw"
	kpicat "aiecon/model/kpi"
)

// fp8Prefill keeps an H200 busy encoding long prompts with fp8 (W8A8)
// weights: compute-bound GEMMs priced at the fp8 peak, twice the 16-bit one.
const fp8Prefill = `
name: fp8-flops
seed: 1
horizon: 2m
window: 20s
model: llama-2-70b
precision: {weights: fp8, kv_cache: fp8}
fleet:
  instance: p5en.48xlarge
  count: 1
  replica: {tp: 1, scheduler: vllm, max_num_seqs: 16, max_batched_tokens: 16384, max_model_len: 4096}
workloads:
  - name: longprompts
    class: api
    arrivals: {process: poisson, rate: 20/s}
    prompt_tokens: {dist: fixed, value: 4000}
    output_tokens: {dist: fixed, value: 2}
    price: {input_per_mtok: 0.72, output_per_mtok: 0.72}
    slo: {ttft: 60s, tpot: 10s}
`

// TestUtilizationOfFP8AtFP8Peak: the FLOP/s and HBM utilisations are
// occupancies (the work's time at the peaks over the devices' time), each op
// at the peak of its own format, so a compute-bound fp8 fleet stays at or
// below 1 in the run's KPIs and in every window. Measured against the
// 16-bit peak it printed 1.09. It prices with the built-in profile, as
// aiecon run does, whose GEMM efficiencies make the prefill compute-bound.
func TestUtilizationOfFP8AtFP8Peak(t *testing.T) {
	prof, err := hw.BuiltinProfile()
	if err != nil {
		t.Fatal(err)
	}
	sink := &MemorySink{}
	w, err := New(Config{Scenario: scenario(t, fp8Prefill), Sink: sink, Profile: prof})
	if err != nil {
		t.Fatal(err)
	}
	res, err := w.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{kpicat.FLOPSUtilization, kpicat.BandwidthUtilization} {
		if got := kpi(t, res, name, ""); !(got > 0 && got <= 1) {
			t.Errorf("%s = %.4g, want in (0, 1]", name, got)
		}
	}
	if got := kpi(t, res, kpicat.FLOPSUtilization, ""); got < 0.4 {
		t.Errorf("FLOP/s utilisation %.4g of a fleet busy prefilling, want compute-bound (at least 0.4)", got)
	}
	if len(sink.Wins) == 0 {
		t.Fatal("no windows recorded")
	}
	for _, w := range sink.Wins {
		if w.FLOPsFrac > 1 || w.BandwidthFrac > 1 {
			t.Errorf("window at %d ns: FLOP/s %.4g, HBM %.4g of peak, want at most 1", w.StartNs, w.FLOPsFrac, w.BandwidthFrac)
		}
	}
}
