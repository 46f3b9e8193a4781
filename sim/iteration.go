package sim

import (
	"container/heap"
	"slices"
)

// iterationDone applies an iteration's progress: prompt chunks land in the
// KV cache, a finished prefill yields the first token, decodes yield one
// token each, and finished requests leave.
func (p *replica) iterationDone() {
	env := p.env
	now := env.eng.Now()
	p.busy = false
	env.busyG.add(now, -1)
	dur := float64(now - p.iterStart)
	p.busyNs += now - p.iterStart
	k := max(p.leap.k, 1)
	p.iterations += int64(k)
	if k > 1 {
		p.finalizeLeap()
		for _, c := range p.leap.costs {
			p.addWork(c)
		}
	} else {
		p.addWork(p.iterCost)
	}
	env.account(dur, p.prefillTokens, p.decodeTokens)
	implicitIter := p.ep.iterEpoch
	if implicitIter {
		// Implicit decoders come first in the running order: apply their k
		// tokens and finish those done before the prefill chunks.
		p.finishImplicit(k)
	}
	p.applyPlan(now, k, implicitIter)
	p.ep.iterEpoch = false
	if p.ep.on && !implicitIter {
		p.absorb() // after an explicit iteration
	}
	if k > 1 && k == p.leapCap {
		p.leapCap = min(2*p.leapCap, maxLeap) // ran to its end at full length: plan further
	}
	p.leap.k = 0
	p.kick()
	env.host.checkDrained(p)
	env.host.stopIfDrained()
}

// applyPlan gives each planned request what k iterations produced for it.
func (p *replica) applyPlan(now int64, k int, implicitIter bool) {
	win := &p.env.win
	for i := range p.plan {
		it := &p.plan[i]
		r := it.r
		if r.id != it.id || r.state != reqRunning || r.replica != p {
			continue // left during the iteration (its session was abandoned)
		}
		if it.prefill {
			r.prefilled += it.n
			r.kv += it.n
			p.prefillTok += int64(it.n)
			p.computedShared(r)
			if r.prefilled < r.target {
				continue
			}
			r.generated++
			win.outputTok++
		} else {
			// k leap iterations of one token, or one step of it.n tokens
			// (speculative decoding, which never leaps)
			tok := int32(k) * it.n
			r.kv += tok
			p.decodeTok += int64(tok)
			r.generated += tok
			win.outputTok += int64(tok)
		}
		if r.firstTok < 0 {
			r.firstTok = now
		}
		if r.generated >= r.output {
			p.finish(r)
		} else if implicitIter && r.decoding() {
			p.join(r) // its prefill is done: an implicit decoder from now on
		}
	}
}

// finishImplicit applies k iterations to the implicit decoders: the tick
// advances and those whose output is complete finish, in running order.
func (p *replica) finishImplicit(k int) {
	ep := &p.ep
	ep.tick += int64(k)
	p.decodeTok += int64(ep.n * k)
	p.env.win.outputTok += int64(ep.n * k)
	for len(ep.fin) > 0 && ep.fin[0].tick <= ep.tick {
		e := heap.Pop(&ep.fin).(finEntry)
		if !e.valid(p) {
			continue
		}
		r := e.r
		p.sync(r, 0, false)
		p.leave(r)
		p.finish(r)
	}
}

// finish takes a request that generated its whole output out of the batch
// and hands it to the world.
func (p *replica) finish(r *request) {
	p.removeRunning(r)
	p.storePrefix(r)
	p.completed++
	p.env.host.completed(r)
}

// unqueue counts a waiting request r gone from the replica's queues (its
// queue entry is skipped later, see fifo.peek, or was just popped).
func (p *replica) unqueue(now int64, r *request) {
	p.waiting--
	p.loadChanged()
	p.env.addQueued(now, r, -1)
}

// withdraw takes a waiting or running request out of the replica (its
// session was abandoned), keeping the tokens of leap iterations that ended.
func (p *replica) withdraw(r *request) {
	switch r.state {
	case reqWaiting:
		p.unqueue(p.env.eng.Now(), r)
		p.env.eng.Cancel(&r.timeout)
	case reqRunning:
		p.cutLeap()
		if r.implicit {
			p.leaveEarly(r)
		} else {
			p.creditLeap(r)
		}
		p.removeRunning(r)
	}
}

// halt abandons the iteration in progress (the replica's instance was
// interrupted): its work is lost.
func (p *replica) halt() {
	if p.busy {
		p.env.eng.Cancel(&p.iterDone)
		p.busy = false
		now := p.env.eng.Now()
		p.env.busyG.add(now, -1)
		p.busyNs += now - p.iterStart // lost work, but time spent iterating, as utilization counts it
	}
}

// evict takes every request off a replica that stopped at once, in id
// order: running ones lose their KV cache but keep what they generated, and
// must prefill their prompt and output again elsewhere.
func (p *replica) evict() []*request {
	now := p.env.eng.Now()
	var moved []*request
	for len(p.running) > 0 {
		r := p.running[len(p.running)-1]
		p.removeRunning(r)
		r.preempts++
		r.target = r.prompt + r.generated
		p.forgetPrefix(r)
		r.prefilled, r.kv = min(r.cached, r.target), 0
		moved = append(moved, r)
	}
	for i := range p.queues {
		for r := p.queues[i].peek(p); r != nil; r = p.queues[i].peek(p) {
			p.queues[i].pop()
			p.unqueue(now, r)
			if r.claimed { // looked up here but not admitted yet
				p.forgetPrefix(r)
				r.prefilled = min(r.cached, r.target)
			}
			moved = append(moved, r)
		}
	}
	p.loseMemory() // the instance stopped
	slices.SortFunc(moved, func(a, b *request) int { return int(a.id - b.id) })
	return moved
}
