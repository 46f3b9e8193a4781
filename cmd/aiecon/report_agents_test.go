package main

import (
	"regexp"
	"strings"
	"testing"

	"aiecon/data"
	"aiecon/runner"
)

// agentScenario is an agent workload that gives none of the assumptions
// the line reports; each case adds what it gives.
const agentScenario = `name: agents
model: llama-3.3-70b
fleet: {instance: p5en.48xlarge, replica: {tp: 8}}
horizon: 1m
workloads:
  - name: shopper
    class: agent
    arrivals: {rate: 1/s}
    prompt_tokens: 50
    output_tokens: {dist: lognormal, median: 150, p99: 600}
    agent:
      value: {fee: 0.001}
`

// TestAgentAssumptionsLine: run prints, under TRAFFIC, one line per agent
// workload with its steps, tool-call tokens, patience and what it is
// measured on, and retrieval, and marks "default" exactly the values the
// scenario left to aiecon: a default value written out in the file is the
// scenario's, and a --set of null gives the field back to the default.
func TestAgentAssumptionsLine(t *testing.T) {
	withAgent := func(extra string) string { return agentScenario + extra }
	tests := []struct {
		name, src string
		sets      []string
		want      string
	}{
		{"nothing given", agentScenario, nil,
			"steps mean 4 (default), tool calls median 150 tok, p99 600 tok (default: as an answer), patience median 8 s, p99 60 s on ttft (default), retrieval none"},
		{"defaults written out", withAgent("      steps: {dist: poisson, mean: 4}\n      patience: {dist: lognormal, median: 8s, p99: 60s}\n      patience_on: ttft\n"), nil,
			"steps mean 4, tool calls median 150 tok, p99 600 tok (default: as an answer), patience median 8 s, p99 60 s on ttft, retrieval none"},
		{"written out, then reset", withAgent("      steps: {dist: poisson, mean: 3}\n"), []string{"workloads[shopper].agent.steps=null"},
			"steps mean 4 (default),"},
		{"tool calls given", agentScenario, []string{"workloads[shopper].agent.tool_call_tokens=30"},
			"tool calls 30 tok, patience"},
		{"measure given", agentScenario, []string{"workloads[0].agent.patience_on=e2e"},
			"patience median 8 s, p99 60 s (default) on e2e,"},
		{"patience given", agentScenario, []string{"workloads[shopper].agent.patience=20s"},
			"patience 20 s on ttft (default measure),"},
		{"retrieval", withAgent("      retrieval: {probability: 0.5}\n"), nil,
			"retrieval 3 docs x 400 tok on 50% of steps"},
	}
	for _, tt := range tests {
		l, err := runner.LoadSource("agents.yaml", []byte(tt.src), "", tt.sets)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		r := fakeReport(nil)
		r.l = l
		var b strings.Builder
		r.printTraffic(&b, r.scopes())
		if !strings.Contains(b.String(), "\n  agent shopper: ") || !strings.Contains(b.String(), tt.want) {
			t.Errorf("%s: TRAFFIC lacks %q:\n%s", tt.name, tt.want, b.String())
		}
		// show reprints it from what the store keeps: the scenario as
		// written, the overrides and the resolved scenario.
		d := &data.RunDetail{Run: data.RunRecord{ScenarioYAML: string(l.Given), ResolvedYAML: string(l.Resolved), ParamsJSON: l.Overrides.JSON()}}
		b.Reset()
		if err := printRunHeader(&b, d, 0); err != nil { // unwrapped: the agent line whole
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), "\n  agent shopper  ") || !strings.Contains(b.String(), tt.want) {
			t.Errorf("%s: show lacks %q:\n%s", tt.name, tt.want, b.String())
		}
	}
}

// TestShowPatienceMeasureNotRecorded: a run stored before
// agent.patience_on existed (schema 3) has none in its resolved scenario,
// and show printed "patience median 8 s, p99 60 s on ," (an empty measure).
func TestShowPatienceMeasureNotRecorded(t *testing.T) {
	l, err := runner.LoadSource("agents.yaml", []byte(agentScenario), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	resolved := string(l.Resolved)
	old := regexp.MustCompile(`(?m)^\s*patience_on: ttft\n`).ReplaceAllString(resolved, "")
	if old == resolved {
		t.Fatalf("the resolved scenario names no patience_on to leave out:\n%s", resolved)
	}
	d := &data.RunDetail{Run: data.RunRecord{ScenarioYAML: string(l.Given), ResolvedYAML: old, ParamsJSON: l.Overrides.JSON()}}
	var b strings.Builder
	if err := printRunHeader(&b, d, 0); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); strings.Contains(got, " on ,") || !strings.Contains(got, "on (not recorded)") {
		t.Errorf("show of a run that recorded no patience measure:\n%s\nwant \"on (not recorded)\", not an empty measure", got)
	}
}
