package sim

import (
	"sort"

	"aiecon/hw"
	"aiecon/model/llm"
)

// neuronScheduler plans iterations as the Neuron vLLM plugin documents: at
// most one prefill per iteration (a request's next prompt segment, padded up
// to a context-encoding bucket), with decoding paused while it runs; new
// prefills only while the running batch has room; otherwise one decode
// iteration for every running request, the batch padded to a power of two no
// larger than max_num_seqs and attention over the compiled sequence bucket.
type neuronScheduler struct{}

func init() {
	registerScheduler("neuron", schedulerKind{family: hw.FamilyNeuron, new: func() scheduler { return neuronScheduler{} }})
}

func (neuronScheduler) implicitDecoders() bool { return false }

// joinsRunningBatch: a prefill runs alone, pausing every decode beside it.
func (neuronScheduler) joinsRunningBatch() bool { return false }

func (neuronScheduler) plan(p *replica) (stepCost, bool) {
	if r := p.neuronPrefillTarget(); r != nil {
		if cost, ok := p.neuronPrefill(r); ok {
			return cost, true
		}
		// No room to continue its prefill: preempt it and fall through to decode.
		p.preempt(r)
	}
	return p.neuronDecode()
}

// neuronPrefillTarget is the request whose prompt the next iteration
// prefills: one part-way through its prefill, else a newly admitted one
// while the batch has room (nil if none).
func (p *replica) neuronPrefillTarget() *request {
	for _, q := range p.running {
		if !q.decoding() {
			return q
		}
	}
	if len(p.running) >= p.env.maxNumSeqs {
		return nil
	}
	q := p.peekWaiting()
	if q == nil {
		return nil
	}
	q.kv = q.prefilled // waiting: its KV cache is the prefix it found (peekWaiting)
	n := min(q.target-q.prefilled, int32(p.env.maxBatched))
	if !p.reserveToAdmit(q, n) {
		return nil
	}
	p.admit(q)
	return q
}

// neuronPrefill plans r's next prompt segment, padded to its context bucket;
// false when its KV blocks do not fit.
func (p *replica) neuronPrefill(r *request) (stepCost, bool) {
	env := p.env
	n := min(r.target-r.prefilled, int32(env.maxBatched))
	if !p.reserve(r, r.kv+n) {
		return stepCost{}, false
	}
	padded := bucketFor(env.ctxBuckets, int(n))
	last := r.prefilled+n == r.target
	logits := 0
	if last {
		logits = 1
	}
	p.plan = append(p.plan, planItem{r: r, id: r.id, n: n, prefill: true})
	env.coster.chunks = append(env.coster.chunks, llm.PrefillChunk{Tokens: padded, Offset: int(r.prefilled), Last: last})
	p.prefillTokens, p.decodeTokens = n, 0
	return p.specPrefill(env.coster.iteration(padded, logits, 0, 0), padded, logits), true
}

// neuronDecode plans one decode iteration of every running request.
func (p *replica) neuronDecode() (stepCost, bool) {
	env := p.env
	maxCtx := int32(0)
	for i := 0; i < len(p.running); i++ {
		q := p.running[i]
		n := p.stepTokens(q) // 1, or a speculative step's yield
		p.reserveOrPreempt(q, q.kv+n)
		if q.state != reqRunning {
			break
		}
		p.plan = append(p.plan, planItem{r: q, id: q.id, n: n})
		maxCtx = max(maxCtx, q.kv+1)
	}
	if len(p.plan) == 0 {
		return stepCost{}, false
	}
	batch := batchBucket(len(p.plan), env.maxNumSeqs)
	seq := bucketFor(env.seqBuckets, int(maxCtx))
	p.prefillTokens, p.decodeTokens = 0, int32(len(p.plan))
	if env.spec != nil { // verification runs k+1 positions past the context
		return p.specNeuronDecode(batch, bucketFor(env.seqBuckets, int(maxCtx)+env.spec.k)), true
	}
	p.leapDecode, p.leapCtx = true, maxCtx
	// Every padded slot attends over the whole sequence bucket (seq keys,
	// including its own new token).
	return env.coster.neuronDecode(batch, seq), true
}

// leapCost: the largest context grows by one per iteration, which may move
// the batch into a larger sequence bucket.
func (neuronScheduler) leapCost(p *replica, i int) stepCost {
	env := p.env
	return env.coster.neuronDecode(batchBucket(p.leapSeqs(), env.maxNumSeqs), bucketFor(env.seqBuckets, int(p.leapCtx)+i))
}

// aloneSec prefills in segments padded to context buckets, and prices the
// decode steps bucket by bucket: attention runs over the sequence bucket,
// which changes as the context grows.
func (neuronScheduler) aloneSec(env *replicaEnv, prompt, cached, output int) float64 {
	total := alonePrefillSec(env, prompt, cached, func(n int) int { return bucketFor(env.ctxBuckets, n) })
	if env.spec != nil {
		return total + env.spec.aloneDecodeSec(env, prompt, output)
	}
	if output <= 1 {
		return total
	}
	for kv := prompt; kv < prompt+output-1; {
		seq := bucketFor(env.seqBuckets, kv+1)
		steps := min(prompt+output-1, seq) - kv
		if steps <= 0 {
			steps = prompt + output - 1 - kv
		}
		total += float64(steps) * env.coster.iteration(1, 1, 1, seq-1).sec
		kv += steps
	}
	return total
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
	return min(llm.PadBatch(n), maxNumSeqs)
}
