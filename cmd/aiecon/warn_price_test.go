package main

import (
	"strings"
	"testing"

	"aiecon/runner"
	"aiecon/sim"
)

// TestBorrowedTokenPrices: a scenario's token price is written out, so
// `--set model=...` kept the Bedrock price of the model it replaced (the
// baseline's chat billed Llama 3.3 70B's $0.72 served by gpt-oss-120b) and
// run said nothing. A price that is also the served model's list price
// (3.1 70B lists as 3.3 70B does), a price no model lists, and a mix whose
// pools include the model whose price it is are not warned of.
func TestBorrowedTokenPrices(t *testing.T) {
	const single = `name: p
horizon: 1m
model: llama-3.3-70b
fleet: {instance: p5.48xlarge, count: 1, replica: {tp: 8}}
workloads:
  - name: chat
    class: api
    arrivals: {process: poisson, rate: 1/s}
    prompt_tokens: 100
    output_tokens: 10
    price: {input_per_mtok: 0.72, output_per_mtok: 0.72}
  - name: own
    class: batch
    arrivals: {process: poisson, rate: 1/s}
    prompt_tokens: 100
    output_tokens: 10
    price: {input_per_mtok: 0.5, output_per_mtok: 0.5}
`
	const mix = `name: m
horizon: 1m
model: llama-3.3-70b
fleet: {instance: p5.48xlarge, count: 1, replica: {tp: 8}}
pools:
  - {name: small, model: llama-3.1-8b, fleet: {instance: p5.48xlarge, count: 1, replica: {tp: 8}}}
routing: {rule: small-first, small: small, large: llama-3.3-70b, escalation: 0.2}
workloads:
  - name: chat
    class: api
    arrivals: {process: poisson, rate: 1/s}
    prompt_tokens: 100
    output_tokens: 10
    price: {input_per_mtok: 0.72, output_per_mtok: 0.72}
  - name: tiny
    class: api
    arrivals: {process: poisson, rate: 1/s}
    prompt_tokens: 100
    output_tokens: 10
    price: {input_per_mtok: 0.72, output_per_mtok: 0.72}
`
	byWorkload := []string{"routing.rule=workload", "routing.small=", "routing.large=", "routing.escalation=null", "routing.workloads={tiny: small}"}
	tests := []struct {
		name string
		src  string
		sets []string
		want []string // substrings of the one warning; nil: none
	}{
		{"its own price", single, nil, nil},
		{"a model listed alike", single, []string{"model=llama-3.1-70b"}, nil},
		{"a model listed cheaper", single, []string{"model=llama-3.1-8b"},
			[]string{"workloads[chat] is billed $0.72 / $0.72", "list price of llama-3.1-70b and llama-3.3-70b", "served by llama-3.1-8b (listed at $0.22 / $0.22"}},
		{"a model with no list price", single, []string{"model=mixtral-8x7b"},
			[]string{"workloads[chat]", "served by mixtral-8x7b (no Bedrock list price in the catalog)"}},
		{"a mix answered by both", mix, nil, nil},
		{"a workload routed to the small pool", mix, byWorkload,
			[]string{"workloads[tiny] is billed", "served by llama-3.1-8b (listed at $0.22"}},
	}
	for _, tt := range tests {
		l, err := runner.LoadSource("p.yaml", []byte(tt.src), "", tt.sets)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		ws := borrowedTokenPrices(l.Scenario)
		if tt.want == nil {
			if len(ws) != 0 {
				t.Errorf("%s: %q, want no warning", tt.name, ws)
			}
			continue
		}
		if len(ws) != 1 || !strings.HasPrefix(ws[0], "TOKEN PRICE OF ANOTHER MODEL: ") {
			t.Fatalf("%s: %q, want one TOKEN PRICE OF ANOTHER MODEL warning", tt.name, ws)
		}
		for _, w := range tt.want {
			if !strings.Contains(ws[0], w) {
				t.Errorf("%s: %q does not say %q", tt.name, ws[0], w)
			}
		}
		// run and show print it: it is one of the scenario's checks.
		r := runReport{l: l, res: &sim.Result{}}
		if got := strings.Join(r.scenarioChecks(), "\n"); !strings.Contains(got, ws[0]) {
			t.Errorf("%s: the run's scenario checks %q leave it out", tt.name, got)
		}
	}
}
