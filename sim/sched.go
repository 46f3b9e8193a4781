package sim

import (
	"sort"

	"aiecon/model/llm"
)

// Scheduler families.
const (
	schedVLLM = iota
	schedNeuron
	schedStatic
)

// scheduleVLLM plans one continuous-batching iteration as vLLM does: running
// requests first (one decode token each, or the next chunk of a chunked
// prefill), then new requests while the token budget, max_num_seqs and the KV
// blocks allow. When a running request needs a block and none is free, the
// newest running request is preempted (recompute), and no new request is
// admitted in that iteration.
func (p *replica) scheduleVLLM() (stepCost, bool) {
	w := p.w
	budget := int32(w.maxBatched)
	preempted := false
	var decodeSeqs, sumCtx, tokens, logits int
	for i := 0; i < len(p.running) && budget > 0; i++ {
		r := p.running[i]
		n := int32(1)
		if !r.decoding() {
			n = min(r.target-r.prefilled, budget)
		}
		for !p.reserve(r, r.kv+n) {
			victim := p.running[len(p.running)-1]
			p.preempt(victim)
			preempted = true
			if victim == r {
				break
			}
		}
		if r.state != reqRunning { // preempted itself
			break
		}
		p.plan = append(p.plan, planItem{r: r, id: r.id, n: n, prefill: !r.decoding()})
		budget -= n
		tokens += int(n)
		if r.decoding() {
			decodeSeqs++
			sumCtx += int(r.kv)
			logits++
		} else {
			last := r.prefilled+n == r.target
			w.coster.chunks = append(w.coster.chunks, llmChunk(n, r.prefilled, last))
			if last {
				logits++
			}
		}
	}
	if !preempted {
		t, l := p.admitPrefills(budget)
		tokens += t
		logits += l
	}
	if len(p.plan) == 0 {
		return stepCost{}, false
	}
	p.prefillTokens = int32(tokens - decodeSeqs)
	p.decodeTokens = int32(decodeSeqs)
	if decodeSeqs == len(p.plan) {
		p.leapDecode, p.leapCtx = true, int32(sumCtx)
	}
	return w.coster.iteration(tokens, logits, decodeSeqs, sumCtx), true
}

// planChunk adds the next n prompt tokens of r to the iteration's plan and
// cost, and reports whether they finish its prompt (the iteration then
// produces a logit for it).
func (p *replica) planChunk(r *request, n int32) (last bool) {
	p.plan = append(p.plan, planItem{r: r, id: r.id, n: n, prefill: true})
	last = r.prefilled+n == r.target
	p.w.coster.chunks = append(p.w.coster.chunks, llmChunk(n, r.prefilled, last))
	return last
}

// admitPrefills is vLLM's second pass, shared by the explicit and the
// implicit-decoder schedulers: admit waiting requests, each with its first
// prompt chunk, while the token budget, max_num_seqs and the KV blocks allow.
// It returns the tokens and logits the admitted chunks add to the iteration.
func (p *replica) admitPrefills(budget int32) (tokens, logits int) {
	for budget > 0 && len(p.running) < p.w.maxNumSeqs {
		r := p.peekWaiting()
		if r == nil {
			break
		}
		if r.kv < r.prefilled { // first admission: cached prefix is in the KV cache
			r.kv = r.prefilled
		}
		n := min(r.target-r.prefilled, budget)
		if !p.reserve(r, r.kv+n) {
			break
		}
		p.admit(r)
		budget -= n
		tokens += int(n)
		if p.planChunk(r, n) {
			logits++
		}
	}
	return tokens, logits
}

// scheduleNeuron plans one iteration as the Neuron vLLM plugin documents: at
// most one prefill per iteration (a request's next prompt segment, padded up
// to a context-encoding bucket), with decoding paused while it runs; new
// prefills only while the running batch has room; otherwise one decode
// iteration for every running request, the batch padded to a power of two no
// larger than max_num_seqs and attention over the compiled sequence bucket.
func (p *replica) scheduleNeuron() (stepCost, bool) {
	w := p.w
	// Continue a segmented prefill, else admit a new request.
	var r *request
	for _, q := range p.running {
		if !q.decoding() {
			r = q
			break
		}
	}
	if r == nil && len(p.running) < w.maxNumSeqs {
		if q := p.peekWaiting(); q != nil {
			if q.kv < q.prefilled {
				q.kv = q.prefilled
			}
			n := min(q.target-q.prefilled, int32(w.maxBatched))
			if p.reserve(q, q.kv+n) {
				p.admit(q)
				r = q
			}
		}
	}
	if r != nil {
		n := min(r.target-r.prefilled, int32(w.maxBatched))
		if p.reserve(r, r.kv+n) {
			padded := bucketFor(w.ctxBuckets, int(n))
			last := r.prefilled+n == r.target
			logits := 0
			if last {
				logits = 1
			}
			p.plan = append(p.plan, planItem{r: r, id: r.id, n: n, prefill: true})
			w.coster.chunks = append(w.coster.chunks, llm.PrefillChunk{Tokens: padded, Offset: int(r.prefilled), Last: last})
			p.prefillTokens, p.decodeTokens = n, 0
			return w.coster.iteration(padded, logits, 0, 0), true
		}
		// No room to continue its prefill: preempt it and fall through to decode.
		p.preempt(r)
	}
	// Decode every running request.
	maxCtx := int32(0)
	for i := 0; i < len(p.running); i++ {
		q := p.running[i]
		for !p.reserve(q, q.kv+1) {
			victim := p.running[len(p.running)-1]
			p.preempt(victim)
			if victim == q {
				break
			}
		}
		if q.state != reqRunning {
			break
		}
		p.plan = append(p.plan, planItem{r: q, id: q.id, n: 1})
		maxCtx = max(maxCtx, q.kv+1)
	}
	if len(p.plan) == 0 {
		return stepCost{}, false
	}
	batch := batchBucket(len(p.plan), w.maxNumSeqs)
	seq := bucketFor(w.seqBuckets, int(maxCtx))
	p.prefillTokens, p.decodeTokens = 0, int32(len(p.plan))
	p.leapDecode, p.leapCtx = true, maxCtx
	// Every padded slot attends over the whole sequence bucket (seq keys,
	// including its own new token).
	return w.coster.neuronDecode(batch, seq), true
}

// scheduleStatic is plain static batching: take up to max_num_seqs waiting
// requests whose whole prompt+output fits in the KV cache, prefill them
// together padded to the longest prompt, then decode the full batch (finished
// slots still computed) until every member has finished; admit nothing meanwhile.
func (p *replica) scheduleStatic() (stepCost, bool) {
	w := p.w
	if p.staticN == 0 {
		var longest int32
		for len(p.running) < w.maxNumSeqs {
			r := p.peekWaiting()
			if r == nil || !p.reserve(r, r.target+r.output) {
				break
			}
			p.admit(r)
			longest = max(longest, r.target-r.prefilled)
		}
		if len(p.running) == 0 {
			return stepCost{}, false
		}
		p.staticN, p.staticLeft, p.staticPrompt = int32(len(p.running)), int32(len(p.running)), longest
		for _, r := range p.running {
			p.plan = append(p.plan, planItem{r: r, id: r.id, n: r.target - r.prefilled, prefill: true})
			w.coster.chunks = append(w.coster.chunks, llm.PrefillChunk{Tokens: int(longest), Offset: 0, Last: true})
		}
		n := int(p.staticN)
		p.prefillTokens, p.decodeTokens = longest*p.staticN, 0
		return w.coster.iteration(n*int(longest), n, 0, 0), true
	}
	maxCtx := int32(0)
	for _, r := range p.running {
		p.plan = append(p.plan, planItem{r: r, id: r.id, n: 1})
		maxCtx = max(maxCtx, r.kv)
	}
	if len(p.plan) == 0 { // every member finished: the batch is over
		p.staticN = 0
		return p.scheduleStatic()
	}
	n := int(p.staticN)
	p.prefillTokens, p.decodeTokens = 0, int32(len(p.plan))
	return w.coster.iteration(n, n, n, n*int(maxCtx)), true
}

// bucketFor returns the smallest bucket >= n (the largest if none is).
func bucketFor(buckets []int, n int) int {
	i := sort.SearchInts(buckets, n)
	if i == len(buckets) {
		return buckets[len(buckets)-1]
	}
	return buckets[i]
}

// batchBucket pads a decode batch to a power of two, at most maxNumSeqs.
func batchBucket(n, maxNumSeqs int) int {
	b := 1
	for b < n {
		b *= 2
	}
	return min(b, maxNumSeqs)
}
