package sim

import (
	"aiecon/hw"
	"aiecon/model/llm"
)

// staticScheduler is plain static batching: take up to max_num_seqs waiting
// requests whose whole prompt+output fits in the KV cache, prefill them
// together padded to the longest prompt, then decode the full batch (finished
// slots still computed) until every member has finished; admit nothing
// meanwhile. On a chip that runs compiled graphs (Neuron, as
// transformers-neuronx batches statically) the shapes are padded as the
// graphs are: the prompts to the context bucket, the decode batch to a power
// of two, and attention to the sequence bucket (powers of two from 128 up to
// max_model_len, hw.Bucket), as hw.Predict prices a static batch.
type staticScheduler struct {
	n int32 // requests in the current batch (0 = none)
}

func init() {
	registerScheduler("static", schedulerKind{new: func() scheduler { return &staticScheduler{} }})
}

func (*staticScheduler) implicitDecoders() bool { return false }

// joinsRunningBatch: a request waits for the running batch to finish.
func (*staticScheduler) joinsRunningBatch() bool { return false }

func (s *staticScheduler) plan(p *replica) (stepCost, bool) {
	if s.n == 0 {
		return s.prefill(p)
	}
	maxCtx := int32(0)
	for _, r := range p.running {
		p.plan = append(p.plan, planItem{r: r, id: r.id, n: 1})
		maxCtx = max(maxCtx, r.kv)
	}
	if len(p.plan) == 0 { // every member finished: the batch is over
		s.n = 0
		return s.prefill(p)
	}
	p.prefillTokens, p.decodeTokens = 0, int32(len(p.plan))
	p.leapCtx = maxCtx // for leapCost; static batches do not leap (leapDecode stays false)
	return s.decodeCost(p, int(maxCtx)), true
}

// decodeCost prices a decode step of the batch whose largest context is ctx.
func (s *staticScheduler) decodeCost(p *replica, ctx int) stepCost {
	return staticDecodeCost(p.env, int(s.n), ctx)
}

// staticDecodeCost prices a decode step of a static batch of n requests
// whose largest context is ctx: on a compiled chip the batch padded to a
// power of two and every slot attending over the sequence bucket.
func staticDecodeCost(env *replicaEnv, n, ctx int) stepCost {
	if env.coster.perf.Compiled() {
		n, ctx = llm.PadBatch(n), staticSeqBucket(env, ctx)-1
	}
	return env.coster.iteration(n, n, n, n*ctx)
}

// staticSeqBucket is the compiled sequence bucket a decode step at context
// ctx attends over (its new token included); max_model_len past the largest.
func staticSeqBucket(env *replicaEnv, ctx int) int {
	b, err := hw.Bucket(ctx+1, int(env.maxModelLen))
	if err != nil {
		return int(env.maxModelLen)
	}
	return b
}

// prefill admits a new batch and plans its prefill, every prompt padded to
// the longest.
func (s *staticScheduler) prefill(p *replica) (stepCost, bool) {
	env := p.env
	var longest int32
	for len(p.running) < env.maxNumSeqs {
		r := p.peekWaiting()
		if r == nil || !p.reserveAdmitted(r, r.peakTokens()) {
			break
		}
		p.admit(r)
		longest = max(longest, r.target-r.prefilled)
	}
	if len(p.running) == 0 {
		return stepCost{}, false
	}
	s.n = int32(len(p.running))
	for _, r := range p.running {
		// The whole prompt lands in the KV cache in this one iteration.
		r.kv = r.prefilled
		p.plan = append(p.plan, planItem{r: r, id: r.id, n: r.target - r.prefilled, prefill: true})
	}
	cost, padded := staticPrefillCost(env, len(p.running), int(longest))
	p.prefillTokens, p.decodeTokens = int32(padded)*s.n, 0
	return cost, true
}

// staticPrefillCost prices the prefill of n prompts run together, each
// padded to longest new tokens (on a compiled chip, up to its context
// bucket), and returns the padded length.
func staticPrefillCost(env *replicaEnv, n, longest int) (stepCost, int) {
	if env.coster.perf.Compiled() {
		if b, err := hw.Bucket(longest, int(env.maxModelLen)); err == nil {
			longest = b
		}
	}
	for range n {
		env.coster.chunks = append(env.coster.chunks, llm.PrefillChunk{Tokens: longest, Offset: 0, Last: true})
	}
	return env.coster.iteration(n*longest, n, 0, 0), longest
}

// leapCost prices decode iteration i after the last planned one: the whole
// padded batch, every slot attending over the largest context plus i.
func (s *staticScheduler) leapCost(p *replica, i int) stepCost {
	return s.decodeCost(p, int(p.leapCtx)+i)
}

// aloneSec runs the call as a static batch of one, priced by the same
// functions as the run: the prompt (less its cached prefix) prefilled in one
// iteration, padded to its context bucket on a compiled chip, then output-1
// decode steps. On a compiled chip the decode cost is constant within a
// sequence bucket, so it is summed bucket by bucket; elsewhere it is priced
// at the mean context, as aloneContinuousSec does.
func (*staticScheduler) aloneSec(env *replicaEnv, prompt, cached, output int) float64 {
	c := env.coster
	c.chunks = c.chunks[:0]
	pf, _ := staticPrefillCost(env, 1, prompt-cached)
	c.chunks = c.chunks[:0]
	total := pf.sec
	if output <= 1 {
		return total
	}
	last := prompt + output - 2 // context of the last decode step
	if !c.perf.Compiled() {
		return total + float64(output-1)*staticDecodeCost(env, 1, prompt+(output-2)/2).sec
	}
	for ctx := prompt; ctx <= last; {
		end := min(last, staticSeqBucket(env, ctx)-1) // last context in this bucket
		if end < ctx {                                // past the largest bucket
			end = last
		}
		total += float64(end-ctx+1) * staticDecodeCost(env, 1, ctx).sec
		ctx = end + 1
	}
	return total
}
