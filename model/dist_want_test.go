package model

import (
	"reflect"
	"strings"
	"testing"
)

// TestDistValueErrorNamesWhatTheFieldTakes: a distribution's value that reads
// as neither a number nor a duration is refused with what that field takes
// (review230 F14: a token count said "want a number or a duration (e.g. 250,
// 300ms)", and a duration is refused there).
func TestDistValueErrorNamesWhatTheFieldTakes(t *testing.T) {
	cases := []struct {
		name, old, new string
		want, notWant  string
	}{
		{"token count", "prompt_tokens: 100", "prompt_tokens: 8k",
			`workloads[1].prompt_tokens: want a token count: a number (e.g. 800) or a distribution (e.g. {dist: lognormal, median: 800, p99: 6000}), got "8k"`, "duration"},
		{"token count's parameter", "prompt_tokens: 100", "prompt_tokens: {dist: exponential, mean: 8k}",
			`workloads[1].prompt_tokens.mean: want a token count: a number (e.g. 800), got "8k"`, "duration"},
		{"token count's listed value", "prompt_tokens: 100", "prompt_tokens: {dist: empirical, values: [1, 8k]}",
			`workloads[1].prompt_tokens.values[1]: want a token count: a number (e.g. 800), got "8k"`, "duration"},
		{"step count", "prefix_cache_hit: 0.5}", "prefix_cache_hit: 0.5, steps: four}",
			`workloads[1].agent.steps: want a step count: a number (e.g. 4) or a distribution`, "duration"},
		{"duration", "prefix_cache_hit: 0.5}", "prefix_cache_hit: 0.5, tool_latency: soon}",
			`workloads[1].agent.tool_latency: want a duration: one with a unit (e.g. 300ms) or a distribution`, ""},
		{"a duration's parameter", "prefix_cache_hit: 0.5}", "prefix_cache_hit: 0.5, tool_latency: {dist: exponential, mean: soon}}",
			`workloads[1].agent.tool_latency.mean: want a duration: one with a unit (e.g. 300ms), got "soon"`, ""},
		{"a duration's unitless cv", "prefix_cache_hit: 0.5}", "prefix_cache_hit: 0.5, tool_latency: {dist: gamma, mean: 1s, cv: high}}",
			`workloads[1].agent.tool_latency.cv: want a plain number (e.g. 0.8), got "high"`, ""},
		{"money", "ads: {bidders: 4}", "ads: {bidders: 4, bid: {dist: fixed, value: $1}}",
			`ads.bid.value: want an amount in USD: a number (e.g. 0.9), got "$1"`, "duration"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if !strings.Contains(agentScenario, c.old) {
				t.Fatalf("test scenario lacks %q", c.old)
			}
			_, _, err := Load("t.yaml", []byte(strings.Replace(agentScenario, c.old, c.new, 1)), testCatalog{})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("want an error containing %q, got %v", c.want, err)
			}
			if c.notWant != "" && strings.Contains(err.Error(), c.notWant) {
				t.Errorf("the error names a %s, which the field does not take: %v", c.notWant, err)
			}
		})
	}
}

// TestEveryDistFieldHasAKind: each distribution a scenario holds is listed
// in distFieldKinds, so that its value errors say what it takes.
func TestEveryDistFieldHasAKind(t *testing.T) {
	seen := map[reflect.Type]bool{}
	var walk func(reflect.Type)
	walk = func(ty reflect.Type) {
		for ty.Kind() == reflect.Pointer || ty.Kind() == reflect.Slice || ty.Kind() == reflect.Map {
			ty = ty.Elem()
		}
		if ty.Kind() != reflect.Struct || seen[ty] || ty == reflect.TypeOf(Dist{}) {
			return
		}
		seen[ty] = true
		for i := range ty.NumField() {
			f := ty.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			if f.Type == reflect.TypeOf(Dist{}) {
				if _, ok := distFieldKinds[name]; !ok {
					t.Errorf("%s.%s (yaml %q) is a distribution missing from distFieldKinds", ty.Name(), f.Name, name)
				}
				continue
			}
			walk(f.Type)
		}
	}
	walk(reflect.TypeOf(Scenario{}))
	if len(seen) < 5 {
		t.Fatalf("walked only %d struct types: the walk is broken", len(seen))
	}
}
