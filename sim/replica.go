package sim

import (
	"fmt"

	"aiecon/sim/engine"
)

// queueEntry remembers the id a request had when it was queued: if the
// request has since left the queue (timed out, abandoned) and its struct was
// reused, the id no longer matches and the entry is skipped.
type queueEntry struct {
	r  *request
	id int64
}

// fifo is a ring buffer of waiting requests of one priority level.
type fifo struct {
	buf     []queueEntry
	head, n int
}

func (q *fifo) grow() {
	size := max(16, 2*len(q.buf))
	nb := make([]queueEntry, size)
	for i := 0; i < q.n; i++ {
		nb[i] = q.buf[(q.head+i)%len(q.buf)]
	}
	q.buf, q.head = nb, 0
}

func (q *fifo) pushBack(r *request) {
	if q.n == len(q.buf) {
		q.grow()
	}
	q.buf[(q.head+q.n)%len(q.buf)] = queueEntry{r, r.id}
	q.n++
}

func (q *fifo) pushFront(r *request) {
	if q.n == len(q.buf) {
		q.grow()
	}
	q.head = (q.head - 1 + len(q.buf)) % len(q.buf)
	q.buf[q.head] = queueEntry{r, r.id}
	q.n++
}

// peek drops stale entries and returns the first live one (nil if none).
func (q *fifo) peek(rep *replica) *request {
	for q.n > 0 {
		e := q.buf[q.head]
		if e.r.id == e.id && e.r.state == reqWaiting && e.r.replica == rep {
			return e.r
		}
		q.buf[q.head] = queueEntry{}
		q.head = (q.head + 1) % len(q.buf)
		q.n--
	}
	return nil
}

func (q *fifo) pop() {
	q.buf[q.head] = queueEntry{}
	q.head = (q.head + 1) % len(q.buf)
	q.n--
}

// planItem is one request's share of an iteration.
type planItem struct {
	r       *request
	id      int64
	n       int32 // tokens processed this iteration
	prefill bool
}

// replica is one copy of the model on TP devices: waiting queues by
// priority, a running batch in admission order, a KV-cache block budget and
// an iteration loop driven by its own reusable event.
type replica struct {
	env      *replicaEnv
	sched    scheduler // this replica's own (a scheduler may keep per-replica state)
	id       int32
	inst     *instance
	up       bool // serving (routable)
	draining bool // finishing its work before going down (scale-down) or training (lent)
	lent     bool // lent to the background training job (draining, switching or training)
	training bool // training now
	active   bool // serving or draining: its time counts towards utilisation
	trainEv  engine.Event

	queues  []fifo // by priority level
	waiting int    // live waiting requests
	running []*request
	// lx is the router's load index while the replica serves in a pool
	// whose router keeps one (slot is its place there); every change of
	// outstanding() calls loadChanged.
	lx   *loadIndex
	slot int32

	kvTotal, kvFree int32       // blocks
	cache           prefixCache // cached prefixes in the free blocks (prefixcache.go)

	busy                        bool
	iterDone                    engine.Event
	plan                        []planItem
	iterStart                   int64
	iterCost                    stepCost
	prefillTokens, decodeTokens int32 // of the current iteration (for cost attribution)
	admitSeq                    uint64

	// work and winWork are the occupancy of the iterations this replica
	// finished, per device, over the run and in the metrics window in
	// progress (inWin: it is in runGauges.winWorkers); see addWork.
	work, winWork occupancy
	inWin         bool

	// decode leaps (see leap.go): set by the scheduler for a decode-only plan
	leap       leapState
	ep         epochSet
	leapDecode bool  // the plan just built decodes only
	leapCtx    int32 // vLLM: sum of contexts; Neuron: the largest context+1
	leapCap    int   // how many iterations a leap may plan (adaptive, see leap.go)

	// totals
	iterations, busyNs, upNs, prefillTok, decodeTok, preemptions, completed int64
	upSince                                                                 int64
}

// Handle is the end of an iteration.
func (p *replica) Handle(*engine.Event) { p.iterationDone() }

func (p *replica) outstanding() int { return p.waiting + len(p.running) }

// loadChanged tells the router's load index that outstanding() changed.
func (p *replica) loadChanged() {
	if p.lx != nil {
		p.lx.update(p)
	}
}

// blocksFor is the KV units (blocks, for a model without windowed layers:
// llm.KVLayout) r holds with tokens in the cache. A request's units fit an
// int32: they are at most a max_model_len request's, which configureReplicas
// checked against the replica's count.
func (p *replica) blocksFor(r *request, tokens int32) int32 {
	e := p.env
	if !e.kv.Windowed() {
		return ceilDiv32(tokens, e.blockTokens)
	}
	return int32(e.kv.Units(tokens, r.prompt+r.output, e.blockTokens))
}

func ceilDiv32(a, b int32) int32 { return (a + b - 1) / b }

// ownFor is the KV units r holds itself with tokens in the cache: beyond
// the shared prefix's blocks it references (prefixcache.go).
func (p *replica) ownFor(r *request, tokens int32) int32 {
	return max(p.blocksFor(r, tokens)-p.sharedUnits(r), 0)
}

// growth is the units r takes per block of tokens.
func (p *replica) growth(r *request) int32 {
	if !p.env.kv.Windowed() {
		return 1
	}
	return p.env.kv.Growth(r.prompt+r.output, p.env.blockTokens)
}

// fitCache evicts cached prefixes beyond the free memory (the cache counts
// blocks of every layer, All units each).
func (p *replica) fitCache() { p.cache.fit(p.kvFree / p.env.kv.All) }

// peekWaiting returns the next request to admit: highest priority, then FIFO.
// A request considered here gets its prefix-cache hit as the cache holds it
// now (prefixcache.go), which its admission, if it follows, takes.
func (p *replica) peekWaiting() *request {
	if p.waiting == 0 {
		return nil
	}
	for i := range p.queues {
		if r := p.queues[i].peek(p); r != nil {
			if r.relook {
				p.relookPrefix(r)
			} else if r.prefix.own != 0 && p.cache.on {
				p.claimPrefix(r)
			}
			return r
		}
	}
	return nil
}

func (p *replica) enqueue(r *request, front bool) {
	r.state = reqWaiting
	r.replica = p
	if front {
		p.queues[r.prio].pushFront(r)
	} else {
		p.queues[r.prio].pushBack(r)
	}
	p.waiting++
	p.loadChanged()
	p.env.addQueued(p.env.eng.Now(), r, 1)
	// A request that the next iteration could admit ends a leap there.
	if p.busy && len(p.running) < p.env.maxNumSeqs {
		p.cutLeap()
	}
}

// admit moves the head waiting request r into the running batch. Its
// load, outstanding(), is the same after as before: the load index is not
// told (unqueue would tell it twice, down and up).
func (p *replica) admit(r *request) {
	now := p.env.eng.Now()
	p.queues[r.prio].pop()
	p.waiting--
	p.env.addQueued(now, r, -1)
	p.env.eng.Cancel(&r.timeout)
	r.state = reqRunning
	r.relook = false // its hit is now held: a preemption looks it up again
	if r.start < 0 {
		r.start = now
	}
	if r.poolStart < 0 {
		r.poolStart = now
	}
	p.admitSeq++
	r.admitSeq = p.admitSeq
	r.runIdx = int32(len(p.running))
	p.running = append(p.running, r)
	p.env.addRunning(now, r, 1)
}

// removeRunning takes r out of the running batch (order preserved, so the
// batch stays in admission order) and frees its KV blocks.
func (p *replica) removeRunning(r *request) {
	i := int(r.runIdx)
	copy(p.running[i:], p.running[i+1:])
	p.running[len(p.running)-1] = nil
	p.running = p.running[:len(p.running)-1]
	for j := i; j < len(p.running); j++ {
		p.running[j].runIdx = int32(j)
	}
	p.loadChanged()
	p.freeBlocks(r)
	p.env.addRunning(p.env.eng.Now(), r, -1)
}

func (p *replica) freeBlocks(r *request) {
	p.releaseShared(r)
	if r.blocks > 0 {
		p.kvFree += r.blocks
		p.env.kvUsedG.add(p.env.eng.Now(), -int64(r.blocks))
		r.blocks = 0
	}
	r.tblocks = 0
}

// reserve grows r's KV allocation to cover tokens; it reports false when the
// free blocks do not suffice (nothing is allocated then).
func (p *replica) reserve(r *request, tokens int32) bool {
	b := p.env.blockTokens
	if tokens <= r.tblocks*b { // fast path: no division on most decode steps
		return true
	}
	if need := p.ownFor(r, tokens) - r.blocks; need > 0 {
		if need > p.kvFree {
			return false
		}
		p.kvFree -= need
		p.fitCache()
		r.blocks += need
		p.env.kvUsedG.add(p.env.eng.Now(), int64(need))
	}
	r.tblocks = max(r.tblocks, ceilDiv32(tokens, b))
	return true
}

// reserveToAdmit reserves the KV blocks r needs to join the running batch
// with n prompt tokens in this iteration: under reserve-max admission those
// of its prompt and whole output (TensorRT-LLM reserves for the prompt plus
// the maximum new tokens; the last token's KV entry, never computed, is one
// token of slack), held until it ends, so it never asks for another;
// otherwise those of the chunk. It reports false when they are not free.
func (p *replica) reserveToAdmit(r *request, n int32) bool {
	tokens := r.kv + n
	if p.env.reserveMax {
		tokens = max(tokens, r.peakTokens())
	}
	return p.reserveAdmitted(r, tokens)
}

// reserveAdmitted reserves what r, about to be admitted, needs with tokens
// in the KV cache: the cached blocks of its own continuation, a reference
// to its shared prefix (prefixcache.go) and its own blocks beyond it. It
// reports false, changing nothing, when they are not free. The blocks r
// found cached are taken before anything is evicted for the rest, so they
// are the ones its look-up (peekWaiting, just before) counted.
func (p *replica) reserveAdmitted(r *request, tokens int32) bool {
	if !r.claimed { // no prefix modelled here: its own blocks alone
		return p.reserve(r, tokens)
	}
	if p.admitUnits(r, tokens) > p.kvFree {
		return false
	}
	p.takeOwn(r)
	p.acquireShared(r)
	if !p.reserve(r, tokens) {
		panic("sim: replica: admission reserved less than admitUnits counted")
	}
	return true
}

// preempt evicts r (recompute preemption): its KV cache is dropped and it goes
// back to the front of its queue to prefill its prompt and everything it had
// generated. What it finds cached is looked up again when it is readmitted
// (requeuePrefix).
func (p *replica) preempt(r *request) {
	p.removeRunning(r)
	r.preempts++
	p.preemptions++
	p.requeuePrefix(r)
	r.target = r.prompt + r.generated
	r.prefilled, r.kv = min(r.cached, r.target), 0
	p.enqueue(r, true)
}

// reserveOrPreempt reserves r's KV blocks for tokens, preempting the newest
// running requests (r itself last) until they fit; it reports false when it
// preempted anyone.
func (p *replica) reserveOrPreempt(r *request, tokens int32) bool {
	ok := true
	for !p.reserve(r, tokens) {
		victim := p.running[len(p.running)-1]
		p.preempt(victim)
		ok = false
		if victim == r {
			break
		}
	}
	return ok
}

// kick starts an iteration if the replica is idle and has work.
func (p *replica) kick() {
	if p.busy || !(p.up || p.draining) {
		return
	}
	env := p.env
	p.plan = p.plan[:0]
	p.leapDecode = false
	env.coster.chunks = env.coster.chunks[:0]
	cost, ok := p.sched.plan(p)
	if !ok {
		if p.waiting > 0 && len(p.running) == 0 {
			p.env.host.failRun(p.stuckError())
		}
		return
	}
	now := env.eng.Now()
	p.busy = true
	p.iterStart = now
	p.iterCost = cost
	env.busyG.add(now, 1)
	end := engine.Later(now, secondsToNs(cost.sec))
	if p.leapDecode {
		end = p.planLeap(now, cost)
	} else {
		p.leap.k = 1
	}
	env.eng.Schedule(&p.iterDone, end)
}

// stuckError is the error of a replica that, with nothing running and so
// every KV block free, admitted none of its waiting requests: nothing would
// ever end there to free more, and its queue would wait for good (a drained
// run then never ends). Every request fits by construction: its lengths are
// fitted to max_model_len (fleetPool.clamp), and a scenario whose KV cache
// cannot hold a max_model_len request is refused at load. So this is a bug
// in what a scheduler asks for, and the run stops, naming it, rather than
// report the stuck requests as load it could not serve.
func (p *replica) stuckError() error {
	r := p.peekWaiting()
	return fmt.Errorf("sim: replica %d (pool %s, instance %d) admits none of its %d waiting requests with nothing running, at %v of simulated time: "+
		"the first, request %d (prompt %d and output %d tokens, %d generated, moved %d times), takes %d of its %d KV blocks at most; "+
		"the queue would wait for good (a bug: please report it with the scenario)",
		p.id, p.inst.pool.name, p.inst.id, p.waiting, simTime(p.env.eng.Now()), r.id, r.prompt, r.output, r.generated, r.preempts,
		p.blocksFor(r, r.peakTokens()), p.kvTotal)
}

// leapSeqs is how many sequences the decode leap being planned runs.
func (p *replica) leapSeqs() int {
	if p.ep.iterEpoch {
		return p.ep.n
	}
	return len(p.plan)
}
