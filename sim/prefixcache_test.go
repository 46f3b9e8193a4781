package sim

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	"aiecon/model"
)

// TestPrefixCacheLRU: the cache keeps its most recent entries, evicts the
// least recently used blocks first (from an entry's tail), take hands an
// entry's blocks to a request, and an entry running requests share
// (acquire, until the last release) is never evicted.
func TestPrefixCacheLRU(t *testing.T) {
	type op struct {
		kind string // put, find, take, fit, acquire, compute, release
		key  uint64
		n    int32
	}
	cases := []struct {
		name string
		ops  []op
		want map[uint64]int32 // entries left
	}{
		{"fit evicts the least recent whole", []op{{"put", 1, 4}, {"put", 2, 4}, {"put", 3, 4}, {"fit", 0, 8}},
			map[uint64]int32{2: 4, 3: 4}},
		{"find moves nothing (as vLLM's look-up)", []op{{"put", 1, 4}, {"put", 2, 4}, {"find", 1, 4}, {"fit", 0, 4}},
			map[uint64]int32{2: 4}},
		{"partial eviction keeps an entry's head", []op{{"put", 1, 4}, {"put", 2, 4}, {"fit", 0, 6}},
			map[uint64]int32{1: 2, 2: 4}},
		{"take removes", []op{{"put", 1, 4}, {"put", 2, 3}, {"take", 1, 4}, {"fit", 0, 3}},
			map[uint64]int32{2: 3}},
		{"put replaces", []op{{"put", 1, 4}, {"put", 1, 9}, {"fit", 0, 9}},
			map[uint64]int32{1: 9}},
		{"fit to nothing", []op{{"put", 1, 4}, {"put", 2, 4}, {"fit", 0, 0}},
			map[uint64]int32{}},
		{"a shared entry is not evicted", []op{{"put", 1, 4}, {"acquire", 2, 5}, {"fit", 0, 0}},
			map[uint64]int32{2: 5}},
		{"acquire restores an evicted tail", []op{{"put", 1, 4}, {"fit", 0, 2}, {"acquire", 1, 4}, {"fit", 0, 0}},
			map[uint64]int32{1: 4}},
		{"shared until the last release", []op{{"acquire", 1, 4}, {"acquire", 1, 4}, {"release", 1, 0}, {"fit", 0, 0}},
			map[uint64]int32{1: 4}},
		{"released as the most recent", []op{{"acquire", 1, 4}, {"compute", 1, 4}, {"put", 2, 4}, {"release", 1, 4}, {"fit", 0, 4}},
			map[uint64]int32{1: 4}},
		{"released, only computed blocks stay cached", []op{{"acquire", 1, 4}, {"compute", 1, 3}, {"release", 1, 4}},
			map[uint64]int32{1: 3}},
		{"released uncomputed, nothing is cached", []op{{"put", 2, 4}, {"acquire", 1, 4}, {"release", 1, 4}},
			map[uint64]int32{2: 4}},
		{"what the cache kept is computed", []op{{"put", 1, 4}, {"fit", 0, 2}, {"acquire", 1, 4}, {"release", 1, 4}},
			map[uint64]int32{1: 2}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var pc prefixCache
			for _, o := range c.ops {
				switch o.kind {
				case "put":
					pc.put(o.key, o.n)
				case "find":
					if got := pc.find(o.key); got != o.n {
						t.Fatalf("find %d = %d, want %d", o.key, got, o.n)
					}
				case "take":
					if got := pc.take(o.key); got != o.n {
						t.Fatalf("take %d = %d, want %d", o.key, got, o.n)
					}
				case "fit":
					pc.fit(o.n)
				case "acquire":
					pc.acquire(o.key, o.n)
				case "compute":
					pc.compute(o.key, o.n)
				case "release":
					if got := pc.release(o.key); got != o.n {
						t.Fatalf("release %d freed %d, want %d", o.key, got, o.n)
					}
				}
			}
			got := map[uint64]int32{}
			var sum int32
			for k, e := range pc.entries {
				got[k] = e.blocks
				sum += e.blocks
			}
			if !reflect.DeepEqual(got, c.want) || sum != pc.blocks+pc.pinned {
				t.Fatalf("entries %v (%d evictable, %d pinned), want %v", got, pc.blocks, pc.pinned, c.want)
			}
		})
	}
}

// agentFleet is an 8B agent workload on replicas of a p5.48xlarge: sessions
// of 5 calls whose contexts grow by each output and tool result, all
// starting with a 200-token system prompt.
func agentFleet(router string, tp int, extra string) string {
	return fmt.Sprintf(`
name: cache
horizon: 4m
model: llama-3.1-8b
router: %s
fleet:
  instance: p5.48xlarge
  replica: {tp: %d, scheduler: vllm, max_model_len: 4096%s}
workloads:
  - name: shop
    class: agent
    arrivals: {process: poisson, rate: 3/s}
    prompt_tokens: {dist: lognormal, median: 60, p99: 300}
    output_tokens: {dist: lognormal, median: 100, p99: 500, max: 600}
    agent: {steps: 5, tool_result_tokens: 150, tool_latency: 1s, patience: 1h, system_prompt_tokens: 200}
`, router, tp, extra)
}

// TestAffinityRaisesHitRate: on four replicas, session affinity keeps a
// session's context in one replica's cache, so the hit rate (an output now)
// is well above round-robin's and least-outstanding's, which find a
// session's earlier context only when they happen to return to its replica.
func TestAffinityRaisesHitRate(t *testing.T) {
	hit := map[string]float64{}
	for _, router := range []string{"session-affinity", "round-robin", "least-outstanding"} {
		res, _ := run(t, scenario(t, agentFleet(router, 2, "")))
		hit[router] = kpi(t, res, "prefix_cache_hit_rate", "shop")
		if run := kpi(t, res, "prefix_cache_hit_rate", ""); run != hit[router] {
			t.Fatalf("%s: run hit rate %v, workload %v (one workload)", router, run, hit[router])
		}
	}
	t.Logf("hit rates: %v", hit)
	// Affinity finds most of a call's earlier context; it misses where the
	// load bound sends a call past its session's replica.
	if hit["session-affinity"] < 0.65 {
		t.Errorf("session-affinity hit rate %.3f, want above 0.65", hit["session-affinity"])
	}
	for _, other := range []string{"round-robin", "least-outstanding"} {
		if hit["session-affinity"] < hit[other]+0.15 {
			t.Errorf("session-affinity hit rate %.3f is not well above %s's %.3f", hit["session-affinity"], other, hit[other])
		}
	}
}

// TestPrefixCacheEvictsUnderPressure: with the KV memory a few requests
// wide, running requests evict the contexts sessions left behind during
// their tool calls, and the hit rate falls; with caching off it is zero.
func TestPrefixCacheEvictsUnderPressure(t *testing.T) {
	cases := []struct {
		name      string
		extra     string
		minHit    float64
		maxHit    float64
		mustEvict bool // ample memory evicts too, but only finished sessions' contexts
	}{
		{"ample memory", ", per_instance: 1", 0.75, 1, false},
		{"tight memory", ", per_instance: 1, memory_reserve: 0.78", 0, 0.4, true},
		{"caching off", ", per_instance: 1, prefix_caching: false", 0, 0, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w, err := New(Config{Scenario: scenario(t, agentFleet("session-affinity", 1, c.extra))})
			if err != nil {
				t.Fatal(err)
			}
			res, err := w.Run(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			hit := kpi(t, res, "prefix_cache_hit_rate", "")
			evicted := int64(kpi(t, res, "prefix_cache_evicted_blocks", ""))
			t.Logf("%d KV blocks, hit rate %.3f, %d blocks evicted", w.kvBlocksPerReplica, hit, evicted)
			if hit < c.minHit || hit > c.maxHit {
				t.Errorf("hit rate %.3f, want %g to %g", hit, c.minHit, c.maxHit)
			}
			if p := w.replicas[0]; p.cache.blocks > p.kvFree {
				t.Errorf("the cache holds %d blocks, more than the %d free", p.cache.blocks, p.kvFree)
			}
			if c.mustEvict && evicted == 0 {
				t.Errorf("no blocks evicted under memory pressure")
			}
		})
	}
}

// TestPrefixCacheDeterministic: a scenario and a seed give the same records
// with the modelled cache and affinity routing, run after run.
func TestPrefixCacheDeterministic(t *testing.T) {
	sc := agentFleet("session-affinity", 2, ", memory_reserve: 0.85")
	_, a := run(t, scenario(t, sc))
	_, b := run(t, scenario(t, sc))
	if len(a.Reqs) == 0 || !reflect.DeepEqual(a.Reqs, b.Reqs) || !reflect.DeepEqual(a.Sess, b.Sess) {
		t.Fatalf("two runs differ (%d and %d requests)", len(a.Reqs), len(b.Reqs))
	}
}

// TestSessionCachedTokensAddUp: a session record's cached tokens are its
// calls' cached tokens, counted where the replica found them.
func TestSessionCachedTokensAddUp(t *testing.T) {
	_, sink := run(t, scenario(t, agentFleet("round-robin", 2, "")))
	bySession := map[int64]int64{}
	for _, r := range sink.Reqs {
		if r.Session >= 0 && r.Status == StatusCompleted {
			bySession[r.Session] += int64(r.CachedTokens)
		}
	}
	checked := 0
	for _, s := range sink.Sess {
		if s.Status != SessionCompleted {
			continue
		}
		if s.CachedTokens != bySession[s.ID] {
			t.Fatalf("session %d: %d cached tokens, its calls %d", s.ID, s.CachedTokens, bySession[s.ID])
		}
		checked++
	}
	if checked < 100 {
		t.Fatalf("only %d sessions checked", checked)
	}
}

// TestTruncatedPromptFindsNothing: a call whose context outgrew
// max_model_len lost its oldest tokens, system prompt included, so no cached
// prefix matches it; calls before the cut still find theirs.
func TestTruncatedPromptFindsNothing(t *testing.T) {
	src := strings.Replace(agentFleet("session-affinity", 2, ""), "tool_result_tokens: 150", "tool_result_tokens: 1000", 1)
	_, sink := run(t, scenario(t, src))
	bySession := map[int64][]RequestRecord{}
	for _, r := range sink.Reqs {
		if r.Session >= 0 {
			bySession[r.Session] = append(bySession[r.Session], r)
		}
	}
	var cut, whole int
	for _, calls := range bySession {
		for k := 1; k < len(calls); k++ {
			prev, cur := calls[k-1], calls[k]
			if prev.Status != StatusCompleted || cur.Status != StatusCompleted {
				continue
			}
			if prev.PromptTokens+prev.OutputTokens+1000 > cur.PromptTokens { // cut to max_model_len
				cut++
				if cur.CachedTokens != 0 {
					t.Fatalf("session %d step %d: a cut prompt found %d tokens cached", cur.Session, cur.Step, cur.CachedTokens)
				}
			} else if cur.CachedTokens > 0 {
				whole++
			}
		}
	}
	if cut < 50 || whole < 50 {
		t.Fatalf("%d cut and %d whole calls with hits: the test no longer exercises both", cut, whole)
	}
}

// TestTrn2PrefixCachingTTFT is the sanity check against the published
// Neuron measurement: Llama-70B on trn2, TTFT 343 ms without a cache hit
// and 108 ms at a hit above 90%, unchanged with caching on at 0% hit
// (aws-neuron/aws-neuron-sdk@81ce03ae, tutorials/llama70b_apc_perf_comparison.csv).
// The source gives no prompt length, so the test takes the one whose cold
// TTFT in aiecon is the published 343 ms (within 25%), with 92% of it a
// shared system prompt, one request at a time. The model charges a cached
// prefix nothing, so it overstates the saving: the published ratio is 3.2,
// aiecon's about 5.4; the test accepts a factor of 2 either way. The
// replica runs batches of up to 8, as the card's throughput configuration
// of Llama-3.3-70B at TP 32 does (aws-neuron/aws-neuron-sdk@81ce03ae
// models/llama3/data/card_llama33_70b.yml, docs/hardware.md):
// without prefix caching its compiled graphs hold a static KV cache, and
// the default 32 x 16,384 tokens does not fit beside the weights. One
// client at a time runs the same with either.
func TestTrn2PrefixCachingTTFT(t *testing.T) {
	const prompt = 3072
	ttft := func(caching bool, sys int) (float64, float64) {
		res, _ := run(t, scenario(t, fmt.Sprintf(`
name: apc
horizon: 2m
model: llama-3.3-70b
fleet:
  instance: trn2.48xlarge
  pricing: capacity-block
  replica: {tp: 32, per_instance: 1, max_num_seqs: 8, prefix_caching: %v}
workloads:
  - name: q
    class: agent
    arrivals: {process: closed, clients: 1, think_time: 1s}
    prompt_tokens: %d
    output_tokens: 16
    agent: {steps: 1, system_prompt_tokens: %d, patience: 1h}
`, caching, prompt-sys, sys)))
		return 1000 * kpi(t, res, "ttft_p50_s", ""), kpi(t, res, "prefix_cache_hit_rate", "")
	}
	sys := prompt * 92 / 100
	cold, _ := ttft(false, sys)
	warm, hit := ttft(true, sys)
	coldNoShare, _ := ttft(false, 0)
	onNoShare, hit0 := ttft(true, 0)
	t.Logf("TTFT p50 %.0f ms cold, %.0f ms at hit rate %.3f (published 343 -> 108 ms)", cold, warm, hit)
	if math.Abs(cold/343-1) > 0.25 {
		t.Fatalf("cold TTFT %.0f ms is not the published shape's 343 ms (within 25%%): rechoose the prompt length", cold)
	}
	if hit < 0.85 {
		t.Fatalf("hit rate %.3f; the published point is above 90%%", hit)
	}
	if ratio := cold / warm; ratio < 3.18/2 || ratio > 3.18*2 {
		t.Errorf("TTFT falls %.2fx with the cache; published 343/108 = 3.18x, tolerance 2x", ratio)
	}
	if hit0 != 0 || onNoShare != coldNoShare {
		t.Errorf("at 0%% hit, TTFT %.1f ms with caching and %.1f ms without (hit %.3f); published: unchanged", onNoShare, coldNoShare, hit0)
	}
}

// TestReleasedInstanceReturnsWithEmptyCache: an instance released by a
// scale-down loses its memory, as an interrupted or a lent one does; a
// later scale-up that takes its slot again loads a fresh instance, and
// must find nothing cached (it found the prefixes it had cached before its
// release, a TTFT no fresh instance gets).
func TestReleasedInstanceReturnsWithEmptyCache(t *testing.T) {
	const src = `
name: released
horizon: 1h
model: llama-3.1-8b
fleet:
  instance: g6.xlarge
  count: 2
  autoscale: {min: 1, max: 2, target: 0.5, provision_delay: 1m, cooldown: 1h, interval: 1h}
  replica: {tp: 1, scheduler: vllm, max_num_seqs: 32, max_model_len: 8192}
workloads:
  - name: shop
    class: agent
    arrivals: {process: poisson, rate: 0.5/s}
    prompt_tokens: 40
    output_tokens: 100
    agent: {system_prompt_tokens: 1500, steps: 3, tool_latency: 200ms, tool_result_tokens: 200}
`
	w, err := New(Config{Scenario: scenario(t, src)})
	if err != nil {
		t.Fatal(err)
	}
	w.start()
	if err := w.eng.RunUntil(context.Background(), int64(5*model.Minute)); err != nil {
		t.Fatal(err)
	}
	pl := w.pools[0]
	in := pl.instances[1]
	if in.replicas[0].cache.blocks == 0 {
		t.Fatal("the instance to release has cached nothing: the test needs it to")
	}
	w.scaleDown(pl, 2, 1)
	for in.state != instDown && w.eng.Step() {
	}
	if in.state != instDown {
		t.Fatal("the instance never finished draining")
	}
	w.scaleUp(pl, 1)
	for in.state != instUp && w.eng.Step() {
	}
	if in.state != instUp {
		t.Fatal("the scale-up did not bring the released instance's slot back up")
	}
	if c := &in.replicas[0].cache; c.blocks != 0 || len(c.entries) != 0 {
		t.Errorf("instance %d came back from its release with %d cached blocks (%d entries)", in.id, c.blocks, len(c.entries))
	}
}
