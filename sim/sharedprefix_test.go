package sim

import (
	"strings"
	"testing"

	"aiecon/model"
)

// sharedPrefixReplica is the first replica of agentFleet (an 8B on p5,
// vLLM) with a 2,000-token system prompt, 125 blocks of 16 tokens; extra
// adds replica fields.
func sharedPrefixReplica(t *testing.T, tp int, extra string) *replica {
	t.Helper()
	src := strings.Replace(agentFleet("session-affinity", tp, ", max_num_seqs: 256"+extra),
		"system_prompt_tokens: 200", "system_prompt_tokens: 2000", 1)
	w, err := New(Config{Scenario: scenario(t, src)})
	if err != nil {
		t.Fatal(err)
	}
	p := w.replicas[0]
	if p.env.blockTokens != 16 || !p.cache.on {
		t.Fatalf("%d-token blocks, caching %v: the test needs vLLM's 16 with caching on", p.env.blockTokens, p.cache.on)
	}
	return p
}

// agentCalls queues n calls of distinct sessions of workload 0, each
// prompt the system prompt and 100 tokens more (132 blocks: 125 shared, 7
// its own), and admits what the replica takes in one pass.
func agentCalls(p *replica, n int) []*request { return agentCallsFrom(p, 1, n) }

// agentCallsFrom is agentCalls with the sessions' ids from first on.
func agentCallsFrom(p *replica, first int64, n int) []*request {
	calls := make([]*request, n)
	for i := range calls {
		id := first + int64(i)
		r := &request{id: id, prompt: 2100, target: 2100, output: 100, start: -1, poolStart: -1, firstTok: -1,
			prefix: prefixRef{shared: sharedPrefixKey(0), own: sessionPrefixKey(id), sharedTokens: 2000}}
		r.timeout.Init(r, 0)
		p.enqueue(r, false)
		calls[i] = r
	}
	p.admitPrefills(1 << 30)
	return calls
}

// iterate applies one iteration of what the replica planned (the chunks
// admitPrefills planned), as the iteration's end does, and clears the plan.
func iterate(p *replica) {
	p.applyPlan(p.env.eng.Now(), 1, false)
	p.plan = p.plan[:0]
}

// prefillAll plans and applies the rest of rs's prefill in one iteration.
func prefillAll(p *replica, rs ...*request) {
	p.plan = p.plan[:0]
	for _, r := range rs {
		p.plan = append(p.plan, planItem{r: r, id: r.id, n: r.target - r.prefilled, prefill: true})
	}
	iterate(p)
}

// used is the KV units a replica's running requests hold.
func used(p *replica) int32 { return p.kvTotal - p.kvFree }

// TestSharedPrefixHeldOnce: 64 running calls on a 2,000-token system
// prompt hold its 125 blocks once, as vLLM's reference-counted blocks do,
// not 64 copies (8,000 blocks); each holds its own 7 beyond it. Admitted
// in one pass before any of them prefilled, none finds the system prompt
// cached (vLLM reuses only computed blocks); once the first has prefilled
// it, a call admitted after finds it. When they leave, the blocks go back
// to the cache.
func TestSharedPrefixHeldOnce(t *testing.T) {
	p := sharedPrefixReplica(t, 8, "")
	calls := agentCalls(p, 64)
	if len(p.running) != 64 {
		t.Fatalf("%d of 64 calls admitted with %d KV blocks: the test needs all", len(p.running), p.kvTotal)
	}
	if got, want := used(p), int32(125+64*7); got != want {
		t.Errorf("64 calls hold %d blocks, want %d (125 shared, 7 each of their own)", got, want)
	}
	if p.env.kvUsedG.v != int64(used(p)) {
		t.Errorf("the KV-in-use gauge says %v, the replica %d", p.env.kvUsedG.v, used(p))
	}
	for i, r := range calls {
		if r.cached != 0 {
			t.Errorf("call %d found %d tokens cached, admitted before any call computed the system prompt", i, r.cached)
		}
	}
	prefillAll(p, calls[0])
	late := agentCallsFrom(p, 65, 1)[0]
	if late.cached != 2000 || late.shared != 125 || used(p) != 125+65*7 {
		t.Errorf("a call admitted after the first prefilled the system prompt found %d tokens cached, shares %d blocks, %d used (want 2000, 125, %d)",
			late.cached, late.shared, used(p), 125+65*7)
	}
	for _, r := range append(calls, late) {
		p.removeRunning(r)
	}
	if p.kvFree != p.kvTotal || p.cache.pinned != 0 || p.env.kvUsedG.v != 0 {
		t.Fatalf("all gone: %d of %d blocks free, %d pinned, gauge %v", p.kvFree, p.kvTotal, p.cache.pinned, p.env.kvUsedG.v)
	}
	if got := p.cache.find(sharedPrefixKey(0)); got != 125 {
		t.Errorf("the system prompt left %d blocks in the cache, want 125", got)
	}
}

// TestSharedPrefixAdmitsMore: on a replica whose KV memory binds, calls
// sharing the system prompt's blocks each take only their own 7, so it
// admits (blocks - 125) / 7 of them where copies admitted blocks / 132.
func TestSharedPrefixAdmitsMore(t *testing.T) {
	p := sharedPrefixReplica(t, 1, ", kv_memory_fraction: 0.02")
	total := p.kvTotal
	if total >= 256*132 || total < 2*132 {
		t.Fatalf("%d KV blocks: the test needs a few calls' worth", total)
	}
	agentCalls(p, 256)
	want := min(int((total-125)/7), 256)
	if got := len(p.running); got != want {
		t.Errorf("admitted %d calls on %d blocks, want %d (copies admitted %d)", got, total, want, total/132)
	}
}

// TestSharedPrefixPreemption: a preempted call drops its reference and its
// own blocks; the shared blocks stay while others use them, eviction never
// takes them, and at the last reference they are free and cached. The
// preempted call looks the cache up again and takes a reference again when
// admitted.
func TestSharedPrefixPreemption(t *testing.T) {
	p := sharedPrefixReplica(t, 1, ", kv_memory_fraction: 0.02")
	calls := agentCalls(p, 3)
	if len(p.running) != 3 {
		t.Fatalf("%d of 3 calls admitted", len(p.running))
	}
	prefillAll(p, calls...)
	free := p.kvFree
	p.preempt(calls[2])
	if p.kvFree != free+7 || p.cache.pinned != 125 {
		t.Fatalf("after one preemption %d blocks free (want %d), %d pinned (want 125)", p.kvFree, free+7, p.cache.pinned)
	}
	// A request with no shared prefix takes every free block: the cache
	// gives up all it can, and the pinned system prompt is not part of it.
	hog := &request{id: 99, prompt: 1, output: 1}
	hog.timeout.Init(hog, 0)
	if !p.reserve(hog, p.kvFree*p.env.blockTokens) {
		t.Fatal("could not reserve the free blocks")
	}
	if p.cache.blocks != 0 || p.cache.pinned != 125 {
		t.Fatalf("with no free memory the cache holds %d evictable and %d pinned blocks, want 0 and 125", p.cache.blocks, p.cache.pinned)
	}
	p.freeBlocks(hog)
	p.preempt(calls[1])
	p.preempt(calls[0])
	if p.kvFree != p.kvTotal || p.cache.pinned != 0 || p.cache.blocks < 125 {
		t.Fatalf("all preempted: %d of %d free, %d pinned, %d cached", p.kvFree, p.kvTotal, p.cache.pinned, p.cache.blocks)
	}
	p.admitPrefills(1 << 30)
	if len(p.running) != 3 || calls[2].prefilled != 2000 || calls[2].shared != 125 || p.cache.pinned != 125 {
		t.Fatalf("readmitted %d calls, the last with %d tokens prefilled and %d shared blocks, %d pinned", len(p.running), calls[2].prefilled, calls[2].shared, p.cache.pinned)
	}
	if got, want := used(p), int32(125+3*7); got != want {
		t.Errorf("readmitted calls hold %d blocks, want %d", got, want)
	}
}

// TestSharedPrefixKVFreeAtEnd: drained runs in which calls share a long
// system prompt on memory-bound replicas, which spot interruptions stop, a
// scale-down releases or training borrows, end with every replica's KV
// memory free, nothing pinned, and every arrival ended one way.
func TestSharedPrefixKVFreeAtEnd(t *testing.T) {
	long := func(extra, fleet string) *model.Scenario {
		src := strings.Replace(agentFleet("session-affinity", 1, ", max_num_seqs: 64, kv_memory_fraction: 0.03"+extra),
			"system_prompt_tokens: 200", "system_prompt_tokens: 2000", 1)
		src = strings.Replace(src, "  instance: p5.48xlarge\n", "  instance: p5.48xlarge\n"+fleet, 1)
		return scenario(t, src+"drain: true\n")
	}
	lent := builtinScenario(t, "retrain-weekly", model.Day, 4)
	lent.Training.Every = 30 * model.Day
	lent.Drain = true
	for _, wl := range lent.Workloads {
		if wl.Agent != nil {
			wl.Agent.PrefixCacheHit = nil // the replicas' caches decide, sharing the system prompt
		}
	}
	cases := []struct {
		name string
		sc   *model.Scenario
		kpi  string // what must have happened
	}{
		{"spot interruptions", long("", "  count: 2\n  pricing: spot\n  spot: {discount: 0.6, interruptions_per_hour: 20, recovery: 1m}\n"), "spot_interruptions"},
		{"scale-down", long("", "  count: 3\n  autoscale: {min: 1, max: 3, target: 0.3, provision_delay: 30s, cooldown: 30s, interval: 30s}\n"), "scale_downs"},
		{"preemptions", long(", memory_reserve: 0.5", ""), "preemptions"},
		{"lent to training (neuron)", lent, "training_replica_hours"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sink := &MemorySink{}
			w, err := New(Config{Scenario: c.sc, Sink: sink})
			if err != nil {
				t.Fatal(err)
			}
			res, err := w.Run(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			conserved(t, res, sink)
			for _, k := range []string{c.kpi, "prefix_cache_hit_rate"} {
				if kpi(t, res, k, "") == 0 {
					t.Fatalf("%s is 0: the case does not exercise it", k)
				}
			}
			for _, p := range w.replicas {
				if p.kvFree != p.kvTotal || p.cache.pinned != 0 || len(p.running) != 0 {
					t.Errorf("replica %d: %d of %d KV blocks free, %d pinned, %d running", p.id, p.kvFree, p.kvTotal, p.cache.pinned, len(p.running))
				}
			}
			if g := w.pools[0].env.kvUsedG.v; g != 0 {
				t.Errorf("the KV-in-use gauge ends at %v", g)
			}
		})
	}
}

// TestSharedPrefixHitOnlyOnceComputed: a call admitted while the first
// holder of the system prompt is still prefilling it under a chunked-prefill
// budget finds only the full blocks that holder has computed so far, as
// vLLM registers a block for reuse only once it is full of computed tokens.
func TestSharedPrefixHitOnlyOnceComputed(t *testing.T) {
	p := sharedPrefixReplica(t, 8, "")
	first := agentCallsAdmitting(p, 1, 512)
	if len(p.running) != 1 || first.prefilled != 0 || first.shared != 125 {
		t.Fatalf("running %d, first prefilled %d, shares %d blocks", len(p.running), first.prefilled, first.shared)
	}
	steps := []struct {
		name string
		want int32 // tokens the call admitted next finds cached
	}{
		{"first admitted, nothing computed", 0},
		{"first's 512-token chunk computed", 512},
		{"first's 1,024 tokens computed", 1024},
		{"first's 1,536 tokens computed", 1536},
		{"first's whole system prompt computed", 2000},
	}
	for i, s := range steps {
		r := agentCallsAdmitting(p, int64(i+2), 1)
		if r.cached != s.want || r.shared != 125 {
			t.Errorf("%s: the next call found %d tokens cached, shares %d blocks (want %d, 125)", s.name, r.cached, r.shared, s.want)
		}
		n := min(512, first.target-first.prefilled)
		p.plan = p.plan[:0]
		if !p.reserve(first, first.kv+n) {
			t.Fatal("no room for the first call's next chunk")
		}
		p.planChunk(first, n)
		iterate(p)
	}
	if p.cache.pinned != 125 {
		t.Errorf("%d blocks pinned: the system prompt's 125 are held once", p.cache.pinned)
	}
}

// agentCallsAdmitting queues one call of session id and admits it with a
// chunked-prefill budget (the plan holds its chunk only).
func agentCallsAdmitting(p *replica, id int64, budget int32) *request {
	r := &request{id: id, prompt: 2100, target: 2100, output: 100, start: -1, poolStart: -1, firstTok: -1,
		prefix: prefixRef{shared: sharedPrefixKey(0), own: sessionPrefixKey(id), sharedTokens: 2000}}
	r.timeout.Init(r, 0)
	p.enqueue(r, false)
	p.plan = p.plan[:0]
	p.admitPrefills(budget)
	return r
}

// TestSharedPrefixPreemptedAfterEviction: calls preempted after they
// computed their prompts (the second found the system prompt the first
// computed), whose system prompt is then evicted while nobody
// references it, find nothing cached when readmitted and prefill it again;
// a call readmitted while the cache still holds its blocks (the system
// prompt and its own computed ones) restarts behind them.
func TestSharedPrefixPreemptedAfterEviction(t *testing.T) {
	for _, evict := range []bool{false, true} {
		p := sharedPrefixReplica(t, 1, ", kv_memory_fraction: 0.02")
		calls := agentCalls(p, 1)
		prefillAll(p, calls[0])
		calls = append(calls, agentCallsFrom(p, 2, 1)...) // finds the system prompt cached
		prefillAll(p, calls[1])
		if calls[1].cached != 2000 {
			t.Fatalf("the second call found %d tokens cached, want 2000", calls[1].cached)
		}
		p.preempt(calls[1])
		p.preempt(calls[0])
		if evict {
			hog := &request{id: 99, prompt: 1, output: 1}
			hog.timeout.Init(hog, 0)
			if !p.reserve(hog, p.kvFree*p.env.blockTokens) {
				t.Fatal("could not reserve the free blocks")
			}
			p.freeBlocks(hog)
		}
		p.admitPrefills(1 << 30)
		for i, r := range calls {
			want := int32(2096) // the system prompt and its own 6 full blocks
			if evict {
				want = 0
			}
			if r.prefilled != want || r.shared != 125 {
				t.Errorf("evicted %v: call %d readmitted with %d tokens prefilled, %d shared blocks (want %d, 125)",
					evict, i, r.prefilled, r.shared, want)
			}
		}
	}
}

// TestPrefixHitIsWhatAdmissionFinds: a call looked up while the KV memory
// cannot take it waits; eviction then takes blocks of what it found. The
// hit is what the cache holds as the call is admitted, as vLLM's scheduler
// looks a waiting request up again at every step: it prefills what was
// evicted and is billed and counted for what it found. It was the first
// look-up's, so the call skipped the prefill of blocks nobody held.
func TestPrefixHitIsWhatAdmissionFinds(t *testing.T) {
	cases := []struct {
		name  string
		own   int32 // blocks of the call's own conversation cached
		evict int32 // blocks evicted while it waits
		want  int32 // tokens it finds cached when admitted
	}{
		{"nothing evicted", 0, 0, 2000},
		{"the system prompt's tail evicted", 0, 120, 5 * 16},
		{"the system prompt evicted whole", 0, 125, 0},
		{"its own conversation's tail evicted", 6, 3, (125 + 3) * 16},
		{"its own conversation kept", 6, 0, (125 + 6) * 16},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := sharedPrefixReplica(t, 1, ", kv_memory_fraction: 0.02")
			first := agentCalls(p, 1)[0]
			prefillAll(p, first)
			const id = 2
			if c.own > 0 {
				p.cache.put(sessionPrefixKey(id), c.own) // the least recent: evicted first
			}
			p.removeRunning(first) // the system prompt goes back to the cache, computed
			// A hog leaves 131 blocks free: the cache keeps all it holds,
			// and the call, which needs 132, waits.
			hog := &request{id: 99, prompt: 1, output: 1}
			hog.timeout.Init(hog, 0)
			if !p.reserve(hog, (p.kvFree-131)*p.env.blockTokens) {
				t.Fatal("could not reserve for the hog")
			}
			r := agentCallsFrom(p, id, 1)[0]
			if r.state != reqWaiting || r.cached != 2000+c.own*16 {
				t.Fatalf("the call is %v with %d tokens found, want waiting with %d", r.state, r.cached, 2000+c.own*16)
			}
			// It grows until the free memory holds all the cache kept but
			// c.evict blocks.
			if !p.reserve(hog, (hog.blocks+131-(125+c.own-c.evict))*p.env.blockTokens) {
				t.Fatal("could not grow the hog")
			}
			if got, want := p.cache.blocks, 125+c.own-c.evict; got != want {
				t.Fatalf("the cache holds %d blocks, want %d", got, want)
			}
			p.freeBlocks(hog)
			p.admitPrefills(1 << 30)
			if r.state != reqRunning {
				t.Fatal("the call was not admitted once the hog left")
			}
			if r.cached != c.want || r.prefilled != c.want {
				t.Errorf("admitted with %d tokens cached, %d prefilled; want %d found in the cache as it was admitted", r.cached, r.prefilled, c.want)
			}
			if got, want := p.cache.entries[sharedPrefixKey(0)].computed, min(c.want/16, 125); got != want {
				t.Errorf("the system prompt's pinned entry has %d blocks computed, want %d (what the cache held)", got, want)
			}
			if _, ok := p.cache.entries[sessionPrefixKey(id)]; ok {
				t.Errorf("the call's own conversation is still cached: admission takes it")
			}
			if got, want := used(p), int32(132); got != want {
				t.Errorf("the call holds %d blocks, want %d", got, want)
			}
		})
	}
}

// TestPreemptedCallRestartsBehindWhatAdmissionFinds: a preempted call
// looked up while the memory cannot take it back, whose cached blocks are
// then evicted before it is readmitted, restarts its prefill from nothing:
// the look-up as it is readmitted counts, not the first after its
// preemption (which found its system prompt and its own 6 blocks).
func TestPreemptedCallRestartsBehindWhatAdmissionFinds(t *testing.T) {
	p := sharedPrefixReplica(t, 1, ", kv_memory_fraction: 0.02")
	r := agentCalls(p, 1)[0]
	prefillAll(p, r)
	p.preempt(r)
	if p.cache.blocks != 131 || p.kvFree != p.kvTotal {
		t.Fatalf("after the preemption %d blocks cached, %d of %d free; want 131 cached, all free", p.cache.blocks, p.kvFree, p.kvTotal)
	}
	hog := &request{id: 99, prompt: 1, output: 1}
	hog.timeout.Init(hog, 0)
	if !p.reserve(hog, (p.kvFree-131)*p.env.blockTokens) {
		t.Fatal("could not reserve for the hog")
	}
	p.admitPrefills(1 << 30) // needs 132 blocks: waits
	if r.state != reqWaiting || r.prefilled != 2096 {
		t.Fatalf("the call is %v with %d tokens found, want waiting with 2096", r.state, r.prefilled)
	}
	if !p.reserve(hog, (hog.blocks+131)*p.env.blockTokens) {
		t.Fatal("could not grow the hog")
	}
	p.freeBlocks(hog)
	p.admitPrefills(1 << 30)
	if r.state != reqRunning || r.prefilled != 0 || r.kv != 0 || used(p) != 132 {
		t.Errorf("readmitted %v with %d tokens prefilled, %d in the KV cache, %d blocks used; want running with 0, 0, 132",
			r.state, r.prefilled, r.kv, used(p))
	}
}
