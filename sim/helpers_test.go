package sim

import (
	"context"
	"testing"

	"aiecon/model"
)

// scenario loads a YAML scenario written by the test.
func scenario(t testing.TB, src string) *model.Scenario {
	t.Helper()
	sc, _, err := model.Load(t.Name()+".yaml", []byte(src), Catalog())
	if err != nil {
		t.Fatalf("scenario: %v", err)
	}
	return sc
}

// run simulates a scenario into a memory sink.
func run(t testing.TB, sc *model.Scenario) (*Result, *MemorySink) {
	t.Helper()
	sink := &MemorySink{}
	w, err := New(Config{Scenario: sc, Sink: sink})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	res, err := w.Run(context.Background())
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return res, sink
}

func kpi(t testing.TB, res *Result, name, scope string) float64 {
	t.Helper()
	k, ok := res.KPI(name, scope)
	if !ok {
		t.Fatalf("no KPI %s (scope %q)", name, scope)
	}
	return k.Value
}

// small8b is a cheap vLLM fleet for behavioural tests.
const small8b = `
name: small
horizon: 10m
model: llama-3.1-8b
fleet:
  instance: p5.48xlarge
  count: 1
  replica: {tp: 8, scheduler: vllm, max_num_seqs: 64}
workloads:
  - name: chat
    class: api
    arrivals: {process: poisson, rate: 20/s}
    prompt_tokens: {dist: lognormal, median: 500, p99: 4000, max: 8000}
    output_tokens: {dist: lognormal, median: 200, p99: 1000, max: 2000}
    price: {input_per_mtok: 0.22, output_per_mtok: 0.22}
    slo: {ttft: 1s, tpot: 50ms}
`

// oneChat is a one-minute scenario of model (a catalog name or an inline
// mapping) under precision and on fleet (the insides of their mappings),
// serving a 1,000-token chat at 1 request/s.
func oneChat(model, precision, fleet string) string {
	return "name: one-chat\nhorizon: 1m\nmodel: " + model + "\nprecision: {" + precision + "}\nfleet: {" + fleet + "}\n" +
		"workloads:\n  - {name: chat, class: api, arrivals: {rate: 1/s}, prompt_tokens: 1000, output_tokens: 100}\n"
}
