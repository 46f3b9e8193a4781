package main

import (
	"path/filepath"
	"strings"
	"testing"

	"aiecon/hw"
	"aiecon/model"
	"aiecon/runner"
)

// suspectBase is a small scenario none of whose values is suspect: the
// 8B on one inf2.48xlarge ($12.98/h on demand) at 2/s for 10 minutes.
const suspectBase = `name: s
model: llama-3.1-8b
horizon: 10m
fleet: {instance: inf2.48xlarge, count: 1, replica: {tp: 8, per_instance: 3}}
workloads:
  - name: chat
    class: api
    arrivals: {rate: 2/s}
    prompt_tokens: 500
    output_tokens: 200
    price: {input_per_mtok: 0.22, output_per_mtok: 0.22}
    slo: {ttft: 2s, tpot: 100ms}
`

// TestSuspectValues: a value that loads but makes the run describe nothing
// meant is warned of with its path, its value and why; a value short of
// its threshold is not. Each case fails without its check.
func TestSuspectValues(t *testing.T) {
	t.Setenv(hw.ProfileDirEnv, t.TempDir()) // the built-in profile, not this host's
	closed := func(think string) []string {
		return []string{"workloads[chat].arrivals.rate=null", "workloads[chat].arrivals.process=closed", "workloads[chat].arrivals.clients=4",
			"workloads[chat].arrivals.think_time=" + think}
	}
	tests := []struct {
		name string
		sets []string
		want string // "" = no SUSPECT VALUE
	}{
		{"nothing suspect", nil, ""},
		{"an instance price of $1e15", []string{"fleet.price_usd_per_hour=1e15"},
			"SUSPECT VALUE: fleet.price_usd_per_hour is $1e+15 an instance-hour, 7.7e+13 times inf2.48xlarge's on-demand list price ($12.98/h)"},
		// Grouped in thousands as every other figure ("$5000" stood out),
		// its fraction kept.
		{"an instance price of $5000.5", []string{"fleet.price_usd_per_hour=5000.5"},
			"SUSPECT VALUE: fleet.price_usd_per_hour is $5,000.5 an instance-hour, 385 times"},
		{"an instance price nine times on-demand", []string{"fleet.price_usd_per_hour=116.8"}, ""},
		{"an instance price eleven times on-demand", []string{"fleet.price_usd_per_hour=142.8"},
			"SUSPECT VALUE: fleet.price_usd_per_hour is $142.8 an instance-hour, 11 times inf2.48xlarge's"},
		{"a training cluster's price", []string{"training.every=7d", "training.tokens=1e9", "training.instance=trn1.32xlarge",
			"training.price_usd_per_hour=1e9"}, "SUSPECT VALUE: training.price_usd_per_hour is $1,000,000,000 an instance-hour"},
		{"a token price of $1e15", []string{"workloads[chat].price.output_per_mtok=1e15"},
			"SUSPECT VALUE: workloads[chat].price.output_per_mtok is $1e+15 per million tokens, 4.2e+14 times the dearest list price in the catalog ($2.40 per million"},
		{"a cached token price", []string{"workloads[chat].price.input_per_mtok=3000", "workloads[chat].price.cached_input_per_mtok=3000"},
			"SUSPECT VALUE: workloads[chat].price.cached_input_per_mtok is $3,000 per million tokens, 1,250 times"},
		{"a token price 900 times the dearest", []string{"workloads[chat].price.input_per_mtok=2160"}, ""},
		{"a 1 ns TTFT target", []string{"workloads[chat].slo.ttft=1ns"},
			"SUSPECT VALUE: workloads[chat].slo.ttft is 1ns, below the fastest step a replica can take (llama-3.1-8b on inf2.48xlarge at tp 8: "},
		{"a 1 ms TPOT target", []string{"workloads[chat].slo.tpot=1ms"},
			"SUSPECT VALUE: workloads[chat].slo.tpot is 1ms, below the fastest a replica can emit a token (llama-3.1-8b on inf2.48xlarge at tp 8: "},
		{"a rate of 1e-300/s", []string{"workloads[chat].arrivals.rate=1e-300/s"},
			"SUSPECT VALUE: workloads[chat].arrivals.rate is 3.6e-297/h, which gives about 6e-298 arrivals expected over the 10m horizon, fewer than one"},
		{"a rate of one in the horizon", []string{"workloads[chat].arrivals.rate=6/h", "fleet.replica.per_instance=1"}, ""},
		{"a think time past the horizon", closed("300d"),
			"SUSPECT VALUE: workloads[chat].arrivals.think_time is a mean of 300d, at least the 10m horizon"},
		{"a think time within the horizon", closed("9m"), ""},
		{"more replicas than requests", []string{"fleet.count=500"},
			"SUSPECT VALUE: fleet.count is 500, 1,500 replicas (3 an instance) for about 1,200 requests expected over the 10m horizon"},
		{"an autoscaled fleet is not judged", []string{"fleet.count=500", "fleet.autoscale.min=1", "fleet.autoscale.max=500"}, ""},
		{"a horizon shorter than one request", []string{"horizon=1s", "workloads[chat].arrivals.rate=40/s"},
			"SUSPECT VALUE: horizon is 1s, shorter than a request of mean output length takes on an idle replica at its fastest step, workloads[chat] (200 output tokens: "},
		{"a short horizon drained", []string{"horizon=1s", "workloads[chat].arrivals.rate=40/s", "drain=true"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := runner.LoadSource("s.yaml", []byte(suspectBase), "", tt.sets)
			if err != nil {
				t.Fatal(err)
			}
			got := strings.Join(suspectValues(l.Scenario), "\n")
			if tt.want == "" {
				if got != "" {
					t.Errorf("warned:\n%s", got)
				}
				return
			}
			if !strings.Contains(got, tt.want) {
				t.Errorf("got\n%s\nwant it to contain\n%s", got, tt.want)
			}
		})
	}
}

// TestSuspectPoolPrice: a pool's own instance price is named by the path
// --set gives it, pools[NAME].fleet, not the main fleet's, and measured
// against its instance's dearest catalog price where it lists no
// on-demand one.
func TestSuspectPoolPrice(t *testing.T) {
	t.Setenv(hw.ProfileDirEnv, t.TempDir())
	ls, err := runner.LoadVariants("model-mix", []string{"pools[small].fleet.price_usd_per_hour=1e6"}, "")
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(suspectValues(ls[0].Scenario), "\n")
	// trn2.48xlarge lists a Capacity Blocks rate and no on-demand price.
	if want := "SUSPECT VALUE: pools[small].fleet.price_usd_per_hour is $1,000,000 an instance-hour, 27,964 times trn2.48xlarge's dearest " +
		"catalog price ($35.76/h)"; !strings.Contains(got, want) {
		t.Errorf("got\n%s\nwant it to contain\n%s", got, want)
	}
}

// TestSuspectTPOTSpeculative: under speculative decoding a step emits up
// to k+1 tokens, so a TPOT target below one step but above a step over
// k+1 tokens can be met and is not warned of; below that it is.
func TestSuspectTPOTSpeculative(t *testing.T) {
	t.Setenv(hw.ProfileDirEnv, t.TempDir())
	l, err := runner.LoadSource("s.yaml", []byte(suspectBase), "", []string{"fleet.replica.scheduler=vllm", "fleet.instance=p5.48xlarge",
		"fleet.replica.per_instance=null", "fleet.replica.speculative.draft=eagle", "fleet.replica.speculative.k=4",
		"fleet.replica.speculative.acceptance=0.7"})
	if err != nil {
		t.Fatal(err)
	}
	step, err := runner.FastestStepSeconds(l.Scenario, l.Scenario.ServingPools()[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		tpot float64 // in steps
		want bool
	}{{0.5, false}, {0.19, true}} {
		l.Scenario.Workloads[0].SLO.TPOT = model.Duration(tt.tpot * step * 1e9)
		got := strings.Join(suspectValues(l.Scenario), "\n")
		if has := strings.Contains(got, "slo.tpot"); has != tt.want {
			t.Errorf("a TPOT target of %.2f steps: warned %v, want %v:\n%s", tt.tpot, has, tt.want, got)
		}
		if tt.want && !strings.Contains(got, "over the 5 tokens speculative decoding emits at most") {
			t.Errorf("the warning does not say a step emits up to k+1 tokens:\n%s", got)
		}
	}
}

// TestSuspectValuesQuietOnShipped: no shipped scenario (the examples, the
// built-ins, the default among them, and every variant of each) has a
// suspect value: the checks' thresholds stay clear of what the project
// itself presents as a scenario.
func TestSuspectValuesQuietOnShipped(t *testing.T) {
	t.Setenv(hw.ProfileDirEnv, t.TempDir())
	files, err := filepath.Glob(filepath.Join("..", "..", "examples", "scenarios", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range files {
		if !strings.HasSuffix(f, ".forecast.yaml") {
			names = append(names, f)
		}
	}
	if len(names) == 0 {
		t.Fatal("no example scenarios found")
	}
	names = append(names, model.BuiltinNames()...)
	for _, name := range names {
		ls, err := runner.LoadVariants(name, nil, "")
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, l := range ls {
			if ws := suspectValues(l.Scenario); len(ws) > 0 {
				t.Errorf("%s (%s): %s", name, l.Scenario.Name, strings.Join(ws, "\n"))
			}
		}
	}
}
