package sim

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// escalatedSession is one agent session of three calls on an 8B that
// answers first and a 70B that every answer is escalated to: a
// 2,000-token system prompt, a 40-token first message, 51-token answers and
// 100-token tool results (lengths that fill no block exactly, so that the
// blocks a call leaves are the same counted either way, all its tokens or
// all but the last generated one).
const escalatedSession = `
name: escalatedcache
horizon: 5m
drain: true
model: llama-3.3-70b
fleet: {instance: p5.48xlarge, replica: {tp: 8, scheduler: vllm}}
pools:
  - name: small
    model: llama-3.1-8b
    fleet: {instance: p5.48xlarge, replica: {tp: 1, per_instance: 1, scheduler: vllm}}
routing: {rule: small-first, small: small, large: llama-3.3-70b, escalation: 1}
workloads:
  - name: shop
    class: agent
    arrivals: {process: burst, count: 1}
    prompt_tokens: 40
    output_tokens: 51
    price: {input_per_mtok: 0.72, output_per_mtok: 0.72}
    agent: {steps: 3, tool_latency: 100ms, tool_result_tokens: 100, patience: 1h, system_prompt_tokens: 2000}
`

// TestEscalatedCallFindsTheLargeModelsCache: an escalated agent call looks
// its prefix up in the cache of the large replica that takes it, which
// holds what the session's earlier escalated calls left there (the small
// replica's hit is not in the large model's memory); the small model's
// answer, never shown, leaves its prompt alone in the small replica's cache,
// as the session goes on with the large model's answer. The session counts
// its calls' tokens as their records do, and the counterfactual's calls
// (callIn) find on each model what the run's found.
func TestEscalatedCallFindsTheLargeModelsCache(t *testing.T) {
	sink := &MemorySink{}
	w, err := New(Config{Scenario: scenario(t, escalatedSession), Sink: sink})
	if err != nil {
		t.Fatal(err)
	}
	_, err = w.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(sink.Sess) != 1 || sink.Sess[0].Status != SessionCompleted || len(sink.Reqs) != 3 {
		t.Fatalf("%d sessions, %d calls: want one completed session of 3", len(sink.Sess), len(sink.Reqs))
	}
	// Contexts: 2,040 tokens, then 2,040 + 51 + 100 = 2,191, then 2,342.
	// The 70B's cache is empty at the first call, then holds the whole
	// previous escalated call but its last token: 2,090 and 2,241 tokens, in
	// whole blocks of 16 tokens 2,080 and 2,240.
	want := []int32{0, 2080, 2240}
	var cached int64
	for k, r := range sink.Reqs {
		if smallReplica(sink, r) || r.CachedTokens != want[k] {
			t.Errorf("call %d: %d of %d prompt tokens cached on the small model %v, want %d on the 70B",
				k, r.CachedTokens, r.PromptTokens, smallReplica(sink, r), want[k])
		}
		cached += int64(r.CachedTokens)
	}
	if s := sink.Sess[0]; s.CachedTokens != cached {
		t.Errorf("session: %d cached tokens, its calls' records %d", s.CachedTokens, cached)
	}
	// The 8B found the system prompt and its previous prompts, 2,032 and
	// 2,176 tokens in whole blocks, not the answers it computed and the 70B
	// replaced (2,080 and 2,240).
	if got := w.models.small.calls.cachedTok; got != 2032+2176 {
		t.Errorf("the 8B found %d tokens cached, want %d", got, 2032+2176)
	}
	// The counterfactual prices the same calls with the same hits on each
	// model, but for the first call's system prompt, which it takes as
	// other sessions' calls keep it cached.
	am := w.workloads[0].agent
	seen := newSeenBy(2000)
	var small, large []int
	record := func(pl *fleetPool, _ *stepPlan, _, c, _ int) (int64, int64) {
		if pl == w.models.large {
			large = append(large, c)
		} else {
			small = append(small, c)
		}
		return 0, 0
	}
	ctx := int64(2040)
	for range 3 {
		sp := stepPlan{output: 51, toolTok: 100, escalate: true, turnNs: -1}
		prompt, _, output, _, _ := w.callIn(record, am, &sp, ctx, &seen)
		ctx = int64(prompt+output) + 100
	}
	if wantSmall, wantLarge := []int{2000, 2032, 2176}, []int{2000, 2080, 2240}; fmt.Sprint(small) != fmt.Sprint(wantSmall) || fmt.Sprint(large) != fmt.Sprint(wantLarge) {
		t.Errorf("counterfactual hits: small %v, large %v; want %v, %v", small, large, wantSmall, wantLarge)
	}
}

// TestCounterfactualFindsOnlyEachModelsOwnCache: under prompt-length
// routing a session whose context outgrows the threshold moves to the
// large model, whose cache holds none of the conversation the small model
// served. The counterfactual's call there finds the system prompt alone,
// as the run's does (on a replica other sessions keep it on), and then
// what the large model's own calls left.
func TestCounterfactualFindsOnlyEachModelsOwnCache(t *testing.T) {
	src := strings.Replace(escalatedSession, "rule: small-first, small: small, large: llama-3.3-70b, escalation: 1",
		"rule: prompt-length, small: small, large: llama-3.3-70b, threshold: 2100", 1)
	sink := &MemorySink{}
	w, err := New(Config{Scenario: scenario(t, src), Sink: sink})
	if err != nil {
		t.Fatal(err)
	}
	if _, err = w.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	// Contexts 2,040 (the 8B), 2,191 and 2,342 (the 70B): the 70B's cache is
	// empty at the second call and holds 2,241 tokens of it at the third.
	var got []int32
	for _, r := range sink.Reqs {
		got = append(got, r.CachedTokens)
	}
	if fmt.Sprint(got) != fmt.Sprint([]int32{0, 0, 2240}) {
		t.Fatalf("calls' cached tokens %v, want [0 0 2240]", got)
	}
	am := w.workloads[0].agent
	seen := newSeenBy(2000)
	var hits []int
	record := func(_ *fleetPool, _ *stepPlan, _, c, _ int) (int64, int64) {
		hits = append(hits, c)
		return 0, 0
	}
	ctx := int64(2040)
	for range 3 {
		sp := stepPlan{output: 51, toolTok: 100, turnNs: -1}
		prompt, _, output, _, _ := w.callIn(record, am, &sp, ctx, &seen)
		ctx = int64(prompt+output) + 100
	}
	if fmt.Sprint(hits) != fmt.Sprint([]int{2000, 2000, 2240}) {
		t.Errorf("counterfactual hits %v, want [2000 2000 2240]: the 70B finds the system prompt, then its own call's context", hits)
	}
}

// TestEscalatedCallKeepsAFixedHit: with an explicit prefix_cache_hit, that
// share of what the session's earlier calls processed is cached wherever a
// call runs, on the large model of an escalated call too, in the run and
// in the counterfactual.
func TestEscalatedCallKeepsAFixedHit(t *testing.T) {
	src := strings.Replace(escalatedSession, "system_prompt_tokens: 2000}", "system_prompt_tokens: 2000, prefix_cache_hit: 0.5}", 1)
	sink := &MemorySink{}
	w, err := New(Config{Scenario: scenario(t, src), Sink: sink})
	if err != nil {
		t.Fatal(err)
	}
	if _, err = w.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	// Half of 2,000, 2,091 and 2,242 tokens processed before each call.
	want := []int{1000, 1045, 1121}
	var got []int
	for _, r := range sink.Reqs {
		got = append(got, int(r.CachedTokens))
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("escalated calls' cached tokens %v, want %v", got, want)
	}
	seen := newSeenBy(2000)
	var large []int
	record := func(pl *fleetPool, _ *stepPlan, _, c, _ int) (int64, int64) {
		if pl == w.models.large {
			large = append(large, c)
		}
		return 0, 0
	}
	ctx := int64(2040)
	for range 3 {
		sp := stepPlan{output: 51, toolTok: 100, escalate: true, turnNs: -1}
		prompt, _, output, _, _ := w.callIn(record, w.workloads[0].agent, &sp, ctx, &seen)
		ctx = int64(prompt+output) + 100
	}
	if fmt.Sprint(large) != fmt.Sprint(want) {
		t.Errorf("counterfactual's hits on the 70B %v, want %v", large, want)
	}
}

// TestCounterfactualCachesWhatTheRunCaches: a call leaves in its
// replica's cache all but its last generated token (whose KV entry is
// never computed), and the counterfactual's calls must find the same. A
// first call of 2,040 prompt and 56 output tokens fills 131 blocks of 16
// exactly but leaves 130 (2,080 tokens); the counterfactual counted its
// whole context, 2,096, as reusable: one block more than the run.
func TestCounterfactualCachesWhatTheRunCaches(t *testing.T) {
	src := strings.Replace(escalatedSession, "routing: {rule: small-first, small: small, large: llama-3.3-70b, escalation: 1}\n", "", 1)
	src = strings.Replace(src, "pools:\n  - name: small\n    model: llama-3.1-8b\n    fleet: {instance: p5.48xlarge, replica: {tp: 1, per_instance: 1, scheduler: vllm}}\n", "", 1)
	src = strings.Replace(src, "output_tokens: 51", "output_tokens: 56", 1)
	sink := &MemorySink{}
	w, err := New(Config{Scenario: scenario(t, src), Sink: sink})
	if err != nil {
		t.Fatal(err)
	}
	if _, err = w.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if w.models != nil || len(sink.Reqs) != 3 {
		t.Fatalf("%d calls, model mix %v: the test needs 3 calls on one model", len(sink.Reqs), w.models != nil)
	}
	// Contexts 2,040, 2,196 and 2,352: the run finds 2,080 and 2,240.
	var run []int
	for _, r := range sink.Reqs[1:] {
		run = append(run, int(r.CachedTokens))
	}
	seen := newSeenBy(2000)
	var alone []int
	record := func(_ *fleetPool, _ *stepPlan, _, c, _ int) (int64, int64) {
		alone = append(alone, c)
		return 0, 0
	}
	ctx := int64(2040)
	for range 3 {
		sp := stepPlan{output: 56, toolTok: 100, turnNs: -1}
		prompt, _, output, _, _ := w.callIn(record, w.workloads[0].agent, &sp, ctx, &seen)
		ctx = int64(prompt+output) + 100
	}
	// The first call finds the system prompt, which other sessions keep cached.
	if want := []int{2080, 2240}; fmt.Sprint(run) != fmt.Sprint(want) || fmt.Sprint(alone[1:]) != fmt.Sprint(want) {
		t.Errorf("cached tokens of the second and third calls: run %v, counterfactual %v; want %v in both", run, alone[1:], want)
	}
}
