package sim

import "aiecon/sim/engine"

// Decode leaps.
//
// When a replica's batch is decoding only and nothing can join it (nobody
// waits, or the batch is full), the next iterations are fully determined
// until the first request finishes: the same sequences each gain one token
// per iteration. Instead of one event and one pass over the batch per
// iteration, the replica plans k iterations at once (a leap), pricing each
// iteration on its own (contexts grow, Neuron sequence buckets change), and
// applies the k tokens per sequence at the end. Anything from outside that
// could change the batch (an arrival that could be admitted, an abandoned
// request) cuts the leap at the end of the iteration in progress, exactly
// where the iteration-by-iteration schedule would have noticed it. Leaps never
// cross a window boundary or the horizon, so windows and KPIs see the same
// values; TestLeapsAreExact checks byte-identical records with leaps off.

// maxLeap bounds one leap (memory of its per-iteration times).
const maxLeap = 256

// A leap prices its iterations ahead, and an arrival that can join cuts it,
// wasting the rest. Each replica therefore adapts how far it plans: the cap
// doubles after a leap that ran to its end and halves after a cut. Any leap
// length gives the same records, so this only saves work.
const minLeapCap = 4

// leapState is a replica's current leap.
type leapState struct {
	k        int        // iterations planned (0 or 1 = an ordinary iteration)
	ends     []int64    // end time of each iteration
	costs    []stepCost // cost of each iteration
	seqs     int        // decoding sequences (the plan)
	reserved int32      // KV blocks set aside for iterations 1..k-1
	final    bool       // block allocations applied
}

// leapBound is the latest time a leap may end: the next window boundary, or
// the horizon (unless draining past it).
func (w *World) leapBound() int64 {
	b := w.win.start + int64(w.sc.Window)
	if !w.sc.Drain || w.eng.Now() < w.horizon {
		b = min(b, w.horizon)
	}
	return b
}

// canLeap reports whether the decode plan just built may be extended.
func (p *replica) canLeap() bool {
	env := p.env
	if env.noLeap || env.interruptible {
		return false
	}
	if p.ep.iterEpoch {
		if len(p.plan) != 0 || p.ep.n != len(p.running) || p.ep.n == 0 {
			return false
		}
	} else if len(p.plan) != len(p.running) || len(p.plan) == 0 {
		return false
	}
	if p.waiting > 0 && len(p.running) < env.maxNumSeqs {
		return false // someone could be admitted at the next boundary
	}
	return true
}

// planLeap extends a decode-only iteration (already priced as first, KV
// reserved for its token) into a leap and returns the time the leap ends.
func (p *replica) planLeap(now int64, first stepCost) int64 {
	l := &p.leap
	l.k, l.final, l.reserved = 1, false, 0
	l.seqs = len(p.plan)
	if p.ep.iterEpoch {
		l.seqs = p.ep.n
	}
	l.ends = append(l.ends[:0], engine.Later(now, secondsToNs(first.sec)))
	l.costs = append(l.costs[:0], first)
	if !p.canLeap() {
		return l.ends[0]
	}
	if p.leapCap == 0 {
		p.leapCap = 16
	}
	kmax := p.leapCap
	if p.ep.iterEpoch {
		kmax = min(kmax, p.leapKmaxImplicit())
	}
	for _, it := range p.plan {
		kmax = min(kmax, int(it.r.output-it.r.generated))
	}
	bound := p.env.host.leapBound()
	for l.k < kmax {
		c := p.sched.leapCost(p, l.k)
		end := engine.Later(l.ends[l.k-1], secondsToNs(c.sec))
		if end > bound {
			break
		}
		l.ends = append(l.ends, end)
		l.costs = append(l.costs, c)
		l.k++
	}
	// KV blocks for iterations 1..k-1; shorten the leap until they fit.
	for l.k > 1 {
		need := p.leapBlocks(l.k)
		if need <= p.kvFree {
			l.reserved = need
			p.kvFree -= need
			break
		}
		l.k--
	}
	l.ends, l.costs = l.ends[:l.k], l.costs[:l.k]
	return l.ends[l.k-1]
}

// finalizeLeap gives each sequence the KV blocks its iterations 1..k-1 took,
// recording each allocation in the KV gauge at the start of the iteration
// that needed it, and returns what was reserved but not used.
func (p *replica) finalizeLeap() {
	l := &p.leap
	if l.k <= 1 || l.final {
		return
	}
	l.final = true
	env := p.env
	now := env.eng.Now()
	g := &env.kvUsedG
	b := env.blockTokens
	if p.ep.iterEpoch {
		bt := int64(b)
		for i := 1; i < l.k; i++ {
			if c := p.ep.cnt[int((p.ep.tick+int64(i))%bt)]; c > 0 {
				l.reserved -= c
				g.addSince(now, int64(c), l.ends[i-1])
			}
		}
	}
	for _, it := range p.plan {
		r := it.r
		if r.id != it.id || r.state != reqRunning || r.replica != p {
			continue
		}
		// Iteration i (1..k-1) needs kv+i+1 tokens (kv has not moved yet):
		// a new block exactly when that passes tblocks*b, i.e. first at
		// i = tblocks*b - kv (>= 1: iteration 0 reserved kv+1), then every
		// b iterations.
		grow := p.growth(r)
		for i := r.tblocks*b - r.kv; i < int32(l.k); i += b {
			r.tblocks++
			r.blocks += grow
			l.reserved -= grow
			g.addSince(now, int64(grow), l.ends[i-1])
		}
	}
	p.kvFree += l.reserved
	l.reserved = 0
	p.fitCache()
}

// cutLeap ends a leap at the end of the iteration in progress, because
// something outside changed what the next iteration would do.
func (p *replica) cutLeap() {
	l := &p.leap
	if !p.busy || l.k <= 1 {
		return
	}
	now := p.env.eng.Now()
	j := 0
	for j < l.k-1 && l.ends[j] < now {
		j++
	}
	if j < l.k-1 {
		p.leapCap = max(p.leapCap/2, minLeapCap)
		l.k = j + 1
		l.ends, l.costs = l.ends[:l.k], l.costs[:l.k]
		// Return the reservation of the dropped iterations before finalizing.
		keep := p.leapBlocks(l.k)
		p.kvFree += l.reserved - keep
		l.reserved = keep
		p.env.eng.Schedule(&p.iterDone, l.ends[l.k-1])
	}
	// Blocks of iterations already started are recorded now, before the
	// caller changes the batch (an abandoned request frees its blocks).
	p.finalizeLeap()
}

// leapDone is how many iterations of the current leap ended before now.
func (p *replica) leapDone() int {
	if !p.busy || p.leap.k <= 1 {
		return 0
	}
	now := p.env.eng.Now()
	n := 0
	for n < p.leap.k && p.leap.ends[n] < now {
		n++
	}
	return n
}

// creditLeap gives a request leaving in the middle of a leap the tokens of
// the leap's iterations that already ended (the rest of the batch gets them
// when the leap ends).
func (p *replica) creditLeap(r *request) {
	if done := int32(p.leapDone()); done > 0 {
		r.kv += done
		r.generated += done
		p.decodeTok += int64(done)
		p.env.win.outputTok += int64(done)
	}
}

// leapBlocks counts the KV blocks iterations 1..k-1 of a leap take beyond
// what is already reserved: the planned requests' and, under the implicit
// scheduler, the implicit decoders'.
func (p *replica) leapBlocks(k int) int32 {
	var need int32
	if p.ep.iterEpoch {
		need = p.leapBlocksImplicit(k)
	}
	for _, it := range p.plan {
		r := it.r
		need += max(p.ownFor(r, r.kv+int32(k))-r.blocks, 0) // 0 when reserved at admission
	}
	return need
}
