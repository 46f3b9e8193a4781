package sim

import (
	"container/heap"

	"aiecon/model/llm"
)

// Implicit decoders (vLLM scheduling).
//
// Under vLLM scheduling every running request that is decoding gains exactly
// one token in every iteration: decoders are older than any request still
// prefilling, so they come first in the running order, and the token budget
// (at least max_num_seqs) always covers them. Their state is therefore a
// function of the replica's iteration count: kv = kvBase + (tick - tickBase),
// and likewise the tokens generated. The replica keeps them implicitly:
//
//   - the sum of their contexts, for pricing, is s0 + n x tick;
//   - a decoder needs a new KV block when its kv is a multiple of the block
//     size, i.e. at ticks of a fixed phase: the decoders of phase need
//     cnt[phase] KV units at tick t with t mod B == phase (one per decoder,
//     or its growth for a model with windowed layers: kvlayout.go);
//   - they finish at known ticks, kept in a heap ordered like the running
//     list (admission order), so completions happen in the same order.
//
// An iteration then costs O(prefill chunks + completions), not O(batch).
// A request is made explicit again (synced) when it leaves: completion,
// abandonment, or an iteration that could preempt (not enough free KV
// blocks), which runs the explicit scheduler. TestLeapsAreExact compares
// every record with the explicit path.

// finEntry is a decoder's finish tick in the heap.
type finEntry struct {
	tick     int64 // the tick after which it has generated its whole output
	admitSeq uint64
	r        *request
	id       int64
	base     int64 // r.tickBase when pushed: stale entries are skipped
}

type finHeap []finEntry

func (h finHeap) Len() int { return len(h) }
func (h finHeap) Less(i, j int) bool {
	return h[i].tick < h[j].tick || (h[i].tick == h[j].tick && h[i].admitSeq < h[j].admitSeq)
}
func (h finHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *finHeap) Push(x any)   { *h = append(*h, x.(finEntry)) }
func (h *finHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	*h = old[:len(old)-1]
	return e
}

// epochSet is a replica's implicit decoders.
type epochSet struct {
	on   bool // the replica keeps decoders implicit (vLLM, not in reference mode)
	tick int64
	n    int     // implicit decoders
	s0   int64   // sum of kvBase - tickBase over them
	cnt  []int32 // KV units needed, by phase (tickBase - kvBase) mod block size
	fin  finHeap
	// iterEpoch is true while an iteration planned with implicit decoders runs.
	iterEpoch bool
}

func (p *replica) phase(tick int64, kv int32) int {
	b := int64(p.env.blockTokens)
	return int(((tick-int64(kv))%b + b) % b)
}

// valid reports whether a heap entry still describes an implicit decoder.
func (e *finEntry) valid(p *replica) bool {
	r := e.r
	return r.id == e.id && r.implicit && r.tickBase == e.base && r.replica == p && r.state == reqRunning
}

// join makes a decoding request implicit from the current tick.
func (p *replica) join(r *request) {
	ep := &p.ep
	r.implicit = true
	r.kvBase, r.genBase, r.tickBase = r.kv, r.generated, ep.tick
	if !p.env.reserveMax { // a reserve-max decoder holds every block it will need
		ep.cnt[p.phase(ep.tick, r.kv)] += p.growth(r)
	}
	ep.s0 += int64(r.kv) - ep.tick
	ep.n++
	heap.Push(&ep.fin, finEntry{tick: ep.tick + int64(r.output-r.generated), admitSeq: r.admitSeq, r: r, id: r.id, base: ep.tick})
}

// sync writes an implicit decoder's state into the request as of extra
// iterations after the current tick; inIteration says whether an iteration
// has started that reserved its next token's KV (blocks cover kv+1).
func (p *replica) sync(r *request, extra int64, inIteration bool) {
	d := int32(p.ep.tick + extra - r.tickBase)
	r.kv = r.kvBase + d
	r.generated = r.genBase + d
	if p.env.reserveMax {
		return // its blocks were reserved at admission and do not move
	}
	tokens := r.kv
	if inIteration {
		tokens++
	}
	r.blocks, r.tblocks = p.ownFor(r, tokens), ceilDiv32(tokens, p.env.blockTokens)
}

// leave makes an implicit decoder explicit (after sync).
func (p *replica) leave(r *request) {
	ep := &p.ep
	r.implicit = false
	if !p.env.reserveMax {
		ep.cnt[p.phase(r.tickBase, r.kvBase)] -= p.growth(r)
	}
	ep.s0 -= int64(r.kvBase) - r.tickBase
	ep.n--
}

// dissolve makes every implicit decoder explicit (before the explicit
// scheduler runs an iteration, between iterations).
func (p *replica) dissolve() {
	if p.ep.n == 0 {
		return
	}
	for _, r := range p.running {
		if r.implicit {
			p.sync(r, 0, false)
			p.leave(r)
		}
	}
	p.ep.fin = p.ep.fin[:0]
}

// absorb makes every decoding request of the running batch implicit.
func (p *replica) absorb() {
	for _, r := range p.running {
		if !r.implicit && r.decoding() && r.generated < r.output {
			p.join(r)
		}
	}
}

// leaveEarly makes an implicit decoder explicit when it leaves between the
// start and the end of an iteration or a leap (its session was abandoned):
// it keeps the tokens of the leap iterations that already ended.
func (p *replica) leaveEarly(r *request) {
	if !r.implicit {
		return
	}
	done := int64(p.leapDone())
	p.sync(r, done, p.busy)
	p.leave(r)
	p.decodeTok += done
	p.env.win.outputTok += done
}

// scheduleVLLMImplicit plans an iteration with the decoders implicit. It
// returns ok=false with fallback=true when the iteration might preempt (the
// explicit scheduler must run it).
func (p *replica) scheduleVLLMImplicit() (cost stepCost, ok, fallback bool) {
	env := p.env
	ep := &p.ep
	b := int64(env.blockTokens)
	need := int32(0)
	if ep.n > 0 {
		need = ep.cnt[int(ep.tick%b)]
	}
	// Prefilling requests follow the decoders in the running order.
	budget := int32(env.maxBatched) - int32(ep.n)
	pre := p.running[ep.n:]
	var preNeed int32
	for _, r := range pre {
		n := min(r.target-r.prefilled, budget)
		preNeed += max(p.ownFor(r, r.kv+n)-r.blocks, 0) // 0 when reserved at admission
		budget -= n
		if budget <= 0 {
			break
		}
	}
	if need+preNeed > p.kvFree {
		return stepCost{}, false, true // someone may be preempted: run explicitly
	}
	if need > 0 {
		p.kvFree -= need
		p.fitCache()
		env.kvUsedG.add(env.eng.Now(), int64(need))
	}
	budget = int32(env.maxBatched) - int32(ep.n)
	tokens, logits := ep.n, ep.n
	for _, r := range pre {
		if budget <= 0 {
			break
		}
		n := min(r.target-r.prefilled, budget)
		p.reserve(r, r.kv+n)
		budget -= n
		tokens += int(n)
		if p.planChunk(r, n) {
			logits++
		}
	}
	t, l := p.admitPrefills(budget)
	tokens += t
	logits += l
	if tokens == 0 {
		return stepCost{}, false, false
	}
	sumCtx := int(ep.s0 + int64(ep.n)*ep.tick)
	p.prefillTokens = int32(tokens - ep.n)
	p.decodeTokens = int32(ep.n)
	if len(p.plan) == 0 {
		p.leapDecode, p.leapCtx = true, int32(sumCtx)
	}
	ep.iterEpoch = true
	return env.coster.iteration(tokens, logits, ep.n, sumCtx), true, false
}

// leapKmaxImplicit is how many iterations can pass before the first implicit
// decoder finishes.
func (p *replica) leapKmaxImplicit() int {
	ep := &p.ep
	for len(ep.fin) > 0 && !ep.fin[0].valid(p) {
		heap.Pop(&ep.fin)
	}
	if len(ep.fin) == 0 {
		return 1
	}
	return int(ep.fin[0].tick - ep.tick)
}

// leapBlocksImplicit counts the KV blocks the implicit decoders take in
// iterations 1..k-1 of a leap.
func (p *replica) leapBlocksImplicit(k int) int32 {
	b := int64(p.env.blockTokens)
	var need int32
	for i := 1; i < k; i++ {
		need += p.ep.cnt[int((p.ep.tick+int64(i))%b)]
	}
	return need
}

func llmChunk(n, offset int32, last bool) llm.PrefillChunk {
	return llm.PrefillChunk{Tokens: int(n), Offset: int(offset), Last: last}
}
