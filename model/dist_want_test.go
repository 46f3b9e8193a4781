package model

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
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

// TestDistFieldKindsCoverEveryDist: distFieldKinds is the one source of
// what each distribution draws, for the resolver's checks and the loader's
// value errors, so each distribution a scenario holds needs its key there
// (else resolving it panics), no key may name two distributions (the table
// could give only one kind to both), and a key no distribution has is a
// stale entry. The altered tables show that the check finds each.
func TestDistFieldKindsCoverEveryDist(t *testing.T) {
	fields := distFields(t)
	without := maps.Clone(distFieldKinds)
	delete(without, "bid")
	extra := maps.Clone(distFieldKinds)
	extra["bids"] = distMoney
	cases := []struct {
		name  string
		kinds map[string]distKind
		added []distField // distributions a scenario would hold besides its own
		want  []string
	}{
		{"distFieldKinds", distFieldKinds, nil, nil},
		{"an entry dropped", without, nil, []string{`Ads.Bid (yaml "bid") is a distribution missing from distFieldKinds`}},
		{"an entry no field has", extra, nil, []string{`distFieldKinds has "bids", which no distribution of a scenario has`}},
		{"a key shared", distFieldKinds, []distField{{"Other.Bid", "bid"}},
			[]string{`Ads.Bid and Other.Bid share the yaml key "bid", and distFieldKinds can give both only one kind`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fs := append(slices.Clip(fields), c.added...)
			if got := distKindProblems(fs, c.kinds); !slices.Equal(got, c.want) {
				t.Errorf("got problems %q, want %q", got, c.want)
			}
		})
	}
}

// distField is a distribution a scenario holds: its Go type and field, and
// its YAML key.
type distField struct{ goName, key string }

// distFields walks Scenario for every Dist field, in declaration order.
func distFields(t *testing.T) []distField {
	t.Helper()
	var fields []distField
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
			if f.Type == reflect.TypeOf(Dist{}) {
				key, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
				fields = append(fields, distField{ty.Name() + "." + f.Name, key})
				continue
			}
			walk(f.Type)
		}
	}
	walk(reflect.TypeOf(Scenario{}))
	if len(seen) < 5 || len(fields) < 5 {
		t.Fatalf("walked %d struct types and found %d distributions: the walk is broken", len(seen), len(fields))
	}
	return fields
}

// distKindProblems is what is wrong between the distributions fields and
// kinds, a table of what each draws by key; nil when nothing is.
func distKindProblems(fields []distField, kinds map[string]distKind) []string {
	var problems []string
	owner := map[string]string{}
	for _, f := range fields {
		if _, ok := kinds[f.key]; !ok {
			problems = append(problems, fmt.Sprintf("%s (yaml %q) is a distribution missing from distFieldKinds", f.goName, f.key))
		}
		if o, ok := owner[f.key]; ok {
			problems = append(problems, fmt.Sprintf("%s and %s share the yaml key %q, and distFieldKinds can give both only one kind", o, f.goName, f.key))
			continue
		}
		owner[f.key] = f.goName
	}
	for _, key := range slices.Sorted(maps.Keys(kinds)) {
		if _, ok := owner[key]; !ok {
			problems = append(problems, fmt.Sprintf("distFieldKinds has %q, which no distribution of a scenario has", key))
		}
	}
	return problems
}

// TestResolverChecksEachDistForItsKind: resolution checks each
// distribution for what it draws, which it looks up in distFieldKinds by
// the field's key rather than being told at each call: a value of 2e7
// with no unit is out of each count's and amount's own range and lacks a
// duration's unit. Each key of distFieldKinds needs a case, so that a
// distribution added there is shown to be resolved under its key.
func TestResolverChecksEachDistForItsKind(t *testing.T) {
	const agent, ads = "prefix_cache_hit: 0.5}", "ads: {bidders: 4}"
	cases := []struct{ key, old, new, want string }{
		{"prompt_tokens", "prompt_tokens: 100", "prompt_tokens: 2e7", "workloads[1].prompt_tokens.value: 2e+07 is out of range (at most 1.6777216e+07 tokens)"},
		{"output_tokens", "output_tokens: 50", "output_tokens: 2e7", "workloads[1].output_tokens.value: 2e+07 is out of range (at most 1.6777216e+07 tokens)"},
		{"think_time", "arrivals: {rate: 1/s}", "arrivals: {process: closed, clients: 4, think_time: 2e7}", "workloads[1].arrivals.think_time: durations need a unit, e.g. 300ms or 2s"},
		{"steps", agent, "prefix_cache_hit: 0.5, steps: 2e7}", "workloads[1].agent.steps.value: 2e+07 is out of range (at most 10000 steps)"},
		{"tool_latency", agent, "prefix_cache_hit: 0.5, tool_latency: 2e7}", "workloads[1].agent.tool_latency: durations need a unit, e.g. 300ms or 2s"},
		{"tool_result_tokens", agent, "prefix_cache_hit: 0.5, tool_result_tokens: 2e7}", "workloads[1].agent.tool_result_tokens.value: 2e+07 is out of range (at most 1.6777216e+07 tokens)"},
		{"tool_call_tokens", agent, "prefix_cache_hit: 0.5, tool_call_tokens: 2e7}", "workloads[1].agent.tool_call_tokens.value: 2e+07 is out of range (at most 1.6777216e+07 tokens)"},
		{"patience", agent, "prefix_cache_hit: 0.5, patience: 2e7}", "workloads[1].agent.patience: durations need a unit, e.g. 300ms or 2s"},
		{"bid", ads, "ads: {bidders: 4, bid: 2e7}", "ads.bid.value: 2e+07 is out of range (at most 1e+06 USD)"},
		{"relevance", ads, "ads: {bidders: 4, relevance: 2e7}", "ads.relevance.value: 2e+07 is out of range (at most 1e+06)"},
	}
	covered := map[string]bool{}
	for _, c := range cases {
		covered[c.key] = true
		t.Run(c.key, func(t *testing.T) {
			if !strings.Contains(agentScenario, c.old) {
				t.Fatalf("test scenario lacks %q", c.old)
			}
			_, _, err := Load("t.yaml", []byte(strings.Replace(agentScenario, c.old, c.new, 1)), testCatalog{})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("want an error containing %q, got %v", c.want, err)
			}
		})
	}
	for key := range distFieldKinds {
		if !covered[key] {
			t.Errorf("distFieldKinds has %q, which has no case here", key)
		}
	}
}
