package sim

import "aiecon/sim/engine"

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
	w        *World
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

	kvTotal, kvFree int32 // blocks

	busy                        bool
	iterDone                    engine.Event
	plan                        []planItem
	iterStart                   int64
	iterCost                    stepCost
	prefillTokens, decodeTokens int32 // of the current iteration (for cost attribution)
	admitSeq                    uint64

	// decode leaps (see leap.go): set by the scheduler for a decode-only plan
	leap       leapState
	ep         epochSet
	leapDecode bool  // the plan just built decodes only
	leapCtx    int32 // vLLM: sum of contexts; Neuron: the largest context+1
	leapCap    int   // how many iterations a leap may plan (adaptive, see leap.go)

	// static batching
	staticN      int32 // requests in the current static batch (0 = none)
	staticPrompt int32 // longest prompt of the batch
	staticLeft   int32 // members not yet finished

	// totals
	iterations, busyNs, upNs, prefillTok, decodeTok, preemptions, completed int64
	upSince                                                                 int64
}

// Handle is the end of an iteration.
func (p *replica) Handle(*engine.Event) { p.w.onIterationDone(p) }

func (p *replica) outstanding() int { return p.waiting + len(p.running) }

func (p *replica) blocksFor(tokens int32) int32 {
	b := p.w.blockTokens
	return (tokens + b - 1) / b
}

// peekWaiting returns the next request to admit: highest priority, then FIFO.
func (p *replica) peekWaiting() *request {
	if p.waiting == 0 {
		return nil
	}
	for i := range p.queues {
		if r := p.queues[i].peek(p); r != nil {
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
	p.w.queued.add(p.w.eng.Now(), 1)
	// A request that the next iteration could admit ends a leap there.
	if p.busy && len(p.running) < p.w.maxNumSeqs {
		p.cutLeap()
	}
}

// admit moves the head waiting request r into the running batch.
func (p *replica) admit(r *request) {
	now := p.w.eng.Now()
	p.queues[r.prio].pop()
	p.waiting--
	p.w.queued.add(now, -1)
	p.w.eng.Cancel(&r.timeout)
	r.state = reqRunning
	if r.start < 0 {
		r.start = now
	}
	p.admitSeq++
	r.admitSeq = p.admitSeq
	r.runIdx = int32(len(p.running))
	p.running = append(p.running, r)
	p.w.runningG.add(now, 1)
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
	p.freeBlocks(r)
	p.w.runningG.add(p.w.eng.Now(), -1)
}

func (p *replica) freeBlocks(r *request) {
	if r.blocks > 0 {
		p.kvFree += r.blocks
		p.w.kvUsedG.add(p.w.eng.Now(), -int64(r.blocks))
		r.blocks = 0
	}
}

// reserve grows r's KV allocation to cover tokens; it reports false when the
// free blocks do not suffice (nothing is allocated then).
func (p *replica) reserve(r *request, tokens int32) bool {
	if tokens <= r.blocks*p.w.blockTokens { // fast path: no division on most decode steps
		return true
	}
	need := p.blocksFor(tokens) - r.blocks
	if need <= 0 {
		return true
	}
	if need > p.kvFree {
		return false
	}
	p.kvFree -= need
	r.blocks += need
	p.w.kvUsedG.add(p.w.eng.Now(), int64(need))
	return true
}

// preempt evicts r (recompute preemption): its KV cache is dropped and it goes
// back to the front of its queue to prefill its prompt and everything it had
// generated.
func (p *replica) preempt(r *request) {
	p.removeRunning(r)
	r.preempts++
	p.preemptions++
	r.target = r.prompt + r.generated
	r.prefilled, r.kv = r.cached, r.cached
	if r.prefilled > r.target {
		r.prefilled, r.kv = r.target, r.target
	}
	p.enqueue(r, true)
}

// kick starts an iteration if the replica is idle and has work.
func (p *replica) kick() {
	if p.busy || !(p.up || p.draining) {
		return
	}
	p.plan = p.plan[:0]
	p.leapDecode = false
	p.w.coster.chunks = p.w.coster.chunks[:0]
	var cost stepCost
	var ok bool
	switch p.w.sched {
	case schedVLLM:
		if !p.ep.on {
			cost, ok = p.scheduleVLLM()
			break
		}
		var fallback bool
		if cost, ok, fallback = p.scheduleVLLMImplicit(); fallback {
			// The iteration may preempt: run it with every request explicit.
			p.w.fallbackIters++
			p.dissolve()
			cost, ok = p.scheduleVLLM()
		} else if ok {
			p.w.implicitIters++
		}
	case schedNeuron:
		cost, ok = p.scheduleNeuron()
	default:
		cost, ok = p.scheduleStatic()
	}
	if !ok {
		return
	}
	now := p.w.eng.Now()
	p.busy = true
	p.iterStart = now
	p.iterCost = cost
	p.w.busyG.add(now, 1)
	end := now + secondsToNs(cost.sec)
	if p.leapDecode {
		end = p.planLeap(now, cost)
	} else {
		p.leap.k = 1
	}
	p.w.eng.Schedule(&p.iterDone, end)
}

// leapCost prices iteration i of a decode leap: every sequence has i more
// tokens of context than in iteration 0.
func (p *replica) leapCost(i int) stepCost {
	w := p.w
	n := len(p.plan)
	if p.ep.iterEpoch {
		n = p.ep.n
	}
	if w.sched == schedNeuron {
		return w.coster.neuronDecode(batchBucket(n, w.maxNumSeqs), bucketFor(w.seqBuckets, int(p.leapCtx)+i))
	}
	return w.coster.iteration(n, n, n, int(p.leapCtx)+i*n)
}
