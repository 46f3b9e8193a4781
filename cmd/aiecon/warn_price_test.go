package main

import (
	"strings"
	"testing"

	"aiecon/hw"
	"aiecon/model/kpi"
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

// TestRunWarnsOfPricesOfDifferentDates: a spot fleet paying the catalog's
// spot quote pays a price of the quote's date, whose discount is taken
// against the on-demand price of another: p4d's 2024-09-28 quote against
// its 2026 on-demand price. optimize and compare warn of prices dated
// more than six months apart; run said nothing (review99 O2). Prices of
// one date, or a discount the scenario gives, are not warned of.
func TestRunWarnsOfPricesOfDifferentDates(t *testing.T) {
	const src = `name: p
horizon: 1m
model: llama-3.3-70b
fleet: {instance: p4d.24xlarge, count: 1, pricing: spot, replica: {tp: 8, scheduler: vllm}}
workloads:
  - name: chat
    class: api
    arrivals: {process: poisson, rate: 1/s}
    prompt_tokens: 100
    output_tokens: 10
`
	for _, tt := range []struct {
		name string
		sets []string
		want []string // substrings of the warning; nil: none
	}{
		{"the catalog's spot quote", nil, []string{"PRICES OF DIFFERENT DATES: p4d.24xlarge's spot price $9.28/h is of 2024-09-28",
			"the on-demand price its 58% spot discount is taken against ($21.96/h) of 2026-07-20", "aiecon hw show p4d.24xlarge"}},
		{"on-demand", []string{"fleet.pricing=on-demand"}, nil},
		{"the scenario's discount", []string{"fleet.spot.discount=0.6"}, nil},
		{"the scenario's price", []string{"fleet.price_usd_per_hour=9", "fleet.spot.discount=0"}, nil},
	} {
		l, err := runner.LoadSource("p.yaml", []byte(src), "", tt.sets)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		f := l.Scenario.Fleet
		in, err := hw.InstanceByName(f.Instance)
		if err != nil {
			t.Fatal(err)
		}
		usd, _, err := in.HourlyPrice(f.Pricing, f.PriceUSDPerHour, f.SpotDiscount())
		if err != nil {
			t.Fatal(err)
		}
		r := runReport{l: l, res: &sim.Result{KPIs: []sim.KPI{{Name: kpi.PricePerInstanceHourUSD, Value: usd}}}}
		got := strings.Join(r.scenarioChecks(), "\n")
		if tt.want == nil {
			if strings.Contains(got, "DIFFERENT DATES") {
				t.Errorf("%s: %q, want no PRICES OF DIFFERENT DATES", tt.name, got)
			}
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: the run's checks %q do not say %q", tt.name, got, w)
			}
		}
	}
}
